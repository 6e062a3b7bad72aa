package supervision

import "testing"

// 帮办 figures give their shares; nothing received is no share, not a division by zero.
func TestAssistance(t *testing.T) {
	a := Assistance{Received: 50, Assisted: 5, VisitsRequested: 4, VisitsDone: 3}
	if a.Received != 50 || a.Assisted != 5 || a.AssistedShare() != 0.1 || a.VisitsDoneRate() != 0.75 {
		t.Fatalf("%+v %v %v", a, a.AssistedShare(), a.VisitsDoneRate())
	}
	if (Assistance{}).AssistedShare() != 0 || (Assistance{}).VisitsDoneRate() != 0 {
		t.Fatal("empty shares")
	}
}
