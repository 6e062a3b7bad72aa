package store_test

import (
	"context"
	"slices"
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
		indexes []string // the plan must name one of them
	}{
		{"restanding the suspended cases", store.SuspendedToRestand, []any{20261203, 1000}, []string{"case_clock_suspended"}},
		{"the cases asking for more days", store.AskingCasesAll, []any{50}, []string{"case_clock_asks"}},
		// any index holding the open cases only will do
		{"counting the region's open cases", store.OpenCount, []any{10001},
			[]string{"case_clock_queue", "case_clock_open_handling", "case_clock_open_department"}},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				plan, err := db.Plan(context.Background(), c.q, c.args...)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(c.indexes, func(ix string) bool { return strings.Contains(plan, ix) }) {
					t.Fatalf("the plan uses none of %v:\n%s", c.indexes, plan)
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
			})
		}
	})
}
