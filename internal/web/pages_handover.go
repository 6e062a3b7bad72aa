package web

import (
	"net/http"
	"strconv"

	"bianmin/internal/errs"
	"bianmin/internal/joint"
	"bianmin/internal/service"
)

// 转办 (issue 19, item 3): a case's hand-overs and the form that hands it to the competent body (a township,
// or a banner department for a case with a banner step); the body's incoming hand-overs to accept or refuse,
// and those it made.

func (s *Server) caseHandover(w http.ResponseWriter, r *http.Request) {
	s.caseHandoverPage(w, r, http.StatusOK, nil)
}

func (s *Server) caseHandoverPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	d, err := s.svc.HandoversOfCase(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "joint.handover.title")
	p.Data = d
	if formErr != nil {
		p.Errors, p.Form = s.fieldErrors(p.Lang, formErr), formValues(r, "to", "reasons")
	}
	s.render(w, code, "handover", p)
}

// caseHandoverAsk hands the case over; with errors the form comes back with what was typed.
func (s *Server) caseHandoverAsk(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, _ := strconv.Atoi(r.FormValue("version"))
	if _, err := s.svc.HandOverCase(r.Context(), rc(r).me.Actor(), id, v, r.FormValue("to"), r.FormValue("reasons")); err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.caseHandoverPage(w, r, status(err), err)
		return
	}
	http.Redirect(w, r, "/cases/"+id+"/handover?ok=joint_handover_asked", http.StatusSeeOther)
}

type handoversData struct {
	Find              service.HandoverFind
	List              []service.HandoverView
	NextURL, FirstURL string
}

func (s *Server) handovers(w http.ResponseWriter, r *http.Request) {
	s.handoversPage(w, r, http.StatusOK, nil)
}

// handoversFind reads the list's question from the URL (the form's own answer keeps it in back).
func handoversFind(r *http.Request) service.HandoverFind {
	q := r.URL.Query()
	return service.HandoverFind{Way: q.Get("way"), Q: q.Get("q"), State: q.Get("state"), Cursor: q.Get("cursor")}
}

// handoversPage lists the township's incoming hand-overs (to accept or refuse) or those it made, a page at a
// time, searchable by case number, item, body or applicant and by state.
func (s *Server) handoversPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	f := handoversFind(r)
	p := s.page(r, "joint.handover.title_list")
	p.Form = map[string]string{"way": f.Way, "q": f.Q, "state": f.State}
	list, err := s.svc.FindHandovers(r.Context(), rc(r).me.Actor(), f)
	if errs.CodeOf(err) == errs.Invalid {
		p.Errors, p.Data = s.fieldErrors(p.Lang, err), handoversData{Find: f}
		s.render(w, http.StatusBadRequest, "handovers", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := handoversData{Find: f, List: list.List}
	d.NextURL, d.FirstURL = pagerURLs(r, list.Next)
	p.Data = d
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
		p.Form["id"] = r.PathValue("id")
	}
	s.render(w, code, "handovers", p)
}

// HandoverStates are the states a hand-over list filters on.
func (p *Page) HandoverStates() []joint.HandoverState {
	return []joint.HandoverState{joint.Pending, joint.Accepted, joint.RefusedToTake}
}

// handoverAnswer accepts or refuses a hand-over.
func (s *Server) handoverAnswer(w http.ResponseWriter, r *http.Request) {
	v, _ := strconv.Atoi(r.FormValue("version"))
	var err error
	switch do := r.FormValue("do"); do {
	case "accept", "refuse":
		_, err = s.svc.AnswerHandover(r.Context(), rc(r).me.Actor(), r.PathValue("id"), v, do == "accept", r.FormValue("answer"))
	default:
		err = errs.Field("do", "err.required")
	}
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.handoversPage(w, r, status(err), err)
		return
	}
	http.Redirect(w, r, "/handovers?ok=joint_handover_answered", http.StatusSeeOther)
}

// JointVerdicts are the opinions a body of a parallel step may give, in order.
func (p *Page) JointVerdicts() []joint.Verdict { return joint.Verdicts }
