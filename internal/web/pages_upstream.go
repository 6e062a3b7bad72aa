package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/upstream"
)

// What leaves Bianmin (issue 15): the receivers of an administrator's subtree (the upper platform, local
// systems' webhooks), each with the classes of personal data switched off for it, its delivery log, the
// records it refused with their reasons, a fix and a resend, and a webhook's test button.

type receiversData struct {
	List   []receiverRow
	Events []string
	Class  []upstream.Class
}

type receiverRow struct {
	R      store.Receiver
	Counts store.OutboxCounts
}

type receiverData struct {
	R        store.Receiver
	Secret   string // shown once, right after a webhook was set up
	Log      service.DeliveryPage
	Parked   []store.Outgoing
	Events   []string
	Class    []upstream.Class
	Parkonly bool
	NextURL  string
	FirstURL string
}

// Has reports whether a list holds a value, for checkboxes.
func (d receiverData) Has(list []string, v string) bool { return slices.Contains(list, v) }

func (d receiversData) Has(list []string, v string) bool { return slices.Contains(list, v) }

func (s *Server) receivers(w http.ResponseWriter, r *http.Request) {
	s.receiversPage(w, r, http.StatusOK, nil)
}

func (s *Server) receiversPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	actor := rc(r).me.Actor()
	list, err := s.svc.ReceiversOf(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := receiversData{Events: upstream.EventKinds, Class: upstream.Classes}
	for _, rv := range list {
		c, _ := s.svc.DB.CountOutbox(r.Context(), rv.ID)
		d.List = append(d.List, receiverRow{rv, c})
	}
	p := s.page(r, "up.title")
	p.Data = d
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
		p.Form = formValues(r, "name", "url", "channel")
	}
	s.render(w, code, "upstream", p)
}

func receiverInput(r *http.Request, orgID string) service.ReceiverInput {
	r.ParseForm()
	return service.ReceiverInput{OrgID: orgID, Channel: r.FormValue("channel"), Name: r.FormValue("name"), URL: r.FormValue("url"),
		Events: r.Form["events"], Withheld: r.Form["withheld"], Active: r.FormValue("active") == "1"}
}

// receiverCreate sets up a receiver for the administrator's own organisation's subtree.
func (s *Server) receiverCreate(w http.ResponseWriter, r *http.Request) {
	me := rc(r).me
	rv, secret, err := s.svc.CreateReceiver(r.Context(), me.Actor(), receiverInput(r, me.OrgID))
	if err != nil {
		if onForm(err) {
			s.receiversPage(w, r, status(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	if secret == "" {
		http.Redirect(w, r, "/upstream/"+rv.ID, http.StatusSeeOther)
		return
	}
	s.receiverPage(w, r, rv.ID, secret, http.StatusOK, nil)
}

func (s *Server) receiverShow(w http.ResponseWriter, r *http.Request) {
	s.receiverPage(w, r, r.PathValue("id"), "", http.StatusOK, nil)
}

func (s *Server) receiverPage(w http.ResponseWriter, r *http.Request, id, secret string, code int, formErr error) {
	actor := rc(r).me.Actor()
	q := r.URL.Query()
	rv, err := s.svc.ReceiverFor(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := receiverData{R: rv, Secret: secret, Events: upstream.EventKinds, Class: upstream.Classes, Parkonly: q.Get("parked") == "1"}
	if d.Log, err = s.svc.Deliveries(r.Context(), actor, id, d.Parkonly, q.Get("cursor")); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Log.Counts.Parked > 0 {
		parked, _ := s.svc.Deliveries(r.Context(), actor, id, true, "")
		d.Parked = parked.Records
	}
	d.NextURL, d.FirstURL = pagerURLs(r, d.Log.Next)
	p := s.page(r, "up.title_receiver")
	p.Data = d
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
	} else if ok := q.Get("ok"); ok == "saved" || ok == "test" || ok == "resent" {
		p.Form = map[string]string{"ok": ok}
	}
	s.render(w, code, "upstream_receiver", p)
}

// receiverSave changes a receiver under the version read.
func (s *Server) receiverSave(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, _ := strconv.Atoi(r.FormValue("version"))
	if _, err := s.svc.UpdateReceiver(r.Context(), rc(r).me.Actor(), id, v, receiverInput(r, "")); err != nil {
		if onForm(err) {
			s.receiverPage(w, r, id, "", status(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/upstream/"+id+"?ok=saved", http.StatusSeeOther)
}

// receiverTest sends a webhook its test event.
func (s *Server) receiverTest(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.svc.TestDelivery(r.Context(), rc(r).me.Actor(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/upstream/"+id+"?ok=test", http.StatusSeeOther)
}

// recordResend puts a parked record back in line, with the operator's fix.
func (s *Server) recordResend(w http.ResponseWriter, r *http.Request) {
	o, err := s.svc.DB.OutgoingByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.svc.Resend(r.Context(), rc(r).me.Actor(), o.ID, r.FormValue("body")); err != nil {
		if onForm(err) && errs.CodeOf(err) == errs.Invalid {
			s.receiverPage(w, r, o.ReceiverID, "", status(err), err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/upstream/"+o.ReceiverID+"?ok=resent", http.StatusSeeOther)
}

// catalogSyncForm offers the upload of the upper platform's 实施清单.
func (s *Server) catalogSyncForm(w http.ResponseWriter, r *http.Request) {
	if !s.needCatalog(w, r) {
		return
	}
	p := s.page(r, "up.sync.title")
	p.Data = syncData{}
	s.render(w, http.StatusOK, "catalog_sync", p)
}

// catalogSync takes the file and shows, item by item, the drafts it made and how each differs from the
// local version, for the department to review and publish.
func (s *Server) catalogSync(w http.ResponseWriter, r *http.Request) {
	if !s.needCatalog(w, r) {
		return
	}
	p := s.page(r, "up.sync.title")
	p.Data = syncData{}
	fail := func(err error) {
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "catalog_sync", p)
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		fail(errs.Field("file", "err.required"))
		return
	}
	defer f.Close()
	var file upstream.TaskFile
	if err := json.NewDecoder(http.MaxBytesReader(w, f, catalogUploadLimit)).Decode(&file); err != nil {
		fail(errs.Field("file", "err.import.format"))
		return
	}
	rep, err := s.svc.SyncCatalog(r.Context(), rc(r).me.Actor(), file, strings.TrimSpace(r.FormValue("department")))
	if err != nil {
		fail(err)
		return
	}
	d := syncData{Report: rep, Done: true}
	for _, e := range rep.Entries {
		row := syncRow{SyncEntry: e}
		for _, x := range e.Errors {
			row.Why = append(row.Why, s.fieldErrors(p.Lang, x)...)
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	s.render(w, http.StatusOK, "catalog_sync", p)
}

// syncData is a sync's report with each refusal as people read it.
type syncData struct {
	Report service.SyncReport
	Rows   []syncRow
	Done   bool
}

type syncRow struct {
	service.SyncEntry
	Why []FieldError
}
