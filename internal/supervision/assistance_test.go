package supervision

import "testing"

// 帮办 figures add up over townships and give their shares; nothing received is no share, not a division by
// zero.
func TestAssistance(t *testing.T) {
	var a Assistance
	a.Add(Assistance{Received: 40, Assisted: 3, VisitsRequested: 2, VisitsDone: 1})
	a.Add(Assistance{Received: 10, Assisted: 2, VisitsRequested: 2, VisitsDone: 2})
	if a.Received != 50 || a.Assisted != 5 || a.AssistedShare() != 0.1 || a.VisitsDoneRate() != 0.75 {
		t.Fatalf("%+v %v %v", a, a.AssistedShare(), a.VisitsDoneRate())
	}
	if (Assistance{}).AssistedShare() != 0 || (Assistance{}).VisitsDoneRate() != 0 {
		t.Fatal("empty shares")
	}
}
