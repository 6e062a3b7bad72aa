package web_test

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bianmin/internal/testkit"
)

// bytesPerLifecycleBound is what one six-move lifecycle may store, generously above the measured figure (see
// BENCHMARKS.md): it fails when whole documents come back into audit entries, events or notices, not on noise.
const bytesPerLifecycleBound = 12 * 1024

// TestBytesPerLifecycle runs lifecycles through the API on each engine and measures what they add to the
// database, table by table (with indexes), so that what a case costs to keep stays measured. Set
// BIANMIN_BYTES_LIFECYCLES for a longer run; the breakdown is logged.
func TestBytesPerLifecycle(t *testing.T) {
	n := 60
	if v, err := strconv.Atoi(os.Getenv("BIANMIN_BYTES_LIFECYCLES")); err == nil && v > 0 {
		n = v
	}
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			item, applicant := lifecycleSubjects(t, r)
			l := newLifecycler(t, r.URL, item, applicant)
			// a first lifecycle outside the measure: tables met for the first time take their first pages
			if l.run() == "" {
				t.FailNow()
			}
			before, err := r.DB.TableBytes(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for range n {
				if l.run() == "" {
					t.FailNow()
				}
			}
			after, err := r.DB.TableBytes(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			type grew struct {
				table string
				bytes int64
			}
			var rows []grew
			var total int64
			for name, b := range after {
				if d := b - before[name]; d != 0 {
					rows = append(rows, grew{name, d})
					total += d
				}
			}
			slices.SortFunc(rows, func(a, b grew) int { return cmp.Compare(b.bytes, a.bytes) })
			var sb strings.Builder
			for _, g := range rows {
				fmt.Fprintf(&sb, "  %-24s %8.0f B/lifecycle\n", g.table, float64(g.bytes)/float64(n))
			}
			per := float64(total) / float64(n)
			t.Logf("%s: %d lifecycles, %.0f bytes stored per lifecycle\n%s", e.Name, n, per, sb.String())
			if per > bytesPerLifecycleBound {
				t.Errorf("%s: %.0f bytes per lifecycle, over the bound of %d", e.Name, per, bytesPerLifecycleBound)
			}
		})
	}
}
