package delegation

import (
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/hours"
)

// Help requests (求助响应, 四.(一): "旗乡两级受办业务人员可通过一个沟通平台建立结对指导帮扶联系以及求助响应机制"): a
// township handler asks the paired counterpart (or the department's pool) a question, from a case, an item
// or freely; the request runs on a clock in working hours. The seed names the mechanism and no times: how
// long the first answer and the resolution may take is Bianmin's choice, a setting (HelpClock).

// HelpClock is the response clock: working hours to the first answer, working days to resolve.
type HelpClock struct {
	AnswerHours int // -help-answer-hours, 2 by default
	ResolveDays int // -help-resolve-days, 2 by default
}

// DefaultHelpClock is Bianmin's choice when nothing is set: 2 working hours, 2 working days.
var DefaultHelpClock = HelpClock{AnswerHours: 2, ResolveDays: 2}

// Limits of a help request's texts.
const (
	MaxSubject  = 100
	MaxQuestion = 4000
	MaxPost     = 4000
)

// Post is one message of a request's thread.
type Post struct {
	By     string    `json:"by"`
	Name   string    `json:"name"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
	Answer bool      `json:"answer"` // from the department's side
	FAQ    bool      `json:"faq,omitempty"`
}

// Help is one help request.
type Help struct {
	ID              string     `json:"id"`
	ItemID          string     `json:"item_id"`
	ItemName        string     `json:"item_name"`
	CaseID          string     `json:"case_id,omitempty"`
	CaseNo          string     `json:"case_no,omitempty"`
	TownshipID      string     `json:"township_id"`
	TownshipPath    string     `json:"township_path"`
	DeptID          string     `json:"dept_id"`
	DeptPath        string     `json:"dept_path"`
	AskerID         string     `json:"asker_id"`
	AskerName       string     `json:"asker_name"`
	CounterpartID   string     `json:"counterpart_id,omitempty"` // "" asks the department's pool
	CounterpartName string     `json:"counterpart_name,omitempty"`
	Subject         string     `json:"subject"`
	Question        string     `json:"question"`
	AskedAt         time.Time  `json:"asked_at"`
	AnswerDue       time.Time  `json:"answer_due"`
	ResolveDue      time.Time  `json:"resolve_due"`
	FirstAnswerAt   time.Time  `json:"first_answer_at,omitzero"`
	ResolvedAt      time.Time  `json:"resolved_at,omitzero"`
	Posts           []Post     `json:"posts"`
	Version         int        `json:"version"`
	Day             clock.Date `json:"day"` // the day it was asked, for the assessment's year
}

// Dues are the request's due times: the first answer AnswerHours working hours after it was asked (counted
// in the opening hours h on the calendar: evenings, weekends and holidays do not count), resolution at the
// end of the ResolveDays-th working day after the day it was asked.
func (c HelpClock) Dues(h hours.Hours, cal *clock.Calendar, loc *time.Location, asked time.Time) (answer, resolve time.Time) {
	answer = AddWorkingMinutes(h, cal, loc, asked, c.AnswerHours*60)
	day := cal.AddWorkingDays(clock.DateOf(asked.In(loc)), c.ResolveDays)
	end := 24 * 60
	if spans := h.On(day, cal); len(spans) > 0 {
		end = spans[len(spans)-1].To
	}
	return answer, at(day, end, loc)
}

func at(d clock.Date, minute int, loc *time.Location) time.Time {
	return time.Date(d.Y, d.M, d.D, 0, minute, 0, 0, loc)
}

// AddWorkingMinutes is the instant n working minutes after from, counting only the opening spans of h on the
// calendar. A request asked out of hours starts counting at the next opening.
func AddWorkingMinutes(h hours.Hours, cal *clock.Calendar, loc *time.Location, from time.Time, n int) time.Time {
	t := from.In(loc)
	d := clock.DateOf(t)
	m := t.Hour()*60 + t.Minute()
	for range 800 { // two years of days at most: a calendar without one open day in it is a fault
		for _, s := range h.On(d, cal) {
			if m >= s.To {
				continue
			}
			start := max(m, s.From)
			if start+n <= s.To {
				return at(d, start+n, loc)
			}
			n -= s.To - start
			m = s.To
		}
		d, m = d.AddDays(1), 0
	}
	return at(d, m, loc)
}

// WorkingMinutes counts the working minutes from from to to in the opening spans of h on the calendar, the
// clock AddWorkingMinutes runs forward: the time a request waited for its answer as its due time was set
// (an answer given at the evening's close of a request asked that morning waited the open hours between).
func WorkingMinutes(h hours.Hours, cal *clock.Calendar, loc *time.Location, from, to time.Time) int {
	from, to = from.In(loc), to.In(loc)
	if !to.After(from) {
		return 0
	}
	last := clock.DateOf(to)
	n := 0
	for d := clock.DateOf(from); !last.Before(d); d = d.AddDays(1) {
		lo, hi := 0, 24*60
		if d == clock.DateOf(from) {
			lo = from.Hour()*60 + from.Minute()
		}
		if d == last {
			hi = to.Hour()*60 + to.Minute()
		}
		for _, s := range h.On(d, cal) {
			n += max(0, min(hi, s.To)-max(lo, s.From))
		}
	}
	return n
}

// Waits gives the working minutes a request waited for its first answer, in its department's opening hours
// (the hours its due time was counted in).
type Waits func(Help) int

// Answered reports whether the department's side has answered.
func (r Help) Answered() bool { return !r.FirstAnswerAt.IsZero() }

// Resolved reports whether the asker closed it as resolved.
func (r Help) Resolved() bool { return !r.ResolvedAt.IsZero() }

// AnsweredInTime reports whether the first answer came by its due time.
func (r Help) AnsweredInTime() bool { return r.Answered() && !r.FirstAnswerAt.After(r.AnswerDue) }

// Late reports whether the request is late at now: unanswered past the answer's due time, or unresolved
// past the resolution's.
func (r Help) Late(now time.Time) bool {
	return (!r.Answered() && now.After(r.AnswerDue)) || (!r.Resolved() && now.After(r.ResolveDue))
}

// Card is the request's card at now: red once late (the cards of FACTS.md §3: red past the due), yellow while
// unanswered in the last half hour before its due time, none once resolved.
func (r Help) Card(now time.Time) clock.Card {
	switch {
	case r.Resolved():
		return ""
	case r.Late(now):
		return clock.Red
	case !r.Answered() && now.After(r.AnswerDue.Add(-30*time.Minute)):
		return clock.Yellow
	}
	return ""
}

// Escalated reports whether the request has gone up to the department's head (本部门负责人): late, by the card,
// and not yet resolved. The head sees it in the list of escalated requests and may answer it.
func (r Help) Escalated(now time.Time) bool { return !r.Resolved() && r.Late(now) }
