package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// Delegated powers (issue 14; the seed 四.(一), 四.(二)): /delegations (delegate, the hand-over checklist, the
// director's readiness, the hand-over, pause and revoke, pairs), /help (求助响应), the guidance comments on a
// case's page, /inspections (巡回检查 and rectification) and /assessment (with its Excel export).

// guidanceView is the delegation's part of a case's page.
type guidanceView struct {
	Comments   []delegation.CaseComment
	MayComment bool
	MayAsk     bool
}

func (s *Server) guidanceOf(r *http.Request, c cases.Case) (guidanceView, error) {
	actor := rc(r).me.Actor()
	var g guidanceView
	var err error
	if g.Comments, err = s.svc.DB.CaseComments(r.Context(), c.ID); err != nil { // CaseFor checked the reader
		return g, err
	}
	g.MayComment = actor.Role.Has(access.GuidanceComment) && s.svc.GuidanceSight(r.Context(), actor, c) == delegation.Comment
	g.MayAsk = c.Delegation != "" && actor.Role.Has(access.HelpAsk)
	return g, nil
}

// caseComment adds a guidance comment to a case from its page.
func (s *Server) caseComment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := s.svc.CommentCase(r.Context(), rc(r).me.Actor(), id, strings.TrimSpace(r.FormValue("help_body")))
	if err == nil {
		http.Redirect(w, r, "/cases/"+id+"?ok=saved#guidance", http.StatusSeeOther)
		return
	}
	s.caseAgain(w, r, id, err, "help_body")
}

// formAgain renders a page again with a form's errors when they are the form's (bad input, a conflict), the
// error page otherwise.
func (s *Server) formAgain(w http.ResponseWriter, r *http.Request, err error, again func() (*Page, string, error), fields ...string) {
	if !onForm(err) {
		s.fail(w, r, err)
		return
	}
	p, name, perr := again()
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	p.Form = formValues(r, fields...)
	p.Errors = s.fieldErrors(p.Lang, err)
	s.render(w, status(err), name, p)
}

type delegationsData struct {
	List      []delegation.Delegation
	Q         string
	NextURL   string
	FirstURL  string
	Pairs     []delegation.Pair
	Items     []catalog.Item // the department's items it may delegate
	Townships []org.Org
	Handlers  []people.Staff // township handlers, for a pair
	Counter   []people.Staff // the department's staff, for a pair
	Idem      string
	Orgs      map[string]org.Org
}

func (s *Server) delegationsView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	ctx := r.Context()
	q := r.URL.Query()
	d := delegationsData{Idem: ids.Token(16), Orgs: map[string]org.Org{}, Q: q.Get("q")}
	page, err := s.svc.Delegations(ctx, actor, d.Q, q.Get("cursor"))
	if err != nil {
		return nil, "", err
	}
	d.List = page.List
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	if d.Pairs, err = s.svc.Pairs(ctx, actor, true); err != nil {
		return nil, "", err
	}
	for _, x := range d.List {
		for _, t := range x.Townships {
			if o, err := s.svc.DB.Org(ctx, t.OrgID); err == nil {
				d.Orgs[o.ID] = o
			}
		}
	}
	if actor.Role.Has(access.DelegationManage) {
		me, err := s.svc.DB.Org(ctx, actor.OrgID)
		if err != nil {
			return nil, "", err
		}
		if me.Kind == org.Department {
			if d.Items, err = s.svc.DB.PublishedItems(ctx, store.ItemFilter{DepartmentID: me.ID}); err != nil {
				return nil, "", err
			}
		}
		root := me.Path
		if me.ParentID != "" {
			if p, err := s.svc.DB.Org(ctx, me.ParentID); err == nil {
				root = p.Path
			}
		}
		if d.Townships, err = s.svc.DB.Subtree(ctx, root, org.Township); err != nil {
			return nil, "", err
		}
		staff, err := s.svc.DB.StaffIn(ctx, root)
		if err != nil {
			return nil, "", err
		}
		for _, st := range staff {
			switch {
			case org.InSubtree(me.Path, st.OrgPath) && st.Role == access.Department:
				d.Counter = append(d.Counter, st)
			case st.Role == access.Reviewer || st.Role == access.Clerk:
				d.Handlers = append(d.Handlers, st)
			}
		}
	}
	p := s.page(r, "title.deleg")
	p.Data = d
	return p, "delegations", nil
}

