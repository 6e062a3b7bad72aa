// Package web is Bianmin's one web layer: server-rendered pages that work without JavaScript, and a JSON
// API over the same service calls. routes.go lists every route on one screen.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

//go:embed templates static
var assets embed.FS

// Server serves pages and the API.
type Server struct {
	svc   *service.Service
	cat   *i18n.Catalog
	log   *slog.Logger
	pages map[string]*template.Template
	// Secure marks cookies Secure; set when Bianmin is served over HTTPS.
	Secure bool
	proxy  net.IP // the trusted reverse proxy (TrustProxy); nil: none
	// PublicURL is the address people reach Bianmin at, without a trailing slash: QR codes print it.
	PublicURL string
	metrics   *metrics // the operator's view (metrics.go)
	// uploading counts the uploads each session has in flight (edge.go: uploadsPerSession)
	uploading sync.Map
}

// CheckPublicURL checks a configured public address: http or https, a host, no query; it returns it without
// a trailing slash.
func CheckPublicURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("-public-url takes an address such as https://bianmin.example.gov.cn (got %q)", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// DefaultPublicURL is the public address when none is configured: the listen address, with a host a phone
// on the same network could at least be told (an unspecified host becomes localhost).
func DefaultPublicURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// New parses the templates once; a template error stops the program at start-up, not at first use.
func New(svc *service.Service, log *slog.Logger) (*Server, error) {
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Server{svc: svc, cat: svc.Catalog, log: log, pages: pages, metrics: newMetrics(svc)}, nil
}

// parsed holds the pages, parsed once: they depend only on the embedded files and funcs, and a parse takes a
// tenth of a second (the tests start a server some two hundred times). Servers only execute them, which
// html/template allows at once.
var parsed struct {
	once  sync.Once
	pages map[string]*template.Template
	err   error
}

func parsePages() (map[string]*template.Template, error) {
	parsed.once.Do(func() {
		pages := map[string]*template.Template{}
		base, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html")
		if err != nil {
			parsed.err = err
			return
		}
		files, err := fs.Glob(assets, "templates/*.html")
		if err != nil {
			parsed.err = err
			return
		}
		for _, f := range files {
			name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
			if name == "layout" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(assets, f)
			if err != nil {
				parsed.err = err
				return
			}
			pages[name] = t
		}
		parsed.pages = pages
	})
	return parsed.pages, parsed.err
}

// PageNames lists the parsed pages, for the test that renders every page.
func (s *Server) PageNames() []string {
	out := make([]string, 0, len(s.pages))
	for k := range s.pages {
		out = append(out, k)
	}
	return out
}

type ctxKey struct{}

// reqCtx is what the middleware learns about a request.
type reqCtx struct {
	lang  i18n.Lang
	large bool
	me    *people.Staff
	sess  store.Session
	token string
	// resident is a resident signed in to their own account: a session of its own kind, which no staff page
	// or staff API operation accepts.
	resident *people.ResidentAccount
	rsess    store.Session
	rtoken   string
}

func rc(r *http.Request) *reqCtx {
	if c, ok := r.Context().Value(ctxKey{}).(*reqCtx); ok {
		return c
	}
	return &reqCtx{lang: i18n.Zh}
}

const (
	sessionCookie = "bm_session"
	langCookie    = "bm_lang"
	viewCookie    = "bm_view"
)

// residentCookie holds a resident's session (the online channel), never a staff one.
const residentCookie = "bm_resident"

// identify reads the language, view mode and session of a request.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The language is the one chosen on this device (cookie), else the one the request asks for
		// (Accept-Language, for kiosks and API clients), else the account's own, else Chinese.
		c := &reqCtx{lang: i18n.Zh}
		chosen := true
		if ck, err := r.Cookie(langCookie); err == nil {
			c.lang = i18n.Parse(ck.Value)
		} else if al := r.Header.Get("Accept-Language"); strings.HasPrefix(al, "mn") || strings.HasPrefix(al, "zh") {
			c.lang = i18n.Parse(al[:2])
		} else {
			chosen = false
		}
		if ck, err := r.Cookie(viewCookie); err == nil && ck.Value == "large" {
			c.large = true
		}
		// The API takes only the Bearer token: a cookie would let another site's form post to it from an old
		// browser that sends no Origin, and API callers (kiosks, the upper platform) have no forms to protect.
		// One exception: a page's own script (a station's resumable upload, uploads.js) calls the API with
		// the page's session when it sends that session's form token in X-CSRF-Token. Another site can read
		// neither the token nor send a header of its own without a CORS preflight, which Bianmin never grants.
		token := ""
		pageCSRF := r.Header.Get("X-CSRF-Token")
		cookieOK := !strings.HasPrefix(r.URL.Path, "/api/") || pageCSRF != ""
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token, pageCSRF = strings.TrimPrefix(h, "Bearer "), ""
		} else if ck, err := r.Cookie(sessionCookie); err == nil && cookieOK {
			token = ck.Value
		}
		rtoken := ""
		if strings.HasPrefix(token, store.ResidentTokenPrefix) {
			rtoken, token = token, "" // a resident's Bearer token
		} else if ck, err := r.Cookie(residentCookie); err == nil && cookieOK {
			rtoken = ck.Value
		}
		if rtoken != "" {
			if res, sess, err := s.svc.AuthenticateResident(r.Context(), rtoken); err == nil && (pageCSRF == "" || pageCSRF == sess.CSRF) {
				c.resident, c.rsess, c.rtoken = &res, sess, rtoken
				if !chosen {
					c.lang = i18n.Parse(res.Lang)
				}
			}
		}
		if token != "" {
			if me, sess, err := s.svc.Authenticate(r.Context(), token); err == nil && (pageCSRF == "" || pageCSRF == sess.CSRF) {
				c.me, c.sess, c.token = &me, sess, token
				if !chosen {
					c.lang = i18n.Parse(me.Lang)
				}
			}
		}
		if c.me != nil || c.resident != nil || private(r.URL.Path) {
			// Pages for someone signed in show full ID numbers and phones; lookups show a case. No browser,
			// proxy or shared computer keeps a copy. (Static files and public QR codes set their own.)
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, c)))
	})
}

