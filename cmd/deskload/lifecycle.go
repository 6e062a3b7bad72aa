package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bianmin/internal/apiload"
)

// The lifecycle mode (-mode lifecycle) writes: each client runs whole case lifecycles through the JSON API
// (receive, accept, two review passes, decide, issue: internal/apiload, the script the benchmark in
// internal/web/lifecycle_bench_test.go runs too), the clerk and reviewer of 天山镇 and the banner's 民政局
// signed in once and shared. It prints lifecycles/s and p50/p99 per call; with -pid, the server's CPU time
// per lifecycle (read from /proc, the server being another process on this machine), and where /proc is,
// the whole machine's processor time per lifecycle split into this load's, the server's and the rest (on a
// machine that runs nothing else, the database's and the kernel's work for it); with -upstream, the push of
// the moves to a receiver (push.go).

// lifecycler keeps the latencies and failures of an apiload.Lifecycle's calls.
type lifecycler struct {
	apiload.Lifecycle
	mu     sync.Mutex
	lat    map[string][]time.Duration
	failed atomic.Int64
}

func lifecycleLoad(base, password string, clients, townships, from int, dur time.Duration, pids, pgwait, upstreamURL string) {
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	l := &lifecycler{Lifecycle: apiload.Lifecycle{URL: base, Client: client}, lat: map[string][]time.Duration{}}
	l.Took = func(move string, d time.Duration) {
		l.mu.Lock()
		l.lat[move] = append(l.lat[move], d)
		l.mu.Unlock()
	}
	l.Failed = func(move string, status int, body []byte, err error) {
		if l.failed.Add(1) <= 5 {
			fmt.Fprintf(os.Stderr, "%s: %d %.200s %v\n", move, status, body, err)
		}
	}
	for _, x := range []struct {
		tok  *string
		user string
	}{{&l.Clerk, "tianshan.clerk"}, {&l.Reviewer, "tianshan.reviewer"}, {&l.Dept, "minzheng"}} {
		s, err := signIn(client, base, x.user, password)
		if err != nil {
			fail(x.user, err)
		}
		*x.tok = s.token
	}
	var err error
	if l.Item, l.Applicant, err = l.subjects(); err != nil {
		fail("lifecycle", err)
	}
	lives, err := townshipLifecycles(client, base, password, townships, l)
	if err != nil {
		fail("townships", err)
	}
	var sampler *waitSampler
	if pgwait != "" {
		if sampler, err = startWaitSampler(pgwait, 100*time.Millisecond); err != nil {
			fail("pgwait", err)
		}
	}
	var push *pushWatch
	if upstreamURL != "" {
		if push, err = startPush(client, base, password, upstreamURL, l.Item); err != nil {
			fail("upstream", err)
		}
	}
	busy0, cpus := machineBusy()
	cpu0, self0 := cpuTime(pids), cpuTime("self")
	end := time.Now().Add(dur)
	t0 := time.Now()
	var done atomic.Int64
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		life := lives[(from+i)%len(lives)]
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if life.Run() != "" {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	cpu, self := cpuTime(pids)-cpu0, cpuTime("self")-self0
	busy, _ := machineBusy()
	busy -= busy0
	var waits []waitRow
	var samples int
	if sampler != nil {
		waits, samples = sampler.stop()
	}
	n := done.Load()
	fmt.Printf("%d clients in %d townships, %s: %d lifecycles, %.1f lifecycles/s, %d calls failed\n", clients, len(lives), dur, n, float64(n)/elapsed.Seconds(), l.failed.Load())
	if pids != "" && n > 0 {
		fmt.Printf("server CPU (pids %s): %.1f s, %.2f ms per lifecycle\n", pids, cpu.Seconds(), float64(cpu.Microseconds())/1000/float64(n))
	}
	if busy > 0 && cpus > 0 && n > 0 {
		per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
		fmt.Printf("machine CPU: %.2f ms per lifecycle (%.0f%% of %d processors busy): this load %.2f, the server %.2f, the rest %.2f (the database, and all else the machine ran)\n",
			per(busy), 100*busy.Seconds()/elapsed.Seconds()/float64(cpus), cpus, per(self), per(cpu), per(busy-self-cpu))
	}
	fmt.Printf("| call | calls | p50 | p99 |\n|---|---|---|---|\n")
	var all []time.Duration
	for _, m := range apiload.Moves {
		p50, p99 := pct(l.lat[m])
		all = append(all, l.lat[m]...)
		fmt.Printf("| %s | %d | %.1f ms | %.1f ms |\n", m, len(l.lat[m]), ms(p50), ms(p99))
	}
	p50, p99 := pct(all)
	fmt.Printf("| all | %d | %.1f ms | %.1f ms |\n", len(all), ms(p50), ms(p99))
	if sampler != nil {
		printWaits(waits, samples)
	}
	if push != nil {
		push.report(t0, t0.Add(elapsed), 2*time.Minute)
	}
}

func fail(what string, err error) {
	fmt.Fprintln(os.Stderr, what+":", err)
	os.Exit(1)
}

// subjects finds the item (最低生活保障) and an applicant of 天山镇, as the benchmark uses.
func (l *lifecycler) subjects() (string, string, error) {
	b, code, err := get(l.Client, l.URL+"/api/v1/items?q="+url.QueryEscape("最低生活保障"), l.Clerk)
	if err != nil || code != 200 {
		return "", "", fmt.Errorf("items: %d %v", code, err)
	}
	var items []struct{ ID string }
	if err := json.Unmarshal(b, &items); err != nil || len(items) == 0 {
		return "", "", fmt.Errorf("items: none found (%v)", err)
	}
	b, code, err = get(l.Client, l.URL+"/api/v1/applicants?limit=1", l.Clerk)
	if err != nil || code != 200 {
		return "", "", fmt.Errorf("applicants: %d %v", code, err)
	}
	var page struct{ Applicants []struct{ ID string } }
	if err := json.Unmarshal(b, &page); err != nil || len(page.Applicants) == 0 {
		return "", "", fmt.Errorf("applicants: the clerk of 天山镇 has none (%v)", err)
	}
	return items[0].ID, page.Applicants[0].ID, nil
}

// cpuTime sums the user and system CPU time of the processes named (a comma-separated list of pids, or
// "self"; "" none), from /proc/PID/stat, in clock ticks of 10 ms (Linux's USER_HZ).
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

// machineBusy is the processor time the whole machine has spent on anything but idling and waiting for its
// disks since it started, and its processors (/proc/stat: the first line, in ticks of 10 ms, and a line for
// each processor, which a container sees as the machine has them); 0, 0 where there is no /proc.
func machineBusy() (time.Duration, int) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	lines := strings.Split(string(b), "\n")
	f := strings.Fields(lines[0])
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0
	}
	var busy int64
	for i, v := range f[1:9] { // user nice system idle iowait irq softirq steal
		if i == 3 || i == 4 {
			continue
		}
		t, _ := strconv.ParseInt(v, 10, 64)
		busy += t
	}
	cpus := 0
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "cpu") {
			cpus++
		}
	}
	return time.Duration(busy) * 10 * time.Millisecond, cpus
}
