package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/hours"
	"bianmin/internal/org"
	"bianmin/internal/rating"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
)

// Delegated powers (issue 14; the seed 四.(一), 四.(二); rules in internal/delegation): a department delegates
// an item to townships with a hand-over checklist; intake hands a case's steps down when a delegation is in
// force on its day (handDown); pairs, help requests with their clock, the guidance period's comments,
// inspection rounds and the assessment.

func forbidden(action access.Action) error {
	return errs.New(errs.Forbidden, "err.forbidden").With("action", string(action))
}

// handDown gives a case just received the steps of the delegation in force for its handling township on
// the day it is received, and names it on the case (open cases finish as they began: a case's steps are
// its own from receipt on).
func handDown(tx *store.Tx, c *cases.Case, clk clock.Clock) error {
	dels, err := tx.DelegationsOfItem(c.ItemID)
	if err != nil || len(dels) == 0 {
		return err
	}
	day := clock.DateOf(c.Received.In(clk.Rules.Location))
	if d, ok := delegation.In(dels, c.ItemID, c.Handling, day); ok {
		c.Steps, c.Delegation = d.Steps(c.Steps), d.ID
		c.Standing = c.StandingOn(clk, c.Received)
	}
	return nil
}

func (s *Service) clockToday(ctx context.Context) (clock.Clock, clock.Date, error) {
	clk, err := s.Clock(ctx)
	if err != nil {
		return clk, clock.Date{}, err
	}
	return clk, clock.DateOf(s.DB.Now().In(clk.Rules.Location)), nil
}

func (s *Service) guidanceMonths() int {
	if s.cfg.GuidanceMonths > 0 {
		return s.cfg.GuidanceMonths
	}
	return delegation.DefaultGuidanceMonths
}

func (s *Service) helpClock() delegation.HelpClock {
	c := s.cfg.HelpClock
	if c.AnswerHours <= 0 {
		c.AnswerHours = delegation.DefaultHelpClock.AnswerHours
	}
	if c.ResolveDays <= 0 {
		c.ResolveDays = delegation.DefaultHelpClock.ResolveDays
	}
	return c
}

// CreateDelegation records a department's delegation of one of its items (an administrator's of any item,
// in the name of its department) to townships. key makes it idempotent.
func (s *Service) CreateDelegation(ctx context.Context, actor access.Actor, in delegation.Input, key string) (delegation.Delegation, error) {
	d, paths, err := s.prepareDelegation(ctx, actor, in)
	if err != nil {
		return delegation.Delegation{}, err
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "delegation", actor.ID, fingerprint(in.ItemID, in.Scope, in.DocNo, in.DocDate, in.Start, strings.Join(in.Townships, ",")), func() (string, error) {
			if err := tx.CreateDelegation(actor, &d, paths); err != nil {
				return "", err
			}
			return d.ID, nil
		})
		return err
	})
	if err != nil {
		return delegation.Delegation{}, err
	}
	return s.DB.Delegation(ctx, id)
}

// prepareDelegation checks a delegation as typed (or as a confirmed proposal asks for it) and the actor's
// permission on the item's department, and makes it with its townships' paths, ready to store: the one
// validation of a new delegation, whichever way it comes.
func (s *Service) prepareDelegation(ctx context.Context, actor access.Actor, in delegation.Input) (delegation.Delegation, map[string]string, error) {
	if !actor.Role.Has(access.DelegationManage) && !actor.System {
		return delegation.Delegation{}, nil, forbidden(access.DelegationManage)
	}
	if err := textLimits(limit("item_id", in.ItemID, cases.MaxWord), limit("deleg_scope", in.Scope, cases.MaxWord), limit("deleg_doc_date", in.DocDate, cases.MaxWord),
		limit("deleg_start", in.Start, cases.MaxWord)); err != nil {
		return delegation.Delegation{}, nil, err
	}
	_, today, err := s.clockToday(ctx)
	if err != nil {
		return delegation.Delegation{}, nil, err
	}
	scope, docDate, start, err := in.Check(today)
	var l errs.List
	for _, e := range errs.All(err) {
		l.Add(e)
	}
	d := delegation.Delegation{Scope: scope, DocNo: strings.TrimSpace(in.DocNo), DocDate: docDate, State: delegation.Active, Periods: []delegation.Period{{From: start}}}
	if in.ItemID != "" {
		row, err := s.DB.Item(ctx, in.ItemID)
		if err != nil {
			l.Add(errs.Field("item_id", "err.not_found").With("what", "item"))
		} else if row.Published == 0 {
			l.Add(s.unpublished(ctx, actor, row))
		} else {
			it, err := s.DB.ItemVersion(ctx, row.ID, row.Published)
			if err != nil {
				return d, nil, err
			}
			dept, err := s.DB.Org(ctx, row.DepartmentID)
			if err != nil {
				return d, nil, err
			}
			if !actor.Can(access.DelegationManage, dept.Path) {
				return d, nil, forbidden(access.DelegationManage)
			}
			d.ItemID, d.ItemName, d.ItemNameMn, d.DeptID, d.DeptPath = it.ID, it.NameZh, it.NameMn, dept.ID, dept.Path
		}
	}
	paths := map[string]string{}
	for _, id := range in.Townships {
		t, err := s.DB.Org(ctx, id)
		if err != nil || t.Kind != org.Township || paths[id] != "" {
			l.Add(errs.Field("deleg_townships", "err.not_found").With("what", "org"))
			continue
		}
		paths[id] = t.Path
		d.Townships = append(d.Townships, delegation.Township{OrgID: id})
	}
	if err := l.Err(); err != nil {
		return delegation.Delegation{}, nil, err
	}
	return d, paths, nil
}

