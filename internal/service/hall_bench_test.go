package service_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// hallDay fills a center with 20 windows, 20 clerks signed on and a day of 2,000 tickets.
func hallDay(b *testing.B, db *store.DB, svc *service.Service) (org.Org, []access.Actor) {
	b.Helper()
	hallAt(db, "2026-03-10", "09:00")
	tw, _ := db.OrgsByName(ctx, org.Township, "天山镇")
	center, _, err := svc.CenterOf(ctx, tw[0])
	if err != nil {
		b.Fatal(err)
	}
	var clerks []access.Actor
	for i := range 20 {
		w := org.Org{ParentID: center.ID, Kind: org.Window, NameZh: fmt.Sprintf("测试窗口%02d", i), Desk: org.FrontDesk, General: true}
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.CreateOrg(access.System, &w) }); err != nil {
			b.Fatal(err)
		}
		a := access.Actor{ID: fmt.Sprintf("bench-clerk-%02d", i), Name: fmt.Sprintf("窗口员%02d", i), Role: access.Clerk, OrgID: tw[0].ID, OrgPath: tw[0].Path}
		if err := svc.SignOn(ctx, a, w.ID, nil); err != nil {
			b.Fatal(err)
		}
		clerks = append(clerks, a)
	}
	start := time.Now()
	for i := range 2000 {
		if _, err := svc.TakeTicket(ctx, nil, center.ID, hall.Categories[i%len(hall.Categories)], ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/2000/1000, "ms/ticket-issued")
	return center, clerks
}

func pct(d []time.Duration, p float64) float64 {
	slices.Sort(d)
	return float64(d[min(len(d)-1, int(float64(len(d))*p))].Microseconds()) / 1000
}

// BenchmarkHallCallNext: 20 windows call a day of 2,000 tickets (each call also finishes the ticket the
// window served), either as fast as they can, all at once ("burst": each call waits behind the other
// windows' on the one writer), or "paced": each window serves its ticket for a random time averaging 100 ms
// before calling the next (a day's 2,000 calls in about ten seconds, still a thousand times a real hall's
// pace of a call every few minutes per window). It reports the calls' p50 and p99, and the board's read
// (what each display and phone costs the server per refresh) over the full day. Run with -benchtime=1x.
func BenchmarkHallCallNext(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		for _, mode := range []struct {
			name  string
			serve time.Duration
		}{{"burst", 0}, {"paced", 100 * time.Millisecond}} {
			b.Run(e.Name+"/"+mode.name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := testkit.Open(b, e)
					svc := testkit.Demo(b, db)
					center, clerks := hallDay(b, db, svc)
					b.StartTimer()
					var mu sync.Mutex
					var took []time.Duration
					var wg sync.WaitGroup
					for _, a := range clerks {
						wg.Go(func() {
							for {
								t0 := time.Now()
								_, err := svc.CallNext(ctx, a)
								d := time.Since(t0)
								if errs.CodeOf(err) == errs.NotFound {
									return
								}
								if err != nil {
									b.Error(err)
									return
								}
								mu.Lock()
								took = append(took, d)
								mu.Unlock()
								if mode.serve > 0 {
									time.Sleep(time.Duration(rand.ExpFloat64() * float64(mode.serve)))
								}
							}
						})
					}
					wg.Wait()
					if len(took) != 2000 {
						b.Fatalf("%d calls", len(took))
					}
					b.ReportMetric(pct(took, 0.5), "ms-p50/call")
					b.ReportMetric(pct(took, 0.99), "ms-p99/call")
					// the board read from the database (a new minute each time, so that nothing is kept) and as
					// each further client of the same second gets it
					var board, cached []time.Duration
					for i := range 200 {
						hallAt(db, "2026-03-10", fmt.Sprintf("%02d:%02d", 13+i/60, i%60))
						t0 := time.Now()
						if _, err := svc.Board(ctx, center.ID); err != nil {
							b.Fatal(err)
						}
						board = append(board, time.Since(t0))
						t0 = time.Now()
						svc.Board(ctx, center.ID)
						cached = append(cached, time.Since(t0))
					}
					b.ReportMetric(pct(board, 0.5), "ms-p50/board-read")
					b.ReportMetric(pct(board, 0.99), "ms-p99/board-read")
					b.ReportMetric(pct(cached, 0.99)*1000, "µs-p99/board-client")
				}
			})
		}
	}
}
