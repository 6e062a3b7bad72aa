package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// The complaint register (issue 19, item 5; internal/complaint). Three rules shape this file:
//   - 谁办理、谁负责 (国办发〔2019〕51号): a complaint goes to the body responsible for what it is about, and only
//     that body answers or extends it (access.ComplaintAnswer on its subtree).
//   - The complainant is protected as a rater is: who complained is stored apart (store.Complainant) and read
//     only by the messages Bianmin sends (the answer, the extension, the link to rate the answer).
//   - The answer has a deadline in working days (Config.ComplaintDays, Bianmin's choice, complaint.DefaultDays),
//     extended once with reasons; GB/T 39046-2020 6.7 keeps 承诺时限, 延期时限, 超期天数.

// ComplaintLinkTTL is how long the link to rate an answer stays valid (as a rating link).
const ComplaintLinkTTL = RateLinkTTL

// complaintDays is the answer deadline in working days.
func (s *Service) complaintDays() int {
	if s.cfg.ComplaintDays > 0 {
		return s.cfg.ComplaintDays
	}
	return complaint.DefaultDays
}

// ComplaintInput is a complaint as typed, at a desk or online.
type ComplaintInput struct {
	Channel  complaint.Channel `json:"channel,omitempty"` // at a desk: window, station, phone or rating (online: always online)
	About    complaint.About   `json:"complaint_about"`
	CaseNo   string            `json:"complaint_case,omitempty"`
	StaffID  string            `json:"complaint_staff,omitempty"`
	WindowID string            `json:"window,omitempty"`
	ItemID   string            `json:"item,omitempty"`
	Township string            `json:"township,omitempty"` // online, about the service in general: which township
	RatingID string            `json:"rating_id,omitempty"`
	Body     string            `json:"complaint"`
	Name     string            `json:"name,omitempty"`  // optional: a complaint may be anonymous
	Phone    string            `json:"phone,omitempty"` // where the answer is sent
}

// responsibleOf is the body that answers for an organisation: the township or department above it (itself
// when it is one).
func (s *Service) responsibleOf(ctx context.Context, o org.Org) (org.Org, error) {
	for o.Kind != org.Township && o.Kind != org.Department {
		if o.ParentID == "" {
			return o, errs.Field("complaint_about", "err.joint.complaint.nobody")
		}
		p, err := s.DB.Org(ctx, o.ParentID)
		if err != nil {
			return o, err
		}
		o = p
	}
	return o, nil
}

// route fills what a complaint is about and finds the responsible body (谁办理、谁负责): a case's handling
// township, a person's or window's township (or department), an item's department, the township of the service.
// home is the township where it was received (a desk's), for the service in general.
func (s *Service) route(ctx context.Context, c *complaint.Complaint, in ComplaintInput, home org.Org) (org.Org, error) {
	var at org.Org
	var err error
	c.CaseNo, c.StaffID, c.WindowID, c.ItemID = "", "", "", "" // only the subject chosen is kept
	switch c.About {
	case complaint.AboutCase:
		k, e := s.DB.CaseByNo(ctx, strings.TrimSpace(in.CaseNo))
		if e != nil {
			return at, errs.Field("complaint_case", "err.not_found").With("what", "case")
		}
		c.CaseID, c.CaseNo, c.ItemID, c.ItemName, c.ItemNameMn = k.ID, k.No, k.ItemID, k.ItemName, k.ItemNameMn
		at, err = s.DB.Org(ctx, k.Handling)
	case complaint.AboutStaff:
		p, e := s.DB.Staff(ctx, in.StaffID)
		if e != nil || !p.Active {
			return at, errs.Field("complaint_staff", "err.not_found").With("what", "staff")
		}
		c.StaffID, c.StaffName = p.ID, p.Name
		at, err = s.DB.Org(ctx, p.OrgID)
	case complaint.AboutWindow:
		w, e := s.DB.Org(ctx, in.WindowID)
		if e != nil || w.Kind != org.Window {
			return at, errs.Field("window", "err.not_found").With("what", "window")
		}
		c.WindowID, c.WindowName = w.ID, w.NameZh
		at = w
	case complaint.AboutItem:
		it, e := s.publishedItem(ctx, in.ItemID)
		if e != nil {
			return at, errs.Field("item", "err.not_found").With("what", "item")
		}
		row, e := s.DB.Item(ctx, it.ID)
		if e != nil {
			return at, e
		}
		c.ItemID, c.ItemName, c.ItemNameMn = it.ID, it.NameZh, it.NameMn
		at, err = s.DB.Org(ctx, row.DepartmentID)
	default: // the service in general: the township where it was received, or the one chosen online
		if home.ID == "" {
			t, e := s.DB.Org(ctx, in.Township)
			if e != nil || t.Kind != org.Township {
				return at, errs.Field("township", "err.required")
			}
			home = t
		}
		at = home
	}
	if err != nil {
		return at, err
	}
	return s.responsibleOf(ctx, at)
}

