package stations

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// 上门服务: a home visit for a resident who cannot come (seed 三.(六) 代办帮办; FACTS.md §5.5: 鄂托克旗 上门帮代办).
// A station or center records the request, schedules it, carries it out and records what was done and which
// materials were collected there; a visit not made is cancelled with its reason. Supervision counts them.

// VisitState is where a visit stands.
type VisitState string

const (
	VisitRequested VisitState = "requested"
	VisitScheduled VisitState = "scheduled"
	VisitDone      VisitState = "done"
	VisitCancelled VisitState = "cancelled"
)

// VisitMove is what can be done to a visit.
type VisitMove string

const (
	Schedule VisitMove = "schedule" // set (or move) the appointment and who goes
	Record   VisitMove = "record"   // carried out: what was done, the materials collected
	Cancel   VisitMove = "cancel"   // not made, with its reason
)

// MaxMaterials caps the materials recorded on one visit.
const MaxMaterials = 30

var visitMoves = map[VisitMove][]VisitState{
	Schedule: {VisitRequested, VisitScheduled},
	Record:   {VisitScheduled},
	Cancel:   {VisitRequested, VisitScheduled},
}

// Visit is one home visit.
type Visit struct {
	ID           string     `json:"id"`
	No           string     `json:"no"`
	Org          string     `json:"org"` // the station (village) or center (township) that goes
	ApplicantID  string     `json:"applicant_id"`
	ItemID       string     `json:"item_id,omitempty"`
	ItemName     string     `json:"item_name,omitempty"`
	Reason       string     `json:"reason"`
	State        VisitState `json:"state"`
	Requested    time.Time  `json:"requested"`
	RequestedBy  string     `json:"requested_by"`
	Appointment  time.Time  `json:"appointment,omitzero"`
	Visitors     string     `json:"visitors,omitempty"`
	Done         time.Time  `json:"done,omitzero"`
	DoneBy       string     `json:"done_by,omitempty"`
	Record       string     `json:"record,omitempty"`
	Materials    []string   `json:"materials,omitempty"`
	CaseID       string     `json:"case_id,omitempty"` // the case the collected materials went into
	CancelReason string     `json:"cancel_reason,omitempty"`
	Version      int        `json:"version"`
}

// VisitInput is what a move on a visit carries.
type VisitInput struct {
	At        time.Time // schedule: the appointment; record: when it was carried out
	Visitors  string    // schedule
	Record    string    // record
	Materials []string  // record
	CaseID    string    // record, optional
	Reason    string    // cancel
}

// NewVisit checks a request.
func NewVisit(v Visit) error {
	var l errs.List
	if strings.TrimSpace(v.Reason) == "" {
		l.Add(errs.Field("reason", "err.required"))
	}
	l.Add(cases.TooLong("reason", v.Reason, MaxReason))
	if v.ApplicantID == "" {
		l.Add(errs.Field("applicant_id", "err.required"))
	}
	return l.Err()
}

// Apply makes a move at now; a refused move leaves the visit as it was. An appointment is not before the
// request; a visit is recorded as carried out no earlier than its request and not in the future, with what
// was done.
func (v *Visit) Apply(m VisitMove, in VisitInput, by string, now time.Time) error {
	from, ok := visitMoves[m]
	if !ok {
		return errs.Field("move", "err.item.code_set")
	}
	if !slices.Contains(from, v.State) {
		return errs.New(errs.Conflict, "err.visit.state").With("state", string(v.State))
	}
	next := *v
	var l errs.List
	switch m {
	case Schedule:
		switch {
		case in.At.IsZero():
			l.Add(errs.Field("at", "err.required"))
		case in.At.Before(v.Requested.Truncate(24 * time.Hour)):
			l.Add(errs.Field("at", "err.visit.before_request"))
		}
		if strings.TrimSpace(in.Visitors) == "" {
			l.Add(errs.Field("visitors", "err.required"))
		}
		l.Add(cases.TooLong("visitors", in.Visitors, MaxName))
		next.State, next.Appointment, next.Visitors = VisitScheduled, in.At, strings.TrimSpace(in.Visitors)
	case Record:
		switch {
		case in.At.IsZero():
			l.Add(errs.Field("at", "err.required"))
		case in.At.Before(v.Requested) || in.At.After(now):
			l.Add(errs.Field("at", "err.visit.when_done"))
		}
		if strings.TrimSpace(in.Record) == "" {
			l.Add(errs.Field("record", "err.required"))
		}
		l.Add(cases.TooLong("record", in.Record, MaxRecord))
		var mats []string
		for _, s := range in.Materials {
			if s = strings.TrimSpace(s); s != "" {
				l.Add(cases.TooLong("materials", s, cases.MaxMaterialName))
				mats = append(mats, s)
			}
		}
		if len(mats) > MaxMaterials {
			l.Add(errs.Field("materials", "err.too_many").With("max", strconv.Itoa(MaxMaterials)))
		}
		next.State, next.Done, next.DoneBy, next.Record, next.Materials, next.CaseID = VisitDone, in.At, by, strings.TrimSpace(in.Record), mats, in.CaseID
	case Cancel:
		if strings.TrimSpace(in.Reason) == "" {
			l.Add(errs.Field("reason", "err.required"))
		}
		l.Add(cases.TooLong("reason", in.Reason, MaxReason))
		next.State, next.CancelReason = VisitCancelled, strings.TrimSpace(in.Reason)
	}
	if err := l.Err(); err != nil {
		return err
	}
	*v = next
	return nil
}

// Moves lists what may be done to the visit in its state, for the page.
func (v Visit) Moves() []VisitMove {
	var out []VisitMove
	for _, m := range []VisitMove{Schedule, Record, Cancel} {
		if slices.Contains(visitMoves[m], v.State) {
			out = append(out, m)
		}
	}
	return out
}
