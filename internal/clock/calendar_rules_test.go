package clock

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"bianmin/internal/errs"
)

// a2027 is a schedule for 2027 as a notice could make it: every day 第二条 gives off inside a period.
func a2027() Year {
	p := func(name, from, to string) Period { return Period{name, MustDate(from), MustDate(to)} }
	return Year{Year: 2027, Notice: "test", Holidays: []Period{
		p("元旦", "2027-01-01", "2027-01-03"), p("春节", "2027-02-05", "2027-02-13"), p("清明节", "2027-04-03", "2027-04-05"),
		p("劳动节", "2027-05-01", "2027-05-05"), p("端午节", "2027-06-09", "2027-06-09"), p("中秋节", "2027-09-15", "2027-09-15"),
		p("国庆节", "2027-10-01", "2027-10-07")}, Workdays: []Date{MustDate("2027-02-20")}}
}

// found lists an error's (field, key) pairs.
func found(err error) map[string]string {
	out := map[string]string{}
	for _, e := range errs.All(err) {
		out[e.Field] = e.Key
	}
	return out
}

// Year.Check, rule by rule (FACTS.md §6; 《全国年节及纪念日放假办法》 第二条): each row changes the good 2027 and
// names the field and message it must be refused with, or nothing.
func TestYearCheckRules(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(y *Year)
		field  string
		key    string
	}{
		{"as a notice makes it", func(*Year) {}, "", ""},
		{"2019's 元旦: the December before worked and off", func(y *Year) {
			y.Holidays[0].From = MustDate("2026-12-31") // a Thursday, off with the new year
			y.Workdays = append(y.Workdays, MustDate("2026-12-26"))
		}, "", ""},
		{"a statutory day taken away (国庆 10/3)", func(y *Year) { y.Holidays[6].From, y.Holidays[6].To = MustDate("2027-10-04"), MustDate("2027-10-08") }, "holidays", "err.calendar.statutory"},
		{"an empty schedule", func(y *Year) { y.Holidays, y.Workdays = nil, nil }, "holidays", "err.calendar.statutory"},
		{"a period without its start", func(y *Year) { y.Holidays[1].From = Date{} }, "holidays[1]", "err.calendar.from_missing"},
		{"a period without its end", func(y *Year) { y.Holidays[1].To = Date{} }, "holidays[1]", "err.calendar.to_missing"},
		{"a period without a name", func(y *Year) { y.Holidays[2].Name = " " }, "holidays[2]", "err.calendar.name"},
		{"a name too long", func(y *Year) { y.Holidays[2].Name = strings.Repeat("节", MaxHolidayName+1) }, "holidays[2]", "err.calendar.name_long"},
		{"a period backwards", func(y *Year) { y.Holidays[1].From, y.Holidays[1].To = y.Holidays[1].To, y.Holidays[1].From }, "holidays[1]", "err.calendar.order"},
		{"a period of 16 days", func(y *Year) { y.Holidays[1].To = MustDate("2027-02-20") }, "holidays[1]", "err.calendar.too_long"},
		{"元旦 reaching two weeks into the year before", func(y *Year) { y.Holidays[0].From = MustDate("2026-12-19") }, "holidays[0]", "err.calendar.outside"},
		{"a make-up day two weeks before the year", func(y *Year) { y.Workdays = append(y.Workdays, MustDate("2026-12-19")) }, "workdays[1]", "err.calendar.workday_outside"},
		{"a period in another year", func(y *Year) {
			y.Holidays = append(y.Holidays, Period{"端午节", MustDate("2026-06-19"), MustDate("2026-06-21")})
		}, "holidays[7]", "err.calendar.outside"},
		{"two periods sharing a day", func(y *Year) {
			y.Holidays = append(y.Holidays, Period{"国庆节", MustDate("2027-10-07"), MustDate("2027-10-08")})
		}, "holidays[7]", "err.calendar.overlap"},
		{"a make-up day on a weekday", func(y *Year) { y.Workdays[0] = MustDate("2027-02-17") }, "workdays[0]", "err.calendar.workday_weekday"},
		{"a make-up day far outside the year", func(y *Year) { y.Workdays = append(y.Workdays, MustDate("2026-06-20")) }, "workdays[1]", "err.calendar.workday_outside"},
		{"a make-up day twice", func(y *Year) { y.Workdays = append(y.Workdays, y.Workdays[0]) }, "workdays[1]", "err.calendar.duplicate"},
		{"a day both off and worked", func(y *Year) { y.Workdays = append(y.Workdays, MustDate("2027-02-06")) }, "workdays[1]", "err.calendar.both"},
		{"a make-up day without its date", func(y *Year) { y.Workdays = append(y.Workdays, Date{}) }, "workdays[1]", "err.calendar.date_missing"},
		{"a notice too long", func(y *Year) { y.Notice = strings.Repeat("通", MaxNotice+1) }, "notice", "err.too_long"},
		{"a year out of range", func(y *Year) { y.Year = 1999 }, "year", "err.calendar.year"},
	} {
		y := a2027()
		c.change(&y)
		got := found(y.Check())
		if c.field == "" {
			if len(got) > 0 {
				t.Errorf("%s: refused %v", c.name, got)
			}
			continue
		}
		if got[c.field] != c.key {
			t.Errorf("%s: %v, want %s %s", c.name, got, c.field, c.key)
		}
	}
}