// fileComplaint checks, routes, starts the clock and stores a complaint with its complainant, in one
// transaction with its audit entry (idempotent on key for the filer). address is where a public form came from
// ("" at a desk): its complaints are counted there, in the transaction that files them, so that a form refused
// or sent again does not count.
func (s *Service) fileComplaint(ctx context.Context, actor access.Actor, c complaint.Complaint, in ComplaintInput, who store.Complainant, home, received org.Org, key, filer, address string) (complaint.Complaint, error) {
	if err := textLimits(limit("complaint_case", in.CaseNo, 64), limit("complaint_staff", in.StaffID, 64), limit("window", in.WindowID, 64), limit("item", in.ItemID, 64),
		limit("township", in.Township, 64), limit("rating_id", in.RatingID, 64)); err != nil {
		return c, err
	}
	// what was typed names the subject; routing reads it and fills in its names
	c.CaseNo, c.StaffID, c.WindowID, c.ItemID = strings.TrimSpace(in.CaseNo), in.StaffID, in.WindowID, in.ItemID
	var l errs.List
	for _, e := range errs.All(c.Check()) {
		l.Add(e)
	}
	for _, e := range errs.All(complaint.CheckContact(who.Name, who.Phone)) {
		l.Add(e)
	}
	var resp org.Org
	if l.Err() == nil {
		var err error
		if resp, err = s.route(ctx, &c, in, home); err != nil {
			if errs.CodeOf(err) != errs.Invalid {
				return c, err
			}
			for _, e := range errs.All(err) {
				l.Add(e)
			}
		}
	}
	if err := l.Err(); err != nil {
		return c, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return c, err
	}
	c.Responsible, c.ResponsibleName, c.ResponsibleMn = resp.ID, resp.NameZh, resp.NameMn
	c.Anonymous = who.Phone == "" && who.Account == ""
	c = c.Start(clk, s.complaintDays())
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "complaint", filer, fingerprint(in), func() (string, error) {
			if address != "" {
				n, err := tx.PublicFormsFiled(address, "complaint", tx.Now().Add(-time.Hour))
				if err != nil {
					return "", err
				}
				if !people.MayComplainOnline(n) {
					return "", errs.New(errs.Locked, "err.complaint.throttled")
				}
				if err := tx.CountPublicForm(address, "complaint"); err != nil {
					return "", err
				}
			}
			if err := tx.CreateComplaint(actor, c, who, resp.Path, received.Path, clock.DateOf(c.At.In(clk.Rules.Location)).Int()); err != nil {
				return "", err
			}
			if c.Channel == complaint.Online && who.Phone != "" {
				// a phone typed into the public form is told at most its share of unasked messages; the
				// complaint stands either way, and its number is on the page that filed it
				if ok, err := spendUnasked(tx, who.Phone, "joint.msg.complaint_received"); err != nil || !ok {
					return c.ID, err
				}
			}
			return c.ID, s.tellComplainant(tx, c, who, resp, "joint.msg.complaint_received", "due", c.DueOn.String())
		})
		return err
	})
	if err != nil {
		return c, err
	}
	return s.DB.Complaint(ctx, id)
}

