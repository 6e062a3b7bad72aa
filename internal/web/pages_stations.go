package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/stations"
	"bianmin/internal/store"
)

// The village station's pages (issue 13): its lists of papers going up and results coming back, with the
// handover of each result (/station); standing authorisations (代理, /standing); home visits (/visits); the
// 帮办 mark on the applicant's page. The intake form's modes are in case_new.html, its outbox in
// static/outbox.js.

// ProxyModes lists the station's modes for the intake form.
func (p *Page) ProxyModes() []cases.ProxyMode { return cases.ProxyModes }

// HasNeed reports whether a mark names a need, for the mark's form.
func (p *Page) HasNeed(m stations.Mark, n stations.Need) bool { return slices.Contains(m.Needs, n) }

// NeedKinds lists the reasons for help for the mark's form.
func (p *Page) NeedKinds() []stations.Need { return stations.Needs }

type stationPage struct {
	Board service.StationBoard
	Names map[string]string // organisations by id, in the page's language
}

func (s *Server) stationData(r *http.Request, p *Page, b service.StationBoard) stationPage {
	d := stationPage{Board: b, Names: map[string]string{}}
	name := func(id string) {
		if _, ok := d.Names[id]; !ok {
			if o, err := s.svc.DB.Org(r.Context(), id); err == nil {
				d.Names[id] = p.Name(o)
			}
		}
	}
	for _, l := range b.Lists {
		name(l.Station)
		name(l.Township)
	}
	return d
}

// station is the station's (or the township's) page of lists between them.
func (s *Server) station(w http.ResponseWriter, r *http.Request) {
	s.stationRender(w, r, nil)
}

func (s *Server) stationRender(w http.ResponseWriter, r *http.Request, ferr error) {
	b, err := s.svc.StationLists(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.station")
	p.Data = s.stationData(r, p, b)
	p.Form = map[string]string{"idem": ids.Token(16)}
	if ferr != nil {
		p.Errors = s.fieldErrors(p.Lang, ferr)
		for _, k := range []string{"signer", "relation", "sig_ref"} {
			p.Form[k] = r.FormValue(k)
		}
	}
	s.render(w, status(ferr), "station", p)
}

// stationSend marks what waits sent on one list.
func (s *Server) stationSend(w http.ResponseWriter, r *http.Request) {
	l, err := s.svc.SendStationList(r.Context(), rc(r).me.Actor(), r.FormValue("to"), r.FormValue("idem"))
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.stationRender(w, r, err)
		return
	}
	http.Redirect(w, r, "/station/lists/"+l.ID+"?ok=sent", http.StatusSeeOther)
}

type stationListPage struct {
	List     store.StationList
	From, To string
	Mine     bool // the viewer's end receives it
	Station  bool // the viewer is the station: results are handed over here
}

// stationList prints one list.
func (s *Server) stationList(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	l, err := s.svc.StationList(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.station_list")
	d := stationListPage{List: l}
	if o, err := s.svc.DB.Org(r.Context(), l.From()); err == nil {
		d.From = p.Name(o)
	}
	if o, err := s.svc.DB.Org(r.Context(), l.To()); err == nil {
		d.To = p.Name(o)
		d.Mine = org.InSubtree(o.Path, actor.OrgPath)
	}
	d.Station = l.Kind == stations.Results && d.Mine && rc(r).me.Role == access.Agent
	p.Data = d
	s.render(w, http.StatusOK, "station_list", p)
}

// stationListReceive marks a list received at its end.
func (s *Server) stationListReceive(w http.ResponseWriter, r *http.Request) {
	l, err := s.svc.ReceiveStationList(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/station/lists/"+l.ID+"?ok=received_originals", http.StatusSeeOther)
}

// stationHandover records a result handed over at the station with the signature of who received it.
func (s *Server) stationHandover(w http.ResponseWriter, r *http.Request) {
	h := stations.Handover{Signer: r.FormValue("signer"), Relation: r.FormValue("relation"), Signed: r.FormValue("signed") == "1", SigRef: r.FormValue("sig_ref")}
	c, err := s.svc.HandOver(r.Context(), rc(r).me.Actor(), r.PathValue("case"), h)
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.stationRender(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+c.ID+"?ok=handed_over", http.StatusSeeOther)
}

type standingFormPage struct {
	Applicant string
	Name      string
	Items     []catalog.Item
	Chosen    map[string]bool
}

func (s *Server) standingFormRender(w http.ResponseWriter, r *http.Request, ferr error) {
	actor := rc(r).me.Actor()
	id := r.FormValue("applicant")
	a, err := s.svc.Applicant(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.standing_new")
	d := standingFormPage{Applicant: a.ID, Name: a.Name, Chosen: map[string]bool{}}
	if d.Items, err = s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{Village: true}); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, it := range r.Form["items"] {
		d.Chosen[it] = true
	}
	p.Data = d
	p.Form = formValues(r, "from", "until", "reason", "signed_ref", "idem")
	if p.Form["idem"] == "" {
		p.Form["idem"] = ids.Token(16)
	}
	p.Errors = s.fieldErrors(p.Lang, ferr)
	s.render(w, status(ferr), "standing_new", p)
}

// standingForm is the form of a new standing authorisation for an applicant.
func (s *Server) standingForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	s.standingFormRender(w, r, nil)
}

// standingCreate records a standing authorisation.
func (s *Server) standingCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in := service.StandingInput{ApplicantID: r.FormValue("applicant"), Items: r.Form["items"], From: r.FormValue("from"), Until: r.FormValue("until"),
		Reason: r.FormValue("reason"), SignedRef: r.FormValue("signed_ref")}
	a, err := s.svc.CreateStanding(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.standingFormRender(w, r, err)
		return
	}
	http.Redirect(w, r, "/standing/"+a.ID+"?ok=created", http.StatusSeeOther)
}

