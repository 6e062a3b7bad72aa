package web

import (
	"net/http"
	"net/url"
	"slices"

	qrcode "github.com/skip2/go-qrcode"
	"strconv"
	"strings"

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

// The case pages: the queue, intake at a window or station, the case with the moves the viewer may make,
// the one-time correction notice, and the public tracking page.

type caseNewData struct {
	Items      []catalog.Item
	Bundles    []catalog.Bundle
	Applicants []people.Applicant
	Station    bool
	// intake from an ID number (intake.go)
	Intake
	// a station's: the found applicant's standing authorisations in force (代理, pages_stations.go)
	Standings []stations.Authorisation
}

func (s *Server) caseNewData(r *http.Request) (caseNewData, error) {
	me := rc(r).me
	home, err := s.svc.DB.Org(r.Context(), me.OrgID)
	if err != nil {
		return caseNewData{}, err
	}
	d := caseNewData{Station: home.Kind == "village"}
	if d.Items, err = s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{Village: d.Station}); err != nil {
		return d, err
	}
	if !d.Station {
		if d.Bundles, err = s.svc.DB.Bundles(r.Context()); err != nil {
			return d, err
		}
	}
	// residents come by their ID number; organisations (统一社会信用代码) are chosen from the list
	all, err := s.svc.Applicants(r.Context(), me.Actor(), me.OrgID, 200)
	for _, a := range all {
		if a.Kind == people.Organisation {
			d.Applicants = append(d.Applicants, a)
		}
	}
	return d, err
}

func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) {
	d, err := s.caseNewData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.case_new")
	p.Form = map[string]string{"idem": ids.Token(16)}
	for _, k := range []string{"id_number", "q", "item", "ticket"} {
		p.Form[k] = r.URL.Query().Get(k)
	}
	if err := s.intake(r, p, &d); err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	p.Data = d
	if err := s.warnCalendar(r, p); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "case_new", p)
}

func (s *Server) caseReceive(w http.ResponseWriter, r *http.Request) {
	in := service.ReceiveInput{ItemID: r.FormValue("item"), ApplicantID: r.FormValue("applicant"), Authorisation: r.FormValue("authorisation"),
		Mode: r.FormValue("proxy_mode"), StandingID: r.FormValue("standing"), AuthImage: r.FormValue("auth_image")}
	if in.ItemID == "" {
		in.ItemID = r.FormValue("item_other") // chosen from the whole list rather than the most used or found
	}
	var err error
	if in.ApplicantID == "" && r.FormValue("id_number") != "" {
		// the applicant of the number typed, or a new one registered on this form
		var a people.Applicant
		a, err = s.svc.IntakeApplicant(r.Context(), rc(r).me.Actor(), service.ApplicantInput{Name: strings.TrimSpace(r.FormValue("name")),
			IDNumber: r.FormValue("id_number"), Phone: strings.TrimSpace(r.FormValue("phone")), Address: strings.TrimSpace(r.FormValue("address")),
			OrgID: r.FormValue("org")}, r.FormValue("idem")+"/applicant")
		in.ApplicantID = a.ID
		if err != nil && in.ItemID == "" && r.FormValue("bundle") == "" { // the whole form's errors at once
			err = append(errs.List(errs.All(err)), errs.Field("item_id", "err.required"))
		}
	}
	if err == nil {
		if b := r.FormValue("bundle"); b != "" {
			// a bundle: one intake, a case per item, all in the queue
			if _, err = s.svc.ReceiveBundle(r.Context(), rc(r).me.Actor(), b, in, r.FormValue("idem")); err == nil {
				http.Redirect(w, r, "/cases?ok=received", http.StatusSeeOther)
				return
			}
		} else {
			var c cases.Case
			if c, err = s.svc.Receive(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem")); err == nil {
				s.linkTicketCase(r, c.ID) // a case opened from a called ticket (pages_hall.go)
				http.Redirect(w, r, "/cases/"+c.ID+"?ok=received", http.StatusSeeOther)
				return
			}
		}
	}
	d, derr := s.caseNewData(r)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	p := s.page(r, "title.case_new")
	p.Form = formValues(r, "item", "bundle", "applicant", "authorisation", "idem", "id_number", "q", "name", "phone", "address", "org", "proxy_mode", "standing", "auth_image", "ticket")
	if p.Form["item"] == "" {
		p.Form["item"] = r.FormValue("item_other")
	}
	if ierr := s.intake(r, p, &d); ierr != nil && err == nil {
		err = ierr
	}
	p.Data = d
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "case_new", p)
}

