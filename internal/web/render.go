package web

import (
	"bytes"
	"fmt"
	"html/template"
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
	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/people"
)

// Page is what every template receives. Pages add their own data in Data.
type Page struct {
	Lang  i18n.Lang
	Large bool
	Me    *people.Staff
	CSRF  string
	Path  string
	// Back is where the language and large-text switches return: the page with its query (a search, a
	// tracking, filters), for a GET; the path alone after a form was posted.
	Back  string
	Title string // catalog key
	// TitleText, when set, is the page's own name (an item's, a township's) for the browser's title.
	TitleText string
	Nav       []NavItem
	Flash     string // catalog key of a success message
	Errors    []FieldError
	// Form holds the submitted values, so that nothing typed is lost when a form comes back with errors.
	Form map[string]string
	Data any
	cat  *i18n.Catalog
	// MissingYear is a year whose official holiday schedule is missing when it matters (warnCalendar).
	MissingYear int
	// NoSecondFactor warns a privileged account signed in without a second factor to enrol one.
	NoSecondFactor bool

	// Kiosk is the service center whose hall terminal shows the page (kiosk mode, pages_hall.go); Refresh
	// reloads a page by itself every so many seconds (a ticket's phone page, the board).
	Kiosk   string
	Refresh int
	// Links are per-row links a page adds to its list (the tracking page's rating links, by case number).
	Links map[string]string

	// Resident is a resident signed in to their own account; RCSRF is their session's form token.
	Resident *people.ResidentAccount
	RCSRF    string

	// mnText is the Mongolian of a catalog text or an organisation's name, "" when it has none (C, pages_mnstrings.go).
	mnText func(string) string
}

// NavItem is one link of the navigation.
type NavItem struct {
	Href, Key string
	Current   bool
}

// FieldError is an error as a person reads it: the field's label and what is wrong, in their language.
type FieldError struct {
	Field   string
	Label   string
	Message string
	// Anchor is the id the summary's link jumps to when it is not the form's own "f-"+Field: the field of one
	// row among several forms of one name on a page (the row's form that was sent).
	Anchor string
}

// T translates a catalog key.
func (p *Page) T(key string, args ...string) string { return p.cat.T(p.Lang, key, args...) }

// Bi renders a key in both languages together, Mongolian first (above or left), as signs and headers
// must be (内政办发〔1996〕32号; FACTS.md §5.7).
func (p *Page) Bi(key string) template.HTML {
	m, _ := p.cat.Get(key)
	return bilingual(m.Mn, m.Zh)
}

// BiName renders an organisation's names together.
func (p *Page) BiName(o org.Org) template.HTML { return bilingual(o.NameMn, o.NameZh) }

func bilingual(mn, zh string) template.HTML {
	var b strings.Builder
	b.WriteString(`<span class="bi">`)
	if mn != "" {
		fmt.Fprintf(&b, `<span class="mn" lang="mn-Mong">%s</span>`, template.HTMLEscapeString(mn))
	}
	fmt.Fprintf(&b, `<span class="zh" lang="zh-Hans">%s</span></span>`, template.HTMLEscapeString(zh))
	return template.HTML(b.String())
}

// Name is an organisation's name in the page's language.
func (p *Page) Name(o org.Org) string { return o.Name(string(p.Lang)) }

// Err returns the message of the error on a field, if any.
func (p *Page) Err(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// V returns the submitted value of a form field.
func (p *Page) V(field string) string { return p.Form[field] }

// Can reports whether the signed-in person may do act somewhere in their subtree.
func (p *Page) Can(act string) bool { return p.Me != nil && p.Me.Role.Has(access.Action(act)) }

// Mn reports whether the page is in Mongolian.
func (p *Page) Mn() bool { return p.Lang == i18n.Mn }

// Other is the language the switch offers.
func (p *Page) Other() i18n.Lang {
	if p.Lang == i18n.Mn {
		return i18n.Zh
	}
	return i18n.Mn
}

var funcs = template.FuncMap{
	"mask": people.MaskPhone,
	// local shows a time on the hall's clock (China time), whatever the server's zone.
	"local": func(t time.Time) time.Time { return t.In(clock.DefaultRules().Location) },
	// may reports whether a move is among those the viewer may make.
	"may": func(mine []cases.Action, a string) bool { return slices.Contains(mine, cases.Action(a)) },
	// neg turns an overdue count of days (negative remaining) into the days over
	"neg": func(n int) int { return -n },
	// inc counts from one, for numbered rows.
	"inc": func(i int) int { return i + 1 },
	// the hall's pages (pages_hall.go)
	"kioskIdle": func() int { return kioskIdle },
	"minutes":   Minutes,
	// rateable: a case in this state may be rated online (pages_rating.go)
	"rateable": rateable,
}

// page builds the base of a page for the request.
func (s *Server) page(r *http.Request, title string) *Page {
	c := rc(r)
	p := &Page{Lang: c.lang, Large: c.large, Me: c.me, CSRF: c.sess.CSRF, Resident: c.resident, RCSRF: c.rsess.CSRF, Path: r.URL.Path, Back: r.URL.Path, Title: title, cat: s.cat, Form: map[string]string{}, mnText: s.svc.MnText}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.Back = safeBack(r.URL.RequestURI())
	}
	if ok := r.URL.Query().Get("ok"); ok != "" && s.cat.Has("flash."+ok) {
		p.Flash = "flash." + ok
	}
	p.Nav = navFor(c.me, c.resident != nil, r.URL.Path)
	if ck, err := r.Cookie(kioskCookie); err == nil && ck.Value != "" && c.me == nil && c.resident == nil {
		p.Kiosk, p.Large, p.Nav = ck.Value, true, kioskNav(ck.Value)
	}
	p.NoSecondFactor = c.me != nil && people.NeedsSecondFactor(c.me.Role) && !c.sess.SecondFactor
	return p
}

