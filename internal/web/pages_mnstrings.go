package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/translation"
)

// C renders a catalog text (an item element, a topic) in the page's language. In Mongolian, a text without
// Mongolian shows its Chinese marked lang="zh-Hans" and class zh-gap, so that it is set and read as Chinese
// (horizontal), never as broken Mongolian, and a test can count the gaps.
func (p *Page) C(zh string) template.HTML {
	zh = strings.TrimSpace(zh)
	if zh == "" {
		return ""
	}
	if p.Lang != i18n.Mn {
		return template.HTML(template.HTMLEscapeString(zh))
	}
	if p.mnText != nil {
		if mn := p.mnText(zh); mn != "" {
			return template.HTML(`<span lang="mn-Mong">` + template.HTMLEscapeString(mn) + `</span>`)
		}
	}
	return zhGap(zh)
}

func zhGap(zh string) template.HTML {
	return template.HTML(`<span lang="zh-Hans" class="zh-gap">` + template.HTMLEscapeString(zh) + `</span>`)
}

// CM renders a text that carries its own Mongolian (an organisation's, a bundle's name): the workflow's
// Mongolian first, then its own, then the Chinese marked as Chinese.
func (p *Page) CM(zh, mn string) template.HTML {
	if p.Lang == i18n.Mn && p.mnText != nil && p.mnText(zh) == "" && mn != "" {
		return template.HTML(`<span lang="mn-Mong">` + template.HTMLEscapeString(mn) + `</span>`)
	}
	return p.C(zh)
}

// OrgName is an organisation's name in the page's language, marked as Chinese where it has no Mongolian.
func (p *Page) OrgName(o org.Org) template.HTML {
	if p.Lang == i18n.Mn && o.NameMn != "" {
		return template.HTML(`<span lang="mn-Mong">` + template.HTMLEscapeString(o.NameMn) + `</span>`)
	}
	return p.C(o.NameZh)
}

// ItemNameH is an item's name in the page's language, marked as Chinese where it has no Mongolian.
func (p *Page) ItemNameH(it catalog.Item) template.HTML { return p.CM(it.NameZh, it.NameMn) }

// CaseItemH is a case's item name in the page's language, marked as Chinese where it has no Mongolian.
func (p *Page) CaseItemH(c cases.Case) template.HTML { return p.CM(c.ItemName, c.ItemNameMn) }

// itemMn is an item's Mongolian name: the reviewed string first, the item's own after.
func (p *Page) itemMn(it catalog.Item) string {
	if p.mnText != nil {
		if mn := p.mnText(it.NameZh); mn != "" {
			return mn
		}
	}
	return it.NameMn
}

// Special renders a step's special procedure (公示, 听证 ...) inside its sentence: the kind named in the
// page's language where the catalog names it, else as a catalog text (C).
func (p *Page) Special(kind string) template.HTML {
	name := p.C(kind)
	if code := cases.SuspendKindCode(kind); code != "other" || kind == "其他" {
		name = template.HTML(template.HTMLEscapeString(p.T("suspend_kind." + code)))
	}
	return template.HTML(strings.Replace(template.HTMLEscapeString(p.T("guide.special", "kind", "\x00")), "\x00", string(name), 1))
}

// StatusName names a string's status.
func (p *Page) StatusName(s translation.Status) string { return p.T("mn.status." + string(s)) }

// KindName names a kind of string.
func (p *Page) KindName(k translation.Kind) string { return p.T("mn.kind." + string(k)) }

// Permille writes a figure per thousand as a percentage with one decimal.
func (p *Page) Permille(n int) string { return fmt.Sprintf("%d.%d%%", n/10, n%10) }

type mnQueueData struct {
	Rows              []translation.String
	Query             service.MnQuery
	Kinds             []translation.Kind
	Statuses          []translation.Status
	Total             int
	NextURL, FirstURL string
}

func mnQueryOf(r *http.Request) service.MnQuery {
	q := service.MnQuery{Kind: translation.Kind(r.FormValue("kind")), Status: translation.Status(r.FormValue("status")),
		Pending: r.FormValue("pending") == "1", Township: r.FormValue("township"), Q: strings.TrimSpace(r.FormValue("q")), After: r.FormValue("after")}
	if !q.Kind.Valid() {
		q.Kind = ""
	}
	if !q.Status.Valid() {
		q.Status = ""
	}
	return q
}

