package web

import (
	"net/http"
	"strconv"
)

// The API's lists are pages: at most apiMaxPage rows (a page of the queue stays under 64 KB of JSON), the
// count of all that match, and an opaque cursor for the next page (?cursor=), none on the last.
const (
	apiDefaultPage = 20
	apiMaxPage     = 25
)

// CasePageJSON is a page of cases: the caller's queue, or what a search found.
type CasePageJSON struct {
	Cases []CaseWork `json:"cases"`
	// Names: the applicant's name by case id.
	Names  map[string]string `json:"names"`
	Total  int               `json:"total"`
	Capped bool              `json:"total_capped,omitempty"` // more than total match
	Next   string            `json:"next,omitempty"`
	// Awaited: on the queue's first page, the cases waiting for the caller's body's opinion or the caller's
	// signature at a joint step (并联, 会签), whichever department's item they are.
	Awaited []CaseWork `json:"awaited,omitempty"`
}

// ApplicantPageJSON is a page of applicants (masked).
type ApplicantPageJSON struct {
	Applicants []ApplicantJSON `json:"applicants"`
	Total      int             `json:"total"`
	Capped     bool            `json:"total_capped,omitempty"`
	Next       string          `json:"next,omitempty"`
}

func apiLimit(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	switch {
	case n <= 0:
		return apiDefaultPage
	case n > apiMaxPage:
		return apiMaxPage
	}
	return n
}

func (s *Server) apiFindCases(r *http.Request, c *reqCtx) (CasePageJSON, error) {
	in := findInput(r.URL.Query())
	in.Limit = apiLimit(r)
	p, err := s.svc.FindCases(r.Context(), c.me.Actor(), in)
	out := CasePageJSON{Cases: mapAll(p.Work, caseWork), Names: p.Names, Total: p.Total, Capped: p.Capped, Next: p.Next, Awaited: mapAll(p.Awaited, caseWork)}
	if out.Cases == nil {
		out.Cases = []CaseWork{}
	}
	return out, err
}

func (s *Server) apiFindApplicants(r *http.Request, c *reqCtx) (ApplicantPageJSON, error) {
	q := r.URL.Query()
	p, err := s.svc.FindApplicants(r.Context(), c.me.Actor(), q.Get("q"), q.Get("cursor"), apiLimit(r))
	out := ApplicantPageJSON{Applicants: mapAll(p.List, applicantJSON), Total: p.Total, Capped: p.Capped, Next: p.Next}
	if out.Applicants == nil {
		out.Applicants = []ApplicantJSON{}
	}
	return out, err
}

// the parameters, as the API table states them
const (
	findCasesDoc = "The caller's cases, a page at a time. Without search parameters, the queue: open cases, those the caller may act on first, then the nearest due day. " +
		"With any of ?q= (a case number with or without its prefix, an ID number or its last digits, a phone's last four, a name or its pinyin, an item), " +
		"?state=, ?card= (yellow, red), ?channel=, ?item=, ?window= (receiving organisation), ?person= (receiving staff), ?from=, ?until= (2026-01-02), ?open= (open, closed, all): every case of the caller's subtree that matches, newest first. " +
		"?limit= (at most 25), ?cursor= (next from the page before)"
	findApplicantsDoc = "The caller's applicants (masked), newest first, a page at a time: ?q= (a name or its pinyin, an ID number or its last digits, a phone's last four, a credit code), ?limit= (at most 25), ?cursor="
)
