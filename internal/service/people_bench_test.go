package service_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkPeopleCoverage: every center of the demo banner gets a clerk and a reviewer and a roster of a whole
// year (2026, every half-day the center opens: the clerk at the first window, the reviewer in the back office;
// the other windows left empty, so that each read finds seats to alert). It reports the time to save a year's
// roster of one center (52 weekly saves), to read one week, and the supervisor's banner coverage view (every
// center now) p50 and p99. Run with -benchtime=1x.
func BenchmarkPeopleCoverage(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testkit.Open(b, e)
			svc := testkit.Demo(b, db)
			loc := time.FixedZone("CST", 8*3600)
			now := time.Date(2026, 1, 5, 8, 0, 0, 0, loc)
			db.Now = func() time.Time { return now }
			defer func() { db.Now = time.Now }()
			banner, _ := db.OrgByCode(ctx, "150421")
			centers, err := db.Subtree(ctx, banner.Path, org.Center)
			if err != nil {
				b.Fatal(err)
			}
			var yearSave, weekRead time.Duration
			lines := 0
			for i, c := range centers {
				kids, _ := db.Children(ctx, c.ID)
				var front, back []string
				for _, k := range kids {
					if k.Kind == org.Window && k.Desk == org.FrontDesk {
						front = append(front, k.ID)
					} else if k.Kind == org.Window {
						back = append(back, k.ID)
					}
				}
				if len(front) == 0 || len(back) == 0 {
					continue
				}
				mk := func(role string, seats []string) string {
					st, err := svc.CreateStaff(ctx, access.System, service.StaffInput{Username: fmt.Sprintf("bench.%s%02d", role, i), Name: role, Role: role, OrgID: c.ParentID, Password: "Bianmin-2026-x"})
					if err != nil {
						b.Fatal(err)
					}
					r, _ := db.StaffRecord(ctx, st.ID)
					if _, err := svc.EditStaff(ctx, access.System, st.ID, service.StaffEdit{Version: r.Version, Name: r.Name, Role: role, Seats: seats}); err != nil {
						b.Fatal(err)
					}
					return st.ID
				}
				clerk, rev := mk("clerk", front), mk("reviewer", back)
				start := time.Now()
				for wk := 0; wk < 52; wk++ {
					mon := clock.MustDate("2026-01-05").AddDays(7 * wk)
					var week []roster.Entry
					for d := 0; d < 5; d++ {
						for _, h := range roster.Halves {
							week = append(week, roster.Entry{Day: mon.AddDays(d), Half: h, Seat: front[0], Staff: clerk}, roster.Entry{Day: mon.AddDays(d), Half: h, Seat: back[0], Staff: rev})
						}
					}
					lines += len(week)
					if err := svc.SaveRoster(ctx, access.System, c.ID, mon, week); err != nil {
						b.Fatal(err)
					}
				}
				yearSave += time.Since(start)
				start = time.Now()
				if _, err := svc.Roster(ctx, access.System, c.ID, clock.MustDate("2026-06-15")); err != nil {
					b.Fatal(err)
				}
				weekRead += time.Since(start)
			}
			now = time.Date(2026, 6, 16, 9, 30, 0, 0, loc) // a Tuesday morning, the hall open
			sup := access.Actor{ID: "bench-supervisor", Name: "监察", Role: access.Supervisor, OrgID: banner.ID, OrgPath: banner.Path}
			var times []time.Duration
			for range 30 {
				start := time.Now()
				list, err := svc.BannerCoverage(ctx, sup)
				if err != nil || len(list) != len(centers) {
					b.Fatalf("%d centers: %v", len(list), err)
				}
				times = append(times, time.Since(start))
			}
			b.ReportMetric(float64(len(centers)), "centers")
			b.ReportMetric(float64(lines), "roster-lines")
			b.ReportMetric(float64(yearSave.Milliseconds())/float64(len(centers)), "ms/center-year-saved")
			b.ReportMetric(float64(weekRead.Microseconds())/1000/float64(len(centers)), "ms/week-read")
			b.ReportMetric(pct(times, 0.5), "ms-banner-coverage-p50")
			b.ReportMetric(pct(times, 0.99), "ms-banner-coverage-p99")
		})
	}
}