// unpublished says why an item with no published version cannot be delegated: a draft (or one in review)
// must be published first, a retired one no longer exists for new cases; named, for someone who may delegate
// for its department (anyone else learns only that there is no such item). A delegation changes who decides
// the published item's cases (行政许可法 第38条; the seed 四.(一)): there are none of an unpublished one.
func (s *Service) unpublished(ctx context.Context, actor access.Actor, row store.ItemRow) *errs.Error {
	notFound := errs.Field("item_id", "err.not_found").With("what", "item")
	dept, err := s.DB.Org(ctx, row.DepartmentID)
	if err != nil || (!actor.System && !actor.Can(access.DelegationManage, dept.Path)) {
		return notFound
	}
	it, err := s.DB.ItemVersion(ctx, row.ID, row.Latest)
	if err != nil {
		return notFound
	}
	if it.Status == catalog.Retired {
		return errs.Field("item_id", "err.deleg4.item_retired").With("name", it.NameZh)
	}
	return errs.Field("item_id", "err.deleg4.item_unpublished").With("name", it.NameZh)
}

// Delegation reads one delegation for whoever reads either side of it.
func (s *Service) Delegation(ctx context.Context, actor access.Actor, id string) (delegation.Delegation, error) {
	d, err := s.DB.Delegation(ctx, id)
	if err != nil {
		return d, err
	}
	if actor.Can(access.DelegationRead, d.DeptPath) {
		return d, nil
	}
	for _, t := range d.Townships {
		if o, err := s.org(ctx, t.OrgID); err == nil && actor.Can(access.DelegationRead, o.Path) {
			return d, nil
		}
	}
	return delegation.Delegation{}, forbidden(access.DelegationRead)
}

// listPageSize is how many rows a page of the delegation's lists holds (as the desk's lists).
const listPageSize = 25

// ListPage is one page of a list read by key: the rows, and the cursor of the next page ("" on the last).
type ListPage[T any] struct {
	List []T    `json:"list"`
	Next string `json:"next,omitempty"`
}

// pageOf cuts a list read one row longer than a page into the page and the next page's cursor.
func pageOf[T any](list []T, err error, key func(T) string) (ListPage[T], error) {
	if err != nil {
		return ListPage[T]{}, err
	}
	p := ListPage[T]{List: list}
	if list == nil {
		p.List = []T{} // an empty page is an empty list, not null, on the wire
	}
	if len(list) > listPageSize {
		p.List = list[:listPageSize]
		p.Next = key(p.List[listPageSize-1])
	}
	return p, nil
}

// Delegations lists the delegations the actor reads matching text, a page at a time from after: those their
// department made, or those made to their township; a banner's supervisor or administrator reads all of the
// banner's.
func (s *Service) Delegations(ctx context.Context, actor access.Actor, text, after string) (ListPage[delegation.Delegation], error) {
	if !actor.Role.Has(access.DelegationRead) && !actor.System {
		return ListPage[delegation.Delegation]{}, forbidden(access.DelegationRead)
	}
	if err := textLimits(limit("q", text, 100), limit("cursor", after, cases.MaxWord)); err != nil {
		return ListPage[delegation.Delegation]{}, err
	}
	q := store.DelegationQuery{Text: strings.TrimSpace(text), After: after, Limit: listPageSize + 1, All: actor.System}
	if o, err := s.org(ctx, actor.OrgID); err == nil && o.Kind == org.Township {
		q.Town = actor.OrgPath
	} else {
		q.Dept = actor.OrgPath
	}
	list, err := s.DB.Delegations(ctx, q)
	return pageOf(list, err, func(d delegation.Delegation) string { return d.ID })
}

// editDelegation reads a delegation, checks the version the actor read, applies change and stores it with
// its audit entry, in one transaction.
func (s *Service) editDelegation(ctx context.Context, actor access.Actor, id string, version int, action string, orgID string, change func(*delegation.Delegation) error) (delegation.Delegation, error) {
	var out delegation.Delegation
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		before, err := s.DB.Delegation(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errs.New(errs.Conflict, "err.conflict")
		}
		after := before
		after.Townships = slices.Clone(before.Townships)
		after.Periods = slices.Clone(before.Periods)
		if err := change(&after); err != nil {
			return err
		}
		out, err = tx.SaveDelegation(actor, before, after, action, orgID)
		return err
	})
	return out, err
}

func (s *Service) mayManage(ctx context.Context, actor access.Actor, id string) (delegation.Delegation, error) {
	d, err := s.DB.Delegation(ctx, id)
	if err != nil {
		return d, err
	}
	if !actor.Can(access.DelegationManage, d.DeptPath) {
		return d, forbidden(access.DelegationManage)
	}
	return d, nil
}

// SetChecklist records the department's checklist for one township of a delegation.
func (s *Service) SetChecklist(ctx context.Context, actor access.Actor, id, township string, version int, c delegation.Checklist) (delegation.Delegation, error) {
	d, err := s.mayManage(ctx, actor, id)
	if err != nil {
		return d, err
	}
	return s.editDelegation(ctx, actor, id, version, "delegation.checklist", d.DeptID, func(d *delegation.Delegation) error { return d.SetChecklist(township, c) })
}

// ConfirmReady records the township director's confirmation that the township is ready (四.(一)).
func (s *Service) ConfirmReady(ctx context.Context, actor access.Actor, id, township string, version int) (delegation.Delegation, error) {
	t, err := s.org(ctx, township)
	if err != nil {
		return delegation.Delegation{}, err
	}
	if t.Kind != org.Township || !actor.Can(access.DelegationReady, t.Path) {
		return delegation.Delegation{}, forbidden(access.DelegationReady)
	}
	return s.editDelegation(ctx, actor, id, version, "delegation.ready", township, func(d *delegation.Delegation) error {
		return d.ConfirmReady(township, actor.ID, actor.Name, s.DB.Now())
	})
}

