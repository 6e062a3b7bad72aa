package service_test

import (
	"encoding/json"
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

func on(day string, hour int) time.Time {
	d := clock.MustDate(day)
	return time.Date(d.Y, d.M, d.D, hour, 0, 0, 0, clock.DefaultRules().Location)
}

// 行政许可法 第32条(四) and 第44条: a received case carries its intake clock in case_clock (so the sweep turns it
// red past five working days and the dashboard counts it waiting past its day); an acceptance after it is a
// late intake, counted on its day, and the decision clock counts from receipt; a decided case carries the
// issue clock, and a delivery after it is a late issue. A special step (公示) stands the clock by itself.
func TestClocksAroundACase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		defer func() { db.Now = time.Now }()
		db.Now = func() time.Time { return on("2026-03-02", 10) } // a Monday
		clerk, sup := w.actors["tianshan.clerk"], w.actors["supervisor"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "k1")
		if err != nil {
			t.Fatal(err)
		}
		row := func() (run int, phase, card string, due int) {
			t.Helper()
			if err := db.QueryRowRaw(ctx, `SELECT running, phase, card, due_on FROM case_clock WHERE case_id = ?`, c.ID).Scan(&run, &phase, &card, &due); err != nil {
				t.Fatal(err)
			}
			return
		}
		if run, phase, card, due := row(); run != 1 || phase != "intake" || card != "green" || due != 20260309 {
			t.Fatalf("at receipt: %d %s %s %d", run, phase, card, due)
		}
		month := supervision.MonthOf(clock.MustDate("2026-03-02")).Period()
		db.Now = func() time.Time { return on("2026-03-10", 9) }
		if _, err := w.svc.Sweep(ctx, false); err != nil {
			t.Fatal(err)
		}
		if _, _, card, _ := row(); card != "red" {
			t.Fatalf("past five working days: %s", card)
		}
		d, err := w.svc.Dashboard(ctx, sup, service.DashboardQuery{Dim: supervision.Township, Period: month})
		if err != nil {
			t.Fatal(err)
		}
		if d.Total.IntakeOpen != 1 || d.Total.IntakeOverdue != 1 || d.Total.Open != 0 {
			t.Fatalf("dashboard now: %+v", d.Total.Now)
		}
		work, _, err := w.svc.CaseFor(ctx, clerk, c.ID)
		if err != nil || !work.Deemed || work.Phase != cases.PhaseIntake || work.DueKey() != "case.intake_due" {
			t.Fatalf("case page: %+v %v", work, err)
		}
		// accepted late: deemed accepted from receipt, the decision clock counts from 03-02
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
			t.Fatal(err)
		}
		if c.LateIntake.String() != "2026-03-10" || !c.DeemedFrom.Equal(c.Received) {
			t.Fatalf("late intake %v, deemed from %v", c.LateIntake, c.DeemedFrom)
		}
		clk, _ := w.svc.Clock(ctx)
		want := clk.Due(c.Received, c.LimitUnit, c.LimitDays)
		if run, phase, _, due := row(); run != 1 || phase != "decision" || due != want.Int() {
			t.Fatalf("after acceptance: %d %s %d, want decision due %s", run, phase, due, want)
		}
		if err := w.svc.Rollup(ctx, clock.MustDate("2026-03-10")); err != nil {
			t.Fatal(err)
		}
		if d, _ = w.svc.Dashboard(ctx, sup, service.DashboardQuery{Dim: supervision.Township, Period: month}); d.Total.LateIntake != 1 {
			t.Fatalf("late intake not counted: %+v", d.Total.Counts)
		}
		// into the 公示 step: the clock stands by itself (running 2), out of it it runs again
		reviewer := w.actors["tianshan.reviewer"]
		for c.Steps[c.Step].Special == "" {
			if c, err = w.svc.Act(ctx, reviewer, c.ID, c.Version, cases.Pass, cases.Input{}); err != nil {
				t.Fatal(err)
			}
		}
		if run, _, _, _ := row(); run != 2 || !c.StepStands() {
			t.Fatalf("in the 公示 step the clock runs: %d %+v", run, c.Suspensions)
		}
		db.Now = func() time.Time { return on("2026-03-17", 9) }
		if c, err = w.svc.Act(ctx, reviewer, c.ID, c.Version, cases.Pass, cases.Input{}); err != nil {
			t.Fatal(err)
		}
		if run, _, _, due := row(); run != 1 || c.StepStands() || due != clk.Cal.AddWorkingDays(want, 5).Int() {
			t.Fatalf("after the 公示 step: %d %d, want %s + 5 working days; %+v", run, due, want, c.Suspensions)
		}
	})
}

// 即办 items have no decision period to extend: the request is refused naming the field, in both languages.
func TestInstantItemNotExtended(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c := acceptedDibao(t, w)
		// the case as an instant item's would be: its limit is 即办
		c.LimitUnit, c.LimitDays = clock.Instant, 0
		if err := db.ExecRaw(ctx, `UPDATE cases SET doc = ? WHERE id = ?`, mustJSON(t, c), c.ID); err != nil {
			t.Fatal(err)
		}
		work, _, err := w.svc.CaseFor(ctx, w.actors["tianshan.reviewer"], c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range work.Mine {
			if a == cases.RequestExtension {
				t.Fatal("an extension offered on an instant item")
			}
		}
		_, err = w.svc.Act(ctx, w.actors["tianshan.reviewer"], c.ID, c.Version, cases.RequestExtension, cases.Input{Days: 5, Reason: "需入户核查"})
		fields := errs.All(err)
		if errs.CodeOf(err) != errs.Invalid || len(fields) != 1 || fields[0].Field != "days" || fields[0].Key != "err.case.extension_instant" {
			t.Fatalf("refusal: %v", err)
		}
		zh, mn := w.svc.Catalog.T(i18n.Zh, fields[0].Key), w.svc.Catalog.T(i18n.Mn, fields[0].Key)
		if zh == fields[0].Key || mn == fields[0].Key || zh == mn {
			t.Fatalf("messages: %q %q", zh, mn)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
