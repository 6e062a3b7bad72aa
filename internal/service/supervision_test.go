package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/gen"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// A case accepted today is green; as days pass the sweep turns it yellow, then red, in the database, and the
// dashboard and its drill-down show it. A suspended case is held green while it stands.
func TestSweepTurnsCards(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		start := time.Date(2026, 3, 2, 10, 0, 0, 0, clock.DefaultRules().Location) // a Monday
		db.Now = func() time.Time { return start }
		defer func() { db.Now = time.Now }()
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
			t.Fatal(err)
		}
		clk, _ := w.svc.Clock(ctx)
		due, _ := c.Due(clk, clock.DateOf(start))
		yellow := clk.YellowFrom(c.LimitDays, due)
		card := func() string {
			t.Helper()
			var s string
			if err := db.QueryRowRaw(ctx, `SELECT card FROM case_clock WHERE case_id = ?`, c.ID).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		if got := card(); got != "green" {
			t.Fatalf("at acceptance: %q", got)
		}
		sup := w.actors["supervisor"]
		month := supervision.MonthOf(clock.DateOf(start)).Period()
		for _, step := range []struct {
			day  clock.Date
			want string
		}{{yellow.AddDays(-1), "green"}, {yellow, "yellow"}, {due, "yellow"}, {due.AddDays(1), "red"}} {
			db.Now = func() time.Time {
				return time.Date(step.day.Y, step.day.M, step.day.D, 9, 0, 0, 0, clock.DefaultRules().Location)
			}
			if _, err := w.svc.Sweep(ctx, false); err != nil {
				t.Fatal(err)
			}
			if got := card(); got != step.want && !(step.want == "green" && yellow.AddDays(-1).Before(clock.DateOf(start))) {
				t.Fatalf("on %s (yellow from %s, due %s): %q, want %q", step.day, yellow, due, got, step.want)
			}
		}
		d, err := w.svc.Dashboard(ctx, sup, service.DashboardQuery{Dim: supervision.Township, Period: month})
		if err != nil {
			t.Fatal(err)
		}
		if d.Total.Overdue != 1 || d.Total.Open != 1 {
			t.Fatalf("dashboard now: %+v", d.Total.Now)
		}
		list, err := w.svc.Drill(ctx, sup, service.DrillQuery{Dim: supervision.Township, Value: w.targets["T1"].ID, What: "overdue", Period: month})
		if err != nil || len(list) != 1 || list[0].Case.ID != c.ID || list[0].Card != clock.Red {
			t.Fatalf("drill into overdue: %v %+v", err, list)
		}
	})
}