// private reports the paths whose answers concern one person even without a session: sign-in, tracking and
// result lookups, verification, the API.
func private(path string) bool {
	for _, p := range []string{"/api/", "/login", "/resident/", "/track", "/results", "/verify/", "/my"} {
		if path == strings.TrimSuffix(p, "/") || strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// needLogin sends anonymous visitors of staff pages to the login page.
func (s *Server) needLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := rc(r)
		if c.me == nil {
			http.Redirect(w, r, "/login?back="+safeBack(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		// Forms carry the session's token: a second guard beside the browser's own cross-origin check,
		// for the old browsers some village stations still run.
		if r.Method == http.MethodPost && r.PostFormValue("csrf") != c.sess.CSRF {
			s.fail(w, r, errs.New(errs.Forbidden, "err.csrf"))
			return
		}
		// A password somebody else chose is changed before anything else is done with it.
		if c.me.MustChangePassword && r.URL.Path != "/account/password" && r.URL.Path != "/logout" {
			http.Redirect(w, r, "/account/password?ok=must_change", http.StatusSeeOther)
			return
		}
		// -require-2fa: a privileged account enrols its second factor before anything else.
		if !c.sess.SecondFactor && s.svc.RequiresSecondFactor(*c.me) && r.URL.Path != "/account/2fa" && r.URL.Path != "/logout" {
			http.Redirect(w, r, "/account/2fa", http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

// needResident sends visitors of a resident's pages to the resident login. Forms carry the resident
// session's own token.
func (s *Server) needResident(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := rc(r)
		if c.resident == nil {
			http.Redirect(w, r, "/resident/login?back="+url.QueryEscape(safeBack(r.URL.RequestURI())), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && r.PostFormValue("csrf") != c.rsess.CSRF {
			s.fail(w, r, errs.New(errs.Forbidden, "err.csrf"))
			return
		}
		h(w, r)
	}
}

// secure adds headers every response should carry.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// logged logs each request with its duration, and turns panics into a 500 page.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if v := recover(); v != nil {
				s.log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", v)
				http.Error(sw, "internal error", http.StatusInternalServerError)
			}
			s.log.DebugContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(sw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// status maps an error code to its HTTP status, in this one place.
func status(err error) int {
	switch errs.CodeOf(err) {
	case "":
		return http.StatusOK
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Conflict:
		return http.StatusConflict
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Locked:
		return http.StatusTooManyRequests
	case errs.BadRequest:
		return http.StatusBadRequest
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// safeBack keeps redirects on this site: a path of its own, nothing a browser could read as another host.
func safeBack(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\") ||
		strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "/desk"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "//") {
		return "/desk"
	}
	return p
}

var errNoTemplate = errors.New("no such template")
