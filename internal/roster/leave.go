package roster

import (
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Leave (请销假备案, 三.(一).5): a request names its days and who covers; the director approves it; the return
// is recorded. An approved leave takes its person off the roster for those days and seats the substitute.
type Leave struct {
	ID         string
	Staff      string
	StaffName  string
	Center     string // the service center whose roster it touches
	From, To   clock.Date
	Substitute string // 替岗 (front) or 补位 (back) for every rostered half-day of the leave; "" when none is rostered
	SubName    string
	Reason     string
	State      LeaveState
	Requested  time.Time
	DecidedBy  string
	DeciderNm  string
	Decided    time.Time
	Note       string // the director's reason for a refusal
	ReturnedOn clock.Date
	Version    int
}

// LeaveState is where a leave stands.
type LeaveState string

const (
	Requested LeaveState = "requested"
	Approved  LeaveState = "approved"
	Rejected  LeaveState = "rejected"
	Returned  LeaveState = "returned" // 销假: back at work; the days after the return are not on leave
)

// Limits of a leave (Bianmin's choices: the seed fixes none; longer absences are a personnel matter, not
// the hall's roster).
const (
	MaxLeaveDays = 60  // natural days of one request
	MaxReason    = 500 // characters
)

// On reports whether the leave keeps its person away on day d: approved and within its days, and not after
// a recorded return.
func (l Leave) On(d clock.Date) bool {
	if l.State != Approved && l.State != Returned {
		return false
	}
	if d.Before(l.From) || d.After(l.To) {
		return false
	}
	return l.State == Approved || d.Before(l.ReturnedOn)
}

// LeaveInput is a request as typed.
type LeaveInput struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Substitute string `json:"substitute"`
	Reason     string `json:"reason"`
}

// Check reads a request made on today: real dates, not before today, the last not before the first, at
// most MaxLeaveDays, a reason within its limit, a substitute other than oneself. Every field in error is
// named.
func (in LeaveInput) Check(staff string, today clock.Date) (Leave, error) {
	var l errs.List
	lv := Leave{Staff: staff, Substitute: in.Substitute, Reason: trim(in.Reason), State: Requested}
	from, err := clock.ParseDate(in.From)
	switch {
	case in.From == "":
		l.Add(errs.Field("leave_from", "err.required"))
	case err != nil:
		l.Add(errs.Field("leave_from", "err.find.date"))
	case from.Before(today):
		l.Add(errs.Field("leave_from", "err.people.leave_past"))
	}
	to, err2 := clock.ParseDate(in.To)
	switch {
	case in.To == "":
		l.Add(errs.Field("leave_to", "err.required"))
	case err2 != nil:
		l.Add(errs.Field("leave_to", "err.find.date"))
	case err == nil && to.Before(from):
		l.Add(errs.Field("leave_to", "err.calendar.order"))
	case err == nil && to.Sub(from)+1 > MaxLeaveDays:
		l.Add(errs.Field("leave_to", "err.people.leave_long").With("max", strconv.Itoa(MaxLeaveDays)))
	}
	if lv.Reason == "" {
		l.Add(errs.Field("leave_reason", "err.required"))
	} else if utf8.RuneCountInString(lv.Reason) > MaxReason {
		l.Add(errs.Field("leave_reason", "err.too_long").With("max", strconv.Itoa(MaxReason)))
	}
	if in.Substitute != "" && in.Substitute == staff {
		l.Add(errs.Field("substitute", "err.people.sub_self"))
	}
	lv.From, lv.To = from, to
	return lv, l.Err()
}

// Need is what a leave needs covered: the absent person's rostered half-days within its days.
func (l Leave) Need(entries []Entry) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Staff == l.Staff && !e.Day.Before(l.From) && !e.Day.After(l.To) {
			out = append(out, e)
		}
	}
	return out
}

// CheckCover is the rule of 三.(一).5 ("窗口不空岗、后台不空位"): every half-day the person on leave is
// rostered within its days must be taken by the substitute, who covers them at that seat (Covers), is not
// on leave that day (other holds the approved leaves), and is not rostered at another seat that half-day.
// A leave on days without a rostered half-day needs no substitute. The first half-day that would be empty
// is named; it is checked at the request and again at the approval, for the roster may have changed. split is
// the township's back-office setting (Covers).
func CheckCover(l Leave, entries []Entry, seats map[string]Seat, people map[string]Person, other []Leave, split bool) error {
	need := l.Need(entries)
	if len(need) == 0 {
		return nil
	}
	if l.Substitute == "" {
		e := need[0]
		return errs.Field("substitute", "err.people.sub_required").With("day", e.Day.String()).With("seat", seats[e.Seat].NameZh)
	}
	sub, ok := people[l.Substitute]
	if !ok {
		return errs.Field("substitute", "err.not_found").With("what", "staff")
	}
	absent := people[l.Staff]
	busy := map[Slot]string{}
	for _, e := range entries {
		if e.Staff == sub.ID {
			busy[Slot{e.Day, e.Half}] = e.Seat
		}
	}
	for _, e := range need {
		seat := seats[e.Seat]
		switch {
		case !Covers(sub, absent, seat, split):
			return errs.Field("substitute", "err.people.sub_unqualified").With("name", sub.Name).With("seat", seat.NameZh)
		case onLeave(other, sub.ID, e.Day):
			return errs.Field("substitute", "err.people.sub_on_leave").With("name", sub.Name).With("day", e.Day.String())
		}
		if at, taken := busy[Slot{e.Day, e.Half}]; taken && at != e.Seat {
			return errs.Field("substitute", "err.people.sub_busy").With("name", sub.Name).With("day", e.Day.String()).With("seat", seats[at].NameZh)
		}
	}
	return nil
}

func onLeave(list []Leave, staff string, d clock.Date) bool {
	for _, l := range list {
		if l.Staff == staff && l.On(d) {
			return true
		}
	}
	return false
}
