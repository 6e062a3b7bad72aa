// Package hall holds the rules of a service center's hall: queue tickets (取号) by category, the order in
// which a window calls them (叫号), appointments (预约) and their slots, and the waits measured per ticket. A
// visit starts with a ticket or an appointment, is called to a window, and becomes a case or an enquiry.
package hall

import (
	"fmt"
	"slices"
	"time"

	"bianmin/internal/errs"
)

// Category is a queue of the hall: what the visitor comes for.
type Category string

const (
	General Category = "general" // 综合受理: applications at the general window
	Pickup  Category = "pickup"  // 出件: collecting a result
	Consult Category = "consult" // 咨询: a question
	// Assist is 帮办, for the elderly and the disabled: its tickets are called before the others
	// (国办发〔2020〕45号 切实解决老年人运用智能技术困难实施方案: 保留并优化线下服务、为老年人提供便利;
	// 国发〔2024〕3号 task 4 增强帮办代办能力; FACTS.md §5.5, §5.6).
	Assist Category = "assist"
)

// Categories in the order the kiosk shows them.
var Categories = []Category{General, Pickup, Consult, Assist}

// Valid reports a known category.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Letter is the category's prefix on a ticket number: A001 is the first 综合受理 ticket of the day.
func (c Category) Letter() string {
	switch c {
	case General:
		return "A"
	case Pickup:
		return "B"
	case Consult:
		return "C"
	case Assist:
		return "D"
	}
	return "X"
}

// State of a ticket.
type State string

const (
	Waiting State = "waiting" // in the queue
	Called  State = "called"  // called to a window, being served
	Done    State = "done"    // served
	NoShow  State = "no_show" // called and not there (过号)
)

// Source says where a ticket was taken.
type Source string

const (
	FromKiosk       Source = "kiosk"       // the self-service terminal
	FromDesk        Source = "desk"        // the reception desk
	FromAppointment Source = "appointment" // an appointment checked in on arrival
)

// Ticket is one visitor's place in the hall's queue on one day.
type Ticket struct {
	ID       string
	Center   string // the service center
	Day      string // the hall's day, 2006-01-02: numbering starts again each day, at opening
	Category Category
	Seq      int    // the serial of the day in its category
	No       string // A001
	State    State
	Source   Source
	// AppointmentID and SlotStart (minutes after midnight) tie a ticket to a booked slot; SlotStart is -1 for a
	// walk-in.
	AppointmentID string
	SlotStart     int
	ApplicantID   string // known when the ticket came from a resident's appointment
	Issued        time.Time
	FirstCalled   time.Time // zero until called: the wait ends here
	Called        time.Time // the latest call (a recall or a transfer calls again)
	Finished      time.Time // done or no-show: the service ends here
	Window        string    // the window that called it last
	WindowName    string
	CalledBy      string // staff id
	// TargetWindow is set by a transfer to a window: that window calls it first, no other calls it.
	TargetWindow string
	Calls        int
	// CaseID and EnquiryID keep what came of the visit (a ticket may become a case, an enquiry, or both).
	CaseID    string
	EnquiryID string
	Version   int
}

// Number formats a ticket number: the category's letter and a three-digit serial.
func Number(c Category, seq int) string { return fmt.Sprintf("%s%03d", c.Letter(), seq) }

// Move is what a window does to a ticket.
type Move string

const (
	Call     Move = "call"     // call it to this window
	Recall   Move = "recall"   // call it again (the visitor did not come up yet)
	Skip     Move = "skip"     // 过号: called and not there
	Finish   Move = "finish"   // served
	Transfer Move = "transfer" // back into the queue, for another window or category
)

// moves is the ticket's transition table: which move from which states, to which state.
var moves = map[Move]struct {
	from []State
	to   State
}{
	Call:     {[]State{Waiting}, Called},
	Recall:   {[]State{Called}, Called},
	Skip:     {[]State{Called}, NoShow},
	Finish:   {[]State{Called}, Done},
	Transfer: {[]State{Called}, Waiting},
}

// Apply makes a move at a window at the given moment. A transfer names a window (target) or a category.
func (t Ticket) Apply(m Move, at time.Time, window, windowName, by string, target string, cat Category) (Ticket, error) {
	rule, ok := moves[m]
	if !ok {
		return t, errs.Field("move", "err.hall.move")
	}
	if !slices.Contains(rule.from, t.State) {
		return t, errs.New(errs.Conflict, "err.hall.ticket_state")
	}
	if m != Call && t.Window != window {
		// only the window that called a ticket recalls, skips, finishes or transfers it
		return t, errs.New(errs.Forbidden, "err.hall.not_your_ticket")
	}
	out := t
	out.State = rule.to
	switch m {
	case Call, Recall:
		if out.FirstCalled.IsZero() {
			out.FirstCalled = at
		}
		out.Called, out.Window, out.WindowName, out.CalledBy, out.TargetWindow = at, window, windowName, by, ""
		out.Calls++
	case Skip, Finish:
		out.Finished = at
	case Transfer:
		switch {
		case target != "" && target != window:
			out.TargetWindow = target
		case cat.Valid() && cat != t.Category:
			out.Category, out.TargetWindow = cat, ""
		default:
			return t, errs.Field("target", "err.hall.transfer_target")
		}
	}
	out.Version++
	return out, nil
}

// Wait is the time from taking the ticket to its first call (0 while it waits).
func (t Ticket) Wait() time.Duration {
	if t.FirstCalled.IsZero() {
		return 0
	}
	return t.FirstCalled.Sub(t.Issued)
}

// Service is the time from the first call to done (0 until done).
func (t Ticket) Service() time.Duration {
	if t.Finished.IsZero() || t.FirstCalled.IsZero() || t.State != Done {
		return 0
	}
	return t.Finished.Sub(t.FirstCalled)
}
