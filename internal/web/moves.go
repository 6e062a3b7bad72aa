package web

import (
	"slices"
	"strconv"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/store"
)

// One form per move (issue 12, item 3): the case page offers each move the viewer may make as its own
// labelled form with only its own fields, and after a move says what happened and what comes next.

// windowMoves are made from the window's own forms (the material check, the refusal); the others each get a
// form of their own in moveOrder.
var windowMoves = []cases.Action{cases.Accept, cases.AskCorrection, cases.AcceptOwed, cases.Refuse, cases.OwedArrived}

// moveOrder is the order of the move forms: the ones that carry the case forward first, the ones that stop
// or end it last.
var moveOrder = []cases.Action{cases.Claim, cases.Resubmit, cases.Pass, cases.Decide, cases.Issue, cases.Deliver, cases.ApproveExtension,
	cases.RejectExtension, cases.Assign, cases.PledgeChecked, cases.Return, cases.Resume, cases.Suspend, cases.RequestExtension,
	cases.Release, cases.Revoke, cases.Terminate}

// MoveForms lists the moves of the case page's move section, in order; terminate only when the owed
// materials are overdue or the case is still at the window (the director's 终止 of a 容缺 case).
func (v caseView) MoveForms() []string {
	var out []string
	for _, a := range moveOrder {
		if !slices.Contains(v.Work.Mine, a) || slices.Contains(windowMoves, a) {
			continue
		}
		if a == cases.Terminate && !v.Work.OwedOverdue && v.Work.Case.State != cases.Received && v.Work.Case.State != cases.Correction {
			continue
		}
		out = append(out, string(a))
	}
	return out
}

// ReasonField says whether a move's form has a reasons field, and ReasonRequired whether the law requires
// one (cases.ReasonKey; for a decision, when it denies).
func (p *Page) ReasonField(a string) bool {
	switch cases.Action(a) {
	case cases.Refuse, cases.Return, cases.Suspend, cases.RequestExtension, cases.ApproveExtension, cases.RejectExtension,
		cases.Decide, cases.Terminate, cases.PledgeChecked, cases.Revoke:
		return true
	}
	return false
}

func (p *Page) ReasonRequired(a string) bool {
	return cases.ReasonKey(cases.Action(a), cases.Input{Grant: true}) != ""
}

// Fid is the id of a move form's field: the form of the move that was just refused gets the plain id, which
// the error summary links to (#f-reason); the others are suffixed with their move so that ids stay unique.
func (p *Page) Fid(name, action string) string {
	if p.Form["action"] == action {
		return "f-" + name
	}
	return "f-" + name + "-" + action
}

// MoveErr is the error on a field of a move's form, shown only on the form of the move that was refused.
func (p *Page) MoveErr(name, action string) string {
	if p.Form["action"] != action {
		return ""
	}
	return p.Err(name)
}

// MoveV is the value a refused move's form had, kept for the person to correct.
func (p *Page) MoveV(name, action string) string {
	if p.Form["action"] != action {
		return ""
	}
	return p.Form[name]
}

// Limits, stated on the fields (the service refuses longer text, for the API as well).
func (p *Page) MaxReason() int { return cases.MaxReason }
func (p *Page) MaxNote() int   { return cases.MaxNote }

// MaxTracking is the longest postal tracking number the service takes (cases.MaxTracking).
func (p *Page) MaxTracking() int { return cases.MaxTracking }

// Done is the confirmation after a move: what happened, what comes next, and the notice it gave, to print.
type Done struct {
	Action string
	What   string
	Next   string
	Notice *store.Notice
}

// done builds the confirmation of a move just made on the case as it now stands.
func (s *Server) done(p *Page, v caseView, action string) *Done {
	if action == "order" || action == "order_answer" { // 督办 issued or answered on the case's page
		return &Done{Action: action, What: p.T("done." + action)}
	}
	a := cases.Action(action)
	if !slices.Contains(cases.Actions, a) || len(v.Events) == 0 {
		return nil
	}
	c := v.Work.Case
	step := ""
	if c.Step < len(c.Steps) {
		step = c.Steps[c.Step].Name
	}
	args := []string{"due", v.Work.Due.String(), "step", step, "days", strconv.Itoa(c.Extension), "no", c.No}
	if r := c.ExtensionRequest; r != nil {
		args = append(args, "asked", strconv.Itoa(r.Days))
	}
	d := &Done{Action: action, What: p.T("done."+action, args...)}
	if c.Decision != nil && a == cases.Decide {
		key := "done.decide.deny"
		if c.Decision.Grant {
			key = "done.decide.grant"
		}
		d.What = p.T(key, args...)
	}
	if !c.State.Closed() {
		d.Next = p.T("next."+string(c.State), args...)
	}
	// the notice this move gave, if any: the newest, issued with the move's event
	last := v.Events[len(v.Events)-1].At
	for i := len(v.Notices) - 1; i >= 0; i-- {
		if n := v.Notices[i]; !n.Issued.Before(last.Add(-time.Second)) {
			d.Notice = &n
			break
		}
	}
	return d
}

// MoveForm is what the "moveform" template needs: the page and the move.
type MoveForm struct {
	P      *Page
	Action string
}

// Move prepares a move's form.
func (p *Page) Move(a string) MoveForm { return MoveForm{P: p, Action: a} }
