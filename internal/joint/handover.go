package joint

import (
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// 转办 (hand-over to the competent body). 行政许可法 第32条(二) says what an organ does with an application that
// is not within its powers: decide at once not to accept it and tell the applicant to apply to the competent
// organ (FACTS.md §4.1). At a general window taking everything for a whole township (seed 三.(一).1-3, 首问负责),
// Bianmin lets the window hand the case itself to the competent body instead, so the applicant does not come
// back: the hand-over states its reasons, the receiving body accepts or refuses it, and the applicant is told.
// Rules:
//   - A case is never between two bodies unanswered for long: a hand-over unanswered after AnswerDays working
//     days turns a red card (the number; a setting of Bianmin's, not the law's).
//   - One hand-over waits at a time: the case stays with the sender, who keeps it in view, until it is answered.
//   - The days from the hand-over to its acceptance do not count against the receiving body (its limit runs
//     from the acceptance: NotCounted gives the interval, kept on the case as a suspension of kind 转办 so
//     that the timeline shows it).
//   - The competent body is a township (the case's handling township, 办理地) or, for a case whose steps go up
//     to the banner, the banner department that works them and decides (实施主体, 行政许可法 第32条(二) "向有关
//     行政机关申请"). A township hands a case to another township or to a department; a department, to
//     another department only: the township that handles a case is where the applicant lives, not the
//     department's to choose (MayGo).

// AnswerDays is the working days a receiving body has to accept or refuse a hand-over before its card turns
// (issue 19: "a hand-over unanswered in 2 working days turns a card"; Bianmin's choice, no law sets it).
const AnswerDays = 2

// HandoverState is where a hand-over stands.
type HandoverState string

const (
	Pending       HandoverState = "pending"
	Accepted      HandoverState = "accepted"
	RefusedToTake HandoverState = "refused"
)

// Body is the kind of body a hand-over goes from or to.
type Body string

const (
	// Township: the handling township (苏木乡镇); an accepted hand-over moves the case's handling.
	Township Body = "township"
	// Department: a banner department (旗直部门) working the case's banner steps and deciding; an accepted
	// hand-over moves the case's department and leaves its handling township as it is.
	Department Body = "department"
)

// MayGo reports whether a sender of one kind may hand a case to a body of another kind. bannerStep says
// whether the case has a step at a banner department (not handed down to the township by a delegation): a
// case with none has no department to hand to.
func MayGo(from, to Body, bannerStep bool) bool {
	switch {
	case to == Department:
		return bannerStep
	case to == Township:
		return from == Township
	}
	return false
}

// Handover is one hand-over of a case to another body.
type Handover struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	CaseNo     string `json:"case_no"`
	ItemName   string `json:"item_name"`
	ItemNameMn string `json:"item_name_mn,omitempty"`
	From       string `json:"from"` // the body handing it over
	FromName   string `json:"from_name"`
	To         string `json:"to"` // the body asked to take it
	ToName     string `json:"to_name"`
	// ToBody is the kind of the body asked: "" (before departments could be asked) is a township.
	ToBody     Body          `json:"to_body,omitempty"`
	Reasons    string        `json:"reasons"`
	By         string        `json:"by"`
	At         time.Time     `json:"at"`
	AskedOn    clock.Date    `json:"asked_on"`
	DueOn      clock.Date    `json:"due_on"` // answer by this day
	State      HandoverState `json:"state"`
	Answer     string        `json:"answer,omitempty"` // the refusal's reasons
	AnsweredBy string        `json:"answered_by,omitempty"`
	AnsweredAt time.Time     `json:"answered_at,omitzero"`
	AnsweredOn clock.Date    `json:"answered_on,omitzero"`
	Version    int           `json:"version"`
}

// ToDepartment reports whether the hand-over asks a banner department to take the case.
func (h Handover) ToDepartment() bool { return h.ToBody == Department }

// MaxReasons is the longest reasons of a hand-over or its refusal.
const MaxReasons = 2000

func checkReasons(field, v string) *errs.Error {
	if v == "" {
		return errs.Field(field, "err.required")
	}
	if len(v) > MaxReasons && utf8.RuneCountInString(v) > MaxReasons {
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(MaxReasons))
	}
	return nil
}

// Ask makes a hand-over from one body to another, with reasons, at a moment: due AnswerDays working days
// later. pending says whether the case already has one waiting (then it is refused: one at a time).
func Ask(h Handover, pending bool, clk clock.Clock) (Handover, error) {
	if pending {
		return h, errs.New(errs.Conflict, "err.joint.handover.pending")
	}
	var l errs.List
	if h.To == "" || h.To == h.From {
		l.Add(errs.Field("to", "err.joint.handover.to"))
	}
	l.Add(checkReasons("reasons", h.Reasons))
	if err := l.Err(); err != nil {
		return h, err
	}
	h.AskedOn = clock.DateOf(h.At.In(clk.Rules.Location))
	h.DueOn = clk.Due(h.At, clock.WorkingDays, AnswerDays)
	h.State, h.Version = Pending, 1
	return h, nil
}

// Take is the receiving body's answer: accept, or refuse with reasons; once.
func (h Handover) Take(accept bool, reasons, by string, at time.Time, today clock.Date) (Handover, error) {
	if h.State != Pending {
		return h, errs.New(errs.Conflict, "err.joint.handover.answered")
	}
	if !accept {
		if e := checkReasons("answer", reasons); e != nil {
			return h, e
		}
		h.State = RefusedToTake
	} else {
		h.State = Accepted
	}
	h.Answer, h.AnsweredBy, h.AnsweredAt, h.AnsweredOn = reasons, by, at, today
	h.Version++
	return h, nil
}

// Card is the hand-over's card on a day: red once past its answer day unanswered (or answered late: it stays
// on the record), yellow on the answer day, green before; none when answered in time.
func (h Handover) Card(today clock.Date) clock.Card {
	if h.State != Pending {
		if h.AnsweredOn.After(h.DueOn) {
			return clock.Red
		}
		return ""
	}
	return clock.CardOnDays(today.Int(), h.DueOn.Int(), h.DueOn.AddDays(1).Int(), false)
}

// NotCounted is the interval that does not count against the receiving body: from the hand-over's day to the
// day before its acceptance (false when accepted the same day, or not accepted).
func (h Handover) NotCounted() (from, to clock.Date, ok bool) {
	if h.State != Accepted {
		return from, to, false
	}
	to = h.AnsweredOn.AddDays(-1)
	if to.Before(h.AskedOn) {
		return from, to, false
	}
	return h.AskedOn, to, true
}

// DaysTaken is the working days the hand-over took (shown on the case: not counted against the receiver).
func (h Handover) DaysTaken(cal *clock.Calendar, today clock.Date) int {
	end := today
	if !h.AnsweredOn.IsZero() {
		end = h.AnsweredOn
	}
	return cal.WorkingDaysBetween(h.AskedOn, end)
}