// FileComplaint records a complaint received at the actor's window or station, typed in from a telephone call,
// or made from a 差评 (its rater becomes the complainant, still unseen by staff).
func (s *Service) FileComplaint(ctx context.Context, actor access.Actor, in ComplaintInput, key string) (complaint.Complaint, error) {
	at, t, err := s.enquiryDesk(ctx, actor)
	if err != nil || !actor.Role.Has(access.ComplaintWrite) {
		return complaint.Complaint{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.ComplaintWrite))
	}
	ch := in.Channel
	switch {
	case ch == "" && (at.Kind == org.Village || at.Kind == org.Station):
		ch = complaint.Station
	case ch == "":
		ch = complaint.Window
	case ch == complaint.Online:
		return complaint.Complaint{}, errs.Field("channel", "err.joint.complaint.channel")
	}
	now := s.DB.Now()
	c := complaint.Complaint{ID: ids.New(), Channel: ch, About: in.About, Received: at.ID, Body: in.Body, At: now, EnteredBy: actor.Name}
	who := store.Complainant{Name: in.Name, Phone: in.Phone}
	if ch == complaint.Rating {
		// a 差评 of the actor's subtree; its rater is the complainant (the rater table, read by Bianmin alone)
		r, _, err := s.ratingFor(ctx, actor, in.RatingID, access.RatingRead)
		if err != nil {
			return c, errs.Field("rating_id", "err.not_found").With("what", "rating")
		}
		c.RatingID = r.ID
		if r.CaseNo != "" && in.About == complaint.AboutCase && in.CaseNo == "" {
			in.CaseNo = r.CaseNo
		}
		rater, err := s.DB.RaterOf(ctx, r.ID)
		if err != nil {
			return c, err
		}
		who = store.Complainant{Name: rater.Name, Phone: rater.Phone, Account: rater.Account}
	}
	return s.fileComplaint(ctx, actor, c, in, who, t, at, key, actor.ID, "")
}

// sameComplaintWindow is how long the same words from the same address, sent without a key, are one complaint.
const sameComplaintWindow = 10 * time.Minute

// FileComplaintOnline records a complaint made on the portal: by a signed-in resident (acct, kept as the
// complainant, never shown to staff) or by anyone, anonymously or with a phone for the answer.
func (s *Service) FileComplaintOnline(ctx context.Context, acct *people.ResidentAccount, in ComplaintInput, key, client string) (complaint.Complaint, error) {
	c := complaint.Complaint{ID: ids.New(), Channel: complaint.Online, About: in.About, Body: in.Body, At: s.DB.Now()}
	if in.About == complaint.AboutStaff {
		return c, errs.Field("complaint_about", "err.joint.complaint.online_staff") // a person is named at a desk, where staff find them
	}
	who := store.Complainant{Name: in.Name, Phone: in.Phone}
	filer := "anonymous"
	if acct != nil {
		who.Account, filer = acct.ID, "resident:"+acct.ID
		if who.Phone == "" {
			who.Phone = acct.Phone
		}
	}
	if key == "" {
		// a form sent twice without its key (a script, a browser without it) is still one complaint: the same
		// words from the same address within the same ten minutes come back as the first (later, the same
		// words are a complaint of their own: a station's address is many people's)
		bucket := c.At.Unix() / int64(sameComplaintWindow/time.Second)
		key, filer = fmt.Sprintf("same:%d:%s", bucket, fingerprint(in)), filer+"@"+client
	}
	// people.OnlineComplaintsPerHour from one address, counted with the complaints filed (fileComplaint)
	return s.fileComplaint(ctx, store.ComplainantActor(complaint.Online), c, in, who, org.Org{}, org.Org{}, key, filer, client)
}

// complaintFor reads a complaint the actor may act on: answering on the responsible body's subtree, reading
// there or where it was received.
func (s *Service) complaintFor(ctx context.Context, actor access.Actor, id string, act access.Action) (complaint.Complaint, error) {
	c, err := s.DB.Complaint(ctx, id)
	if err != nil {
		return c, err
	}
	resp, recv, err := s.DB.ComplaintPaths(ctx, id)
	if err != nil {
		return c, err
	}
	if actor.Can(act, resp) || (act == access.ComplaintRead && recv != "" && actor.Can(act, recv)) {
		return c, nil
	}
	return c, errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
}

