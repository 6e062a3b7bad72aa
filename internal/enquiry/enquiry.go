// Package enquiry is the enquiry register (咨询登记): every question asked at a window or a station is
// recorded, whether or not it becomes a case, under two hall rules (DB50/T 957.1-2019 "渝快办"工作规范 5.1 首问负责制度,
// 5.2 一次告知制度; FACTS.md §4.4): the first person asked owns the enquiry until it is answered or handed over
// (the hand-over recorded), and the asker is told everything to bring for the item at once (一次性告知单).
package enquiry

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// State is where an enquiry stands.
type State string

const (
	Open     State = "open"     // asked, not answered yet: its owner must answer it or hand it over
	Answered State = "answered" // told; the 首问 duty ends
)

// Limits on what is typed.
const (
	MaxQuestion = 1000
	MaxTold     = 2000
	MaxName     = 50
	MaxPhone    = 20
	MaxNote     = 500
)

// Enquiry is one question asked.
type Enquiry struct {
	ID          string     `json:"id"`
	Org         string     `json:"org"`      // where it was asked: a township (its window) or a village (its station)
	Township    string     `json:"township"` // the township it belongs to, for scope and lists
	ItemID      string     `json:"item_id,omitempty"`
	ItemName    string     `json:"item_name,omitempty"`
	ItemNameMn  string     `json:"item_name_mn,omitempty"`
	AskerName   string     `json:"asker_name,omitempty"` // optional: an enquiry may be anonymous
	AskerPhone  string     `json:"asker_phone,omitempty"`
	ApplicantID string     `json:"applicant_id,omitempty"` // a known applicant, when the window found them
	Question    string     `json:"question"`
	Told        string     `json:"told,omitempty"` // what the asker was told
	Owner       string     `json:"owner"`          // 首问: the first person asked, or whom it was handed to
	OwnerName   string     `json:"owner_name"`
	State       State      `json:"state"`
	CaseID      string     `json:"case_id,omitempty"` // the case it became
	CaseNo      string     `json:"case_no,omitempty"`
	Asked       time.Time  `json:"asked"`
	AnsweredAt  time.Time  `json:"answered_at,omitzero"`
	Handovers   []Handover `json:"handovers,omitempty"`
	Version     int        `json:"version"`
}

// Handover is one hand-over of the 首问 duty.
type Handover struct {
	From     string    `json:"from"`
	FromName string    `json:"from_name"`
	To       string    `json:"to"`
	ToName   string    `json:"to_name"`
	At       time.Time `json:"at"`
	Note     string    `json:"note"`
}

func tooLong(field, v string, max int) *errs.Error {
	if len(v) > max && utf8.RuneCountInString(v) > max {
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(max))
	}
	return nil
}

// Check validates an enquiry as recorded: a question, texts within their limits; an answer given at once
// (told) answers it.
func (e Enquiry) Check() error {
	var l errs.List
	if e.Question == "" {
		l.Add(errs.Field("question", "err.required"))
	}
	l.Add(tooLong("question", e.Question, MaxQuestion))
	l.Add(tooLong("told", e.Told, MaxTold))
	l.Add(tooLong("asker_name", e.AskerName, MaxName))
	l.Add(tooLong("asker_phone", e.AskerPhone, MaxPhone))
	for _, r := range e.AskerPhone {
		if (r < '0' || r > '9') && r != '-' && r != '+' && r != ' ' {
			l.Add(errs.Field("asker_phone", "err.enquiry.phone"))
			break
		}
	}
	return l.Err()
}

// Owns reports whether a member of staff holds the 首问 duty of an open enquiry.
func (e Enquiry) Owns(staffID string) bool { return e.State == Open && e.Owner == staffID }

// Answer records what the owner told the asker: only the owner answers (首问负责), only once, and the answer
// is said.
func (e Enquiry) Answer(by, told string, at time.Time) (Enquiry, error) {
	if e.State != Open {
		return e, errs.New(errs.Conflict, "err.enquiry.closed")
	}
	if e.Owner != by {
		return e, errs.New(errs.Forbidden, "err.enquiry.not_owner")
	}
	if told == "" {
		return e, errs.Field("told", "err.required")
	}
	if err := tooLong("told", told, MaxTold); err != nil {
		return e, err
	}
	e.Told, e.State, e.AnsweredAt = told, Answered, at
	e.Version++
	return e, nil
}

// HandOver passes the 首问 duty to another member of staff, with a note of why: only its owner hands it over,
// never to themselves, and only while it is open. The hand-over stays on the record.
func (e Enquiry) HandOver(from, fromName, to, toName, note string, at time.Time) (Enquiry, error) {
	if e.State != Open {
		return e, errs.New(errs.Conflict, "err.enquiry.closed")
	}
	if e.Owner != from {
		return e, errs.New(errs.Forbidden, "err.enquiry.not_owner")
	}
	if to == "" || to == from {
		return e, errs.Field("to", "err.enquiry.handover_to")
	}
	if note == "" {
		return e, errs.Field("note", "err.required")
	}
	if err := tooLong("note", note, MaxNote); err != nil {
		return e, err
	}
	e.Handovers = append(slices.Clone(e.Handovers), Handover{From: from, FromName: fromName, To: to, ToName: toName, At: at, Note: note})
	e.Owner, e.OwnerName = to, toName
	e.Version++
	return e, nil
}

// Link records the case the enquiry became; an enquiry becomes one case, and an open one is answered by it
// (the application is the answer).
func (e Enquiry) Link(caseID, caseNo string, at time.Time) (Enquiry, error) {
	if e.CaseID != "" && e.CaseID != caseID {
		return e, errs.New(errs.Conflict, "err.enquiry.linked")
	}
	e.CaseID, e.CaseNo = caseID, caseNo
	if e.State == Open {
		e.State, e.AnsweredAt = Answered, at
	}
	e.Version++
	return e, nil
}
