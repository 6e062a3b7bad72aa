package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// The portal is public: residents read the catalog and the guides without signing in. Villages are columns
// of their township's page (seed 三.(五)), not sites of their own.

type portalData struct {
	Townships   []org.Org
	Departments []org.Org
	Topics      []string
	Bundles     []catalog.Bundle
}

func (s *Server) portal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	townships, err := s.svc.DB.Subtree(ctx, "/", org.Township)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	depts, err := s.svc.DB.Subtree(ctx, "/", org.Department)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	topics, err := s.svc.DB.Topics(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bundles, err := s.svc.DB.Bundles(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org.SortByCode(townships)
	d := portalData{Townships: townships, Bundles: bundles}
	withItems, err := s.svc.DB.DepartmentsWithItems(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, dp := range depts {
		if withItems[dp.ID] {
			d.Departments = append(d.Departments, dp)
		}
	}
	for t := range topics {
		d.Topics = append(d.Topics, t)
	}
	slices.Sort(d.Topics)
	p := s.page(r, "title.portal")
	p.Data = d
	s.render(w, http.StatusOK, "portal", p)
}

type itemList struct {
	Heading string // already in the page's language
	// HeadingHTML, when set, is the heading with names marked by language (a name without Mongolian is
	// marked as Chinese: Page.OrgName, Page.C).
	HeadingHTML template.HTML
	Items       []catalog.Item
	Query       string
	Township    *org.Org
	Villages    []org.Org
	Village     *org.Org
	At          string // organisation id the guides are read at
	// Station is the village's station as a column of its township's page (issue 13, item 8)
	Station *stationColumn
	// Center and Hours: the township's service center and its hours of the coming week (pages_hall.go)
	Center *org.Org
	Hours  []service.HoursDay
}

func (s *Server) portalSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	p := s.page(r, "title.search")
	p.Form["q"] = q
	res, err := s.svc.Search(r.Context(), q, 30)
	if err != nil {
		p.Errors = s.fieldErrors(p.Lang, err)
	}
	d := itemList{Query: q}
	for _, x := range res {
		d.Items = append(d.Items, x.Card.Item())
	}
	if q != "" {
		d.Heading = p.T("search.results", "q", q, "n", strconv.Itoa(len(d.Items)))
	}
	p.Data = d
	s.render(w, status(err), "portal_list", p)
}

func (s *Server) portalTownship(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := s.svc.DB.Org(ctx, r.PathValue("id"))
	if err != nil || t.Kind != org.Township {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "org"))
		return
	}
	villages, err := s.svc.DB.Subtree(ctx, t.Path, org.Village)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.township")
	p.TitleText = p.Name(t)
	d := itemList{Township: &t, Villages: villages, At: t.ID, Heading: p.Name(t), HeadingHTML: p.OrgName(t)}
	if c, ok, err := s.svc.CenterOf(ctx, t); err == nil && ok {
		d.Center = &c
		if d.Hours, _, err = s.svc.HoursAhead(ctx, c.ID, 7); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	ims, err := s.svc.DB.ImplementationsAt(ctx, t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]string, 0, len(ims))
	for _, im := range ims {
		ids = append(ids, im.ItemID)
	}
	f := store.ItemFilter{IDs: ids}
	if vid := r.URL.Query().Get("village"); vid != "" {
		for i := range villages {
			if villages[i].ID == vid {
				d.Village = &villages[i]
			}
		}
		if d.Village == nil {
			s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "org"))
			return
		}
		f.Village = true
		d.Heading = p.T("portal.village_items", "village", p.Name(*d.Village))
		d.HeadingHTML = template.HTML(strings.Replace(template.HTMLEscapeString(p.T("portal.village_items", "village", "\x00")), "\x00", string(p.OrgName(*d.Village)), 1))
	}
	if d.Items, err = s.svc.DB.PublishedItems(ctx, f); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Village != nil {
		if d.Station, err = s.stationColumn(r, *d.Village, d.Items); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Data = d
	s.render(w, http.StatusOK, "portal_list", p)
}

func (s *Server) portalTopic(w http.ResponseWriter, r *http.Request) {
	topic := r.PathValue("topic")
	items, err := s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{Topic: topic})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.topic")
	p.TitleText = topic
	p.Data = itemList{Heading: topic, HeadingHTML: p.C(topic), Items: items}
	s.render(w, http.StatusOK, "portal_list", p)
}

