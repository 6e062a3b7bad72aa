package web

import "net/http"

// caseResendCode sends the applicant a new code for an electronic result from the case page (the window
// that issued it), after the former one was lost or locked by wrong attempts.
func (s *Server) caseResendCode(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.svc.ResendResultCode(r.Context(), rc(r).me.Actor(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+id+"?ok=code_sent", http.StatusSeeOther)
}
