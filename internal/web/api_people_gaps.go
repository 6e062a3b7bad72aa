package web

import (
	"net/http"
)

// BackOfficeJSON is how a township staffs its back office: split by item domain (一人负责一块) or not (一人通办).
type BackOfficeJSON struct {
	Township string `json:"township"`
	Split    bool   `json:"split"`
	Version  int    `json:"version"` // 0: never set (一人通办)
}

// BackOfficeIn sets it at the version read.
type BackOfficeIn struct {
	Split   bool `json:"split"`
	Version int  `json:"version"`
}

func (s *Server) peopleGapOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/people/back-office/{township}", "backOfficeSplit", "Whether a township splits its back office by item domain (一人负责一块) or keeps 一人通办", true,
			func(r *http.Request, c *reqCtx, _ empty) (BackOfficeJSON, error) {
				split, v, err := s.svc.BackOfficeSplit(r.Context(), c.me.Actor(), r.PathValue("township"))
				return BackOfficeJSON{Township: r.PathValue("township"), Split: split, Version: v}, err
			}),
		op(s, "PUT", "/api/v1/people/back-office/{township}", "backOfficeSplitSet", "Split a township's back office by item domain, or keep 一人通办 (the township's director): reviewers are then refused cases outside their domains", true,
			func(r *http.Request, c *reqCtx, in BackOfficeIn) (PeopleDone, error) {
				err := s.svc.SetBackOfficeSplit(r.Context(), c.me.Actor(), r.PathValue("township"), in.Version, in.Split)
				return PeopleDone{err == nil}, err
			}),
	}
}

// backOfficeSet is the hub's form: split the township's back office by domain, or keep 一人通办.
func (s *Server) backOfficeSet(w http.ResponseWriter, r *http.Request) {
	err := s.svc.SetBackOfficeSplit(r.Context(), rc(r).me.Actor(), r.PathValue("township"), atoiOr(r.FormValue("version"), 0), r.FormValue("split") == "1")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/people?done=back_office", http.StatusSeeOther)
}