// HandOverDelegation records the face-to-face hand-over of one township (四.(一) 当面移交), once its checklist is done.
// The guide of the item at the township then says it was delegated, from the start date, on what basis.
func (s *Service) HandOverDelegation(ctx context.Context, actor access.Actor, id, township string, version int, handedBy, receivedBy string) (delegation.Delegation, error) {
	d, err := s.mayManage(ctx, actor, id)
	if err != nil {
		return d, err
	}
	_, today, err := s.clockToday(ctx)
	if err != nil {
		return d, err
	}
	var out delegation.Delegation
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		before, err := s.DB.Delegation(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errs.New(errs.Conflict, "err.conflict")
		}
		after := before
		after.Townships = slices.Clone(before.Townships)
		if err := after.HandOver(township, strings.TrimSpace(handedBy), strings.TrimSpace(receivedBy), actor.ID, tx.Now(), today); err != nil {
			return err
		}
		if out, err = tx.SaveDelegation(actor, before, after, "delegation.handover", d.DeptID); err != nil {
			return err
		}
		return tx.MarkDelegated(actor, after.ItemID, township, after.DeptID, after.Start(), after.DocNo)
	})
	return out, err
}

// StopDelegation pauses or revokes a delegation from a day on (cases received from then go back to the
// department; open ones finish as they began), with reasons.
func (s *Service) StopDelegation(ctx context.Context, actor access.Actor, id string, version int, state, day, reason string) (delegation.Delegation, error) {
	d, err := s.mayManage(ctx, actor, id)
	if err != nil {
		return d, err
	}
	_, today, err := s.clockToday(ctx)
	if err != nil {
		return d, err
	}
	on, e := clock.ParseDate(day)
	if e != nil {
		return d, errs.Field("deleg_day", "err.find.date")
	}
	return s.editDelegation(ctx, actor, id, version, "delegation."+state, d.DeptID, func(d *delegation.Delegation) error {
		return d.Stop(delegation.State(state), on, today, reason)
	})
}

// ResumeDelegation puts a paused delegation back in force from a day on.
func (s *Service) ResumeDelegation(ctx context.Context, actor access.Actor, id string, version int, day string) (delegation.Delegation, error) {
	d, err := s.mayManage(ctx, actor, id)
	if err != nil {
		return d, err
	}
	_, today, err := s.clockToday(ctx)
	if err != nil {
		return d, err
	}
	on, e := clock.ParseDate(day)
	if e != nil {
		return d, errs.Field("deleg_day", "err.find.date")
	}
	return s.editDelegation(ctx, actor, id, version, "delegation.resume", d.DeptID, func(d *delegation.Delegation) error { return d.Resume(on, today) })
}

// SetPair names a township handler's counterpart at the department for a delegated item (结对); a standing
// pair of the handler for the item is closed, so the history stays.
func (s *Service) SetPair(ctx context.Context, actor access.Actor, itemID, townshipStaff, deptStaff string) (delegation.Pair, error) {
	var p delegation.Pair
	if !actor.Role.Has(access.DelegationManage) && !actor.System {
		return p, forbidden(access.DelegationManage)
	}
	var l errs.List
	row, err := s.DB.Item(ctx, itemID)
	if err != nil {
		l.Add(errs.Field("item_id", "err.not_found").With("what", "item"))
	}
	hand, err := s.DB.Staff(ctx, townshipStaff)
	if err != nil {
		l.Add(errs.Field("pair_township_staff", "err.not_found").With("what", "staff"))
	}
	counter, err := s.DB.Staff(ctx, deptStaff)
	if err != nil {
		l.Add(errs.Field("pair_dept_staff", "err.not_found").With("what", "staff"))
	}
	if err := l.Err(); err != nil {
		return p, err
	}
	dept, err := s.org(ctx, row.DepartmentID)
	if err != nil {
		return p, err
	}
	if !actor.Can(access.DelegationManage, dept.Path) {
		return p, forbidden(access.DelegationManage)
	}
	if !org.InSubtree(dept.Path, counter.OrgPath) {
		l.Add(errs.Field("pair_dept_staff", "err.deleg.not_department"))
	}
	ho, err := s.org(ctx, hand.OrgID)
	if err != nil {
		return p, err
	}
	town, err := s.township(ctx, ho)
	if err != nil || !slices.Contains([]access.Role{access.Clerk, access.Reviewer, access.Director}, hand.Role) {
		l.Add(errs.Field("pair_township_staff", "err.deleg.not_handler"))
	}
	if err := l.Err(); err != nil {
		return p, err
	}
	it, err := s.DB.ItemVersion(ctx, row.ID, row.Published)
	if err != nil {
		return p, err
	}
	p = delegation.Pair{ItemID: itemID, ItemName: it.NameZh, DeptID: dept.ID, TownshipID: town.ID, TownshipStaff: hand.ID, TownshipName: hand.Name,
		DeptStaff: counter.ID, DeptName: counter.Name}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreatePair(actor, &p, dept.Path, town.Path) })
	return p, err
}

// Pairs lists the pairs the actor reads: their department's, or their township's; with the history when
// asked.
func (s *Service) Pairs(ctx context.Context, actor access.Actor, history bool) ([]delegation.Pair, error) {
	if !actor.Role.Has(access.DelegationRead) && !actor.System {
		return nil, forbidden(access.DelegationRead)
	}
	q := store.PairQuery{History: history}
	if o, err := s.org(ctx, actor.OrgID); err == nil && o.Kind == org.Township {
		q.Town = actor.OrgPath
	} else {
		q.Dept = actor.OrgPath
	}
	return s.DB.Pairs(ctx, q)
}

// HelpInput is a help request as typed.
type HelpInput struct {
	ItemID   string `json:"item_id"`
	CaseID   string `json:"case_id"`
	Subject  string `json:"subject"`
	Question string `json:"question"`
	Pool     bool   `json:"pool"` // ask the department's pool rather than the counterpart
}

// HelpView is a request with its card and escalation now, and what the viewer may do with it.
type HelpView struct {
	delegation.Help
	Card      clock.Card
	Escalated bool
	MayAnswer bool
	MayFollow bool
}

