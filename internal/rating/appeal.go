package rating

import (
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// 申诉复核 (国办发〔2019〕51号: 建立申诉复核机制, 排除误评和"恶意"差评; 内蒙古 好差评工作制度: 政务服务局 handles 复核申述;
// FACTS.md §2.1, §2.3): staff appeal a rating they believe mistaken or malicious, with reasons; a supervisor
// decides, with reasons. An upheld appeal takes the rating out of the figures; the rating itself is never
// changed or deleted (the database refuses both).

// Decision is a supervisor's answer to an appeal.
type Decision string

const (
	Pending  Decision = ""
	Upheld   Decision = "upheld"   // the rating is excluded from the figures
	Rejected Decision = "rejected" // the rating stands
)

// MaxReason is the longest reason of an appeal or of its decision.
const MaxReason = 2000

// Appeal is one appeal against one rating (a rating is appealed once).
type Appeal struct {
	ID             string    `json:"id"`
	RatingID       string    `json:"rating_id"`
	Township       string    `json:"township"`
	Reason         string    `json:"reason"`
	FiledBy        string    `json:"filed_by"`
	FiledByName    string    `json:"filed_by_name"`
	Filed          time.Time `json:"filed"`
	Decision       Decision  `json:"decision,omitempty"`
	DecisionReason string    `json:"decision_reason,omitempty"`
	DecidedBy      string    `json:"decided_by,omitempty"`
	DecidedByName  string    `json:"decided_by_name,omitempty"`
	Decided        time.Time `json:"decided,omitzero"`
}

func reason(field, v string) *errs.Error {
	if v == "" {
		return errs.Field(field, "err.required")
	}
	if len(v) > MaxReason && utf8.RuneCountInString(v) > MaxReason {
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(MaxReason))
	}
	return nil
}

// CheckFiling refuses an appeal without its reason.
func CheckFiling(why string) error {
	if e := reason("reason", why); e != nil {
		return e
	}
	return nil
}

// Decide records the decision once, with its reasons. Whoever filed an appeal does not decide it: the
// service gives the decision to supervisors only.
func (a Appeal) Decide(d Decision, why string, at time.Time, by, byName string) (Appeal, error) {
	if a.Decision != Pending {
		return a, errs.New(errs.Conflict, "err.rating.decided")
	}
	if d != Upheld && d != Rejected {
		return a, errs.Field("decision", "err.required")
	}
	if e := reason("decision_reason", why); e != nil {
		return a, e
	}
	a.Decision, a.DecisionReason, a.Decided, a.DecidedBy, a.DecidedByName = d, why, at, by, byName
	return a, nil
}
