package web

import (
	"net"
	"net/http"
	"strings"
)

// hstsValue keeps browsers on HTTPS for a year once they have seen Bianmin over it (等保 2.0 三级, 通信传输:
// "应采用密码技术保证通信过程中数据的完整性/保密性").
const hstsValue = "max-age=31536000"

// overHTTPS reports whether the browser reached Bianmin over HTTPS: Bianmin serves TLS itself, or the
// request came through the trusted proxy (-trusted-proxy) and it says X-Forwarded-Proto: https. The header
// from anyone else is ignored, as X-Forwarded-For is. Secure (set by the program when every address it is
// reached at is HTTPS) counts too.
func (s *Server) overHTTPS(r *http.Request) bool {
	if r.TLS != nil || s.Secure {
		return true
	}
	if s.proxy == nil {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.proxy.Equal(net.ParseIP(host)) {
		return false
	}
	// A proxy chain appends; the last value is the one our proxy wrote.
	vals := strings.Split(strings.Join(r.Header.Values("X-Forwarded-Proto"), ","), ",")
	return strings.EqualFold(strings.TrimSpace(vals[len(vals)-1]), "https")
}

// transport adds Strict-Transport-Security to every answer given over HTTPS (a browser ignores it over
// plain HTTP, and sending it there would promise what is not so).
func (s *Server) transport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.overHTTPS(r) {
			w.Header().Set("Strict-Transport-Security", hstsValue)
		}
		next.ServeHTTP(w, r)
	})
}

// setCookie sets one of Bianmin's cookies: never readable by scripts, not sent on other sites' posts, and
// Secure whenever the request came over HTTPS, so that the browser never sends it over plain HTTP.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode})
}
