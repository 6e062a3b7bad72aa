package main

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/app"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/gen"
	"bianmin/internal/service"
	"bianmin/internal/supervision"
)

// generate loads the demo world into an empty database (or finishes a load of it that was stopped), then
// n generated cases in whole batches, and rolls them up. Stopped (Ctrl-C, SIGTERM), it finishes the batch it
// is writing and says what the database holds.
func generate(ctx context.Context, m *app.Main, out io.Writer, n int, seed uint64, days int, open bool, batch int) error {
	if err := ensureWorld(ctx, m, out); err != nil {
		var st *stopped
		if !errors.As(err, &st) && stoppedBy(ctx, err) {
			return &stopped{"stopped while loading the demo world: the steps done are kept, each whole, and the next start goes on from there"}
		}
		return err
	}
	to := m.DB.Now()
	from := to.AddDate(0, 0, -days)
	start := time.Now()
	// A big load into PostgreSQL writes its rows without the secondary indexes and builds them once at the
	// end, by a sort: row by row, their upkeep is most of a load's time once the tables hold millions.
	if n >= bigLoad {
		k, err := m.DB.SetAsideIndexes(ctx)
		if err != nil {
			return err
		}
		if k > 0 {
			fmt.Fprintf(out, "%d secondary indexes set aside for the load; they are built again at its end (or at the next start, if it is stopped)\n", k)
		}
	}
	// The generator's heap is small and short-lived (a few batches of cases), and collecting it at the default
	// pace took a fifth of its processor: four times the heap between collections costs some hundreds of MB.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	p := newProgress(out, "gen", "cases")
	st, err := gen.Run(ctx, m.Service, gen.Config{N: n, Seed: seed, From: from, To: to, Open: open, Batch: batch, Progress: p.report})
	took := time.Since(start)
	if err == nil {
		t := time.Now()
		var k int
		if k, err = m.DB.MakeIndexes(ctx, newProgress(out, "indexes", "built").report); err == nil && k > 0 {
			fmt.Fprintf(out, "%d indexes built in %s\n", k, time.Since(t).Round(time.Millisecond))
		}
	}
	if err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{fmt.Sprintf("gen stopped after %d of %d cases, in whole batches: each written batch holds its cases with their applicants, "+
				"timelines and audit entries, and the number counters stand past its numbers (bianmin check shows it); indexes set aside for the load are built "+
				"again at the next start. Run bianmin gen again to add cases; "+
				"the daily figures of these cases are made by the next run or the supervision sweep", st.Cases, n)}
		}
		return err
	}
	fmt.Fprintf(out, "generated %d cases, %d events, %d notices, %d applicants in %s: %.0f cases/s (%s, %d cores)\n",
		st.Cases, st.Events, st.Notices, st.Applicants, took.Round(time.Millisecond), float64(st.Cases)/took.Seconds(), m.DB.Dialect(), runtime.NumCPU())
	states := make([]string, 0, len(st.States))
	for s, k := range st.States {
		states = append(states, fmt.Sprintf("%s %d", s, k))
	}
	slices.Sort(states)
	fmt.Fprintf(out, "states: %v\n", states)
	// statistics before the roll-up and the reports, which plan by them: at ten million cases the monthly
	// reports, planned without, took a month's cases apart for each township (about 2 s a query)
	start = time.Now()
	if err := m.DB.AfterBulkLoad(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "planner statistics made in %s\n", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	fmt.Fprintln(out, "rolling up the daily figures and making the monthly reports ...")
	if err := gen.Finish(ctx, m.Service, from, to, newProgress(out, "roll-up", "days").report); err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{fmt.Sprintf("stopped while rolling up: all %d cases are written; each day rolled up so far is whole, "+
				"and the rest are made again by the next bianmin gen or the supervision sweep", st.Cases)}
		}
		return err
	}
	fmt.Fprintf(out, "rolled up in %s\n", time.Since(start).Round(time.Millisecond))
	// the trail written is checked and signed here, once: left to the server, its first checkpoint walks it
	// all (55 s for a million generated cases on two cores), and the one at a shutdown, which has 30 s, fails
	// at every stop until a periodic one has had the time
	start = time.Now()
	fmt.Fprintln(out, "checking the audit trail written and signing a checkpoint ...")
	cp, err := m.DB.WriteCheckpoint(ctx)
	if err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{fmt.Sprintf("stopped while checking the audit trail: all %d cases are written and rolled up; "+
				"the server's next checkpoint, or bianmin audit checkpoint, signs what was written", st.Cases)}
		}
		return err
	}
	fmt.Fprintf(out, "audit checkpoint signed in %s: the heads of %d chains\n", time.Since(start).Round(time.Millisecond), len(cp.Heads))
	return nil
}

// bigLoad is the number of cases from which gen sets the secondary indexes aside while it writes (PostgreSQL).
const bigLoad = 200_000

// ensureWorld loads the demo world into an empty database, or finishes a load of it that was stopped.
func ensureWorld(ctx context.Context, m *app.Main, out io.Writer) error {
	c, err := m.DB.CountOrgs(ctx)
	if err != nil {
		return err
	}
	unfinished, err := demo.Unfinished(ctx, m.Service)
	if err != nil {
		return err
	}
	switch {
	case unfinished:
		fmt.Fprintln(out, "the demo world's load was stopped before it ended: finishing it")
	case c == 0:
		fmt.Fprintln(out, "the database is empty: loading the demo world (阿鲁科尔沁旗) first")
	default:
		return nil
	}
	if _, err := demo.Load(ctx, m.Service); err != nil {
		return worldError(ctx, m, err)
	}
	return nil
}

