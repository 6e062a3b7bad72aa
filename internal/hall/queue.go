package hall

import (
	"cmp"
	"slices"
	"time"
)

// Desk is a window as the queue sees it: which window, and which categories its clerk takes.
type Desk struct {
	Window     string
	Categories []Category // empty: every category
}

// Takes reports whether the window takes tickets of the category.
func (d Desk) Takes(c Category) bool {
	return len(d.Categories) == 0 || slices.Contains(d.Categories, c)
}

// class orders the queue for a window; a lower class is called first:
//
//	0 a ticket transferred to this very window;
//	1 帮办 (the elderly and the disabled: called before the others, see Assist);
//	2 an appointment whose slot has begun, before the walk-ins of its slot (预约优先: a booked time is kept);
//	3 everybody else, first come first served.
//
// A ticket transferred to another window is not this window's to call (-1).
func class(t Ticket, d Desk, minute int) int {
	switch {
	case t.TargetWindow != "":
		if t.TargetWindow == d.Window {
			return 0
		}
		return -1
	case !d.Takes(t.Category):
		return -1
	case t.Category == Assist:
		return 1
	case t.AppointmentID != "" && t.SlotStart >= 0 && t.SlotStart <= minute:
		return 2
	}
	return 3
}

// before orders two tickets of the same class: appointments by their slot, then by the time taken.
func before(a, b Ticket) int {
	if a.AppointmentID != "" && b.AppointmentID != "" && a.SlotStart != b.SlotStart {
		return cmp.Compare(a.SlotStart, b.SlotStart)
	}
	if c := a.Issued.Compare(b.Issued); c != 0 {
		return c
	}
	return cmp.Compare(a.Seq, b.Seq)
}

// Next picks, among the hall's waiting tickets, the one the window calls next at the given minute of the
// day; false when there is none for it.
func Next(waiting []Ticket, d Desk, minute int) (Ticket, bool) {
	best, bc := Ticket{}, -1
	for _, t := range waiting {
		if t.State != Waiting {
			continue
		}
		c := class(t, d, minute)
		if c < 0 {
			continue
		}
		if bc < 0 || c < bc || (c == bc && before(t, best) < 0) {
			best, bc = t, c
		}
	}
	return best, bc >= 0
}

// Ahead counts the waiting tickets that a window taking the ticket's category would call before it: what the
// slip and the phone page show as people waiting before you.
func Ahead(t Ticket, waiting []Ticket, minute int) int {
	d := Desk{Window: t.TargetWindow, Categories: []Category{t.Category}}
	mine := class(t, d, minute)
	n := 0
	for _, o := range waiting {
		if o.ID == t.ID || o.State != Waiting {
			continue
		}
		c := class(o, d, minute)
		if c >= 0 && (c < mine || (c == mine && before(o, t) < 0)) {
			n++
		}
	}
	return n
}

// CategoryFigures are a category's figures of the day for the board.
type CategoryFigures struct {
	Category Category
	Waiting  int
	Served   int           // called at least once
	AvgWait  time.Duration // over the tickets called
}

// Figures counts the day's tickets by category: waiting now, called, and the average wait of those called.
func Figures(day []Ticket) []CategoryFigures {
	out := make([]CategoryFigures, len(Categories))
	var sum [4]time.Duration
	for i, c := range Categories {
		out[i].Category = c
	}
	for _, t := range day {
		i := slices.Index(Categories, t.Category)
		if i < 0 {
			continue
		}
		if t.State == Waiting { // a transferred ticket waits again
			out[i].Waiting++
		}
		if !t.FirstCalled.IsZero() {
			out[i].Served++
			sum[i] += t.Wait().Truncate(time.Millisecond) // waits are kept in whole milliseconds
		}
	}
	for i := range out {
		if out[i].Served > 0 {
			out[i].AvgWait = (sum[i] / time.Duration(out[i].Served)).Truncate(time.Millisecond)
		}
	}
	return out
}

// WindowSession is a clerk signed on at a window (one window a clerk, one clerk a window).
type WindowSession struct {
	Window     string
	WindowName string
	Center     string
	Staff      string
	StaffName  string
	Categories []Category // empty: every category
	Paused     bool       // 暂停: the window calls nobody until it resumes
	Since      time.Time
	Version    int
}

// Desk is the session as the queue sees it.
func (w WindowSession) Desk() Desk { return Desk{Window: w.Window, Categories: w.Categories} }