func (s *Server) portalDepartment(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.DB.Org(r.Context(), r.PathValue("id"))
	if err != nil || d.Kind != org.Department {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "org"))
		return
	}
	items, err := s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{DepartmentID: d.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.department")
	p.TitleText = p.Name(d)
	p.Data = itemList{Heading: p.Name(d), HeadingHTML: p.OrgName(d), Items: items}
	s.render(w, http.StatusOK, "portal_list", p)
}

type guideData struct {
	service.Guide
	QR   string
	Gaps []string
	// Online says whether residents may apply for the item from this page; Idem keys the application form.
	Online bool
	Idem   string
	// Page: the item is applied for on its application page (a form to fill, files to hand in).
	Page bool
}

// guideItem reads the public version asked for (?v=), else the published one.
func (s *Server) guideItem(r *http.Request) (catalog.Item, error) {
	v, _ := strconv.Atoi(r.URL.Query().Get("v"))
	return s.svc.PublicItem(r.Context(), r.PathValue("id"), v)
}

func (s *Server) guide(w http.ResponseWriter, r *http.Request) {
	it, err := s.guideItem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	g, err := s.svc.GuideAt(r.Context(), it, r.URL.Query().Get("at"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.guide")
	p.TitleText = p.ItemName(it)
	// only the current published version is applied for, not an earlier one read with ?v=
	current := r.URL.Query().Get("v") == ""
	p.Data = guideData{Guide: g, QR: r.URL.Path + "/qr.png", Gaps: catalog.Gaps(it), Online: current && service.OnlineApplicable(it), Idem: ids.Token(16),
		Page: applyNeedsPage(it)}
	s.render(w, http.StatusOK, "guide", p)
}

// absolute is the public address of a path as a phone opens it from a printed QR code: the configured public
// address (-public-url), never the request's Host header, which the client chooses.
func (s *Server) absolute(path string) string {
	if s.PublicURL == "" { // a Server not started by app (Listen sets the default)
		return "http://localhost" + path
	}
	return strings.TrimSuffix(s.PublicURL, "/") + path
}

func (s *Server) guideQR(w http.ResponseWriter, r *http.Request) {
	it, err := s.guideItem(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	png, err := qrcode.Encode(s.absolute("/portal/guide/"+url.PathEscape(it.ID)), qrcode.Medium, 256)
	if err != nil {
		http.Error(w, "qr", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(png)
}

type historyData struct {
	Item     catalog.Item
	Versions []versionDiff
}

type versionDiff struct {
	Item    catalog.Item
	Changes []catalog.Change
}

func (s *Server) guideHistory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	versions, err := s.svc.DB.ItemVersions(r.Context(), id)
	if err != nil || len(versions) == 0 {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "item"))
		return
	}
	var d historyData
	for i, v := range versions {
		if !v.Status.Public() {
			continue
		}
		d.Item = v
		vd := versionDiff{Item: v}
		if i > 0 {
			vd.Changes = catalog.Diff(versions[i-1], v)
		}
		d.Versions = append([]versionDiff{vd}, d.Versions...)
	}
	if len(d.Versions) == 0 {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "item"))
		return
	}
	p := s.page(r, "title.history")
	p.Data = d
	s.render(w, http.StatusOK, "guide_history", p)
}

type bundleData struct {
	Bundle    catalog.Bundle
	Items     []catalog.Item
	Materials []catalog.MergedMaterial
}

func (s *Server) bundle(w http.ResponseWriter, r *http.Request) {
	bundles, err := s.svc.DB.Bundles(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(bundles, func(b catalog.Bundle) bool { return b.ID == r.PathValue("id") })
	if i < 0 {
		s.fail(w, r, errs.New(errs.NotFound, "err.not_found").With("what", "item"))
		return
	}
	items, err := s.svc.DB.PublishedItems(r.Context(), store.ItemFilter{IDs: bundles[i].ItemIDs})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.bundle")
	p.TitleText = p.Pick(bundles[i].NameZh, bundles[i].NameMn)
	p.Data = bundleData{Bundle: bundles[i], Items: items, Materials: catalog.MergeMaterials(items)}
	s.render(w, http.StatusOK, "bundle", p)
}