// ComplaintView is a complaint with its card and overdue days on today.
type ComplaintView struct {
	complaint.Complaint
	Card        clock.Card `json:"card,omitempty"`
	OverdueDays int        `json:"overdue_days"`
	CanAnswer   bool       `json:"-"`
}

func (s *Service) viewOf(c complaint.Complaint, clk clock.Clock) ComplaintView {
	today := s.today(clk)
	return ComplaintView{Complaint: c, Card: c.Card(today), OverdueDays: c.OverdueDays(clk.Cal, today)}
}

// Complaint reads one complaint with its card.
func (s *Service) Complaint(ctx context.Context, actor access.Actor, id string) (ComplaintView, error) {
	c, err := s.complaintFor(ctx, actor, id, access.ComplaintRead)
	if err != nil {
		return ComplaintView{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return ComplaintView{}, err
	}
	v := s.viewOf(c, clk)
	_, aerr := s.complaintFor(ctx, actor, id, access.ComplaintAnswer)
	v.CanAnswer = aerr == nil && c.State == complaint.Open
	return v, nil
}

// AnswerComplaint records the responsible body's answer and sends it to the complainant with the link to rate
// it (or shows it on the resident's page); a late answer keeps its red card.
func (s *Service) AnswerComplaint(ctx context.Context, actor access.Actor, id string, version int, answer string) (complaint.Complaint, error) {
	return s.changeComplaint(ctx, actor, id, version, "complaint.answer", func(c complaint.Complaint, clk clock.Clock, resp org.Org) (complaint.Complaint, error) {
		return c.Reply(answer, resp.NameZh, s.DB.Now(), s.today(clk))
	})
}

// ExtendComplaint extends the answer deadline once, with reasons; the complainant is told the new day.
func (s *Service) ExtendComplaint(ctx context.Context, actor access.Actor, id string, version, days int, reason string) (complaint.Complaint, error) {
	return s.changeComplaint(ctx, actor, id, version, "complaint.extend", func(c complaint.Complaint, clk clock.Clock, _ org.Org) (complaint.Complaint, error) {
		return c.Extend(days, reason, actor.Name, s.DB.Now(), clk)
	})
}

func (s *Service) changeComplaint(ctx context.Context, actor access.Actor, id string, version int, action string,
	change func(complaint.Complaint, clock.Clock, org.Org) (complaint.Complaint, error)) (complaint.Complaint, error) {
	c, err := s.complaintFor(ctx, actor, id, access.ComplaintAnswer)
	if err != nil {
		return c, err
	}
	if c.Version != version {
		return c, errs.New(errs.Conflict, "err.conflict")
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return c, err
	}
	resp, err := s.DB.Org(ctx, c.Responsible)
	if err != nil {
		return c, err
	}
	after, err := change(c, clk, resp)
	if err != nil {
		return c, err
	}
	who, err := s.DB.ComplainantOf(ctx, c.ID)
	if err != nil {
		return c, err
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveComplaint(actor, action, c, after); err != nil {
			return err
		}
		if action == "complaint.extend" {
			return s.tellComplainant(tx, after, who, resp, "joint.msg.complaint_extended", "due", after.DueOn.String(), "reason", after.Extension.Reason)
		}
		link := strings.TrimSuffix(s.PublicURL, "/") + "/complaint-answer/" + s.sign("complaint", c.ID, tx.Now().Add(ComplaintLinkTTL))
		return s.tellComplainant(tx, after, who, resp, "joint.msg.complaint_answered", "link", link)
	})
}

// tellComplainant queues a message to the complainant in both languages, Mongolian first, signed with the
// responsible body's name; staff never see where it goes. Nothing is sent to one who left no phone.
func (s *Service) tellComplainant(tx *store.Tx, c complaint.Complaint, who store.Complainant, from org.Org, key string, args ...string) error {
	return s.text(tx, c.CaseID, who.Phone, from, key, args, args)
}

// ComplaintAnswerView is what the complainant's link shows: the complaint, its answer, and whether it was rated.
type ComplaintAnswerView struct {
	Complaint complaint.Complaint
	Late      bool
}

