package web

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// TrustProxy names the reverse proxy (an IP address) whose X-Forwarded-For header says who the client is.
// Without it the header is ignored: anyone could write it, and the throttles per address would count
// whatever address a guesser chose.
func (s *Server) TrustProxy(addr string) error {
	if addr == "" {
		s.proxy = nil
		return nil
	}
	ip := net.ParseIP(strings.TrimSpace(addr))
	if ip == nil {
		return fmt.Errorf("-trusted-proxy: %q is not an IP address", addr)
	}
	s.proxy = ip
	return nil
}

// clientAddr is the address a request comes from, for the throttles: the connection's, or, when the
// connection is the trusted proxy's, the last address the proxy appended to X-Forwarded-For (addresses
// before it were written by the client and prove nothing).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if s.proxy == nil || !s.proxy.Equal(net.ParseIP(host)) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(hops[i]))
		if ip != nil && !ip.Equal(s.proxy) {
			return ip.String()
		}
	}
	return host
}
