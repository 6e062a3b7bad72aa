package service_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// seedRatings writes n ratings over the year before 2026-11-30 for the banner's townships, with the
// rectifications of the bad ones, straight into the tables (load, not history: no audit entries). Levels
// and channels are drawn as a hall might see them: 8% 差评, most by tablet and SMS.
func seedRatings(b *testing.B, db *store.DB, n int) {
	b.Helper()
	banner, _ := db.OrgByCode(ctx, "150421")
	towns, err := db.Subtree(ctx, banner.Path, org.Township)
	if err != nil || len(towns) == 0 {
		b.Fatal(towns, err)
	}
	staff, _ := db.StaffIn(ctx, banner.Path)
	items, _ := db.PublishedItems(ctx, store.ItemFilter{})
	depts := map[string]string{}
	for _, it := range items {
		if row, err := db.Item(ctx, it.ID); err == nil {
			depts[it.ID] = row.DepartmentID
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	levels := []rating.Level{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 4, 5, 1, 1, 2, 3, 2, 1} // 2 of 25 bad
	channels := []rating.Channel{rating.Pad, rating.Pad, rating.Pad, rating.SMS, rating.SMS, rating.PC, rating.Mobile, rating.QR, rating.Phone, rating.Paper}
	first := time.Date(2025, 12, 1, 9, 0, 0, 0, clock.DefaultRules().Location)
	const batch = 1000
	for done := 0; done < n; done += batch {
		var rb, xb strings.Builder
		rb.WriteString(`INSERT INTO ratings (id, case_id, case_no, channel, level, body, rated_at, rated_on, division, township_id, window_id, staff_id, staff_name, item_id, department_id, item_name, served, named, excluded) VALUES `)
		xb.WriteString(`INSERT INTO rectifications (id, rating_id, township_id, step, due_on, yellow_from, done, revisited, satisfied, opened_at, version, doc) VALUES `)
		var ra, xa []any
		for i := done; i < min(done+batch, n); i++ {
			if i > done {
				rb.WriteString(",")
			}
			rb.WriteString("(?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'window', 1, ?)")
			t := towns[rng.IntN(len(towns))]
			st := staff[rng.IntN(len(staff))]
			it := items[rng.IntN(len(items))]
			lv := levels[rng.IntN(len(levels))]
			at := first.Add(time.Duration(i) * (365 * 24 * time.Hour / time.Duration(n)))
			day := clock.DateOf(at)
			id := ids.New()
			excluded := 0
			if lv.Bad() && rng.IntN(20) == 0 {
				excluded = 1
			}
			ra = append(ra, id, ids.New(), fmt.Sprintf("BENCH%09d", i), string(channels[rng.IntN(len(channels))]), int(lv), at, day.Int(), t.Code,
				t.ID, t.ID, st.ID, st.Name, it.ID, depts[it.ID], it.NameZh, excluded)
			if lv.Bad() {
				if len(xa) > 0 {
					xb.WriteString(",")
				}
				xb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '{}')")
				doneX, rev := rng.IntN(10) < 9, rng.IntN(10) < 7
				step := "closed"
				if !doneX {
					step, rev = "verified", false
				}
				xa = append(xa, ids.New(), id, t.ID, step, day.AddDays(7).Int(), day.AddDays(6).Int(), boolN(doneX), boolN(rev), boolN(rev && rng.IntN(10) < 8), at)
			}
		}
		if err := db.ExecRaw(ctx, rb.String(), ra...); err != nil {
			b.Fatal(err)
		}
		if len(xa) > 0 {
			if err := db.ExecRaw(ctx, xb.String(), xa...); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchCount reads a count from the environment, or the default.
func benchCount(env string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(env)); err == nil && n > 0 {
		return n
	}
	return def
}

func boolN(v bool) int {
	if v {
		return 1
	}
	return 0
}

// BenchmarkRatingFigures is the 好差评 figures at 300k ratings over a year (beside a year of cases): the
// supervisor's dashboard of a month (case figures and ratings), the rating figures alone for a month by each
// dimension, and for the whole year. It reports p50 and p99 of 100 runs of each (not pass/fail).
// BIANMIN_TEST_POSTGRES adds PostgreSQL. go test -run '^$' -bench RatingFigures -benchtime 1x ./internal/service/
func BenchmarkRatingFigures(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testkit.Open(b, e)
			svc := testkit.Demo(b, db)
			banner, _ := db.OrgByCode(ctx, "150421")
			towns, _ := db.Subtree(ctx, banner.Path, org.Township)
			items, _ := db.PublishedItems(ctx, store.ItemFilter{})
			a, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "基准", IDNumber: idFor(1), Phone: "13800001234", OrgID: towns[0].ID}, "")
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			nCases, nRatings := benchCount("BIANMIN_BENCH_CASES", 365_000), benchCount("BIANMIN_BENCH_RATINGS", 300_000)
			testkit.SeedCases(b, db, towns[0].ID, towns[0].ID, items[0].ID, a.ID, nCases)
			fmt.Fprintf(os.Stderr, "%s: %d cases in %s\n", e.Name, nCases, time.Since(t0).Round(time.Second))
			seedRatings(b, db, nRatings)
			if err := db.RebuildRatingTally(ctx); err != nil {
				b.Fatal(err)
			}
			if db.Dialect() == "postgres" {
				db.ExecRaw(ctx, `ANALYZE`)
			}
			fmt.Fprintf(os.Stderr, "%s: seeded %d cases and %d ratings in %s\n", e.Name, nCases, nRatings, time.Since(t0).Round(time.Second))
			sup := access.System
			sup.OrgPath = banner.Path
			month := supervision.Month{Y: 2026, M: 10}.Period()
			year := supervision.Period{From: clock.MustDate("2025-12-01"), To: clock.MustDate("2026-11-30")}
			measure := func(name string, fn func() error) {
				b.Run(name, func(b *testing.B) {
					var took []time.Duration
					for range b.N * benchCount("BIANMIN_BENCH_RUNS", 100) {
						t := time.Now()
						if err := fn(); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t))
					}
					slices.Sort(took)
					b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
					fmt.Fprintf(os.Stderr, "%s %s: p50 %s p99 %s max %s (%d runs)\n", e.Name, name, took[len(took)/2], took[len(took)*99/100], took[len(took)-1], len(took))
				})
			}
			measure("dashboard-month", func() error {
				_, err := svc.Dashboard(ctx, sup, service.DashboardQuery{Dim: supervision.Township, Period: month})
				return err
			})
			for _, dim := range supervision.Dims {
				measure("ratings-month-"+string(dim), func() error {
					_, err := db.RatingFigures(ctx, string(dim), month.From.Int(), month.To.Int(), 20261130)
					return err
				})
			}
			measure("ratings-year-item", func() error {
				_, err := db.RatingFigures(ctx, "item", year.From.Int(), year.To.Int(), 20261130)
				return err
			})
			measure("ratings-year-township", func() error {
				_, err := db.RatingFigures(ctx, "township", year.From.Int(), year.To.Int(), 20261130)
				return err
			})
		})
	}
}