// The dashboard's figures add up to what the cases themselves say, counted another way (plain SQL over the
// cases), on every dimension; a township director sees only their township; a clerk sees nothing.
func TestDashboardFigures(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		to := time.Date(2026, 11, 20, 18, 0, 0, 0, clock.DefaultRules().Location)
		db.Now = func() time.Time { return to }
		defer func() { db.Now = time.Now }()
		from := to.AddDate(0, -4, 0)
		st, err := gen.Run(ctx, w.svc, gen.Config{N: 3000, Seed: 42, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		if st.Cases != 3000 || st.States[cases.Delivered] == 0 || st.States[cases.Refused] == 0 {
			t.Fatalf("generated: %+v", st)
		}
		if err := gen.Finish(ctx, w.svc, from, to, nil); err != nil {
			t.Fatal(err)
		}
		p := supervision.Month{Y: 2026, M: 10}.Period()
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.QueryRowRaw(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		lo, hi := p.From.Int(), p.To.Int()
		want := supervision.Counts{
			Received:  count(`SELECT count(*) FROM cases WHERE received_on BETWEEN ? AND ?`, lo, hi),
			Accepted:  count(`SELECT count(*) FROM cases WHERE accepted_on BETWEEN ? AND ?`, lo, hi),
			Completed: count(`SELECT count(*) FROM cases WHERE decided_on BETWEEN ? AND ?`, lo, hi),
			OnTime:    count(`SELECT count(*) FROM cases WHERE decided_on BETWEEN ? AND ? AND on_time = 1`, lo, hi),
			Online:    count(`SELECT count(*) FROM cases WHERE received_on BETWEEN ? AND ? AND channel = 'online'`, lo, hi),
			Proxy:     count(`SELECT count(*) FROM cases WHERE received_on BETWEEN ? AND ? AND channel = 'station'`, lo, hi),
		}
		if want.Received < 500 || want.Completed == 0 || want.OnTime == want.Completed {
			t.Fatalf("a month of generated cases should hold some late decisions: %+v", want)
		}
		open := count(`SELECT count(*) FROM cases WHERE state IN ('accepted', 'suspended')`)
		red := count(`SELECT count(*) FROM cases c JOIN case_clock k ON k.case_id = c.id WHERE c.state IN ('accepted', 'suspended') AND k.card = 'red'`)
		sup := w.actors["supervisor"]
		for _, dim := range supervision.Dims {
			d, err := w.svc.Dashboard(ctx, sup, service.DashboardQuery{Dim: dim, Period: p})
			if err != nil {
				t.Fatal(err)
			}
			got := d.Total.Counts
			if got.Received != want.Received || got.Accepted != want.Accepted || got.Completed != want.Completed || got.OnTime != want.OnTime ||
				got.Online != want.Online || got.Proxy != want.Proxy {
				t.Fatalf("by %s: %+v, want %+v", dim, got, want)
			}
			if d.Total.Open != open || d.Total.Overdue != red {
				t.Fatalf("by %s now: %+v, want open %d red %d", dim, d.Total.Now, open, red)
			}
			if dim == supervision.Township && len(d.Lines) < 5 {
				t.Fatalf("townships: %d lines", len(d.Lines))
			}
		}
		// a period of part months and a whole one reads days and months together, and agrees too
		odd := supervision.Period{From: clock.MustDate("2026-09-17"), To: clock.MustDate("2026-11-03")}
		d, err := w.svc.Dashboard(ctx, sup, service.DashboardQuery{Dim: supervision.Item, Period: odd})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.Total.Received, count(`SELECT count(*) FROM cases WHERE received_on BETWEEN ? AND ?`, odd.From.Int(), odd.To.Int()); got != want {
			t.Fatalf("17 Sep - 3 Nov: %d received, want %d", got, want)
		}
		if got, want := d.Total.Completed, count(`SELECT count(*) FROM cases WHERE decided_on BETWEEN ? AND ?`, odd.From.Int(), odd.To.Int()); got != want {
			t.Fatalf("17 Sep - 3 Nov: %d completed, want %d", got, want)
		}
		// a township's director sees their township only, and cannot ask for another
		dir := w.actors["tianshan.director"]
		d, err = w.svc.Dashboard(ctx, dir, service.DashboardQuery{Dim: supervision.Township, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Lines) != 1 || d.Lines[0].Value != w.targets["T1"].ID {
			t.Fatalf("director's lines: %+v", d.Lines)
		}
		if _, err := w.svc.Dashboard(ctx, dir, service.DashboardQuery{Dim: supervision.Item, Period: p, Township: w.targets["T2"].ID}); errs.CodeOf(err) == "" {
			t.Fatal("a director read another township's figures")
		}
		if list, err := w.svc.Drill(ctx, dir, service.DrillQuery{Dim: supervision.Township, What: "received", Period: p, Township: w.targets["T2"].ID}); err != nil || len(list) != 0 {
			t.Fatalf("a director drilled into another township: %v %d", err, len(list))
		}
		for _, who := range []string{"tianshan.clerk", "tianshan.reviewer", "yangshulin.agent", "minzheng"} {
			if _, err := w.svc.Dashboard(ctx, w.actors[who], service.DashboardQuery{Dim: supervision.Township, Period: p}); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("%s read the dashboard: %v", who, err)
			}
		}
		// the monthly reports were made, and the banner's lists every township with cases
		banner, _ := db.OrgByCode(ctx, "150421")
		rep, err := w.svc.PublicReport(ctx, "2026-10", banner.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total.Received != want.Received || len(rep.Lines) < 5 {
			t.Fatalf("banner report: %+v", rep.Total)
		}
		tr, err := w.svc.PublicReport(ctx, "2026-10", rep.Lines[0].Value)
		if err != nil || tr.Rank != 1 || tr.Of != len(rep.Lines) {
			t.Fatalf("first township's report: %v %+v", err, tr)
		}
	})
}

// The generator gives the same cases for the same seed over the same world.
func TestGeneratorIsDeterministic(t *testing.T) {
	e := testkit.Engines(t)[0]
	digest := func(seed uint64) string {
		db := testkit.Open(t, testkit.Engine{Name: e.Name, URL: t.TempDir() + "/g.db"})
		w := demoWorld(t, db)
		to := time.Date(2026, 6, 30, 18, 0, 0, 0, clock.DefaultRules().Location)
		if _, err := gen.Run(context.Background(), w.svc, gen.Config{N: 400, Seed: seed, From: to.AddDate(0, -2, 0), To: to}); err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryRaw(ctx, `SELECT c.case_no, c.state, c.channel, c.received_on, c.decided_on, c.on_time, i.id IS NOT NULL, o.name_zh
			FROM cases c JOIN items i ON i.id = c.item_id JOIN orgs o ON o.id = c.handling_org ORDER BY c.case_no`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var no, state, ch, name string
			var r, d, on int
			var ok bool
			if err := rows.Scan(&no, &state, &ch, &r, &d, &on, &ok, &name); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, no, state, ch, r, d, on, name)
		}
		return b.String()
	}
	a, b, c := digest(7), digest(7), digest(8)
	if a != b || strings.Count(a, "\n") != 400 {
		t.Fatal("the same seed made different cases")
	}
	if a == c {
		t.Fatal("another seed made the same cases")
	}
}

var _ = access.System

// A case stored before the supervision columns existed (its document without them, standing_of 0) is placed
// and stood by the first sweep, and then counts in the figures.
func TestSweepBackfillsOldCases(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "old")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
			t.Fatal(err)
		}
		dept, recvTownship := c.Department, c.ReceivingTownship
		c.Department, c.ReceivingTownship, c.ReceivedBy = "", "", ""
		doc, _ := json.Marshal(c)
		if err := db.ExecRaw(ctx, `UPDATE cases SET doc = ?, department = '', receiving_township = '', received_on = 0, accepted_on = 0 WHERE id = ?`, string(doc), c.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecRaw(ctx, `UPDATE case_clock SET department = '', receiving_township = '', due_on = 0, card = '', standing_of = 0 WHERE case_id = ?`, c.ID); err != nil {
			t.Fatal(err)
		}
		r, err := w.svc.Sweep(ctx, false)
		if err != nil || r.Restood != 1 {
			t.Fatalf("sweep: %v %+v", err, r)
		}
		var gotDept, gotTownship, card string
		var due, acc int
		if err := db.QueryRowRaw(ctx, `SELECT c.department, k.receiving_township, k.card, k.due_on, c.accepted_on FROM cases c JOIN case_clock k ON k.case_id = c.id WHERE c.id = ?`, c.ID).Scan(&gotDept, &gotTownship, &card, &due, &acc); err != nil {
			t.Fatal(err)
		}
		if gotDept != dept || gotTownship != recvTownship || card != "green" || due == 0 || acc == 0 {
			t.Fatalf("backfilled: %q %q %q %d %d", gotDept, gotTownship, card, due, acc)
		}
		if r, _ := w.svc.Sweep(ctx, false); r.Restood != 0 {
			t.Fatalf("a second sweep restood %d", r.Restood)
		}
	})
}