// worldError says how a load of the demo world ended that did not finish.
func worldError(ctx context.Context, m *app.Main, err error) error {
	step := "?"
	var se *demo.StepError
	if errors.As(err, &se) {
		step = se.Step
	}
	// ctx.Err(): some service reads turn any error, a cancelled read's too, into "not found"; a step that
	// failed while a stop was asked was rolled back whole all the same, and the next start does it again
	if stoppedBy(ctx, err) || ctx.Err() != nil {
		return &stopped{fmt.Sprintf("stopped while loading the demo world, in step %s: the steps done are kept (each whole) "+
			"and the next start goes on from there", step)}
	}
	return fmt.Errorf("the demo world's load cannot go on (step %s): %v\n  to start clean, remove the database (%s) and start again", step, err, where(m))
}

func where(m *app.Main) string {
	if m.DB.Dialect() == "postgres" {
		return "drop and create the PostgreSQL database or schema again"
	}
	return "the files bianmin.db* in " + m.Config.DataDir
}

// stopped is a command stopped by Ctrl-C or SIGTERM; its message says what state the database is in.
type stopped struct{ msg string }

func (s *stopped) Error() string { return s.msg }

// stoppedBy reports whether err comes from the command being stopped.
func stoppedBy(ctx context.Context, err error) bool {
	// PostgreSQL's driver answers a query its context ended with a closed connection ("driver: bad
	// connection") when the end came at the wrong moment, as a migration's did once they took longer
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		strings.Contains(err.Error(), "context canceled"))
}

// progress prints a line now and then: done of total, the rate and the time left.
type progress struct {
	out         io.Writer
	what, unit  string
	start, last time.Time
}

func newProgress(out io.Writer, what, unit string) *progress {
	return &progress{out: out, what: what, unit: unit, start: time.Now()}
}

func (p *progress) report(done, total int) {
	now := time.Now()
	if now.Sub(p.last) < time.Second && done != total {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / max(el, 1e-3)
	left := "?"
	if rate > 0 {
		left = (time.Duration(float64(total-done) / rate * float64(time.Second))).Round(time.Second).String()
	}
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(done) / float64(total)
	}
	fmt.Fprintf(p.out, "  %s: %d / %d %s (%.0f%%), %.0f/s, %s left\n", p.what, done, total, p.unit, pct, rate, left)
}

// benchSupervision measures the banner-month dashboard as a supervisor sees it and the sweep.
func benchSupervision(ctx context.Context, m *app.Main, out io.Writer, runs, ahead int, full bool) error {
	banners, err := m.DB.Subtree(ctx, "", "banner")
	if err != nil || len(banners) == 0 {
		return fmt.Errorf("bench: no banner; run bianmin gen first")
	}
	sup := access.Actor{ID: "bench", Role: access.Supervisor, OrgID: banners[0].ID, OrgPath: banners[0].Path}
	cases, err := m.DB.CountCases(ctx)
	if err != nil {
		return err
	}
	clk, err := m.Service.Clock(ctx)
	if err != nil {
		return err
	}
	month := supervision.MonthOf(clock.DateOf(m.DB.Now().In(clk.Rules.Location))).Prev()
	fmt.Fprintf(out, "%s, %d cases, %d cores; banner %s, month %s\n", m.DB.Dialect(), cases, runtime.NumCPU(), banners[0].NameZh, month)
	for _, dim := range supervision.Dims {
		var took []time.Duration
		for range runs {
			t := time.Now()
			if _, err := m.Service.Dashboard(ctx, sup, service.DashboardQuery{Dim: dim, Period: month.Period()}); err != nil {
				return err
			}
			took = append(took, time.Since(t))
		}
		slices.Sort(took)
		fmt.Fprintf(out, "dashboard by %-10s p50 %7.2f ms  p99 %7.2f ms\n", dim, ms(took[len(took)/2]), ms(took[len(took)*99/100]))
	}
	if ahead > 0 {
		later := m.DB.Now().AddDate(0, 0, ahead)
		m.DB.Now = func() time.Time { return later }
	}
	open, err := m.DB.CountOpen(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d open cases; sweeping as of %s\n", open, m.DB.Now().Format("2006-01-02"))
	t := time.Now()
	r, err := m.Service.Sweep(ctx, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "sweep: %s (red %d, yellow %d, step red %d, step yellow %d, recomputed %d): restand %s, cards %s, snapshot of what stands open %s\n",
		time.Since(t).Round(time.Millisecond), r.Red, r.Yellow, r.StepRed, r.StepYellow, r.Restood,
		r.Restand.Round(time.Millisecond), r.Cards.Round(time.Millisecond), r.Snapshot.Round(time.Millisecond))
	if !full {
		return nil
	}
	t = time.Now()
	r, err = m.Service.Sweep(ctx, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "full recompute of every open case: %s (%d cases)\n", time.Since(t).Round(time.Millisecond), r.Restood)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
