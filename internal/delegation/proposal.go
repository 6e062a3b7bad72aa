package delegation

import (
	"slices"
	"strings"
	"time"

	"bianmin/internal/errs"
)

// Proposals (issue 14 point 1: "UI, API and the catalog import formats"): a delegation record that came with a
// catalog file (the JSON file's delegations, the template's sheet 赋权) is not yet a delegation. Handing a
// power down is the department's own act on its legal document (the seed 四.(一): the departments "各自与苏木乡
// 镇街道当面移交", each its own items), while a catalog file is imported by whoever keeps the catalog. So an
// imported record becomes a proposal of its department: the department's staff who may delegate by hand
// confirm it, which makes the delegation exactly as the form does (the same checks, the same audit), or
// refuse it with reasons. A proposal is decided once.

// ProposalState is where a proposal stands.
type ProposalState string

const (
	Proposed  ProposalState = "proposed"  // waiting for its department
	Confirmed ProposalState = "confirmed" // the department made the delegation (DelegationID)
	Declined  ProposalState = "refused"   // the department refused it, with reasons
)

// ProposalStates in the order the page's filter lists them.
var ProposalStates = []ProposalState{Proposed, Confirmed, Declined}

// ProposalTown is a township a record named, as matched: its id and name.
type ProposalTown struct {
	OrgID string `json:"org_id"`
	Name  string `json:"name"`
}

// Proposal is an imported delegation record matched against the catalog it came into: its department, its
// item and its townships found by name or code; the document's number and dates as the file gave them
// (checked again, against the day, when the department confirms).
type Proposal struct {
	ID           string         `json:"id"`
	DeptID       string         `json:"dept_id"`
	DeptPath     string         `json:"dept_path"`
	DeptName     string         `json:"dept_name"`
	ItemID       string         `json:"item_id"`
	ItemName     string         `json:"item_name"`
	Scope        Scope          `json:"scope"`
	Townships    []ProposalTown `json:"townships"`
	DocNo        string         `json:"doc_no"`
	DocDate      string         `json:"doc_date"`
	Start        string         `json:"start"`
	Note         string         `json:"note,omitempty"`
	Source       string         `json:"source"` // the file and the record's place in it
	State        ProposalState  `json:"state"`
	Reason       string         `json:"reason,omitempty"`        // of a refusal
	DelegationID string         `json:"delegation_id,omitempty"` // the delegation a confirmation made
	CreatedBy    string         `json:"created_by"`
	CreatedName  string         `json:"created_name"`
	CreatedAt    time.Time      `json:"created_at"`
	DecidedBy    string         `json:"decided_by,omitempty"`
	DecidedName  string         `json:"decided_name,omitempty"`
	DecidedAt    time.Time      `json:"decided_at,omitzero"`
	Version      int            `json:"version"`
	// ItemStatus is where the item's latest version stands (draft, review, published, retired), read with the
	// list and never kept: a proposal of an item not yet published cannot be confirmed until it is.
	ItemStatus string `json:"item_status,omitempty"`
}

// Input is the delegation the proposal asks its department to make, as if typed on the form.
func (p Proposal) Input() Input {
	in := Input{ItemID: p.ItemID, Scope: string(p.Scope), DocNo: p.DocNo, DocDate: p.DocDate, Start: p.Start}
	for _, t := range p.Townships {
		in.Townships = append(in.Townships, t.OrgID)
	}
	return in
}

// decide refuses a move on a proposal already decided: confirming twice must not make two delegations.
func (p *Proposal) decide(to ProposalState, by, name string, at time.Time) error {
	if p.State != Proposed {
		return errs.New(errs.Conflict, "err.deleg2.proposal_decided").With("state", string(p.State))
	}
	p.State, p.DecidedBy, p.DecidedName, p.DecidedAt = to, by, name, at
	return nil
}

// Confirm records that the department made delegation id from the proposal.
func (p *Proposal) Confirm(id, by, name string, at time.Time) error {
	if err := p.decide(Confirmed, by, name, at); err != nil {
		return err
	}
	p.DelegationID = id
	return nil
}

// Refuse records the department's refusal with its reasons (required, at most MaxReason characters).
func (p *Proposal) Refuse(reason, by, name string, at time.Time) error {
	if p.State != Proposed {
		return p.decide(Declined, by, name, at)
	}
	if e := Text("reason", reason, MaxReason); e != nil {
		return e
	}
	p.Reason = reason
	return p.decide(Declined, by, name, at)
}

// Already says why an imported record proposes nothing: a proposal of the same delegation still waits, or
// the delegation is already made and active (in force, or planned from its start date).
type Already string

const (
	AlreadyProposed  Already = "proposed"
	AlreadyDelegated Already = "delegated"
)

// sameTowns reports whether two lists name the same townships, in any order.
func sameTowns(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}

func (p Proposal) townIDs() []string {
	out := make([]string, len(p.Townships))
	for i, t := range p.Townships {
		out[i] = t.OrgID
	}
	return out
}

// Same reports whether two proposals ask for the same delegation: the same department, item, scope,
// townships (in any order) and document number. The dates and the note do not count: a file sent again with
// a corrected start is still the same delegation, which the department confirms or refuses once.
func (p Proposal) Same(q Proposal) bool {
	return p.DeptID == q.DeptID && p.ItemID == q.ItemID && p.Scope == q.Scope && strings.TrimSpace(p.DocNo) == strings.TrimSpace(q.DocNo) &&
		sameTowns(p.townIDs(), q.townIDs())
}

// SameAs reports whether a proposal asks for delegation d, by the same fields as Same.
func (p Proposal) SameAs(d Delegation) bool {
	towns := make([]string, len(d.Townships))
	for i, t := range d.Townships {
		towns[i] = t.OrgID
	}
	return p.DeptID == d.DeptID && p.ItemID == d.ItemID && p.Scope == d.Scope && strings.TrimSpace(p.DocNo) == strings.TrimSpace(d.DocNo) && sameTowns(p.townIDs(), towns)
}

// AlreadyIn says whether an imported record, matched as p, would propose again what waits or is done: a
// proposal among waiting that is still proposed and the same, or a delegation among dels that is active and
// the same (a paused or revoked one may be proposed again: delegating anew is a decision of its own). It
// returns the reason and the id of the proposal or delegation found; "" when p is new. Re-importing a file
// must not ask the department twice for one decision (issue 14: a department hands over its items once).
func (p Proposal) AlreadyIn(waiting []Proposal, dels []Delegation) (Already, string) {
	for _, d := range dels {
		if d.State == Active && p.SameAs(d) {
			return AlreadyDelegated, d.ID
		}
	}
	for _, q := range waiting {
		if q.State == Proposed && p.Same(q) {
			return AlreadyProposed, q.ID
		}
	}
	return "", ""
}
