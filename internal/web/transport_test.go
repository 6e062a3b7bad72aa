package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Finding 8: cookies are Secure and answers carry HSTS exactly when the browser came over HTTPS: TLS served
// by Bianmin, or the trusted proxy saying so. Anyone else's X-Forwarded-Proto is ignored.
func TestSecureCookiesAndHSTS(t *testing.T) {
	for _, tc := range []struct {
		name, proxy, remote, proto string
		tls, want                  bool
	}{
		{"plain HTTP, no proxy", "", "203.0.113.5:4000", "", false, false},
		{"a client's own X-Forwarded-Proto without a trusted proxy", "", "203.0.113.5:4000", "https", false, false},
		{"a stranger's X-Forwarded-Proto with a trusted proxy elsewhere", "10.0.0.1", "203.0.113.5:4000", "https", false, false},
		{"the trusted proxy says https", "10.0.0.1", "10.0.0.1:4000", "https", false, true},
		{"the trusted proxy says HTTPS", "10.0.0.1", "10.0.0.1:4000", "HTTPS", false, true},
		{"the trusted proxy says http", "10.0.0.1", "10.0.0.1:4000", "http", false, false},
		{"the proxy appended https after a client's http", "10.0.0.1", "10.0.0.1:4000", "http, https", false, true},
		{"the proxy appended http after a client's https", "10.0.0.1", "10.0.0.1:4000", "https, http", false, false},
		{"the trusted proxy without the header", "10.0.0.1", "10.0.0.1:4000", "", false, false},
		{"TLS served directly", "", "203.0.113.5:4000", "", true, true},
	} {
		s := &Server{}
		if err := s.TrustProxy(tc.proxy); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("POST", "/lang/mn", strings.NewReader("back=/"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = tc.remote
		if tc.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		w := httptest.NewRecorder()
		s.transport(http.HandlerFunc(s.switchLang)).ServeHTTP(w, r)
		cookies := w.Result().Cookies()
		if len(cookies) == 0 {
			t.Fatalf("%s: no cookie set", tc.name)
		}
		for _, c := range cookies {
			if c.Secure != tc.want {
				t.Errorf("%s: cookie %s Secure=%v, want %v", tc.name, c.Name, c.Secure, tc.want)
			}
		}
		if got := w.Header().Get("Strict-Transport-Security") != ""; got != tc.want {
			t.Errorf("%s: HSTS sent=%v, want %v", tc.name, got, tc.want)
		}
	}
}
