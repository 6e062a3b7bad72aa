package service

import (
	"context"
	"slices"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/joint"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// 转办 (issue 19, item 3; internal/joint/handover.go): the body that is not competent hands a case, with
// reasons, to the one that is, which accepts it (the case is then theirs, its clock not counting the days of
// the hand-over) or refuses it with reasons (the case stays where it was). Two kinds of body: the township
// that handles the case (its front desk or director hands it to another township, whose front desk or
// director answers), and the banner department that works the case's banner steps and decides (实施主体): a
// township hands such a case to the competent department, a department to another department, whose staff or
// head answers (joint.MayGo). The applicant is told both the hand-over and its acceptance. 行政许可法 第32条(二)
// is the law's own answer (不予受理, and tell the applicant where to apply); the hand-over spares the applicant
// the second trip (seed 三.(一).1-3, 首问负责), which is Bianmin's choice.

// HandoverStates are the states a case may be handed over from: before a decision.
var HandoverStates = []cases.State{cases.Received, cases.Correction, cases.Accepted}

// handoverKind is the suspension kind that keeps the days of an accepted hand-over out of the receiver's
// limit, shown on the case (cases.Suspension).
const handoverKind = "转办"

// HandoverView is a hand-over with its card and the working days it took.
type HandoverView struct {
	joint.Handover
	Card  clock.Card `json:"card,omitempty"`
	Taken int        `json:"days_taken"`
	Mine  bool       `json:"-"` // the reader may answer it
}

func (s *Service) handoverView(actor access.Actor, h joint.Handover, clk clock.Clock, toPath string) HandoverView {
	today := s.today(clk)
	return HandoverView{Handover: h, Card: h.Card(today), Taken: h.DaysTaken(clk.Cal, today),
		Mine: h.State == joint.Pending && toPath != "" && actor.Can(access.CaseHandover, toPath)}
}

// bannerStep reports whether a case has a step at a banner department (one not handed down to its township
// by a delegation): only such a case has a department to hand it to.
func bannerStep(c cases.Case) bool {
	for _, st := range c.Steps {
		if st.Level >= 1 && st.Level <= 4 {
			return true
		}
	}
	return false
}

// handoverSide is the body the actor hands a case over for: the township that handles it (its front desk and
// director), else the banner department that works its banner steps (its staff and head); forbidden for
// anyone else.
func (s *Service) handoverSide(ctx context.Context, actor access.Actor, c cases.Case) (org.Org, joint.Body, error) {
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return handling, "", err
	}
	if actor.Can(access.CaseHandover, handling.Path) {
		return handling, joint.Township, nil
	}
	if c.Department != "" && bannerStep(c) {
		if dept, err := s.DB.Org(ctx, c.Department); err == nil && actor.Can(access.CaseHandover, dept.Path) {
			return dept, joint.Department, nil
		}
	}
	return handling, "", actor.Check(access.CaseHandover, handling.Path)
}

// handoverTargets are the bodies a case may be handed to by a sender of a kind: the other townships of the
// handling township's banner, and its departments other than the case's own when the case has a banner step.
func (s *Service) handoverTargets(ctx context.Context, c cases.Case, side joint.Body) (towns, depts []org.Org, err error) {
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return nil, nil, err
	}
	banner, err := s.DB.Org(ctx, handling.ParentID)
	if err != nil {
		return nil, nil, err
	}
	step := bannerStep(c)
	if joint.MayGo(side, joint.Township, step) {
		all, err := s.DB.Subtree(ctx, banner.Path, org.Township)
		if err != nil {
			return nil, nil, err
		}
		towns = slices.DeleteFunc(all, func(o org.Org) bool { return o.ID == c.Handling })
	}
	if joint.MayGo(side, joint.Department, step) {
		all, err := s.DB.Subtree(ctx, banner.Path, org.Department)
		if err != nil {
			return nil, nil, err
		}
		depts = slices.DeleteFunc(all, func(o org.Org) bool { return o.ID == c.Department })
	}
	return towns, depts, nil
}

