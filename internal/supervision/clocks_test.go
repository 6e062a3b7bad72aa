package supervision

import (
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
)

// Late intake (行政许可法 第32条) and late issue (第44条) count on the day they happened, once.
func TestTallyLateIntakeAndIssue(t *testing.T) {
	facts := []Fact{
		{Handling: "t", ReceivedOn: 20260302, AcceptedOn: 20260310, LateIntakeOn: 20260310, DaysUsed: -1},
		{Handling: "t", ReceivedOn: 20260302, LateIntakeOn: 20260311, DaysUsed: -1}, // a late notice
		{Handling: "t", ReceivedOn: 20260201, AcceptedOn: 20260202, DecidedOn: 20260220, DaysUsed: 13, OnTime: true, LateIssueOn: 20260310},
	}
	for _, tc := range []struct {
		day               int
		lateIn, lateIssue int
	}{{20260310, 1, 1}, {20260311, 1, 0}, {20260302, 0, 0}, {20260220, 0, 0}} {
		var got Counts
		for _, r := range Tally(tc.day, facts) {
			if r.Dim == Township {
				got.Add(r.Counts)
			}
		}
		if got.LateIntake != tc.lateIn || got.LateIssue != tc.lateIssue {
			t.Errorf("%d: late intake %d issue %d, want %d %d", tc.day, got.LateIntake, got.LateIssue, tc.lateIn, tc.lateIssue)
		}
	}
}

// What stands now, by the clock that runs.
func TestNowByPhase(t *testing.T) {
	var n Now
	for _, x := range []struct {
		p      cases.Phase
		card   clock.Card
		stands bool
	}{{cases.PhaseIntake, clock.Red, false}, {cases.PhaseIntake, clock.Yellow, false}, {cases.PhaseDecision, clock.Red, false},
		{cases.PhaseDecision, clock.Green, true}, {cases.PhaseIssue, clock.Red, false}} {
		n.Count(x.p, x.card, x.stands)
	}
	want := Now{Open: 2, Overdue: 1, Suspended: 1, IntakeOpen: 2, IntakeOverdue: 1, IssueOpen: 1, IssueOverdue: 1}
	if n != want {
		t.Errorf("%+v, want %+v", n, want)
	}
}
