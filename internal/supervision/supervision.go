// Package supervision is e-supervision (电子监察) in figures: how many cases came in, were accepted and
// completed, how many on time and in how many working days, by township, department, window, person, item
// and channel, and which cases carry a yellow or red card now (seed 四.(二); FACTS.md §3). The figures of a
// day are a tally of its cases (Tally); a period adds up its days (Add). The monthly public report (通报) is
// made from the same figures.
package supervision

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
)

// Dim is what the figures are broken down by.
type Dim string

const (
	Township   Dim = "township"   // the handling township (办理地)
	Department Dim = "department" // the item's banner department
	Window     Dim = "window"     // where the case was received: a township's general window or a village station
	Person     Dim = "person"     // the member of staff who received it
	Item       Dim = "item"
	Channel    Dim = "channel" // window, station, online
)

// Dims lists the dimensions in the order the dashboard offers them.
var Dims = []Dim{Township, Department, Window, Person, Item, Channel}

// ParseDim reads a dimension, defaulting to townships.
func ParseDim(s string) Dim {
	if slices.Contains(Dims, Dim(s)) {
		return Dim(s)
	}
	return Township
}

// Fact is what the figures need of one case.
type Fact struct {
	Handling, ReceivingTownship, Receiving, ReceivedBy, Department, Item string
	Channel                                                              cases.Channel
	ReceivedOn, AcceptedOn, DecidedOn                                    int // yyyymmdd, 0 until it happens
	Corrected, Instant, OnTime                                           bool
	DaysUsed                                                             int
	// the days the window answered after its intake clock and the result was delivered after its issue
	// clock (0: in time; 行政许可法 第32条, 第44条)
	LateIntakeOn, LateIssueOn int
	Recorrections             int // correction notices after the first (二次补正)
}

// Place is the township a fact counts under for a dimension (what a director of that township sees) and
// its value there. Windows and people belong to the receiving township; the rest to the handling one.
func (f Fact) Place(d Dim) (township, value string) {
	switch d {
	case Department:
		return f.Handling, f.Department
	case Window:
		return f.ReceivingTownship, f.Receiving
	case Person:
		return f.ReceivingTownship, f.ReceivedBy
	case Item:
		return f.Handling, f.Item
	case Channel:
		return f.Handling, string(f.Channel)
	}
	return f.Handling, f.Handling
}

// Counts are the figures of a value over some days.
type Counts struct {
	Received  int `json:"received"`
	Accepted  int `json:"accepted"`
	FirstTime int `json:"first_time"` // accepted without a correction notice first
	Online    int `json:"online"`     // received online
	Proxy     int `json:"proxy"`      // received by a village station for a resident (代办)
	Instant   int `json:"instant"`    // accepted, for an item decided at once (即办)
	Completed int `json:"completed"`  // decided (办结)
	OnTime    int `json:"on_time"`    // decided by the due day
	DaysSum   int `json:"days_sum"`   // working days from acceptance to decision, summed over Completed
	// Recorrected counts the correction notices after the first (二次补正: 行政许可法 第32条 wants one notice
	// of everything), on the day the case was accepted.
	Recorrected int `json:"recorrected"`
	// Spread counts the completed cases by working days used.
	Spread map[int]int `json:"spread,omitempty"`
	// LateIntake: the window answered (notice, acceptance, refusal) after its five working days (第32条);
	// LateIssue: the result was delivered after its ten working days (第44条).
	LateIntake int `json:"late_intake"`
	LateIssue  int `json:"late_issue"`
}

// Add adds other figures to these.
func (c *Counts) Add(o Counts) {
	c.Received += o.Received
	c.Accepted += o.Accepted
	c.FirstTime += o.FirstTime
	c.Online += o.Online
	c.Proxy += o.Proxy
	c.Instant += o.Instant
	c.Completed += o.Completed
	c.OnTime += o.OnTime
	c.DaysSum += o.DaysSum
	c.LateIntake += o.LateIntake
	c.LateIssue += o.LateIssue
	c.Recorrected += o.Recorrected
	for d, n := range o.Spread {
		if c.Spread == nil {
			c.Spread = map[int]int{}
		}
		c.Spread[d] += n
	}
}

// Row is one day's figures of one value of a dimension.
type Row struct {
	Dim      Dim
	Day      int
	Township string
	Value    string
	Counts
}

type rowKey struct {
	dim             Dim
	township, value string
}

// Tally makes a day's rows from the facts of the cases that were received, accepted or decided on it.
// Facts of other days are ignored, so a caller may pass more than the day's.
func Tally(day int, facts []Fact) []Row {
	rows := map[rowKey]*Row{}
	for _, f := range facts {
		if f.ReceivedOn != day && f.AcceptedOn != day && f.DecidedOn != day && f.LateIntakeOn != day && f.LateIssueOn != day {
			continue
		}
		for _, d := range Dims {
			t, v := f.Place(d)
			k := rowKey{d, t, v}
			r := rows[k]
			if r == nil {
				r = &Row{Dim: d, Day: day, Township: t, Value: v}
				rows[k] = r
			}
			r.Counts.Add(f.countsOn(day))
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Dim != b.Dim {
			return a.Dim < b.Dim
		}
		if a.Township != b.Township {
			return a.Township < b.Township
		}
		return a.Value < b.Value
	})
	return out
}

