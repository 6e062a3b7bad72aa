package hall

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hours"
	"bianmin/internal/people"
)

// AppointmentState is where a booking stands.
type AppointmentState string

const (
	Booked    AppointmentState = "booked"
	Cancelled AppointmentState = "cancelled"
	CheckedIn AppointmentState = "checked_in" // arrived: it has a ticket
	Missed    AppointmentState = "no_show"    // the slot passed without a check-in
)

// Channel of a booking.
type Channel string

const (
	Online Channel = "online" // a signed-in resident
	Phone  Channel = "phone"  // booked by the desk for a caller
)

// Appointment is a booked slot (预约) at a center, for a category, on a day.
type Appointment struct {
	ID         string
	Center     string
	Category   Category
	Day        string // 2006-01-02
	Slot       string // HH:MM, the slot's start
	SlotStart  int    // minutes after midnight
	SlotEnd    int
	Code       string // six digits the visitor types at the kiosk to check in
	State      AppointmentState
	Channel    Channel
	ResidentID string // the booking resident's account (online)
	// ApplicantID is the applicant record of the resident: the case opened from the ticket finds them.
	ApplicantID string
	Name        string
	Phone       string
	TicketID    string
	Created     time.Time
	By          string // the staff member who booked it by phone, or the resident
	Version     int
}

// Booking limits.
const (
	// BookAhead is how many days ahead a slot may be booked: two weeks, long enough to plan a visit, short
	// enough that the hall's hours and exceptions are known.
	BookAhead = 14
	// EarlyCheckIn is how long before its slot an appointment may be checked in.
	EarlyCheckIn = 60 // minutes
	MaxName      = 50
)

// Today is the hall's day of t and the minute of that day.
func Today(t time.Time, loc *time.Location) (clock.Date, int) {
	t = t.In(loc)
	return clock.DateOf(t), t.Hour()*60 + t.Minute()
}

// CheckBooking checks a booking against the hall's hours and the calendar at the moment now: the category,
// a day with hours (none on a holiday; a 调休 working day has them), a slot of that day not begun yet,
// within BookAhead days, a name and a phone for a phone booking. It returns the slot.
func CheckBooking(a Appointment, h hours.Hours, cal *clock.Calendar, now time.Time, loc *time.Location) (hours.Slot, error) {
	var l errs.List
	if !a.Category.Valid() {
		l.Add(errs.Field("category", "err.required"))
	}
	day, err := clock.ParseDate(a.Day)
	if err != nil {
		l.Add(errs.Field("day", "err.hall.day"))
		return hours.Slot{}, l.Err()
	}
	today, minute := Today(now, loc)
	switch {
	case day.Before(today) || day.Sub(today) > BookAhead:
		l.Add(errs.Field("day", "err.hall.book_ahead").With("max", "14"))
	case len(h.On(day, cal)) == 0:
		l.Add(errs.Field("day", "err.hall.closed_day"))
	}
	slot, ok := h.SlotAt(day, cal, a.Slot)
	if l.Err() == nil {
		if !ok {
			l.Add(errs.Field("slot", "err.hall.slot"))
		} else if day == today && slot.Start <= minute {
			l.Add(errs.Field("slot", "err.hall.slot_past"))
		}
	}
	if a.Channel == Phone {
		if strings.TrimSpace(a.Name) == "" {
			l.Add(errs.Field("name", "err.required"))
		} else if utf8.RuneCountInString(a.Name) > MaxName {
			l.Add(errs.Field("name", "err.too_long").With("max", "50"))
		}
		if strings.TrimSpace(a.Phone) == "" {
			l.Add(errs.Field("phone", "err.required"))
		} else {
			l.Add(people.CheckPhone("phone", a.Phone))
		}
	}
	return slot, l.Err()
}

// apptMoves is the appointment's transition table.
var apptMoves = map[string][]AppointmentState{
	"cancel":   {Booked},
	"check_in": {Booked},
	"no_show":  {Booked},
}

// ApplyAppointment moves an appointment at the moment now (minute of the hall's day, today):
//   - cancel: before its slot begins;
//   - check_in: on its day, from EarlyCheckIn minutes before the slot until the slot ends;
//   - no_show: once its slot has ended without a check-in (recorded by the desk or the day's sweep).
func ApplyAppointment(a Appointment, move string, today clock.Date, minute int) (Appointment, error) {
	from, ok := apptMoves[move]
	if !ok {
		return a, errs.Field("move", "err.hall.move")
	}
	if !slices.Contains(from, a.State) {
		return a, errs.New(errs.Conflict, "err.hall.appointment_state")
	}
	day, _ := clock.ParseDate(a.Day)
	started := day.Before(today) || (day == today && minute >= a.SlotStart)
	ended := day.Before(today) || (day == today && minute >= a.SlotEnd)
	out := a
	switch move {
	case "cancel":
		if started {
			return a, errs.New(errs.Conflict, "err.hall.cancel_late")
		}
		out.State = Cancelled
	case "check_in":
		if day != today || minute < a.SlotStart-EarlyCheckIn || minute >= a.SlotEnd {
			return a, errs.New(errs.Conflict, "err.hall.check_in_time")
		}
		out.State = CheckedIn
	case "no_show":
		if !ended {
			return a, errs.New(errs.Conflict, "err.hall.not_ended")
		}
		out.State = Missed
	}
	out.Version++
	return out, nil
}
