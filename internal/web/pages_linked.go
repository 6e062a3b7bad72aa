package web

import (
	"net/http"
	"slices"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// 联合办理 at the window (issue 19, item 4; seed 三.(一).3 "发起联合办理"): the clerk finds the applicant by ID
// number, ticks the related items, and chooses whether the results are issued together.

type linkedData struct {
	Items  []catalog.Item
	chosen []string
}

// Chosen reports an item ticked on the form that came back.
func (d linkedData) Chosen(id string) bool { return slices.Contains(d.chosen, id) }

func (s *Server) linkedPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	items, err := s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "joint.linked.title_new")
	d := linkedData{Items: items}
	p.Form = map[string]string{"idem": ids.Token(16)}
	if formErr != nil {
		p.Errors, p.Form, d.chosen = s.fieldErrors(p.Lang, formErr), formValues(r, "id_number", "together", "idem"), r.Form["items"]
	}
	p.Data = d
	s.render(w, code, "linked", p)
}

func (s *Server) linkedNew(w http.ResponseWriter, r *http.Request) {
	s.linkedPage(w, r, http.StatusOK, nil)
}

// linkedCreate takes in the linked cases and opens the first.
func (s *Server) linkedCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var err error
	var made []string
	id := r.FormValue("id_number")
	if bad := people.CheckIDNumber("id_number", id); bad != nil {
		err = bad
	} else if a, aerr := s.svc.DB.ApplicantOfIDNumber(ctx, people.NormalizeIDNumber(id)); aerr != nil {
		err = errs.Field("id_number", "err.not_found").With("what", "applicant")
	} else {
		list, lerr := s.svc.ReceiveLinked(ctx, rc(r).me.Actor(), r.Form["items"], r.FormValue("together") == "1",
			service.ReceiveInput{ApplicantID: a.ID}, r.FormValue("idem"))
		err = lerr
		for _, c := range list {
			made = append(made, c.ID)
		}
	}
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.linkedPage(w, r, status(err), err)
		return
	}
	http.Redirect(w, r, "/cases/"+made[0]+"#linked", http.StatusSeeOther)
}

// bodyTime is a body's working days in the current round of a parallel step: what supervision attributes to
// it (the case's clock runs once for all).
type bodyTime struct {
	Name string
	Days int
	Done bool
}

// jointTimes gives each parallel step's bodies their time in the current round.
func (s *Server) jointTimes(r *http.Request, c cases.Case) map[int][]bodyTime {
	clk, err := s.svc.Clock(r.Context())
	if err != nil {
		return nil
	}
	today := clock.DateOf(s.svc.DB.Now().In(clk.Rules.Location))
	out := map[int][]bodyTime{}
	for i, st := range c.Steps {
		p := st.Parallel
		if p == nil || p.Round == 0 {
			continue
		}
		days := p.BodyTime(clk.Cal, clk.Rules.Location, today)
		for _, b := range p.Bodies {
			name := b
			if o, err := s.svc.DB.Org(r.Context(), b); err == nil {
				name = o.NameZh
			}
			out[i] = append(out[i], bodyTime{Name: name, Days: days[b], Done: p.Answered(b)})
		}
	}
	return out
}
