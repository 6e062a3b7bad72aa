package supervision

import (
	"bianmin/internal/cases"
	"bianmin/internal/clock"
)

// Add adds what stands now of other values: the decision clock's cases are the open ones (accepted or
// suspended) with their cards; the intake clock's wait at the window (行政许可法 第32条), the issue clock's
// for their result (第44条), and a red card there is a late intake or a late issue now.
func (n *Now) Add(o Now) {
	n.Open += o.Open
	n.Overdue += o.Overdue
	n.Yellow += o.Yellow
	n.Suspended += o.Suspended
	n.IntakeOpen += o.IntakeOpen
	n.IntakeOverdue += o.IntakeOverdue
	n.IssueOpen += o.IssueOpen
	n.IssueOverdue += o.IssueOverdue
}

// Count adds one case whose clock runs (or stands) in a phase with a card.
func (n *Now) Count(p cases.Phase, card clock.Card, stands bool) {
	red := b2i(card == clock.Red)
	switch p {
	case cases.PhaseIntake:
		n.IntakeOpen++
		n.IntakeOverdue += red
	case cases.PhaseIssue:
		n.IssueOpen++
		n.IssueOverdue += red
	default: // the decision clock (rows before migration 011 have no phase only when no clock runs)
		n.Open++
		n.Overdue += red
		n.Yellow += b2i(card == clock.Yellow)
		n.Suspended += b2i(stands)
	}
}