// OpenComplaintAnswer reads the link sent with an answer.
func (s *Service) OpenComplaintAnswer(ctx context.Context, token string) (ComplaintAnswerView, error) {
	id, err := s.opened("complaint", token)
	if err != nil {
		return ComplaintAnswerView{}, err
	}
	c, err := s.DB.Complaint(ctx, id)
	c.EnteredBy = ""
	return ComplaintAnswerView{Complaint: c, Late: c.Late()}, err
}

// RateComplaintAnswer takes the complainant's rating of the answer through the link.
func (s *Service) RateComplaintAnswer(ctx context.Context, token string, v complaint.Verdict) (complaint.Complaint, error) {
	id, err := s.opened("complaint", token)
	if err != nil {
		return complaint.Complaint{}, err
	}
	return s.rateComplaint(ctx, id, v)
}

// RateMyComplaint takes a signed-in resident's rating of the answer to their own complaint.
func (s *Service) RateMyComplaint(ctx context.Context, acct people.ResidentAccount, id string, v complaint.Verdict) (complaint.Complaint, error) {
	who, err := s.DB.ComplainantOf(ctx, id)
	if err != nil || who.Account != acct.ID {
		return complaint.Complaint{}, errs.New(errs.NotFound, "err.not_found").With("what", "complaint")
	}
	return s.rateComplaint(ctx, id, v)
}

func (s *Service) rateComplaint(ctx context.Context, id string, v complaint.Verdict) (complaint.Complaint, error) {
	c, err := s.DB.Complaint(ctx, id)
	if err != nil {
		return c, err
	}
	after, err := c.Rate(v, s.DB.Now())
	if err != nil {
		return c, err
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.SaveComplaint(store.ComplainantActor(c.Channel), "complaint.rate", c, after)
	})
}

// MyComplaints lists a signed-in resident's complaints with their answers.
func (s *Service) MyComplaints(ctx context.Context, acct people.ResidentAccount) ([]complaint.Complaint, error) {
	return s.DB.ComplaintsOfAccount(ctx, acct.ID, 50)
}

// ComplaintFind asks for a page of the register.
type ComplaintFind struct {
	Q       string `json:"q,omitempty"`
	Open    bool   `json:"open,omitempty"`
	Overdue bool   `json:"overdue,omitempty"`
	Cursor  string `json:"cursor,omitempty"`
	Limit   int    `json:"limit,omitempty"`
}

// ComplaintList is a page of the register with each complaint's card.
type ComplaintList struct {
	List []ComplaintView `json:"complaints"`
	Next string          `json:"next,omitempty"`
}

// FindComplaints lists the complaints the actor's subtree answers or received, newest first, a page at a time.
func (s *Service) FindComplaints(ctx context.Context, actor access.Actor, f ComplaintFind) (ComplaintList, error) {
	if err := actor.Check(access.ComplaintRead, actor.OrgPath); err != nil {
		return ComplaintList{}, err
	}
	if err := textLimits(limit("q", f.Q, 50), limit("cursor", f.Cursor, 200)); err != nil {
		return ComplaintList{}, err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return ComplaintList{}, err
	}
	q := store.ComplaintQuery{Path: actor.OrgPath, Q: f.Q, Open: f.Open, After: f.Cursor, Limit: f.Limit}
	if f.Overdue {
		q.Overdue = s.today(clk).Int()
	}
	page, err := s.DB.SearchComplaints(ctx, q)
	if err != nil {
		return ComplaintList{}, err
	}
	out := ComplaintList{Next: page.Next}
	for _, c := range page.List {
		out.List = append(out.List, s.viewOf(c, clk))
	}
	return out, nil
}

