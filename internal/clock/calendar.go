// Package clock counts time as the law counts it: in working days of the official calendar, with its
// make-up working weekends (调休), from the day after acceptance, with special procedures and corrections
// not counted (行政许可法 第45条) and approved extensions added (第42条). FACTS.md §3, §4 and §6 hold the rules
// and the holiday schedules.
package clock

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// Date is a calendar day, without a time or a zone.
type Date struct {
	Y int
	M time.Month
	D int
}

// DateOf is the calendar day of t in its own location.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// ParseDate reads 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t), nil
}

// MustDate is ParseDate for tests and tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) t() time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }

// AddDays moves by natural days.
func (d Date) AddDays(n int) Date { return DateOf(d.t().AddDate(0, 0, n)) }

// Sub is the number of days from o to d.
func (d Date) Sub(o Date) int { return int(d.t().Sub(o.t()).Hours() / 24) }

// Before, After and Equal compare days.
func (d Date) Before(o Date) bool { return d.t().Before(o.t()) }
func (d Date) After(o Date) bool  { return d.t().After(o.t()) }

// Weekday of the day.
func (d Date) Weekday() time.Weekday { return d.t().Weekday() }

func (d Date) String() string { return d.t().Format("2006-01-02") }

// IsZero reports the zero date (none set).
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText writes 2006-01-02, or nothing for the zero date.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads 2006-01-02; an empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	x, err := ParseDate(string(b))
	*d = x
	return err
}

// Year is one year's official schedule: the days off (放假) and the weekend days that are worked (调休上班).
type Year struct {
	Year     int      `json:"year"`
	Notice   string   `json:"notice"`
	Holidays []Period `json:"holidays"`
	Workdays []Date   `json:"workdays"`
}

// Period is a named run of days off, both ends included.
type Period struct {
	Name string `json:"name"`
	From Date   `json:"from"`
	To   Date   `json:"to"`
}

// Limits of a schedule's file: a year's notice is a few kilobytes.
const (
	MaxYearBytes   = 1 << 20
	MaxNotice      = 500 // characters: the notice's title and number
	MaxHolidayName = 50  // characters: 春节, 国庆节、中秋节, 2015's 中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日 (26)
)

// Check validates a year's schedule against what the law fixes and what a notice can say:
//   - every day off and every make-up working day is given, and holiday periods have names;
//   - a period of days off touches the year, runs forward and lasts at most 15 days (the longest so far is
//     2020's 春节, extended to 10 days in the epidemic; 2026's is 9, FACTS.md §6.2), and no two periods share
//     a day;
//   - a period, and a make-up working day, lies in the year or within a week of it (a notice arranges the days
//     around its new year: 2019's made 2018-12-29 a working day and 12-30 a day off);
//   - a make-up working day (调休上班) is a Saturday or Sunday (a weekday is worked anyway), given once, and
//     never also a day off;
//   - every day 《全国年节及纪念日放假办法》 第二条 gives all citizens off falls in a period of days off: the yearly
//     notice adds 调休 but cannot take a statutory holiday away (FACTS.md §6.4). Checked from 2014, the first
//     year of the 2013 text Statutory knows.
//
// A day of the week either side is checked against that year's own schedule when it is loaded
// (CheckAgainst).
func (y Year) Check() error {
	var l errs.List
	if y.Year < 2000 || y.Year > 2100 {
		l.Add(errs.Field("year", "err.calendar.year"))
	}
	if utf8.RuneCountInString(y.Notice) > MaxNotice {
		l.Add(errs.Field("notice", "err.too_long").With("max", strconv.Itoa(MaxNotice)))
	}
	off := map[Date]int{} // a day off -> its period
	for i, p := range y.Holidays {
		row := func(key string) *errs.Error {
			e := errs.Field(fmt.Sprintf("holidays[%d]", i), key)
			if p.Name != "" && utf8.RuneCountInString(p.Name) <= MaxHolidayName {
				e = e.With("name", p.Name)
			}
			return e
		}
		switch {
		case strings.TrimSpace(p.Name) == "":
			l.Add(row("err.calendar.name"))
		case utf8.RuneCountInString(p.Name) > MaxHolidayName:
			l.Add(row("err.calendar.name_long").With("max", strconv.Itoa(MaxHolidayName)))
		}
		if p.From.IsZero() || p.To.IsZero() {
			l.Add(row(map[bool]string{true: "err.calendar.from_missing", false: "err.calendar.to_missing"}[p.From.IsZero()]))
			continue
		}
		switch {
		case p.From.Y != y.Year && p.To.Y != y.Year, !y.nearYear(p.From), !y.nearYear(p.To):
			l.Add(row("err.calendar.outside"))
			continue
		case p.To.Before(p.From):
			l.Add(row("err.calendar.order"))
			continue
		case p.To.Sub(p.From) > 14:
			l.Add(row("err.calendar.too_long"))
			continue
		}
		for d := p.From; !d.After(p.To); d = d.AddDays(1) {
			if j, ok := off[d]; ok {
				l.Add(row("err.calendar.overlap").With("day", d.String()).With("n", strconv.Itoa(j+1)))
				break
			}
			off[d] = i
		}
	}
	on := map[Date]int{}
	for i, w := range y.Workdays {
		f := fmt.Sprintf("workdays[%d]", i)
		if w.IsZero() {
			l.Add(errs.Field(f, "err.calendar.date_missing"))
			continue
		}
		switch wd := w.Weekday(); {
		case !y.nearYear(w):
			l.Add(errs.Field(f, "err.calendar.workday_outside").With("day", w.String()))
		case wd != time.Saturday && wd != time.Sunday:
			l.Add(errs.Field(f, "err.calendar.workday_weekday").With("day", w.String()))
		}
		if j, ok := on[w]; ok {
			l.Add(errs.Field(f, "err.calendar.duplicate").With("day", w.String()).With("n", strconv.Itoa(j+1)))
		} else if _, ok := off[w]; ok {
			l.Add(errs.Field(f, "err.calendar.both").With("day", w.String()))
		}
		on[w] = i
	}
	if y.Year >= 2014 && y.Year <= 2100 {
		for _, p := range Statutory(y.Year).Holidays {
			if p.Name == makeUpName {
				continue // 第六条's make-up days: the notice may place them otherwise (调休)
			}
			for d := p.From; !d.After(p.To); d = d.AddDays(1) {
				if _, ok := off[d]; !ok && d.Y == y.Year {
					l.Add(errs.Field("holidays", "err.calendar.statutory").With("name", p.Name).With("day", d.String()))
					break
				}
			}
		}
	}
	return l.Err()
}

