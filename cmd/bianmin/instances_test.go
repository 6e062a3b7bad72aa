package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bianmin/internal/demo"
)

// Several instances on one PostgreSQL (issue 18), as the issue asks it shown: the test makes its own primary
// (initdb, on a free port) and a streaming replica of it (pg_basebackup -R, another port), starts two Bianmin
// instances of the built binary, each with -db the primary and -db-read the replica, and shows:
//   - the supervision job runs on one instance only (job_runs), and the outbox sends each message once;
//   - an item retired on one instance leaves search on the other within the caches' poll and a rebuild;
//   - a write on one instance is read on the other, through a replica route, even while the replica has
//     not replayed it (the browser's WAL-position cookie sends that read to the primary);
//   - the leader killed with SIGKILL, the other takes over and its next sweep runs.
//
// It needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin); without them it is skipped.
func TestSeveralInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers and two Bianmins")
	}
	pgbin := postgresBin(t)
	pg := newCluster(t, pgbin)
	bin := filepath.Join(t.TempDir(), "bianmin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	// the SMS gateway both instances send to: every message it is sent, by body
	var smsMu sync.Mutex
	sms := map[string]int{}
	gw := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ Phone, Body string }
		json.NewDecoder(r.Body).Decode(&m)
		smsMu.Lock()
		sms[m.Body]++
		smsMu.Unlock()
	})}
	gwLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go gw.Serve(gwLn)
	t.Cleanup(func() { gw.Close() })

	keys := t.TempDir()
	common := []string{"-db", pg.primary, "-db-read", pg.replica, "-addr", "127.0.0.1:0",
		"-audit-key", filepath.Join(keys, "audit.key"), "-code-key", filepath.Join(keys, "result-code.key"),
		"-sms", "http://" + gwLn.Addr().String() + "/", "-sweep-every", "1s", "-leader-every", "300ms",
		"-cache-poll", "200ms", "-db-read-lag", "30s"}
	// A loads the demo world (no cases); B starts once A serves, on the same database
	a := startInstance(t, bin, append([]string{"demo", "-n", "0", "-instance", "A", "-data", t.TempDir()}, common...))
	b := startInstance(t, bin, append([]string{"serve", "-instance", "B", "-data", t.TempDir()}, common...))
	db, err := sql.Open("pgx", pg.primary)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	leader, follower := a, b
	waitFor(t, 10*time.Second, "one leader", func() bool {
		la, lb := a.role(t) == "leader", b.role(t) == "leader"
		if la && lb {
			t.Fatalf("both instances lead")
		}
		if lb {
			leader, follower = b, a
		}
		return la || lb
	})
	t.Logf("leader %s, follower %s", leader.name, follower.name)

	// the supervision job runs on the leader only
	waitFor(t, 10*time.Second, "three sweeps", func() bool { return jobRuns(t, db)[leader.name] >= 3 })
	if runs := jobRuns(t, db); runs[follower.name] != 0 {
		t.Fatalf("the follower ran the supervision job: %v", runs)
	}

	// the outbox: 60 messages, each sent once, by whichever instance claimed it
	const msgs = 60
	for i := range msgs {
		if _, err := db.Exec(`INSERT INTO outbox (id, phone, lang, template, body, next_at, created_at, channel) VALUES ($1, '13800000000', 'zh', 'test', $2, now(), now(), 'sms')`,
			fmt.Sprintf("test-%03d", i), fmt.Sprintf("message %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 20*time.Second, "every message sent", func() bool {
		var unsent int
		if err := db.QueryRow(`SELECT count(*) FROM outbox WHERE id LIKE 'test-%' AND sent_at IS NULL`).Scan(&unsent); err != nil {
			t.Fatal(err)
		}
		return unsent == 0
	})
	smsMu.Lock()
	for i := range msgs {
		if n := sms[fmt.Sprintf("message %d", i)]; n != 1 {
			t.Errorf("message %d sent %d times, want once", i, n)
		}
	}
	smsMu.Unlock()

	// an item retired on A leaves search on B
	jar, _ := cookiejar.New(nil)
	staff := &http.Client{Jar: jar, Timeout: 10 * time.Second} // one browser: its cookies go to both instances
	token := login(t, staff, a.url)
	var found []struct {
		ID     string `json:"id"`
		NameZh string `json:"name_zh"`
	}
	get(t, staff, b.url+"/api/v1/items?q="+url.QueryEscape("证"), &found)
	if len(found) < 2 {
		t.Fatalf("search for 证 on B found %d items, want at least 2", len(found))
	}
	first, second := found[0], found[1]
	retire(t, staff, a.url, token, first.ID)
	retired := time.Now()
	waitFor(t, 10*time.Second, "the retired item gone from B's search", func() bool {
		var now []struct{ ID string }
		get(t, staff, b.url+"/api/v1/items?q="+url.QueryEscape("证"), &now)
		for _, it := range now {
			if it.ID == first.ID {
				return false
			}
		}
		return true
	})
	t.Logf("a retirement on %s left search on %s after %s (bound: -cache-poll 200ms and a rebuild)", a.name, b.name, time.Since(retired).Round(time.Millisecond))

	// read-your-writes through the replica: with the replica's replay paused, a write on A is read on B
	replica, err := sql.Open("pgx", pg.replica)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	if _, err := replica.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			replica.Exec(`SELECT pg_wal_replay_resume()`)
		}
	}
	defer resume()
	retire(t, staff, a.url, token, second.ID)
	if code := status(t, staff, b.url+"/api/v1/items/"+second.ID); code != http.StatusNotFound {
		t.Errorf("B read the item its reader just retired on A: %d, want 404 (read-your-writes)", code)
	}
	stranger := &http.Client{Timeout: 10 * time.Second} // no cookie: the replica, paused before the write
	if code := status(t, stranger, b.url+"/api/v1/items/"+second.ID); code != http.StatusOK {
		t.Errorf("a stranger's read on B: %d, want 200 from the paused replica (is the replica read at all?)", code)
	}
	resume()
	waitFor(t, 10*time.Second, "the replica replays the retirement", func() bool {
		return status(t, stranger, b.url+"/api/v1/items/"+second.ID) == http.StatusNotFound
	})

	// the leader killed: the other takes over, and its next sweep runs
	before := jobRuns(t, db)[follower.name]
	leader.cmd.Process.Signal(syscall.SIGKILL)
	leader.cmd.Wait()
	killed := time.Now()
	waitFor(t, 15*time.Second, "the follower leads", func() bool { return follower.role(t) == "leader" })
	took := time.Since(killed)
	waitFor(t, 10*time.Second, "the new leader's sweep", func() bool { return jobRuns(t, db)[follower.name] > before })
	t.Logf("after SIGKILL of %s, %s led within %s (bound: -leader-every 300ms once the server drops the connection)", leader.name, follower.name, took.Round(time.Millisecond))
}

