package clock

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func offDays(y Year) []string {
	var out []string
	for _, p := range y.Holidays {
		for d := p.From; !d.After(p.To); d = d.AddDays(1) {
			out = append(out, d.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out) // 中秋 may fall inside 国庆
}

// 《全国年节及纪念日放假办法》 第二条 (as amended 2024) and 第六条, worked out by hand from the lunar dates (FACTS.md §6.4).
func TestStatutoryYears(t *testing.T) {
	cases := []struct {
		year int
		off  []string
	}{
		{2027, []string{ // FACTS.md §6.4's worked example
			"2027-01-01",                                           // 元旦, Friday
			"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", // 除夕 to 初三, Friday to Monday
			"2027-02-09", "2027-02-10", // 第六条: the weekend's two days made up after the run
			"2027-04-05",               // 清明 on its solar term, Monday
			"2027-05-01", "2027-05-02", // 劳动节 on a weekend
			"2027-05-03", "2027-05-04", // made up
			"2027-06-09",                             // 端午, Wednesday
			"2027-09-15",                             // 中秋, Wednesday
			"2027-10-01", "2027-10-02", "2027-10-03", // 国庆, Friday to Sunday
			"2027-10-04", "2027-10-05", // made up
		}},
		{2028, []string{
			"2028-01-01", "2028-01-03", // 元旦 on a Saturday, made up on Monday
			"2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", // 除夕 Tuesday to 初三 Friday
			"2028-04-04",
			"2028-05-01", "2028-05-02",
			"2028-05-28", "2028-05-29", // 端午 on a Sunday, made up on Monday
			// 中秋 is 3 October, inside 国庆: one day off, nothing more; 1 October a Sunday, made up after the run
			"2028-10-01", "2028-10-02", "2028-10-03", "2028-10-04",
		}},
		{2034, []string{
			"2034-01-01", "2034-01-02", // 元旦 on a Sunday
			"2034-02-18", "2034-02-19", "2034-02-20", "2034-02-21", "2034-02-22", "2034-02-23", // 除夕 Sat to 初三 Tue, two made up
			"2034-04-05",
			"2034-05-01", "2034-05-02",
			"2034-06-20",
			"2034-09-27",
			"2034-10-01", "2034-10-02", "2034-10-03", "2034-10-04", // 1 October a Sunday
		}},
	}
	for _, tc := range cases {
		if got := offDays(Statutory(tc.year)); !slices.Equal(got, tc.off) {
			t.Errorf("%d: days off\n got %v\nwant %v", tc.year, got, tc.off)
		}
	}
}

// FACTS.md §6.4: 1 working day after 2026-12-31 is 2027-01-04, after 2027-02-04 is 2027-02-11, both provisional
// while the 2027 notice is not loaded; counts that stay in 2025 and 2026 are final.
func TestDueBeyondThePublishedYears(t *testing.T) {
	c := New(Default(), DefaultRules())
	cases := []struct {
		name        string
		accepted    string
		unit        Unit
		n           int
		due         string
		provisional bool
	}{
		{"元旦 2027 and the weekend after it", "2026-12-31 10:00", WorkingDays, 1, "2027-01-04", true},
		{"春节 2027 with the weekend made up", "2027-02-04 10:00", WorkingDays, 1, "2027-02-11", true},
		{"the issue's case: accepted 2026-11-30, 20 working days", "2026-11-30 10:00", WorkingDays, 20, "2026-12-28", false},
		{"accepted 2026-11-30, 25 working days, over 元旦", "2026-11-30 10:00", WorkingDays, 25, "2027-01-05", true},
		{"劳动节 2027 on a weekend, made up Monday and Tuesday", "2027-04-30 10:00", WorkingDays, 1, "2027-05-05", true},
		{"国庆 2027", "2027-09-30 10:00", WorkingDays, 2, "2027-10-07", true},
		{"instant item on 元旦 2027", "2027-01-01 10:00", Instant, 0, "2027-01-04", true},
		{"natural days ending on 清明 2027", "2027-03-26 10:00", NaturalDays, 10, "2027-04-06", true},
		{"inside 2026: official, final", "2026-02-12 10:00", WorkingDays, 5, "2026-02-26", false},
		{"inside 2025: official, final", "2025-09-30 10:00", WorkingDays, 3, "2025-10-11", false},
	}
	for _, tc := range cases {
		got := c.DueOn(at(tc.accepted), tc.unit, tc.n)
		if got.Day.String() != tc.due || got.Provisional != tc.provisional {
			t.Errorf("%s: due %s provisional %v, want %s %v", tc.name, got.Day, got.Provisional, tc.due, tc.provisional)
		}
	}
}

// The official schedules of 2025 and 2026 win over the statutory estimate of those years: their 调休 weekend
// days are worked and their longer holidays are off.
func TestOfficialScheduleWins(t *testing.T) {
	official, lawOnly := Default(), NewCalendar()
	cases := []struct {
		day                 string
		official, statutory bool // worked?
	}{
		{"2026-01-02", false, true}, // 元旦 2026 officially 1-3 January; by law 1 January only
		{"2026-01-04", true, false}, // a Sunday worked by the notice
		{"2026-02-23", false, true}, // 正月初七, off by the notice only
		{"2026-02-28", true, false}, // a Saturday worked
		{"2025-10-08", false, true},
		{"2025-10-11", true, false},
		{"2025-01-26", true, false},
		{"2026-10-01", false, false}, // off either way
	}
	for _, tc := range cases {
		d := MustDate(tc.day)
		if got := official.IsWorkingDay(d); got != tc.official {
			t.Errorf("%s with the official schedule: worked %v, want %v", tc.day, got, tc.official)
		}
		if got := lawOnly.IsWorkingDay(d); got != tc.statutory {
			t.Errorf("%s by law alone: worked %v, want %v", tc.day, got, tc.statutory)
		}
	}
	if official.Provisional(MustDate("2025-01-01"), MustDate("2026-12-31")) {
		t.Error("2025-2026 counted on their official schedules are provisional")
	}
	if !official.Provisional(MustDate("2026-12-31"), MustDate("2027-01-04")) || !lawOnly.Provisional(MustDate("2026-03-02"), MustDate("2026-03-03")) {
		t.Error("a count crossing a year without its schedule is not provisional")
	}
	// loading a year's schedule makes it final, and its days rule
	y2027 := Year{Year: 2027, Holidays: []Period{{"元旦", MustDate("2027-01-01"), MustDate("2027-01-03")}}, Workdays: []Date{MustDate("2027-01-09")}}
	loaded := NewCalendar(append(Shipped(), y2027)...)
	if loaded.Provisional(MustDate("2026-12-31"), MustDate("2027-01-04")) || !loaded.IsWorkingDay(MustDate("2027-01-09")) || !loaded.IsWorkingDay(MustDate("2027-02-09")) {
		t.Error("the loaded 2027 schedule does not replace the statutory estimate")
	}
}

// Property: whatever the acceptance moment, limit and unit, a due day never falls on a statutory holiday (第二条)
// or its make-up day (第六条) of any year from 2025 to 2035, on the shipped calendar or on the law alone.
func TestNoDueDayOnAStatutoryHoliday(t *testing.T) {
	holiday := map[Date]bool{}
	for y := 2025; y <= 2036; y++ {
		for _, d := range offDays(Statutory(y)) {
			holiday[MustDate(d)] = true
		}
	}
	if len(holiday) < 12*15 {
		t.Fatalf("only %d statutory days off in 12 years", len(holiday))
	}
	r := rand.New(rand.NewPCG(9, 2035))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, cst)
	span := int(time.Date(2036, 1, 1, 0, 0, 0, 0, cst).Sub(start) / time.Minute)
	units := []Unit{WorkingDays, WorkingDays, NaturalDays, Instant}
	extUnits := []Unit{WorkingDays, NaturalDays}
	for _, cal := range []*Calendar{Default(), NewCalendar()} {
		for _, rules := range []Rules{DefaultRules(), {Cutoff: 17 * time.Hour, Location: cst, YellowShare: 0.2, YellowMin: 1}} {
			c := New(cal, rules)
			for i := 0; i < 20000; i++ {
				accepted := start.Add(time.Duration(r.IntN(span)) * time.Minute)
				u, n := units[r.IntN(len(units))], r.IntN(61)
				ext := 0
				if r.IntN(3) == 0 {
					ext = r.IntN(11)
				}
				for _, due := range []Date{c.Due(accepted, u, n), c.Deadline(accepted, u, n, nil, Extension{Days: ext, Unit: extUnits[r.IntN(2)]}, DateOf(accepted))} {
					if holiday[due] {
						t.Fatalf("accepted %s, %d %s (+%d): due %s is a statutory holiday", accepted.Format("2006-01-02 15:04"), n, u, ext, due)
					}
				}
			}
		}
	}
	// and every one of those days is a day off on both calendars
	official, lawOnly := Default(), NewCalendar()
	for d := range holiday {
		if official.IsWorkingDay(d) || lawOnly.IsWorkingDay(d) {
			t.Errorf("%s: a statutory day off counted as worked", d)
		}
	}
}
