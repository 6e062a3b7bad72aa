package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/rating"
	"bianmin/internal/store"
)

// 好差评 (issue 10, item 6; internal/rating). Three rules shape this file:
//   - The rater rates, nobody else (GB/T 39734-2020 4.1 自愿真实; 国办发〔2019〕51号 不得强迫或者干扰): at the window
//     a rating is taken only from a paired evaluator tablet's token, never from a staff session; online only
//     from the resident's own session or a signed link. The one exception is the paper form (书面评价表), typed
//     in by staff and marked with who typed it.
//   - The rater is protected (国办发〔2019〕51号: 评价人信息保护): who rated is stored apart and read only by the
//     messages Bianmin sends itself (核实, 回访); no page or API shows it to staff.
//   - A rating is never edited or deleted (the database refuses both); an upheld appeal only excludes it.

const (
	// PromptTTL is how long a tablet shows what was served before it resets itself to its idle screen.
	PromptTTL = 5 * time.Minute
	// PairCodeTTL is how long a pairing code may be typed on a tablet.
	PairCodeTTL = 10 * time.Minute
	// RateLinkTTL is how long a link to rate online stays valid (GB/T 39734-2020 7.2 sets 评价时效; its number was
	// not in the excerpts we hold, FACTS.md §2.2: a month, then the case stands unrated).
	RateLinkTTL = 30 * 24 * time.Hour
)

// rectifyDays is the rectification deadline in working days (Config.RectifyDays, default rating.DefaultDays).
func (s *Service) rectifyDays() int {
	if s.cfg.RectifyDays > 0 {
		return s.cfg.RectifyDays
	}
	return rating.DefaultDays
}

// --- signed links

// sign makes a link token: what it is for, about which id, until when, with an HMAC under the code key (kept
// outside the database), so that a link cannot be made for another case or made to last longer.
func (s *Service) sign(kind, id string, until time.Time) string {
	body := kind + "|" + id + "|" + strconv.FormatInt(until.Unix(), 10)
	m := hmac.New(sha256.New, s.cfg.CodeKey)
	m.Write([]byte("rating-link\x00" + body))
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// opened checks a link token for a kind and returns its id.
func (s *Service) opened(kind, token string) (string, error) {
	bad := errs.New(errs.NotFound, "err.rating.link")
	b64, mac, ok := strings.Cut(token, ".")
	body, err := base64.RawURLEncoding.DecodeString(b64)
	if !ok || err != nil || len(token) > 300 {
		return "", bad
	}
	parts := strings.Split(string(body), "|")
	if len(parts) != 3 || parts[0] != kind {
		return "", bad
	}
	until, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", bad
	}
	want := s.sign(kind, parts[1], time.Unix(until, 0))
	if !hmac.Equal([]byte(want), []byte(b64+"."+mac)) {
		return "", bad
	}
	if s.DB.Now().After(time.Unix(until, 0)) {
		return "", errs.New(errs.Conflict, "err.rating.link_expired")
	}
	return parts[1], nil
}

// RateLink is the link token to rate a case online (the tracking page, the SMS at delivery).
func (s *Service) RateLink(caseID string) string {
	return s.sign("case", caseID, s.DB.Now().Add(RateLinkTTL))
}

// RateQR is the link to rate a case by the QR code printed on a notice that ends it (二维码, GB/T 39046 表9):
// empty while the case may not be rated yet. A code printed today works for RateLinkTTL.
func (s *Service) RateQR(c cases.Case) string {
	if !Rateable(c) {
		return ""
	}
	return s.sign("qr", c.ID, s.DB.Now().Add(RateLinkTTL))
}

// Rateable reports whether a case may be rated online: once its outcome is known (一事一评 rates the whole
// matter: decided, issued, delivered, refused or ended).
func Rateable(c cases.Case) bool {
	switch c.State {
	case cases.Decided, cases.Issued, cases.Delivered, cases.Refused, cases.Terminated:
		return true
	}
	return false
}

// TrackRateLink is the rating link of a case the tracking page found ("" when it cannot be rated yet).
func (s *Service) TrackRateLink(ctx context.Context, no string) string {
	c, err := s.DB.CaseByNo(ctx, no)
	if err != nil || !Rateable(c) {
		return ""
	}
	return s.RateLink(c.ID)
}