// HandOverCase hands a case to another body, with reasons: by the front desk or the director of the township
// that handles it (to another township, or to the competent banner department), or by the staff or head of
// the department that works its banner steps (to another department); before a decision, one hand-over at a
// time.
func (s *Service) HandOverCase(ctx context.Context, actor access.Actor, caseID string, version int, to, reasons string) (joint.Handover, error) {
	if err := textLimits(limit("to", to, 64)); err != nil {
		return joint.Handover{}, err
	}
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return joint.Handover{}, err
	}
	from, side, err := s.handoverSide(ctx, actor, c)
	if err != nil {
		return joint.Handover{}, err
	}
	if !slices.Contains(HandoverStates, c.State) {
		return joint.Handover{}, errs.New(errs.Conflict, "err.joint.handover.state")
	}
	if c.Version != version {
		return joint.Handover{}, errs.New(errs.Conflict, "err.case.conflict")
	}
	towns, depts, err := s.handoverTargets(ctx, c, side)
	if err != nil {
		return joint.Handover{}, err
	}
	var target org.Org // none unless one of the bodies the case may go to (Ask then names the field)
	var body joint.Body
	if i := slices.IndexFunc(towns, func(o org.Org) bool { return o.ID == to }); i >= 0 {
		target, body = towns[i], joint.Township
	} else if i := slices.IndexFunc(depts, func(o org.Org) bool { return o.ID == to }); i >= 0 {
		target, body = depts[i], joint.Department
	}
	pending, err := s.DB.PendingHandoverOf(ctx, c.ID)
	if err != nil {
		return joint.Handover{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return joint.Handover{}, err
	}
	now := s.DB.Now()
	h, err := joint.Ask(joint.Handover{ID: ids.New(), CaseID: c.ID, CaseNo: c.No, ItemName: c.ItemName, ItemNameMn: c.ItemNameMn,
		From: from.ID, FromName: from.NameZh, To: target.ID, ToName: target.NameZh, ToBody: body, Reasons: reasons, By: actor.Name, At: now}, pending != nil, clk)
	if err != nil {
		return h, toFieldKey(err, side, len(depts) > 0)
	}
	before := c
	c.Version++
	c.Standing = c.StandingOn(clk, now)
	ev := cases.Event{Action: "handover_ask", From: c.State, To: c.State, Step: c.Step, At: now, Desk: cases.Front, Note: target.NameZh + ": " + reasons}
	if side == joint.Department {
		ev.Desk = cases.Back
	}
	applicant, _ := s.DB.Applicant(ctx, c.ApplicantID)
	key := "joint.msg.handover_asked"
	if body == joint.Department {
		key = "handdept.msg.handover_asked"
	}
	return h, s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateHandover(actor, h, from.Path, target.Path, applicant.Name); err != nil {
			return err
		}
		if err := tx.SaveCase(actor, c, version, before, ev, actor.OrgID); err != nil {
			return err
		}
		return s.tellHandover(tx, c, applicant.Phone, from, target, key)
	})
}

// toFieldKey names, in the error of a hand-over refused for its target, the bodies the sender may choose
// from: another township (the domain's own message), a township or a department, or a department.
func toFieldKey(err error, side joint.Body, depts bool) error {
	key := ""
	switch {
	case side == joint.Department:
		key = "err.handdept.to_department"
	case depts:
		key = "err.handdept.to_any"
	}
	if key == "" || errs.CodeOf(err) != errs.Invalid {
		return err
	}
	var out errs.List
	for _, e := range errs.All(err) {
		if e.Field == "to" {
			e = errs.Field("to", key)
		}
		out.Add(e)
	}
	return out.Err()
}

// applicantPhone is the phone of a case's applicant, for the messages Bianmin sends ("" when none).
func (s *Service) applicantPhone(ctx context.Context, applicantID string) string {
	if a, err := s.DB.Applicant(ctx, applicantID); err == nil {
		return a.Phone
	}
	return ""
}

