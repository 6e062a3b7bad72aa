package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/app"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// The crash campaign of issue 20, as a test: the built binary runs `bianmin gen` (which loads the demo world
// first) and the demo's first start, on SQLite and PostgreSQL, and is killed with SIGKILL and with SIGINT at
// points spread over the whole run (world, cases, roll-ups). After each: `bianmin check` passes, an intake at
// every township succeeds, a rerun of gen succeeds, and check passes again. SIGINT must end with a message,
// never an internal error.
//
// The default run kills at 6 points per engine and signal (half in gen, half in the demo's first start: 24
// in all); BIANMIN_KILL_POINTS=50 makes a longer campaign. -short skips it.
func TestKillAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash campaign builds and runs the binary")
	}
	points := 6
	if v, err := strconv.Atoi(os.Getenv("BIANMIN_KILL_POINTS")); err == nil && v > 0 {
		points = v
	}
	bin := filepath.Join(t.TempDir(), "bianmin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	runs := map[string][]string{
		"gen":  {"gen", "-n", "600", "-batch", "100", "-days", "30"},
		"demo": {"demo", "-n", "600", "-days", "30", "-addr", "127.0.0.1:0"},
	}
	for _, name := range engineNames(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the engines side by side: PostgreSQL works in its own process
			// how long a whole run takes, so that the points spread over all of it
			whole := map[string]time.Duration{}
			for _, kind := range []string{"gen", "demo"} {
				e, dir := fresh(t, name)
				res := launch(t, bin, e, dir, runs[kind], 0, nil)
				if res.err != nil {
					t.Fatalf("%s uninterrupted: %v\n%s", kind, res.err, res.stderr)
				}
				whole[kind] = res.took
				t.Logf("%s: a whole run takes %s", kind, res.took.Round(time.Millisecond))
				if kind == "gen" {
					// gen signed the trail it wrote: a checkpoint now finds no head moved since
					out, err := exec.Command(bin, "audit", "checkpoint", "-db", e.URL, "-data", dir).CombinedOutput()
					if err != nil || !strings.Contains(string(out), "the heads of 0 moved since the last") {
						t.Fatalf("a checkpoint after gen: %v\n%s", err, out)
					}
				}
			}
			for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
				for i := range points {
					kind := []string{"gen", "demo"}[i%2]
					k := i / 2 // the k-th point of this kind
					of := (points + 1 - i%2) / 2
					at := time.Duration((float64(k) + 0.5) / float64(of) * float64(whole[kind]))
					t.Run(fmt.Sprintf("%s-%s-%s", sig, kind, at.Round(time.Millisecond)), func(t *testing.T) {
						t.Parallel() // each point on a database of its own; a run mostly waits for its kill
						e, dir := fresh(t, name)
						res := launch(t, bin, e, dir, runs[kind], at, sig)
						t.Logf("exit %d; last words: %s", res.code, lastLine(res.stderr))
						if sig == syscall.SIGINT {
							if res.code != 0 && res.code != 130 {
								t.Fatalf("after SIGINT: exit %d, want 0 or 130\n%s", res.code, res.stderr)
							}
							if strings.Contains(res.stderr, "internal") || strings.Contains(res.stderr, "context canceled") {
								t.Fatalf("SIGINT ended with an internal error:\n%s", res.stderr)
							}
						}
						afterKill(t, bin, e, dir)
					})
				}
			}
		})
	}
}

type result struct {
	code           int
	err            error
	stdout, stderr string
	took           time.Duration
}