// inviteRating queues, in the delivery's transaction, the SMS with the link to rate the case (一事一评 by 短信):
// Mongolian first, then Chinese, as every message.
func (s *Service) inviteRating(tx *store.Tx, c cases.Case, ev cases.Event, phone string, from org.Org) error {
	if ev.Action != cases.Deliver || phone == "" {
		return nil
	}
	link := strings.TrimSuffix(s.PublicURL, "/") + "/rate/" + s.sign("sms", c.ID, tx.Now().Add(RateLinkTTL))
	return tx.Enqueue(say("msg.rate", "no", c.No, "link", link).signed(from).message(c.ID, phone, bilingual, "rate"))
}

// --- what a rating is of

// subjectOf fills in what a rating says of its subject: where, who served, which item; and who can be
// reached (the rater, kept apart). The actor is the clerk who served, for a ticket.
func (s *Service) subjectOf(ctx context.Context, subj rating.Subject, served access.Actor) (rating.Rating, rating.Rater, string, error) {
	r := rating.Rating{Subject: subj, Times: 1}
	var who rating.Rater
	dept := ""
	switch subj.Kind() {
	case "case":
		c, err := s.DB.Case(ctx, subj.CaseID)
		if err != nil {
			return r, who, "", errs.Field("case_id", "err.not_found").With("what", "case")
		}
		c = s.withItemMn(ctx, c)
		r.CaseNo, r.Township, r.Window, r.Staff, r.Item, r.ItemName, r.ItemNameMn, r.Served = c.No, c.Handling, c.Receiving, c.ReceivedBy, c.ItemID, c.ItemName, c.ItemNameMn, string(c.Channel)
		if r.Staff != "" {
			if p, err := s.DB.Staff(ctx, r.Staff); err == nil {
				r.StaffName = p.Name
			}
		}
		if row, err := s.DB.Item(ctx, c.ItemID); err == nil {
			dept = row.DepartmentID
		}
		if a, err := s.DB.Applicant(ctx, c.ApplicantID); err == nil {
			who = rating.Rater{Name: a.Name, Phone: a.Phone}
		}
	case "enquiry":
		e, err := s.DB.Enquiry(ctx, subj.EnquiryID)
		if err != nil {
			return r, who, "", errs.Field("enquiry_id", "err.not_found").With("what", "enquiry")
		}
		r.Township, r.Window, r.Staff, r.StaffName, r.Item, r.ItemName, r.ItemNameMn, r.Served = e.Township, e.Org, e.Owner, e.OwnerName, e.ItemID, e.ItemName, e.ItemNameMn, string(cases.AtWindow)
		who = rating.Rater{Name: e.AskerName, Phone: e.AskerPhone}
		if e.ItemID != "" {
			if row, err := s.DB.Item(ctx, e.ItemID); err == nil {
				dept = row.DepartmentID
			}
		}
	default: // a hall ticket: the visit is known by where and by whom it was served
		if len(subj.TicketID) > 64 {
			return r, who, "", errs.Field("ticket_id", "err.too_long").With("max", "64")
		}
		at, err := s.DB.Org(ctx, served.OrgID)
		if err != nil {
			return r, who, "", err
		}
		t := s.orgTownship(ctx, at)
		r.Township, r.Window, r.Staff, r.StaffName, r.Served = t.ID, at.ID, served.ID, served.Name, string(cases.AtWindow)
	}
	t, err := s.DB.Org(ctx, r.Township)
	if err != nil {
		return r, who, "", err
	}
	r.Division = t.Code
	return r, who, dept, nil
}

// subjectInScope checks that the actor's subtree served the subject (act on its township or window).
func (s *Service) subjectInScope(ctx context.Context, actor access.Actor, r rating.Rating, act access.Action) error {
	for _, id := range []string{r.Window, r.Township} {
		if id == "" {
			continue
		}
		if o, err := s.DB.Org(ctx, id); err == nil && actor.Can(act, o.Path) {
			return nil
		}
	}
	return errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
}

// RateInput is the rater's answer.
type RateInput struct {
	Level      rating.Level            `json:"level"`
	Indicators map[string]rating.Level `json:"indicators,omitempty"`
	Text       string                  `json:"text,omitempty"`
}

