package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/catalogfile"
	"bianmin/internal/errs"
	"bianmin/internal/service"
)

// The catalog pages are for the people who keep the catalog: department staff for their items,
// administrators for all and for publishing.

type catalogData struct {
	Items   []catalog.Item
	Report  *service.ImportReport
	Outcome []importLine // the report's drafts and refused items, with their reasons in the reader's language
}

type importLine struct {
	N       int
	Name    string
	Refused bool
	Reasons []FieldError
}

func (s *Server) needCatalog(w http.ResponseWriter, r *http.Request) bool {
	if !rc(r).me.Role.Has(access.CatalogEdit) {
		s.fail(w, r, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.CatalogEdit)))
		return false
	}
	return true
}

func (s *Server) catalogList(w http.ResponseWriter, r *http.Request) {
	if !s.needCatalog(w, r) {
		return
	}
	items, err := s.svc.Items(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.catalog")
	p.Data = catalogData{Items: items}
	s.render(w, http.StatusOK, "catalog", p)
}

func (s *Server) catalogImport(w http.ResponseWriter, r *http.Request) {
	if !s.needCatalog(w, r) {
		return
	}
	p := s.page(r, "title.catalog")
	fail := func(err error) {
		items, _ := s.svc.Items(r.Context(), rc(r).me.Actor())
		p.Data = catalogData{Items: items}
		p.Form = formValues(r, "department")
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "catalog", p)
	}
	// Whether this account may import at all is known before the file is read (a spreadsheet's reading
	// costs memory and time: catalogfile/limits.go bounds them for those who may).
	if err := s.svc.CheckCatalogImport(r.Context(), rc(r).me.Actor(), r.PostFormValue("department"), r.PostFormValue("publish") == "1"); err != nil {
		fail(err)
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail(errs.Field("file", "err.required"))
		return
	}
	defer f.Close()
	body, err := io.ReadAll(http.MaxBytesReader(w, f, catalogUploadLimit))
	if err != nil {
		fail(errs.Field("file", "err.import.format"))
		return
	}
	items, err := catalogfile.Read(filepath.Base(hdr.Filename), body, strings.TrimSpace(r.FormValue("department")))
	if err != nil {
		fail(err)
		return
	}
	// the file's delegation records (the JSON file's delegations, the template's sheet 赋权) come in as proposals
	// of their departments, with the items or not at all
	dels, err := catalogfile.ReadDelegations(filepath.Base(hdr.Filename), body)
	if err != nil {
		fail(err)
		return
	}
	opt := service.ImportOptions{Publish: r.FormValue("publish") == "1", PerItem: catalogfile.IsGuides(hdr.Filename, body), Delegations: dels, Source: filepath.Base(hdr.Filename)}
	rep, err := s.svc.ImportItemsWith(r.Context(), rc(r).me.Actor(), items, opt)
	if err != nil {
		fail(err)
		return
	}
	all, err := s.svc.Items(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Flash = "flash.imported"
	d := catalogData{Items: all, Report: &rep}
	for i, o := range rep.Items {
		if o.Status != catalog.Published {
			d.Outcome = append(d.Outcome, importLine{i + 1, o.Name, o.Status == "", s.fieldErrors(p.Lang, errs.List(o.Reasons))})
		}
	}
	p.Data = d
	s.render(w, http.StatusOK, "catalog", p)
}

func (s *Server) catalogExport(w http.ResponseWriter, r *http.Request) {
	if !s.needCatalog(w, r) {
		return
	}
	items, dels, err := s.svc.CatalogExport(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "catalog.json"
	ctype := "application/json; charset=utf-8"
	if r.PathValue("format") == "xlsx" {
		name, ctype = "catalog.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	var buf bytes.Buffer
	if err := catalogfile.WriteWith(name, &buf, items, dels); err != nil { // the items and the 赋权清单, which an import reads back
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	buf.WriteTo(w)
}

type catalogItemData struct {
	Item     catalog.Item
	Row      int // the item's row version, for optimistic locking
	Versions []catalog.Item
	Gaps     []string
	Problems []FieldError
	JSON     string
	Joint    jointEditor // the form of the joint steps (pages_catalog_joint.go)
}

func (s *Server) catalogItemData(r *http.Request, id string) (catalogItemData, error) {
	it, row, versions, err := s.svc.ItemForEdit(r.Context(), rc(r).me.Actor(), id)
	if err != nil {
		return catalogItemData{}, err
	}
	b, _ := json.MarshalIndent(catalogfile.Portable(it), "", " ")
	d := catalogItemData{Item: it, Row: row.RowVersion, Versions: versions, Gaps: catalog.Gaps(it), JSON: string(b)}
	d.Problems = s.fieldErrors(rc(r).lang, it.Check())
	d.Joint = s.jointEditorOf(r, it)
	return d, nil
}

func (s *Server) catalogItem(w http.ResponseWriter, r *http.Request) {
	if !s.needCatalog(w, r) {
		return
	}
	d, err := s.catalogItemData(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.catalog_item")
	p.Data = d
	p.Form["doc"] = d.JSON
	s.render(w, http.StatusOK, "catalog_item", p)
}

func (s *Server) catalogStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v, _ := strconv.Atoi(r.FormValue("version"))
	err := s.svc.SetItemStatus(r.Context(), rc(r).me.Actor(), id, v, catalog.Status(r.FormValue("to")))
	if err == nil {
		http.Redirect(w, r, "/catalog/"+id+"?ok=saved", http.StatusSeeOther)
		return
	}
	s.catalogItemFail(w, r, id, err)
}

func (s *Server) catalogSave(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var it catalog.Item
	dec := json.NewDecoder(strings.NewReader(r.FormValue("doc")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&it); err != nil {
		s.catalogItemFail(w, r, id, errs.Field("doc", "err.json").With("detail", err.Error()))
		return
	}
	it.ID = id
	row, _ := strconv.Atoi(r.FormValue("row"))
	if _, err := s.svc.SaveItem(r.Context(), rc(r).me.Actor(), it, row); err != nil {
		s.catalogItemFail(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/catalog/"+id+"?ok=saved", http.StatusSeeOther)
}

func (s *Server) catalogItemFail(w http.ResponseWriter, r *http.Request, id string, err error) {
	d, derr := s.catalogItemData(r, id)
	if derr != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.catalog_item")
	p.Data = d
	p.Form["doc"] = d.JSON
	if doc := r.FormValue("doc"); doc != "" {
		p.Form["doc"] = doc // what was typed is kept
	}
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "catalog_item", p)
}
