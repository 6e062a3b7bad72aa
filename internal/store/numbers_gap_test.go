package store_test

import (
	"errors"
	"slices"
	"testing"

	"bianmin/internal/cases"
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

// A case or notice number is not looked up before it is given (Series.refused): a number written behind the
// counter's back is refused by its column's unique index at the insert, which marks the series and runs the
// transaction again; the run again looks, moves the counter past the highest number in use and audits that
// once. Notice numbers here (case numbers: TestTakenCaseNumberHeals in internal/web).
func TestRefusedNumberHeals(t *testing.T) {
	table := []struct {
		name   string
		behind []int64        // serials written past the counter before the first notice
		want   []int64        // the serials of the next three notices
		heals  map[string]int // by engine: on PostgreSQL the refused number stays passed (numbersApart), so
		// that when it was the only one taken, the run again finds the next free and has nothing to heal
	}{
		{"none taken", nil, []int64{1, 2, 3}, map[string]int{"sqlite": 0, "postgres": 0}},
		{"the next taken", []int64{1}, []int64{2, 3, 4}, map[string]int{"sqlite": 1, "postgres": 0}},
		{"three taken, with a hole", []int64{1, 2, 5}, []int64{6, 7, 8}, map[string]int{"sqlite": 1, "postgres": 1}},
	}
	for _, c := range table {
		t.Run(c.name, func(t *testing.T) {
			testkit.Each(t, func(t *testing.T, db *store.DB) {
				s := store.NoticeSeries("天山", "accept", 2026)
				noCaseKey(t, db, func() {
					noticesBehind(t, db, s, c.behind...)
					for i, w := range c.want {
						if got := issueAccept(t, db); got != s.Format(w) {
							t.Fatalf("notice %d: %s, want %s", i+1, got, s.Format(w))
						}
					}
				})
				var heals int
				if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM audit_log WHERE action = 'counter.heal'`).Scan(&heals); err != nil || heals != c.heals[db.Dialect()] {
					t.Fatalf("%d heal entries, want %d (%v)", heals, c.heals[db.Dialect()], err)
				}
			})
		})
	}
}

// Two series' next numbers taken in one statement (TakeAhead, on PostgreSQL) are the numbers the
// transaction's Takes give, one each, in order with the takes before and after; a number taken ahead and not
// used is a gap like a failed transaction's; a series asked twice, or alone, is taken by its Take.
func TestTakeAhead(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		a, b := store.NoticeSeries("天山", "accept", 2026), store.NoticeSeries("天山", "pledge", 2026)
		take := func(ahead []store.Series, takes ...store.Series) []int64 {
			t.Helper()
			var got []int64
			if err := db.Write(ctx, func(tx *store.Tx) error {
				got = nil
				if err := tx.TakeAhead(ahead...); err != nil {
					return err
				}
				for _, s := range takes {
					n, _, err := tx.Take(s)
					if err != nil {
						return err
					}
					got = append(got, n)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		for _, c := range []struct {
			name         string
			ahead        []store.Series
			takes        []store.Series
			want         []int64
			wantA, wantB int64 // the counters after
		}{
			{"both ahead, both taken", []store.Series{b, a}, []store.Series{a, b}, []int64{1, 1}, 1, 1},
			{"none ahead", nil, []store.Series{a, b}, []int64{2, 2}, 2, 2},
			{"one asked twice", []store.Series{a, a}, []store.Series{a, a}, []int64{3, 4}, 4, 2},
			{"both ahead, a taken twice", []store.Series{a, b}, []store.Series{a, a, b}, []int64{5, 6, 3}, 6, 3},
		} {
			if got := take(c.ahead, c.takes...); !slices.Equal(got, c.want) {
				t.Fatalf("%s: numbers %v, want %v", c.name, got, c.want)
			}
			va, _ := db.Counter(ctx, a.Scope)
			vb, _ := db.Counter(ctx, b.Scope)
			if va != c.wantA || vb != c.wantB {
				t.Fatalf("%s: counters %d and %d, want %d and %d", c.name, va, vb, c.wantA, c.wantB)
			}
		}
		// taken ahead, b not used: on PostgreSQL its number is a gap; SQLite took nothing ahead
		got := take([]store.Series{a, b}, a)
		vb, _ := db.Counter(ctx, b.Scope)
		want := map[string]int64{"postgres": 4, "sqlite": 3}[db.Dialect()]
		if !slices.Equal(got, []int64{7}) || vb != want {
			t.Fatalf("b taken ahead and not used: numbers %v, its counter %d, want [7] and %d", got, vb, want)
		}
	})
}

// noticesBehind writes accept notices of case c-1 numbered ns of s, behind the counter's back.
func noticesBehind(t *testing.T, db *store.DB, s store.Series, ns ...int64) {
	t.Helper()
	for _, n := range ns {
		exec(t, db, `INSERT INTO notices (id, case_id, kind, notice_no, verify_code, issued_at, doc) VALUES (?, 'c-1', 'accept', ?, ?, ?, '')`,
			"behind-"+s.Format(n), s.Format(n), "code-"+s.Format(n), db.Now())
	}
}

// issueAccept issues an accept notice of case c-1 (天山, 2026) and returns its number.
func issueAccept(t *testing.T, db *store.DB) string {
	t.Helper()
	var got store.Notice
	if err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		got, err = tx.IssueNotice(cases.Case{ID: "c-1"}, "accept", "天山", 2026, `{"n":1}`, store.Notice{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got.No
}
