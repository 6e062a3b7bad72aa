package web_test

import (
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bianmin/internal/apiload"
	"bianmin/internal/demo"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkLifecycle runs whole case lifecycles through the HTTP API (receive, accept, two review steps,
// decide, issue) from 16 concurrent clients, over a database already holding BIANMIN_BENCH_CASES cases
// (default 1,000,000), and measures beside it the raw commit rate of the same database. Run explicitly:
//
//	go test -run XXX -bench Lifecycle -benchtime 2000x -timeout 60m ./internal/web
func BenchmarkLifecycle(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BIANMIN_BENCH_CASES")); err == nil {
		n = v
	}
	for _, e := range testkit.Engines(b) {
		// The benchmark function runs more than once (b.N grows); the world and its million cases are made
		// once per engine.
		var once sync.Once
		var r *testkit.Running
		var item, applicant string
		var rawRate float64
		b.Run(e.Name, func(bb *testing.B) {
			// the world belongs to the outer benchmark, so that it outlives each run of this one
			once.Do(func() {
				r, item, applicant, rawRate = lifecycleWorld(b, e, n)
			})
			lifecycleRun(bb, r, item, applicant, rawRate)
		})
	}
}

// lifecycleWorld starts Bianmin on the engine, seeds n cases and measures the raw commit rate.
func lifecycleWorld(b *testing.B, e testkit.Engine, n int) (*testkit.Running, string, string, float64) {
	r := testkit.Start(b, e)
	ctx := b.Context()
	item, applicant := lifecycleSubjects(b, r)
	t1, _ := r.DB.OrgByCode(ctx, "150421100")
	start := time.Now()
	testkit.SeedCases(b, r.DB, t1.ID, t1.ID, item, applicant, n)
	b.Logf("%s: seeded %d cases in %v", e.Name, n, time.Since(start).Round(time.Second))
	if e.Name == "postgres" {
		// the seeding's writes go to disk now rather than in a checkpoint amid the measured lifecycles, and
		// the planner learns the seeded tables (this machine's PostgreSQL runs no autovacuum): runs spread less
		if err := r.DB.ExecRaw(ctx, `CHECKPOINT`); err != nil {
			b.Fatal(err)
		}
		if err := r.DB.ExecRaw(ctx, `VACUUM ANALYZE cases`); err != nil {
			b.Fatal(err)
		}
	}

	// raw commit rate: one-row transactions on the same database, now
	commits := 0
	rawStart := time.Now()
	for time.Since(rawStart) < 2*time.Second {
		if err := r.DB.ExecRaw(ctx, `INSERT INTO counters (scope, value) VALUES (?, 1)`, "raw/"+strconv.Itoa(commits)); err != nil {
			b.Fatal(err)
		}
		commits++
	}
	rawRate := float64(commits) / time.Since(rawStart).Seconds()
	return r, item, applicant, rawRate
}

// lifecycleRun runs b.N lifecycles from 16 clients.
func lifecycleRun(b *testing.B, r *testkit.Running, item, applicant string, rawRate float64) {
	l := newLifecycler(b, r.URL, item, applicant)
	var mu sync.Mutex
	var lat []time.Duration
	l.Took = func(_ string, d time.Duration) {
		mu.Lock()
		lat = append(lat, d)
		mu.Unlock()
	}
	b.SetParallelism(8) // 8 × 2 cores = 16 clients
	b.ResetTimer()
	busy0 := machineBusy()
	t0 := time.Now()
	var done atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Run()
			done.Add(1)
		}
	})
	elapsed := time.Since(t0)
	busy := machineBusy() - busy0
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("no calls")
	}
	b.ReportMetric(float64(done.Load())/elapsed.Seconds(), "lifecycles/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-call-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-call-ms")
	b.ReportMetric(rawRate, "raw-commits/s")
	if busy0 >= 0 && busy >= 0 {
		// the processors' time a lifecycle, of every process (the server, its clients, PostgreSQL, the
		// kernel): what bounds the rate on a machine whose processors are all busy, and steadier than it
		// when the machine's speed wanders between runs
		b.ReportMetric(busy.Seconds()*1000/float64(done.Load()), "cpu-ms/lifecycle")
	}
}

// machineBusy is the time the machine's processors have spent on anything but idling and waiting for the
// disk since boot, from Linux's /proc/stat (clock ticks of 10 ms); -1 where there is none.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 8 || f[0] != "cpu" {
		return -1
	}
	var ticks int64
	for i, x := range f[1:] {
		if i == 3 || i == 4 || i >= 7 { // idle, iowait; steal and the guests' (counted in user already)
			continue
		}
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return -1
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// lifecycleSubjects returns the item (minimum living allowance) and an applicant of the demo's first
// township that lifecycles are run for.
func lifecycleSubjects(tb testing.TB, r *testkit.Running) (item, applicant string) {
	ctx := tb.Context()
	res, _ := r.Service.Search(ctx, "最低生活保障", 1)
	item = res[0].Card.ID
	t1, _ := r.DB.OrgByCode(ctx, "150421100")
	clerk, _ := r.DB.CredentialsByUsername(ctx, "tianshan.clerk")
	list, err := r.Service.Applicants(ctx, clerk.Staff.Actor(), t1.ID, 1)
	if err == nil && len(list) > 0 {
		applicant = list[0].ID
	} else {
		a, err := r.Service.CreateApplicant(ctx, clerk.Staff.Actor(), serviceApplicant(t1.ID), "")
		if err != nil {
			tb.Fatal(err)
		}
		applicant = a.ID
	}
	return item, applicant
}

func serviceApplicant(orgID string) service.ApplicantInput {
	return service.ApplicantInput{Kind: "resident", Name: "基准测试居民", IDNumber: "11010519491231002X", Phone: "13900000000", OrgID: orgID}
}

// newLifecycler runs the six moves of a case (receive, accept, two review passes, decide, issue) through the
// JSON API as cmd/deskload does (apiload.Lifecycle), a failed call failing tb.
func newLifecycler(tb testing.TB, url, item, applicant string) *apiload.Lifecycle {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	l := &apiload.Lifecycle{URL: url, Client: client, Item: item, Applicant: applicant,
		Failed: func(move string, status int, body []byte, err error) {
			tb.Errorf("%s: %d %s %v", move, status, body, err)
		}}
	for _, x := range []struct {
		tok  *string
		user string
	}{{&l.Clerk, "tianshan.clerk"}, {&l.Reviewer, "tianshan.reviewer"}, {&l.Dept, "minzheng"}} {
		tok, err := apiload.Token(client, url, x.user, demo.Password)
		if err != nil {
			tb.Fatal(err)
		}
		*x.tok = tok
	}
	return l
}