// record stores a rating and, for a 差评, opens its rectification, in one transaction.
func (s *Service) record(ctx context.Context, actor access.Actor, r rating.Rating, who rating.Rater, dept string, in RateInput, during func(tx *store.Tx, r rating.Rating) error) (rating.Rating, error) {
	r.ID, r.Level, r.Indicators, r.Text, r.Times = ids.New(), in.Level, in.Indicators, strings.TrimSpace(in.Text), 1
	r.Named = !who.Empty()
	if err := r.Validate(); err != nil {
		return r, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return r, err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		r.RatedAt = tx.Now()
		if during != nil {
			if err := during(tx, r); err != nil {
				return err
			}
		}
		if err := tx.CreateRating(actor, r, who, clock.DateOf(r.RatedAt.In(clk.Rules.Location)), dept); err != nil {
			return err
		}
		if err := s.pushRating(ctx, tx, r); err != nil { // to the region's unified 好差评 system (upstream.go)
			return err
		}
		if !r.Level.Bad() {
			return nil
		}
		x := rating.OpenFor(r, clk, s.rectifyDays())
		x.ID = ids.New()
		return tx.CreateRectification(actor, x)
	})
	return r, err
}

// --- the evaluator tablet (一次一评 at the window)

// Pairing is a started pairing: the code to type on the tablet, shown once to the member of staff.
type Pairing struct {
	DeviceID string    `json:"device_id"`
	Code     string    `json:"code"`
	Until    time.Time `json:"until"`
}

func tokenHash(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// StartPairing makes a one-time code that pairs a tablet to the actor's window: the tablet facing the
// applicant at the desk where the actor serves.
func (s *Service) StartPairing(ctx context.Context, actor access.Actor, name string) (Pairing, error) {
	if actor.System || actor.Check(access.RatingEnter, actor.OrgPath) != nil {
		return Pairing{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.RatingEnter))
	}
	if err := textLimits(limit("name", name, 50)); err != nil {
		return Pairing{}, err
	}
	if strings.TrimSpace(name) == "" {
		name = actor.Name
	}
	code := strings.ToUpper(ids.Token(4)) // 8 hex characters, typed once within minutes
	p := Pairing{DeviceID: ids.New(), Code: code, Until: s.DB.Now().Add(PairCodeTTL)}
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.CreateDevice(actor, store.Device{ID: p.DeviceID, OrgID: actor.OrgID, StaffID: actor.ID, Name: name}, tokenHash(code), p.Until)
	})
	return p, err
}

// CompletePairing is typed on the tablet: the code becomes the tablet's token (returned once; only its hash
// is kept). A browser signed in as staff cannot be a tablet: the web layer refuses it before this.
func (s *Service) CompletePairing(ctx context.Context, code, client string) (string, store.Device, error) {
	if !s.limiter.allow("pair:"+client, s.DB.Now()) {
		return "", store.Device{}, errs.New(errs.Locked, "err.track.throttled")
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 8 {
		return "", store.Device{}, errs.Field("code", "err.rating.pair_code")
	}
	token := "d_" + ids.Token(24)
	var d store.Device
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		d, err = tx.PairDevice(tokenHash(code), tokenHash(token))
		return err
	})
	return token, d, err
}

// Device finds the tablet holding a token.
func (s *Service) Device(ctx context.Context, token string) (store.Device, error) {
	if token == "" || len(token) > 100 {
		return store.Device{}, errs.New(errs.Forbidden, "err.rating.device")
	}
	return s.DB.DeviceByToken(ctx, tokenHash(token))
}

// MyDevices lists the tablets the actor paired.
func (s *Service) MyDevices(ctx context.Context, actor access.Actor) ([]store.Device, error) {
	if actor.System || !actor.Role.Has(access.RatingEnter) {
		return nil, nil
	}
	return s.DB.DevicesOf(ctx, actor.ID)
}

// PromptRating asks the actor's tablet to take the rating of what they just served: a case, an enquiry or a
// hall ticket. It shows what was served (item, number) and nothing about the person.
func (s *Service) PromptRating(ctx context.Context, actor access.Actor, deviceID string, subj rating.Subject) (store.Prompt, error) {
	forbidden := errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.RatingEnter))
	if actor.System || !actor.Role.Has(access.RatingEnter) {
		return store.Prompt{}, forbidden
	}
	devs, err := s.DB.DevicesOf(ctx, actor.ID)
	if err != nil {
		return store.Prompt{}, err
	}
	found := false
	for _, d := range devs {
		found = found || d.ID == deviceID
	}
	if !found {
		return store.Prompt{}, errs.Field("device", "err.rating.device")
	}
	r, _, _, err := s.subjectOf(ctx, subj, actor)
	if err != nil {
		return store.Prompt{}, err
	}
	if subj.Kind() != "ticket" {
		if err := s.subjectInScope(ctx, actor, r, access.RatingEnter); err != nil {
			return store.Prompt{}, err
		}
	}
	p := store.Prompt{ID: ids.New(), DeviceID: deviceID, Rating: r, Expires: s.DB.Now().Add(PromptTTL)}
	return p, s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreatePrompt(actor, p, actor.ID) })
}

