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

// bytesPerLifecycleBound is what one six-move lifecycle may store, about 2 KB above the measured figure
// (BENCHMARKS.md, 300 lifecycles compacted: 6.7 KB on SQLite, 7.4 KB on PostgreSQL; 60 lifecycles read
// PostgreSQL's 8 KB pages with about 1 KB of granularity either way, and compaction waits for the jobs'
// snapshots, which had left its figure up to 2 KB higher on a loaded machine): it fails when audit entries
// and notices are stored unpacked (+3.6 KB), whole documents come back into audit entries (+19 KB) or
// notices (+8 KB), or the item's steps or the row's own columns back into every case's document (+2 KB on
// both), not on noise; ids (internal/ids), what a case leaves to its item version
// (service/casedoc_test.go), its timeline and SQLite's integer times (store/timeline_test.go) have tests of
// their own.
const bytesPerLifecycleBound = 9600

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
			if l.Run() == "" {
				t.FailNow()
			}
			// measured compacted, before and after: what the lifecycles keep, not the dead rows their updates
			// leave until vacuum reuses the space (logged too, as written)
			measure := func() map[string]int64 {
				t.Helper()
				if err := r.DB.Compact(t.Context()); err != nil {
					t.Fatal(err)
				}
				m, err := r.DB.TableBytes(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			relations := func() map[string]map[string]int64 {
				t.Helper()
				m, err := r.DB.RelationBytes(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			before := measure()
			relBefore := relations()
			for range n {
				if l.Run() == "" {
					t.FailNow()
				}
			}
			written, err := r.DB.TableBytes(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var writtenTotal int64
			for name, b := range written {
				writtenTotal += b - before[name]
			}
			after := measure()
			relAfter := relations()
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
				// each b-tree of the table that grew: its rows (the table's name) and each index
				var parts []grew
				for name, b := range relAfter[g.table] {
					if d := b - relBefore[g.table][name]; d != 0 {
						parts = append(parts, grew{name, d})
					}
				}
				slices.SortFunc(parts, func(a, b grew) int { return cmp.Compare(b.bytes, a.bytes) })
				for _, p := range parts {
					fmt.Fprintf(&sb, "      %-32s %8.0f\n", p.table, float64(p.bytes)/float64(n))
				}
			}
			per := float64(total) / float64(n)
			t.Logf("%s: %d lifecycles, %.0f bytes stored per lifecycle (%.0f as written, before compaction)\n%s", e.Name, n, per, float64(writtenTotal)/float64(n), sb.String())
			if per > bytesPerLifecycleBound {
				t.Errorf("%s: %.0f bytes per lifecycle, over the bound of %d", e.Name, per, bytesPerLifecycleBound)
			}
		})
	}
}