// text queues a message in both languages, Mongolian first, each signed with the organisation's name in its
// language; mnArgs fill the Mongolian text, zhArgs the Chinese (the same names in the same order). Nothing is
// sent to no phone.
func (s *Service) text(tx *store.Tx, caseID, phone string, from org.Org, key string, mnArgs, zhArgs []string) error {
	if phone == "" {
		return nil
	}
	x := say(key)
	for i := 0; i+1 < len(mnArgs) && i+1 < len(zhArgs); i += 2 {
		x = x.by(mnArgs[i], mnArgs[i+1], zhArgs[i+1])
	}
	return tx.Enqueue(x.signed(from).message(caseID, phone, bilingual, key))
}

// tellHandover tells the applicant where their case went, naming the township in each language.
func (s *Service) tellHandover(tx *store.Tx, c cases.Case, phone string, from, to org.Org, key string) error {
	return s.text(tx, c.ID, phone, from, key, []string{"no", c.No, "to", to.Name("mn")}, []string{"no", c.No, "to", to.NameZh})
}

// AnswerHandover is the receiving body's answer: accept (the case becomes theirs: a township handles it, a
// department works its banner steps and decides it; the days of the hand-over stand outside their limit, as
// a suspension of kind 转办 on the case, and the applicant is told) or refuse with reasons (the case stays
// where it was, and its sender may hand it elsewhere or keep it).
func (s *Service) AnswerHandover(ctx context.Context, actor access.Actor, id string, version int, accept bool, reasons string) (joint.Handover, error) {
	h, err := s.DB.Handover(ctx, id)
	if err != nil {
		return h, err
	}
	to, err := s.DB.Org(ctx, h.To)
	if err != nil {
		return h, err
	}
	if err := actor.Check(access.CaseHandover, to.Path); err != nil {
		return h, err
	}
	if h.Version != version {
		return h, errs.New(errs.Conflict, "err.conflict")
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return h, err
	}
	now := s.DB.Now()
	after, err := h.Take(accept, reasons, actor.Name, now, s.today(clk))
	if err != nil {
		return h, err
	}
	c, err := s.DB.Case(ctx, h.CaseID)
	if err != nil {
		return h, err
	}
	before, version0 := c, c.Version
	c.Version++
	ev := cases.Event{Action: "handover_refuse", From: c.State, To: c.State, Step: c.Step, At: now, Desk: cases.Front, Note: to.NameZh + ": " + reasons}
	if h.ToDepartment() {
		ev.Desk = cases.Back
	}
	if accept {
		ev.Action, ev.Note = "handover_accept", to.NameZh
		if after.ToDepartment() {
			// the department works the banner steps and decides (Case.DecidingOrg); the township keeps the
			// window's side, and a banner step under way starts afresh at the new department
			c.Department = to.ID
			if st := c.Steps[c.Step]; st.Level >= 1 && st.Level <= 4 {
				c.Assignee = ""
				if c.Step > 0 && c.State == cases.Accepted {
					c.StepSince = now
				}
			}
		} else {
			c.Handling, c.Assignee = to.ID, ""
			if c.State == cases.Received {
				c.IntakeSince = now // the receiving window's five days (第32条) run from the acceptance of the hand-over
			}
			if c.Step > 0 && c.State == cases.Accepted {
				c.StepSince = now
			}
		}
		if from, to, ok := after.NotCounted(); ok && c.State != cases.Received && c.State != cases.Correction {
			c.Suspensions = append(slices.Clone(c.Suspensions), cases.Suspension{Suspension: clock.Suspension{Kind: handoverKind, From: from, To: to}, Reason: h.Reasons})
		}
	}
	c.Standing = c.StandingOn(clk, now)
	phone := s.applicantPhone(ctx, c.ApplicantID)
	return after, s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveHandover(actor, h, after); err != nil {
			return err
		}
		switch {
		case accept && after.ToDepartment():
			if err := tx.SetCaseDepartment(c.ID, c.Handling, to.ID); err != nil {
				return err
			}
		case accept:
			if err := tx.MoveCase(c.ID, to.ID); err != nil {
				return err
			}
		}
		if err := tx.SaveCase(actor, c, version0, before, ev, actor.OrgID); err != nil {
			return err
		}
		if accept {
			return s.tellHandover(tx, c, phone, to, to, "joint.msg.handover_accepted")
		}
		return nil
	})
}

