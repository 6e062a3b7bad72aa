package supervision

import "testing"

// 二次补正: every correction notice after the first (行政许可法 第32条 wants one) counts, on the day the case
// was accepted, in every dimension, and adds up over days.
func TestRecorrectedCounts(t *testing.T) {
	facts := []Fact{
		{Handling: "t1", Item: "i1", ReceivedOn: 20261102, AcceptedOn: 20261105, Corrected: true, Recorrections: 2},
		{Handling: "t1", Item: "i2", ReceivedOn: 20261102, AcceptedOn: 20261105, Corrected: true},
		{Handling: "t2", Item: "i1", ReceivedOn: 20261105, Corrected: true, Recorrections: 1}, // not accepted yet
	}
	for _, tc := range []struct {
		day  int
		dim  Dim
		val  string
		want int
	}{
		{20261105, Township, "t1", 2},
		{20261105, Item, "i1", 2},
		{20261105, Item, "i2", 0},
		{20261105, Township, "t2", 0},
		{20261102, Township, "t1", 0},
	} {
		got := -1
		for _, r := range Tally(tc.day, facts) {
			if r.Dim == tc.dim && r.Value == tc.val && (r.Township == "t1" || tc.val == "t2") {
				got = r.Recorrected
			}
		}
		if got != tc.want && !(got == -1 && tc.want == 0) {
			t.Errorf("%d %s %s: %d, want %d", tc.day, tc.dim, tc.val, got, tc.want)
		}
	}
	var c Counts
	c.Add(Counts{Recorrected: 2})
	c.Add(Counts{Recorrected: 1})
	if c.Recorrected != 3 {
		t.Errorf("added up: %d", c.Recorrected)
	}
}
