package web

import (
	"net/http"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
)

// The delegation records a catalog import brought (issue 14; service/delegation_import.go): /delegation-proposals
// lists a department's proposals (searched, by state, a page at a time) with a form to confirm each (the
// delegation is made as the form of /delegations makes it) or to refuse it with reasons.

type proposalsData struct {
	List      []delegation.Proposal
	Q         string
	State     string
	States    []delegation.ProposalState
	MayDecide bool
	NextURL   string
	FirstURL  string
	// ErrRow is the proposal whose form came back with errors: its reason field shows them and keeps what was
	// typed; the summary's links jump to it (the reason field, or the row for the confirmation's errors).
	ErrRow string
}

func (s *Server) proposalsView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	q := r.URL.Query()
	d := proposalsData{Q: q.Get("q"), State: q.Get("state"), States: delegation.ProposalStates, MayDecide: actor.Role.Has(access.DelegationManage)}
	if _, ok := q["state"]; !ok {
		d.State = string(delegation.Proposed) // what waits for the department, unless asked otherwise
	}
	page, err := s.svc.DelegationProposals(r.Context(), actor, d.Q, d.State, q.Get("cursor"))
	if err != nil {
		return nil, "", err
	}
	d.List = page.List
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	p := s.page(r, "deleg3.title")
	p.Data = d
	return p, "delegation_proposals", nil
}

func (s *Server) delegationProposals(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.proposalsView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

// delegationProposalAct confirms (op=confirm) or refuses (op=refuse, with reasons) one proposal.
func (s *Server) delegationProposalAct(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.FormValue("version"))
	var err error
	switch r.FormValue("op") {
	case "confirm":
		d, cerr := s.svc.ConfirmProposal(r.Context(), actor, id, version)
		if cerr == nil {
			http.Redirect(w, r, "/delegations/"+d.ID+"?ok=created", http.StatusSeeOther)
			return
		}
		err = cerr
	case "refuse":
		_, err = s.svc.RefuseProposal(r.Context(), actor, id, version, strings.TrimSpace(r.FormValue("reason")))
	default:
		err = errs.Field("op", "err.find.choice")
	}
	if err == nil {
		http.Redirect(w, r, "/delegation-proposals?ok=saved", http.StatusSeeOther)
		return
	}
	s.proposalAgain(w, r, err, id)
}

// proposalAgain shows the list again with the errors of proposal id's form: each row has its own forms, so
// the error summary's links name that row's reason field (f-reason-<id>), or the row itself for what the
// confirmation found (the item, the document's date: fields of the delegation, not of this page).
func (s *Server) proposalAgain(w http.ResponseWriter, r *http.Request, err error, id string) {
	if !onForm(err) {
		s.fail(w, r, err)
		return
	}
	p, name, perr := s.proposalsView(r)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	d := p.Data.(proposalsData)
	d.ErrRow = id
	p.Data = d
	p.Form = formValues(r, "reason")
	p.Errors = s.fieldErrors(p.Lang, err)
	for i, e := range p.Errors {
		switch {
		case e.Field == "reason":
			p.Errors[i].Anchor = "f-reason-" + id
		case e.Field != "":
			p.Errors[i].Anchor = "proposal-" + id
		}
	}
	s.render(w, status(err), name, p)
}