func (s *Server) delegations(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.delegationsView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

func (s *Server) delegationCreate(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in := delegation.Input{ItemID: r.FormValue("item_id"), Scope: r.FormValue("deleg_scope"), DocNo: r.FormValue("deleg_doc_no"), DocDate: r.FormValue("deleg_doc_date"),
		Start: r.FormValue("deleg_start"), Townships: r.Form["deleg_townships"]}
	d, err := s.svc.CreateDelegation(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	if err == nil {
		http.Redirect(w, r, "/delegations/"+d.ID+"?ok=created", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.delegationsView(r) }, "item_id", "deleg_scope", "deleg_doc_no", "deleg_doc_date", "deleg_start", "idem")
}

func (s *Server) pairCreate(w http.ResponseWriter, r *http.Request) {
	_, err := s.svc.SetPair(r.Context(), rc(r).me.Actor(), r.FormValue("item_id"), r.FormValue("pair_township_staff"), r.FormValue("pair_dept_staff"))
	if err == nil {
		http.Redirect(w, r, "/delegations?ok=saved#pairs", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.delegationsView(r) })
}

type delegationData struct {
	D           delegation.Delegation
	Orgs        map[string]org.Org
	Dept        org.Org
	MayManage   bool
	ReadyFor    string // the township whose director the viewer is
	Months      int
	Today       string
	InPeriod    map[string]bool
	GuidanceEnd map[string]string
	Guidance    []service.TownGuidance // the guidance periods' figures of its townships handed over
	Docs        []files.File           // the legal document's files
}

func (s *Server) delegationView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	ctx := r.Context()
	d, err := s.svc.Delegation(ctx, actor, r.PathValue("id"))
	if err != nil {
		return nil, "", err
	}
	v := delegationData{D: d, Orgs: map[string]org.Org{}, MayManage: actor.Can(access.DelegationManage, d.DeptPath), Months: s.svc.GuidanceMonths(),
		InPeriod: map[string]bool{}, GuidanceEnd: map[string]string{}}
	if v.Docs, err = s.svc.DelegationDocs(ctx, actor, d.ID); err != nil {
		return nil, "", err
	}
	all, err := s.svc.ItemGuidance(ctx, actor, d.ItemID)
	if err != nil {
		return nil, "", err
	}
	for _, g := range all {
		if g.Delegation.ID == d.ID {
			v.Guidance = append(v.Guidance, g)
		}
	}
	if v.Dept, err = s.svc.DB.Org(ctx, d.DeptID); err != nil {
		return nil, "", err
	}
	clk, err := s.svc.Clock(ctx)
	if err != nil {
		return nil, "", err
	}
	today := clkToday(s, clk)
	v.Today = today.String()
	for _, t := range d.Townships {
		o, err := s.svc.DB.Org(ctx, t.OrgID)
		if err != nil {
			return nil, "", err
		}
		v.Orgs[o.ID] = o
		if actor.Can(access.DelegationReady, o.Path) {
			v.ReadyFor = o.ID
		}
		if t.Handed() {
			_, until := delegation.GuidancePeriod(t.HandedDay, v.Months)
			v.GuidanceEnd[o.ID] = until.AddDays(-1).String()
			v.InPeriod[o.ID] = d.InPeriod(o.ID, today, v.Months)
		}
	}
	p := s.page(r, "title.deleg")
	p.Data = v
	return p, "delegation", nil
}

func (s *Server) delegationShow(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.delegationView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

// delegationAct makes one move on a delegation: the checklist, readiness, the hand-over, pause, revoke,
// resume.
func (s *Server) delegationAct(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	id, town := r.PathValue("id"), r.FormValue("township")
	version, _ := strconv.Atoi(r.FormValue("version"))
	ctx := r.Context()
	var err error
	switch r.FormValue("op") {
	case "checklist":
		_, err = s.svc.SetChecklist(ctx, actor, id, town, version, delegation.Checklist{Materials: r.FormValue("deleg_materials") == "1",
			Templates: r.FormValue("deleg_templates") == "1", SystemAccess: r.FormValue("deleg_access") == "1", TrainedStaff: strings.TrimSpace(r.FormValue("deleg_trained"))})
	case "ready":
		_, err = s.svc.ConfirmReady(ctx, actor, id, town, version)
	case "handover":
		_, err = s.svc.HandOverDelegation(ctx, actor, id, town, version, r.FormValue("deleg_handed_by"), r.FormValue("deleg_received_by"))
	case "paused", "revoked":
		_, err = s.svc.StopDelegation(ctx, actor, id, version, r.FormValue("op"), r.FormValue("deleg_day"), strings.TrimSpace(r.FormValue("reason")))
	case "resume":
		_, err = s.svc.ResumeDelegation(ctx, actor, id, version, r.FormValue("deleg_day"))
	default:
		err = errs.Field("op", "err.find.choice")
	}
	if err == nil {
		http.Redirect(w, r, "/delegations/"+id+"?ok=saved", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.delegationView(r) }, "deleg_trained", "deleg_handed_by", "deleg_received_by", "deleg_day", "reason", "township")
}

type helpData struct {
	List     []service.HelpView
	FAQ      []service.FAQ // the internal FAQ of the case's item, when asking from a case
	Q        string
	Case     *cases.Case
	Items    []catalog.Item
	MayAsk   bool
	Idem     string
	NextURL  string
	FirstURL string
}

func (s *Server) helpView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	ctx := r.Context()
	q := r.URL.Query()
	d := helpData{Q: q.Get("q"), MayAsk: actor.Role.Has(access.HelpAsk), Idem: ids.Token(16)}
	page, err := s.svc.HelpList(ctx, actor, d.Q, q.Get("cursor"))
	if err != nil {
		return nil, "", err
	}
	d.List = page.List
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	if id := q.Get("case"); id != "" && d.MayAsk {
		if w, _, err := s.svc.CaseFor(ctx, actor, id); err == nil {
			d.Case = &w.Case
			if d.FAQ, err = s.svc.ItemFAQ(ctx, actor, w.Case.ItemID); err != nil {
				return nil, "", err
			}
		}
	}
	if d.MayAsk && d.Case == nil {
		if d.Items, err = s.svc.DB.PublishedItems(ctx, store.ItemFilter{}); err != nil {
			return nil, "", err
		}
	}
	p := s.page(r, "title.help")
	p.Data = d
	return p, "help", nil
}

func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.helpView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

func (s *Server) helpAsk(w http.ResponseWriter, r *http.Request) {
	in := service.HelpInput{ItemID: r.FormValue("item_id"), CaseID: r.FormValue("case_id"), Subject: r.FormValue("help_subject"),
		Question: r.FormValue("help_question"), Pool: r.FormValue("pool") == "1"}
	h, err := s.svc.AskHelp(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	if err == nil {
		http.Redirect(w, r, "/help/"+h.ID+"?ok=sent", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.helpView(r) }, "item_id", "help_subject", "help_question", "idem")
}

// helpOneData is a request with the internal FAQ of its item (the answers promoted so far).
type helpOneData struct {
	service.HelpView
	FAQ   []service.FAQ
	Files []files.File // its attachments
}

func (s *Server) helpOneView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	h, err := s.svc.HelpRequest(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return nil, "", err
	}
	d := helpOneData{HelpView: h}
	if d.FAQ, err = s.svc.ItemFAQ(r.Context(), actor, h.ItemID); err != nil {
		return nil, "", err
	}
	if d.Files, err = s.svc.HelpFiles(r.Context(), actor, h.ID); err != nil {
		return nil, "", err
	}
	p := s.page(r, "title.help")
	p.Data = d
	return p, "help_one", nil
}

func (s *Server) helpShow(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.helpOneView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

func (s *Server) helpAct(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.FormValue("version"))
	faq, _ := strconv.Atoi(r.FormValue("faq"))
	_, err := s.svc.MoveHelp(r.Context(), rc(r).me.Actor(), id, service.HelpMove{Version: version, Body: r.FormValue("help_body"), Resolve: r.FormValue("resolve") == "1", FAQ: faq})
	if err == nil {
		http.Redirect(w, r, "/help/"+id+"?ok=saved", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.helpOneView(r) }, "help_body")
}

type inspectionsData struct {
	List      []delegation.Round
	Q         string
	NextURL   string
	FirstURL  string
	Townships []org.Org
	MayPlan   bool
	Idem      string
	Orgs      map[string]org.Org
}

func (s *Server) inspectionsView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	ctx := r.Context()
	q := r.URL.Query()
	d := inspectionsData{Idem: ids.Token(16), Orgs: map[string]org.Org{}, MayPlan: actor.Role.Has(access.InspectionManage), Q: q.Get("q")}
	page, err := s.svc.Rounds(ctx, actor, d.Q, q.Get("cursor"))
	if err != nil {
		return nil, "", err
	}
	d.List = page.List
	d.NextURL, d.FirstURL = pagerURLs(r, page.Next)
	for _, x := range d.List {
		if o, err := s.svc.DB.Org(ctx, x.TownshipID); err == nil {
			d.Orgs[o.ID] = o
		}
	}
	if d.MayPlan {
		banner, err := s.svc.DB.OrgByCode(ctx, "150421")
		root := actor.OrgPath
		if err == nil && org.InSubtree(banner.Path, actor.OrgPath) {
			root = banner.Path
		}
		if d.Townships, err = s.svc.DB.Subtree(ctx, root, org.Township); err != nil {
			return nil, "", err
		}
	}
	p := s.page(r, "title.inspections")
	p.Data = d
	return p, "inspections", nil
}

