// Package hours holds the opening hours of a service center or station: a weekly pattern, the working-day
// calendar's holidays and make-up days (调休), and exceptions for single days (延时服务 evenings, weekend
// service, a closed day). Tickets, appointment slots and the portal's township page all ask it whether a hall
// is open, so that the rule is written once.
package hours

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Span is an opening from one minute of the day to another (To not included), in the hall's local time.
type Span struct {
	From int `json:"from"` // minutes after midnight
	To   int `json:"to"`
}

func (s Span) String() string { return clockText(s.From) + "-" + clockText(s.To) }

// Contains reports whether minute m of the day falls in the span.
func (s Span) Contains(m int) bool { return m >= s.From && m < s.To }

func clockText(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// ExceptionKind says what an exception does to its day.
type ExceptionKind string

const (
	// Closed: the hall does not open that day (training, an emergency), whatever the pattern says.
	Closed ExceptionKind = "closed"
	// Extra: spans added to the day's usual hours, such as a 延时服务 evening.
	Extra ExceptionKind = "extra"
	// Open: the day opens with these spans alone, such as weekend or holiday service (预约/错时服务).
	Open ExceptionKind = "open"
)

// ExceptionKinds in the order forms list them.
var ExceptionKinds = []ExceptionKind{Extra, Open, Closed}

// Exception changes one day.
type Exception struct {
	Day   clock.Date    `json:"day"`
	Kind  ExceptionKind `json:"kind"`
	Spans []Span        `json:"spans,omitempty"`
	Note  string        `json:"note,omitempty"`
}

// Hours are a hall's opening hours and its appointment settings.
type Hours struct {
	// Week holds the spans of each weekday, indexed by time.Weekday (Sunday first).
	Week       [7][]Span   `json:"week"`
	Exceptions []Exception `json:"exceptions,omitempty"`
	// SlotMinutes is the length of an appointment slot; Capacity the appointments a slot takes per category.
	SlotMinutes int `json:"slot_minutes"`
	Capacity    int `json:"capacity"`
}

// Default is what a hall keeps until its director sets its own: Monday to Friday, 08:30-12:00 and
// 14:30-17:30, Saturdays and Sundays closed (国务院关于职工工作时间的规定 第七条: 国家机关、事业单位实行统一的
// 工作时间，星期六和星期日为周休息日), appointment slots of 30 minutes taking 2 people per category.
func Default() Hours {
	var h Hours
	for d := time.Monday; d <= time.Friday; d++ {
		h.Week[d] = []Span{{8*60 + 30, 12 * 60}, {14*60 + 30, 17*60 + 30}}
	}
	h.SlotMinutes, h.Capacity = 30, 2
	return h
}

// workday is the pattern a 调休 weekend worked by the yearly notice follows: that of the first weekday
// with hours (the notice makes it a working day like any other; which weekday's hours it keeps is not said,
// and Monday's is the usual answer).
func (h Hours) workday() []Span {
	for d := time.Monday; d <= time.Friday; d++ {
		if len(h.Week[d]) > 0 {
			return h.Week[d]
		}
	}
	return nil
}

// On is the day's opening spans, in order:
//   - an exception of the day decides first: closed, open with its own spans, or the usual spans and its extra ones;
//   - a holiday of the official calendar is closed (国务院办公厅年度节假日安排通知; 全国年节及纪念日放假办法);
//   - a weekend day the yearly notice makes a working day (调休上班) opens with a working day's hours;
//   - any other day opens as its weekday's pattern says (weekend service is a pattern on Saturday or Sunday).
func (h Hours) On(d clock.Date, cal *clock.Calendar) []Span {
	var extra []Span
	for _, e := range h.Exceptions {
		if e.Day != d {
			continue
		}
		switch e.Kind {
		case Closed:
			return nil
		case Open:
			return sorted(e.Spans)
		case Extra:
			extra = append(extra, e.Spans...)
		}
	}
	var base []Span
	wd := d.Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case cal.IsHoliday(d):
	case weekend && cal.IsWorkingDay(d):
		base = h.workday()
	default:
		base = h.Week[wd]
	}
	if len(base) == 0 && len(extra) == 0 {
		return nil
	}
	return sorted(append(slices.Clone(base), extra...))
}

func sorted(s []Span) []Span {
	out := slices.Clone(s)
	slices.SortFunc(out, func(a, b Span) int { return a.From - b.From })
	return out
}

// OpenAt reports whether the hall is open at t (read on the hall's clock, loc).
func (h Hours) OpenAt(t time.Time, loc *time.Location, cal *clock.Calendar) bool {
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	for _, s := range h.On(clock.DateOf(t), cal) {
		if s.Contains(m) {
			return true
		}
	}
	return false
}

// Opening is the first minute the hall opens on d, and whether it opens at all: the day's ticket numbers
// start again from 1 at this moment.
func (h Hours) Opening(d clock.Date, cal *clock.Calendar) (int, bool) {
	s := h.On(d, cal)
	if len(s) == 0 {
		return 0, false
	}
	return s[0].From, true
}