// navFor is the navigation for a role: each person sees what their role can use.
func navFor(me *people.Staff, resident bool, path string) []NavItem {
	if me == nil {
		items := []NavItem{{Href: "/", Key: "nav.home"}, {Href: "/portal", Key: "nav.portal"}, {Href: "/track", Key: "nav.track"}, {Href: "/results", Key: "nav.result"}, {Href: "/reports", Key: "nav.reports"}, {Href: "/complain", Key: "joint.nav.complain"}}
		// A resident's sign-in and the staff's are two doors, each named for whom it is; a signed-in resident
		// sees their applications, not a door to the staff login.
		if resident {
			items = append(items, NavItem{Href: "/my", Key: "nav.my"})
		} else {
			items = append(items, NavItem{Href: "/resident/login", Key: "nav.resident"}, NavItem{Href: "/login", Key: "nav.staff_login"})
		}
		for i := range items {
			items[i].Current = items[i].Href == path || (items[i].Href != "/" && strings.HasPrefix(path, items[i].Href+"/"))
		}
		return items
	}
	items := []NavItem{{Href: "/desk", Key: "nav.desk"}, {Href: "/portal", Key: "nav.portal"}}
	add := func(act access.Action, href, key string) {
		if me.Role.Has(act) {
			items = append(items, NavItem{Href: href, Key: key})
		}
	}
	add(access.ApplicantRead, "/cases", "nav.cases")
	add(access.SupervisionRead, "/supervision", "nav.supervision")
	add(access.OrderIssue, "/orders", "nav.orders")
	add(access.HallOperate, "/hall", "nav.hall")
	add(access.EnquiryRead, "/enquiries", "nav.enquiries")
	add(access.RatingRead, "/ratings", "nav.ratings")
	add(access.ComplaintRead, "/complaints", "joint.nav.complaints")
	add(access.CaseHandover, "/handovers", "joint.nav.handovers")
	add(access.CaseHandover, "/cases/linked", "joint.nav.linked")
	if me.Role == access.Clerk || me.Role == access.Director { // a township's front desk sends and receives 通办 originals
		items = append(items, NavItem{Href: "/transfers", Key: "nav.transfers"})
	}
	add(access.DelegationRead, "/delegations", "nav.delegations") // delegated powers (pages_delegation.go)
	add(access.HelpRead, "/help", "nav.help")
	add(access.InspectionRead, "/inspections", "nav.inspections")
	if me.Role == access.Supervisor || me.Role == access.Admin {
		items = append(items, NavItem{Href: "/assessment", Key: "nav.assessment"})
	}
	add(access.StationLists, "/station", "nav.station")
	add(access.VisitWrite, "/visits", "nav.visits")
	add(access.OrgRead, "/orgs", "nav.orgs")
	add(access.ApplicantRead, "/applicants", "nav.applicants")
	add(access.StaffRead, "/staff", "nav.staff")
	if me.Role.Has(access.RecusalDeclare) || me.Role.Has(access.CoverageRead) { // the people of the hall (pages_roster.go)
		items = append(items, NavItem{Href: "/people", Key: "people.nav"})
	}
	add(access.CatalogEdit, "/catalog", "nav.catalog")
	add(access.TranslationEdit, "/translate", "nav.mn_queue")
	if me.Role == access.Admin {
		items = append(items, NavItem{Href: "/admin/translations", Key: "nav.translations"})
	}
	add(access.OrgImport, "/admin/import", "nav.import")
	add(access.AuditRead, "/admin/audit", "nav.audit")
	add(access.UpstreamManage, "/upstream", "up.nav")
	if me.Role == access.Admin {
		items = append(items, NavItem{Href: "/admin/calendar", Key: "nav.calendar"})
	}
	items = append(items, NavItem{Href: "/account/password", Key: "nav.password"})
	for i := range items {
		items[i].Current = items[i].Href == path || (items[i].Href != "/desk" && strings.HasPrefix(path, items[i].Href+"/"))
	}
	return items
}