func (s *Server) inspections(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.inspectionsView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

func (s *Server) roundPlan(w http.ResponseWriter, r *http.Request) {
	in := service.RoundInput{TownshipID: r.FormValue("round_township"), Area: r.FormValue("round_area"), Planned: r.FormValue("round_planned"), Unannounced: r.FormValue("unannounced") == "1"}
	x, err := s.svc.PlanRound(r.Context(), rc(r).me.Actor(), in, r.FormValue("idem"))
	if err == nil {
		http.Redirect(w, r, "/inspections/"+x.ID+"?ok=created", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.inspectionsView(r) }, "round_township", "round_area", "round_planned", "idem")
}

type roundData struct {
	R        delegation.Round
	Township org.Org
	Manage   bool
	Rectify  bool
	Today    clock.Date
}

func (s *Server) roundView(r *http.Request) (*Page, string, error) {
	actor := rc(r).me.Actor()
	x, err := s.svc.Round(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return nil, "", err
	}
	t, err := s.svc.DB.Org(r.Context(), x.TownshipID)
	if err != nil {
		return nil, "", err
	}
	clk, err := s.svc.Clock(r.Context())
	if err != nil {
		return nil, "", err
	}
	p := s.page(r, "title.inspections")
	p.Data = roundData{R: x, Township: t, Manage: actor.Can(access.InspectionManage, x.DeptPath), Rectify: actor.Can(access.InspectionRectify, x.TownshipPath),
		Today: clkToday(s, clk)}
	return p, "inspection", nil
}

func (s *Server) roundShow(w http.ResponseWriter, r *http.Request) {
	p, name, err := s.roundView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, http.StatusOK, name, p)
}