// ComplaintFigures counts the complaints of the actor's subtree received in a period (yyyymmdd days): for
// supervision and the monthly report.
func (s *Service) ComplaintFigures(ctx context.Context, actor access.Actor, from, to int) (complaint.Figures, error) {
	if err := actor.Check(access.ComplaintRead, actor.OrgPath); err != nil {
		return complaint.Figures{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return complaint.Figures{}, err
	}
	all, err := s.complaintsIn(ctx, actor.OrgPath, from, to)
	if err != nil {
		return complaint.Figures{}, err
	}
	return complaint.Tally(all, clk.Cal, clk.Rules.Location, s.today(clk)), nil
}

// complaintsIn reads every complaint a subtree answers or received in a period, a page at a time.
func (s *Service) complaintsIn(ctx context.Context, path string, from, to int) ([]complaint.Complaint, error) {
	var all []complaint.Complaint
	q := store.ComplaintQuery{Path: path, From: from, To: to, Limit: 100}
	for {
		page, err := s.DB.SearchComplaints(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, page.List...)
		if page.Next == "" {
			return all, nil
		}
		q.After = page.Next
	}
}

// ComplaintLine is one responsible body's complaint figures of a period.
type ComplaintLine struct {
	Body    string `json:"body"` // the responsible organisation's id
	Name    Label  `json:"name"`
	Figures complaint.Figures
}

// ComplaintLines counts the complaints of the actor's subtree received in a period by the body that answers
// them (谁办理、谁负责), by name, with the total over all: the supervision export's complaint sheet, whose total
// is the page's figures.
func (s *Service) ComplaintLines(ctx context.Context, actor access.Actor, from, to int) ([]ComplaintLine, complaint.Figures, error) {
	if err := actor.Check(access.ComplaintRead, actor.OrgPath); err != nil {
		return nil, complaint.Figures{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, complaint.Figures{}, err
	}
	all, err := s.complaintsIn(ctx, actor.OrgPath, from, to)
	if err != nil {
		return nil, complaint.Figures{}, err
	}
	today := s.today(clk)
	by := map[string][]complaint.Complaint{}
	var out []ComplaintLine
	for _, c := range all {
		if by[c.Responsible] == nil {
			out = append(out, ComplaintLine{Body: c.Responsible, Name: Label{c.ResponsibleName, c.ResponsibleMn}})
		}
		by[c.Responsible] = append(by[c.Responsible], c)
	}
	for i := range out {
		out[i].Figures = complaint.Tally(by[out[i].Body], clk.Cal, clk.Rules.Location, today)
	}
	slices.SortFunc(out, func(a, b ComplaintLine) int {
		if d := b.Figures.Received - a.Figures.Received; d != 0 {
			return d
		}
		return strings.Compare(a.Name.Zh, b.Name.Zh)
	})
	return out, complaint.Tally(all, clk.Cal, clk.Rules.Location, today), nil
}

// ExportComplaints gives the complaints of the actor's subtree received in a period as GB/T 39046-2020 6.7 rows.
func (s *Service) ExportComplaints(ctx context.Context, actor access.Actor, from, to int) ([]complaint.Row, error) {
	if err := actor.Check(access.ComplaintRead, actor.OrgPath); err != nil {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	var rows []complaint.Row
	q := store.ComplaintQuery{Path: actor.OrgPath, From: from, To: to, Limit: 100}
	for {
		page, err := s.DB.SearchComplaints(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, c := range page.List {
			rows = append(rows, complaint.RowOf(c, clk.Cal, clk.Rules.Location, s.today(clk)))
		}
		if page.Next == "" || len(rows) >= 100000 {
			break
		}
		q.After = page.Next
	}
	return rows, nil
}

// MonthRange is a month's first and last days as yyyymmdd, for figures and exports ("2026-03"; "" this month).
func (s *Service) MonthRange(ctx context.Context, month string) (int, int, error) {
	clk, err := s.Clock(ctx)
	if err != nil {
		return 0, 0, err
	}
	t, err := time.ParseInLocation("2006-01", month, clk.Rules.Location)
	if month == "" {
		today := s.today(clk)
		t, err = time.Date(today.Y, today.M, 1, 0, 0, 0, 0, clk.Rules.Location), nil
	}
	if err != nil {
		return 0, 0, errs.Field("month", "err.joint.month")
	}
	first := clock.DateOf(t)
	last := clock.DateOf(t.AddDate(0, 1, -1))
	return first.Int(), last.Int(), nil
}