// edgeDays is how far outside its year a notice reaches: the days around its new year (2019's notice worked
// 2018-12-29 and gave 12-30 off; 2023's gave 2022-12-31 off), never more than a week.
const edgeDays = 7

// nearYear tells whether a day is in the schedule's year or within edgeDays of it.
func (y Year) nearYear(d Date) bool {
	first, last := Date{y.Year, time.January, 1}, Date{y.Year, time.December, 31}
	return !d.Before(first.AddDays(-edgeDays)) && !d.After(last.AddDays(edgeDays))
}

// CheckAgainst refuses a schedule that contradicts another year's loaded schedule on a day that other year
// holds: a notice arranges its own year and the days at its edges, and where both notices name a day they
// must agree (a day off in one is not a working day in the other). A schedule of the same year is the one
// being replaced and is not compared.
func CheckAgainst(y Year, loaded []Year) error {
	var l errs.List
	for _, o := range loaded {
		if o.Year == y.Year {
			continue
		}
		oOff, oOn := o.days()
		for i, p := range y.Holidays {
			for d := p.From; !d.After(p.To) && !p.From.IsZero(); d = d.AddDays(1) {
				if oOn[d] {
					l.Add(errs.Field(fmt.Sprintf("holidays[%d]", i), "err.calendar.conflict").With("day", d.String()).With("year", strconv.Itoa(o.Year)).With("name", p.Name))
					break
				}
			}
		}
		for i, w := range y.Workdays {
			if oOff[w] {
				l.Add(errs.Field(fmt.Sprintf("workdays[%d]", i), "err.calendar.conflict").With("day", w.String()).With("year", strconv.Itoa(o.Year)))
			}
		}
	}
	return l.Err()
}

// days are a schedule's days off and make-up working days.
func (y Year) days() (off, on map[Date]bool) {
	off, on = map[Date]bool{}, map[Date]bool{}
	for _, p := range y.Holidays {
		for d := p.From; !d.After(p.To) && !p.From.IsZero(); d = d.AddDays(1) {
			off[d] = true
		}
	}
	for _, w := range y.Workdays {
		on[w] = true
	}
	return off, on
}

