package web

import (
	"net/http/httptest"
	"testing"
)

// X-Forwarded-For counts only from the proxy -trusted-proxy names, and then only the address the proxy
// itself appended.
func TestClientAddr(t *testing.T) {
	for _, tc := range []struct {
		name, proxy, remote, xff, want string
	}{
		{"no proxy configured: the header is ignored", "", "203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"a stranger's header is ignored", "10.0.0.1", "203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"the proxy's header names the client", "10.0.0.1", "10.0.0.1:4000", "198.51.100.1", "198.51.100.1"},
		{"addresses the client wrote before are not believed", "10.0.0.1", "10.0.0.1:4000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"the proxy itself at the end is skipped", "10.0.0.1", "10.0.0.1:4000", "198.51.100.1, 10.0.0.1", "198.51.100.1"},
		{"the proxy without a header is the client", "10.0.0.1", "10.0.0.1:4000", "", "10.0.0.1"},
		{"garbage in the header", "10.0.0.1", "10.0.0.1:4000", "not-an-ip", "10.0.0.1"},
		{"IPv6 proxy", "::1", "[::1]:4000", "2001:db8::7", "2001:db8::7"},
	} {
		s := &Server{}
		if err := s.TrustProxy(tc.proxy); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/track", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.clientAddr(r); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if err := (&Server{}).TrustProxy("proxy.example"); err == nil {
		t.Error("a name instead of an address was accepted")
	}
}
