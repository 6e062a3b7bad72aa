package web

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// healthz answers whether the process is alive: it answers. It asks nothing of the database, so that a slow
// database does not make an orchestrator kill a process that would recover (that is /readyz's question).
// A second line says whether this instance runs the background jobs now (leader) or not (follower).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	role := "follower\n"
	if s.svc.DB.Leading() {
		role = "leader\n"
	}
	w.Write([]byte("ok\n" + role))
}

// readyz answers whether the process should be sent requests: the database answers and every migration
// this binary carries is applied. 503 otherwise, saying which (no secrets: a migration's file name).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	pending, err := s.svc.DB.Ready(ctx)
	switch {
	case err != nil:
		s.log.WarnContext(r.Context(), "not ready: database unavailable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
	case len(pending) > 0:
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("migrations pending: " + strings.Join(pending, ", ") + "\n"))
	default:
		w.Write([]byte("ready\n"))
	}
}
