package clock

import (
	"math/rand/v2"
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWorkingDays(t *testing.T) {
	cal := Default()
	cases := []struct {
		day  string
		work bool
	}{
		{"2026-02-14", true},  // Saturday worked before the Spring Festival
		{"2026-02-15", false}, // 腊月二十八, first day off
		{"2026-02-23", false}, // last day off, a Monday
		{"2026-02-24", true},
		{"2026-02-28", true}, // Saturday worked after it
		{"2026-03-01", false},
		{"2025-09-28", true}, // Sunday worked before National Day
		{"2025-10-06", false},
		{"2025-10-08", false}, // National Day and Mid-Autumn together: eight days
		{"2025-10-09", true},
		{"2025-10-11", true}, // Saturday worked after it
		{"2026-01-01", false},
		{"2026-01-03", false},
		{"2026-01-04", true}, // Sunday worked
		{"2025-12-31", true},
		{"2026-09-20", true}, // Sunday worked before National Day 2026
		{"2026-05-09", true},
		{"2026-05-05", false},
	}
	for _, c := range cases {
		if got := cal.IsWorkingDay(MustDate(c.day)); got != c.work {
			t.Errorf("%s: working %v, want %v", c.day, got, c.work)
		}
	}
}

func TestDueOnHolidayEdges(t *testing.T) {
	c := New(Default(), DefaultRules())
	cases := []struct {
		name     string
		accepted string
		unit     Unit
		n        int
		due      string
	}{
		{"Spring Festival: the working Saturday counts, the holiday does not", "2026-02-12 10:00", WorkingDays, 5, "2026-02-26"},
		{"accepted on the working Saturday before the festival", "2026-02-14 09:00", WorkingDays, 1, "2026-02-24"},
		{"through the festival to the working Saturday after it", "2026-02-13 09:00", WorkingDays, 6, "2026-02-28"},
		{"National Day with Mid-Autumn: the working Sunday counts", "2025-09-26 10:00", WorkingDays, 3, "2025-09-30"},
		{"over the eight days of National Day", "2025-09-30 10:00", WorkingDays, 3, "2025-10-11"},
		{"turn of the year: New Year off, the Sunday after worked", "2025-12-31 10:00", WorkingDays, 2, "2026-01-05"},
		{"20 working days from the end of 2025 into 2026", "2025-12-15 09:00", WorkingDays, 20, "2026-01-13"},
		{"instant, morning of a working day", "2026-03-03 10:00", Instant, 0, "2026-03-03"},
		{"instant after 17:30 is due the next working day", "2026-03-03 17:45", Instant, 0, "2026-03-04"},
		{"instant on the Saturday before the festival (a working day)", "2026-02-14 16:00", Instant, 0, "2026-02-14"},
		{"instant on a holiday", "2026-02-16 10:00", Instant, 0, "2026-02-24"},
		{"natural days ending on a holiday move to the next working day", "2026-02-08 10:00", NaturalDays, 10, "2026-02-24"},
		{"natural days ending on a working day", "2026-03-02 10:00", NaturalDays, 7, "2026-03-09"},
	}
	for _, tc := range cases {
		if got := c.Due(at(tc.accepted), tc.unit, tc.n); got.String() != tc.due {
			t.Errorf("%s: due %s, want %s", tc.name, got, tc.due)
		}
	}
}

// For any start and any n, the deadline is a working day lying exactly n working days after the start.
func TestDeadlineProperty(t *testing.T) {
	cal := Default()
	r := rand.New(rand.NewPCG(7, 11))
	first := MustDate("2025-01-01")
	for i := 0; i < 5000; i++ {
		start := first.AddDays(r.IntN(600))
		n := r.IntN(60)
		due := cal.AddWorkingDays(start, n)
		if n > 0 && !cal.IsWorkingDay(due) {
			t.Fatalf("%s + %d = %s, not a working day", start, n, due)
		}
		if got := cal.WorkingDaysBetween(start, due); got != n {
			t.Fatalf("%s + %d = %s, which is %d working days after", start, n, due, got)
		}
	}
}

// A correction and a special procedure suspend a case; its due date moves by exactly their working days.
func TestSuspensionsMoveTheDeadline(t *testing.T) {
	c := New(Default(), DefaultRules())
	accepted := at("2026-03-02 09:30") // Monday
	due := c.Due(accepted, WorkingDays, 20)
	if due.String() != "2026-03-30" {
		t.Fatalf("due %s", due)
	}
	susp := []Suspension{
		{Kind: "补正", From: MustDate("2026-03-05"), To: MustDate("2026-03-06")}, // Thu-Fri: 2 working days
		{Kind: "公示", From: MustDate("2026-03-09"), To: MustDate("2026-03-15")}, // Mon-Sun: 5 working days
	}
	got := c.Deadline(accepted, WorkingDays, 20, susp, Extension{}, MustDate("2026-03-20"))
	if n := c.Cal.WorkingDaysBetween(due, got); n != 7 || got.String() != "2026-04-09" {
		t.Fatalf("deadline %s moved by %d working days, want 7 (to 2026-04-09, over 清明 4-6 April)", got, n)
	}
	// an extension of 10 working days on top (第42条)
	if ext := c.Deadline(accepted, WorkingDays, 20, susp, Extension{Days: 10}, MustDate("2026-03-20")); c.Cal.WorkingDaysBetween(got, ext) != 10 {
		t.Fatalf("extension: %s", ext)
	}
	// a suspension still running counts up to today
	running := []Suspension{{Kind: "鉴定", From: MustDate("2026-03-09")}}
	if d := c.Deadline(accepted, WorkingDays, 20, running, Extension{}, MustDate("2026-03-11")); c.Cal.WorkingDaysBetween(due, d) != 3 {
		t.Fatalf("running suspension: %s", d)
	}
}

// Suspensions after the deadline give nothing back; natural-day limits get natural days back.
func TestSuspensionEdges(t *testing.T) {
	c := New(Default(), DefaultRules())
	accepted := at("2026-03-02 09:30")
	due := c.Due(accepted, WorkingDays, 5)
	late := []Suspension{{Kind: "鉴定", From: due.AddDays(3), To: due.AddDays(10)}}
	if got := c.Deadline(accepted, WorkingDays, 5, late, Extension{}, due.AddDays(20)); got != due {
		t.Errorf("a suspension begun when overdue moved the deadline to %s", got)
	}
	// 30 natural days from 2 February; ten days suspended over the Spring Festival come back as ten days
	acc := at("2026-02-02 09:00")
	plain := c.Deadline(acc, NaturalDays, 30, nil, Extension{}, MustDate("2026-03-20"))
	susp := []Suspension{{Kind: "公示", From: MustDate("2026-02-14"), To: MustDate("2026-02-23")}}
	got := c.Deadline(acc, NaturalDays, 30, susp, Extension{}, MustDate("2026-03-20"))
	if plain.String() != "2026-03-04" || got.String() != "2026-03-16" {
		t.Errorf("natural days: plain %s, with ten days suspended %s (14 March is a Saturday)", plain, got)
	}
	if r := c.Remaining(MustDate("2026-02-16"), MustDate("2026-02-13")); r != -1 {
		t.Errorf("overdue through the festival shows %d", r)
	}
}

func TestCards(t *testing.T) {
	c := New(Default(), DefaultRules())
	cases := []struct {
		limit, remaining int
		card             Card
	}{
		{20, 10, Green}, {20, 5, Green}, {20, 4, Yellow}, {20, 0, Yellow}, {20, -1, Red},
		{3, 2, Green}, {3, 1, Yellow}, // 20% of 3 rounds up to 1 = the minimum
		{1, 1, Yellow}, {1, 0, Yellow}, {60, 12, Yellow}, {60, 13, Green},
	}
	for _, tc := range cases {
		if got := c.CardFor(tc.limit, tc.remaining); got != tc.card {
			t.Errorf("limit %d, %d left: %s, want %s", tc.limit, tc.remaining, got, tc.card)
		}
	}
	if r := c.Remaining(MustDate("2026-02-13"), MustDate("2026-02-24")); r != 2 {
		t.Errorf("remaining over the festival: %d", r)
	}
	if r := c.Remaining(MustDate("2026-02-26"), MustDate("2026-02-24")); r != -2 {
		t.Errorf("overdue: %d", r)
	}
}

func TestCalendarFiles(t *testing.T) {
	for _, y := range Shipped() {
		if err := y.Check(); err != nil {
			t.Errorf("%d: %v", y.Year, err)
		}
	}
	cal := Default()
	if !cal.Covers(2025) || !cal.Covers(2026) || cal.Covers(2027) {
		t.Errorf("years: %v", cal.Years())
	}
	bad := Year{Year: 2027, Workdays: []Date{MustDate("2027-01-06")}, Holidays: []Period{{Name: "x", From: MustDate("2027-02-10"), To: MustDate("2027-02-01")}}}
	if err := bad.Check(); err == nil {
		t.Error("a make-up day on a Wednesday and a backward period must be refused")
	}
}

// The dates a sweep compares give the same card as counting the remaining working days, on every day from
// well before a deadline to well after it, over holidays and make-up days.
func TestCardOnAgreesWithCardFor(t *testing.T) {
	c := New(Default(), DefaultRules())
	r := rand.New(rand.NewPCG(3, 5))
	first := MustDate("2025-01-01")
	for i := 0; i < 2000; i++ {
		n := 1 + r.IntN(40)
		due := c.Cal.AddWorkingDays(first.AddDays(r.IntN(600)), 1)
		yellow := c.YellowFrom(n, due)
		for d := due.AddDays(-3 * n); !d.After(due.AddDays(10)); d = d.AddDays(1) {
			want := c.CardFor(n, c.Remaining(d, due))
			if got := CardOn(d, yellow, due); got != want {
				t.Fatalf("limit %d due %s on %s: CardOn %s, CardFor %s (yellow from %s)", n, due, d, got, want, yellow)
			}
			if got := CardOnDays(d.Int(), yellow.Int(), due.AddDays(1).Int(), false); got != want {
				t.Fatalf("limit %d due %s on %s: CardOnDays %s, CardFor %s", n, due, d, got, want)
			}
		}
	}
	if d := MustDate("2026-02-24"); DateFromInt(d.Int()) != d || d.Int() != 20260224 {
		t.Fatalf("int form of %s: %d", d, d.Int())
	}
}