// A calendar loaded after a case was accepted (a day declared off before its due day) moves the due day at
// the next sweep, without any move on the case.
func TestCalendarChangeMovesDueDays(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		start := time.Date(2026, 3, 2, 10, 0, 0, 0, clock.DefaultRules().Location)
		db.Now = func() time.Time { return start }
		defer func() { db.Now = time.Now }()
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "cal")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
			t.Fatal(err)
		}
		due := func() int {
			t.Helper()
			var d int
			if err := db.QueryRowRaw(ctx, `SELECT due_on FROM case_clock WHERE case_id = ?`, c.ID).Scan(&d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		before := due()
		y := clock.Shipped()[1] // 2026
		if y.Year != 2026 {
			t.Fatalf("shipped: %d", y.Year)
		}
		y.Holidays = append(slices.Clone(y.Holidays), clock.Period{Name: "测试", From: clock.MustDate("2026-03-04"), To: clock.MustDate("2026-03-04")})
		doc, _ := json.Marshal(y)
		if _, err := w.svc.LoadCalendarYear(ctx, w.actors["admin"], strings.NewReader(string(doc))); err != nil {
			t.Fatal(err)
		}
		if due() != before {
			t.Fatal("the due day moved before any sweep")
		}
		if _, err := w.svc.Sweep(ctx, false); err != nil {
			t.Fatal(err)
		}
		clk, _ := w.svc.Clock(ctx)
		want := clk.Cal.NextWorkingDay(clock.DateFromInt(before)).Int()
		if got := due(); got != want {
			t.Fatalf("after the calendar change: due %d, want %d (was %d)", got, want, before)
		}
	})
}

