package store_test

import (
	"context"
	"strings"
	"testing"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The clock's indexes of migration 095 hold only the rows their queries read, and a query serves from one
// only when it says so: SQLite uses a partial index only when the query repeats its condition word for word,
// and otherwise reads the whole clock table, which at a million cases is the restanding's or the director's
// queue's second. Each query, as the store runs it, must be planned on an index of the clock, on both engines.
func TestClockIndexesServeTheirQueries(t *testing.T) {
	cases := []struct {
		name, q string
		args    []any
		index   string // the index the plan must name; "" any index of case_clock that holds open cases only
	}{
		{"restanding the suspended cases", store.SuspendedToRestand, []any{20261203, 1000}, "case_clock_suspended"},
		{"the cases asking for more days", store.AskingCasesAll, []any{50}, "case_clock_asks"},
		{"counting the region's open cases", store.OpenCount, []any{10001}, ""},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				plan, err := db.Plan(context.Background(), c.q, c.args...)
				if err != nil {
					t.Fatal(err)
				}
				if c.index != "" && !strings.Contains(plan, c.index) {
					t.Fatalf("the plan does not use %s:\n%s", c.index, plan)
				}
				// no node reads the clock table whole: PostgreSQL's "Seq Scan on case_clock", SQLite's "SCAN k"
				// without an index
				for _, line := range strings.Split(plan, "\n") {
					whole := strings.Contains(line, "Seq Scan on case_clock") ||
						(strings.Contains(line, "SCAN k") && !strings.Contains(line, "INDEX"))
					if whole {
						t.Fatalf("the plan reads the clock table whole:\n%s", plan)
					}
				}
				if c.index == "" && !strings.Contains(plan, "case_clock_") {
					t.Fatalf("the plan uses no index of the clock:\n%s", plan)
				}
			})
		}
	})
}