// render writes a page with its status.
func (s *Server) render(w http.ResponseWriter, code int, name string, p *Page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("render", "page", name, "err", errNoTemplate)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	buf.WriteTo(w)
}

// onForm reports whether an error goes back onto the form that made it, to be mended there: bad input, or a
// conflict with what someone else just did. Anything else (forbidden, not found, a fault) is the error page.
func onForm(err error) bool {
	c := errs.CodeOf(err)
	return c == errs.Invalid || c == errs.Conflict
}

// afterForm ends a form's POST: on success to the page it leads to (next), bad input or a conflict back onto
// the form with its messages (again), anything else the error page.
func (s *Server) afterForm(w http.ResponseWriter, r *http.Request, err error, next string, again func(error)) {
	switch {
	case err == nil:
		http.Redirect(w, r, next, http.StatusSeeOther)
	case onForm(err):
		again(err)
	default:
		s.fail(w, r, err)
	}
}

// fieldErrors turns an error into messages for people, in the page's language.
func (s *Server) fieldErrors(lang i18n.Lang, err error) []FieldError {
	var out []FieldError
	for _, e := range errs.All(err) {
		if e.Code == errs.Internal {
			s.log.Error("internal", "err", e)
		}
		args := make([]string, 0, 2*len(e.Args))
		for k, v := range e.Args {
			switch k {
			case "what":
				if !s.cat.Has("what." + v) {
					v = "record" // a kind of record no message names yet: said plainly, never as its key
				}
				v = s.cat.T(lang, "what."+v)
			case "kind":
				v = s.cat.T(lang, k+"."+v)
			case "action":
				v = s.cat.T(lang, "act."+v)
			case "from", "to":
				v = s.cat.T(lang, "status."+v)
			}
			args = append(args, k, v)
		}
		// a field defined by data (an item's form field, a file for a material) carries its own label
		label := e.Args["label_"+string(lang)]
		if label == "" {
			label = e.Args["label_zh"]
		}
		if label != "" {
			args = append(args, "label", label)
		}
		fe := FieldError{Field: e.Field, Message: s.cat.T(lang, e.Key, args...)}
		if e.Field != "" {
			fe.Label = s.fieldLabel(lang, e.Field, e.Args["name"])
		}
		if label != "" {
			fe.Label = label
		}
		out = append(out, fe)
	}
	return out
}

// Element names an item element or a path into one ("materials[2].necessity" → "申请材料 3 材料必要性"),
// for gap lists and version differences.
func (p *Page) Element(path string) string {
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		name, idx, _ := strings.Cut(seg, "[")
		label := name
		if p.cat.Has("field." + name) {
			label = p.T("field." + name)
		}
		parts = append(parts, label)
		if idx != "" {
			if n, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil {
				parts = append(parts, strconv.Itoa(n+1))
			}
		}
	}
	return strings.Join(parts, " ")
}

// fieldLabel names a field; import errors carry a place in the file ("townships[3].code"), which is kept
// beside the name of its last part so that the row can be found.
//
// This is the one place where a field is named for people: a row of a list ("materials[0]") is named by what
// it is (the material's name, when the error carries it), or by its label and number, never by its key.
func (s *Server) fieldLabel(lang i18n.Lang, field, name string) string {
	if base, idx, ok := strings.Cut(field, "["); ok && !strings.Contains(field, ".") {
		label := base
		if s.cat.Has("field." + base) {
			label = s.cat.T(lang, "field."+base)
		}
		if name != "" {
			return s.cat.T(lang, "field.row_named", "label", label, "name", name)
		}
		if n, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil {
			return s.cat.T(lang, "field.row_n", "label", label, "n", strconv.Itoa(n+1))
		}
		return label
	}
	last := field
	if i := strings.LastIndex(field, "."); i >= 0 {
		last = field[i+1:]
	}
	if s.cat.Has("field." + last) {
		label := s.cat.T(lang, "field."+last)
		if last != field {
			return field + " " + label
		}
		return label
	}
	return field
}

// fail renders an error page for errors that are not about a form.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := s.page(r, "title.error")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "error", p)
}

// formValues copies the named fields of a submitted form.
func formValues(r *http.Request, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = r.FormValue(n)
	}
	return m
}