// WaitingPrompt is what the tablet shows now: the prompt waiting on it, or nil (its idle screen).
func (s *Service) WaitingPrompt(ctx context.Context, token string) (store.Device, *store.Prompt, error) {
	d, err := s.Device(ctx, token)
	if err != nil {
		return d, nil, err
	}
	p, err := s.DB.CurrentPrompt(ctx, d.ID)
	return d, p, err
}

// RateOnDevice takes the applicant's rating from the tablet holding token, for the prompt on it: once, before
// the prompt expires. Nothing else takes a rating on channel 平板.
func (s *Service) RateOnDevice(ctx context.Context, token, promptID string, in RateInput) (rating.Rating, error) {
	d, err := s.Device(ctx, token)
	if err != nil {
		return rating.Rating{}, err
	}
	var p store.Prompt
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		p, err = tx.Prompt(promptID, d.ID)
		return err
	})
	if err != nil {
		return rating.Rating{}, err
	}
	r, who, dept, err := s.subjectOf(ctx, p.Rating.Subject, access.Actor{ID: p.Rating.Staff, Name: p.Rating.StaffName, OrgID: p.Rating.Window})
	if err != nil {
		return rating.Rating{}, err
	}
	r.Channel = rating.Pad
	return s.record(ctx, store.RaterActor(rating.Pad), r, who, dept, in, func(tx *store.Tx, r rating.Rating) error {
		ok, err := tx.UsePrompt(p.ID, d.ID, r.ID)
		if err == nil && !ok {
			err = errs.New(errs.Conflict, "err.rating.prompt_used")
		}
		return err
	})
}

// --- 一事一评 online

// RateView is what a rating page shows of the case: its number and item, never the person.
type RateView struct {
	CaseID     string
	No         string
	ItemName   string
	ItemNameMn string
	State      cases.State
	Rated      bool // already rated on this channel
}

func (s *Service) rateView(ctx context.Context, caseID string, ch rating.Channel) (RateView, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return RateView{}, err
	}
	c = s.withItemMn(ctx, c)
	v := RateView{CaseID: c.ID, No: c.No, ItemName: c.ItemName, ItemNameMn: c.ItemNameMn, State: c.State}
	rs, err := s.DB.RatingsOfCase(ctx, c.ID)
	for _, r := range rs {
		v.Rated = v.Rated || r.Channel == ch
	}
	return v, err
}

// linkChannel is the channel a link was sent by: "sms" links are 短信, "qr" links (printed on the notices
// that end a case) 二维码; the tracking page's are PC or mobile, as the device says.
func linkChannel(kind string, mobile bool) rating.Channel {
	switch {
	case kind == "sms":
		return rating.SMS
	case kind == "qr":
		return rating.QR
	case mobile:
		return rating.Mobile
	}
	return rating.PC
}

// OpenRateLink reads a rating link: the case it rates, on which channel.
func (s *Service) OpenRateLink(ctx context.Context, token string, mobile bool) (RateView, rating.Channel, error) {
	for _, kind := range []string{"sms", "qr", "case"} {
		if id, err := s.opened(kind, token); err == nil {
			ch := linkChannel(kind, mobile)
			v, err := s.rateView(ctx, id, ch)
			return v, ch, err
		} else if errs.CodeOf(err) == errs.Conflict {
			return RateView{}, "", err
		}
	}
	return RateView{}, "", errs.New(errs.NotFound, "err.rating.link")
}

// RateByLink takes a rating through a signed link (the tracking page's or the SMS's).
func (s *Service) RateByLink(ctx context.Context, token string, mobile bool, in RateInput) (rating.Rating, error) {
	v, ch, err := s.OpenRateLink(ctx, token, mobile)
	if err != nil {
		return rating.Rating{}, err
	}
	return s.rateCase(ctx, v.CaseID, ch, rating.Rater{}, in)
}

