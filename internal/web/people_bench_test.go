package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/web"
)

// BenchmarkPeopleCoverageHTTP drives a running Bianmin over HTTP (issue 11's figures): every center of the demo
// banner (17) gets a clerk and a reviewer, every station (110: the demo's 94 and 16 more) an agent, and a roster of the whole of 2026 (a center:
// the clerk at its first window and the reviewer in its back office each opening half-day, its other windows
// left empty so that each read finds seats to alert; a station: its agent). One center's year and one
// station's year are saved over the API as a director would, week by week (52 POSTs each); the others are
// written directly, a year in one transaction. Then, on a Tuesday morning, the supervisor's banner coverage
// page (every center and station now) is read 30 times: p50 and p99 (the first read also writes the alerts).
// Run with -benchtime=1x.
func BenchmarkPeopleCoverageHTTP(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			r := testkit.Start(b, e)
			bg := b.Context()
			db, svc := r.DB, r.Service
			loc := time.FixedZone("CST", 8*3600)
			now := time.Date(2026, 1, 5, 8, 0, 0, 0, loc)
			db.Now = func() time.Time { return now }
			defer func() { db.Now = time.Now }()
			banner, _ := db.OrgByCode(bg, "150421")
			centers, _ := db.Subtree(bg, banner.Path, org.Center)
			stations, _ := db.Subtree(bg, banner.Path, org.Station)
			// the banner has 110 stations; the demo's has fewer: the rest hang as second stations of
			// its villages, each rostered as its own
			for i := 0; len(stations) < 110; i++ {
				st := org.Org{ParentID: stations[i].ParentID, Kind: org.Station, NameZh: fmt.Sprintf("第二便民服务站%03d", i), MnReview: true}
				if err := db.Write(bg, func(tx *store.Tx) error { return tx.CreateOrg(access.System, &st) }); err != nil {
					b.Fatal(err)
				}
				stations = append(stations, st)
			}
			const hash = "-" // the bench's people never sign in: no password hashed for them
			mk := func(user, role, orgID string, seats []string) string {
				st := people.Staff{Username: user, Name: user, Role: access.Role(role), OrgID: orgID, Lang: "zh"}
				if err := db.Write(bg, func(tx *store.Tx) error { return tx.CreateStaff(access.System, &st, hash) }); err != nil {
					b.Fatal(err)
				}
				if len(seats) > 0 {
					rec, _ := db.StaffRecord(bg, st.ID)
					if _, err := svc.EditStaff(bg, access.System, st.ID, service.StaffEdit{Version: rec.Version, Name: rec.Name, Role: role, Seats: seats}); err != nil {
						b.Fatal(err)
					}
				}
				return st.ID
			}
			year := func(seatStaff [][2]string) []roster.Entry {
				var out []roster.Entry
				for d := clock.MustDate("2026-01-05"); d.Y == 2026; d = d.AddDays(1) {
					if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
						continue
					}
					for _, h := range roster.Halves {
						for _, x := range seatStaff {
							out = append(out, roster.Entry{Day: d, Half: h, Seat: x[0], Staff: x[1]})
						}
					}
				}
				return out
			}
			admin := apiLogin(b, r, "admin")
			saveYearHTTP := func(place string, entries []roster.Entry) time.Duration {
				start := time.Now()
				for wk := 0; wk < 52; wk++ {
					mon := clock.MustDate("2026-01-05").AddDays(7 * wk)
					in := web.RosterIn{Monday: mon.String()}
					for _, e := range entries {
						if !e.Day.Before(mon) && e.Day.Before(mon.AddDays(7)) {
							in.Entries = append(in.Entries, web.EntryJSON{Day: e.Day.String(), Half: string(e.Half), Seat: e.Seat, Staff: e.Staff})
						}
					}
					if code, out, _ := apiCall(b, r.URL, "POST", "/api/v1/people/rosters/"+place, admin, in); code != http.StatusCreated {
						b.Fatalf("week %d: %d %v", wk, code, out)
					}
				}
				return time.Since(start)
			}
			var centerYear, stationYear, weekRead time.Duration
			lines := 0
			for i, c := range centers {
				kids, _ := db.Children(bg, c.ID)
				var front, back []string
				for _, k := range kids {
					if k.Kind == org.Window && k.Desk == org.FrontDesk {
						front = append(front, k.ID)
					} else if k.Kind == org.Window {
						back = append(back, k.ID)
					}
				}
				if len(front) == 0 || len(back) == 0 {
					b.Fatalf("center %s has no windows", c.NameZh)
				}
				clerk, rev := mk(fmt.Sprintf("bench.clerk%02d", i), "clerk", c.ParentID, front), mk(fmt.Sprintf("bench.reviewer%02d", i), "reviewer", c.ParentID, back)
				entries := year([][2]string{{front[0], clerk}, {back[0], rev}})
				lines += len(entries)
				if i == 0 {
					centerYear = saveYearHTTP(c.ID, entries)
					start := time.Now()
					if code, out, _ := apiCall(b, r.URL, "GET", "/api/v1/people/rosters/"+c.ID+"?week=2026-06-15", admin, nil); code != http.StatusOK || len(out["entries"].([]any)) != 20 {
						b.Fatalf("a week: %d %v", code, out)
					}
					weekRead = time.Since(start)
					continue
				}
				if err := db.Write(bg, func(tx *store.Tx) error {
					return tx.SaveRoster(access.System, c.ID, entries[0].Day, entries[len(entries)-1].Day, entries)
				}); err != nil {
					b.Fatal(err)
				}
			}
			for i, st := range stations {
				agent := mk(fmt.Sprintf("bench.agent%03d", i), "agent", st.ParentID, nil)
				entries := year([][2]string{{st.ID, agent}})
				lines += len(entries)
				if i == 0 {
					stationYear = saveYearHTTP(st.ID, entries)
					continue
				}
				if err := db.Write(bg, func(tx *store.Tx) error {
					return tx.SaveRoster(access.System, st.ID, entries[0].Day, entries[len(entries)-1].Day, entries)
				}); err != nil {
					b.Fatal(err)
				}
			}
			now = time.Date(2026, 6, 16, 9, 30, 0, 0, loc) // a Tuesday morning, the halls open
			sup := newClient(b, r.URL)
			sup.login("supervisor")
			var times []time.Duration
			for range 30 {
				start := time.Now()
				code, body := sup.get("/people/coverage")
				times = append(times, time.Since(start))
				if code != http.StatusOK || strings.Count(body, `href="/people/coverage/`) != len(centers)+len(stations) {
					b.Fatalf("the banner's coverage: %d, %d places", code, strings.Count(body, `href="/people/coverage/`))
				}
			}
			b.ReportMetric(float64(len(centers)), "centers")
			b.ReportMetric(float64(len(stations)), "stations")
			b.ReportMetric(float64(lines), "roster-lines")
			b.ReportMetric(float64(centerYear.Milliseconds()), "ms-center-year-http")
			b.ReportMetric(float64(stationYear.Milliseconds()), "ms-station-year-http")
			b.ReportMetric(float64(weekRead.Microseconds())/1000, "ms-week-read-http")
			b.ReportMetric(quantile(times, 0.5), "ms-banner-coverage-p50")
			b.ReportMetric(quantile(times, 0.99), "ms-banner-coverage-p99")
		})
	}
}

func quantile(d []time.Duration, p float64) float64 {
	slices.Sort(d)
	return float64(d[min(len(d)-1, int(float64(len(d))*p))].Microseconds()) / 1000
}
