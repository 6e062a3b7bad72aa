// Package roster holds the rules of the people of the hall (issue 11): who sits at which window and
// back-office seat on which half-day (排班), leave and who covers it (请销假, 替岗 and 补位), what the hall
// looks like now (coverage: who is there, who covers, which seat is empty), attendance (考勤), and recusal
// (回避). The seed asks for all of it in one sentence (三.(一).5): "窗口不空岗、后台不空位 ... 前台窗口人员请假
// 须安排替岗人员，后台人员请假须安排补位人员 ... 建立考勤和请销假备案制度", and for the supervising office to
// watch it (三.(四): "严格执行效能监察制度，进行不间断、不定期督导检查"). It imports neither database/sql nor
// net/http: the store keeps what is decided here, the service asks.
package roster

import (
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hours"
	"bianmin/internal/org"
)

// Half is a half-day of the roster: the morning or the afternoon opening.
type Half string

const (
	AM Half = "am"
	PM Half = "pm"
)

// Halves in the order of the day.
var Halves = []Half{AM, PM}

// Valid reports whether h is a half-day.
func (h Half) Valid() bool { return h == AM || h == PM }

// Noon divides the day: a span that begins before it is the morning's (12:00; a 延时服务 evening belongs to
// the afternoon's people).
const Noon = 12 * 60

// HalfAt is the half-day of minute m of the day.
func HalfAt(m int) Half {
	if m < Noon {
		return AM
	}
	return PM
}

// SpansOf are the day's opening spans that belong to the half-day.
func SpansOf(day []hours.Span, h Half) []hours.Span {
	var out []hours.Span
	for _, s := range day {
		if HalfAt(s.From) == h {
			out = append(out, s)
		}
	}
	return out
}

// Seat is a window (front desk) or a back-office seat of a center: an organisation of kind window.
type Seat struct {
	ID, NameZh, NameMn string
	Desk               org.Desk
	General            bool
}

// StationDesk is the one seat of a village station (便民服务站): the station itself, kept by the village's
// agents (代办员); it has no windows, so its roster names who keeps it on each half-day.
const StationDesk org.Desk = "station"

// SeatOf makes a seat of a window organisation, or the one seat of a station.
func SeatOf(o org.Org) Seat {
	if o.Kind == org.Station {
		return Seat{ID: o.ID, NameZh: o.NameZh, NameMn: o.NameMn, Desk: StationDesk}
	}
	return Seat{ID: o.ID, NameZh: o.NameZh, NameMn: o.NameMn, Desk: o.Desk, General: o.General}
}

// Name is the seat's name in a language.
func (s Seat) Name(lang string) string {
	if lang == "mn" && s.NameMn != "" {
		return s.NameMn
	}
	return s.NameZh
}

// Person is what the rules need of a member of staff: their role, whether the account is active, the
// windows and seats they are qualified for, and the item domains they handle (一人负责一块; none: 一人通办).
type Person struct {
	ID, Name string
	Role     access.Role
	Active   bool
	Seats    []string
	Domains  []string
}

// frontRoles and backRoles are who may sit at each side of the hall (受办分离).
func frontRole(r access.Role) bool { return r == access.Clerk || r == access.Director }
func backRole(r access.Role) bool  { return r == access.Reviewer || r == access.Director }

// Qualified reports whether p may sit at seat s: an active account of the side's role with the seat among
// those they are qualified for; at a station, an active agent (the station's people are its village's, and
// every agent of the village may keep its station).
func Qualified(p Person, s Seat) bool {
	if !p.Active {
		return false
	}
	if s.Desk == StationDesk {
		return p.Role == access.Agent
	}
	if s.Desk == org.FrontDesk && !frontRole(p.Role) || s.Desk == org.BackOffice && !backRole(p.Role) {
		return false
	}
	return slices.Contains(p.Seats, s.ID)
}

// Covers reports whether sub may take absent's place at seat s (三.(一).5): at the front desk (and a
// station) a substitute (替岗) qualified for the seat; in the back office a backup (补位) qualified for the seat
// who, in a township that splits its back office by domain (split), handles every item domain the absent
// handles (HandlesAll: the rule that decides who may take a case, domains.go). In a township that keeps 一人通办
// every reviewer handles every item, so any qualified one backs up.
func Covers(sub, absent Person, s Seat, split bool) bool {
	if sub.ID == absent.ID || !Qualified(sub, s) {
		return false
	}
	return s.Desk != org.BackOffice || !split || HandlesAll(sub.Domains, absent.Domains)
}

// Entry is one line of the roster: a person at a seat on a half-day.
type Entry struct {
	Day   clock.Date
	Half  Half
	Seat  string
	Staff string
}

// Slot is a half-day.
type Slot struct {
	Day  clock.Date
	Half Half
}

func (s Slot) String() string { return s.Day.String() + " " + string(s.Half) }

// CheckEntries refuses a roster that puts anyone where they may not sit, or one person at two seats of the
// same half-day. Each fault names its line (entries[i]).
func CheckEntries(entries []Entry, seats map[string]Seat, people map[string]Person) error {
	var l errs.List
	taken := map[string]string{} // staff+slot -> seat
	for i, e := range entries {
		field := "entries[" + strconv.Itoa(i) + "]"
		s, ok := seats[e.Seat]
		p, okp := people[e.Staff]
		switch {
		case !e.Half.Valid() || e.Day.IsZero():
			l.Add(errs.Field(field, "err.people.roster_slot"))
		case !ok:
			l.Add(errs.Field(field, "err.not_found").With("what", "org"))
		case !okp:
			l.Add(errs.Field(field, "err.not_found").With("what", "staff"))
		case !Qualified(p, s):
			l.Add(errs.Field(field, "err.people.not_qualified").With("name", p.Name).With("seat", s.NameZh))
		default:
			k := e.Staff + " " + e.Day.String() + string(e.Half)
			if other, dup := taken[k]; dup && other != e.Seat {
				l.Add(errs.Field(field, "err.people.double_booked").With("name", p.Name).With("day", e.Day.String()))
			}
			taken[k] = e.Seat
		}
	}
	return l.Err()
}

// CopyWeek is the week from's roster moved to the week starting at to (轮岗 is then the director's edit of
// the copy; the old weeks stay as they were: the rotation's history).
func CopyWeek(from []Entry, fromMonday, toMonday clock.Date) []Entry {
	shift := toMonday.Sub(fromMonday)
	out := make([]Entry, 0, len(from))
	for _, e := range from {
		if e.Day.Before(fromMonday) || !e.Day.Before(fromMonday.AddDays(7)) {
			continue
		}
		e.Day = e.Day.AddDays(shift)
		out = append(out, e)
	}
	return out
}

// Monday is the Monday of d's week.
func Monday(d clock.Date) clock.Date {
	wd := int(d.Weekday())
	if wd == 0 {
		wd = 7
	}
	return d.AddDays(1 - wd)
}

// trim is a text as kept: spaces at the ends removed.
func trim(s string) string { return strings.TrimSpace(s) }
