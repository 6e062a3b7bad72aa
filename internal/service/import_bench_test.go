package service_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkIntakeDuringImport imports 20,000 items while a clerk takes cases in one after another, and
// reports the longest an intake waited (and the median) while the import ran: what a hall feels of an
// office's catalog import. Run with -benchtime=1x; both engines when BIANMIN_TEST_POSTGRES is set.
func BenchmarkIntakeDuringImport(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testkit.Open(b, e)
			svc := testkit.Demo(b, db)
			towns, err := db.OrgsByName(ctx, org.Township, "天山镇")
			if err != nil || len(towns) != 1 {
				b.Fatal(towns, err)
			}
			a, err := svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "居民甲", IDNumber: idFor(901), Phone: "13800001234", OrgID: towns[0].ID}, "")
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.Search(ctx, "最低生活保障", 1)
			if err != nil || len(res) == 0 {
				b.Fatal(err)
			}
			in := service.ReceiveInput{ItemID: res[0].Card.ID, ApplicantID: a.ID, ReceivingOrg: towns[0].ID}
			items := manyItems(20000)
			var waits []time.Duration
			var took time.Duration
			for b.Loop() {
				var mu sync.Mutex
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						t0 := time.Now()
						if _, err := svc.Receive(ctx, access.System, in, ""); err != nil {
							b.Error(err)
							return
						}
						mu.Lock()
						waits = append(waits, time.Since(t0))
						mu.Unlock()
						time.Sleep(20 * time.Millisecond) // a busy hall, not a flood
					}
				}()
				time.Sleep(100 * time.Millisecond)
				t0 := time.Now()
				if _, err := svc.ImportItems(ctx, access.System, items, true); err != nil {
					b.Fatal(err)
				}
				took = time.Since(t0)
				close(stop)
				wg.Wait()
			}
			slices.Sort(waits)
			if len(waits) == 0 {
				b.Fatal("no intake")
			}
			b.ReportMetric(float64(waits[len(waits)-1].Microseconds())/1000, "max-intake-ms")
			b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "median-intake-ms")
			b.ReportMetric(took.Seconds(), "import-s")
			b.ReportMetric(float64(len(waits)), "intakes")
		})
	}
}
