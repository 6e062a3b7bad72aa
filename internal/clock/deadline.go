package clock

import (
	"slices"
	"time"
)

// Unit of a limit, as the catalog gives it.
type Unit string

const (
	WorkingDays Unit = "working_days"
	NaturalDays Unit = "natural_days"
	Instant     Unit = "instant"
)

// Rules are the local settings of the clock.
type Rules struct {
	// CountFromNextDay starts counting on the day after acceptance (受理当日不计入), the common practice.
	CountFromNextDay bool
	// Cutoff is the time of day after which an instant item received is due the next working day.
	Cutoff time.Duration
	// Location is the zone of the hall's clock.
	Location *time.Location
	// YellowShare and YellowMin set the warning: yellow when the remaining working days are at most the larger
	// of YellowMin and YellowShare of the limit.
	YellowShare float64
	YellowMin   int
}

// DefaultRules: count from the day after acceptance, 17:30 cut-off, China Standard Time, yellow at the larger
// of one working day and 20% of the limit (FACTS.md §3: no national figure exists; configurable).
func DefaultRules() Rules {
	return Rules{CountFromNextDay: true, Cutoff: 17*time.Hour + 30*time.Minute, Location: time.FixedZone("CST", 8*3600),
		YellowShare: 0.2, YellowMin: 1}
}

// Suspension is a stretch of days during which the clock stands still: a correction asked for in the back
// office, or a special procedure (听证, 检验, 鉴定, 专家评审, 公示 ...). To is zero while it lasts.
type Suspension struct {
	Kind string
	From Date
	To   Date
}

// Clock computes deadlines on a calendar under rules.
type Clock struct {
	Cal   *Calendar
	Rules Rules
}

// New makes a clock.
func New(cal *Calendar, r Rules) Clock { return Clock{Cal: cal, Rules: r} }

// Due is the day by which something accepted at the given moment with the given limit must be finished,
// before suspensions and extensions.
//   - Instant: the same day when received on a working day before the cut-off, else the next working day.
//   - Working days: n working days counted from the day after acceptance (or from the acceptance day itself,
//     when the rules say so and it is a working day).
//   - Natural days: n days later; a last day that is not a working day moves to the next working day
//     (民法典 第203条).
func (c Clock) Due(accepted time.Time, u Unit, n int) Date {
	at := accepted.In(c.Rules.Location)
	day := DateOf(at)
	switch u {
	case Instant:
		since := time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute
		if c.Cal.IsWorkingDay(day) && since < c.Rules.Cutoff {
			return day
		}
		return c.Cal.NextWorkingDay(day)
	case NaturalDays:
		due := day.AddDays(n)
		if !c.Cal.IsWorkingDay(due) {
			due = c.Cal.NextWorkingDay(due)
		}
		return due
	}
	if n <= 0 && !c.Cal.IsWorkingDay(day) {
		return c.Cal.NextWorkingDay(day) // a due day is a working day, even for a limit of none
	}
	if !c.Rules.CountFromNextDay && c.Cal.IsWorkingDay(day) && n > 0 {
		return c.Cal.AddWorkingDays(day, n-1)
	}
	return c.Cal.AddWorkingDays(day, n)
}

// DueDay is a due day and whether it is provisional: counted over a year whose official schedule is not
// loaded, on the statutory holidays alone (Statutory), so that the year's notice may still move it.
type DueDay struct {
	Day         Date
	Provisional bool
}

// DueOn is Due with whether the day is provisional.
func (c Clock) DueOn(accepted time.Time, u Unit, n int) DueDay {
	due := c.Due(accepted, u, n)
	return DueDay{due, c.Provisional(accepted, due)}
}

// Provisional reports whether a due day counted from the given acceptance crossed a year without its official
// schedule (Calendar.Provisional): every day from acceptance to the due day was asked of the calendar.
func (c Clock) Provisional(accepted time.Time, due Date) bool {
	if accepted.IsZero() || due.IsZero() {
		return false
	}
	return c.Cal.Provisional(DateOf(accepted.In(c.Rules.Location)), due)
}

// Extension is the days approved beyond a limit and the unit they are counted in. The zero unit is working
// days: 行政许可法 第82条 counts the law's periods in working days, so an extension of a 行政许可 is in working
// days whatever the unit of the item's own limit; for other items the unit is the item's (catalog.Item
// ExtensionUnit).
type Extension struct {
	Days int
	Unit Unit
}

