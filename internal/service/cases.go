package service

import (
	"context"
	"slices"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/store"
)

// Clock is the working-day clock on the current calendar.
func (s *Service) Clock(ctx context.Context) (clock.Clock, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return clock.Clock{}, err
	}
	return clock.New(cal, clock.DefaultRules()), nil
}

// ReceiveInput is an application taken in at a window or a station.
type ReceiveInput struct {
	ItemID        string `json:"item_id"`
	ApplicantID   string `json:"applicant_id"`
	Authorisation string `json:"authorisation,omitempty"` // a station's agent: how the resident authorised them
	ReceivingOrg  string `json:"receiving_org,omitempty"` // only for system intake; staff receive at their own organisation
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
	recvID := actor.OrgID
	if actor.System {
		recvID = in.ReceivingOrg
	}
	recv, err := s.DB.Org(ctx, recvID)
	if err != nil {
		return cases.Case{}, errs.Field("receiving_org", "err.not_found").With("what", "org")
	}
	if !frontDesk(actor, recv) || (recv.Kind != org.Township && recv.Kind != org.Village) {
		return cases.Case{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.receive")
	}
	var l errs.List
	// The applicant stands at the window with their papers: any registered applicant may be received for.
	a, err := s.DB.Applicant(ctx, in.ApplicantID)
	if err != nil {
		l.Add(errs.Field("applicant_id", "err.not_found").With("what", "applicant"))
	}
	row, err := s.DB.Item(ctx, in.ItemID)
	var it catalog.Item
	if err == nil && row.Published > 0 {
		it, err = s.DB.ItemVersion(ctx, row.ID, row.Published)
	}
	if err != nil || row.Published == 0 {
		l.Add(errs.Field("item_id", "err.not_found").With("what", "item"))
	}
	channel := cases.AtWindow
	if recv.Kind == org.Village {
		channel = cases.ByStation
		if it.Village == catalog.VillageNone && row.Published > 0 {
			l.Add(errs.Field("item_id", "err.case.not_at_station"))
		}
		if strings.TrimSpace(in.Authorisation) == "" {
			l.Add(errs.Field("authorisation", "err.required"))
		}
	}
	if err := l.Err(); err != nil {
		return cases.Case{}, err
	}
	home, err := s.DB.Org(ctx, a.OrgID)
	if err != nil {
		return cases.Case{}, err
	}
	handling, err := s.township(ctx, home)
	if err != nil {
		return cases.Case{}, err
	}
	recvTownship, err := s.township(ctx, recv)
	if err != nil {
		return cases.Case{}, err
	}
	steps := make([]cases.Step, len(it.Steps))
	for i, st := range it.Steps {
		steps[i] = cases.Step{Name: st.Name, Role: st.Role, Level: st.Level, Special: st.Special}
	}
	now := s.DB.Now()
	c := cases.Case{ItemID: it.ID, ItemVersion: it.Version, ItemName: it.NameZh, Channel: channel, Receiving: recv.ID, Handling: handling.ID,
		ApplicantID: a.ID, Authorised: strings.TrimSpace(in.Authorisation), State: cases.Received, Steps: steps, Received: now,
		LimitUnit: clock.Unit(it.PromisedLimit.Unit), LimitDays: it.PromisedLimit.Value}
	if channel == cases.ByStation {
		c.AgentID = actor.ID
	}
	ev := cases.Event{Action: "receive", To: cases.Received, At: now, Desk: cases.Front}
	if recvTownship.ID != handling.ID {
		ev.Note = "通办: " + recvTownship.NameZh + " → " + handling.NameZh
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.Idempotent(key, "case", actor.ID, func() (string, error) {
			c.ID = ""
			err := tx.CreateCase(actor, &c, handling.Abbr, ev, recv.ID)
			return c.ID, err
		})
		return err
	})
	if err != nil {
		return c, err
	}
	return s.DB.Case(ctx, id)
}

// deskOf finds the desk from which the actor may make a move on a case, if any: the front desk of the
// receiving organisation, the back office of the current step's organisation (the handling township's
// reviewers for township and village steps, the item's department for banner steps), or the handling
// township's director.
func (s *Service) deskOf(ctx context.Context, actor access.Actor, c cases.Case, a cases.Action) (cases.Desk, error) {
	recv, err := s.DB.Org(ctx, c.Receiving)
	if err != nil {
		return "", err
	}
	handling, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return "", err
	}
	for _, d := range cases.Desks(a) {
		switch d {
		case cases.Front:
			if frontDesk(actor, recv) {
				return d, nil
			}
		case cases.Director:
			if actor.System || (actor.Role == access.Director && org.InSubtree(actor.OrgPath, handling.Path)) {
				return d, nil
			}
		case cases.Back:
			if actor.System {
				return d, nil
			}
			step := c.Steps[c.Step]
			if step.Level <= 4 {
				if actor.Role == access.Department && s.ownsItem(ctx, actor, c.ItemID) {
					return d, nil
				}
			} else if (actor.Role == access.Reviewer || actor.Role == access.Director) && org.InSubtree(actor.OrgPath, handling.Path) {
				return d, nil
			}
		}
	}
	return "", errs.New(errs.Forbidden, "err.forbidden").With("action", "case."+string(a))
}

// ownsItem reports whether the actor works at the department that owns the item.
func (s *Service) ownsItem(ctx context.Context, actor access.Actor, itemID string) bool {
	row, err := s.DB.Item(ctx, itemID)
	if err != nil {
		return false
	}
	dept, err := s.DB.Org(ctx, row.DepartmentID)
	return err == nil && org.InSubtree(actor.OrgPath, dept.Path)
}

// Act makes a move on a case. version is the case's version as the actor read it: when someone else moved
// the case meanwhile, the move is refused with a conflict and nothing changes.
func (s *Service) Act(ctx context.Context, actor access.Actor, caseID string, version int, a cases.Action, in cases.Input) (cases.Case, error) {
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
	if c.Version != version {
		return c, errs.New(errs.Conflict, "err.case.conflict")
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return c, err
	}
	before := c
	ev, err := c.Apply(a, desk, in, s.DB.Now(), clk)
	if err != nil {
		return before, err
	}
	orgID := actor.OrgID
	if actor.System {
		orgID = c.Handling
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveCase(actor, c, version, before, ev, orgID) })
	if err != nil {
		return before, err
	}
	return c, nil
}