func (s *Server) verifyNotice(w http.ResponseWriter, r *http.Request) {
	nc, err := s.svc.VerifyNotice(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, errs.New(errs.NotFound, "err.notice.unknown"))
		return
	}
	p := s.page(r, "title.verify")
	p.Data = nc
	s.render(w, http.StatusOK, "verify", p)
}

// maxNoticeCode is longer than any notice's verification code (store: ids.Token(10)).
const maxNoticeCode = 64

// verifyQR draws the QR code of a notice's verification address; only for a notice that exists, so that
// no address of any length is drawn for anyone who asks (a QR code holds under 3 KB, and the printed
// notices' codes are short).
func (s *Server) verifyQR(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if len(code) > maxNoticeCode {
		s.fail(w, r, errs.New(errs.NotFound, "err.notice.unknown"))
		return
	}
	if _, err := s.svc.VerifyNotice(r.Context(), code); err != nil {
		s.fail(w, r, errs.New(errs.NotFound, "err.notice.unknown"))
		return
	}
	png, err := qrcode.Encode(s.absolute("/verify/"+url.PathEscape(code)), qrcode.Medium, 256)
	if err != nil {
		s.fail(w, r, errs.New(errs.NotFound, "err.notice.unknown"))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

type caseView struct {
	Linked     []service.LinkedCase // the other cases of its 联合办理 or bundle
	BodyTimes  map[int][]bodyTime   // each parallel step's bodies' working days this round (pages_linked.go)
	Work       service.Work
	Events     []store.CaseEvent
	Materials  []cases.MaterialCheck // to check at the window: the case's, else the item's
	Owed       []cases.MaterialCheck // 容缺: what the applicant still owes
	Checks     []cases.Check
	Kinds      []string
	Applicant  people.Applicant
	Notices    []store.Notice // every notice the case was given, to print
	Receiving  org.Org
	Handling   org.Org
	Handoff    *store.Handoff // the transfer list its originals travelled on (通办), if any
	Assignee   string         // the name of who has taken the case at its step
	Assignable []people.Staff // whom the director may give it to
	// Settled are the materials verified before a resubmission, with their checks: they stay as they were
	// (行政许可法 第32条: only what the notice asked for is checked again)
	Settled map[string]cases.Check
	// Done confirms the move just made (moves.go)
	Done *Done
	// Orders (督办) about the case; MayOrder: the viewer may issue one; OrderIdem keys the form's submission
	Orders    []service.OrderView
	MayOrder  bool
	OrderIdem string
	// Paper is the case's application form values and electronic materials (pages_files.go)
	Paper paperView
	// Guidance is the delegation's side of the case: comments, whether the viewer comments, asks for help
	// (pages_delegation.go)
	Guidance guidanceView
}

func (s *Server) caseView(r *http.Request, id string) (caseView, error) {
	actor := rc(r).me.Actor()
	work, events, err := s.svc.CaseFor(r.Context(), actor, id)
	if err != nil {
		return caseView{}, err
	}
	lang := string(rc(r).lang)
	for i, e := range events {
		if from, to, ok := service.ParseRouteNote(e.Note); ok {
			f, _ := s.svc.DB.Org(r.Context(), from)
			t, _ := s.svc.DB.Org(r.Context(), to)
			events[i].Note = s.cat.T(rc(r).lang, "case.route", "from", f.Name(lang), "to", t.Name(lang))
		}
	}
	v := caseView{Work: work, Events: events, Materials: work.Case.Materials, Kinds: cases.SuspendKinds,
		Checks: cases.Checks, Owed: work.Case.OwedMaterials()}
	if v.Notices, err = s.svc.DB.NoticeList(r.Context(), id); err != nil { // CaseFor checked the reader
		return v, err
	}
	if v.Handoff, err = s.svc.DB.HandoffOfCase(r.Context(), id); err != nil {
		return v, err
	}
	if v.Linked, err = s.svc.LinkedOf(r.Context(), work.Case); err != nil { // 联合办理 and bundles (service/joint.go)
		return v, err
	}
	v.BodyTimes = s.jointTimes(r, work.Case)
	if v.Receiving, err = s.svc.DB.Org(r.Context(), work.Case.Receiving); err != nil {
		return v, err
	}
	if v.Handling, err = s.svc.DB.Org(r.Context(), work.Case.Handling); err != nil {
		return v, err
	}
	if id := work.Case.Assignee; id != "" {
		if st, err := s.svc.DB.Staff(r.Context(), id); err == nil {
			v.Assignee = st.Name
		}
	}
	if slices.Contains(work.Mine, cases.Assign) {
		if v.Assignable, err = s.svc.Assignable(r.Context(), actor, work.Case); err != nil {
			return v, err
		}
	}
	if len(v.Materials) == 0 {
		it, err := s.svc.DB.ItemVersion(r.Context(), work.Case.ItemID, work.Case.ItemVersion)
		if err != nil {
			return v, err
		}
		v.Materials = cases.Asked(it) // nothing pre-selected: each row is chosen
	}
	v.Settled = settledChecks(work.Case)
	if v.Orders, err = s.svc.CaseOrders(r.Context(), actor, id); err != nil {
		return v, err
	}
	v.MayOrder, v.OrderIdem = service.MayOrder(actor, v.Handling.Path), ids.Token(16)
	if v.Paper, err = s.paperView(r, staffHand(r), id, "/cases/"+id); err != nil {
		return v, err
	}
	if v.Guidance, err = s.guidanceOf(r, work.Case); err != nil {
		return v, err
	}
	// The back office sees the applicant masked; the front desk in full (受办分离).
	if a, err := s.svc.Applicant(r.Context(), actor, work.Case.ApplicantID); err == nil {
		v.Applicant = a
	} else if a, err := s.svc.DB.Applicant(r.Context(), work.Case.ApplicantID); err == nil {
		v.Applicant = a.Masked()
	}
	return v, nil
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	v, err := s.caseView(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.case")
	if a := r.URL.Query().Get("done"); a != "" {
		v.Done = s.done(p, v, a)
	}
	p.Data = v
	// a station's outbox (static/outbox.js) shows what it sent by number; escaped, as headers are ASCII
	w.Header().Set("X-Case-No", url.PathEscape(v.Work.Case.No))
	s.render(w, http.StatusOK, "case", p)
}

// caseAct makes one move from the case page's forms.
func (s *Server) caseAct(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.FormValue("version"))
	in := cases.Input{Reason: strings.TrimSpace(r.FormValue("reason")), Kind: r.FormValue("kind"), Grant: r.FormValue("grant") == "1",
		Method: r.FormValue("method"), Tracking: strings.TrimSpace(r.FormValue("tracking")), Assignee: r.FormValue("assignee")}
	in.Days, _ = strconv.Atoi(r.FormValue("days"))
	if d := r.FormValue("owed_by"); d != "" {
		in.OwedBy, _ = clock.ParseDate(d)
	}
	if d := r.FormValue("check_by"); d != "" {
		in.CheckBy, _ = clock.ParseDate(d)
	}
	in.Result = r.FormValue("result")
	in.Verdict, in.Agree = r.FormValue("verdict"), r.FormValue("agree") == "1" // 并联审批 and 会签 (joint.go)
	for i := 0; ; i++ {
		name := r.FormValue("m" + strconv.Itoa(i) + "_name")
		if name == "" {
			break
		}
		in.Materials = append(in.Materials, cases.MaterialCheck{Name: name, Required: r.FormValue("m"+strconv.Itoa(i)+"_required") == "1",
			Check: cases.Check(r.FormValue("m" + strconv.Itoa(i) + "_check")), Note: r.FormValue("m" + strconv.Itoa(i) + "_note"),
			Files: r.Form["m"+strconv.Itoa(i)+"_files"]})
	}
	a := cases.Action(r.FormValue("action"))
	if a == cases.OwedArrived {
		// the rows left as owed were not brought this time
		in.Materials = slices.DeleteFunc(in.Materials, func(m cases.MaterialCheck) bool { return m.Check == cases.Owed })
	}
	var err error
	if g := r.FormValue("grant"); a == cases.Decide && g != "1" && g != "0" {
		err = errs.Field("grant", "err.case.choose_decision") // nothing is pre-selected: grant or deny is chosen
	} else {
		_, err = s.svc.Act(r.Context(), rc(r).me.Actor(), id, version, a, in)
	}
	if err == nil {
		dest := "/cases/" + id + "?done=" + string(a) + "#done"
		// the window hands the applicant the paper at once: a correction notice, a refusal
		if kind := map[cases.Action]string{cases.AskCorrection: cases.NoticeCorrection, cases.Refuse: cases.NoticeRefuse}[a]; kind != "" {
			if n, err := s.svc.LatestNotice(r.Context(), rc(r).me.Actor(), id, kind); err == nil {
				dest = "/cases/" + id + "/notices/" + n.ID
			}
		}
		http.Redirect(w, r, dest, http.StatusSeeOther)
		return
	}
	v, verr := s.caseView(r, id)
	if verr != nil {
		s.fail(w, r, err)
		return
	}
	keepChecked(v.Materials, in.Materials) // what was checked is kept
	p := s.page(r, "title.case")
	p.Data = v
	p.Form = formValues(r, "action", "reason", "kind", "days", "method", "tracking", "owed_by", "check_by", "grant", "result", "assignee")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "case", p)
}

func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.track")
	q := r.URL.Query()
	// The phone digits are not written back into the form: the page's address is enough to see them again.
	p.Form = map[string]string{"no": q.Get("no"), "id_number": q.Get("id_number")}
	code := http.StatusOK
	if q.Get("no") != "" || q.Get("id_number") != "" || q.Get("phone4") != "" {
		list, err := s.svc.TrackCases(r.Context(), service.TrackQuery{No: q.Get("no"), IDNumber: q.Get("id_number"), Phone4: q.Get("phone4")}, s.clientAddr(r))
		if err != nil {
			p.Errors = s.fieldErrors(p.Lang, err)
			code = status(err)
		} else {
			p.Data = list
			p.Links = map[string]string{} // 一事一评 from the tracking page (pages_rating.go)
			for _, t := range list {
				if l := s.svc.TrackRateLink(r.Context(), t.No); l != "" {
					p.Links[t.No] = "/rate/" + l
				}
			}
		}
	}
	s.render(w, code, "track", p)
}

// results lets an applicant download an electronic result with the case number and the code sent to them.
func (s *Server) results(w http.ResponseWriter, r *http.Request) {
	// A POST: the download records the delivery, and the code stays out of addresses and logs.
	p := s.page(r, "title.result")
	p.Form = map[string]string{"no": r.FormValue("no")}
	code := http.StatusOK
	if r.Method == http.MethodPost {
		res, err := s.svc.DownloadResult(r.Context(), r.FormValue("no"), r.FormValue("result_code"), s.clientAddr(r))
		if err != nil {
			p.Errors = s.fieldErrors(p.Lang, err)
			code = status(err)
		} else {
			p.Data = res
		}
	}
	s.render(w, code, "result", p)
}