// AskHelp records a township handler's question to their counterpart for the item (or the department's
// pool), from a case, an item or freely, with its clock (四.(一) 求助响应). key makes it idempotent.
func (s *Service) AskHelp(ctx context.Context, actor access.Actor, in HelpInput, key string) (delegation.Help, error) {
	var h delegation.Help
	if !actor.Role.Has(access.HelpAsk) {
		return h, forbidden(access.HelpAsk)
	}
	if err := textLimits(limit("item_id", in.ItemID, cases.MaxWord), limit("case_id", in.CaseID, cases.MaxWord)); err != nil {
		return h, err
	}
	var l errs.List
	l.Add(delegation.Text("help_subject", in.Subject, delegation.MaxSubject))
	l.Add(delegation.Text("help_question", in.Question, delegation.MaxQuestion))
	me, err := s.org(ctx, actor.OrgID)
	if err != nil {
		return h, err
	}
	town, err := s.township(ctx, me)
	if err != nil {
		return h, forbidden(access.HelpAsk)
	}
	if !actor.Can(access.HelpAsk, town.Path) && !actor.Can(access.HelpAsk, me.Path) {
		return h, forbidden(access.HelpAsk)
	}
	if in.CaseID != "" {
		c, err := s.DB.Case(ctx, in.CaseID)
		if err != nil || c.Handling != town.ID {
			l.Add(errs.Field("case_id", "err.not_found").With("what", "case"))
		} else {
			h.CaseID, h.CaseNo, in.ItemID = c.ID, c.No, c.ItemID
		}
	}
	row, err := s.DB.Item(ctx, in.ItemID)
	if err != nil || row.Published == 0 {
		l.Add(errs.Field("item_id", "err.not_found").With("what", "item"))
	}
	if err := l.Err(); err != nil {
		return h, err
	}
	it, err := s.DB.ItemVersion(ctx, row.ID, row.Published)
	if err != nil {
		return h, err
	}
	dept, err := s.org(ctx, row.DepartmentID)
	if err != nil {
		return h, err
	}
	h.ItemID, h.ItemName, h.TownshipID, h.TownshipPath, h.DeptID, h.DeptPath = it.ID, it.NameZh, town.ID, town.Path, dept.ID, dept.Path
	h.Subject, h.Question = strings.TrimSpace(in.Subject), in.Question
	if !in.Pool {
		pairs, err := s.DB.Pairs(ctx, store.PairQuery{Item: it.ID, Staff: actor.ID})
		if err != nil {
			return h, err
		}
		for _, p := range pairs {
			if p.TownshipStaff == actor.ID {
				h.CounterpartID, h.CounterpartName = p.DeptStaff, p.DeptName
			}
		}
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return h, err
	}
	hrs, _, err := s.DB.Hours(ctx, dept.ID)
	if err != nil {
		return h, err
	}
	now := s.DB.Now()
	h.Day = clock.DateOf(now.In(clk.Rules.Location))
	h.AnswerDue, h.ResolveDue = s.helpClock().Dues(hrs, clk.Cal, clk.Rules.Location, now)
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "help", actor.ID, fingerprint(in.ItemID, in.CaseID, in.Subject, in.Question), func() (string, error) {
			if err := tx.CreateHelp(actor, &h); err != nil {
				return "", err
			}
			return h.ID, nil
		})
		return err
	})
	if err != nil {
		return h, err
	}
	return s.DB.Help(ctx, id)
}

// helpSides says whether the actor answers a request (the department's side: its staff, or its head) and
// whether they follow it up (the asking township's side).
func (s *Service) helpSides(actor access.Actor, h delegation.Help) (answer, follow bool) {
	return actor.Can(access.HelpAnswer, h.DeptPath), actor.Can(access.HelpAsk, h.TownshipPath)
}

func (s *Service) helpView(actor access.Actor, h delegation.Help, now time.Time) HelpView {
	a, f := s.helpSides(actor, h)
	return HelpView{Help: h, Card: h.Card(now), Escalated: h.Escalated(now), MayAnswer: a, MayFollow: f}
}

// HelpRequest reads one request for either side (and the banner's supervisors).
func (s *Service) HelpRequest(ctx context.Context, actor access.Actor, id string) (HelpView, error) {
	h, err := s.DB.Help(ctx, id)
	if err != nil {
		return HelpView{}, err
	}
	if !actor.Can(access.HelpRead, h.DeptPath) && !actor.Can(access.HelpRead, h.TownshipPath) {
		return HelpView{}, forbidden(access.HelpRead)
	}
	return s.helpView(actor, h, s.DB.Now()), nil
}

// HelpList lists the requests of the actor's side matching text, newest first, a page at a time from after:
// a department's addressed to it, a township's asked by it; on a department head's page the escalated ones
// come first.
func (s *Service) HelpList(ctx context.Context, actor access.Actor, text, after string) (ListPage[HelpView], error) {
	var none ListPage[HelpView]
	if !actor.Role.Has(access.HelpRead) && !actor.System {
		return none, forbidden(access.HelpRead)
	}
	if err := textLimits(limit("q", text, 100), limit("cursor", after, cases.MaxWord)); err != nil {
		return none, err
	}
	q := store.HelpQuery{Text: strings.TrimSpace(text), After: after, Limit: listPageSize + 1, All: actor.System}
	if o, err := s.org(ctx, actor.OrgID); err == nil && o.Kind == org.Department {
		q.Dept = actor.OrgPath
	} else if err == nil && (o.Kind == org.Banner || o.Kind == org.City || o.Kind == org.Region) {
		q.Dept = actor.OrgPath
	} else {
		q.Town = actor.OrgPath
	}
	list, err := s.DB.Helps(ctx, q)
	page, err := pageOf(list, err, func(h delegation.Help) string { return h.ID })
	if err != nil {
		return none, err
	}
	now := s.DB.Now()
	out := ListPage[HelpView]{List: make([]HelpView, len(page.List)), Next: page.Next}
	for i, h := range page.List {
		out.List[i] = s.helpView(actor, h, now)
	}
	if actor.Role == access.Director {
		slices.SortStableFunc(out.List, func(a, b HelpView) int {
			switch {
			case a.Escalated && !b.Escalated:
				return -1
			case b.Escalated && !a.Escalated:
				return 1
			}
			return 0
		})
	}
	return out, nil
}

// HelpMove is a move on a request: a post (an answer from the department, a follow-up from the township),
// resolution by the asker, or marking an answer for the item's FAQ.
type HelpMove struct {
	Version int    `json:"version"`
	Body    string `json:"body"`
	Resolve bool   `json:"resolve"`
	FAQ     int    `json:"faq"` // 1-based index of the post to promote; 0 none
}