// Closing is the last minute of the day's hours (the end of its last span), and whether it opens at all.
func (h Hours) Closing(d clock.Date, cal *clock.Calendar) (int, bool) {
	s := h.On(d, cal)
	if len(s) == 0 {
		return 0, false
	}
	return s[len(s)-1].To, true
}

// Limits on what a director may set.
const (
	MaxExceptions = 400 // about a year of exceptions
	MaxNote       = 200 // characters
	MaxSpans      = 6   // spans of one day
)

// Validate checks the pattern, the exceptions and the appointment settings; each error names its field
// (week.1 for Monday, exceptions[3].spans ...).
func (h Hours) Validate() error {
	var l errs.List
	for d, spans := range h.Week {
		l.Add(checkSpans("week_"+strconv.Itoa(d), spans))
	}
	if len(h.Exceptions) > MaxExceptions {
		l.Add(errs.Field("exceptions", "err.too_many").With("max", strconv.Itoa(MaxExceptions)))
	}
	seen := map[clock.Date]bool{}
	for i, e := range h.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		if e.Day.IsZero() {
			l.Add(errs.Field(f+".day", "err.required"))
		} else if seen[e.Day] {
			l.Add(errs.Field(f+".day", "err.hours.duplicate_day"))
		}
		seen[e.Day] = true
		switch e.Kind {
		case Closed:
			if len(e.Spans) > 0 {
				l.Add(errs.Field(f+".spans", "err.hours.closed_spans"))
			}
		case Extra, Open:
			if len(e.Spans) == 0 {
				l.Add(errs.Field(f+".spans", "err.required"))
			}
			l.Add(checkSpans(f+".spans", e.Spans))
		default:
			l.Add(errs.Field(f+".kind", "err.hours.kind"))
		}
		if utf8.RuneCountInString(e.Note) > MaxNote {
			l.Add(errs.Field(f+".note", "err.too_long").With("max", strconv.Itoa(MaxNote)))
		}
	}
	if h.SlotMinutes < 10 || h.SlotMinutes > 120 {
		l.Add(errs.Field("slot_minutes", "err.hours.slot_minutes"))
	}
	if h.Capacity < 1 || h.Capacity > 50 {
		l.Add(errs.Field("capacity", "err.hours.capacity"))
	}
	return l.Err()
}

func checkSpans(field string, spans []Span) *errs.Error {
	if len(spans) > MaxSpans {
		return errs.Field(field, "err.too_many").With("max", strconv.Itoa(MaxSpans))
	}
	s := sorted(spans)
	for i, x := range s {
		if x.From < 0 || x.To > 24*60 || x.From >= x.To {
			return errs.Field(field, "err.hours.span")
		}
		if i > 0 && x.From < s[i-1].To {
			return errs.Field(field, "err.hours.overlap")
		}
	}
	return nil
}

// ParseSpans reads "08:30-12:00, 14:30-17:30" (commas, semicolons, spaces or the Chinese comma between
// spans; full-width colons and dashes too). An empty text is no spans: closed.
func ParseSpans(field, text string) ([]Span, error) {
	text = strings.NewReplacer("：", ":", "－", "-", "—", "-", "–", "-", "～", "-", "~", "-", "，", ",", "、", ",", ";", ",", "；", ",").Replace(text)
	var out []Span
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' }) {
		from, to, ok := strings.Cut(part, "-")
		a, errA := minuteOf(from)
		b, errB := minuteOf(to)
		if !ok || errA != nil || errB != nil {
			return nil, errs.Field(field, "err.hours.format")
		}
		out = append(out, Span{a, b})
	}
	if err := checkSpans(field, out); err != nil {
		return nil, err
	}
	return sorted(out), nil
}

func minuteOf(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("not a time of day: %q", s)
	}
	return hh*60 + mm, nil
}

// SpansText writes spans as ParseSpans reads them.
func SpansText(spans []Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// Slot is an appointment slot: a stretch of opening time of SlotMinutes that ends inside a span.
type Slot struct {
	Start, End int // minutes after midnight
}

func (s Slot) String() string { return clockText(s.Start) + "-" + clockText(s.End) }

// Label is the slot's start as HH:MM, the key appointments keep.
func (s Slot) Label() string { return clockText(s.Start) }

// Slots are the day's appointment slots: each span cut into SlotMinutes from its start, a shorter rest
// left out (no one is booked into time the hall does not have). A holiday or closed day has none.
func (h Hours) Slots(d clock.Date, cal *clock.Calendar) []Slot {
	if h.SlotMinutes <= 0 {
		return nil
	}
	var out []Slot
	for _, sp := range h.On(d, cal) {
		for m := sp.From; m+h.SlotMinutes <= sp.To; m += h.SlotMinutes {
			out = append(out, Slot{m, m + h.SlotMinutes})
		}
	}
	return out
}

// SlotAt finds the slot of the day that starts at label (HH:MM).
func (h Hours) SlotAt(d clock.Date, cal *clock.Calendar, label string) (Slot, bool) {
	for _, s := range h.Slots(d, cal) {
		if s.Label() == label {
			return s, true
		}
	}
	return Slot{}, false
}

// MinuteOf is the minute of the day of t on the hall's clock.
func MinuteOf(t time.Time, loc *time.Location) int {
	t = t.In(loc)
	return t.Hour()*60 + t.Minute()
}
