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
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Clock is the working-day clock on the current calendar.
func (s *Service) Clock(ctx context.Context) (clock.Clock, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return clock.Clock{}, err
	}
	r := s.cfg.Clock
	if r.Location == nil {
		r = clock.DefaultRules()
	}
	return clock.New(cal, r), nil
}

// ReceiveInput is an application taken in at a window or a station.
type ReceiveInput struct {
	ItemID        string `json:"item_id"`
	ApplicantID   string `json:"applicant_id"`
	Authorisation string `json:"authorisation,omitempty"` // a station's agent: how the resident authorised them
	ReceivingOrg  string `json:"receiving_org,omitempty"` // only for system intake; staff receive at their own organisation
	// a station's mode (代办, 协办, 代理) and what it rests on: see stations.go
	Mode       string `json:"proxy_mode,omitempty"`
	StandingID string `json:"standing_id,omitempty"`
	AuthImage  string `json:"auth_image,omitempty"`
	// an ad-hoc 联合办理 (joint.go, ReceiveLinked): set by the service, never by the form
	linked, issueApart bool
}

// frontDesk reports whether the actor works the front desk of an organisation: clerks and directors of its
// township, agents of its village.
func frontDesk(actor access.Actor, o org.Org) bool {
	if actor.System {
		return true
	}
	switch actor.Role {
	case access.Clerk, access.Director, access.Agent:
		return org.InSubtree(actor.OrgPath, o.Path)
	}
	return false
}

// township is the township an organisation belongs to (itself when it is one).
func (s *Service) township(ctx context.Context, o org.Org) (org.Org, error) {
	for o.Kind != org.Township {
		if o.ParentID == "" {
			return o, errs.Field("org", "err.case.no_township")
		}
		p, err := s.DB.Org(ctx, o.ParentID)
		if err != nil {
			return o, err
		}
		o = p
	}
	return o, nil
}

// Receive takes in an application for an item at the actor's window or station. The case is handled by the
// township of the applicant's residence (办理地), which may differ from the receiving one (收件地, 通办). key
// makes the submission idempotent.
func (s *Service) Receive(ctx context.Context, actor access.Actor, in ReceiveInput, key string) (cases.Case, error) {
	list, err := s.receive(ctx, actor, []string{in.ItemID}, in, key, "", nil)
	if err != nil {
		return cases.Case{}, err
	}
	return list[0], nil
}