// launch runs the binary; with a signal it sends it after `after` (or once the demo serves, if sooner). The
// demo, which serves until stopped, is stopped with SIGINT once it serves when no signal is asked for.
func launch(t *testing.T, bin string, e testkit.Engine, dir string, args []string, after time.Duration, sig os.Signal) result {
	t.Helper()
	cmd := exec.Command(bin, append(args, "-db", e.URL, "-data", dir)...)
	cmd.Env = append(os.Environ(), "BIANMIN_ADDR=127.0.0.1:0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	serving := make(chan struct{})
	var stdout bytes.Buffer
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		sc := bufio.NewScanner(pipe)
		once := false
		for sc.Scan() {
			stdout.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "is running on") {
				once = true
				close(serving)
			}
		}
		io.Copy(io.Discard, pipe)
	}()
	var took time.Duration
	waitErr := make(chan error, 1)
	go func() { <-readDone; waitErr <- cmd.Wait() }()
	var timer <-chan time.Time
	if sig != nil {
		timer = time.After(after)
	}
	var done error
	select {
	case <-timer:
		took = time.Since(start)
		cmd.Process.Signal(sig)
	case <-serving:
		took = time.Since(start)
		if sig == nil {
			sig = syscall.SIGINT
		}
		cmd.Process.Signal(sig)
	case done = <-waitErr:
		took = time.Since(start)
		return result{code: cmd.ProcessState.ExitCode(), err: done, stdout: stdout.String(), stderr: stderr.String(), took: took}
	}
	select {
	case done = <-waitErr:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-waitErr
		t.Fatalf("%v did not end after the signal\nstdout:\n%s\nstderr:\n%s", args, stdout.String(), stderr.String())
	}
	code := cmd.ProcessState.ExitCode()
	var ee *exec.ExitError
	if errors.As(done, &ee) && code != 130 && code != 0 && ee.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
		done = nil // killed as asked
	}
	if code == 0 || code == 130 {
		done = nil
	}
	return result{code: code, err: done, stdout: stdout.String(), stderr: stderr.String(), took: took}
}

// afterKill: check passes, intake works at every township of whatever world is there, a rerun of gen
// succeeds (finishing the world if it was cut short), intake works at every township, check passes.
func afterKill(t *testing.T, bin string, e testkit.Engine, dir string) {
	t.Helper()
	checkOK := func(when string) {
		t.Helper()
		out, err := exec.Command(bin, "check", "-db", e.URL, "-data", dir).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "consistent") {
			t.Fatalf("check %s: %v\n%s", when, err, out)
		}
	}
	checkOK("after the kill")
	intakeEverywhere(t, e, dir, false)
	out, err := exec.Command(bin, "gen", "-n", "150", "-batch", "50", "-days", "10", "-db", e.URL, "-data", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("rerun of gen: %v\n%s", err, out)
	}
	intakeEverywhere(t, e, dir, true)
	checkOK("after the rerun")
}

// intakeEverywhere receives one application at every township (when the world has items and townships, or
// must: after a rerun it must).
func intakeEverywhere(t *testing.T, e testkit.Engine, dir string, must bool) {
	t.Helper()
	ctx := context.Background()
	m, err := app.Open(ctx, app.Config{DB: e.URL, DataDir: dir, Service: testkit.FastConfig(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer m.Close()
	if unfinished, err := demo.Unfinished(ctx, m.Service); err != nil || unfinished && !must {
		return // the world itself was cut short: the rerun finishes it, and intake is tried then
	}
	ts, err := m.DB.Subtree(ctx, "", org.Township)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) == 0 && !must {
		return // killed before the world's first step: an empty database
	}
	res, err := m.Service.Search(ctx, "最低生活保障", 1)
	if err != nil {
		t.Fatal(err)
	}
	var applicant string
	m.DB.QueryRowRaw(ctx, `SELECT id FROM applicants ORDER BY id LIMIT 1`).Scan(&applicant)
	if len(ts) == 0 || len(res) == 0 || applicant == "" {
		t.Fatalf("no whole world: %d townships, %d items, applicant %q", len(ts), len(res), applicant)
	}
	for _, o := range ts {
		c, err := m.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: res[0].Card.ID, ApplicantID: applicant, ReceivingOrg: o.ID}, "")
		if err != nil {
			t.Fatalf("intake at %s: %v", o.NameZh, err)
		}
		if c.No == "" {
			t.Fatalf("intake at %s: no number", o.NameZh)
		}
	}
}

func engineNames(t *testing.T) []string {
	var out []string
	for _, e := range testkit.Engines(t) {
		out = append(out, e.Name)
	}
	return out
}

// fresh makes an empty database of the engine (a new SQLite file or PostgreSQL schema) and a data directory.
func fresh(t *testing.T, name string) (testkit.Engine, string) {
	for _, e := range testkit.Engines(t) {
		if e.Name == name {
			return e, t.TempDir()
		}
	}
	t.Fatalf("no engine %s", name)
	return testkit.Engine{}, ""
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