// RateAsResident takes a rating from the resident's own account, of one of their own cases.
func (s *Service) RateAsResident(ctx context.Context, acct people.ResidentAccount, caseID string, mobile bool, in RateInput) (rating.Rating, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil || c.ApplicantID != acct.ApplicantID {
		return rating.Rating{}, errs.New(errs.NotFound, "err.not_found").With("what", "case")
	}
	return s.rateCase(ctx, c.ID, linkChannel("", mobile), rating.Rater{Name: acct.Name, Account: acct.ID}, in)
}

// ResidentRateView is the rating page of a resident's own case.
func (s *Service) ResidentRateView(ctx context.Context, acct people.ResidentAccount, caseID string, mobile bool) (RateView, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil || c.ApplicantID != acct.ApplicantID {
		return RateView{}, errs.New(errs.NotFound, "err.not_found").With("what", "case")
	}
	return s.rateView(ctx, c.ID, linkChannel("", mobile))
}

func (s *Service) rateCase(ctx context.Context, caseID string, ch rating.Channel, extra rating.Rater, in RateInput) (rating.Rating, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return rating.Rating{}, err
	}
	if !Rateable(c) {
		return rating.Rating{}, errs.New(errs.Conflict, "err.rating.not_yet")
	}
	r, who, dept, err := s.subjectOf(ctx, rating.Subject{CaseID: c.ID}, access.Actor{})
	if err != nil {
		return rating.Rating{}, err
	}
	if extra.Account != "" {
		who.Account = extra.Account
	}
	r.Channel = ch
	return s.record(ctx, store.RaterActor(ch), r, who, dept, in, nil)
}

// --- 书面评价表, typed in by staff

// EnterPaperRating types in a paper rating form the applicant filled in: channel 书面, marked with who typed it.
// key makes it idempotent.
func (s *Service) EnterPaperRating(ctx context.Context, actor access.Actor, subj rating.Subject, in RateInput, key string) (rating.Rating, error) {
	return s.EnterStaffRating(ctx, actor, rating.Paper, subj, in, key)
}

// EnterStaffRating records a rating staff type in for the rater on a channel that allows it (rating.ByStaff:
// 书面, or 电话 as the rater says it on a call), marked with who typed it. key makes it idempotent.
func (s *Service) EnterStaffRating(ctx context.Context, actor access.Actor, ch rating.Channel, subj rating.Subject, in RateInput, key string) (rating.Rating, error) {
	if actor.System || !actor.Role.Has(access.RatingEnter) {
		return rating.Rating{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.RatingEnter))
	}
	if !ch.ByStaff() {
		return rating.Rating{}, errs.Field("channel", "err.find.choice")
	}
	r, who, dept, err := s.subjectOf(ctx, subj, actor)
	if err != nil {
		return r, err
	}
	if err := s.subjectInScope(ctx, actor, r, access.RatingEnter); err != nil {
		return r, err
	}
	r.Channel, r.EnteredBy = ch, actor.ID
	var replayed string
	rt, err := s.record(ctx, actor, r, who, dept, in, func(tx *store.Tx, r rating.Rating) error {
		id, replay, err := tx.IdempotentFor(key, "rating", actor.ID, fingerprint(subj, string(ch), in), func() (string, error) { return r.ID, nil })
		if err == nil && replay {
			replayed = id
			return errReplayed
		}
		return err
	})
	if errors.Is(err, errReplayed) { // the same form submitted again: the rating it made
		return s.DB.Rating(ctx, replayed)
	}
	return rt, err
}

// errReplayed rolls back a submission already made once.
var errReplayed = errors.New("replayed submission")

// --- reading ratings (never the rater)

// RatingDetail is a rating as staff see it: what was said and of what, its rectification and its appeal.
type RatingDetail struct {
	Rating        rating.Rating
	Rectification *rating.Rectification
	Appeal        *rating.Appeal
	Card          clock.Card
}

func (s *Service) ratingFor(ctx context.Context, actor access.Actor, id string, act access.Action) (rating.Rating, org.Org, error) {
	r, err := s.DB.Rating(ctx, id)
	if err != nil {
		return r, org.Org{}, err
	}
	t, err := s.DB.Org(ctx, r.Township)
	if err != nil {
		return r, t, err
	}
	if err := s.subjectInScope(ctx, actor, r, act); err != nil {
		return r, t, err
	}
	return r, t, nil
}

