package store_test

import (
	"errors"
	"testing"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The gap policy (numbers.go): on PostgreSQL a number is taken outside the transaction that uses it, so a
// transaction that fails keeps its number from everyone (a gap, listed by the check, not a finding); on
// SQLite, the one writer, the number is taken inside and a failed transaction gives it back.
func TestNumberGapPolicy(t *testing.T) {
	fail := errors.New("the request failed after taking its number")
	cases := []struct {
		name      string
		fails     []bool // one transaction each: does it fail after taking its number?
		want      map[string][]int64
		wantGaps  map[string]int64 // numbers passed and not given to a committed transaction
		wantCount map[string]int64 // the counter afterwards
	}{
		{"all commit", []bool{false, false, false},
			map[string][]int64{"sqlite": {1, 2, 3}, "postgres": {1, 2, 3}},
			map[string]int64{"sqlite": 0, "postgres": 0}, map[string]int64{"sqlite": 3, "postgres": 3}},
		{"the second fails", []bool{false, true, false},
			map[string][]int64{"sqlite": {1, 2}, "postgres": {1, 3}},
			map[string]int64{"sqlite": 0, "postgres": 1}, map[string]int64{"sqlite": 2, "postgres": 3}},
		{"the last two fail", []bool{false, true, true},
			map[string][]int64{"sqlite": {1}, "postgres": {1}},
			map[string]int64{"sqlite": 0, "postgres": 2}, map[string]int64{"sqlite": 1, "postgres": 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.Each(t, func(t *testing.T, db *store.DB) {
				s := store.CaseSeries("天山", 2026)
				var got []int64
				for _, fails := range c.fails {
					var n int64
					err := db.Write(ctx, func(tx *store.Tx) error {
						var err error
						if n, _, err = tx.Take(s); err != nil {
							return err
						}
						if fails {
							return fail
						}
						return nil
					})
					if err == nil {
						got = append(got, n)
					} else if !errors.Is(err, fail) {
						t.Fatal(err)
					}
				}
				want := c.want[db.Dialect()]
				if len(got) != len(want) {
					t.Fatalf("numbers %v, want %v", got, want)
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("numbers %v, want %v", got, want)
					}
				}
				v, _ := db.Counter(ctx, s.Scope)
				if v != c.wantCount[db.Dialect()] || v-int64(len(got)) != c.wantGaps[db.Dialect()] {
					t.Fatalf("counter %d with %d numbers given, want %d with a gap of %d", v, len(got), c.wantCount[db.Dialect()], c.wantGaps[db.Dialect()])
				}
				// the check: gaps listed per series (no case is stored here: every number the counter
				// passed is not in use), never a finding
				rep, err := db.Check(ctx)
				if err != nil || len(rep.Findings) != 0 {
					t.Fatalf("check: %+v %v", rep.Findings, err)
				}
				var missing int64
				for _, g := range rep.Gaps {
					if g.Series == s.Scope {
						missing = g.Missing
					}
				}
				if wantMissing := c.wantCount[db.Dialect()]; missing != wantMissing {
					t.Fatalf("gaps listed %d, want %d (%d of them from failed transactions)", missing, wantMissing, c.wantGaps[db.Dialect()])
				}
			})
		})
	}
}