// MoveHelp makes a move on a request, with the version the actor read.
func (s *Service) MoveHelp(ctx context.Context, actor access.Actor, id string, m HelpMove) (delegation.Help, error) {
	before, err := s.DB.Help(ctx, id)
	if err != nil {
		return before, err
	}
	answer, follow := s.helpSides(actor, before)
	if !answer && !follow {
		return before, forbidden(access.HelpAnswer)
	}
	if before.Version != m.Version {
		return before, errs.New(errs.Conflict, "err.conflict")
	}
	after := before
	after.Posts = slices.Clone(before.Posts)
	now := s.DB.Now()
	action := "help.post"
	switch {
	case m.FAQ > 0:
		if !answer || m.FAQ > len(after.Posts) || !after.Posts[m.FAQ-1].Answer {
			return before, errs.Field("help_faq", "err.deleg.faq")
		}
		after.Posts[m.FAQ-1].FAQ, action = true, "help.faq"
	case m.Resolve:
		if !follow || before.Resolved() {
			return before, errs.New(errs.Conflict, "err.deleg.resolved")
		}
		after.ResolvedAt, action = now, "help.resolve"
	default:
		if before.Resolved() {
			return before, errs.New(errs.Conflict, "err.deleg.resolved")
		}
		if e := delegation.Text("help_body", m.Body, delegation.MaxPost); e != nil {
			return before, e
		}
		after.Posts = append(after.Posts, delegation.Post{By: actor.ID, Name: actor.Name, Body: m.Body, At: now, Answer: answer})
		if answer && !after.Answered() {
			after.FirstAnswerAt = now
		}
	}
	var out delegation.Help
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.SaveHelp(actor, before, after, action)
		return err
	})
	return out, err
}

// FAQ is an answer promoted to an item's internal FAQ.
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	HelpID   string `json:"help_id"`
}

// ItemFAQ lists the answers promoted to an item's internal FAQ, seen by every handler of the item.
func (s *Service) ItemFAQ(ctx context.Context, actor access.Actor, itemID string) ([]FAQ, error) {
	if !actor.Role.Has(access.HelpRead) && !actor.System {
		return nil, forbidden(access.HelpRead)
	}
	list, err := s.DB.Helps(ctx, store.HelpQuery{All: true, Item: itemID, FAQ: true, Limit: 1000})
	var out []FAQ
	for _, h := range list {
		for _, p := range h.Posts {
			if p.FAQ {
				out = append(out, FAQ{Question: h.Question, Answer: p.Body, HelpID: h.ID})
			}
		}
	}
	return out, err
}

// GuidanceSight is what the guidance rule lets a department's staff do with a case (delegation.Guide).
func (s *Service) GuidanceSight(ctx context.Context, actor access.Actor, c cases.Case) delegation.Sight {
	if actor.Role != access.Department || c.Delegation == "" {
		return delegation.NoSight
	}
	pairs, err := s.DB.Pairs(ctx, store.PairQuery{Item: c.ItemID, Staff: actor.ID})
	if err != nil {
		return delegation.NoSight
	}
	dels, err := s.DB.DelegationsOfItem(ctx, c.ItemID)
	if err != nil {
		return delegation.NoSight
	}
	clk, today, err := s.clockToday(ctx)
	if err != nil {
		return delegation.NoSight
	}
	return delegation.Guide(actor.ID, pairs, dels, delegation.Guided{ItemID: c.ItemID, Township: c.Handling, Received: clock.DateOf(c.Received.In(clk.Rules.Location))},
		today, s.guidanceMonths())
}

// CommentCase adds the counterpart's guidance comment to a case, in the guidance period only (四.(一) "移交后3
// 个月内……实时在线指导"; delegation.Guide). The applicant never sees it.
func (s *Service) CommentCase(ctx context.Context, actor access.Actor, caseID, body string) (delegation.CaseComment, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return delegation.CaseComment{}, err
	}
	if !actor.Role.Has(access.GuidanceComment) || s.GuidanceSight(ctx, actor, c) != delegation.Comment {
		return delegation.CaseComment{}, forbidden(access.GuidanceComment)
	}
	if e := delegation.Text("help_body", body, delegation.MaxComment); e != nil {
		return delegation.CaseComment{}, e
	}
	cm := delegation.CaseComment{CaseID: c.ID, Body: body}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.AddComment(actor, &cm, c.Handling) })
	return cm, err
}

// CaseComments lists a case's guidance comments for whoever reads the case.
func (s *Service) CaseComments(ctx context.Context, actor access.Actor, caseID string) ([]delegation.CaseComment, error) {
	if _, _, err := s.CaseFor(ctx, actor, caseID); err != nil {
		return nil, err
	}
	return s.DB.CaseComments(ctx, caseID)
}

// RoundInput is a round as planned.
type RoundInput struct {
	TownshipID  string `json:"township_id"`
	Area        string `json:"area"`
	Planned     string `json:"planned"`
	Unannounced bool   `json:"unannounced"`
}

// PlanRound plans an inspection round of a township by its area and day (四.(一) 定时划片), by the
// department's staff, or unannounced by the banner's service bureau (四.(二)).
func (s *Service) PlanRound(ctx context.Context, actor access.Actor, in RoundInput, key string) (delegation.Round, error) {
	var r delegation.Round
	me, err := s.org(ctx, actor.OrgID)
	if err != nil {
		return r, err
	}
	if !actor.Can(access.InspectionManage, me.Path) {
		return r, forbidden(access.InspectionManage)
	}
	var l errs.List
	t, err := s.org(ctx, in.TownshipID)
	if err != nil || t.Kind != org.Township {
		l.Add(errs.Field("round_township", "err.not_found").With("what", "org"))
	}
	l.Add(delegation.Text("round_area", in.Area, delegation.MaxArea))
	_, today, err := s.clockToday(ctx)
	if err != nil {
		return r, err
	}
	day, e := clock.ParseDate(in.Planned)
	switch {
	case in.Planned == "":
		l.Add(errs.Field("round_planned", "err.required"))
	case e != nil || len(in.Planned) > 10:
		l.Add(errs.Field("round_planned", "err.find.date"))
	case day.Before(today) && !in.Unannounced:
		l.Add(errs.Field("round_planned", "err.deleg.day_past"))
	}
	if err := l.Err(); err != nil {
		return r, err
	}
	r = delegation.Round{DeptID: me.ID, DeptPath: me.Path, TownshipID: t.ID, TownshipPath: t.Path, Area: strings.TrimSpace(in.Area), Inspector: actor.ID,
		InspectorName: actor.Name, Planned: day, Unannounced: in.Unannounced}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "round", actor.ID, fingerprint(in.TownshipID, in.Area, in.Planned), func() (string, error) {
			if err := tx.CreateRound(actor, &r); err != nil {
				return "", err
			}
			return r.ID, nil
		})
		return err
	})
	if err != nil {
		return r, err
	}
	return s.DB.Round(ctx, id)
}