// Rating reads a rating with its rectification and appeal.
func (s *Service) Rating(ctx context.Context, actor access.Actor, id string) (RatingDetail, error) {
	r, _, err := s.ratingFor(ctx, actor, id, access.RatingRead)
	if err != nil {
		return RatingDetail{}, err
	}
	d := RatingDetail{Rating: r}
	if x, err := s.DB.RectificationOf(ctx, r.ID); err == nil {
		d.Rectification = &x
		if clk, err := s.Clock(ctx); err == nil {
			d.Card = x.Card(s.today(clk))
		}
	}
	d.Appeal, err = s.DB.AppealOf(ctx, r.ID)
	return d, err
}

// Rater is refused to every member of staff: who rated is for Bianmin's own messages only (国办发〔2019〕51号).
// It exists so that the refusal is stated, and tested, in one place.
func (s *Service) Rater(ctx context.Context, actor access.Actor, ratingID string) (rating.Rater, error) {
	if !actor.System {
		return rating.Rater{}, errs.New(errs.Forbidden, "err.rating.rater")
	}
	return s.DB.RaterOf(ctx, ratingID)
}

// RatingFind asks for a page of ratings.
type RatingFind struct {
	Bad     bool   `json:"bad,omitempty"`
	Channel string `json:"channel,omitempty"`
	Cursor  string `json:"cursor,omitempty"`
	Limit   int    `json:"limit,omitempty"`
}

// FindRatings lists the ratings of the actor's subtree, newest first.
func (s *Service) FindRatings(ctx context.Context, actor access.Actor, f RatingFind) (store.RatingPage, error) {
	if err := actor.Check(access.RatingRead, actor.OrgPath); err != nil {
		return store.RatingPage{}, err
	}
	if f.Channel != "" && !rating.Channel(f.Channel).Valid() {
		return store.RatingPage{}, errs.Field("channel", "err.rating.channel")
	}
	if err := textLimits(limit("cursor", f.Cursor, 200)); err != nil {
		return store.RatingPage{}, err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	return s.DB.SearchRatings(ctx, store.RatingQuery{Path: actor.OrgPath, Bad: f.Bad, Channel: f.Channel, After: f.Cursor, Limit: f.Limit})
}

// OpenRectifications lists the actor's subtree's rectifications not closed, with their cards.
func (s *Service) OpenRectifications(ctx context.Context, actor access.Actor) ([]RatingDetail, error) {
	if err := actor.Check(access.RatingRead, actor.OrgPath); err != nil {
		return nil, err
	}
	list, err := s.DB.OpenRectifications(ctx, actor.OrgPath, 200)
	if err != nil {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today(clk)
	out := make([]RatingDetail, 0, len(list))
	for _, x := range list {
		r, err := s.DB.Rating(ctx, x.RatingID)
		if err != nil {
			return nil, err
		}
		out = append(out, RatingDetail{Rating: r, Rectification: &x, Card: x.Card(today)})
	}
	return out, nil
}

// --- 差评整改

// Rectify makes a staff step of a rectification: 核实, 整改, 反馈, or closing one whose rater cannot be reached.
// contact (at 核实) sends the named rater a message that the township is checking, without showing staff
// who they are; 反馈 sends the named rater what was done and the link to rate it (回访).
func (s *Service) Rectify(ctx context.Context, actor access.Actor, id string, version int, m rating.Move, in rating.Input, contact bool) (rating.Rectification, error) {
	x, err := s.DB.Rectification(ctx, id)
	if err != nil {
		return x, err
	}
	r, t, err := s.ratingFor(ctx, actor, x.RatingID, access.RatingRectify)
	if err != nil {
		return x, err
	}
	if x.Version != version {
		return x, errs.New(errs.Conflict, "err.conflict")
	}
	if m == rating.Revisit {
		return x, errs.New(errs.Forbidden, "err.rating.revisit_rater") // the rater's own step
	}
	if m == rating.NoReach && r.Named {
		return x, errs.Field("move", "err.rating.named")
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return x, err
	}
	after, err := x.Apply(m, in, s.DB.Now(), actor.ID, actor.Name, s.today(clk))
	if err != nil {
		return x, err
	}
	who, err := s.DB.RaterOf(ctx, r.ID)
	if err != nil {
		return x, err
	}
	if m == rating.Verify && contact && who.Phone != "" {
		after.Contacted = true
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveRectification(actor, "rectification."+string(m), x, after); err != nil {
			return err
		}
		switch {
		case after.Contacted && m == rating.Verify:
			return s.tellRater(tx, r, who, t, "rate_verify", "no", r.CaseNo)
		case m == rating.Feedback && who.Phone != "":
			link := strings.TrimSuffix(s.PublicURL, "/") + "/revisit/" + s.sign("revisit", x.ID, tx.Now().Add(RateLinkTTL))
			return s.tellRater(tx, r, who, t, "rate_feedback", "link", link)
		}
		return nil
	})
	return after, err
}

// tellRater queues a message to the rater in both languages; staff never see where it goes.
func (s *Service) tellRater(tx *store.Tx, r rating.Rating, who rating.Rater, from org.Org, tpl string, args ...string) error {
	return tx.Enqueue(say("msg."+tpl, args...).signed(from).message(r.CaseID, who.Phone, bilingual, tpl))
}

// RevisitView is what the 回访 page shows: the rating's subject, what was done, and whether it was answered.
type RevisitView struct {
	Rectification rating.Rectification
	CaseNo        string
	ItemName      string
	ItemNameMn    string
}

// OpenRevisit reads a 回访 link.
func (s *Service) OpenRevisit(ctx context.Context, token string) (RevisitView, error) {
	id, err := s.opened("revisit", token)
	if err != nil {
		return RevisitView{}, err
	}
	x, err := s.DB.Rectification(ctx, id)
	if err != nil {
		return RevisitView{}, err
	}
	r, err := s.DB.Rating(ctx, x.RatingID)
	if err != nil {
		return RevisitView{}, err
	}
	x.Log = nil // the steps name staff; the rater reads what was done
	return RevisitView{Rectification: x, CaseNo: r.CaseNo, ItemName: r.ItemName, ItemNameMn: r.ItemNameMn}, nil
}

// Revisit takes the rater's rating of the rectification (回访) through the link sent with the feedback.
func (s *Service) Revisit(ctx context.Context, token string, v rating.Verdict, note string) (rating.Rectification, error) {
	id, err := s.opened("revisit", token)
	if err != nil {
		return rating.Rectification{}, err
	}
	x, err := s.DB.Rectification(ctx, id)
	if err != nil {
		return x, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return x, err
	}
	after, err := x.Apply(rating.Revisit, rating.Input{Verdict: v, Note: note}, s.DB.Now(), "rater", "", s.today(clk))
	if err != nil {
		return x, err
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.SaveRectification(store.RaterActor(rating.SMS), "rectification.revisit", x, after)
	})
}

