package service

import (
	"context"
	"slices"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Find anything (issue 12): the desk's one search box and its filters, over the cases and applicants of
// the actor's subtree only, a page at a time.

// Page sizes: a page holds at most MaxPage rows whatever is asked; DefaultPage when nothing is.
const (
	DefaultPage = 50
	MaxPage     = 100
	maxQuery    = 50 // characters of the search box
)

// FindInput is the search box and the filters, as typed (the page's query string, the API's parameters).
type FindInput struct {
	Q       string `json:"q,omitempty"`
	State   string `json:"state,omitempty"`
	Card    string `json:"card,omitempty"`
	Channel string `json:"channel,omitempty"`
	Item    string `json:"item,omitempty"`
	Window  string `json:"window,omitempty"`
	Person  string `json:"person,omitempty"`
	From    string `json:"from,omitempty"`  // received on or after, 2026-01-02
	Until   string `json:"until,omitempty"` // received on or before
	Open    string `json:"open,omitempty"`  // open, closed, all; the queue (nothing typed, nothing filtered) is the open cases
	Cursor  string `json:"cursor,omitempty"`
	Limit   int    `json:"limit,omitempty"`
}

// Searching reports whether anything was typed or filtered: otherwise the list is the actor's queue.
func (in FindInput) Searching() bool {
	return strings.TrimSpace(in.Q) != "" || in.State != "" || in.Card != "" || in.Channel != "" || in.Item != "" ||
		in.Window != "" || in.Person != "" || in.From != "" || in.Until != "" || (in.Open != "" && in.Open != "open")
}

// FindPage is a page of cases with the actor's standing on each, the count of all that match and the
// cursor of the next page.
type FindPage struct {
	Work   []Work
	Names  map[string]string // the applicant's name by case id
	Total  int
	Capped bool
	Next   string
	Key    store.KeyKind
	// On the queue's first page: the extension requests waiting for the actor's approval (行政许可法 第42条)
	// and the open orders (督办) the actor answers, all of them, whatever the queue's page holds.
	Asking []Work
	Orders []OrderView
	// Awaited are the cases waiting for the actor's body at a joint step (its opinion at a 并联 step, or the
	// actor's signature at a 会签 step), whichever department's item they are: on the queue's first page.
	Awaited []Work
}

var allStates = []cases.State{cases.Received, cases.Correction, cases.Accepted, cases.Suspended, cases.Decided,
	cases.Issued, cases.Delivered, cases.Refused, cases.Terminated, cases.Revoked}

// roleDesks are the desks a role sits at for the queue's order: what it acts on comes first.
var roleDesks = map[access.Role][]cases.Desk{
	access.Clerk:      {cases.Front},
	access.Agent:      {cases.Station},
	access.Reviewer:   {cases.Back},
	access.Department: {cases.Back},
	access.Director:   {cases.Director, cases.Head, cases.Back},
}

// workMoves are the moves that carry a case along its path (the occasional ones, such as termination or a
// pledge's check, are possible in nearly every state and would put everything first).
var workMoves = []cases.Action{cases.AskCorrection, cases.Resubmit, cases.Accept, cases.AcceptOwed, cases.Refuse, cases.Pass,
	cases.Return, cases.Suspend, cases.Resume, cases.Decide, cases.Issue, cases.Deliver, cases.ApproveExtension,
	cases.RejectExtension, cases.Assign}

// ActOn lists the states in which a role makes its work's moves, read from the transition table: a clerk's
// queue shows cases at the window first, a reviewer's those in the back office.
func ActOn(role access.Role) []cases.State {
	var out []cases.State
	for _, st := range allStates {
		if st.Closed() {
			continue // never in a queue (a pledge checked after delivery is found by a search)
		}
		for _, d := range roleDesks[role] {
			if slices.ContainsFunc(workMoves, func(a cases.Action) bool { return cases.Allowed(st, a, d) }) && !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out
}

// scope is the organisations a search reaches: the actor's subtree, and for a department its items.
func (s *Service) findScope(ctx context.Context, actor access.Actor) (bool, string, error) {
	if !actor.Role.Has(access.ApplicantRead) {
		return false, "", errs.New(errs.Forbidden, "err.forbidden").With("action", "case.read")
	}
	all, err := s.DB.WholeWorld(ctx, actor.OrgPath)
	dept := ""
	if actor.Role == access.Department || actor.Role == access.Director {
		dept = actor.OrgID // a department's staff and head see its items' cases (a township matches no item)
	}
	return all, dept, err
}

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultPage
	case n > MaxPage:
		return MaxPage
	}
	return n
}

func dayNumber(field, s string) (int, *errs.Error) {
	if s == "" {
		return 0, nil
	}
	d, err := clock.ParseDate(s)
	if err != nil {
		return 0, errs.Field(field, "err.find.date")
	}
	return d.Int(), nil
}

// FindCases is the desk's case list: without a search, the actor's queue (open cases, what the actor acts
// on first, then the nearest due day); with one, every case that matches, open or closed, newest first.
func (s *Service) FindCases(ctx context.Context, actor access.Actor, in FindInput) (FindPage, error) {
	var page FindPage
	ctx = withOrgMemo(ctx)
	all, dept, err := s.findScope(ctx, actor)
	if err != nil {
		return page, err
	}
	q := store.CaseQuery{Root: actor.OrgPath, All: all, Department: dept, Channel: in.Channel, Item: in.Item, Window: in.Window,
		Person: in.Person, Card: in.Card, After: in.Cursor, Limit: pageLimit(in.Limit)}
	var bad errs.List
	if len([]rune(in.Q)) > maxQuery {
		bad.Add(errs.Field("q", "err.too_long").With("max", "50"))
	}
	if in.State != "" {
		if !slices.Contains(allStates, cases.State(in.State)) {
			bad.Add(errs.Field("state", "err.find.choice"))
		}
		q.State = cases.State(in.State)
	}
	switch in.Card {
	case "", "yellow", "red":
	default:
		bad.Add(errs.Field("card", "err.find.choice"))
	}
	switch in.Open {
	case "", "open", "closed", "all":
	default:
		bad.Add(errs.Field("open", "err.find.choice"))
	}
	var e *errs.Error
	q.From, e = dayNumber("from", in.From)
	bad.Add(e)
	q.Until, e = dayNumber("until", in.Until)
	bad.Add(e)
	if err := bad.Err(); err != nil {
		return page, err
	}
	q.Key = store.ParseKey(in.Q)
	page.Key = q.Key.Kind
	if q.Key.Kind == store.KeyText {
		items, err := s.Search(ctx, q.Key.Text, 10)
		if err != nil {
			return page, err
		}
		for _, it := range items {
			q.ItemIDs = append(q.ItemIDs, it.Card.ID)
		}
	}
	if in.Searching() {
		if in.Open != "all" {
			q.Open = in.Open
		}
	} else {
		q.Open, q.Queue, q.ActOn = "open", true, ActOn(actor.Role)
	}
	res, err := s.DB.SearchCases(ctx, q)
	if err != nil {
		return page, err
	}
	page.Total, page.Capped, page.Next, page.Names = res.Total, res.Capped, res.Next, res.Names
	clk, err := s.Clock(ctx)
	if err != nil {
		return page, err
	}
	today := clock.DateOf(s.DB.Now().In(clk.Rules.Location))
	page.Work = make([]Work, 0, len(res.Cases))
	for _, c := range res.Cases {
		page.Work = append(page.Work, s.work(ctx, actor, c, clk, today))
	}
	if q.Queue && in.Cursor == "" {
		if page.Asking, err = s.asking(ctx, actor, q, clk, today); err != nil {
			return page, err
		}
		if page.Orders, err = s.DeskOrders(ctx, actor); err != nil {
			return page, err
		}
		if page.Awaited, err = s.awaited(ctx, actor, clk, today); err != nil {
			return page, err
		}
	}
	return page, nil
}

// asking are the cases of the actor's scope whose extension request waits for the actor's own approval, as
// head of the organ that decides (行政许可法 第42条: "经本机关负责人批准"); only a director can be one.
func (s *Service) asking(ctx context.Context, actor access.Actor, q store.CaseQuery, clk clock.Clock, today clock.Date) ([]Work, error) {
	if actor.Role != access.Director {
		return nil, nil
	}
	list, err := s.DB.AskingCases(ctx, q, MaxPage)
	if err != nil {
		return nil, err
	}
	var out []Work
	for _, c := range list {
		if w := s.work(ctx, actor, c, clk, today); slices.Contains(w.Mine, cases.ApproveExtension) {
			out = append(out, w)
		}
	}
	return out, nil
}

// awaited are the cases of the actor's subtree's bodies waiting for the actor's opinion or signature at a
// joint step (store.AwaitingCases), kept only where the case's own moves offer the actor one (jointDesk): a
// body outside the actor's subtree, or a signature of another role, never shows.
func (s *Service) awaited(ctx context.Context, actor access.Actor, clk clock.Clock, today clock.Date) ([]Work, error) {
	if actor.Role != access.Department && actor.Role != access.Director {
		return nil, nil // only a department's staff or head, or a director signing, answers at a joint step
	}
	list, err := s.DB.AwaitingCases(ctx, actor.OrgPath, string(actor.Role), MaxPage)
	if err != nil {
		return nil, err
	}
	var out []Work
	for _, c := range list {
		w := s.work(ctx, actor, c, clk, today)
		if slices.ContainsFunc(w.Mine, func(a cases.Action) bool { return a == cases.Opinion || a == cases.LeadDecide || a == cases.Sign }) {
			out = append(out, w)
		}
	}
	return out, nil
}

// ApplicantPage is a page of applicants (masked, as every list is), with the count and the next cursor.
type ApplicantPage struct {
	List   []people.Applicant
	Total  int
	Capped bool
	Next   string
}

// FindApplicants lists the applicants of the actor's subtree that match the search box (a name or its
// pinyin, an ID number or its last digits, a phone's last four, a credit code), newest first.
func (s *Service) FindApplicants(ctx context.Context, actor access.Actor, text, cursor string, limit int) (ApplicantPage, error) {
	var page ApplicantPage
	if err := actor.Check(access.ApplicantRead, actor.OrgPath); err != nil {
		return page, err
	}
	if len([]rune(text)) > maxQuery {
		return page, errs.Field("q", "err.too_long").With("max", "50")
	}
	all, err := s.DB.WholeWorld(ctx, actor.OrgPath)
	if err != nil {
		return page, err
	}
	res, err := s.DB.SearchApplicants(ctx, store.ApplicantQuery{Root: actor.OrgPath, All: all, Key: store.ParseKey(text), After: cursor, Limit: pageLimit(limit)})
	if err != nil {
		return page, err
	}
	for i := range res.List {
		res.List[i] = res.List[i].Masked()
	}
	return ApplicantPage{List: res.List, Total: res.Total, Capped: res.Capped, Next: res.Next}, nil
}

// StaffPage is a page of staff (phones masked unless the reader may see them), with the next cursor.
type StaffPage struct {
	List []people.Staff
	Next string
}

// FindStaff lists the staff of the actor's subtree by sign-in name, a page at a time, matching the search
// box (a sign-in name, a name, a phone).
func (s *Service) FindStaff(ctx context.Context, actor access.Actor, text, cursor string, limit int) (StaffPage, error) {
	var page StaffPage
	if err := actor.Check(access.StaffRead, actor.OrgPath); err != nil {
		return page, err
	}
	if len([]rune(text)) > maxQuery || len(cursor) > 200 {
		return page, errs.Field("q", "err.too_long").With("max", "50")
	}
	n := pageLimit(limit)
	list, err := s.DB.SearchStaff(ctx, actor.OrgPath, text, cursor, n+1)
	if err != nil {
		return page, err
	}
	if len(list) > n {
		list = list[:n]
		page.Next = list[n-1].Username
	}
	full := actor.Can(access.ApplicantReadFull, actor.OrgPath)
	for i := range list {
		if !full {
			list[i].Phone = people.MaskPhone(list[i].Phone)
		}
	}
	page.List = list
	return page, nil
}

// OrgPage is a page of organisations in tree order, with the next cursor.
type OrgPage struct {
	List []org.Org
	Next string
}

// FindOrgs lists the organisations of the actor's subtree of the given kinds in tree order, a page at a
// time, matching the search box (a name in either language, a division code).
func (s *Service) FindOrgs(ctx context.Context, actor access.Actor, kinds []org.Kind, text, cursor string, limit int) (OrgPage, error) {
	var page OrgPage
	if !actor.Role.Has(access.OrgRead) && !actor.System {
		return page, errs.New(errs.Forbidden, "err.forbidden")
	}
	if len([]rune(text)) > maxQuery || len(cursor) > 2000 {
		return page, errs.Field("q", "err.too_long").With("max", "50")
	}
	n := pageLimit(limit)
	list, err := s.DB.SearchOrgs(ctx, actor.OrgPath, kinds, text, cursor, n+1)
	if err != nil {
		return page, err
	}
	if len(list) > n {
		list = list[:n]
		page.Next = list[n-1].Path
	}
	page.List = list
	return page, nil
}