// Round reads one round for either side.
func (s *Service) Round(ctx context.Context, actor access.Actor, id string) (delegation.Round, error) {
	r, err := s.DB.Round(ctx, id)
	if err != nil {
		return r, err
	}
	if !actor.Can(access.InspectionRead, r.DeptPath) && !actor.Can(access.InspectionRead, r.TownshipPath) {
		return delegation.Round{}, forbidden(access.InspectionRead)
	}
	return r, nil
}

// Rounds lists the rounds of the actor's side matching text, a page at a time from after: a department's
// (or the bureau's) made, a township's received.
func (s *Service) Rounds(ctx context.Context, actor access.Actor, text, after string) (ListPage[delegation.Round], error) {
	if !actor.Role.Has(access.InspectionRead) && !actor.System {
		return ListPage[delegation.Round]{}, forbidden(access.InspectionRead)
	}
	if err := textLimits(limit("q", text, 100), limit("cursor", after, cases.MaxWord)); err != nil {
		return ListPage[delegation.Round]{}, err
	}
	q := store.RoundQuery{All: actor.System, Text: strings.TrimSpace(text), After: after, Limit: listPageSize + 1}
	if o, err := s.org(ctx, actor.OrgID); err == nil && o.Kind == org.Township {
		q.Town = actor.OrgPath
	} else {
		q.Dept = actor.OrgPath
	}
	list, err := s.DB.Rounds(ctx, q)
	return pageOf(list, err, store.RoundCursor)
}

func (s *Service) editRound(ctx context.Context, actor access.Actor, id string, version int, action string, change func(*delegation.Round) error) (delegation.Round, error) {
	var out delegation.Round
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		before, err := s.DB.Round(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return errs.New(errs.Conflict, "err.conflict")
		}
		after := before
		after.Findings = slices.Clone(before.Findings)
		if err := change(&after); err != nil {
			return err
		}
		out, err = tx.SaveRound(actor, before, after, action)
		return err
	})
	return out, err
}

// RecordVisit records the visit of a round with its checklist and findings.
func (s *Service) RecordVisit(ctx context.Context, actor access.Actor, id string, version int, v delegation.Visit) (delegation.Round, error) {
	r, err := s.DB.Round(ctx, id)
	if err != nil {
		return r, err
	}
	if !actor.Can(access.InspectionManage, r.DeptPath) {
		return r, forbidden(access.InspectionManage)
	}
	_, today, err := s.clockToday(ctx)
	if err != nil {
		return r, err
	}
	return s.editRound(ctx, actor, id, version, "inspection.visit", func(r *delegation.Round) error { return r.RecordVisit(v, s.DB.Now(), today) })
}

// MoveFinding makes a move on a finding: the township's director rectifies, the inspecting side accepts or
// sends it back.
func (s *Service) MoveFinding(ctx context.Context, actor access.Actor, id string, version, finding int, move, text string) (delegation.Round, error) {
	r, err := s.DB.Round(ctx, id)
	if err != nil {
		return r, err
	}
	township := actor.Can(access.InspectionRectify, r.TownshipPath)
	if !township && !actor.Can(access.InspectionManage, r.DeptPath) {
		return r, forbidden(access.InspectionRectify)
	}
	return s.editRound(ctx, actor, id, version, "inspection."+move, func(r *delegation.Round) error {
		return r.Move(finding, delegation.FindMove(move), township, text, actor.Name, s.DB.Now())
	})
}

// AssessmentRow is one department's figures with its name.
type AssessmentRow struct {
	delegation.Figures
	Dept org.Org
}

// Assessment is the year's table of the departments' follow-up (四.(二)), for a supervisor or administrator
// of the banner: counted from the stored records by delegation.Assess.
func (s *Service) Assessment(ctx context.Context, actor access.Actor, year int) ([]AssessmentRow, error) {
	if !actor.Role.Has(access.SupervisionRead) || actor.Role == access.Director {
		return nil, forbidden(access.SupervisionRead)
	}
	root := actor.OrgPath
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	y := delegation.Year{Year: year}
	if y.Dels, err = s.DB.Delegations(ctx, store.DelegationQuery{Dept: root, Limit: 100000}); err != nil {
		return nil, err
	}
	if y.Help, err = s.DB.Helps(ctx, store.HelpQuery{Dept: root, Year: year, Limit: 1000000}); err != nil {
		return nil, err
	}
	if y.Rounds, err = s.DB.Rounds(ctx, store.RoundQuery{Dept: root, Year: year, Limit: 100000}); err != nil {
		return nil, err
	}
	list, err := s.DB.DelegatedCases(ctx, year, clk.Rules.Location)
	if err != nil {
		return nil, err
	}
	levels, err := s.DB.DelegatedRatings(ctx, year, clk.Rules.Location)
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	for _, c := range list {
		dept, err := s.org(ctx, c.Department)
		if err != nil || !org.InSubtree(root, dept.Path) {
			continue
		}
		st := c.StandingOn(clk, now)
		fact := delegation.CaseFact{DeptID: c.Department, OnTime: c.Decision != nil && st.OnTime}
		for _, level := range levels[c.ID] {
			if rating.Level(level).Bad() {
				fact.Bad++
			} else {
				fact.Good++
			}
		}
		y.CaseFacts = append(y.CaseFacts, fact)
	}
	var out []AssessmentRow
	for _, f := range delegation.Assess(y) {
		d, err := s.org(ctx, f.DeptID)
		if err != nil {
			return nil, err
		}
		out = append(out, AssessmentRow{Figures: f, Dept: d})
	}
	return out, nil
}

