package web

import (
	"net/http"
	"slices"

	"bianmin/internal/clock"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// The printed papers: a case's notices (文书), each numbered with a QR code that opens /verify/{code}; and
// the 通办 transfer lists of paper originals (移交清单). Both print on A4 with a bilingual head, Mongolian
// above.

type noticePage struct {
	View      service.NoticeView
	Applicant people.Applicant
	Date      string // the issue day on the hall's calendar
}

// caseNoticePrint prints one notice of a case.
func (s *Server) caseNoticePrint(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	v, err := s.svc.Notice(r.Context(), actor, r.PathValue("id"), r.PathValue("nid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := noticePage{View: v, Date: v.Notice.Issued.In(clock.DefaultRules().Location).Format("2006-01-02")}
	// addressed to the applicant by name; the back office sees the name masked as everywhere else
	if a, err := s.svc.Applicant(r.Context(), actor, v.Paper.Case.ApplicantID); err == nil {
		d.Applicant = a
	} else if a, err := s.svc.DB.Applicant(r.Context(), v.Paper.Case.ApplicantID); err == nil {
		d.Applicant = a.Masked()
	}
	p := s.page(r, "notice.kind."+v.Notice.Kind)
	p.Data = d
	s.render(w, http.StatusOK, "notice", p)
}

// caseNoticeLatest is the address the correction notice always had: the case's latest one.
func (s *Server) caseNoticeLatest(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.LatestNotice(r.Context(), rc(r).me.Actor(), r.PathValue("id"), "correction")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/cases/"+n.CaseID+"/notices/"+n.ID, http.StatusSeeOther)
}

type transfersPage struct {
	Board    service.TransferBoard
	Names    map[string]string // township id → name in the page's language
	Sections []listSection     // lists coming in, lists sent
}

type listSection struct {
	Key   string
	Lists []store.Handoff
	// the section's next page and its first (the other section's place is kept)
	NextURL, FirstURL string
}

// transferCursors are where the page's lists of lists start (?sent=, ?incoming=).
func transferCursors(r *http.Request) service.TransferCursors {
	q := r.URL.Query()
	return service.TransferCursors{Sent: q.Get("sent"), Incoming: q.Get("incoming")}
}

func (s *Server) transfersData(r *http.Request, p *Page, b service.TransferBoard) transfersPage {
	link := func(key, cursor string) string {
		q := r.URL.Query()
		q.Del(key)
		if cursor != "" {
			q.Set(key, cursor)
		}
		if len(q) == 0 {
			return "/transfers"
		}
		return "/transfers?" + q.Encode()
	}
	section := func(key string, lists []store.Handoff, next string) listSection {
		sec := listSection{Key: key, Lists: lists}
		if next != "" {
			sec.NextURL = link(key, next)
		}
		if r.URL.Query().Get(key) != "" {
			sec.FirstURL = link(key, "")
		}
		return sec
	}
	return transfersPage{Board: b, Names: s.townshipNames(r, p, slices.Concat(b.Sent, b.Incoming)...),
		Sections: []listSection{section("incoming", b.Incoming, b.IncomingNext), section("sent", b.Sent, b.SentNext)}}
}

// transfers is the township's transfer page: originals waiting to go, by handling township; lists sent;
// lists coming in.
func (s *Server) transfers(w http.ResponseWriter, r *http.Request) {
	b, err := s.svc.Transfers(r.Context(), rc(r).me.Actor(), transferCursors(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.transfers")
	p.Data = s.transfersData(r, p, b)
	p.Form = map[string]string{"idem": ids.Token(16)}
	s.render(w, http.StatusOK, "transfers", p)
}

// transferSend marks what waits for one handling township sent, and shows the list to print.
func (s *Server) transferSend(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.SendTransfer(r.Context(), rc(r).me.Actor(), r.FormValue("to"), r.FormValue("idem"))
	if err != nil {
		if !onForm(err) {
			s.fail(w, r, err)
			return
		}
		b, berr := s.svc.Transfers(r.Context(), rc(r).me.Actor(), transferCursors(r))
		if berr != nil {
			s.fail(w, r, berr)
			return
		}
		p := s.page(r, "title.transfers")
		p.Data = s.transfersData(r, p, b)
		p.Form = map[string]string{"idem": ids.Token(16)}
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "transfers", p)
		return
	}
	http.Redirect(w, r, "/transfers/"+h.ID+"?ok=sent", http.StatusSeeOther)
}

type transferPage struct {
	List     store.Handoff
	From, To string // the townships' names, both languages
	FromMn   string
	ToMn     string
	Mine     bool // the viewer may mark it received
}

// transferShow prints one transfer list.
func (s *Server) transferShow(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.Transfer(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.transfer")
	d := transferPage{List: h}
	if o, err := s.svc.DB.Org(r.Context(), h.From); err == nil {
		d.From, d.FromMn = o.NameZh, o.NameMn
	}
	if o, err := s.svc.DB.Org(r.Context(), h.To); err == nil {
		d.To, d.ToMn = o.NameZh, o.NameMn
		d.Mine = org.InSubtree(rc(r).me.Actor().OrgPath, o.Path)
	}
	p.Data = d
	s.render(w, http.StatusOK, "transfer", p)
}

// transferReceive marks a list received at the handling township.
func (s *Server) transferReceive(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.ReceiveTransfer(r.Context(), rc(r).me.Actor(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/transfers/"+h.ID+"?ok=received_originals", http.StatusSeeOther)
}

// townshipNames names the townships of lists in the page's language.
func (s *Server) townshipNames(r *http.Request, p *Page, lists ...store.Handoff) map[string]string {
	out := map[string]string{}
	for _, h := range lists {
		for _, id := range []string{h.From, h.To} {
			if _, ok := out[id]; ok {
				continue
			}
			if o, err := s.svc.DB.Org(r.Context(), id); err == nil {
				out[id] = p.Name(o)
			}
		}
	}
	return out
}