// CheckAgainst: a notice may name the days at its year's edge, but where two loaded notices both name a day
// they agree; the year being replaced is not compared.
func TestCheckAgainst(t *testing.T) {
	y2026 := Shipped()[1]
	if y2026.Year != 2026 {
		t.Fatalf("shipped: %d", y2026.Year)
	}
	for _, c := range []struct {
		name   string
		change func(y *Year)
		field  string
	}{
		{"as a notice makes it", func(*Year) {}, ""},
		{"a December day off 2026 does not name", func(y *Year) { y.Holidays[0].From = MustDate("2026-12-31") }, ""},
		{"2026's 国庆 day made a working day", func(y *Year) { y.Workdays = append(y.Workdays, MustDate("2026-10-03")) }, "workdays[1]"},
	} {
		y := a2027()
		c.change(&y)
		got := found(CheckAgainst(y, []Year{y2026, a2027()}))
		if c.field == "" && len(got) > 0 || c.field != "" && got[c.field] != "err.calendar.conflict" {
			t.Errorf("%s: %v, want %q", c.name, got, c.field)
		}
	}
	// a 2025 file replaced: the loaded 2025 is not compared with it, the loaded 2026 is, both ways
	y2025 := Shipped()[0]
	n := len(y2025.Workdays)
	y2025.Workdays = append(y2025.Workdays, MustDate("2026-01-03"))                                       // a day 2026 gives off
	y2025.Holidays = append(y2025.Holidays, Period{"元旦", MustDate("2025-12-31"), MustDate("2026-01-04")}) // 2026 works the 4th
	got := found(CheckAgainst(y2025, []Year{Shipped()[0], y2026}))
	if len(got) != 2 || got[fmt.Sprintf("workdays[%d]", n)] != "err.calendar.conflict" || got[fmt.Sprintf("holidays[%d]", len(y2025.Holidays)-1)] != "err.calendar.conflict" {
		t.Errorf("2025 contradicting 2026 at its edge: %v", got)
	}
}

// ReadYear: one JSON object of the form, no more than MaxYearBytes; a misspelt name, something after the
// object and a file too large are refused naming the file.
func TestReadYearStrict(t *testing.T) {
	good, _ := json.Marshal(a2027())
	for _, c := range []struct {
		name, body, key string
	}{
		{"the form", string(good), ""},
		{"a misspelt workdays", strings.Replace(string(good), `"workdays"`, `"workday"`, 1), "err.calendar.unknown"},
		{"a misspelt field of a period", strings.Replace(string(good), `"from"`, `"form"`, 1), "err.calendar.unknown"},
		{"two objects", string(good) + string(good), "err.calendar.trailing"},
		{"workdays given twice, the last empty", string(good[:len(good)-1]) + `,"workdays":[]}`, "err.import.repeated_key"},
		{"not JSON", "year: 2027", "err.import.json_at"},
		{"a byte-order mark before it", "\ufeff" + string(good), ""},
		{"a date written with slashes", strings.Replace(string(good), `"2027-02-05"`, `"2027/02/05"`, 1), "err.import.date"},
		{"nothing", "", "err.import.json_short"},
		{"cut short", string(good[:40]), "err.import.json_short"},
		{"a list, not an object", "[" + string(good) + "]", "err.import.json_shape"},
		{"too large", string(good[:len(good)-1]) + `,"notice":"` + strings.Repeat("a", MaxYearBytes) + `"}`, "err.calendar.too_large"},
	} {
		_, err := ReadYear(strings.NewReader(c.body))
		var e *errs.Error
		switch {
		case c.key == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.key != "" && (!errors.As(err, &e) || e.Key != c.key || e.Field != "file"):
			t.Errorf("%s: %v, want file %s", c.name, err, c.key)
		}
	}
}