// Deadline is the due day after suspensions and extensions: the working days of every suspension are added
// back, and approved extension days are added (行政许可法 第42条, 第45条). A suspension still running counts
// up to today; suspensions that overlap (a special step's and a back-office one) count their days once.
//
// A suspension that began after the case was already overdue gives nothing back. For a limit in natural days
// the suspended days are natural days too, added before the last day is moved off a holiday. The extension
// is counted in its own unit (Extension): working days are added to the due day, natural days to the last
// day before it is moved off a holiday.
func (c Clock) Deadline(accepted time.Time, u Unit, n int, suspensions []Suspension, ext Extension, today Date) Date {
	suspensions = merged(suspensions, today)
	if u == NaturalDays {
		day := DateOf(accepted.In(c.Rules.Location))
		end := day.AddDays(n)
		switch {
		case ext.Unit == NaturalDays:
			end = end.AddDays(ext.Days)
		case ext.Days > 0:
			if !c.Cal.IsWorkingDay(end) {
				end = c.Cal.NextWorkingDay(end)
			}
			end = c.Cal.AddWorkingDays(end, ext.Days)
		}
		for _, s := range suspensions {
			if !s.From.After(end) && !s.To.Before(s.From) {
				end = end.AddDays(int(s.To.t().Sub(s.From.t()).Hours()/24) + 1)
			}
		}
		if !c.Cal.IsWorkingDay(end) {
			end = c.Cal.NextWorkingDay(end)
		}
		return end
	}
	due := c.Due(accepted, u, n)
	if ext.Unit == NaturalDays && ext.Days > 0 {
		due = due.AddDays(ext.Days)
		if !c.Cal.IsWorkingDay(due) {
			due = c.Cal.NextWorkingDay(due)
		}
	} else {
		due = c.Cal.AddWorkingDays(due, ext.Days)
	}
	for _, s := range suspensions {
		if s.From.After(due) || s.To.Before(s.From) {
			continue // suspended only once already overdue, or not a whole day
		}
		due = c.Cal.AddWorkingDays(due, c.Cal.WorkingDaysIn(s.From, s.To))
	}
	return due
}

// merged is the suspensions with a running one ended today, in order of their first day, overlapping
// ones joined: a day the clock stands for two reasons stands it once.
func merged(in []Suspension, today Date) []Suspension {
	out := make([]Suspension, 0, len(in))
	for _, s := range in {
		if s.To.IsZero() {
			s.To = today
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Suspension) int {
		switch {
		case a.From.Before(b.From):
			return -1
		case b.From.Before(a.From):
			return 1
		}
		return 0
	})
	j := 0
	for i, s := range out {
		if i > 0 && !s.To.Before(s.From) && !out[j-1].To.Before(out[j-1].From) && !s.From.After(out[j-1].To) {
			if s.To.After(out[j-1].To) {
				out[j-1].To = s.To
			}
			continue
		}
		out[j] = s
		j++
	}
	return out[:j]
}

// Card is the supervision signal of a case or step.
type Card string

const (
	Green  Card = "green"
	Yellow Card = "yellow" // 预警: little time left
	Red    Card = "red"    // 超期: overdue
)

// Remaining is the number of working days left after today until due (0 on the due day, negative when
// overdue).
func (c Clock) Remaining(today, due Date) int {
	if due.Before(today) {
		// overdue stays overdue through weekends and holidays
		return min(-1, -c.Cal.WorkingDaysBetween(due, today))
	}
	return c.Cal.WorkingDaysBetween(today, due)
}

// CardFor gives the card for a limit of n working days with remaining working days left.
func (c Clock) CardFor(n, remaining int) Card {
	if remaining < 0 {
		return Red
	}
	if remaining <= c.threshold(n) {
		return Yellow
	}
	return Green
}

func (c Clock) threshold(n int) int {
	return max(c.Rules.YellowMin, int(float64(n)*c.Rules.YellowShare+0.999999))
}

// YellowFrom is the first day on which a limit of n working days due on due shows yellow: the working day
// that lies as many working days before due as the threshold. With it and due, the card of any day is a
// comparison of dates (CardOn), which is what lets a sweep over a million cases run in the database.
func (c Clock) YellowFrom(n int, due Date) Date {
	d := due
	if !c.Cal.IsWorkingDay(d) {
		// a due day is a working day; this only guards a calendar changed under an old due day
		d = c.Cal.NextWorkingDay(d)
	}
	for range c.threshold(n) {
		d = c.Cal.PrevWorkingDay(d)
	}
	return d
}

// CardOn gives the card of a day from the due day and the first yellow day: the same as
// CardFor(n, Remaining(today, due)) for yellowFrom = YellowFrom(n, due).
func CardOn(today, yellowFrom, due Date) Card {
	switch {
	case due.Before(today):
		return Red
	case !today.Before(yellowFrom):
		return Yellow
	}
	return Green
}

// CardOnDays is CardOn for days in the yyyymmdd form they are stored in (which orders as the days do), given
// the first red day (the day after the due day) instead of the due day; 0 means no clock. A clock that stands
// (a suspended case) turns red when overdue and is otherwise held green.
func CardOnDays(today, yellowFrom, redFrom int, stands bool) Card {
	switch {
	case redFrom == 0:
		return ""
	case redFrom <= today:
		return Red
	case !stands && yellowFrom <= today:
		return Yellow
	}
	return Green
}

// Int is a day as the number yyyymmdd, the form stored beside a case for sweeps and reports.
func (d Date) Int() int {
	if d.IsZero() {
		return 0
	}
	return d.Y*10000 + int(d.M)*100 + d.D
}

// DateFromInt reads a yyyymmdd number (0 is the zero day).
func DateFromInt(n int) Date {
	if n == 0 {
		return Date{}
	}
	return Date{n / 10000, time.Month(n / 100 % 100), n % 100}
}