// GuidanceMonths is the guidance period's length in months (the setting, or the seed's three).
func (s *Service) GuidanceMonths() int { return s.guidanceMonths() }

// TownGuidance is one township's guidance period of a delegation, with its figures.
type TownGuidance struct {
	Delegation delegation.Delegation
	Township   org.Org
	Figures    delegation.PeriodFigures
}

// periodFigures counts one handed-over township's guidance period of d (delegation.Guidance).
func (s *Service) periodFigures(ctx context.Context, d delegation.Delegation, t delegation.Township, town org.Org, clk clock.Clock, today clock.Date) (delegation.PeriodFigures, error) {
	from, until := delegation.GuidancePeriod(t.HandedDay, s.guidanceMonths())
	loc := clk.Rules.Location
	list, err := s.DB.GuidedCases(ctx, d.ID, d.ItemID, t.OrgID, time.Date(from.Y, from.M, from.D, 0, 0, 0, 0, loc), time.Date(until.Y, until.M, until.D, 0, 0, 0, 0, loc))
	if err != nil {
		return delegation.PeriodFigures{}, err
	}
	now := s.DB.Now()
	cs := make([]delegation.PeriodCase, len(list))
	for i, g := range list {
		cs[i] = delegation.PeriodCase{Decided: g.Case.Decision != nil, OnTime: g.Case.Decision != nil && g.Case.StandingOn(clk, now).OnTime, Returns: g.Returns}
	}
	hs, err := s.DB.Helps(ctx, store.HelpQuery{Town: town.Path, Item: d.ItemID, Limit: 100000})
	if err != nil {
		return delegation.PeriodFigures{}, err
	}
	wait, err := s.helpWaits(ctx, clk, hs)
	if err != nil {
		return delegation.PeriodFigures{}, err
	}
	return delegation.Guidance(from, until, today, t.OrgID, d.ItemID, cs, hs, wait), nil
}

// helpWaits measures the answered requests' waits in working minutes, each in its department's opening hours
// (read once a department) on the calendar: the hours its response clock ran in (AskHelp).
func (s *Service) helpWaits(ctx context.Context, clk clock.Clock, hs []delegation.Help) (delegation.Waits, error) {
	hrs := map[string]hours.Hours{}
	for _, h := range hs {
		if _, ok := hrs[h.DeptID]; ok || !h.Answered() {
			continue
		}
		v, _, err := s.DB.Hours(ctx, h.DeptID)
		if err != nil {
			return nil, err
		}
		hrs[h.DeptID] = v
	}
	return func(h delegation.Help) int {
		return delegation.WorkingMinutes(hrs[h.DeptID], clk.Cal, clk.Rules.Location, h.AskedAt, h.FirstAnswerAt)
	}, nil
}

// ItemGuidance is the guidance periods of an item's delegations the actor reads (四.(一) 移交后3个月内), one per
// township handed over: a department's staff read all of their delegations' townships, a township's its own.
func (s *Service) ItemGuidance(ctx context.Context, actor access.Actor, itemID string) ([]TownGuidance, error) {
	if !actor.Role.Has(access.DelegationRead) && !actor.System {
		return nil, forbidden(access.DelegationRead)
	}
	dels, err := s.DB.DelegationsOfItem(ctx, itemID)
	if err != nil {
		return nil, err
	}
	clk, today, err := s.clockToday(ctx)
	if err != nil {
		return nil, err
	}
	var out []TownGuidance
	for _, d := range dels {
		dept := actor.Can(access.DelegationRead, d.DeptPath)
		for _, t := range d.Townships {
			if !t.Handed() {
				continue
			}
			o, err := s.org(ctx, t.OrgID)
			if err != nil {
				return nil, err
			}
			if !dept && !actor.Can(access.DelegationRead, o.Path) {
				continue
			}
			f, err := s.periodFigures(ctx, d, t, o, clk, today)
			if err != nil {
				return nil, err
			}
			out = append(out, TownGuidance{Delegation: d, Township: o, Figures: f})
		}
	}
	return out, nil
}

// monthOfDelegated is a month's delegated cases and help requests of a banner, by handling township.
type monthOfDelegated struct {
	cases map[string][]delegation.PeriodCase // by handling township
	help  map[string][]delegation.Help       // by asking township
	wait  delegation.Waits                   // the answered requests' waits in working minutes
}

// line is the report's line for one township, or the whole banner for "" (nil when nothing was delegated).
func (m monthOfDelegated) line(township string) *delegation.PeriodFigures {
	var cs []delegation.PeriodCase
	var hs []delegation.Help
	for t, list := range m.cases {
		if township == "" || t == township {
			cs = append(cs, list...)
		}
	}
	for t, list := range m.help {
		if township == "" || t == township {
			hs = append(hs, list...)
		}
	}
	if len(cs) == 0 && len(hs) == 0 {
		return nil
	}
	f := delegation.Tally(cs, hs, m.wait)
	return &f
}

