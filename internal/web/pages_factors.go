package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"

	"github.com/skip2/go-qrcode"

	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/service"
)

// Second factor pages: the code after the password (login_code), and enrolment (twofactor).

// loginCodeData is the code page's hidden state: the challenge the password opened.
type loginCodeData struct{ Challenge string }

// askCode shows the page asking for the second factor's code after a right password.
func (s *Server) askCode(w http.ResponseWriter, r *http.Request, challenge, back string, status int, err error) {
	p := s.page(r, "title.login_code")
	p.Form["back"] = back
	p.Data = loginCodeData{Challenge: challenge}
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	s.render(w, status, "login_code", p)
}

// loginCode takes the code (or a recovery code) and opens the session.
func (s *Server) loginCode(w http.ResponseWriter, r *http.Request) {
	back := safeBack(r.FormValue("back"))
	me, sess, err := s.svc.CompleteLogin(r.Context(), r.FormValue("challenge"), r.FormValue("totp"), s.clientAddr(r))
	if err != nil {
		// The challenge lives on for its remaining tries; once spent, the password is asked again.
		s.askCode(w, r, r.FormValue("challenge"), back, status(err), err)
		return
	}
	s.signedIn(w, r, me, sess.Token, back)
}

// signedIn sets the session cookie and sends the new session on.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, me people.Staff, token, back string) {
	s.setCookie(w, r, sessionCookie, token, int(s.svc.SessionTTL().Seconds()))
	if _, err := r.Cookie(langCookie); err != nil {
		s.setCookie(w, r, langCookie, me.Lang, 365*24*3600)
	}
	dest := back
	switch {
	case me.MustChangePassword:
		dest = "/account/password?ok=must_change"
	case s.svc.RequiresSecondFactor(me):
		if has, err := s.svc.HasSecondFactor(r.Context(), me.ID); err == nil && !has {
			dest = "/account/2fa"
		}
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

// secondFactorNeeded reports Login's answer that the code comes next.
func secondFactorNeeded(err error) (string, bool) {
	var need *service.SecondFactorNeeded
	if errors.As(err, &need) {
		return need.Challenge, true
	}
	return "", false
}

// enrolData is what the enrolment page shows.
type enrolData struct {
	Secret   string
	URI      string
	QR       template.URL // data: PNG of the otpauth:// address
	Enrolled bool
	Codes    []string // the recovery codes, shown once after enrolment
}

// twoFactorForm shows a fresh secret and its QR code to scan with an authenticator app.
func (s *Server) twoFactorForm(w http.ResponseWriter, r *http.Request) {
	s.showEnrolment(w, r, http.StatusOK, nil, "")
}

func (s *Server) showEnrolment(w http.ResponseWriter, r *http.Request, code int, err error, secret string) {
	c := rc(r)
	p := s.page(r, "title.twofactor")
	en, e := s.svc.NewEnrolment(*c.me)
	if e != nil {
		s.fail(w, r, e)
		return
	}
	if secret != "" { // the same secret again after a wrong code: the app has it already
		if b, e := people.DecodeTOTPSecret(secret); e == nil && len(b) == people.TOTPSecretBytes {
			en = service.Enrolment{Secret: secret, URI: people.TOTPURI("Bianmin", c.me.Username, b)}
		}
	}
	png, e := qrcode.Encode(en.URI, qrcode.Medium, 256)
	if e != nil {
		s.fail(w, r, errs.Wrap(e, "qr"))
		return
	}
	has, e := s.svc.HasSecondFactor(r.Context(), c.me.ID)
	if e != nil {
		s.fail(w, r, e)
		return
	}
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	p.Data = enrolData{Secret: en.Secret, URI: en.URI, Enrolled: has,
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	s.render(w, code, "twofactor", p)
}

// twoFactorEnrol confirms the secret with a code from the app and shows the recovery codes, once.
func (s *Server) twoFactorEnrol(w http.ResponseWriter, r *http.Request) {
	c := rc(r)
	codes, err := s.svc.Enrol(r.Context(), *c.me, c.token, r.FormValue("secret"), r.FormValue("totp"))
	if err != nil {
		s.showEnrolment(w, r, status(err), err, r.FormValue("secret"))
		return
	}
	p := s.page(r, "title.twofactor")
	p.Flash = "flash.twofactor"
	p.Data = enrolData{Enrolled: true, Codes: codes}
	s.render(w, http.StatusOK, "twofactor", p)
}
