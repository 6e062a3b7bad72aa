package roster

import (
	"time"

	"bianmin/internal/clock"
)

// Cover is how a seat stands now.
type Cover string

const (
	Present  Cover = "present"  // the rostered person has signed in
	Covered  Cover = "covered"  // on leave, and the substitute has signed in
	Expected Cover = "expected" // rostered, the half-day's opening not begun yet
	Absent   Cover = "absent"   // rostered, opening begun, not signed in, no leave: an absence without leave
	Empty    Cover = "empty"    // nobody rostered, or on leave and the substitute not there
	Closed   Cover = "closed"   // the hall is not open this half-day
)

// Alert reports whether the seat's state raises the alert to the director (三.(一).5: 窗口不空岗、后台不空位;
// 三.(四): the supervising office watches without pause).
func (c Cover) Alert() bool { return c == Absent || c == Empty }

// SeatNow is a seat on the coverage page.
type SeatNow struct {
	Seat     Seat
	Rostered string // the rostered person ("" when nobody)
	Sitting  string // who is there or expected: the rostered person, or their substitute
	Leave    *Leave // the leave the rostered person is on
	State    Cover
}

// Now is the coverage of a center's seats on a half-day: entries are that half-day's roster lines, leaves
// the approved leaves of the day, in the staff who have signed in that day (and not signed out), open whether
// the hall has an opening in the half-day, begun whether its first opening of the half-day has begun.
func Now(seats []Seat, entries []Entry, leaves []Leave, in map[string]bool, day clock.Date, open, begun bool) []SeatNow {
	at := map[string]Entry{}
	for _, e := range entries {
		at[e.Seat] = e
	}
	out := make([]SeatNow, 0, len(seats))
	for _, s := range seats {
		n := SeatNow{Seat: s}
		e, rostered := at[s.ID]
		switch {
		case !open:
			n.State = Closed
			n.Rostered = e.Staff
		case !rostered:
			n.State = Empty
		default:
			n.Rostered, n.Sitting = e.Staff, e.Staff
			for i := range leaves {
				if leaves[i].Staff == e.Staff && leaves[i].On(day) {
					n.Leave = &leaves[i]
					n.Sitting = leaves[i].Substitute
				}
			}
			switch {
			case n.Sitting != "" && in[n.Sitting] && n.Leave != nil:
				n.State = Covered
			case n.Sitting != "" && in[n.Sitting]:
				n.State = Present
			case !begun:
				n.State = Expected
			case n.Leave != nil:
				n.State = Empty // the substitute is not there: the seat is empty
			default:
				n.State = Absent
			}
		}
		out = append(out, n)
	}
	return out
}

// Attendance (考勤) of one person on one day: their sign-in and sign-out at the center, from the desk, with the
// address the request came from (no biometric).
type Attendance struct {
	Staff, StaffName, Center string
	Day                      clock.Date
	In, Out                  time.Time
	InAddr, OutAddr          string
}

// Mark is how a rostered day stands in the attendance record.
type Mark string

const (
	OnTime   Mark = "on_time"
	Late     Mark = "late"
	AbsentNL Mark = "absent" // rostered, no sign-in, no leave
	OnLeave  Mark = "leave"
	Off      Mark = "off" // not rostered
)

// Grace is how long after the opening a sign-in still counts as on time: Bianmin's choice (the seed names
// none), a setting of the service (Config.LateGrace).
const Grace = 5 * time.Minute

// MarkDay is a person's mark for a day: off when not rostered, on leave, absent without a sign-in (once the
// day's first rostered opening has begun: begun), late when the sign-in came later than that opening (start,
// on the hall's clock) plus grace.
func MarkDay(rostered, leave bool, a *Attendance, start time.Time, begun bool, grace time.Duration) Mark {
	switch {
	case !rostered:
		return Off
	case leave:
		return OnLeave
	case a == nil || a.In.IsZero():
		if begun {
			return AbsentNL
		}
		return Pending
	case a.In.After(start.Add(grace)):
		return Late
	}
	return OnTime
}

// Pending is a rostered day whose opening has not begun and nobody signed in yet.
const Pending Mark = "pending"
