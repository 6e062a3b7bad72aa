// Command deskload drives a running Bianmin over HTTP as a hall full of staff would, from a process of its
// own: each of 16 demo accounts (clerks, reviewers, directors, agents, department staff, a supervisor, the
// administrator) signs in and, for the duration, opens in turn its queue, a case search, a case page, an
// applicant search and (those who may) the supervision dashboard. It prints p50 and p99 per page.
//
//	bianmin gen -n 100000 -data DIR && bianmin serve -data DIR -addr 127.0.0.1:8090 &
//	go run ./cmd/deskload -url http://127.0.0.1:8090 -duration 60s             # saturation: no time to read
//	go run ./cmd/deskload -url http://127.0.0.1:8090 -duration 60s -think 2s   # staff reading each page
//
// With -mode lifecycle it writes instead (lifecycle.go): 16 clients run whole case lifecycles through the
// JSON API; -pgwait URL samples PostgreSQL's wait events meanwhile (pgwait.go), -pid the server's CPU.
//
//	go run ./cmd/deskload -mode lifecycle -url http://127.0.0.1:8090 -duration 60s -pid $(pgrep -f 'bianmin serve') \
//	  -pgwait 'postgres://postgres@127.0.0.1:5432/bianmin?sslmode=disable'
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

var users = []string{"tianshan.clerk", "tianshan.reviewer", "tianshan.director", "shaogen.clerk", "shaogen.reviewer",
	"shaogen.director", "yangshulin.agent", "xishuangshan.agent", "agetan.agent", "minzheng", "minzheng.head", "gongan",
	"canlian", "gongan.head", "supervisor", "admin"}

var kinds = []string{"queue", "case search", "case page", "applicant search", "supervision", "queue API"}