func (s *Server) roundAct(w http.ResponseWriter, r *http.Request) {
	actor := rc(r).me.Actor()
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.FormValue("version"))
	var err error
	switch op := r.FormValue("op"); op {
	case "visit":
		items, e1 := strconv.Atoi(strings.TrimSpace(r.FormValue("round_items")))
		files, e2 := strconv.Atoi(strings.TrimSpace(r.FormValue("round_files")))
		if e1 != nil {
			items = -1
		}
		if e2 != nil {
			files = -1
		}
		_, err = s.svc.RecordVisit(r.Context(), actor, id, version, delegation.Visit{ItemsHandled: items, FilesSampled: files, Notes: r.FormValue("round_notes"),
			Findings: strings.Split(strings.ReplaceAll(r.FormValue("round_findings"), "\r\n", "\n"), "\n"), Due: r.FormValue("round_due")})
	default:
		i, _ := strconv.Atoi(r.FormValue("finding"))
		text := r.FormValue("finding_fix")
		if op != "rectify" {
			text = r.FormValue("finding_note")
		}
		_, err = s.svc.MoveFinding(r.Context(), actor, id, version, i, op, text)
	}
	if err == nil {
		http.Redirect(w, r, "/inspections/"+id+"?ok=saved", http.StatusSeeOther)
		return
	}
	s.formAgain(w, r, err, func() (*Page, string, error) { return s.roundView(r) }, "round_items", "round_files", "round_notes", "round_findings", "round_due", "finding_fix", "finding_note")
}

