package web_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/hall"
	"bianmin/internal/org"
	"bianmin/internal/testkit"
)

// BenchmarkHallBoard is one display's (or phone's) refresh of a center's board over HTTP, with a day of
// 2,000 tickets and 20 numbers called: the live JSON the script polls every 2 s, and the whole page a screen
// without JavaScript reloads every 5 s. It reports the bytes each sends.
func BenchmarkHallBoard(b *testing.B) {
	r := testkit.Start(b, testkit.SQLite(b))
	at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-03-10 09:00", clock.DefaultRules().Location)
	r.DB.Now = func() time.Time { return at }
	ctx := b.Context()
	tw, _ := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	center, _, _ := r.Service.CenterOf(ctx, tw[0])
	for i := range 2000 {
		if _, err := r.Service.TakeTicket(ctx, nil, center.ID, hall.Categories[i%4], ""); err != nil {
			b.Fatal(err)
		}
	}
	kids, _ := r.DB.Children(ctx, center.ID)
	for _, k := range kids {
		if k.Kind != org.Window || k.Desk != org.FrontDesk {
			continue
		}
		a := access.Actor{ID: "bench-" + k.ID, Name: "窗口员", Role: access.Clerk, OrgID: tw[0].ID, OrgPath: tw[0].Path}
		if err := r.Service.SignOn(ctx, a, k.ID, nil); err != nil {
			b.Fatal(err)
		}
		for range 7 {
			r.Service.CallNext(ctx, a)
		}
	}
	for name, path := range map[string]string{"live": "/board/" + center.ID + "/live", "page": "/board/" + center.ID} {
		b.Run(name, func(b *testing.B) {
			size := 0
			for b.Loop() {
				resp, err := http.Get(r.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %d", path, resp.StatusCode)
				}
				size = len(body)
			}
			b.ReportMetric(float64(size), "bytes/refresh")
		})
	}
}
