package hours

import (
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

func TestOnFollowsCalendarAndExceptions(t *testing.T) {
	cal := clock.Default()
	h := Default()
	h.Week[time.Saturday] = []Span{{9 * 60, 12 * 60}} // weekend service on Saturday mornings
	evening := []Span{{17*60 + 30, 19 * 60}}
	h.Exceptions = []Exception{
		{Day: clock.MustDate("2026-03-11"), Kind: Extra, Spans: evening, Note: "延时服务"},
		{Day: clock.MustDate("2026-03-12"), Kind: Closed},
		{Day: clock.MustDate("2026-10-02"), Kind: Open, Spans: []Span{{9 * 60, 11 * 60}}},
	}
	cases := []struct {
		day  string
		want string
		why  string
	}{
		{"2026-03-10", "08:30-12:00, 14:30-17:30", "a Tuesday"},
		{"2026-03-11", "08:30-12:00, 14:30-17:30, 17:30-19:00", "a 延时服务 evening adds to the day"},
		{"2026-03-12", "", "closed by an exception"},
		{"2026-03-14", "09:00-12:00", "Saturday service"},
		{"2026-03-15", "", "a Sunday"},
		{"2026-10-01", "", "National Day: a holiday of the official schedule"},
		{"2026-10-03", "", "a Saturday inside the holiday: no weekend service"},
		{"2026-10-02", "09:00-11:00", "holiday service by an exception"},
		{"2026-01-04", "08:30-12:00, 14:30-17:30", "a Sunday worked by the yearly notice (调休) opens as a working day"},
		{"2026-02-14", "08:30-12:00, 14:30-17:30", "a Saturday worked by the notice: a working day, not Saturday service"},
		{"2027-10-01", "", "a year without its schedule: the statutory holiday"},
	}
	for _, c := range cases {
		if got := SpansText(h.On(clock.MustDate(c.day), cal)); got != c.want {
			t.Errorf("%s (%s): %q, want %q", c.day, c.why, got, c.want)
		}
	}
}

func TestSlotsAndOpening(t *testing.T) {
	cal := clock.Default()
	h := Default()
	h.Week[time.Monday] = []Span{{8*60 + 30, 10 * 60}, {14*60 + 30, 15*60 + 15}}
	s := h.Slots(clock.MustDate("2026-03-09"), cal)
	var got []string
	for _, x := range s {
		got = append(got, x.String())
	}
	want := []string{"08:30-09:00", "09:00-09:30", "09:30-10:00", "14:30-15:00"} // the 15 minutes after 15:00 make no slot
	if len(got) != len(want) {
		t.Fatalf("slots %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("slots %v, want %v", got, want)
		}
	}
	if n := len(h.Slots(clock.MustDate("2026-10-01"), cal)); n != 0 {
		t.Errorf("a holiday has %d slots", n)
	}
	if n := len(h.Slots(clock.MustDate("2026-01-04"), cal)); n == 0 {
		t.Error("a 调休 working Sunday has no slots")
	}
	loc := clock.DefaultRules().Location
	if !h.OpenAt(time.Date(2026, 3, 10, 9, 0, 0, 0, loc), loc, cal) || h.OpenAt(time.Date(2026, 3, 10, 13, 0, 0, 0, loc), loc, cal) {
		t.Error("open at 09:00 and closed at 13:00 on a Tuesday")
	}
	if h.OpenAt(time.Date(2026, 10, 1, 9, 0, 0, 0, loc), loc, cal) {
		t.Error("open on National Day")
	}
	if m, ok := h.Opening(clock.MustDate("2026-03-10"), cal); !ok || m != 8*60+30 {
		t.Errorf("opening %d %v", m, ok)
	}
}

func TestParseAndValidate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		key  string
	}{
		{"08:30-12:00, 14:30-17:30", "08:30-12:00, 14:30-17:30", ""},
		{"14:30－17:30，08:30～12:00", "08:30-12:00, 14:30-17:30", ""},
		{"", "", ""},
		{"8:30-12", "", "err.hours.format"},
		{"12:00-08:30", "", "err.hours.span"},
		{"08:00-12:00, 11:00-13:00", "", "err.hours.overlap"},
		{"25:00-26:00", "", "err.hours.format"},
	} {
		got, err := ParseSpans("week_1", c.in)
		if c.key != "" {
			if e, ok := err.(*errs.Error); !ok || e.Key != c.key || e.Field != "week_1" {
				t.Errorf("%q: %v, want %s on week_1", c.in, err, c.key)
			}
			continue
		}
		if err != nil || SpansText(got) != c.want {
			t.Errorf("%q: %q %v", c.in, SpansText(got), err)
		}
	}
	h := Default()
	h.Exceptions = []Exception{{Day: clock.MustDate("2026-03-12"), Kind: Closed, Spans: []Span{{60, 120}}}, {Day: clock.MustDate("2026-03-12"), Kind: Extra}}
	h.Capacity = 0
	fields := map[string]bool{}
	for _, e := range errs.All(h.Validate()) {
		fields[e.Field+" "+e.Key] = true
	}
	for _, want := range []string{"exceptions[0].spans err.hours.closed_spans", "exceptions[1].day err.hours.duplicate_day", "exceptions[1].spans err.required", "capacity err.hours.capacity"} {
		if !fields[want] {
			t.Errorf("missing %s in %v", want, fields)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("the default hours: %v", err)
	}
}