// mnQueue is the reviewers' queue: strings by key, filtered and searched, a page at a time.
func (s *Server) mnQueue(w http.ResponseWriter, r *http.Request) {
	q := mnQueryOf(r)
	if r.URL.Query().Get("pending") == "" && r.URL.Query().Get("q") == "" && r.URL.Query().Get("status") == "" && r.URL.Query().Get("kind") == "" {
		q.Pending = true // what awaits a reviewer, unless asked otherwise
	}
	rows, total, err := s.svc.MnQueue(r.Context(), rc(r).me.Actor(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := mnQueueData{Rows: rows, Query: q, Kinds: translation.Kinds, Statuses: translation.Statuses, Total: total}
	if len(rows) == service.MnQueuePage {
		v := r.URL.Query()
		v.Set("after", rows[len(rows)-1].Key)
		if q.Pending {
			v.Set("pending", "1")
		}
		d.NextURL = "/translate?" + v.Encode()
	}
	if q.After != "" {
		v := r.URL.Query()
		v.Del("after")
		d.FirstURL = "/translate?" + v.Encode()
	}
	p := s.page(r, "title.mn_queue")
	p.Data = d
	s.render(w, http.StatusOK, "mn_queue", p)
}

type mnStringData struct {
	service.MnDetail
	Next    string // the next string awaiting a reviewer
	Context string // the page that shows the string, in Mongolian
}

func (s *Server) mnStringData(r *http.Request, key string) (mnStringData, error) {
	d, err := s.svc.MnString(r.Context(), rc(r).me.Actor(), key)
	if err != nil {
		return mnStringData{}, err
	}
	out := mnStringData{MnDetail: d}
	if d.String.Context != "" {
		out.Context = "/lang/mn?back=" + url.QueryEscape(d.String.Context)
	}
	next, _, err := s.svc.MnQueue(r.Context(), rc(r).me.Actor(), service.MnQuery{Pending: true, After: key})
	if err == nil && len(next) > 0 {
		out.Next = next[0].Key
	}
	return out, nil
}

// mnString is one string with its glossary panel, warnings, history and the reviewer's form.
func (s *Server) mnString(w http.ResponseWriter, r *http.Request) {
	d, err := s.mnStringData(r, r.FormValue("key"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.mn_string")
	p.Data = d
	p.Form["mn"] = d.Mn
	s.render(w, http.StatusOK, "mn_string", p)
}

// mnChange applies accept, correct, compose or comment; then the next string awaiting a reviewer, so that a
// reviewer works through the queue from the keyboard.
func (s *Server) mnChange(w http.ResponseWriter, r *http.Request) {
	key := r.FormValue("key")
	version, _ := strconv.Atoi(r.FormValue("version"))
	var err error
	if seq := r.FormValue("revert"); seq != "" {
		_, err = s.svc.RevertMn(r.Context(), rc(r).me.Actor(), key, seq, version)
	} else {
		_, err = s.svc.ChangeMn(r.Context(), rc(r).me.Actor(), translation.Change{Key: key, Mn: r.FormValue("mn"), Comment: r.FormValue("comment"),
			Action: translation.Action(r.FormValue("action")), Version: version})
	}
	if err == nil {
		to := key
		if r.FormValue("then") == "next" && r.FormValue("next") != "" {
			to = r.FormValue("next")
		}
		http.Redirect(w, r, "/translate/string?ok=saved&key="+url.QueryEscape(to), http.StatusSeeOther)
		return
	}
	d, derr := s.mnStringData(r, key)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	p := s.page(r, "title.mn_string")
	p.Data = d
	p.Form = formValues(r, "mn", "comment")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "mn_string", p)
}

// mnPropose shows the transliteration aid's proposal for a Chinese name: shown, never saved.
func (s *Server) mnPropose(w http.ResponseWriter, r *http.Request) {
	zh := strings.TrimSpace(r.FormValue("zh"))
	p := s.page(r, "title.mn_propose")
	if len([]rune(zh)) > 50 {
		p.Errors = s.fieldErrors(p.Lang, errs.Field("zh", "err.too_long").With("max", "50"))
		s.render(w, http.StatusBadRequest, "mn_propose", p)
		return
	}
	var prop *translation.Proposal
	if zh != "" {
		pr, err := s.svc.ProposeMn(r.Context(), rc(r).me.Actor(), zh)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		prop = &pr
	}
	p.Form["zh"] = zh
	p.Data = prop
	s.render(w, http.StatusOK, "mn_propose", p)
}

// mnCoverage is the coverage report.
func (s *Server) mnCoverage(w http.ResponseWriter, r *http.Request) {
	cov, err := s.svc.Coverage(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.mn_coverage")
	p.Data = struct {
		service.MnCoverage
		Kinds    []translation.Kind
		Statuses []translation.Status
	}{cov, translation.Kinds, translation.Statuses}
	s.render(w, http.StatusOK, "mn_coverage", p)
}

// mnCoverageExport writes the coverage report as XLSX, both languages in the heads.
func (s *Server) mnCoverageExport(w http.ResponseWriter, r *http.Request) {
	cov, err := s.svc.Coverage(r.Context(), rc(r).me.Actor())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "覆盖率"
	f.SetSheetName("Sheet1", sheet)
	bi := func(key string) string { return s.cat.T(i18n.Zh, key) + " " + s.cat.T(i18n.Mn, key) }
	head := []string{bi("mn.coverage.what")}
	for _, st := range translation.Statuses {
		head = append(head, bi("mn.status."+string(st)))
	}
	head = append(head, bi("mn.coverage.total"))
	row := 1
	put := func(vals ...any) {
		for i, v := range vals {
			c, _ := excelize.CoordinatesToCellName(i+1, row)
			f.SetCellValue(sheet, c, v)
		}
		row++
	}
	put(toAny(head)...)
	line := func(name string, t translation.Tally) {
		put(name, t.Attested, t.Reviewed, t.Composed, t.Missing, t.Total())
	}
	for _, k := range translation.Kinds {
		line(bi("mn.kind."+string(k)), cov.ByKind[k])
	}
	line(bi("mn.coverage.total"), cov.Total)
	row++
	for _, t := range cov.Townships {
		line(t.Org.NameZh+" "+t.Org.NameMn, t.Tally)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="mn-coverage.xlsx"`)
	w.Write(buf.Bytes())
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// mnExport writes the pending strings (or all, ?all=1) for translators outside Bianmin.
func (s *Server) mnExport(w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	if format != "xlsx" && format != "xliff" {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "mn_string"))
		return
	}
	var buf bytes.Buffer
	if err := s.svc.ExportMn(r.Context(), rc(r).me.Actor(), format, r.FormValue("all") == "1", translation.Kind(r.FormValue("kind")), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "xliff" {
		w.Header().Set("Content-Type", "application/xliff+xml")
		w.Header().Set("Content-Disposition", `attachment; filename="bianmin-mn.xlf"`)
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="bianmin-mn.xlsx"`)
	}
	w.Write(buf.Bytes())
}

// mnImportError is one fault of a returned file, in both languages: translators outside Bianmin read
// either.
type mnImportError struct {
	Place, Zh, Mn string
}

type mnImportData struct {
	ID      string
	Diff    []translation.Diff
	Applied bool
	Faults  []mnImportError
}

func (s *Server) mnImportForm(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.MnWorker(r.Context(), rc(r).me.Actor()); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.mn_import")
	p.Data = mnImportData{}
	s.render(w, http.StatusOK, "mn_import", p)
}

// mnImport reads a returned file and shows its diff to accept; a file with any fault is refused whole,
// each fault named by sheet, cell and column, in both languages.
func (s *Server) mnImport(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.mn_import")
	fail := func(err error) {
		d := mnImportData{}
		for _, e := range errs.All(err) {
			args := []string{}
			for k, v := range e.Args {
				args = append(args, k, v)
			}
			d.Faults = append(d.Faults, mnImportError{Place: e.Field, Zh: s.cat.T(i18n.Zh, e.Key, args...), Mn: s.cat.T(i18n.Mn, e.Key, args...)})
		}
		p.Data = d
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "mn_import", p)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		fail(errs.Field("file", "err.required"))
		return
	}
	defer f.Close()
	body, err := io.ReadAll(http.MaxBytesReader(w, f, translation.MaxFileBytes))
	if err != nil {
		fail(errs.Field("file", "err.import.format"))
		return
	}
	format := "xlsx"
	if n := strings.ToLower(hdr.Filename); strings.HasSuffix(n, ".xlf") || strings.HasSuffix(n, ".xliff") {
		format = "xliff"
	}
	id, diff, err := s.svc.PrepareMnImport(r.Context(), rc(r).me.Actor(), format, body)
	if err != nil {
		fail(err)
		return
	}
	p.Data = mnImportData{ID: id, Diff: diff}
	s.render(w, http.StatusOK, "mn_import", p)
}

// mnImportApply applies an accepted diff, all or nothing.
func (s *Server) mnImportApply(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := s.svc.ApplyMnImport(r.Context(), rc(r).me.Actor(), id)
	if err != nil {
		diff, applied, derr := s.svc.MnImport(r.Context(), rc(r).me.Actor(), id)
		if derr != nil {
			s.fail(w, r, err)
			return
		}
		p := s.page(r, "title.mn_import")
		p.Data = mnImportData{ID: id, Diff: diff, Applied: applied}
		p.Errors = s.fieldErrors(p.Lang, err)
		s.render(w, status(err), "mn_import", p)
		return
	}
	http.Redirect(w, r, "/translate?ok=mn_imported&n="+strconv.Itoa(n), http.StatusSeeOther)
}

// MnStringJSON is a string as the API tells it.
type MnStringJSON struct {
	Key      string `json:"key"`
	Kind     string `json:"kind"`
	Zh       string `json:"zh"`
	Mn       string `json:"mn"`
	Status   string `json:"status"`
	Where    string `json:"where"`
	Context  string `json:"context,omitempty"`
	Township string `json:"township,omitempty"`
	Version  int    `json:"version"`
}

func mnStringJSON(s translation.String) MnStringJSON {
	return MnStringJSON{Key: s.Key, Kind: string(s.Kind), Zh: s.Zh, Mn: s.Mn, Status: string(s.Status), Where: s.Where, Context: s.Context, Township: s.Township, Version: s.Version}
}

// MnPageJSON is a page of the queue: next is the key to pass as ?after= for the following page.
type MnPageJSON struct {
	Strings []MnStringJSON `json:"strings"`
	Total   int            `json:"total"`
	Next    string         `json:"next,omitempty"`
}

// MnChangeJSON is a reviewer's change.
type MnChangeJSON struct {
	Key     string `json:"key"`
	Action  string `json:"action"` // accept, correct, compose, comment
	Mn      string `json:"mn,omitempty"`
	Comment string `json:"comment,omitempty"`
	Version int    `json:"version"`
}

// MnTallyJSON counts strings by status.
type MnTallyJSON struct {
	Attested int `json:"attested"`
	Reviewed int `json:"reviewed"`
	Composed int `json:"composed"`
	Missing  int `json:"missing"`
	Total    int `json:"total"`
}

// MnCoverageJSON is the coverage report.
type MnCoverageJSON struct {
	ByKind     map[string]MnTallyJSON `json:"by_kind"`
	Total      MnTallyJSON            `json:"total"`
	ByTownship map[string]MnTallyJSON `json:"by_township"` // township id → its organisation names
}

func mnTallyJSON(t translation.Tally) MnTallyJSON {
	return MnTallyJSON{t.Attested, t.Reviewed, t.Composed, t.Missing, t.Total()}
}

// mnOps are the API operations of the Mongolian workflow.
func (s *Server) mnOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/mn/strings", "listMnStrings", "Strings for Mongolian reviewers in the caller's scope, by key: ?kind= (interface, catalog, orgs, notices), ?status=, ?pending=1, ?township=, ?q= (Chinese or Mongolian, compared folded), ?after=", true,
			func(r *http.Request, c *reqCtx, _ empty) (MnPageJSON, error) {
				list, total, err := s.svc.MnQueue(r.Context(), c.me.Actor(), mnQueryOf(r))
				out := MnPageJSON{Strings: make([]MnStringJSON, 0, len(list)), Total: total}
				for _, x := range list {
					out.Strings = append(out.Strings, mnStringJSON(x))
				}
				if len(list) == service.MnQueuePage {
					out.Next = list[len(list)-1].Key
				}
				return out, err
			}),
		op(s, "POST", "/api/v1/mn/strings", "changeMnString", "Accept, correct, compose or comment a string's Mongolian; version must be the one read (optimistic locking); the text is normalised (FVS, U+180E, U+202F as the standard needs; Latin or Cyrillic look-alikes refused)", true,
			func(r *http.Request, c *reqCtx, in MnChangeJSON) (MnStringJSON, error) {
				after, err := s.svc.ChangeMn(r.Context(), c.me.Actor(), translation.Change{Key: in.Key, Action: translation.Action(in.Action), Mn: in.Mn, Comment: in.Comment, Version: in.Version})
				return mnStringJSON(after), err
			}),
		op(s, "GET", "/api/v1/mn/coverage", "mnCoverage", "How much is in Mongolian: attested, reviewed, composed, missing, by kind and by township (banner-level translators and administrators)", true,
			func(r *http.Request, c *reqCtx, _ empty) (MnCoverageJSON, error) {
				cov, err := s.svc.Coverage(r.Context(), c.me.Actor())
				out := MnCoverageJSON{ByKind: map[string]MnTallyJSON{}, Total: mnTallyJSON(cov.Total), ByTownship: map[string]MnTallyJSON{}}
				for k, t := range cov.ByKind {
					out.ByKind[string(k)] = mnTallyJSON(t)
				}
				for _, t := range cov.Townships {
					out.ByTownship[t.Org.ID] = mnTallyJSON(t.Tally)
				}
				return out, err
			}),
	}
}
