package web

import (
	"context"
	"net/http"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/service"
)

// Delegated powers, second round (issue 14): the delegated item's page for staff (/delegations/items/{item}):
// the guidance period's figures of each township handed over (四.(一) 移交后3个月内) and the item's internal FAQ
// (answers promoted from help requests: every handler of the item sees them, the public never does).

type delegItemData struct {
	Item     catalog.Item
	Guidance []service.TownGuidance
	FAQ      []service.FAQ
	Months   int
}

func (s *Server) delegationItem(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	ctx := r.Context()
	row, err := s.svc.DB.Item(ctx, r.PathValue("item"))
	if err != nil || row.Published == 0 {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "item"))
		return
	}
	d := delegItemData{Months: s.svc.GuidanceMonths()}
	if d.Item, err = s.svc.DB.ItemVersion(ctx, row.ID, row.Published); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Guidance, err = s.svc.ItemGuidance(ctx, actor, row.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if actor.Role.Has(access.HelpRead) {
		if d.FAQ, err = s.svc.ItemFAQ(ctx, actor, row.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p := s.page(r, "deleg2.title.item")
	p.Data = d
	s.render(w, http.StatusOK, "delegation_item", p)
}

// PartRate is part of whole as the supervision figures write a rate ("12.5%"), or "—" without a whole.
func (p *Page) PartRate(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return Figure(float64(part)/float64(whole), true)
}

// PeriodRows is what the "periodtable" template needs: the page and the townships' guidance periods.
type PeriodRows struct {
	P    *Page
	Rows []service.TownGuidance
}

// PeriodTable prepares the guidance periods for the "periodtable" template.
func (p *Page) PeriodTable(rows []service.TownGuidance) PeriodRows { return PeriodRows{p, rows} }

// FAQRows is what the "faqlist" template needs.
type FAQRows struct {
	P   *Page
	FAQ []service.FAQ
}

// FAQList prepares an item's FAQ for the "faqlist" template.
func (p *Page) FAQList(faq []service.FAQ) FAQRows { return FAQRows{p, faq} }

// uploaded reads the one file of a form's input, or refuses the field as required.
func uploaded(r *http.Request, field string) (string, []byte, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 || r.MultipartForm.File[field][0].Filename == "" {
		return "", nil, errs.Field(field, "err.required")
	}
	hdr := r.MultipartForm.File[field][0]
	body, err := readUpload(hdr)
	return hdr.Filename, body, err
}

// fileAttach takes the one file of a form's field and hands it to attach; back on success, the page again
// with the field's error otherwise.
func (s *Server) fileAttach(w http.ResponseWriter, r *http.Request, field, back string, attach func(name string, body []byte) error, again func(*http.Request) (*Page, string, error)) {
	name, body, err := uploaded(r, field)
	if err == nil {
		err = attach(name, body)
	}
	if err == nil {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return again(r) })
}

// sendFile sends a stored file read by read, or the error page.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, read func(ctx context.Context, a access.Actor, id, fid string) (files.File, []byte, error)) {
	f, body, err := read(r.Context(), rc(r).me.Actor(), r.PathValue("id"), r.PathValue("fid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeFile(w, f, body)
}

// delegationDocAttach takes the file of a delegation's legal document from its page.
func (s *Server) delegationDocAttach(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.fileAttach(w, r, "deleg2_doc_file", "/delegations/"+id+"?ok=file#deleg-docs", func(name string, body []byte) error {
		_, err := s.svc.AttachDelegationDoc(r.Context(), rc(r).me.Actor(), id, name, body)
		return err
	}, s.delegationView)
}

func (s *Server) delegationDoc(w http.ResponseWriter, r *http.Request) {
	s.sendFile(w, r, s.svc.DelegationDoc)
}

// helpFileAttach takes an attachment of a help request from its page.
func (s *Server) helpFileAttach(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.fileAttach(w, r, "deleg2_help_file", "/help/"+id+"?ok=file#help-files", func(name string, body []byte) error {
		_, err := s.svc.AttachHelpFile(r.Context(), rc(r).me.Actor(), id, name, body)
		return err
	}, s.helpOneView)
}

func (s *Server) helpFile(w http.ResponseWriter, r *http.Request) { s.sendFile(w, r, s.svc.HelpFile) }
