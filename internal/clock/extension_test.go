package clock

import "testing"

// 行政许可法 第82条: extensions of 行政许可 are working days whatever the unit of the item's limit; other
// items extend in their own unit. Over National Day 2026 (中秋 9-25..27, 国庆 10-1..7, 10-10 worked).
func TestExtensionUnitsOverNationalDay2026(t *testing.T) {
	c := New(Default(), DefaultRules())
	for _, tc := range []struct {
		name     string
		accepted string
		unit     Unit
		n        int
		ext      Extension
		want     string
	}{
		{"natural limit, no extension", "2026-09-18 10:00", NaturalDays, 10, Extension{}, "2026-09-28"},
		// the case of the issue: ten days of extension used to add three working days (to 10-08)
		{"natural limit, 10 working days", "2026-09-18 10:00", NaturalDays, 10, Extension{Days: 10}, "2026-10-16"},
		{"natural limit, 10 working days (zero unit)", "2026-09-18 10:00", NaturalDays, 10, Extension{Days: 10, Unit: WorkingDays}, "2026-10-16"},
		{"natural limit, 10 natural days", "2026-09-18 10:00", NaturalDays, 10, Extension{Days: 10, Unit: NaturalDays}, "2026-10-08"},
		{"natural limit ending on a holiday, 10 working days", "2026-09-24 10:00", NaturalDays, 7, Extension{Days: 10}, "2026-10-21"},
		{"natural limit ending on a holiday, none", "2026-09-24 10:00", NaturalDays, 7, Extension{}, "2026-10-08"},
		{"working limit, 10 working days", "2026-09-21 10:00", WorkingDays, 5, Extension{Days: 10}, "2026-10-19"},
		{"working limit, 10 natural days", "2026-09-21 10:00", WorkingDays, 5, Extension{Days: 10, Unit: NaturalDays}, "2026-10-09"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Deadline(at(tc.accepted), tc.unit, tc.n, nil, tc.ext, MustDate("2026-09-18"))
			if got.String() != tc.want {
				t.Errorf("Deadline = %s, want %s", got, tc.want)
			}
		})
	}
}

// Overlapping suspensions (a special step's and a back-office one) stand the clock once.
func TestOverlappingSuspensionsCountOnce(t *testing.T) {
	c := New(Default(), DefaultRules())
	acc := at("2026-03-02 10:00")
	one := []Suspension{{Kind: "公示", From: MustDate("2026-03-09"), To: MustDate("2026-03-13")}}
	two := append(one, Suspension{Kind: "补正", From: MustDate("2026-03-11"), To: MustDate("2026-03-12")})
	a := c.Deadline(acc, WorkingDays, 20, one, Extension{}, MustDate("2026-03-20"))
	b := c.Deadline(acc, WorkingDays, 20, two, Extension{}, MustDate("2026-03-20"))
	if a != b {
		t.Errorf("overlap counted twice: %s vs %s", a, b)
	}
	three := append(one, Suspension{Kind: "补正", From: MustDate("2026-03-16"), To: MustDate("2026-03-16")})
	if d := c.Deadline(acc, WorkingDays, 20, three, Extension{}, MustDate("2026-03-20")); c.Cal.WorkingDaysBetween(a, d) != 1 {
		t.Errorf("a separate suspension adds its day: %s -> %s", a, d)
	}
}
