package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/people"
	"bianmin/internal/service"
)

// Electronic materials and the item's application form on the pages (issue 13): the resident's application
// with the form and files (全程网办), the files and the form's values on the case page (front desk and back
// office) and on the resident's own case page, a file shown to whoever may read the case, a file handed in at
// the window or station, and the 申请表 printed for a signature.

// maxFilesPerApplication caps the files of one online application; with files.DefaultLimits.MaxUpload each,
// it gives the body cap of the application's route (edge.go).
const maxFilesPerApplication = 8

// formRow is one field of the form as a page shows it: its label in the page's language and in the other,
// and its value in words (a choice's label; an ID number or phone masked for the back office).
type formRow struct {
	Field        catalog.FormField
	Label, Other string
	Value        string
	Shown        bool
}

func formRows(form []catalog.FormField, values map[string]string, lang string, full bool) []formRow {
	other := "mn"
	if lang == "mn" {
		other = "zh"
	}
	out := make([]formRow, 0, len(form))
	for _, f := range form {
		v := values[f.Key]
		switch f.Type {
		case catalog.FieldChoice:
			if v != "" {
				v = f.ChoiceLabel(v, lang)
			}
		case catalog.FieldIDNumber:
			if !full {
				v = people.MaskIDNumber(v)
			}
		case catalog.FieldPhone:
			if !full {
				v = people.MaskPhone(v)
			}
		}
		out = append(out, formRow{Field: f, Label: f.Label(lang), Other: f.Label(other), Value: v, Shown: f.Shown(values)})
	}
	return out
}

// paperView is the paper side of a case on a page.
type paperView struct {
	service.CasePaper
	Rows       []formRow
	ByMaterial map[string][]files.File
	Base       string // "/cases/{id}" or "/my/cases/{id}": where the file and form links go
	PageKB     int64
}

func (s *Server) paperView(r *http.Request, h service.Hand, caseID, base string) (paperView, error) {
	cp, err := s.svc.CasePaper(r.Context(), h, caseID)
	if err != nil {
		return paperView{}, err
	}
	v := paperView{CasePaper: cp, Base: base, ByMaterial: map[string][]files.File{}, PageKB: s.svc.FileLimits().PageBytes >> 10}
	v.Rows = formRows(cp.Item.Form, cp.Case.Form, string(rc(r).lang), cp.Full)
	for _, f := range cp.Files {
		v.ByMaterial[f.Material] = append(v.ByMaterial[f.Material], f)
	}
	return v, nil
}

// staffHand is the signed-in member of staff's hand.
func staffHand(r *http.Request) service.Hand { return service.Staff(rc(r).me.Actor()) }

func residentHand(r *http.Request) service.Hand { return service.ResidentHand(*rc(r).resident) }

// applyData is the online application page.
type applyData struct {
	Item   catalog.Item
	Rows   []formRow
	Idem   string
	PageKB int64
}

// applyForm is the resident's application page for an item: its form and a file input for each material.
func (s *Server) applyForm(w http.ResponseWriter, r *http.Request) {
	it, err := s.svc.PublicItem(r.Context(), r.PathValue("id"), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.applyPage(w, r, http.StatusOK, it, nil)
}

func (s *Server) applyPage(w http.ResponseWriter, r *http.Request, code int, it catalog.Item, err error) {
	p := s.page(r, "title.apply")
	p.TitleText = p.ItemName(it)
	values := map[string]string{}
	for _, f := range it.Form {
		values[f.Key] = r.FormValue("f_" + f.Key)
		p.Form["f_"+f.Key] = values[f.Key]
	}
	idem := r.FormValue("idem")
	if idem == "" {
		idem = ids.Token(16)
	}
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	rows := formRows(it.Form, values, string(p.Lang), true)
	for i := range rows {
		rows[i].Value = values[rows[i].Field.Key] // the form's own values, as typed
	}
	p.Data = applyData{Item: it, Rows: rows, Idem: idem, PageKB: s.svc.FileLimits().PageBytes >> 10}
	s.render(w, code, "apply", p)
}

// onlineApplication reads the application page's form: the fields f_<key> and the files m<i>_file (each
// material's input may carry several).
func onlineApplication(r *http.Request, it catalog.Item) (service.OnlineApplication, error) {
	in := service.OnlineApplication{Form: map[string]string{}}
	for _, f := range it.Form {
		in.Form[f.Key] = r.FormValue("f_" + f.Key)
	}
	if r.MultipartForm == nil {
		return in, nil
	}
	n := 0
	for i, m := range it.Materials {
		field := "m" + strconv.Itoa(i) + "_file"
		for _, hdr := range r.MultipartForm.File[field] {
			if hdr.Size == 0 && hdr.Filename == "" {
				continue // an input left empty
			}
			if n++; n > maxFilesPerApplication {
				return in, errs.Field(field, "err.file.too_many").With("max", strconv.Itoa(maxFilesPerApplication))
			}
			body, err := readUpload(hdr)
			if err != nil {
				return in, err
			}
			in.Files = append(in.Files, service.FileIn{Material: m.Name, Field: field, Name: hdr.Filename, Body: body})
		}
	}
	return in, nil
}

func readUpload(hdr *multipart.FileHeader) ([]byte, error) {
	f, err := hdr.Open()
	if err != nil {
		return nil, errs.New(errs.BadRequest, "err.edge.form")
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, files.DefaultLimits.MaxUpload+1))
	if err != nil {
		return nil, errs.New(errs.BadRequest, "err.edge.form")
	}
	return body, nil
}