// CaseHandovers lists a case's hand-overs for whoever may read the case, with what may be done: the townships
// and departments it may be handed to, when the reader may hand it over now.
type CaseHandovers struct {
	Work        Work
	List        []HandoverView
	Townships   []org.Org // where it may go, when the reader may hand it over now
	Departments []org.Org
}

// HandoversOfCase reads a case's hand-overs.
func (s *Service) HandoversOfCase(ctx context.Context, actor access.Actor, caseID string) (CaseHandovers, error) {
	w, _, err := s.CaseFor(ctx, actor, caseID)
	if err != nil {
		return CaseHandovers{}, err
	}
	list, err := s.DB.HandoversOfCase(ctx, caseID)
	if err != nil {
		return CaseHandovers{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return CaseHandovers{}, err
	}
	out := CaseHandovers{Work: w}
	pending := false
	for _, h := range list {
		to, _ := s.DB.Org(ctx, h.To)
		out.List = append(out.List, s.handoverView(actor, h, clk, to.Path))
		pending = pending || h.State == joint.Pending
	}
	if pending || !slices.Contains(HandoverStates, w.Case.State) {
		return out, nil
	}
	if _, side, err := s.handoverSide(ctx, actor, w.Case); err == nil {
		out.Townships, out.Departments, err = s.handoverTargets(ctx, w.Case, side)
		return out, err
	}
	return out, nil
}

// handoverReader reports whether the actor's body is asked to take the case by the hand-over waiting for it:
// it reads the case before it answers.
func (s *Service) handoverReader(ctx context.Context, actor access.Actor, c cases.Case) bool {
	if !actor.Role.Has(access.CaseHandover) {
		return false
	}
	h, err := s.DB.PendingHandoverOf(ctx, c.ID)
	if err != nil || h == nil {
		return false
	}
	to, err := s.org(ctx, h.To)
	return err == nil && actor.Can(access.CaseHandover, to.Path)
}

// HandoverFind asks for a page of the hand-overs the actor's township received (Way "in", the default) or made
// ("out"): the search box (case number, item, body, applicant) and the state.
type HandoverFind struct {
	Way    string `json:"way,omitempty"`
	Q      string `json:"q,omitempty"`
	State  string `json:"state,omitempty"`
	Cursor string `json:"cursor,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// HandoverList is a page of hand-overs with their cards, newest first.
type HandoverList struct {
	List []HandoverView `json:"handovers"`
	Next string         `json:"next,omitempty"`
}

// FindHandovers lists a page of the hand-overs the actor's township received or made.
func (s *Service) FindHandovers(ctx context.Context, actor access.Actor, f HandoverFind) (HandoverList, error) {
	if err := actor.Check(access.CaseHandover, actor.OrgPath); err != nil {
		return HandoverList{}, err
	}
	if err := textLimits(limit("q", f.Q, maxQuery), limit("cursor", f.Cursor, 200)); err != nil {
		return HandoverList{}, err
	}
	var bad errs.List
	if f.Way != "" && f.Way != "in" && f.Way != "out" {
		bad.Add(errs.Field("way", "err.find.choice"))
	}
	if f.State != "" && !slices.Contains([]joint.HandoverState{joint.Pending, joint.Accepted, joint.RefusedToTake}, joint.HandoverState(f.State)) {
		bad.Add(errs.Field("state", "err.find.choice"))
	}
	if err := bad.Err(); err != nil {
		return HandoverList{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return HandoverList{}, err
	}
	in := f.Way != "out"
	page, err := s.DB.SearchHandovers(ctx, store.HandoverQuery{Path: actor.OrgPath, Incoming: in, Q: strings.TrimSpace(f.Q), State: joint.HandoverState(f.State),
		After: f.Cursor, Limit: min(pageLimit(f.Limit), DefaultPage)})
	if err != nil {
		return HandoverList{}, err
	}
	out := HandoverList{Next: page.Next, List: []HandoverView{}}
	for _, h := range page.List {
		toPath := ""
		if in {
			toPath = actor.OrgPath
		}
		out.List = append(out.List, s.handoverView(actor, h, clk, toPath))
	}
	return out, nil
}