// --- 申诉复核

// FileAppeal appeals a rating the actor's township believes mistaken or malicious, with reasons.
func (s *Service) FileAppeal(ctx context.Context, actor access.Actor, ratingID, why string) (rating.Appeal, error) {
	r, _, err := s.ratingFor(ctx, actor, ratingID, access.RatingAppeal)
	if err != nil {
		return rating.Appeal{}, err
	}
	if err := rating.CheckFiling(why); err != nil {
		return rating.Appeal{}, err
	}
	a := rating.Appeal{ID: ids.New(), RatingID: r.ID, Township: r.Township, Reason: why, FiledBy: actor.ID, FiledByName: actor.Name, Filed: s.DB.Now()}
	return a, s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreateAppeal(actor, a) })
}

// DecideAppeal is a supervisor's decision, with reasons; never by whoever filed it.
func (s *Service) DecideAppeal(ctx context.Context, actor access.Actor, appealID string, d rating.Decision, why string) (rating.Appeal, error) {
	a, err := s.DB.Appeal(ctx, appealID)
	if err != nil {
		return a, err
	}
	t, err := s.DB.Org(ctx, a.Township)
	if err != nil {
		return a, err
	}
	if err := actor.Check(access.RatingDecide, t.Path); err != nil {
		return a, err
	}
	if a.FiledBy == actor.ID {
		return a, errs.New(errs.Forbidden, "err.rating.own_appeal")
	}
	after, err := a.Decide(d, why, s.DB.Now(), actor.ID, actor.Name)
	if err != nil {
		return a, err
	}
	return after, s.DB.Write(ctx, func(tx *store.Tx) error { return tx.DecideAppeal(actor, a, after) })
}

// PendingAppeals lists the undecided appeals the actor may decide.
func (s *Service) PendingAppeals(ctx context.Context, actor access.Actor) ([]rating.Appeal, error) {
	if err := actor.Check(access.RatingRead, actor.OrgPath); err != nil {
		return nil, err
	}
	return s.DB.PendingAppeals(ctx, actor.OrgPath, 200)
}
