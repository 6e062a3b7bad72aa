// Package stations holds the rules of a village station's work beyond receiving a case (seed 三.(三), 三.(六)):
// the standing authorisation of 代理, the marks of residents who need help (帮办) and the home visits
// (上门服务) made for them, and the lists that carry paper originals to the township and results back.
package stations

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Limits on what a person types into these records.
const (
	MaxReason = 500 // why a resident cannot come, why a visit is asked, cancelled
	MaxRecord = 2000
	MaxName   = 100 // a signer's name, a visitor's name
	MaxItems  = 50  // items in one standing authorisation's scope
	MaxRef    = cases.MaxAuthImage
	// MaxTerm is the longest term of a standing authorisation, in days. The law leaves the term to the
	// authorisation (民法典 第165条 asks only that it be stated); Bianmin's choice is one year, renewed by a new
	// paper, so that a station's standing powers are looked at again every year.
	MaxTerm = 366
)

// Authorisation is a standing authorisation (代理): a resident who cannot come to the station authorises its
// agent for the items in scope until a day (民法典 第163条 委托代理; 第165条: the paper names the agent, the
// matters, the powers and the term, signed by the resident).
type Authorisation struct {
	ID          string     `json:"id"`
	No          string     `json:"no"`
	ApplicantID string     `json:"applicant_id"`
	Station     string     `json:"station"` // the village whose station holds it
	Items       []string   `json:"items"`   // item ids in scope
	ItemNames   []string   `json:"item_names"`
	From        clock.Date `json:"from"`
	Until       clock.Date `json:"until"`      // the last day it holds
	Reason      string     `json:"reason"`     // why the resident cannot come (illness, age ...)
	SignedRef   string     `json:"signed_ref"` // the signed paper: a stored image's id, or where the paper is kept
	Revoked     time.Time  `json:"revoked,omitzero"`
	CreatedBy   string     `json:"created_by"`
	CreatedName string     `json:"created_name"`
	Created     time.Time  `json:"created"`
	Version     int        `json:"version"`
}

// Validate checks a new authorisation on the day it is recorded: items in scope, a reason, the signed
// paper's reference, a term that starts no earlier than today... and ends within MaxTerm of its start.
func (a Authorisation) Validate(today clock.Date) error {
	var l errs.List
	if len(a.Items) == 0 {
		l.Add(errs.Field("items", "err.required"))
	}
	if len(a.Items) > MaxItems {
		l.Add(errs.Field("items", "err.too_many").With("max", strconv.Itoa(MaxItems)))
	}
	if strings.TrimSpace(a.Reason) == "" {
		l.Add(errs.Field("reason", "err.required"))
	}
	l.Add(cases.TooLong("reason", a.Reason, MaxReason))
	if strings.TrimSpace(a.SignedRef) == "" {
		l.Add(errs.Field("signed_ref", "err.required"))
	}
	l.Add(cases.TooLong("signed_ref", a.SignedRef, MaxRef))
	switch {
	case a.From.IsZero():
		l.Add(errs.Field("from", "err.required"))
	case a.From.Before(today):
		l.Add(errs.Field("from", "err.standing.from_past"))
	}
	switch {
	case a.Until.IsZero():
		l.Add(errs.Field("until", "err.required"))
	case !a.From.IsZero() && a.Until.Before(a.From):
		l.Add(errs.Field("until", "err.standing.until_before"))
	case !a.From.IsZero() && a.Until.Sub(a.From) > MaxTerm:
		l.Add(errs.Field("until", "err.standing.term").With("max", strconv.Itoa(MaxTerm)))
	}
	return l.Err()
}

// Covers is the rule a case under the authorisation must pass on the day it is received: not revoked, its
// term begun and not ended (民法典 第173条(一): 代理期限届满, the agency ends), the item in scope (第165条: the
// agent acts within the matters named), and for the resident who gave it. It names the field "standing".
func (a Authorisation) Covers(applicantID, itemID string, on clock.Date) *errs.Error {
	switch {
	case a.ApplicantID != applicantID:
		return errs.Field("standing", "err.standing.other_applicant")
	case !a.Revoked.IsZero():
		return errs.Field("standing", "err.standing.revoked")
	case on.Before(a.From):
		return errs.Field("standing", "err.standing.not_yet").With("from", a.From.String())
	case on.After(a.Until):
		return errs.Field("standing", "err.standing.expired").With("until", a.Until.String())
	case !slices.Contains(a.Items, itemID):
		return errs.Field("standing", "err.standing.scope")
	}
	return nil
}

// Holds reports whether the authorisation is in force on a day (for lists: which may still be used).
func (a Authorisation) Holds(on clock.Date) bool {
	return a.Revoked.IsZero() && !on.Before(a.From) && !on.After(a.Until)
}
