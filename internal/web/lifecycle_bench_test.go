package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	l.took = func(d time.Duration) {
		mu.Lock()
		lat = append(lat, d)
		mu.Unlock()
	}
	b.SetParallelism(8) // 8 × 2 cores = 16 clients
	b.ResetTimer()
	t0 := time.Now()
	var done atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.run()
			done.Add(1)
		}
	})
	elapsed := time.Since(t0)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("no calls")
	}
	b.ReportMetric(float64(done.Load())/elapsed.Seconds(), "lifecycles/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-call-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-call-ms")
	b.ReportMetric(rawRate, "raw-commits/s")
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

// lifecycler runs the six moves of a case (receive, accept, two review passes, decide, issue) through the
// JSON API, as a clerk, a reviewer and a department would.
type lifecycler struct {
	tb                             testing.TB
	url, item, applicant           string
	client                         *http.Client
	tokClerk, tokReviewer, tokDept string
	runID                          int64
	seq                            atomic.Int64
	took                           func(time.Duration) // each successful call's latency; nil: not kept
}

func newLifecycler(tb testing.TB, url, item, applicant string) *lifecycler {
	token := func(user string) string {
		body, _ := json.Marshal(map[string]string{"username": user, "password": demo.Password})
		resp, err := http.Post(url+"/api/v1/session", "application/json", bytes.NewReader(body))
		if err != nil {
			tb.Fatal(err)
		}
		defer resp.Body.Close()
		var s struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&s)
		return s.Token
	}
	return &lifecycler{tb: tb, url: url, item: item, applicant: applicant,
		client:   &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		tokClerk: token("tianshan.clerk"), tokReviewer: token("tianshan.reviewer"), tokDept: token("minzheng"),
		runID: time.Now().UnixNano(), // keys of an earlier run must not answer for this one
	}
}

func (l *lifecycler) call(tok, path string, in any, hdr ...string) map[string]any {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", l.url+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	t0 := time.Now()
	resp, err := l.client.Do(req)
	d := time.Since(t0)
	if err != nil {
		l.tb.Error(err)
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		l.tb.Errorf("%s: %d %s", path, resp.StatusCode, raw)
		return nil
	}
	if l.took != nil {
		l.took(d)
	}
	var out map[string]any
	json.Unmarshal(raw, &out)
	return out
}

// run makes one case and moves it to issued; it returns the case's id, or "" after reporting a failure.
func (l *lifecycler) run() string {
	key := fmt.Sprintf("bench-%d-%d", l.runID, l.seq.Add(1))
	c := l.call(l.tokClerk, "/api/v1/cases", map[string]string{"item_id": l.item, "applicant_id": l.applicant}, "Idempotency-Key", key)
	if c == nil {
		return ""
	}
	id := c["id"].(string)
	moves := []struct {
		tok, action string
		input       map[string]any
	}{
		{l.tokClerk, "accept", map[string]any{"materials": []map[string]any{{"name": "最低生活保障申请表", "check": "original"}, {"name": "居民身份证", "check": "original"}, {"name": "居民户口簿", "check": "copy"}, {"name": "家庭收入和财产状况声明", "check": "pledged"},
			{"name": "本人银行卡或一卡通", "check": "copy"}, {"name": "授权委托书及代办人身份证", "check": "na"}}, "check_by": time.Now().AddDate(0, 0, 10).Format("2006-01-02")}},
		{l.tokReviewer, "pass", nil},
		{l.tokReviewer, "pass", nil},
		{l.tokDept, "decide", map[string]any{"grant": true, "reason": "符合条件"}},
		{l.tokClerk, "issue", map[string]any{"method": "window"}},
	}
	for i, m := range moves {
		if l.call(m.tok, "/api/v1/cases/"+id+"/moves", map[string]any{"version": i + 1, "action": m.action, "input": m.input}) == nil {
			return ""
		}
	}
	return id
}
