package web

import (
	"net/http"

	"bianmin/internal/access"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/stations"
)

type staffData struct {
	List  []people.Staff
	Orgs  map[string]org.Org
	Roles []access.Role
	Units []org.Org // where a new account may be placed
	// the list's search box and pages
	Q                 string
	NextURL, FirstURL string
}

func (s *Server) staffList(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me
	q := r.URL.Query()
	page, err := s.svc.FindStaff(r.Context(), me.Actor(), q.Get("q"), q.Get("cursor"), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.orgIndex(r, me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.staff")
	d := staffData{List: page.List, Orgs: orgs, Q: q.Get("q")}
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	p.Data = d
	s.render(w, http.StatusOK, "staff", p)
}

// orgIndex maps the ids of the actor's subtree to their organisations, for names in lists.
func (s *Server) orgIndex(r *http.Request, actor access.Actor) (map[string]org.Org, error) {
	list, err := s.svc.Visible(r.Context(), actor)
	m := make(map[string]org.Org, len(list))
	for _, o := range list {
		m[o.ID] = o
	}
	return m, err
}

func (s *Server) staffFormData(r *http.Request) (staffData, error) {
	actor := rc(r).me.Actor()
	var d staffData
	for _, role := range access.Roles {
		if actor.MayGrant(role) {
			d.Roles = append(d.Roles, role)
		}
	}
	units, err := s.svc.Visible(r.Context(), actor, org.Banner, org.Township, org.Village, org.Department)
	d.Units = units
	return d, err
}

func (s *Server) staffForm(w http.ResponseWriter, r *http.Request) {
	d, err := s.staffFormData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.staff_new")
	p.Data = d
	s.render(w, http.StatusOK, "staff_new", p)
}

func (s *Server) staffCreate(w http.ResponseWriter, r *http.Request) {
	in := service.StaffInput{Username: r.FormValue("username"), Name: r.FormValue("name"), Phone: r.FormValue("phone"),
		Role: r.FormValue("role"), OrgID: r.FormValue("org"), Lang: r.FormValue("lang"), Password: r.FormValue("password")}
	_, err := s.svc.CreateStaff(r.Context(), rc(r).me.Actor(), in)
	if err == nil {
		http.Redirect(w, r, "/staff?ok=created", http.StatusSeeOther)
		return
	}
	d, derr := s.staffFormData(r)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	p := s.page(r, "title.staff_new")
	p.Data = d
	p.Form = formValues(r, "username", "name", "phone", "role", "org", "lang")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "staff_new", p)
}

type applicantsData struct {
	Units []org.Org
}

func (s *Server) applicantUnits(r *http.Request) ([]org.Org, error) {
	return s.svc.Visible(r.Context(), rc(r).me.Actor(), org.Township, org.Village)
}

func (s *Server) applicantForm(w http.ResponseWriter, r *http.Request) {
	units, err := s.applicantUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.applicant_new")
	p.Data = applicantsData{Units: units}
	// The key makes the submission idempotent: a double click or a resend after a dropped link makes one.
	p.Form = map[string]string{"kind": "resident", "idem": ids.Token(16)}
	s.render(w, http.StatusOK, "applicant_new", p)
}

func (s *Server) applicantCreate(w http.ResponseWriter, r *http.Request) {
	in := service.ApplicantInput{Kind: r.FormValue("kind"), Name: r.FormValue("name"), IDNumber: r.FormValue("id_number"),
		CreditCode: r.FormValue("credit_code"), CreditOverride: r.FormValue("credit_override"), Phone: r.FormValue("phone"),
		Address: r.FormValue("address"), OrgID: r.FormValue("org")}
	a, err := s.svc.CreateApplicant(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	if err == nil {
		http.Redirect(w, r, "/applicants/"+a.ID+"?ok=created", http.StatusSeeOther)
		return
	}
	units, uerr := s.applicantUnits(r)
	if uerr != nil {
		s.fail(w, r, uerr)
		return
	}
	p := s.page(r, "title.applicant_new")
	p.Data = applicantsData{Units: units}
	p.Form = formValues(r, "kind", "name", "id_number", "credit_code", "credit_override", "phone", "address", "org", "idem")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "applicant_new", p)
}

type applicantView struct {
	A   people.Applicant
	Org org.Org
	// the 帮办 mark, for the front desk and station of the applicant's place only (pages_stations.go)
	NeedsDesk bool
	Needs     stations.Mark
}

func (s *Server) applicantShow(w http.ResponseWriter, r *http.Request) {
	s.applicantRender(w, r, r.PathValue("id"), nil)
}

func (s *Server) applicantRender(w http.ResponseWriter, r *http.Request, id string, ferr error) {
	actor := rc(r).me.Actor()
	a, err := s.svc.Applicant(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.svc.DB.Org(r.Context(), a.OrgID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.applicant")
	v := applicantView{A: a, Org: o}
	if m, _, err := s.svc.Needs(r.Context(), actor, a.ID); err == nil {
		v.NeedsDesk, v.Needs = true, m
	}
	p.Data = v
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
		p.Form = formValues(r, "note", "consent_by")
	}
	s.render(w, status(ferr), "applicant", p)
}