// standingShow shows a standing authorisation and the cases under it.
func (s *Server) standingShow(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Standing(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.standing")
	p.Data = v
	s.render(w, http.StatusOK, "standing", p)
}

// standingRevoke ends a standing authorisation before its term.
func (s *Server) standingRevoke(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.FormValue("version"))
	a, err := s.svc.RevokeStanding(r.Context(), rc(r).me.Actor(), r.PathValue("id"), version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/standing/"+a.ID+"?ok=saved", http.StatusSeeOther)
}

// needsSave records an applicant's 帮办 mark from their page.
func (s *Server) needsSave(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	version, _ := strconv.Atoi(r.FormValue("version"))
	in := service.NeedsInput{Needs: r.Form["needs"], Note: r.FormValue("note"), Consent: r.FormValue("consent") == "1", ConsentBy: r.FormValue("consent_by"),
		Withdrawn: r.FormValue("withdrawn") == "1", Version: version}
	id := r.PathValue("id")
	if _, err := s.svc.SaveNeeds(r.Context(), rc(r).me.Actor(), id, in); err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.applicantRender(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/applicants/"+id+"?ok=saved#needs", http.StatusSeeOther)
}

type visitsPage struct {
	Visits    []stations.Visit
	State     string
	States    []stations.VisitState
	NextURL   string
	Applicant string // a request's applicant, when the form is open for one
	Name      string
	Items     []catalog.Item
}

const visitsPerPage = 25

// visits lists the home visits of the actor's station or center (keyset paged, by state), with the form
// of a new request when an applicant is given.
func (s *Server) visits(w http.ResponseWriter, r *http.Request) { s.visitsRender(w, r, nil) }

func (s *Server) visitsRender(w http.ResponseWriter, r *http.Request, ferr error) {
	actor := rc(r).me.Actor()
	q := r.URL.Query()
	d := visitsPage{State: q.Get("state"), States: []stations.VisitState{stations.VisitRequested, stations.VisitScheduled, stations.VisitDone, stations.VisitCancelled}}
	var after time.Time
	var afterID string
	if c := q.Get("cursor"); c != "" {
		if at, id, ok := strings.Cut(c, "_"); ok {
			if n, err := strconv.ParseInt(at, 10, 64); err == nil {
				after, afterID = time.UnixMicro(n).UTC(), id
			}
		}
	}
	switch stations.VisitState(d.State) {
	case "", stations.VisitRequested, stations.VisitScheduled, stations.VisitDone, stations.VisitCancelled:
	default:
		ferr = errs.Field("state", "err.find.choice")
		d.State = ""
	}
	list, err := s.svc.Visits(r.Context(), actor, d.State, after, afterID, visitsPerPage+1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(list) > visitsPerPage {
		last := list[visitsPerPage-1]
		nq := r.URL.Query()
		nq.Set("cursor", strconv.FormatInt(last.Requested.UnixMicro(), 10)+"_"+last.ID)
		d.NextURL = "/visits?" + nq.Encode()
		list = list[:visitsPerPage]
	}
	d.Visits = list
	p := s.page(r, "title.visits")
	if id := r.FormValue("applicant"); id != "" {
		a, err := s.svc.Applicant(r.Context(), actor, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Applicant, d.Name = a.ID, a.Name
		if d.Items, err = s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Data = d
	p.Form = formValues(r, "reason", "item", "idem")
	if p.Form["idem"] == "" {
		p.Form["idem"] = ids.Token(16)
	}
	p.Errors = s.fieldErrors(p.Lang, ferr)
	s.render(w, status(ferr), "visits", p)
}

// visitCreate records a request for a home visit.
func (s *Server) visitCreate(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.RequestVisit(r.Context(), rc(r).me.Actor(), service.VisitRequest{ApplicantID: r.FormValue("applicant"), ItemID: r.FormValue("item"),
		Reason: r.FormValue("reason")}, r.FormValue("idem"))
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.visitsRender(w, r, err)
		return
	}
	http.Redirect(w, r, "/visits/"+v.ID+"?ok=created", http.StatusSeeOther)
}

// visitShow is a visit with the forms of its moves.
func (s *Server) visitShow(w http.ResponseWriter, r *http.Request) { s.visitRender(w, r, nil) }

func (s *Server) visitRender(w http.ResponseWriter, r *http.Request, ferr error) {
	v, err := s.svc.Visit(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.visit")
	p.Data = v
	p.Form = formValues(r, "at", "visitors", "record", "materials", "case_id", "reason")
	p.Errors = s.fieldErrors(p.Lang, ferr)
	s.render(w, status(ferr), "visit", p)
}

// visitMove schedules, records or cancels a visit.
func (s *Server) visitMove(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.FormValue("version"))
	in := stations.VisitInput{Visitors: r.FormValue("visitors"), Record: r.FormValue("record"), CaseID: strings.TrimSpace(r.FormValue("case_id")), Reason: r.FormValue("reason")}
	for _, line := range strings.Split(r.FormValue("materials"), "\n") {
		in.Materials = append(in.Materials, strings.TrimSpace(line))
	}
	var ferr error
	if at := r.FormValue("at"); at != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", at, clock.DefaultRules().Location)
		if err != nil {
			ferr = errs.Field("at", "err.find.date")
		}
		in.At = t
	}
	if ferr == nil {
		_, ferr = s.svc.MoveVisit(r.Context(), rc(r).me.Actor(), r.PathValue("id"), version, stations.VisitMove(r.FormValue("move")), in)
	}
	if ferr != nil {
		if errs.CodeOf(ferr) == errs.Forbidden {
			s.fail(w, r, ferr)
			return
		}
		s.visitRender(w, r, ferr)
		return
	}
	http.Redirect(w, r, "/visits/"+r.PathValue("id")+"?ok=saved", http.StatusSeeOther)
}

// stationColumn is a village's station on its township's portal page (seed 三.(五): villages are columns of
// their township's pages; 三.(四): staff shown by name and role): who works there, the hours it keeps, and
// its items split into those it concludes itself (嘎查村可直接办理, organ.go) and those it receives and
// forwards to the township.
type stationColumn struct {
	Staff  []people.Staff
	Places []org.Org // the station's own organisations (便民服务站) under the village, with their notes
	Handle []catalog.Item
	Proxy  []catalog.Item
}

func (s *Server) stationColumn(r *http.Request, village org.Org, items []catalog.Item) (*stationColumn, error) {
	c := &stationColumn{}
	staff, err := s.svc.DB.StaffIn(r.Context(), village.Path)
	if err != nil {
		return nil, err
	}
	for _, st := range staff {
		if st.Active && st.Role == access.Agent {
			c.Staff = append(c.Staff, people.Staff{Name: st.Name, Role: st.Role}) // name and role only, as a notice board shows them
		}
	}
	if c.Places, err = s.svc.DB.Subtree(r.Context(), village.Path, org.Station); err != nil {
		return nil, err
	}
	for _, it := range items {
		switch it.Village {
		case catalog.VillageHandle:
			c.Handle = append(c.Handle, it)
		case catalog.VillageProxy:
			c.Proxy = append(c.Proxy, it)
		}
	}
	return c, nil
}

// Percent renders a rate as the dashboard shows it (Figure).
func (p *Page) Percent(rate float64) string { return Figure(rate, true) }
