package web

import (
	"net/http"

	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
)

// home is the public front page: the banner's bilingual sign and its townships.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.home")
	roots, err := s.svc.DB.Subtree(r.Context(), "/", org.Banner, org.Township)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org.SortByCode(roots)
	p.Data = roots
	s.render(w, http.StatusOK, "home", p)
}

// switchLang sets the language of this device. Only the header's switch, a form posted with the session's
// token, changes the account's own language too: a link (GET) followed from anywhere must not change what
// is stored.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Parse(r.PathValue("lang"))
	back := r.URL.Query().Get("back")
	if r.Method == http.MethodPost {
		back = r.PostFormValue("back")
		if c := rc(r); c.me != nil {
			if r.PostFormValue("csrf") != c.sess.CSRF {
				s.fail(w, r, errs.New(errs.Forbidden, "err.csrf"))
				return
			}
			_ = s.svc.SetLang(r.Context(), *c.me, string(lang))
		}
	}
	s.setCookie(w, r, langCookie, string(lang), 365*24*3600)
	http.Redirect(w, r, safeBack(back), http.StatusSeeOther)
}

func (s *Server) switchView(w http.ResponseWriter, r *http.Request) {
	mode := "normal"
	if r.PathValue("mode") == "large" {
		mode = "large"
	}
	s.setCookie(w, r, viewCookie, mode, 365*24*3600)
	http.Redirect(w, r, safeBack(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if rc(r).me != nil {
		http.Redirect(w, r, "/desk", http.StatusSeeOther)
		return
	}
	p := s.page(r, "title.login")
	p.Form["back"] = safeBack(r.URL.Query().Get("back"))
	s.render(w, http.StatusOK, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.login")
	p.Form = formValues(r, "username", "back")
	me, sess, err := s.svc.Login(r.Context(), r.FormValue("username"), r.FormValue("password"), s.clientAddr(r))
	if challenge, ok := secondFactorNeeded(err); ok { // the password was right: the code comes next
		s.askCode(w, r, challenge, safeBack(r.FormValue("back")), http.StatusOK, nil)
		return
	}
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "login", p)
		return
	}
	s.signedIn(w, r, me, sess.Token, safeBack(r.FormValue("back")))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	_ = s.svc.Logout(r.Context(), rc(r).token)
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) desk(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.desk")
	me := rc(r).me
	home, err := s.svc.Home(r.Context(), me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := deskData{Home: home}
	// Deadlines beyond the loaded calendar are provisional: the people who accept cases, load the next year's
	// schedule or watch deadlines are told.
	if err := s.warnCalendar(r, p); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = d
	s.render(w, http.StatusOK, "desk", p)
}

type deskData struct {
	Home org.Org
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "password", s.page(r, "title.password"))
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) {
	c := rc(r)
	err := s.svc.ChangePassword(r.Context(), *c.me, c.token, r.FormValue("old_password"), r.FormValue("new_password"), r.FormValue("confirm_password"))
	if err != nil {
		p := s.page(r, "title.password")
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "password", p)
		return
	}
	http.Redirect(w, r, "/desk?ok=password", http.StatusSeeOther)
}