// delegatedMonth reads a month's cases received under a delegation at the banner's townships and the help
// requests their handlers asked, once for the banner's report and its townships'.
func (s *Service) delegatedMonth(ctx context.Context, banner org.Org, p supervision.Period) (monthOfDelegated, error) {
	m := monthOfDelegated{cases: map[string][]delegation.PeriodCase{}, help: map[string][]delegation.Help{}}
	clk, err := s.Clock(ctx)
	if err != nil {
		return m, err
	}
	loc := clk.Rules.Location
	until := p.To.AddDays(1)
	list, err := s.DB.DelegatedCasesIn(ctx, time.Date(p.From.Y, p.From.M, p.From.D, 0, 0, 0, 0, loc), time.Date(until.Y, until.M, until.D, 0, 0, 0, 0, loc))
	if err != nil {
		return m, err
	}
	now := s.DB.Now()
	for _, c := range list {
		t, err := s.org(ctx, c.Handling)
		if err != nil || !org.InSubtree(banner.Path, t.Path) {
			continue
		}
		m.cases[c.Handling] = append(m.cases[c.Handling], delegation.PeriodCase{Decided: c.Decision != nil, OnTime: c.Decision != nil && c.StandingOn(clk, now).OnTime})
	}
	hs, err := s.DB.Helps(ctx, store.HelpQuery{Town: banner.Path, From: p.From.Int(), Until: until.Int(), Limit: 1000000})
	if err != nil {
		return m, err
	}
	for _, h := range hs {
		m.help[h.TownshipID] = append(m.help[h.TownshipID], h)
	}
	m.wait, err = s.helpWaits(ctx, clk, hs)
	return m, err
}

// The files of delegated powers: the delegation's legal document (its department's to hand in, either side
// to read) and a help request's attachments (either side of the request, until it is resolved), each checked
// by files.Prepare as a case's material is (type sniffed, size capped, images brought down to a page).

func (s *Service) prepareDelegFile(field, name string, body []byte) (files.File, files.Prepared, error) {
	if err := textLimits(limit(field, name, files.MaxName)); err != nil {
		return files.File{}, files.Prepared{}, err
	}
	p, err := files.Prepare(field, name, body, s.cfg.Files)
	if err != nil {
		return files.File{}, p, err
	}
	return delegFileOf(name, p), p, nil
}

func delegFileOf(name string, p files.Prepared) files.File {
	return files.File{Name: name, Type: p.Type, Size: int64(len(p.Body)), Original: p.Original, Pages: p.Pages, Width: p.Width, Height: p.Height, SHA256: p.SHA256}
}

// delegFileOwner checks that the actor may attach a file to a delegation (its department) or to a help
// request (either side of it, until it is resolved), whether the file comes whole or by the resumable upload:
// the store's kind of owner, the form's field for a refusal, and the organisation the audit entry names.
func (s *Service) delegFileOwner(ctx context.Context, actor access.Actor, owner, id string) (kind, field, orgID string, err error) {
	if owner == files.OwnerDelegation {
		d, err := s.mayManage(ctx, actor, id)
		return store.FilesOfDelegation, delegFileFields[owner], d.DeptID, err
	}
	h, err := s.DB.Help(ctx, id)
	if err != nil {
		return "", "", "", err
	}
	if answer, follow := s.helpSides(actor, h); !answer && !follow {
		return "", "", "", forbidden(access.HelpAnswer)
	}
	if h.Resolved() {
		return "", "", "", errs.New(errs.Conflict, "err.deleg.resolved")
	}
	return store.FilesOfHelp, delegFileFields[files.OwnerHelp], h.TownshipID, nil
}

// delegFileFields are the forms' file fields of a delegation's and a help request's files, which their
// refusals name.
var delegFileFields = map[string]string{files.OwnerDelegation: "deleg2_doc_file", files.OwnerHelp: "deleg2_help_file"}

// attachDelegFile stores a file sent whole for a delegation or a help request.
func (s *Service) attachDelegFile(ctx context.Context, actor access.Actor, owner, id, name string, body []byte) (files.File, error) {
	kind, field, orgID, err := s.delegFileOwner(ctx, actor, owner, id)
	if err != nil {
		return files.File{}, err
	}
	f, p, err := s.prepareDelegFile(field, name, body)
	if err != nil {
		return f, err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.AddDelegFile(actor, kind, id, orgID, &f, p.Body) })
	return f, err
}

// AttachDelegationDoc hands in the file of a delegation's legal document (文件), by its department.
func (s *Service) AttachDelegationDoc(ctx context.Context, actor access.Actor, id, name string, body []byte) (files.File, error) {
	return s.attachDelegFile(ctx, actor, files.OwnerDelegation, id, name, body)
}

// DelegationDocs lists a delegation's files for whoever reads the delegation.
func (s *Service) DelegationDocs(ctx context.Context, actor access.Actor, id string) ([]files.File, error) {
	if _, err := s.Delegation(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.DB.DelegFiles(ctx, store.FilesOfDelegation, id)
}

// DelegationDoc reads one file of a delegation with its bytes.
func (s *Service) DelegationDoc(ctx context.Context, actor access.Actor, id, fileID string) (files.File, []byte, error) {
	if _, err := s.Delegation(ctx, actor, id); err != nil {
		return files.File{}, nil, err
	}
	return s.delegFile(ctx, store.FilesOfDelegation, id, fileID)
}

// delegFile reads a file of an owner the reader may read, with its bytes checked against its address.
func (s *Service) delegFile(ctx context.Context, kind, owner, fileID string) (files.File, []byte, error) {
	f, err := s.DB.DelegFile(ctx, kind, owner, fileID)
	if err != nil {
		return f, nil, err
	}
	body, err := s.DB.FileBytes(ctx, f)
	return f, body, err
}

// AttachHelpFile adds an attachment to a help request, by either side of it, while it is not resolved.
func (s *Service) AttachHelpFile(ctx context.Context, actor access.Actor, id, name string, body []byte) (files.File, error) {
	return s.attachDelegFile(ctx, actor, files.OwnerHelp, id, name, body)
}

// HelpFiles lists a help request's attachments for whoever reads the request.
func (s *Service) HelpFiles(ctx context.Context, actor access.Actor, id string) ([]files.File, error) {
	if _, err := s.HelpRequest(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.DB.DelegFiles(ctx, store.FilesOfHelp, id)
}

// HelpFile reads one attachment of a help request with its bytes.
func (s *Service) HelpFile(ctx context.Context, actor access.Actor, id, fileID string) (files.File, []byte, error) {
	if _, err := s.HelpRequest(ctx, actor, id); err != nil {
		return files.File{}, nil, err
	}
	return s.delegFile(ctx, store.FilesOfHelp, id, fileID)
}