// countsOn is what one case adds to a day.
func (f Fact) countsOn(day int) Counts {
	var c Counts
	if f.ReceivedOn == day {
		c.Received = 1
		c.Online = b2i(f.Channel == cases.Online)
		c.Proxy = b2i(f.Channel == cases.ByStation)
	}
	if f.AcceptedOn == day {
		c.Accepted = 1
		c.FirstTime = b2i(!f.Corrected)
		c.Instant = b2i(f.Instant)
		c.Recorrected = f.Recorrections
	}
	if f.DecidedOn == day && f.DaysUsed >= 0 {
		c.Completed = 1
		c.OnTime = b2i(f.OnTime)
		c.DaysSum = f.DaysUsed
		c.Spread = map[int]int{f.DaysUsed: 1}
	}
	c.LateIntake = b2i(f.LateIntakeOn == day)
	c.LateIssue = b2i(f.LateIssueOn == day)
	return c
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Now is what stands open at this moment.
type Now struct {
	Open      int `json:"open"`      // accepted or suspended
	Overdue   int `json:"overdue"`   // red card
	Yellow    int `json:"yellow"`    // yellow card
	Suspended int `json:"suspended"` // clock standing
	// waiting at the window with the intake clock (第32条), and those past it (逾期视为受理); decided and
	// waiting for issue and delivery (第44条), and those past it
	IntakeOpen    int `json:"intake_open"`
	IntakeOverdue int `json:"intake_overdue"`
	IssueOpen     int `json:"issue_open"`
	IssueOverdue  int `json:"issue_overdue"`
}

// Line is one value's figures over a period, with what stands open now.
type Line struct {
	Value string `json:"value"`
	Counts
	Now
}

// Rates, as shares of 1 (NaN-free: 0 when nothing to divide).
func (l Line) OnTimeRate() float64    { return share(l.OnTime, l.Completed) }
func (l Line) FirstTimeRate() float64 { return share(l.FirstTime, l.Accepted) }
func (l Line) OnlineRate() float64    { return share(l.Online, l.Received) }
func (l Line) ProxyShare() float64    { return share(l.Proxy, l.Received) }
func (l Line) InstantRate() float64   { return share(l.Instant, l.Accepted) }

// AvgDays is the mean working days from acceptance to decision.
func (l Line) AvgDays() float64 { return share(l.DaysSum, l.Completed) }

// P90Days is the working days within which nine completed cases in ten were decided (nearest rank).
func (l Line) P90Days() int {
	if l.Completed == 0 {
		return 0
	}
	days := make([]int, 0, len(l.Spread))
	for d := range l.Spread {
		days = append(days, d)
	}
	slices.Sort(days)
	rank := (l.Completed*9 + 9) / 10 // ceil(0.9 n)
	seen := 0
	for _, d := range days {
		seen += l.Spread[d]
		if seen >= rank {
			return d
		}
	}
	return days[len(days)-1]
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Sum adds lines into a total.
func Sum(lines []Line) Line {
	var t Line
	for _, l := range lines {
		t.Counts.Add(l.Counts)
		t.Open += l.Open
		t.Overdue += l.Overdue
		t.Yellow += l.Yellow
		t.Suspended += l.Suspended
		t.IntakeOpen += l.IntakeOpen
		t.IntakeOverdue += l.IntakeOverdue
		t.IssueOpen += l.IssueOpen
		t.IssueOverdue += l.IssueOverdue
	}
	return t
}

// Period is a span of days, both ends included.
type Period struct{ From, To clock.Date }

// Month is a calendar month.
type Month struct {
	Y int
	M time.Month
}

// MonthOf is the month of a day.
func MonthOf(d clock.Date) Month { return Month{d.Y, d.M} }

// ParseMonth reads 2026-10.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, err
	}
	return Month{t.Year(), t.Month()}, nil
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Y, int(m.M)) }

// Prev is the month before.
func (m Month) Prev() Month {
	if m.M == time.January {
		return Month{m.Y - 1, time.December}
	}
	return Month{m.Y, m.M - 1}
}

// Period is the month's days.
func (m Month) Period() Period {
	first := clock.Date{Y: m.Y, M: m.M, D: 1}
	next := Month{m.Y, m.M + 1}
	if m.M == time.December {
		next = Month{m.Y + 1, time.January}
	}
	return Period{first, clock.Date{Y: next.Y, M: next.M, D: 1}.AddDays(-1)}
}

// EncodeSpread writes a spread as "days:count" pairs in order of days ("2:5 3:12"), the form it is stored in.
func EncodeSpread(s map[int]int) string {
	days := make([]int, 0, len(s))
	for d := range s {
		days = append(days, d)
	}
	slices.Sort(days)
	var b []byte
	for i, d := range days {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(s[d]), 10)
	}
	return string(b)
}

// AddSpread adds an encoded spread into s (made when nil) and returns it.
func AddSpread(s map[int]int, enc string) map[int]int {
	for _, pair := range strings.Fields(enc) {
		d, n, ok := strings.Cut(pair, ":")
		if !ok {
			continue
		}
		dv, err1 := strconv.Atoi(d)
		nv, err2 := strconv.Atoi(n)
		if err1 != nil || err2 != nil {
			continue
		}
		if s == nil {
			s = map[int]int{}
		}
		s[dv] += nv
	}
	return s
}

// AddUp adds rows of the same dimension, township and value together, into rows dated at (a month's
// figures from its days).
func AddUp(rows []Row, at int) []Row {
	idx := map[rowKey]int{}
	var out []Row
	for _, r := range rows {
		k := rowKey{r.Dim, r.Township, r.Value}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Row{Dim: r.Dim, Day: at, Township: r.Township, Value: r.Value})
		}
		out[i].Counts.Add(r.Counts)
	}
	return out
}
