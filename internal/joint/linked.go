package joint

import "bianmin/internal/errs"

// 联合办理 at the window (seed 三.(一).3 "发起联合办理"): a clerk starts several related cases for one applicant
// that are not a predefined bundle (一件事), links them, and chooses whether their results are issued together.
// Each case keeps its own item, steps, clock and deciding organ; the link only lets every back office see the
// others and, when chosen, holds each result until all are decided (the bundle's rule, cases.IssueTogether).

// MaxLinked is the most cases one linked set holds (Bianmin's choice: a window's visit, not a project).
const MaxLinked = 10

// LinkedSet is a set of cases handled together.
type LinkedSet struct {
	ID        string   `json:"id"`
	Applicant string   `json:"applicant"`
	Cases     []string `json:"cases"`
	Together  bool     `json:"together"` // results issued together
	Note      string   `json:"note,omitempty"`
}

// Member is what the link's rule reads of a case.
type Member struct {
	ItemID, ApplicantID string
	Closed              bool
}

// CheckLinked validates the cases of a linked set: two at least, MaxLinked at most, different items, one
// applicant, all still open.
func CheckLinked(list []Member) error {
	if len(list) < 2 || len(list) > MaxLinked {
		return errs.Field("items", "err.joint.linked.count")
	}
	items := map[string]bool{}
	for _, c := range list {
		if c.ApplicantID != list[0].ApplicantID {
			return errs.Field("items", "err.joint.linked.applicant")
		}
		if items[c.ItemID] {
			return errs.Field("items", "err.joint.linked.same_item")
		}
		items[c.ItemID] = true
		if c.Closed {
			return errs.Field("items", "err.joint.linked.closed")
		}
	}
	return nil
}
