package joint

import "testing"

// Where a hand-over may go (MayGo): a township to another township always, and to a banner department when
// the case has a step there; a department only to another department, and only for a case with a banner step
// (the handling township is the applicant's, never the department's to move).
func TestHandoverMayGo(t *testing.T) {
	for _, c := range []struct {
		from, to   Body
		bannerStep bool
		want       bool
	}{
		{Township, Township, false, true},
		{Township, Township, true, true},
		{Township, Department, true, true},
		{Township, Department, false, false}, // no banner step: nothing a department would do
		{Department, Department, true, true},
		{Department, Department, false, false},
		{Department, Township, true, false},
		{Department, Township, false, false},
		{Township, "", true, false},
		{"", Department, true, true}, // the system (Bianmin itself) as sender
	} {
		if got := MayGo(c.from, c.to, c.bannerStep); got != c.want {
			t.Errorf("%q -> %q (banner step %v): %v, want %v", c.from, c.to, c.bannerStep, got, c.want)
		}
	}
}
