package stations

import (
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// The way between a station and its township (seed 三.(三): the station receives and forwards; MISSION.md: the
// agent "collects and forwards materials, brings results back"). Two kinds of list travel: the paper
// originals a station took in go to the township whose window checks them, and the results the township
// issued to a station (cases.ViaStation) come back to it. Each list is marked sent by the one side and
// received by the other, once; a case travels on one list of each kind.

// ListKind is what a list carries.
type ListKind string

const (
	Originals ListKind = "originals" // station → township: the papers of cases taken in at the station
	Results   ListKind = "results"   // township → station: issued results to hand over
)

// Handover is the record of a result handed to the resident at the station: who signed for it. A result
// served on paper is acknowledged by the signature of the one who receives it on the 送达回证, with the date
// (民事诉讼法 (2021年修正) 第八十七条, the form 行政许可法 第44条 service follows in practice); someone other than
// the applicant signs with their relation to them (a family member living with them, 同上 第八十八条).
type Handover struct {
	CaseID   string    `json:"case_id"`
	Signer   string    `json:"signer"`             // the name signed
	Relation string    `json:"relation,omitempty"` // "" when the applicant signed themselves
	Signed   bool      `json:"signed"`             // the signature is on the 送达回证 the agent keeps
	SigRef   string    `json:"sig_ref,omitempty"`  // a reference to the signed paper's image, when there is one
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	ByName   string    `json:"by_name"`
}

// Validate checks a handover: a signer, their signature, and a relation when the signer is not the applicant
// (applicantName).
func (h Handover) Validate(applicantName string) error {
	var l errs.List
	signer := strings.TrimSpace(h.Signer)
	if signer == "" {
		l.Add(errs.Field("signer", "err.required"))
	}
	l.Add(cases.TooLong("signer", h.Signer, MaxName))
	if !h.Signed {
		l.Add(errs.Field("signed", "err.handover.unsigned"))
	}
	if signer != "" && signer != strings.TrimSpace(applicantName) && strings.TrimSpace(h.Relation) == "" {
		l.Add(errs.Field("relation", "err.handover.relation"))
	}
	l.Add(cases.TooLong("relation", h.Relation, MaxName))
	l.Add(cases.TooLong("sig_ref", h.SigRef, MaxRef))
	return l.Err()
}