// myCaseData is the resident's own case page.
type myCaseData struct {
	Paper    paperView
	Tracking service.Tracking
}

func (s *Server) myCasePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	t, err := s.svc.MyCase(r.Context(), *rc(r).resident, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pv, err := s.paperView(r, residentHand(r), id, "/my/cases/"+id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.my_case")
	p.TitleText = t.No
	p.Data = myCaseData{Paper: pv, Tracking: t}
	s.render(w, http.StatusOK, "my_case", p)
}

// serveFile sends a file's bytes to whoever may read the case: never cached, never sniffed by the browser
// as anything but its stored type, a PDF in a sandbox of its own.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, h service.Hand) {
	f, body, err := s.svc.CaseFile(r.Context(), h, r.PathValue("id"), r.PathValue("fid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeFile(w, f, body)
}

// writeFile sends a stored file: its stored type, never sniffed by the browser as anything else, never
// cached, a PDF in a sandbox of its own, the address of its bytes beside it.
func writeFile(w http.ResponseWriter, f files.File, body []byte) {
	h := w.Header()
	h.Set("Content-Type", f.Type)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("Content-Disposition", "inline")
	h.Set("X-Content-SHA256", f.SHA256)
	w.Write(body)
}

func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) { s.serveFile(w, r, staffHand(r)) }
func (s *Server) myCaseFile(w http.ResponseWriter, r *http.Request) {
	s.serveFile(w, r, residentHand(r))
}

// caseAttach takes a file for a material at the window or station (or, on the resident's case page, from
// the resident before acceptance), checked and brought down on the server when the browser did not.
func (s *Server) caseAttach(w http.ResponseWriter, r *http.Request) {
	s.attach(w, r, staffHand(r), "/cases/"+r.PathValue("id"))
}

func (s *Server) myCaseAttach(w http.ResponseWriter, r *http.Request) {
	s.attach(w, r, residentHand(r), "/my/cases/"+r.PathValue("id"))
}

func (s *Server) attach(w http.ResponseWriter, r *http.Request, h service.Hand, back string) {
	material := r.FormValue("material")
	var err error
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		err = errs.Field("file", "err.required")
	} else {
		var body []byte
		hdr := r.MultipartForm.File["file"][0]
		if body, err = readUpload(hdr); err == nil {
			_, err = s.svc.AttachFile(r.Context(), h, r.PathValue("id"), material, "file", hdr.Filename, body)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, back+"?ok=file#files", http.StatusSeeOther)
}

// formPrintData is the printed 申请表.
type formPrintData struct {
	Paper paperView
	Mn    []formRow // the same rows with Mongolian labels and values, for the Mongolian column
	Zh    []formRow
}

func (s *Server) printForm(w http.ResponseWriter, r *http.Request, h service.Hand, base string) {
	id := r.PathValue("id")
	pv, err := s.paperView(r, h, id, base)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(pv.Item.Form) == 0 {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "form"))
		return
	}
	p := s.page(r, "title.form_print")
	p.TitleText = pv.Case.No
	p.Data = formPrintData{Paper: pv, Mn: formRows(pv.Item.Form, pv.Case.Form, "mn", pv.Full), Zh: formRows(pv.Item.Form, pv.Case.Form, "zh", pv.Full)}
	s.render(w, http.StatusOK, "form_print", p)
}

func (s *Server) caseFormPrint(w http.ResponseWriter, r *http.Request) {
	s.printForm(w, r, staffHand(r), "/cases/"+r.PathValue("id"))
}

func (s *Server) myCaseFormPrint(w http.ResponseWriter, r *http.Request) {
	s.printForm(w, r, residentHand(r), "/my/cases/"+r.PathValue("id"))
}

// applyOnline hands in an application from a guide (one button) or from the application page (the form
// and files); the form carries an idempotency key. A refused application comes back on its page with every
// fault named by its field's label, what was typed kept (the files are chosen again).
func (s *Server) applyOnline(w http.ResponseWriter, r *http.Request) {
	it, err := s.svc.PublicItem(r.Context(), r.PathValue("id"), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := onlineApplication(r, it)
	if err == nil {
		_, err = s.svc.ApplyOnlineWith(r.Context(), *rc(r).resident, it.ID, r.FormValue("idem"), in)
	}
	var e *errs.Error
	if err != nil && r.FormValue("page") == "apply" && errors.As(err, &e) && e.Code == errs.Invalid {
		s.applyPage(w, r, status(err), it, err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/my?ok=applied", http.StatusSeeOther)
}

// applyNeedsPage reports an item applied for on its page rather than with the guide's one button: it has a
// form to fill, or materials to hand in as files.
func applyNeedsPage(it catalog.Item) bool {
	if len(it.Form) > 0 {
		return true
	}
	for _, m := range it.Materials {
		if m.HandedInOnline() {
			return true
		}
	}
	return false
}

// KB writes a size in kilobytes, as the hall reads it.
func (p *Page) KB(n int64) string { return p.T("paper.kb", "n", strconv.FormatInt((n+512)/1024, 10)) }

// TIn renders a key in a given language, for papers that carry both whatever the reader's.
func (p *Page) TIn(lang, key string, args ...string) string {
	return p.cat.T(i18n.Parse(lang), key, args...)
}
