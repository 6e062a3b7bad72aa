package web

import (
	"net/http"
	"strconv"

	"bianmin/internal/catalog"
	"bianmin/internal/enquiry"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// The enquiry register (issue 10, item 5): the list with its search and the form that records an enquiry, one
// enquiry with its answer, hand-over and case, and the 一次性告知单 it prints.

type enquiriesData struct {
	Page     store.EnquiryPage
	In       service.EnquiryFind
	Items    []catalog.Item
	NextURL  string
	FirstURL string
}

func (s *Server) enquiriesData(r *http.Request, in service.EnquiryFind) (enquiriesData, error) {
	d := enquiriesData{In: in}
	var err error
	if d.Page, err = s.svc.FindEnquiries(r.Context(), rc(r).me.Actor(), in); err != nil {
		return d, err
	}
	if d.Page.Next != "" {
		d.NextURL = pageURL(r, d.Page.Next)
	}
	if in.Cursor != "" {
		d.FirstURL = pageURL(r, "")
	}
	d.Items, err = s.svc.ItemChoices(r.Context())
	return d, err
}

// enquiries is the register: a search box, open ones or mine, a page at a time; and the form of a new one.
func (s *Server) enquiries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := service.EnquiryFind{Q: q.Get("q"), Open: q.Get("open") == "1", Mine: q.Get("mine") == "1", Cursor: q.Get("cursor")}
	p := s.page(r, "title.enquiries")
	d, err := s.enquiriesData(r, in)
	code := http.StatusOK
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			s.fail(w, r, err)
			return
		}
		p.Errors, code = s.fieldErrors(p.Lang, err), http.StatusBadRequest
	}
	p.Data = d
	// a ticket called at a window (the hall's 转为咨询) comes along, to keep what became of it
	p.Form = map[string]string{"q": in.Q, "idem": ids.Token(16), "item": q.Get("item"), "id_number": q.Get("id_number"), "ticket": q.Get("ticket")}
	s.render(w, code, "enquiries", p)
}

// enquiryCreate records an enquiry; with errors the form comes back with what was typed.
func (s *Server) enquiryCreate(w http.ResponseWriter, r *http.Request) {
	in := service.EnquiryInput{ItemID: r.FormValue("item"), AskerName: r.FormValue("asker_name"), AskerPhone: r.FormValue("asker_phone"),
		IDNumber: r.FormValue("id_number"), Question: r.FormValue("question"), Told: r.FormValue("told")}
	e, err := s.svc.RecordEnquiry(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	if t := r.FormValue("ticket"); err == nil && t != "" {
		// the ticket keeps the enquiry it became (the hall's visit becomes work, issue 10 item 4)
		_, err = s.svc.LinkTicket(r.Context(), rc(r).me.Actor(), t, "", e.ID)
	}
	if err != nil {
		if errs.CodeOf(err) != errs.Invalid {
			s.fail(w, r, err)
			return
		}
		p := s.page(r, "title.enquiries")
		d, derr := s.enquiriesData(r, service.EnquiryFind{})
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		p.Data = d
		p.Errors = s.fieldErrors(p.Lang, err)
		p.Form = formValues(r, "item", "asker_name", "asker_phone", "id_number", "question", "told", "idem", "ticket")
		s.render(w, status(err), "enquiries", p)
		return
	}
	http.Redirect(w, r, "/enquiries/"+e.ID+"?ok=created", http.StatusSeeOther)
}

type enquiryData struct {
	E          enquiry.Enquiry
	Mine       bool
	Colleagues []people.Staff
	Devices    []store.Device
}

func (s *Server) enquiryShow(w http.ResponseWriter, r *http.Request) {
	s.enquiryPage(w, r, http.StatusOK, nil)
}

func (s *Server) enquiryPage(w http.ResponseWriter, r *http.Request, code int, formErr error) {
	actor := rc(r).me.Actor()
	e, err := s.svc.Enquiry(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e.AskerPhone = people.MaskPhone(e.AskerPhone)
	p := s.page(r, "title.enquiry")
	d := enquiryData{E: e, Mine: e.Owns(actor.ID)}
	if d.Mine {
		if d.Colleagues, err = s.svc.Colleagues(r.Context(), actor, e); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Devices, _ = s.svc.MyDevices(r.Context(), actor)
	p.Data = d
	if formErr != nil {
		p.Errors = s.fieldErrors(p.Lang, formErr)
		p.Form = formValues(r, "told", "to", "note", "case_no")
	}
	s.render(w, code, "enquiry", p)
}

// enquiryAct answers, hands over or links an enquiry (one form per action, each with the version read).
func (s *Server) enquiryAct(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	id := r.PathValue("id")
	v, _ := strconv.Atoi(r.FormValue("version"))
	var err error
	ok := "saved"
	switch r.FormValue("do") {
	case "answer":
		_, err = s.svc.AnswerEnquiry(r.Context(), actor, id, v, r.FormValue("told"))
		ok = "answered"
	case "handover":
		_, err = s.svc.HandOverEnquiry(r.Context(), actor, id, v, r.FormValue("to"), r.FormValue("note"))
		ok = "enquiry_handed_over"
	case "link":
		_, err = s.svc.LinkEnquiryCase(r.Context(), actor, id, v, r.FormValue("case_no"))
		ok = "linked"
	default:
		err = errs.Field("do", "err.required")
	}
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		s.enquiryPage(w, r, status(err), err)
		return
	}
	http.Redirect(w, r, "/enquiries/"+id+"?ok="+ok, http.StatusSeeOther)
}

// enquiryNotice prints the 一次性告知单: everything to bring for the item, from its published guide, in both
// languages, Mongolian first (内政办发〔1996〕32号), on A4.
func (s *Server) enquiryNotice(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.EnquiryNotice(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.tell_once")
	p.Data = n
	s.render(w, http.StatusOK, "enquiry_notice", p)
}
