package web

import (
	"net/http"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// orgRow is an organisation in the tree list, with its depth under the viewer's own organisation.
type orgRow struct {
	org.Org
	Depth int
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.orgs")
	me := rc(r).me
	q := r.URL.Query()
	page, err := s.svc.FindOrgs(r.Context(), me.Actor(), []org.Kind{org.Region, org.City, org.Banner, org.Township, org.Village, org.Department},
		q.Get("q"), q.Get("cursor"), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := depth(me.OrgPath)
	d := orgsData{Q: q.Get("q"), Rows: make([]orgRow, len(page.List))}
	for i, o := range page.List {
		d.Rows[i] = orgRow{o, depth(o.Path) - base}
	}
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	p.Data = d
	s.render(w, http.StatusOK, "orgs", p)
}

// orgsData is a page of the organisation tree, with its search box and pages.
type orgsData struct {
	Rows              []orgRow
	Q                 string
	NextURL, FirstURL string
}

func depth(path string) int {
	n := 0
	for i := 0; i < len(path); i++ {
		if path[i] == '/' {
			n++
		}
	}
	return n
}

type orgView struct {
	Org      org.Org
	Children []org.Org
	CanEdit  bool
	Kinds    []org.Kind // kinds that may be added under it
}

func (s *Server) orgView(r *http.Request, id string) (orgView, error) {
	actor := rc(r).me.Actor()
	o, err := s.svc.Org(r.Context(), actor, id)
	if err != nil {
		return orgView{}, err
	}
	kids, err := s.svc.Children(r.Context(), actor, id)
	if err != nil {
		return orgView{}, err
	}
	v := orgView{Org: o, Children: kids, CanEdit: actor.Can(access.OrgEdit, o.Path)}
	for _, k := range []org.Kind{org.Center, org.Station, org.Window} {
		if org.CanHang(k, o.Kind) {
			v.Kinds = append(v.Kinds, k)
		}
	}
	return v, nil
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request) {
	v, err := s.orgView(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.org")
	p.Data = v
	p.Form = map[string]string{"name_zh": v.Org.NameZh, "name_mn": v.Org.NameMn, "abbr": v.Org.Abbr, "version": strconv.Itoa(v.Org.Version)}
	if v.Org.MnReview {
		p.Form["mn_review"] = "1"
	}
	s.render(w, http.StatusOK, "org", p)
}

func (s *Server) orgRename(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.FormValue("version"))
	in := service.RenameInput{Version: version, NameZh: r.FormValue("name_zh"), NameMn: r.FormValue("name_mn"), Abbr: r.FormValue("abbr"), MnReview: r.FormValue("mn_review") == "1"}
	_, err := s.svc.RenameOrg(r.Context(), rc(r).me.Actor(), id, in)
	if err == nil {
		http.Redirect(w, r, "/orgs/"+id+"?ok=saved", http.StatusSeeOther)
		return
	}
	v, verr := s.orgView(r, id)
	if verr != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.org")
	p.Data = v
	// What was typed comes back; on a conflict the version moves on so that a second save applies it.
	p.Form = formValues(r, "name_zh", "name_mn", "abbr", "mn_review", "version")
	if errs.CodeOf(err) == errs.Conflict {
		p.Form["version"] = strconv.Itoa(v.Org.Version)
	}
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "org", p)
}

func (s *Server) orgAddChild(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in := service.OrgInput{ParentID: id, Kind: r.FormValue("kind"), NameZh: r.FormValue("child_name_zh"), NameMn: r.FormValue("child_name_mn"),
		Desk: r.FormValue("desk"), General: r.FormValue("general") == "1"}
	_, err := s.svc.CreateOrg(r.Context(), rc(r).me.Actor(), in)
	if err == nil {
		http.Redirect(w, r, "/orgs/"+id+"?ok=created", http.StatusSeeOther)
		return
	}
	v, verr := s.orgView(r, id)
	if verr != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.org")
	p.Data = v
	p.Form = map[string]string{"name_zh": v.Org.NameZh, "name_mn": v.Org.NameMn, "abbr": v.Org.Abbr, "version": strconv.Itoa(v.Org.Version),
		"child_kind": in.Kind, "child_name_zh": in.NameZh, "child_name_mn": in.NameMn, "child_desk": in.Desk}
	for _, e := range s.fieldErrors(p.Lang, err) {
		if e.Field != "" {
			e.Field = "child_" + e.Field
		}
		p.Errors = append(p.Errors, e)
	}
	s.render(w, status(err), "org", p)
}

type orgItemsData struct {
	Org     org.Org
	Items   []service.LocalItem
	CanEdit bool
}

func (s *Server) orgItemsData(r *http.Request) (orgItemsData, error) {
	actor := rc(r).me.Actor()
	o, err := s.svc.Org(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return orgItemsData{}, err
	}
	items, err := s.svc.ImplementationsAt(r.Context(), actor, o.ID)
	return orgItemsData{Org: o, Items: items, CanEdit: actor.Can(access.OrgEdit, o.Path)}, err
}

// orgItems lists what a township implements, with its local window, place, hours and phones.
func (s *Server) orgItems(w http.ResponseWriter, r *http.Request) {
	d, err := s.orgItemsData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.org_items")
	p.Data = d
	s.render(w, http.StatusOK, "org_items", p)
}

func (s *Server) orgItemSave(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	im := store.Implementation{ItemID: r.FormValue("item"), OrgID: id, Window: strings.TrimSpace(r.FormValue("window")),
		Place: strings.TrimSpace(r.FormValue("place")), Hours: strings.TrimSpace(r.FormValue("hours")),
		ConsultPhone: strings.TrimSpace(r.FormValue("consult_phone")), ComplaintPhone: strings.TrimSpace(r.FormValue("complaint_phone"))}
	err := s.svc.SetImplementation(r.Context(), rc(r).me.Actor(), im)
	if err == nil {
		http.Redirect(w, r, "/orgs/"+id+"/items?ok=saved#i-"+im.ItemID, http.StatusSeeOther)
		return
	}
	d, derr := s.orgItemsData(r)
	if derr != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.org_items")
	p.Data = d
	p.Form = formValues(r, "item", "window", "place", "hours", "consult_phone", "complaint_phone")
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), "org_items", p)
}
