package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The lifecycle mode (-mode lifecycle) writes: each client runs whole case lifecycles through the JSON API
// as internal/web/lifecycle_bench_test.go does (receive, accept, two review passes, decide, issue), the
// clerk and reviewer of 天山镇 and the banner's 民政局 signed in once and shared. It prints lifecycles/s and
// p50/p99 per call; with -pid, the server's CPU time per lifecycle (read from /proc, the server being
// another process on this machine).

var moves = []string{"receive", "accept", "pass 1", "pass 2", "decide", "issue"}

type lifecycler struct {
	base                  string
	client                *http.Client
	clerk, reviewer, dept string
	item, applicant       string
	run                   int64
	seq                   atomic.Int64
	mu                    sync.Mutex
	lat                   map[string][]time.Duration
	failed                atomic.Int64
}

func lifecycleLoad(base, password string, clients int, dur time.Duration, pids string, pgwait string) {
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	l := &lifecycler{base: base, client: client, run: time.Now().UnixNano(), lat: map[string][]time.Duration{}}
	for _, x := range []struct {
		tok  *string
		user string
	}{{&l.clerk, "tianshan.clerk"}, {&l.reviewer, "tianshan.reviewer"}, {&l.dept, "minzheng"}} {
		s, err := signIn(client, base, x.user, password)
		if err != nil {
			fail(x.user, err)
		}
		*x.tok = s.token
	}
	var err error
	if l.item, l.applicant, err = l.subjects(); err != nil {
		fail("lifecycle", err)
	}
	var sampler *waitSampler
	if pgwait != "" {
		if sampler, err = startWaitSampler(pgwait, 100*time.Millisecond); err != nil {
			fail("pgwait", err)
		}
	}
	cpu0 := cpuTime(pids)
	end := time.Now().Add(dur)
	t0 := time.Now()
	var done atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if l.lifecycle() {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	cpu := cpuTime(pids) - cpu0
	var waits []waitRow
	var samples int
	if sampler != nil {
		waits, samples = sampler.stop()
	}
	n := done.Load()
	fmt.Printf("%d clients, %s: %d lifecycles, %.1f lifecycles/s, %d calls failed\n", clients, dur, n, float64(n)/elapsed.Seconds(), l.failed.Load())
	if pids != "" && n > 0 {
		fmt.Printf("server CPU (pids %s): %.1f s, %.2f ms per lifecycle\n", pids, cpu.Seconds(), float64(cpu.Microseconds())/1000/float64(n))
	}
	fmt.Printf("| call | calls | p50 | p99 |\n|---|---|---|---|\n")
	var all []time.Duration
	for _, m := range moves {
		p50, p99 := pct(l.lat[m])
		all = append(all, l.lat[m]...)
		fmt.Printf("| %s | %d | %.1f ms | %.1f ms |\n", m, len(l.lat[m]), ms(p50), ms(p99))
	}
	p50, p99 := pct(all)
	fmt.Printf("| all | %d | %.1f ms | %.1f ms |\n", len(all), ms(p50), ms(p99))
	if sampler != nil {
		printWaits(waits, samples)
	}
}

func fail(what string, err error) {
	fmt.Fprintln(os.Stderr, what+":", err)
	os.Exit(1)
}

// subjects finds the item (最低生活保障) and an applicant of 天山镇, as the benchmark uses.
func (l *lifecycler) subjects() (string, string, error) {
	b, code, err := get(l.client, l.base+"/api/v1/items?q="+url.QueryEscape("最低生活保障"), l.clerk)
	if err != nil || code != 200 {
		return "", "", fmt.Errorf("items: %d %v", code, err)
	}
	var items []struct{ ID string }
	if err := json.Unmarshal(b, &items); err != nil || len(items) == 0 {
		return "", "", fmt.Errorf("items: none found (%v)", err)
	}
	b, code, err = get(l.client, l.base+"/api/v1/applicants?limit=1", l.clerk)
	if err != nil || code != 200 {
		return "", "", fmt.Errorf("applicants: %d %v", code, err)
	}
	var page struct{ Applicants []struct{ ID string } }
	if err := json.Unmarshal(b, &page); err != nil || len(page.Applicants) == 0 {
		return "", "", fmt.Errorf("applicants: the clerk of 天山镇 has none (%v)", err)
	}
	return items[0].ID, page.Applicants[0].ID, nil
}

func (l *lifecycler) lifecycle() bool {
	key := fmt.Sprintf("load-%d-%d", l.run, l.seq.Add(1))
	c := l.call("receive", l.clerk, "/api/v1/cases", map[string]string{"item_id": l.item, "applicant_id": l.applicant}, "Idempotency-Key", key)
	if c == nil {
		return false
	}
	id, _ := c["id"].(string)
	steps := []struct {
		name, tok, action string
		input             map[string]any
	}{
		{"accept", l.clerk, "accept", map[string]any{"materials": []map[string]any{{"name": "最低生活保障申请表", "check": "original"}, {"name": "居民身份证", "check": "original"}, {"name": "居民户口簿", "check": "copy"}, {"name": "家庭收入和财产状况声明", "check": "pledged"},
			{"name": "本人银行卡或一卡通", "check": "copy"}, {"name": "授权委托书及代办人身份证", "check": "na"}}, "check_by": time.Now().AddDate(0, 0, 10).Format("2006-01-02")}},
		{"pass 1", l.reviewer, "pass", nil},
		{"pass 2", l.reviewer, "pass", nil},
		{"decide", l.dept, "decide", map[string]any{"grant": true, "reason": "符合条件"}},
		{"issue", l.clerk, "issue", map[string]any{"method": "window"}},
	}
	for i, s := range steps {
		if l.call(s.name, s.tok, "/api/v1/cases/"+id+"/moves", map[string]any{"version": i + 1, "action": s.action, "input": s.input}) == nil {
			return false
		}
	}
	return true
}

func (l *lifecycler) call(name, tok, path string, in any, hdr ...string) map[string]any {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", l.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	t0 := time.Now()
	resp, err := l.client.Do(req)
	d := time.Since(t0)
	if err != nil {
		l.failed.Add(1)
		fmt.Fprintln(os.Stderr, name, err)
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		if l.failed.Add(1) <= 5 {
			fmt.Fprintf(os.Stderr, "%s: %d %.200s\n", name, resp.StatusCode, raw)
		}
		return nil
	}
	l.mu.Lock()
	l.lat[name] = append(l.lat[name], d)
	l.mu.Unlock()
	var out map[string]any
	json.Unmarshal(raw, &out)
	return out
}

// cpuTime sums the user and system CPU time of the processes named (a comma-separated list of pids; ""
// none), from /proc/PID/stat, in clock ticks of 10 ms (Linux's USER_HZ).
func cpuTime(pids string) time.Duration {
	var total time.Duration
	for _, p := range strings.Split(pids, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b, err := os.ReadFile("/proc/" + p + "/stat")
		if err != nil {
			continue
		}
		// the command name in parentheses may hold spaces: fields are counted after its closing one
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+s) * 10 * time.Millisecond
	}
	return total
}
