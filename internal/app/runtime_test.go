package app

import "testing"

func TestProcsFor(t *testing.T) {
	for _, c := range []struct {
		engine   string
		set      bool
		now, got int
	}{
		{"postgres", false, 2, 4},
		{"postgres", false, 1, 2},
		{"postgres", true, 2, 2}, // the operator's GOMAXPROCS wins
		{"sqlite", false, 2, 2},  // SQLite's work is the process's own: Go's default
		{"sqlite", true, 8, 8},
	} {
		if n := procsFor(c.engine, c.set, c.now); n != c.got {
			t.Errorf("procsFor(%q, set %v, %d) = %d, want %d", c.engine, c.set, c.now, n, c.got)
		}
	}
}