// An application made online is placed like any other: received on its day, at the handling township, under
// the item's department, with its step limits and a clock, so that it counts in the figures.
func TestOnlineApplicationCounts(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		r := register(t, w, "乌云", idFor(971), "V1")
		c, err := w.svc.ApplyOnline(ctx, r, dibaoItem(t, w), "online-1")
		if err != nil {
			t.Fatal(err)
		}
		var recvOn int
		var dept, recvTownship, channel string
		if err := db.QueryRowRaw(ctx, `SELECT c.received_on, c.department, k.receiving_township, k.channel FROM cases c JOIN case_clock k ON k.case_id = c.id WHERE c.id = ?`, c.ID).
			Scan(&recvOn, &dept, &recvTownship, &channel); err != nil {
			t.Fatal(err)
		}
		if recvOn == 0 || dept == "" || recvTownship != w.targets["T1"].ID || channel != "online" || c.ItemNameMn == "" || c.Steps[1].Days == 0 {
			t.Fatalf("online case placed: received_on %d, department %q, township %q, channel %q, %+v", recvOn, dept, recvTownship, channel, c.Steps)
		}
		if err := w.svc.Rollup(ctx, clock.DateFromInt(recvOn)); err != nil {
			t.Fatal(err)
		}
		d, err := w.svc.Dashboard(ctx, w.actors["tianshan.director"], service.DashboardQuery{Dim: supervision.Channel,
			Period: supervision.Period{From: clock.DateFromInt(recvOn), To: clock.DateFromInt(recvOn)}})
		if err != nil || d.Total.Online != 1 || d.Total.Received != 1 {
			t.Fatalf("the director's figures: %v %+v", err, d.Total.Counts)
		}
	})
}

// 承办: a reviewer takes a case at its step; the others' back-office moves are refused until the director
// gives it to someone else (only to the step's own people) or it moves on.
func TestClaimAndAssign(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		b, err := w.svc.CreateStaff(ctx, access.System, service.StaffInput{Username: "tianshan.reviewer2", Name: "天山镇审办员二", Role: "reviewer",
			OrgID: w.targets["T1"].ID, Password: "Bianmin-2026-x"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "claim")
		if err != nil {
			t.Fatal(err)
		}
		act := func(who access.Actor, a cases.Action, in cases.Input) error {
			t.Helper()
			moved, err := w.svc.Act(ctx, who, c.ID, c.Version, a, in)
			if err == nil {
				c = moved
			}
			return err
		}
		if err := act(w.actors["tianshan.clerk"], cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
			t.Fatal(err)
		}
		a := w.actors["tianshan.reviewer"]
		if err := act(a, cases.Claim, cases.Input{Assignee: "someone-else"}); err != nil || c.Assignee != a.ID {
			t.Fatalf("claim: %v, assignee %q", err, c.Assignee)
		}
		if err := act(b.Actor(), cases.Pass, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("another reviewer passed a claimed case: %v", err)
		}
		work, _, err := w.svc.CaseFor(ctx, b.Actor(), c.ID)
		if err != nil || slices.Contains(work.Mine, cases.Pass) {
			t.Fatalf("the other reviewer is offered %v", work.Mine)
		}
		if err := act(w.actors["shaogen.director"], cases.Assign, cases.Input{Assignee: b.ID}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("another township's director assigned: %v", err)
		}
		if err := act(w.actors["tianshan.director"], cases.Assign, cases.Input{Assignee: w.actors["shaogen.reviewer"].ID}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("assigned to another township's reviewer: %v", err)
		}
		if err := act(w.actors["tianshan.director"], cases.Assign, cases.Input{Assignee: b.ID}); err != nil || c.Assignee != b.ID {
			t.Fatalf("assign: %v %q", err, c.Assignee)
		}
		if err := act(a, cases.Pass, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("the first reviewer passed after the case was given to another: %v", err)
		}
		if err := act(b.Actor(), cases.Pass, cases.Input{}); err != nil || c.Assignee != "" {
			t.Fatalf("pass by the assignee: %v, then %q", err, c.Assignee)
		}
	})
}
