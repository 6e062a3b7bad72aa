package web

import (
	"net/http"
	"net/url"
	"strconv"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// Find anything (issue 12): /cases is the actor's queue until something is typed or filtered, then every
// case of their subtree that matches, open or closed; /applicants likewise. Both are paged by an opaque
// cursor (keyset), with the count of all that match.

// findInput reads the search box and the filters from a query string.
func findInput(q url.Values) service.FindInput {
	limit, _ := strconv.Atoi(q.Get("limit"))
	return service.FindInput{Q: q.Get("q"), State: q.Get("state"), Card: q.Get("card"), Channel: q.Get("channel"),
		Item: q.Get("item"), Window: q.Get("window"), Person: q.Get("person"), From: q.Get("from"), Until: q.Get("until"),
		Open: q.Get("open"), Cursor: q.Get("cursor"), Limit: limit}
}

type casesData struct {
	Page      service.FindPage
	In        service.FindInput
	Searching bool
	Filtered  bool // a filter beyond the search box is set: the filters show open
	Key       string
	Items     []catalog.Item
	Units     []org.Org
	Staff     []people.Staff
	States    []cases.State
	Channels  []cases.Channel
	NextURL   string
	FirstURL  string // set on a later page
	// Assisted is the open cases of applicants who need help (帮办), shown first on the queue's first page
	Assisted []service.Work
}

var keyNames = map[store.KeyKind]string{store.KeyCaseNo: "caseno", store.KeyIDNumber: "idnumber", store.KeyDigits: "digits", store.KeyText: "text"}

// pageURL is the list's address with the cursor replaced (none: the first page).
func pageURL(r *http.Request, cursor string) string {
	q := r.URL.Query()
	q.Del("cursor")
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// pagerURLs are a list's links to its next page (when there is one) and back to its first (when not on it).
func pagerURLs(r *http.Request, next string) (string, string) {
	var n, f string
	if next != "" {
		n = pageURL(r, next)
	}
	if r.URL.Query().Get("cursor") != "" {
		f = pageURL(r, "")
	}
	return n, f
}

func (s *Server) caseFind(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me
	in := findInput(r.URL.Query())
	page, err := s.svc.FindCases(r.Context(), me.Actor(), in)
	p := s.page(r, "title.cases")
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			s.fail(w, r, err)
			return
		}
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	d := casesData{Page: page, In: in, Searching: in.Searching(), Key: keyNames[page.Key],
		States: allCaseStates, Channels: []cases.Channel{cases.AtWindow, cases.ByStation, cases.Online}}
	d.Filtered = in.State != "" || in.Card != "" || in.Channel != "" || in.Item != "" || in.Window != "" || in.Person != "" || in.From != "" || in.Until != "" || in.Open != ""
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	if in.Cursor == "" && !in.Searching() {
		if d.Assisted, err = s.svc.AssistedQueue(r.Context(), me.Actor()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	// the filters' choices: published items, the receiving townships and villages, the people at them
	if d.Items, err = s.svc.ItemChoices(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Units, err = s.applicantUnits(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if me.Role.Has(access.StaffRead) {
		d.Staff, _ = s.svc.ListStaff(r.Context(), me.Actor(), me.OrgID)
	}
	p.Data = d
	p.Form = map[string]string{"q": in.Q, "from": in.From, "until": in.Until}
	if err := s.warnCalendar(r, p); err != nil {
		s.fail(w, r, err)
		return
	}
	code := http.StatusOK
	if len(p.Errors) > 0 {
		code = http.StatusBadRequest
	}
	s.render(w, code, "cases", p)
}

var allCaseStates = []cases.State{cases.Received, cases.Correction, cases.Accepted, cases.Suspended, cases.Decided,
	cases.Issued, cases.Delivered, cases.Refused, cases.Terminated, cases.Revoked}

type applicantsPage struct {
	List     []people.Applicant
	Orgs     map[string]org.Org
	Total    int
	Capped   bool
	Q        string
	NextURL  string
	FirstURL string
}

func (s *Server) applicantFind(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	res, err := s.svc.FindApplicants(r.Context(), me.Actor(), q.Get("q"), q.Get("cursor"), limit)
	p := s.page(r, "title.applicants")
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			s.fail(w, r, err)
			return
		}
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	orgs, err := s.orgIndex(r, me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := applicantsPage{List: res.List, Orgs: orgs, Total: res.Total, Capped: res.Capped, Q: q.Get("q")}
	if res.Next != "" {
		d.NextURL = pageURL(r, res.Next)
	}
	if q.Get("cursor") != "" {
		d.FirstURL = pageURL(r, "")
	}
	p.Data = d
	code := http.StatusOK
	if len(p.Errors) > 0 {
		code = http.StatusBadRequest
	}
	s.render(w, code, "applicants", p)
}
