package cases

import (
	"time"

	"bianmin/internal/clock"
)

// Standing is where a case stands against its deadlines on a day: the days of its life as yyyymmdd numbers,
// the due and first-yellow days of the case and of its current step, and the cards they give. It is kept in
// columns beside the case so that a sweep and the supervision figures work in the database, without
// reading a million documents.
type Standing struct {
	ReceivedOn, AcceptedOn, DecidedOn int // 0 until it happens
	// Phase is the clock that runs now (intake, decision, issue; "" none), and Due, YellowFrom and Card are
	// that clock's (clocks.go). Stands says the clock stands (suspended, or in a special step).
	Phase           Phase
	Stands          bool
	Due, YellowFrom clock.Date
	Card            clock.Card // "" when no clock runs (waiting for a correction, closed)
	// DecisionDue is the decision clock's due day once accepted, whatever runs now.
	DecisionDue clock.Date
	// LateIntakeOn and LateIssueOn are the days the window answered after its intake clock and the result was
	// delivered after its issue clock (0: not late), for supervision.
	LateIntakeOn, LateIssueOn int
	StepDue, StepYellowFrom   clock.Date
	StepCard                  clock.Card
	// DaysUsed is the working days from acceptance to decision (-1 before a decision); OnTime says the
	// decision came by the due day.
	DaysUsed int
	OnTime   bool
}

// StandingOn computes the case's standing at a moment.
func (c Case) StandingOn(clk clock.Clock, now time.Time) Standing {
	loc := clk.Rules.Location
	today := clock.DateOf(now.In(loc))
	st := Standing{ReceivedOn: dayInt(c.Received, loc), AcceptedOn: dayInt(c.Accepted, loc), DaysUsed: -1,
		LateIntakeOn: c.LateIntake.Int(), LateIssueOn: c.LateIssue.Int(), Phase: c.Phase()}
	if c.Decision != nil {
		st.DecidedOn = dayInt(c.Decision.At, loc)
	}
	// the clocks before acceptance and after the decision (行政许可法 第32条, 第44条)
	switch st.Phase {
	case PhaseIntake:
		st.Due = c.IntakeDue(clk)
		st.YellowFrom = clk.YellowFrom(IntakeDays, st.Due)
		st.Card = clock.CardOn(today, st.YellowFrom, st.Due)
	case PhaseIssue:
		st.Due = c.IssueDue(clk)
		st.YellowFrom = clk.YellowFrom(IssueDays, st.Due)
		st.Card = clock.CardOn(today, st.YellowFrom, st.Due)
	}
	due, ok := c.Due(clk, today)
	if !ok {
		return st
	}
	st.DecisionDue = due
	if st.Phase == PhaseDecision {
		st.Due, st.YellowFrom = due, clk.YellowFrom(c.LimitDays, due)
	}
	switch {
	case c.Decision != nil:
		decided := clock.DateOf(c.Decision.At.In(loc))
		// the working days the law counts: without the days the clock stood (行政许可法 第45条)
		used := clk.Cal.WorkingDaysBetween(clock.DateOf(c.DecisionStart().In(loc)), decided)
		for _, x := range c.Suspensions {
			to := x.To
			if to.IsZero() || to.After(decided) {
				to = decided
			}
			if !x.From.After(to) {
				used -= clk.Cal.WorkingDaysIn(x.From, to)
			}
		}
		st.DaysUsed = max(used, 0)
		st.OnTime = !due.Before(decided)
	case c.State == Accepted || c.State == Suspended:
		st.Stands = c.State == Suspended || c.StepStands()
		st.Card = clock.CardOn(today, st.YellowFrom, due)
		if st.Stands && st.Card != clock.Red {
			st.Card = clock.Green // the clock stands; a case suspended once overdue stays red
		}
		st.StepDue, st.StepYellowFrom, st.StepCard = c.stepStanding(clk, today)
	}
	return st
}

// stepStanding is the current step's deadline and card, when the step has a limit of its own and its time
// counts (a special procedure's does not).
func (c Case) stepStanding(clk clock.Clock, today clock.Date) (due, yellow clock.Date, card clock.Card) {
	if c.Step >= len(c.Steps) || c.StepSince.IsZero() {
		return
	}
	s := c.Steps[c.Step]
	if s.Special != "" || (s.Days == 0 && s.Unit != clock.Instant) || s.Unit == "" {
		return
	}
	since := clock.DateOf(c.StepSince.In(clk.Rules.Location))
	var susp []clock.Suspension
	for _, x := range c.Suspensions {
		if !x.From.Before(since) {
			susp = append(susp, x.Suspension)
		}
	}
	due = clk.Deadline(c.StepSince, s.Unit, s.Days, susp, clock.Extension{}, today)
	yellow = clk.YellowFrom(s.Days, due)
	card = clock.CardOn(today, yellow, due)
	if (c.State == Suspended || c.StepStands()) && card != clock.Red {
		card = clock.Green
	}
	return
}

// NoDueDay places an open case without a due day after every dated one in a desk's queue.
const NoDueDay = 99999999

// QueueDay is the day that orders the case in a desk's queue (nearest first; kept with the clock row,
// migration 023): its running clock's due day as yyyymmdd, NoDueDay without one, 0 once closed (a closed case
// is in no queue). Standing must be computed.
func (c Case) QueueDay() int {
	switch {
	case c.State.Closed():
		return 0
	case c.Standing.Due.IsZero():
		return NoDueDay
	}
	return c.Standing.Due.Int()
}

func dayInt(t time.Time, loc *time.Location) int {
	if t.IsZero() {
		return 0
	}
	return clock.DateOf(t.In(loc)).Int()
}