// cluster is the test's own primary and streaming replica.
type cluster struct{ primary, replica string }

func postgresBin(t *testing.T) string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_basebackup")); err == nil {
			return dirs[i]
		}
	}
	t.Skip("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
	return ""
}

// newCluster makes a primary with initdb on a free port and a replica of it with pg_basebackup -R on another,
// both stopped (immediately) when the test ends. As root, the servers run as the postgres user.
func newCluster(t *testing.T, bin string) cluster {
	dir, err := os.MkdirTemp("", "bianmin-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var asUser []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run the servers as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(name string, args ...string) {
		t.Helper()
		argv := append(append(append([]string{}, asUser...), filepath.Join(bin, name)), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	pport, rport := freePort(t), freePort(t)
	opts := func(port int) string {
		return fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	}
	primary, replica := filepath.Join(dir, "primary"), filepath.Join(dir, "replica")
	run("initdb", "-D", primary, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C")
	run("pg_ctl", "-D", primary, "-l", filepath.Join(dir, "primary.log"), "-o", opts(pport), "-w", "start")
	stop := func(data string) {
		argv := append(append([]string{}, asUser...), filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop")
		exec.Command(argv[0], argv[1:]...).Run()
	}
	t.Cleanup(func() { stop(primary) })
	run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(pport), "-U", "postgres", "-D", replica, "-R", "-X", "stream", "--no-sync")
	run("pg_ctl", "-D", replica, "-l", filepath.Join(dir, "replica.log"), "-o", opts(rport), "-w", "start")
	t.Cleanup(func() { stop(replica) })
	url := func(port int) string {
		return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	}
	return cluster{url(pport), url(rport)}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// instance is a running Bianmin of the built binary.
type instance struct {
	name, url string
	cmd       *exec.Cmd
	stderr    *bytes.Buffer
}

// startInstance starts the binary and waits until it serves; it is killed when the test ends.
func startInstance(t *testing.T, bin string, args []string) *instance {
	t.Helper()
	in := &instance{cmd: exec.Command(bin, args...), stderr: &bytes.Buffer{}}
	for i, a := range args {
		if a == "-instance" {
			in.name = args[i+1]
		}
	}
	in.cmd.Stderr = &lockedWriter{w: in.stderr}
	pipe, err := in.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.cmd.Process.Signal(syscall.SIGKILL)
		in.cmd.Wait()
		if t.Failed() {
			t.Logf("%s's log:\n%s", in.name, lastLines(in.stderr.String(), 40))
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "is running on "); ok {
				addr <- strings.TrimSuffix(strings.Fields(rest)[0], "/")
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	select {
	case in.url = <-addr:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s does not serve after a minute:\n%s", in.name, lastLines(in.stderr.String(), 40))
	}
	return in
}

// role is the second line of /healthz: leader or follower.
func (in *instance) role(t *testing.T) string {
	resp, err := http.Get(in.url + "/healthz")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return strings.TrimSpace(strings.TrimPrefix(string(body), "ok\n"))
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func jobRuns(t *testing.T, db *sql.DB) map[string]int {
	rows, err := db.Query(`SELECT instance, runs FROM job_runs WHERE job = 'supervision'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	return out
}

// waitFor polls cond until it holds, failing the test after limit (a bound on a wait, not a measurement).
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("%s: not after %s", what, limit)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func login(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": "admin", "password": demo.Password})
	resp, err := c.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	return s.Token
}

// retire retires an item's published version through the API of the instance at base.
func retire(t *testing.T, c *http.Client, base, token, id string) {
	t.Helper()
	var it struct{ Version int }
	get(t, c, base+"/api/v1/items/"+id, &it)
	body, _ := json.Marshal(map[string]any{"version": it.Version, "to": "retired"})
	req, _ := http.NewRequest("POST", base+"/api/v1/catalog/"+id+"/status", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("retire %s: %d %s", id, resp.StatusCode, msg)
	}
}

func get(t *testing.T, c *http.Client, u string, into any) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, msg)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func status(t *testing.T, c *http.Client, u string) int {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