type assessmentData struct {
	Year int
	Rows []service.AssessmentRow
}

func (s *Server) assessmentRows(r *http.Request) (assessmentData, error) {
	clk, err := s.svc.Clock(r.Context())
	if err != nil {
		return assessmentData{}, err
	}
	year := clkToday(s, clk).Y
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y > 2000 && y < 3000 {
		year = y
	}
	rows, err := s.svc.Assessment(r.Context(), rc(r).me.Actor(), year)
	return assessmentData{Year: year, Rows: rows}, err
}

// assessment is the printable bilingual table of the departments' follow-up (四.(二)).
func (s *Server) assessment(w http.ResponseWriter, r *http.Request) {
	d, err := s.assessmentRows(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.assessment")
	p.Data = d
	s.render(w, http.StatusOK, "assessment", p)
}

// AssessColumns are the assessment's columns, in order, by their label keys.
var AssessColumns = []struct {
	Key string
	Get func(delegation.Figures) int
}{
	{"deleg.col.items", func(f delegation.Figures) int { return f.Items }},
	{"deleg.col.handovers", func(f delegation.Figures) int { return f.Handovers }},
	{"deleg.col.help", func(f delegation.Figures) int { return f.Help }},
	{"deleg.col.help_in_time", func(f delegation.Figures) int { return f.HelpInTime }},
	{"deleg.col.rounds", func(f delegation.Figures) int { return f.Rounds }},
	{"deleg.col.visited", func(f delegation.Figures) int { return f.Visited }},
	{"deleg.col.findings", func(f delegation.Figures) int { return f.Findings }},
	{"deleg.col.rectified", func(f delegation.Figures) int { return f.Rectified }},
	{"deleg.col.cases", func(f delegation.Figures) int { return f.Cases }},
	{"deleg.col.on_time", func(f delegation.Figures) int { return f.CasesOnTime }},
	// 好差评 of the delegated items' cases (internal/rating; an appeal upheld takes a rating out)
	{"deleg2.col.ratings", func(f delegation.Figures) int { return f.Ratings }},
	{"deleg2.col.good_ratings", func(f delegation.Figures) int { return f.GoodRatings }},
	{"deleg2.col.bad_ratings", func(f delegation.Figures) int { return f.BadRatings }},
}

// AssessCells are a row's figures in the columns' order.
func (p *Page) AssessCells(f delegation.Figures) []int {
	out := make([]int, len(AssessColumns))
	for i, c := range AssessColumns {
		out[i] = c.Get(f)
	}
	return out
}

// AssessKeys are the columns' label keys.
func (p *Page) AssessKeys() []string {
	out := make([]string, len(AssessColumns))
	for i, c := range AssessColumns {
		out[i] = c.Key
	}
	return out
}

// assessmentExport writes the table as Excel: two header rows, Mongolian then Chinese (as the supervision
// export), a row per department.
func (s *Server) assessmentExport(w http.ResponseWriter, r *http.Request) {
	d, err := s.assessmentRows(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	for row, l := range []i18n.Lang{i18n.Mn, i18n.Zh} {
		cell, _ := excelize.CoordinatesToCellName(1, row+1)
		f.SetCellStr(sheet, cell, s.cat.T(l, "deleg.col.dept"))
		for i, c := range AssessColumns {
			cell, _ := excelize.CoordinatesToCellName(i+2, row+1)
			f.SetCellStr(sheet, cell, s.cat.T(l, c.Key))
		}
	}
	lang := string(rc(r).lang)
	for i, row := range d.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		f.SetCellStr(sheet, cell, row.Dept.Name(lang))
		for j, c := range AssessColumns {
			cell, _ := excelize.CoordinatesToCellName(j+2, i+3)
			f.SetCellInt(sheet, cell, int64(c.Get(row.Figures)))
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assessment-%d.xlsx"`, d.Year))
	if err := f.Write(w); err != nil {
		s.log.Error("export", "err", err)
	}
}

// Scopes are the delegation scopes a form offers.
func (p *Page) DelegScopes() []delegation.Scope { return delegation.Scopes }

func clkToday(s *Server, clk clock.Clock) clock.Date {
	return clock.DateOf(s.svc.DB.Now().In(clk.Rules.Location))
}
