package service_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A plausible 2027 notice, longer than the law alone: 春节 2/5-2/13 with Saturday 2/20 worked, and every day
// 第二条 gives off in its period (Year.Check).
const schedule2027 = `{"year": 2027, "notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
 "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}, {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"},
  {"name": "清明节", "from": "2027-04-03", "to": "2027-04-05"}, {"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"},
  {"name": "端午节", "from": "2027-06-09", "to": "2027-06-09"}, {"name": "中秋节", "from": "2027-09-15", "to": "2027-09-15"},
  {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}],
 "workdays": ["2027-02-20"]}`

// A schedule that contradicts a loaded year where both name a day is refused, naming the entry, and nothing
// is stored: a corrected 2025 that works 2026-01-03, a day 2026's notice gives off.
func TestScheduleContradictingAnotherYearIsRefused(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		y := clock.Shipped()[0]
		y.Workdays = append(y.Workdays, clock.MustDate("2026-01-03"))
		b, _ := json.Marshal(y)
		before, _ := w.svc.CalendarYears(ctx)
		_, err := w.svc.LoadCalendar(ctx, access.System, bytes.NewReader(b))
		if fieldKeys(err)[fmt.Sprintf("workdays[%d]", len(y.Workdays)-1)] != "err.calendar.conflict" {
			t.Fatalf("a 2025 contradicting 2026: %v", err)
		}
		after, _ := w.svc.CalendarYears(ctx)
		if len(after) != len(before) || len(after[0].Year.Workdays) != len(y.Workdays)-1 {
			t.Fatal("the refused schedule was stored")
		}
	})
}

// Loading next year's official schedule makes provisional due days final, and the applicants whose due day it
// moved are told, in both languages, through the outbox; those whose day stays, or whose count never reached
// the year, are not.
func TestLoadingTheScheduleTellsWhoseDueDayMoved(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		defer func() { db.Now = time.Now }()
		loc := clock.DefaultRules().Location
		accept := func(key, on string) cases.Case {
			t.Helper()
			at, _ := time.ParseInLocation("2006-01-02 15:04", on, loc)
			db.Now = func() time.Time { return at }
			c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, key)
			if err != nil {
				t.Fatal(err)
			}
			if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
				t.Fatal(err)
			}
			return c
		}
		// 最低生活保障: 25 working days
		old := accept("old", "2026-11-02 10:00")     // due 2026-12-07: never reaches 2027
		early := accept("early", "2026-12-30 10:00") // due 2027-02-04, before 春节: the notice does not move it
		moved := accept("moved", "2027-01-20 10:00") // due 2027-03-02 on the law alone, 2027-03-03 on the notice
		work := func(c cases.Case) service.Work {
			t.Helper()
			wk, _, err := w.svc.CaseFor(ctx, w.actors["tianshan.clerk"], c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return wk
		}
		for _, tc := range []struct {
			c           cases.Case
			due         string
			provisional bool
		}{{old, "2026-12-07", false}, {early, "2027-02-04", true}, {moved, "2027-03-02", true}} {
			if wk := work(tc.c); wk.Due.String() != tc.due || wk.DueProvisional != tc.provisional {
				t.Errorf("%s before the notice: due %s provisional %v, want %s %v", tc.c.No, wk.Due, wk.DueProvisional, tc.due, tc.provisional)
			}
		}
		// the acceptance notice of a provisional case says so
		notices, err := db.NoticesOf(ctx, moved.ID)
		if err != nil || len(notices) == 0 || !strings.Contains(notices[len(notices)-1].Doc, `"due_provisional":true`) {
			t.Fatalf("acceptance notice of a provisional due day: %v %v", notices, err)
		}
		if _, err := w.svc.Sweep(ctx, true); err != nil {
			t.Fatal(err)
		}

		db.Now = func() time.Time { return time.Date(2027, 1, 21, 9, 0, 0, 0, loc) }
		if _, err := w.svc.LoadCalendar(ctx, w.actors["tianshan.clerk"], strings.NewReader(schedule2027)); err == nil {
			t.Fatal("a clerk loaded the calendar")
		}
		l, err := w.svc.LoadCalendar(ctx, access.System, strings.NewReader(schedule2027))
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Moved) != 1 || l.Moved[0].Case.ID != moved.ID || l.Moved[0].From.String() != "2027-03-02" || l.Moved[0].To.String() != "2027-03-03" || !l.Moved[0].Told {
			t.Fatalf("moved: %+v", l.Moved)
		}
		told := func(c cases.Case) []store.Message {
			msgs, err := w.svc.Messages(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []store.Message
			for _, m := range msgs {
				if m.Template == "due_moved" {
					out = append(out, m)
				}
			}
			return out
		}
		if n := len(told(old)) + len(told(early)); n != 0 {
			t.Fatalf("%d messages to applicants whose due day did not move", n)
		}
		m := told(moved)
		if len(m) != 1 {
			t.Fatalf("messages of the moved case: %+v", m)
		}
		mn := strings.IndexFunc(m[0].Body, func(r rune) bool { return r >= 0x1800 && r <= 0x18AF })
		zh := strings.Index(m[0].Body, "办结期限由2027-03-02调整为2027-03-03")
		if m[0].Phone != "13800001234" || mn < 0 || zh < mn || !strings.Contains(m[0].Body, "【天山镇】") || !strings.Contains(m[0].Body, moved.No) {
			t.Fatalf("message, Mongolian first then Chinese, signed and numbered: %+v", m[0])
		}
		// the next sweep stores the final day; nothing is provisional any more
		if _, err := w.svc.Sweep(ctx, false); err != nil {
			t.Fatal(err)
		}
		var dueOn int
		if err := db.QueryRowRaw(ctx, `SELECT due_on FROM case_clock WHERE case_id = ?`, moved.ID).Scan(&dueOn); err != nil || dueOn != 20270303 {
			t.Fatalf("stored due day %d: %v", dueOn, err)
		}
		for _, c := range []cases.Case{early, moved} {
			if wk := work(c); wk.DueProvisional {
				t.Errorf("%s still provisional after the notice was loaded", c.No)
			}
		}
		// loading the same schedule again moves nothing and tells nobody again
		if l, err := w.svc.LoadCalendar(ctx, access.System, strings.NewReader(schedule2027)); err != nil || len(l.Moved) != 0 {
			t.Fatalf("again: %+v %v", l.Moved, err)
		}
		if len(told(moved)) != 1 {
			t.Fatal("told twice")
		}
	})
}

// From 1 November (in the hall's time) until next year's schedule is loaded, the year is reported missing;
// on 31 October it is not.
func TestMissingNextYearFromNovember(t *testing.T) {
	w := demoWorld(t, testkit.Open(t, testkit.SQLite(t)))
	loc := clock.DefaultRules().Location
	for _, tc := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2026, 10, 31, 23, 59, 0, 0, loc), 0},
		{time.Date(2026, 11, 1, 0, 0, 0, 0, loc), 2027},
		{time.Date(2026, 10, 31, 16, 30, 0, 0, time.UTC), 2027}, // 1 November 00:30 in Beijing
		{time.Date(2026, 12, 31, 12, 0, 0, 0, loc), 2027},
		{time.Date(2027, 3, 1, 12, 0, 0, 0, loc), 2027}, // the year itself, still missing
		{time.Date(2026, 6, 1, 12, 0, 0, 0, loc), 0},
	} {
		if got, err := w.svc.MissingNextYear(ctx, tc.now); err != nil || got != tc.want {
			t.Errorf("%s: missing %d, want %d (%v)", tc.now, got, tc.want, err)
		}
	}
}