type staff struct {
	user, token string
	cases       []struct{ ID, No string }
	names       []string
	supervises  bool
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the running Bianmin")
	password := flag.String("password", "Bianmin-2026", "the demo accounts' password")
	dur := flag.Duration("duration", 60*time.Second, "how long to load")
	n := flag.Int("c", len(users), "concurrent staff (at most 16)")
	// A person reads a page before the next: with -think 0 each sends the next request the moment the last
	// answers (a closed loop: the server's saturation); with -think 2s each waits a random time averaging two
	// seconds (exponentially distributed) after each answer, as staff at work would.
	think := flag.Duration("think", 0, "mean time a person reads a page before the next request (0: none)")
	mode := flag.String("mode", "desk", "desk: staff reading pages; lifecycle: clients running case lifecycles through the JSON API")
	pgwait := flag.String("pgwait", "", "PostgreSQL URL of Bianmin's database: sample pg_stat_activity's wait events every 100 ms during the load (lifecycle mode)")
	townships := flag.Int("townships", 1, "lifecycle mode: deal the clients to this many townships (天山镇 with the demo's accounts; a clerk and a reviewer made in each other one)")
	from := flag.Int("from", 0, "lifecycle mode: deal the clients from this township of the -townships on (two loads on two instances take townships of their own)")
	upstreamURL := flag.String("upstream", "", "a reference receiver's records address (bianmin upstream serve: http://ADDR/records): set up a receiver there as admin and measure the push of the moves (lifecycle mode)")
	pids := flag.String("pid", "", "the server's process ids, comma-separated: print its CPU time per lifecycle (lifecycle mode)")
	flag.Parse()
	if *mode == "lifecycle" {
		lifecycleLoad(*base, *password, *n, *townships, *from, *dur, *pids, *pgwait, *upstreamURL)
		return
	}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var team []*staff
	for _, u := range users[:min(*n, len(users))] {
		s, err := signIn(client, *base, u, *password)
		if err != nil {
			fmt.Fprintln(os.Stderr, u, err)
			os.Exit(1)
		}
		team = append(team, s)
	}
	var mu sync.Mutex
	lat := map[string][]time.Duration{}
	size := map[string]int{}
	end := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for _, s := range team {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(end); i++ {
				kind := kinds[i%len(kinds)]
				var path string
				switch kind {
				case "queue":
					path = "/cases"
				case "queue API":
					path = "/api/v1/cases"
				case "case search":
					if len(s.cases) == 0 {
						continue
					}
					no := s.cases[i%len(s.cases)].No
					path = "/cases?q=" + url.QueryEscape(no[len(no)-10:]) // without the township's prefix
				case "case page":
					if len(s.cases) == 0 {
						continue
					}
					path = "/cases/" + s.cases[i%len(s.cases)].ID
				case "applicant search":
					if len(s.names) == 0 {
						continue
					}
					path = "/applicants?q=" + url.QueryEscape(s.names[i%len(s.names)])
				case "supervision":
					if !s.supervises {
						continue
					}
					path = "/supervision"
				}
				t0 := time.Now()
				b, code, err := get(client, *base+path, s.token)
				d := time.Since(t0)
				if err != nil || code != 200 {
					fmt.Fprintf(os.Stderr, "%s %s: %d %v\n", s.user, path, code, err)
					continue
				}
				mu.Lock()
				lat[kind] = append(lat[kind], d)
				size[kind] = max(size[kind], len(b))
				mu.Unlock()
				if *think > 0 {
					time.Sleep(time.Duration(rand.ExpFloat64() * float64(*think)))
				}
			}
		}()
	}
	wg.Wait()
	var all []time.Duration
	fmt.Printf("%d staff, %s, reading each page %s on average\n| page | requests | p50 | p99 | largest response |\n|---|---|---|---|---|\n", len(team), *dur, *think)
	for _, k := range kinds {
		l := lat[k]
		all = append(all, l...)
		p50, p99 := pct(l)
		fmt.Printf("| %s | %d | %.1f ms | %.1f ms | %d KB |\n", k, len(l), ms(p50), ms(p99), size[k]>>10)
	}
	p50, p99 := pct(all)
	fmt.Printf("| all | %d (%.0f/s) | %.1f ms | %.1f ms | |\n", len(all), float64(len(all))/dur.Seconds(), ms(p50), ms(p99))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pct(l []time.Duration) (time.Duration, time.Duration) {
	if len(l) == 0 {
		return 0, 0
	}
	slices.Sort(l)
	return l[len(l)/2], l[min(len(l)-1, len(l)*99/100)]
}

func get(c *http.Client, u, token string) ([]byte, int, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.AddCookie(&http.Cookie{Name: "bm_session", Value: token})
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}

// signIn opens a session and samples what the account may see: cases (from its queue and from all its
// cases) and applicants' names.
func signIn(c *http.Client, base, user, password string) (*staff, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := c.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var sess struct {
		Token string `json:"token"`
		Staff struct {
			Role string `json:"role"`
		} `json:"staff"`
	}
	err = json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	if err != nil || sess.Token == "" {
		return nil, fmt.Errorf("sign in: %d %v", resp.StatusCode, err)
	}
	s := &staff{user: user, token: sess.Token}
	if _, code, err := get(c, base+"/supervision", s.token); err == nil && code == 200 {
		s.supervises = true
	}
	for _, q := range []string{"/api/v1/cases?limit=25", "/api/v1/cases?open=all&limit=25"} {
		b, code, err := get(c, base+q, s.token)
		if err != nil || code != 200 {
			return nil, fmt.Errorf("%s: %d %v %s", q, code, err, b)
		}
		var p struct {
			Cases []struct {
				Case struct{ ID, No string } `json:"case"`
			} `json:"cases"`
			Names map[string]string `json:"names"`
		}
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, err
		}
		for _, w := range p.Cases {
			s.cases = append(s.cases, w.Case)
		}
		for _, name := range p.Names {
			if name != "" && !strings.ContainsRune(name, '*') {
				s.names = append(s.names, name)
			}
		}
	}
	return s, nil
}