// ReceiveBundle takes in a bundle (一件事): one intake, one case per item, handled in parallel, issued
// together.
func (s *Service) ReceiveBundle(ctx context.Context, actor access.Actor, bundleID string, in ReceiveInput, key string) ([]cases.Case, error) {
	bundles, err := s.DB.Bundles(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(bundles, func(b catalog.Bundle) bool { return b.ID == bundleID })
	if i < 0 {
		return nil, errs.Field("bundle", "err.not_found").With("what", "item")
	}
	return s.receive(ctx, actor, bundles[i].ItemIDs, in, key, ids.New(), bundles[i].WaitsFor)
}

// receive takes in one item, or a bundle's items; waits says which item waits for which (catalog.Bundle).
func (s *Service) receive(ctx context.Context, actor access.Actor, itemIDs []string, in ReceiveInput, key, bundle string, waits map[string]string) ([]cases.Case, error) {
	if err := textLimits(limit("authorisation", in.Authorisation, cases.MaxAuthorisation), limit("item_id", in.ItemID, cases.MaxWord),
		limit("applicant_id", in.ApplicantID, cases.MaxWord), limit("receiving_org", in.ReceivingOrg, cases.MaxWord)); err != nil {
		return nil, err
	}
	recvID := actor.OrgID
	if actor.System {
		recvID = in.ReceivingOrg
	}
	recv, err := s.DB.Org(ctx, recvID)
	if err != nil {
		return nil, errs.Field("receiving_org", "err.not_found").With("what", "org")
	}
	if !frontDesk(actor, recv) || (recv.Kind != org.Township && recv.Kind != org.Village) {
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.receive")
	}
	var l errs.List
	// The applicant stands at the window with their papers: any registered applicant may be received for.
	a, needs, err := s.DB.ApplicantAtIntake(ctx, in.ApplicantID)
	if errs.CodeOf(err) == errs.NotFound {
		l.Add(errs.Field("applicant_id", "err.not_found").With("what", "applicant"))
	} else if err != nil {
		return nil, err
	}
	channel := cases.AtWindow
	if recv.Kind == org.Village {
		channel = cases.ByStation
	}
	var items []catalog.Item
	depts := map[string]string{} // item id -> owning department id
	for _, id := range itemIDs {
		row, err := s.DB.PublishedItem(ctx, id)
		var it catalog.Item
		if err == nil && row.Published > 0 {
			it, err = s.DB.FixedItemVersion(ctx, row.ID, row.Published)
			depts[row.ID] = row.DepartmentID
		}
		if err != nil || row.Published == 0 {
			l.Add(errs.Field("item_id", "err.not_found").With("what", "item"))
			continue
		}
		if channel == cases.ByStation && it.Village == catalog.VillageNone {
			l.Add(errs.Field("item_id", "err.case.not_at_station"))
		}
		items = append(items, it)
	}
	joints := map[string]jointSet{} // the items' joint steps resolved for the handling township (joint.go)
	help, err := s.intakeHelp(ctx, actor, channel, recv, a.ID, needs, itemIDs, in)
	if errs.CodeOf(err) != errs.Invalid && err != nil {
		return nil, err
	}
	for _, e := range errs.All(err) { // the mode's errors with the rest of the form's
		l.Add(e)
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	home, err := s.DB.Org(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	handling, err := s.township(ctx, home)
	if err != nil {
		return nil, err
	}
	recvTownship, err := s.township(ctx, recv)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if joints[it.ID], err = s.resolveJoint(ctx, it, handling); err != nil {
			return nil, err
		}
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	now := s.DB.Now()
	ev := cases.Event{Action: "receive", To: cases.Received, At: now, Desk: cases.Front}
	if recvTownship.ID != handling.ID {
		// the hand-off (通办), by organisation ids: pages name them in the reader's language
		ev.Note = RouteNote(recvTownship.ID, handling.ID)
	}
	var made []cases.Case
	scope := "case"
	if bundle != "" {
		scope = "bundle"
	}
	firstID := ids.New() // named before the transaction, whose first write locks its audit chain's head
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		made = nil
		tx.AuditFirst(handling.ID, firstID)
		_, replay, err := tx.IdempotentFor(key, scope, actor.ID, fingerprint(itemIDs, in), func() (string, error) {
			byItem := map[string]string{} // item id → its case, for the items that wait for another
			for i, it := range items {
				c := newCase(it, depts[it.ID], channel, recv, recvTownship, handling, a.ID, actor.ID, now, clk)
				if i == 0 {
					c.ID = firstID
				}
				joints[it.ID].apply(&c)
				c.Linked, c.IssueApart = in.linked, in.issueApart
				if err := handDown(tx, &c, clk); err != nil {
					return "", err
				}
				c.Bundle, c.Authorised = bundle, strings.TrimSpace(in.Authorisation)
				c.WaitsFor = byItem[waits[it.ID]] // the one waited for is listed, so taken in, first
				help.apply(&c, actor)
				if err := tx.CreateCase(actor, &c, numberPrefix(handling), localYear(now), ev, recv.ID); err != nil {
					return "", err
				}
				made = append(made, c)
				byItem[it.ID] = c.ID
			}
			if bundle != "" {
				return bundle, nil
			}
			return made[0].ID, nil
		})
		if replay {
			made = nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.madeCases(ctx, made, key, scope, actor.ID)
}

// newCase is a case just received: the item's version, names, steps and limits; where it was received (and
// by whom) and where it is handled, which place it in the supervision figures; and its standing.
func newCase(it catalog.Item, deptID string, ch cases.Channel, recv, recvTownship, handling org.Org, applicantID, by string, now time.Time, clk clock.Clock) cases.Case {
	steps := cases.StepsOf(it.Steps)
	c := cases.Case{ItemID: it.ID, ItemVersion: it.Version, ItemName: it.NameZh, ItemNameMn: it.NameMn, Channel: ch,
		Receiving: recv.ID, Handling: handling.ID, ReceivingTownship: recvTownship.ID, ReceivedBy: by, Department: deptID,
		ApplicantID: applicantID, State: cases.Received, Steps: steps, Received: now,
		LimitUnit: clock.Unit(it.PromisedLimit.Unit), LimitDays: it.PromisedLimit.Value, ExtensionUnit: clock.Unit(it.ExtensionIn()),
		StationHandles: ch == cases.ByStation && it.Village == catalog.VillageHandle}
	c.PledgeAllowed = it.PledgeAllowed
	c.Standing = c.StandingOn(clk, now)
	return c
}

// madeCases gives what an intake made: the cases as they were written (a read of them gives the same, which
// TestIntakeGivesWhatIsRead holds; a round trip fewer each intake), or, for a replayed submission, the first
// one's cases found by its key.
func (s *Service) madeCases(ctx context.Context, made []cases.Case, key, scope, actorID string) ([]cases.Case, error) {
	if made != nil {
		return made, nil
	}
	id, err := s.DB.IdempotentResult(ctx, key, scope, actorID)
	if err != nil {
		return nil, err
	}
	if scope == "bundle" {
		return s.DB.CasesOfBundle(ctx, id)
	}
	c, err := s.DB.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	return []cases.Case{c}, nil
}

// desks finds the desks from which the actor may work a case: the front desk of the receiving organisation
// (a village station's agent is the station desk, and the front desk only of the items its station
// concludes, 嘎查村可直接办理), the back office of the current step's organisation (the handling township's
// reviewers for township and village steps, the item's department for banner steps, the window itself for
// instant items), the handling township's director, and the head of the deciding organ (第42条). It reads
// the organisations once, for all moves.
func (s *Service) desks(ctx context.Context, actor access.Actor, c cases.Case) (map[cases.Desk]bool, error) {
	if actor.System {
		return map[cases.Desk]bool{cases.Front: true, cases.Back: true, cases.Director: true, cases.Head: true}, nil
	}
	recv, err := s.org(ctx, c.Receiving)
	if err != nil {
		return nil, err
	}
	handling, err := s.org(ctx, c.Handling)
	if err != nil {
		return nil, err
	}
	inHandling := org.InSubtree(actor.OrgPath, handling.Path)
	front := frontDesk(actor, recv)
	station := front && actor.Role == access.Agent
	deciding := handling
	if id := c.DecidingOrg(); id != handling.ID {
		if deciding, err = s.org(ctx, id); err != nil {
			return nil, err
		}
	}
	out := map[cases.Desk]bool{
		cases.Front:    front && (!station || c.StationHandles),
		cases.Station:  station,
		cases.Director: actor.Role == access.Director && inHandling,
		cases.Head:     actor.Role == access.Director && org.InSubtree(actor.OrgPath, deciding.Path),
	}
	defer s.jointDesk(ctx, actor, c, out) // a parallel step's bodies, a countersign's signers (joint.go)
	switch step := c.Steps[c.Step]; {
	case step.Role == "clerk": // 即办: the window decides its own items, and a station those it concludes
		out[cases.Back] = (frontDesk(actor, handling) && actor.Role != access.Agent) || (station && c.StationHandles)
	case step.Level <= 4:
		out[cases.Back] = actor.Role == access.Department && s.ownsCase(ctx, actor, c)
	default:
		out[cases.Back] = (actor.Role == access.Reviewer || actor.Role == access.Director) && inHandling
	}
	return out, nil
}

// deskOf is the desk from which the actor may make a move on a case, if any.
func (s *Service) deskOf(ctx context.Context, actor access.Actor, c cases.Case, a cases.Action) (cases.Desk, error) {
	mine, err := s.desks(ctx, actor, c)
	if err != nil {
		return "", err
	}
	d, err := pickDesk(mine, a, c.State)
	if err != nil && mine[cases.Station] && cases.OrganAct(a) {
		return "", cases.StationRefusal(a) // the station forwards: the reason, not a bare refusal
	}
	return d, err
}

// pickDesk chooses, among the actor's desks that may make the move, one that may make it from the case's
// state (a director is also the front desk of their township, but ends an accepted case as director); when
// none may, the first of them, so that the table gives the reason.
func pickDesk(mine map[cases.Desk]bool, a cases.Action, from cases.State) (cases.Desk, error) {
	var first cases.Desk
	for _, d := range cases.Desks(a) {
		if !mine[d] {
			continue
		}
		if cases.Allowed(from, a, d) {
			return d, nil
		}
		if first == "" {
			first = d
		}
	}
	if first != "" {
		return first, nil
	}
	return "", errs.New(errs.Forbidden, "err.forbidden").With("action", "case."+string(a))
}

// ownsItem reports whether the actor works at the department that owns the item. An item's department never
// changes, so it is remembered.
func (s *Service) ownsItem(ctx context.Context, actor access.Actor, itemID string) bool {
	deptID, ok := s.itemDept.Load(itemID)
	if !ok {
		row, err := s.DB.Item(ctx, itemID)
		if err != nil {
			return false
		}
		deptID = row.DepartmentID
		s.itemDept.Store(itemID, deptID)
	}
	dept, err := s.org(ctx, deptID.(string))
	return err == nil && org.InSubtree(actor.OrgPath, dept.Path)
}

// ownsCase reports whether the actor works at the banner department that works the case's banner steps and
// decides it: the case's department, which is the item's unless a 转办 gave the case to another (handovers.go).
func (s *Service) ownsCase(ctx context.Context, actor access.Actor, c cases.Case) bool {
	if c.Department == "" {
		return s.ownsItem(ctx, actor, c.ItemID)
	}
	dept, err := s.org(ctx, c.Department)
	return err == nil && org.InSubtree(actor.OrgPath, dept.Path)
}

// Act makes a move on a case. version is the case's version as the actor read it: when someone else moved
// the case meanwhile, the move is refused with a conflict and nothing changes.
func (s *Service) Act(ctx context.Context, actor access.Actor, caseID string, version int, a cases.Action, in cases.Input) (cases.Case, error) {
	if err := in.CheckLengths(); err != nil {
		return cases.Case{}, err
	}
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return c, err
	}
	if !slices.Contains(cases.Actions, a) {
		return c, errs.Field("action", "err.item.code_set")
	}
	desk, err := s.deskOf(ctx, actor, c, a)
	if err != nil {
		return c, err
	}
	if c.HeldBy(actor.ID, a, desk) {
		return c, errs.New(errs.Forbidden, "err.case.claimed")
	}
	if err := s.recuse(ctx, actor, c, a, in); err != nil { // 回避 (people.go)
		return c, err
	}
	if err := s.domainRefusal(ctx, actor, c, a, desk, in); err != nil { // 一人负责一块 (people_domains.go)
		return c, err
	}
	switch a {
	case cases.Opinion, cases.LeadDecide, cases.Sign:
		if err := s.jointInput(ctx, actor, c, a, &in); err != nil {
			return c, err
		}
	case cases.Claim:
		in.Assignee = actor.ID
	case cases.Assign:
		if !s.mayHandle(ctx, in.Assignee, c) {
			return c, errs.Field("assignee", "err.case.assignee")
		}
	}
	if c.Version != version {
		return c, errs.New(errs.Conflict, "err.case.conflict")
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return c, err
	}
	if a == cases.AskCorrection || a == cases.Accept || a == cases.AcceptOwed {
		// what the item asks for decides, not what the form sends
		asked, pledge, err := s.DB.VersionMaterials(ctx, c.ItemID, c.ItemVersion)
		if err != nil {
			return c, err
		}
		if in.Materials, err = cases.Reconcile(asked, in.Materials); err != nil {
			return c, err
		}
		if err := s.filesStand(ctx, c.ID, in.Materials); err != nil { // files.go
			return c, err
		}
		c.PledgeAllowed = pledge // the pinned version's, for cases taken in before cases kept it
	}
	if (a == cases.Accept || a == cases.AcceptOwed) && c.WaitsFor != "" {
		on, err := s.DB.Case(ctx, c.WaitsFor)
		if err != nil {
			return c, err
		}
		if e := c.MayAccept(on); e != nil {
			return c, e
		}
	}
	if a == cases.Issue && c.Bundle != "" && !c.IssueApart {
		return s.issueBundle(ctx, actor, c, version, desk, in, clk)
	}
	before := c
	now := s.DB.Now()
	ev, err := c.Apply(a, desk, in, now, clk)
	if err != nil {
		return before, err
	}
	c.Standing = c.StandingOn(clk, now)
	orgID := actor.OrgID
	if actor.System {
		orgID = c.Handling
	}
	phone := ""
	if tpl, _ := messageFor(c, ev); tpl != "" || a == cases.Deliver { // moves that tell the applicant (delivery: the link to rate) need the phone
		if p, err := s.DB.ApplicantPhone(ctx, c.ID, version, c.ApplicantID); err == nil {
			phone = p
		}
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return before, err
	}
	issuer, err := s.noticeIssuer(ctx, c, ev, handling)
	if err != nil {
		return before, err
	}
	var extra []string
	codeHash := ""
	if a == cases.Issue && c.Delivery.Method == "electronic" {
		code := resultCode()
		if codeHash, err = s.hashCode(c.ID, code); err != nil {
			return before, err
		}
		extra = []string{"code", code}
	}
	due := c.DueDay(clk, clock.DateOf(s.DB.Now().In(clk.Rules.Location)))
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveCase(actor, c, version, before, ev, orgID); err != nil {
			return err
		}
		if err := s.issueNotice(tx, actor, c, ev, issuer, due); err != nil {
			return err
		}
		if codeHash != "" {
			if err := tx.SetResultCode(c.ID, codeHash); err != nil {
				return err
			}
		}
		if err := s.inviteRating(tx, c, ev, phone, handling); err != nil { // 一事一评 by 短信 (ratings.go)
			return err
		}
		if err := s.pushMove(ctx, tx, actor, c, ev, handling, due); err != nil { // to the upper platform and webhooks (upstream.go)
			return err
		}
		return s.tell(tx, c, ev, phone, handling, extra...)
	})
	if err != nil {
		return before, err
	}
	if c.Bundle != "" && cases.AwaitOf(c) == cases.AwaitFailed {
		if err := s.endWaiting(ctx, c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// endWaiting ends, each by its own move, the cases of a bundle that wait for a case that was just denied,
// refused or terminated (cases.Case.EndsWith): what they need will not come. The reason names the item in
// both languages, and the applicant is told as for any termination.
func (s *Service) endWaiting(ctx context.Context, on cases.Case) error {
	siblings, err := s.DB.CasesOfBundle(ctx, on.Bundle)
	if err != nil {
		return err
	}
	on = s.withItemMn(ctx, on)
	reason := s.Catalog.T(i18n.Zh, "case.awaited_failed_reason", "item", on.ItemName) + " / " +
		s.Catalog.T(i18n.Mn, "case.awaited_failed_reason", "item", on.ItemNameIn("mn"))
	for _, sib := range siblings {
		if !sib.EndsWith(on) {
			continue
		}
		if _, err := s.Act(ctx, access.System, sib.ID, sib.Version, cases.Terminate, cases.Input{Reason: reason}); err != nil && errs.CodeOf(err) != errs.Conflict {
			return err
		}
	}
	return nil
}

// Work is a case in someone's queue, with its deadline and card.
type Work struct {
	Case      cases.Case
	Due       clock.Date
	Remaining int
	Card      clock.Card
	// DueProvisional: Due was counted over a year without its official holiday schedule (clock.Statutory).
	DueProvisional bool
	StepDue        clock.Date // the current step's own deadline, when it has one
	StepCard       clock.Card
	Mine           []cases.Action // the moves the actor may make now
	// OwedOverdue flags a 容缺 case whose owed materials are late: the path leads to termination.
	OwedOverdue bool
	// Phase is the clock Due and Card are of (intake, decision, issue); Deemed flags a case deemed accepted
	// (行政许可法 第32条(四)); see clocks.go.
	Phase  cases.Phase
	Deemed bool
	// Awaits is the case of the same bundle this one waits for, while it cannot yet be accepted (waits.go).
	Awaits *Awaiting
}

// Queue lists the open cases the actor works on or watches, the least time left first.
func (s *Service) Queue(ctx context.Context, actor access.Actor) ([]Work, error) {
	if !actor.Role.Has(access.ApplicantRead) {
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.read")
	}
	dept := ""
	if actor.Role == access.Department || actor.Role == access.Director {
		dept = actor.OrgID // a department's staff and head see its items' cases (a township matches no item)
	}
	list, err := s.DB.CasesIn(ctx, actor.OrgPath, dept, 500)
	if err != nil {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	today := clock.DateOf(s.DB.Now().In(clk.Rules.Location))
	out := make([]Work, 0, len(list))
	for _, c := range list {
		out = append(out, s.work(ctx, actor, c, clk, today))
	}
	front := actor.Role == access.Clerk || actor.Role == access.Director || actor.Role == access.Agent
	slices.SortStableFunc(out, func(a, b Work) int {
		if front && a.Case.Helped != b.Case.Helped { // 帮办: those who need help first at the desk (assist.go)
			return map[bool]int{true: -1, false: 1}[a.Case.Helped]
		}
		ak, bk := a.Due.IsZero(), b.Due.IsZero()
		switch {
		case ak && bk:
			return 0
		case ak:
			return 1
		case bk:
			return -1
		}
		return a.Remaining - b.Remaining
	})
	return out, nil
}

func (s *Service) work(ctx context.Context, actor access.Actor, c cases.Case, clk clock.Clock, today clock.Date) Work {
	w := s.standingWork(ctx, c, clk, today)
	c = w.Case
	w.Awaits = s.awaiting(ctx, c)
	mine, err := s.desks(ctx, actor, c)
	if err != nil {
		return w
	}
	for _, a := range cases.Actions {
		if d, err := pickDesk(mine, a, c.State); err == nil && cases.Allowed(c.State, a, d) && c.Ready(a) && !c.HeldBy(actor.ID, a, d) {
			w.Mine = append(w.Mine, a)
		}
	}
	return w
}

// standingWork is a case with its deadline, the working days left and its cards, by the same standing the
// sweep and the figures use (one rule for the card wherever it shows), and its item's Mongolian name.
func (s *Service) standingWork(ctx context.Context, c cases.Case, clk clock.Clock, today clock.Date) Work {
	c = s.withItemMn(ctx, c)
	c.Standing = c.StandingOn(clk, s.DB.Now())
	st := c.Standing
	w := Work{Case: c, Due: st.Due, Card: st.Card, StepDue: st.StepDue, StepCard: st.StepCard, OwedOverdue: c.OwedOverdue(today),
		Phase: st.Phase, Deemed: c.DeemedAccepted(clk, today)}
	if !st.Due.IsZero() {
		w.Remaining = clk.Remaining(today, st.Due)
		from := c.Accepted
		if from.IsZero() { // the intake clock runs from receipt
			from = c.Received
		}
		w.DueProvisional = clk.Provisional(from, st.Due)
	}
	return w
}

// CaseFor reads a case for someone who works on it or watches it: the receiving or handling township's
// staff, the owning department, supervisors above.
func (s *Service) CaseFor(ctx context.Context, actor access.Actor, id string) (Work, []store.CaseEvent, error) {
	c, err := s.DB.Case(ctx, id)
	if err != nil {
		return Work{}, nil, err
	}
	recv, err := s.DB.Org(ctx, c.Receiving)
	if err != nil {
		return Work{}, nil, err
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return Work{}, nil, err
	}
	if !actor.Can(access.ApplicantRead, recv.Path) && !actor.Can(access.ApplicantRead, handling.Path) &&
		!((actor.Role == access.Department || actor.Role == access.Director) && s.ownsCase(ctx, actor, c) && !handedDown(c)) &&
		s.GuidanceSight(ctx, actor, c) == delegation.NoSight && !s.jointReader(ctx, actor, c) && !s.handoverReader(ctx, actor, c) {
		return Work{}, nil, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.read")
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return Work{}, nil, err
	}
	events, err := s.DB.CaseEvents(ctx, id)
	return s.work(ctx, actor, c, clk, clock.DateOf(s.DB.Now().In(clk.Rules.Location))), events, err
}

// handedDown reports whether a delegation handed all of the case's steps down to the township: the
// department then reads it only as the guidance rule allows (delegation.Guide: its paired counterpart, in the
// guidance period; the seed 四.(一)).
func handedDown(c cases.Case) bool {
	if c.Delegation == "" {
		return false
	}
	for _, st := range c.Steps {
		if st.Level >= 1 && st.Level <= 4 {
			return false
		}
	}
	return true
}

// Tracking is what the public tracking page shows: the case's number, item, state and timeline by role,
// without names or personal data.
type Tracking struct {
	No         string
	ItemName   string
	ItemNameMn string
	State      cases.State
	Due        clock.Date
	// DueProvisional: Due was counted over a year without its official holiday schedule (clock.Statutory).
	DueProvisional bool
	Events         []store.CaseEvent
	// Public is the timeline in the resident's words: stages, dates, outcome, what to do next.
	Public cases.PublicView
}

// publicTimeline is what the public may see of a case: its number, item, state, due day and timeline by
// role, without notes.
func (s *Service) publicTimeline(ctx context.Context, c cases.Case) (Tracking, error) {
	clk, err := s.Clock(ctx)
	if err != nil {
		return Tracking{}, err
	}
	events, err := s.DB.CaseEvents(ctx, c.ID)
	if err != nil {
		return Tracking{}, err
	}
	for i := range events {
		events[i].Note = "" // notes may name people or reasons meant for the file, not the public
	}
	due := c.DueDay(clk, clock.DateOf(s.DB.Now().In(clk.Rules.Location)))
	c = s.withItemMn(ctx, c)
	plain := make([]cases.Event, len(events))
	for i, e := range events {
		plain[i] = e.Event
	}
	return Tracking{No: c.No, ItemName: c.ItemName, ItemNameMn: c.ItemNameMn, State: c.State, Due: due.Day, DueProvisional: due.Provisional, Events: events,
		Public: cases.PublicTimeline(c, plain)}, nil
}

// issueBundle issues every case of a bundle together, in one transaction, once all are decided.
func (s *Service) issueBundle(ctx context.Context, actor access.Actor, c cases.Case, version int, desk cases.Desk, in cases.Input, clk clock.Clock) (cases.Case, error) {
	siblings, err := s.DB.CasesOfBundle(ctx, c.Bundle)
	if err != nil {
		return c, err
	}
	if err := cases.IssueTogether(siblings); err != nil {
		return c, err
	}
	phone := ""
	if a, err := s.DB.Applicant(ctx, c.ApplicantID); err == nil {
		phone = a.Phone
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return c, err
	}
	now := s.DB.Now()
	var mine cases.Case
	code := resultCode()
	codeHashes := map[string]string{} // one code for the bundle's results, each hashed with its case
	for _, sib := range siblings {
		if sib.State == cases.Decided {
			if codeHashes[sib.ID], err = s.hashCode(sib.ID, code); err != nil {
				return c, err
			}
		}
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		for _, sib := range siblings {
			v := sib.Version
			if sib.ID == c.ID && v != version {
				return errs.New(errs.Conflict, "err.case.conflict")
			}
			if sib.State != cases.Decided {
				continue // refused or terminated items of the bundle have nothing to issue
			}
			before := sib
			ev, err := sib.Apply(cases.Issue, desk, in, now, clk)
			if err != nil {
				return err
			}
			sib.Standing = sib.StandingOn(clk, now)
			var extra []string
			if err := tx.SaveCase(actor, sib, v, before, ev, actor.OrgID); err != nil {
				return err
			}
			if sib.Delivery.Method == "electronic" {
				if err := tx.SetResultCode(sib.ID, codeHashes[sib.ID]); err != nil {
					return err
				}
				extra = []string{"code", code}
			}
			// each result has its 送达回证; one message for the whole bundle
			issuer, err := s.noticeIssuer(ctx, sib, ev, handling)
			if err != nil {
				return err
			}
			if err := s.issueNotice(tx, actor, sib, ev, issuer, clock.DueDay{}); err != nil {
				return err
			}
			if err := s.pushMove(ctx, tx, actor, sib, ev, handling, clock.DueDay{}); err != nil {
				return err
			}
			if sib.ID == c.ID {
				mine = sib
				if err := s.tell(tx, sib, ev, phone, handling, extra...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	return mine, nil
}

// Result is an electronic result as the applicant downloads it: the whole decision, as its printed notice
// says it (行政许可法 第38条: a denial gives its reasons and the remedies, 行政复议 and 行政诉讼).
type Result struct {
	Case   cases.Case
	Issuer org.Org      // the deciding organ
	Banner org.Org      // the issuer's banner: its people's government reviews (复议), its court hears (诉讼)
	Notice store.Notice // the decision notice (准予决定书 or 不予决定书), without its document
}

// DownloadResult gives the applicant their electronic result for the case number and the code sent to
// them; the first download records the delivery (送达).
func (s *Service) DownloadResult(ctx context.Context, no, code, client string) (Result, error) {
	if !s.limiter.allow("result:"+client, s.DB.Now()) {
		return Result{}, errs.New(errs.Locked, "err.login.throttled")
	}
	if err := textLimits(limit("no", no, cases.MaxCaseNo), limit("result_code", code, cases.MaxCaseNo)); err != nil {
		return Result{}, err
	}
	notFound := errs.New(errs.NotFound, "err.case.result_not_found")
	c, err := s.DB.CaseByNo(ctx, strings.TrimSpace(no))
	if err != nil || c.Delivery == nil || c.Delivery.Method != "electronic" {
		s.codeMatches("", code, "") // the same work as a check
		return Result{}, notFound
	}
	if err := s.checkResultCode(ctx, c, trimCode(code)); err != nil {
		return Result{}, err
	}
	if c.State == cases.Issued {
		moved, err := s.Act(ctx, access.System, c.ID, c.Version, cases.Deliver, cases.Input{})
		switch {
		case errs.CodeOf(err) == errs.Conflict:
			// a second download at the same moment recorded it: read the case again
			if c, err = s.DB.Case(ctx, c.ID); err != nil {
				return Result{}, err
			}
		case err != nil:
			return Result{}, err
		default:
			c = moved
		}
	}
	res := Result{Case: s.withItemMn(ctx, c)}
	if res.Issuer, err = s.DB.Org(ctx, c.DecidingOrg()); err != nil {
		return Result{}, err
	}
	if res.Issuer.ParentID != "" {
		if res.Banner, err = s.DB.Org(ctx, res.Issuer.ParentID); err != nil {
			return Result{}, err
		}
	}
	notices, err := s.DB.NoticeList(ctx, c.ID)
	if err != nil {
		return Result{}, err
	}
	for _, n := range notices {
		if n.Kind == cases.NoticeGrant || n.Kind == cases.NoticeDeny {
			res.Notice = n
		}
	}
	return res, nil
}

// RouteNote records a hand-off from the receiving to the handling township on an event.
func RouteNote(from, to string) string { return "route:" + from + ":" + to }

// ParseRouteNote reads a hand-off note.
func ParseRouteNote(note string) (from, to string, ok bool) {
	rest, ok := strings.CutPrefix(note, "route:")
	if !ok {
		return "", "", false
	}
	from, to, ok = strings.Cut(rest, ":")
	return from, to, ok
}

// numberPrefix is what a township's case and notice numbers start with: its abbreviation, else its division
// code, else its id (an uncoded unit): the random tail of an id of today's form (its head is the time it was
// made, alike for units made together), the head of a UUID kept from before, so that its numbers stay as
// they were.
func numberPrefix(o org.Org) string {
	switch {
	case o.Abbr != "":
		return o.Abbr
	case o.Code != "":
		return o.Code
	}
	if len(o.ID) == 36 {
		return o.ID[:8]
	}
	return o.ID[len(o.ID)-8:]
}

// localYear is the year on the hall's calendar (China time), not the server's.
func localYear(t time.Time) int { return t.In(clock.DefaultRules().Location).Year() }

// mayHandle reports whether a member of staff works the back office of the case's current step, so that
// the director may give it to them.
func (s *Service) mayHandle(ctx context.Context, staffID string, c cases.Case) bool {
	st, err := s.DB.Staff(ctx, staffID)
	if err != nil || !st.Active {
		return false
	}
	mine, err := s.desks(ctx, st.Actor(), c)
	return err == nil && mine[cases.Back]
}

// Assignable lists the staff a director may give the case to: those who work the back office of its current
// step (the handling township's reviewers and director, or the owning department's staff for a banner step).
func (s *Service) Assignable(ctx context.Context, actor access.Actor, c cases.Case) ([]people.Staff, error) {
	if actor.Role != access.Director && !actor.System {
		return nil, nil
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return nil, err
	}
	pool, err := s.DB.StaffIn(ctx, handling.Path)
	if err != nil {
		return nil, err
	}
	if row, err := s.DB.Item(ctx, c.ItemID); err == nil {
		if dept, err := s.DB.Org(ctx, row.DepartmentID); err == nil {
			more, err := s.DB.StaffIn(ctx, dept.Path)
			if err != nil {
				return nil, err
			}
			pool = append(pool, more...)
		}
	}
	var out []people.Staff
	for _, st := range pool {
		if mine, err := s.desks(ctx, st.Actor(), c); err == nil && mine[cases.Back] && st.Active &&
			s.domainRefusal(ctx, actor, c, cases.Assign, cases.Director, cases.Input{Assignee: st.ID}) == nil {
			out = append(out, st)
		}
	}
	return out, nil
}

// NumberPrefix is what a township's case and notice numbers begin with (for bulk loads that number cases
// themselves).
func NumberPrefix(o org.Org) string { return numberPrefix(o) }