// Field is one labelled input for the "field" template.
type Field struct {
	P                             *Page
	Name, Type, Label, Value, Err string
	Hint, Auto                    string
	Required                      bool
}

// F describes an input: its name, type, label key, whether it is required, and its autocomplete hint.
func (p *Page) F(name, typ, labelKey string, required bool, auto string) Field {
	return Field{P: p, Name: name, Type: typ, Label: p.T(labelKey), Value: p.Form[name], Err: p.Err(name), Required: required, Auto: auto}
}

// Fh describes an optional input with a hint under its label.
func (p *Page) Fh(name, typ, labelKey, hintKey string) Field {
	f := p.F(name, typ, labelKey, false, "off")
	f.Hint = p.T(hintKey)
	return f
}

// OtherName is the name of the other language, written in that language, as language switches should be.
func (p *Page) OtherName() string { return p.cat.T(p.Other(), "lang.self") }

// Describe renders an error as lines of "field: message" in Chinese, for the command line.
func (s *Server) Describe(err error) []string {
	var out []string
	for _, fe := range s.fieldErrors(i18n.Zh, err) {
		if fe.Field != "" {
			out = append(out, fe.Label+": "+fe.Message)
		} else {
			out = append(out, fe.Message)
		}
	}
	return out
}

// Counts renders how many originals and copies a material needs, saying 未注明 for a count its source did
// not state rather than 0.
func (p *Page) Counts(originals, copies int) string {
	if originals != catalog.UnknownCount && copies != catalog.UnknownCount {
		return p.T("guide.originals_copies", "o", strconv.Itoa(originals), "c", strconv.Itoa(copies))
	}
	part := func(n int) string {
		if n == catalog.UnknownCount {
			return p.T("guide.count_unstated")
		}
		return p.T("guide.n_pieces", "n", strconv.Itoa(n))
	}
	return p.T("guide.counts_partial", "o", part(originals), "c", part(copies))
}

// Limit renders a time limit: "25个工作日", "即办".
func (p *Page) Limit(l catalog.Limit) string {
	switch l.Unit {
	case catalog.Instant:
		return p.T("unit.instant")
	case catalog.WorkingDays, catalog.NaturalDays:
		return p.T("unit."+string(l.Unit), "n", strconv.Itoa(l.Value))
	case catalog.StatedDays: // "N天" as a source said it, on a draft awaiting review
		return p.T("unit.days_stated", "n", strconv.Itoa(l.Value))
	}
	return p.T("guide.not_given")
}

// ItemName is an item's name in the page's language.
func (p *Page) ItemName(it catalog.Item) string {
	if mn := p.itemMn(it); p.Lang == i18n.Mn && mn != "" {
		return mn
	}
	return it.NameZh
}

// BiItem renders an item's names together, Mongolian first.
func (p *Page) BiItem(it catalog.Item) template.HTML { return bilingual(p.itemMn(it), it.NameZh) }

// BiItemish renders a pair of names together, Mongolian first.
func (p *Page) BiItemish(mn, zh string) template.HTML { return bilingual(mn, zh) }

// CaseItem is a case's item name in the page's language.
func (p *Page) CaseItem(c cases.Case) string { return c.ItemNameIn(string(p.Lang)) }

// Pick takes from a pair of names (an item's, a township's) the one in the page's language: Chinese when no
// Mongolian is known.
func (p *Page) Pick(zh, mn string) string {
	if p.Lang == i18n.Mn && mn != "" {
		return mn
	}
	return zh
}

// SuspendKind names a kind of suspension (补正, 听证 ...) in the page's language.
func (p *Page) SuspendKind(kind string) string {
	return p.T("suspend_kind." + cases.SuspendKindCode(kind))
}

// Stack renders a pair of texts as the header of a printed document: Mongolian above, Chinese below, both
// across the page (内政办发〔1996〕32号: 横写蒙文在上、汉文在下).
func (p *Page) Stack(mn, zh string) template.HTML {
	var b strings.Builder
	b.WriteString(`<span class="stack">`)
	if mn != "" {
		fmt.Fprintf(&b, `<span class="mn" lang="mn-Mong">%s</span>`, template.HTMLEscapeString(mn))
	}
	fmt.Fprintf(&b, `<span class="zh" lang="zh-Hans">%s</span></span>`, template.HTMLEscapeString(zh))
	return template.HTML(b.String())
}

// StackKey is Stack for a catalog key.
func (p *Page) StackKey(key string) template.HTML {
	m, _ := p.cat.Get(key)
	return p.Stack(m.Mn, m.Zh)
}

// Remedies reports whether a notice of the kind tells of 行政复议 and 行政诉讼.
func (p *Page) Remedies(kind string) bool { return cases.Remedies(kind) }
