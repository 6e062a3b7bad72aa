package web

import (
	"net/http"

	"bianmin/internal/store"
)

// The read replica (-db-read, issue 18). Which reads go to it is chosen here by route: the routes wrapped in
// fromReplica in routes.go (the portal, the monthly reports, the supervision dashboard and its export) and
// the API operations in replicaOps. Everything else, and everything a form posts, reads the primary.
//
// Read-your-writes: a request that wrote leaves the primary's WAL position after its write in a cookie
// (lsnCookie); the next requests of that browser, on whichever instance, read the replica only once it has
// replayed that far (store.ReadReplica), else the primary.

// replicaOps are the API operations whose reads may go to the replica.
var replicaOps = map[string]bool{"searchItems": true, "getItem": true, "supervisionDashboard": true}

// lsnCookie holds the primary's WAL position after the browser's last write. Its life is a bound, not a
// promise: the replica is used only while it lags less than -db-read-lag, so by then it has the write.
const (
	lsnCookie    = "bianmin_lsn"
	lsnCookieAge = 60 // seconds
)

// fromReplica lets a route's reads go to the replica, after the browser's own last write.
func (s *Server) fromReplica(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.svc.DB.HasReplica() {
			h(w, r)
			return
		}
		var after uint64
		if c, err := r.Cookie(lsnCookie); err == nil {
			var perr error
			if after, perr = store.ParseLSN(c.Value); perr != nil {
				after = ^uint64(0) // unreadable: the primary, which has everything
			}
		}
		h(w, r.WithContext(store.ReadReplica(r.Context(), after)))
	}
}

// notingWrites keeps, for a request that writes, the primary's WAL position after its write in lsnCookie
// (only when there is a replica: it costs a query after each commit).
func (s *Server) notingWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.svc.DB.HasReplica() {
			next.ServeHTTP(w, r)
			return
		}
		ctx, mark := store.NoteWrites(r.Context())
		r = r.WithContext(ctx)
		next.ServeHTTP(&lsnWriter{ResponseWriter: w, s: s, r: r, mark: mark}, r)
	})
}

// lsnWriter sets lsnCookie as the answer starts, when the request wrote by then. (A write after the answer
// started is not noted: handlers answer after their service call.)
type lsnWriter struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	mark    *store.WriteMark
	started bool
}

func (w *lsnWriter) start() {
	if w.started {
		return
	}
	w.started = true
	if lsn := w.mark.LSN(); lsn > 0 {
		w.s.setCookie(w.ResponseWriter, w.r, lsnCookie, store.FormatLSN(lsn), lsnCookieAge)
	}
}

func (w *lsnWriter) WriteHeader(code int) {
	w.start()
	w.ResponseWriter.WriteHeader(code)
}

func (w *lsnWriter) Write(b []byte) (int, error) {
	w.start()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer (flushes of the live board).
func (w *lsnWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
