package cases

import (
	"slices"
	"strings"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// The clocks around a case. Before acceptance the window has five working days to give the one-time notice
// or accept (行政许可法 第32条(四)); from acceptance the decision has the item's limit (第42条); after the
// decision the result is to be issued and delivered within ten working days (第44条). Each clock has its
// yellow and red cards; the one that runs is the case's phase.

// IntakeDays is the window's time, in working days, from receiving an application (or the materials brought
// in answer to a notice) to its one-time notice, acceptance or refusal: 行政许可法 第32条(四), "当场或者在五日内
// 一次告知申请人需要补正的全部内容，逾期不告知的，自收到申请材料之日起即为受理" (期限 in working days, 第82条).
const IntakeDays = 5

// IssueDays is the time, in working days, from the decision to issuing and delivering its result:
// 行政许可法 第44条, "自作出决定之日起十日内向申请人颁发、送达". The same period is kept for a denial's decision,
// which is delivered the same way.
const IssueDays = 10

// Phase is which of a case's clocks runs.
type Phase string

const (
	PhaseIntake   Phase = "intake"   // received, at the window: 第32条
	PhaseDecision Phase = "decision" // accepted or suspended: 第42条, 第45条
	PhaseIssue    Phase = "issue"    // decided, or issued and not yet delivered: 第44条
)

// Phase is the clock that runs in the case's state ("" when none: waiting for the applicant's correction,
// or closed). An electronic result is served when sent (the code reaches the applicant), so an issued
// electronic result has no clock left; one handed out or posted runs until its delivery is recorded.
func (c Case) Phase() Phase {
	switch c.State {
	case Received:
		return PhaseIntake
	case Accepted, Suspended:
		return PhaseDecision
	case Decided:
		return PhaseIssue
	case Issued:
		if c.Delivery == nil || c.Delivery.Method != "electronic" {
			return PhaseIssue
		}
	}
	return ""
}

// IntakeStart is when the window's intake clock started: the receipt, or the latest resubmission of what a
// notice asked for (the materials are received again, 第32条(四)-(五)).
func (c Case) IntakeStart() time.Time {
	if !c.IntakeSince.IsZero() {
		return c.IntakeSince
	}
	return c.Received
}

// IntakeDue is the last day for the window's one-time notice or acceptance.
func (c Case) IntakeDue(clk clock.Clock) clock.Date {
	return clk.Due(c.IntakeStart(), clock.WorkingDays, IntakeDays)
}

// DeemedAccepted reports a case the window left unanswered past its intake clock: by 第32条(四) the
// application counts as accepted from its receipt (逾期视为受理). True while it still waits at the window past
// the day, and after an acceptance that came late.
func (c Case) DeemedAccepted(clk clock.Clock, today clock.Date) bool {
	if !c.DeemedFrom.IsZero() {
		return true
	}
	return c.State == Received && c.IntakeDue(clk).Before(today)
}

// DecisionStart is the moment the decision clock counts from: the acceptance, or the receipt when the case
// was deemed accepted (第32条(四): "自收到申请材料之日起即为受理").
func (c Case) DecisionStart() time.Time {
	if !c.DeemedFrom.IsZero() {
		return c.DeemedFrom
	}
	return c.Accepted
}

// IssueDue is the last day to issue and deliver the result (第44条); zero before a decision.
func (c Case) IssueDue(clk clock.Clock) clock.Date {
	if c.Decision == nil {
		return clock.Date{}
	}
	return clk.Due(c.Decision.At, clock.WorkingDays, IssueDays)
}

// ExtensionIn is the case's approved extension with the unit it is counted in: working days for a
// 行政许可 (第82条) and wherever the item says nothing, else the item's unit carried onto the case at intake.
func (c Case) ExtensionIn() clock.Extension {
	u := c.ExtensionUnit
	if u != clock.NaturalDays {
		u = clock.WorkingDays
	}
	return clock.Extension{Days: c.Extension, Unit: u}
}

// Extendable reports whether the case has a decision period to extend: a 即办 item (decided on the spot,
// 第42条 "除可以当场作出行政许可决定的外") has none.
func (c Case) Extendable() bool { return c.LimitUnit != clock.Instant }

// checkExtendable refuses an extension of an instant item.
func (c Case) checkExtendable() *errs.Error {
	if !c.Extendable() {
		return errs.Field("days", "err.case.extension_instant")
	}
	return nil
}

// SpecialKind is the kind of suspension a special step (特别程序) stands the clock with: the step's Special
// when it names a kind (公示, 听证 ...), else 其他.
func SpecialKind(s Step) string {
	for _, k := range SuspendKinds {
		if s.Special == k || strings.Contains(s.Special, k) {
			return k
		}
	}
	return "其他"
}

// keepClocks is what a move does to the clocks, beyond the move's own rules (Apply calls it on the moved
// case with the case as it was):
//   - the intake clock stops at the first answer of the window (notice, acceptance, refusal, termination);
//     an answer after its day is a late intake, counted in supervision, and an acceptance after it counts the
//     decision clock from the receipt (第32条(四));
//   - a resubmission starts the intake clock again;
//   - delivery (or an electronic issue) stops the issue clock; after its day it is a late issue (第44条);
//   - entering a special step (特别程序，不计入时限) starts a suspension of its kind, leaving it ends that
//     suspension (第45条: 所需时间不计算在本节规定的期限内).
func (c *Case) keepClocks(prev Case, a Action, now time.Time, clk clock.Clock) {
	today := clock.DateOf(now.In(clk.Rules.Location))
	if prev.State == Received && c.State != Received {
		if prev.IntakeDue(clk).Before(today) {
			if c.LateIntake.IsZero() {
				c.LateIntake = today
			}
			if c.State == Accepted {
				c.DeemedFrom = prev.IntakeStart()
			}
		}
	}
	if a == Resubmit {
		c.IntakeSince = now
	}
	if prev.Phase() == PhaseIssue && c.Phase() != PhaseIssue && c.LateIssue.IsZero() && prev.IssueDue(clk).Before(today) {
		c.LateIssue = today
	}
	c.keepSpecialSteps(prev, today)
}

// running reports whether the decision clock's steps are being worked (accepted or suspended).
func (s State) running() bool { return s == Accepted || s == Suspended }

func (c *Case) keepSpecialSteps(prev Case, today clock.Date) {
	left := prev.State.running() && (c.Step != prev.Step || !c.State.running())
	if left && prev.Step < len(prev.Steps) && prev.Steps[prev.Step].Special != "" {
		name := prev.Steps[prev.Step].Name
		c.Suspensions = slices.Clone(c.Suspensions)
		for i := len(c.Suspensions) - 1; i >= 0; i-- {
			x := &c.Suspensions[i]
			if x.Step == name && x.To.IsZero() {
				// as at Resume: the clock runs again from today; a stand of less than a day leaves nothing
				x.To = today.AddDays(-1)
				if x.To.Before(x.From) {
					c.Suspensions = slices.Delete(c.Suspensions, i, i+1)
				}
				break
			}
		}
	}
	entered := c.State.running() && (c.Step != prev.Step || !prev.State.running())
	if entered && c.Step < len(c.Steps) && c.Steps[c.Step].Special != "" {
		s := c.Steps[c.Step]
		c.Suspensions = append(slices.Clone(c.Suspensions), Suspension{
			Suspension: clock.Suspension{Kind: SpecialKind(s), From: today}, Reason: s.Special, Step: s.Name})
	}
}

// StepStands reports a special step's suspension still open: the clock stands while the case is in it.
func (c Case) StepStands() bool {
	return slices.ContainsFunc(c.Suspensions, func(x Suspension) bool { return x.Step != "" && x.To.IsZero() })
}