// ReadYear reads and checks a year's schedule in the JSON form of calendars/*.json: one object, no more than
// MaxYearBytes, every name one the form has (a misspelt "workday" would otherwise load a year without its
// make-up days, silently).
func ReadYear(r io.Reader) (Year, error) {
	var y Year
	b, err := io.ReadAll(io.LimitReader(r, MaxYearBytes+1))
	if err != nil {
		return y, errs.Wrap(err, "calendar file")
	}
	if len(b) > MaxYearBytes {
		return y, errs.Field("file", "err.calendar.too_large").With("kib", strconv.Itoa(MaxYearBytes>>10))
	}
	dec := json.NewDecoder(bytes.NewReader(errs.TrimBOM(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&y); err != nil {
		e := errs.FromJSON(err, "file")
		if e.Key == "err.import.unknown_field" {
			e.Key = "err.calendar.unknown" // which names the fields the form has
		}
		return y, e
	}
	if _, err := dec.Token(); err != io.EOF {
		return y, errs.Field("file", "err.calendar.trailing")
	}
	if path, twice := errs.RepeatedKey(errs.TrimBOM(b)); twice {
		return y, errs.Field("file", "err.import.repeated_key").With("name", path)
	}
	return y, y.Check()
}

//go:embed calendars/*.json
var shipped embed.FS

// Shipped returns the schedules that come with Bianmin (2025 and 2026).
func Shipped() []Year {
	var out []Year
	files, _ := fs.Glob(shipped, "calendars/*.json")
	for _, f := range files {
		b, _ := fs.ReadFile(shipped, f)
		var y Year
		if err := json.Unmarshal(b, &y); err != nil {
			panic(fmt.Sprintf("clock: %s: %v", f, err))
		}
		out = append(out, y)
	}
	return out
}

// Calendar answers whether a day is worked. It is built from years' schedules and immutable after; a year
// without its official schedule is counted on the statutory holidays (Statutory), worked out the first time
// the year is asked for.
type Calendar struct {
	off, on map[Date]bool
	years   map[int]bool
	law     *sync.Map // year -> map[Date]bool: the statutory days off of a year without its schedule
}

// NewCalendar builds a calendar of the given years.
func NewCalendar(years ...Year) *Calendar {
	c := &Calendar{off: map[Date]bool{}, on: map[Date]bool{}, years: map[int]bool{}, law: &sync.Map{}}
	for _, y := range years {
		c.years[y.Year] = true
		for _, p := range y.Holidays {
			for d := p.From; !d.After(p.To); d = d.AddDays(1) {
				c.off[d] = true
			}
		}
		for _, w := range y.Workdays {
			c.on[w] = true
		}
	}
	return c
}

// Default is the calendar of the shipped years.
func Default() *Calendar { return NewCalendar(Shipped()...) }

// Covers reports whether the year's official schedule is loaded. Beyond it, days are counted on the statutory
// holidays alone (Statutory), and what is counted on them is provisional.
func (c *Calendar) Covers(year int) bool { return c.years[year] }

// Provisional reports whether a count over the days from..to (in either order) crosses a year without its
// official schedule: a due day found so is an estimate on the statutory holidays until that year's schedule
// is loaded.
func (c *Calendar) Provisional(from, to Date) bool {
	if to.Before(from) {
		from, to = to, from
	}
	for y := from.Y; y <= to.Y; y++ {
		if !c.years[y] {
			return true
		}
	}
	return false
}

// statutoryOff reports a statutory day off (or 第六条 make-up day) of a year without its official schedule.
func (c *Calendar) statutoryOff(d Date) bool {
	v, ok := c.law.Load(d.Y)
	if !ok {
		off := map[Date]bool{}
		for _, p := range Statutory(d.Y).Holidays {
			for x := p.From; !x.After(p.To); x = x.AddDays(1) {
				off[x] = true
			}
		}
		v, _ = c.law.LoadOrStore(d.Y, off)
	}
	return v.(map[Date]bool)[d]
}

// Years lists the loaded years.
func (c *Calendar) Years() []int {
	var out []int
	for y := range c.years {
		out = append(out, y)
	}
	slices.Sort(out)
	return out
}

// IsWorkingDay reports whether d is worked: Monday to Friday unless a holiday, plus the make-up weekend days.
// In a year without its official schedule the holidays are the statutory ones (Statutory).
func (c *Calendar) IsWorkingDay(d Date) bool {
	if c.on[d] {
		return true
	}
	if c.off[d] {
		return false
	}
	if !c.years[d.Y] && c.statutoryOff(d) {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// IsHoliday reports a day off of the official schedule (or, for a year without it, a statutory one): a
// holiday, not a plain weekend. A hall's weekend service stays closed on it (internal/hours).
func (c *Calendar) IsHoliday(d Date) bool {
	if c.on[d] {
		return false
	}
	if c.off[d] {
		return true
	}
	return !c.years[d.Y] && c.statutoryOff(d)
}

// NextWorkingDay is the first working day after d.
func (c *Calendar) NextWorkingDay(d Date) Date {
	for {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			return d
		}
	}
}

// PrevWorkingDay is the last working day before d.
func (c *Calendar) PrevWorkingDay(d Date) Date {
	for {
		d = d.AddDays(-1)
		if c.IsWorkingDay(d) {
			return d
		}
	}
}

// AddWorkingDays returns the day that is n working days after d: counting starts the day after d, and the
// result is a working day (for n = 0, d itself).
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	for ; n > 0; n-- {
		d = c.NextWorkingDay(d)
	}
	return d
}

// WorkingDaysBetween counts the working days after from, up to and including to (0 when to is not after
// from).
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// WorkingDaysIn counts the working days of a period, both ends included.
func (c *Calendar) WorkingDaysIn(from, to Date) int {
	return c.WorkingDaysBetween(from.AddDays(-1), to)
}
