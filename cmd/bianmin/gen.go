package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/app"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/gen"
	"bianmin/internal/service"
	"bianmin/internal/supervision"
)

// generate loads the demo world into an empty database, then n generated cases, and rolls them up.
func generate(ctx context.Context, m *app.Main, out io.Writer, n int, seed uint64, days int, open bool) error {
	if c, err := m.DB.CountOrgs(ctx); err != nil {
		return err
	} else if c == 0 {
		fmt.Fprintln(out, "the database is empty: loading the demo world (阿鲁科尔沁旗) first")
		if _, err := demo.Load(ctx, m.Service); err != nil {
			return err
		}
	}
	to := m.DB.Now()
	from := to.AddDate(0, 0, -days)
	start := time.Now()
	last := time.Now()
	st, err := gen.Run(ctx, m.Service, gen.Config{N: n, Seed: seed, From: from, To: to, Open: open, Progress: func(done, total int) {
		if time.Since(last) > 2*time.Second || done == total {
			last = time.Now()
			fmt.Fprintf(out, "\r  %d / %d cases (%.0f%%)", done, total, 100*float64(done)/float64(total))
		}
	}})
	fmt.Fprintln(out)
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "generated %d cases, %d events, %d applicants in %s: %.0f cases/s (%s, %d cores)\n",
		st.Cases, st.Events, st.Applicants, took.Round(time.Millisecond), float64(st.Cases)/took.Seconds(), m.DB.Dialect(), runtime.NumCPU())
	states := make([]string, 0, len(st.States))
	for s, k := range st.States {
		states = append(states, fmt.Sprintf("%s %d", s, k))
	}
	slices.Sort(states)
	fmt.Fprintf(out, "states: %v\n", states)
	start = time.Now()
	fmt.Fprintln(out, "rolling up the daily figures and making the monthly reports ...")
	if err := gen.Finish(ctx, m.Service, from, to, func(done, total int) {
		if done%30 == 0 || done == total {
			fmt.Fprintf(out, "\r  %d / %d days", done, total)
		}
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nrolled up in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
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
