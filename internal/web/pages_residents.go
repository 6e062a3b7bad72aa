package web

import (
	"errors"
	"net/http"
	"strings"

	"bianmin/internal/org"
	"bianmin/internal/service"
)

// Residents' own pages (the online channel): registration, login, logout, "my applications", and the
// application from a guide. A resident's session is not a staff session: staff pages send a resident to the
// staff login, and these pages send staff to the resident login.

type registerData struct {
	Residences []org.Org
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, code int, p *Page) {
	list, err := s.svc.Residences(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = registerData{Residences: list}
	s.render(w, code, "register", p)
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.register")
	p.Form["back"] = safeBack(r.URL.Query().Get("back"))
	s.registerPage(w, r, http.StatusOK, p)
}

// registrationCookie holds the ticket of a registration waiting for its SMS code (service.RegistrationPending):
// only the browser that started it can finish it.
const registrationCookie = "bm_registration"

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	in := service.RegisterInput{Name: r.FormValue("name"), IDNumber: r.FormValue("id_number"), Phone: r.FormValue("phone"), OrgID: r.FormValue("org"),
		Password: r.FormValue("password"), Confirm: r.FormValue("confirm_password"), Lang: string(rc(r).lang)}
	in.SMSCode = r.FormValue("sms_code")
	if c, err := r.Cookie(registrationCookie); err == nil && in.SMSCode != "" {
		in.Ticket = c.Value
	}
	_, sess, err := s.svc.RegisterResident(r.Context(), in, s.clientAddr(r))
	var pending *service.RegistrationPending
	if errors.As(err, &pending) || (err != nil && in.SMSCode != "") {
		// the code went to the phone on record (identity.go): the page asks for it, and this browser keeps
		// the ticket that alone lets the code finish this registration
		p := s.page(r, "title.register_code")
		p.Form = formValues(r, "id_number", "back")
		code := http.StatusOK
		if pending != nil {
			p.Data = pending.Phone
			http.SetCookie(w, &http.Cookie{Name: registrationCookie, Value: pending.Ticket, Path: "/resident/register",
				MaxAge: int(service.RegistrationTTL.Seconds()), HttpOnly: true, Secure: s.overHTTPS(r), SameSite: http.SameSiteStrictMode})
		} else {
			p.Errors = s.fieldErrors(p.Lang, err)
			code = status(err)
		}
		s.render(w, code, "register_code", p)
		return
	}
	if err != nil {
		p := s.page(r, "title.register")
		p.Form = formValues(r, "name", "id_number", "phone", "org", "back")
		p.Errors = s.fieldErrors(p.Lang, err)
		s.registerPage(w, r, status(err), p)
		return
	}
	if in.Ticket != "" {
		http.SetCookie(w, &http.Cookie{Name: registrationCookie, Path: "/resident/register", MaxAge: -1, HttpOnly: true, Secure: s.overHTTPS(r)})
	}
	s.setCookie(w, r, residentCookie, sess.Token, int(s.svc.SessionTTL().Seconds()))
	http.Redirect(w, r, residentBack(r.FormValue("back"), "registered"), http.StatusSeeOther)
}

// residentBack is where a resident goes after signing in: back to the guide they came from, else their
// applications.
func residentBack(back, ok string) string {
	if b := safeBack(back); strings.HasPrefix(b, "/portal/") || strings.HasPrefix(b, "/my") {
		return b
	}
	return "/my?ok=" + ok
}

func (s *Server) residentLoginForm(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.resident_login")
	p.Form["back"] = safeBack(r.URL.Query().Get("back"))
	s.render(w, http.StatusOK, "resident_login", p)
}

func (s *Server) residentLogin(w http.ResponseWriter, r *http.Request) {
	_, sess, err := s.svc.ResidentLogin(r.Context(), r.FormValue("id_number"), r.FormValue("password"), s.clientAddr(r))
	if err != nil {
		p := s.page(r, "title.resident_login")
		p.Form = formValues(r, "id_number", "back")
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "resident_login", p)
		return
	}
	s.setCookie(w, r, residentCookie, sess.Token, int(s.svc.SessionTTL().Seconds()))
	http.Redirect(w, r, residentBack(r.FormValue("back"), "signed_in"), http.StatusSeeOther)
}

func (s *Server) residentLogout(w http.ResponseWriter, r *http.Request) {
	_ = s.svc.ResidentLogout(r.Context(), rc(r).rtoken)
	s.setCookie(w, r, residentCookie, "", -1)
	http.Redirect(w, r, "/portal", http.StatusSeeOther)
}

func (s *Server) myCases(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.MyCases(r.Context(), *rc(r).resident)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.my")
	p.Data = list
	s.render(w, http.StatusOK, "my", p)
}
