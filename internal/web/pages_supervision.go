package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/supervision"
)

// The supervision pages: the dashboard with its drill-down and Excel export (staff), and the monthly public
// reports (portal).

// dashboardQuery reads the dashboard's question from the URL: dim, month (2026-10) or from and until, township.
func (s *Server) dashboardQuery(r *http.Request) (service.DashboardQuery, error) {
	q := r.URL.Query()
	out := service.DashboardQuery{Dim: supervision.ParseDim(q.Get("dim")), Township: q.Get("township")}
	var l errs.List
	if q.Get("from") != "" || q.Get("until") != "" {
		from, err1 := clock.ParseDate(q.Get("from"))
		to, err2 := clock.ParseDate(q.Get("until"))
		if err1 != nil {
			l.Add(errs.Field("from", "err.supervision.date"))
		}
		if err2 != nil {
			l.Add(errs.Field("until", "err.supervision.date"))
		}
		if err1 == nil && err2 == nil && to.Before(from) {
			l.Add(errs.Field("until", "err.supervision.order"))
		}
		out.Period = supervision.Period{From: from, To: to}
	} else {
		m := supervision.MonthOf(clock.DateOf(s.svc.DB.Now().In(clock.DefaultRules().Location)))
		if v := q.Get("month"); v != "" {
			var err error
			if m, err = supervision.ParseMonth(v); err != nil {
				l.Add(errs.Field("month", "err.supervision.month"))
			}
		}
		out.Period = m.Period()
	}
	return out, l.Err()
}

type dashboardData struct {
	service.Dashboard
	Query     string // the query string, for links that keep the question
	Townships []org.Org
	Month     string
	Chart     template.HTML
	// Complaints are the period's complaint figures (投诉: received, answered, late, average working days)
	Complaints *complaint.Figures
	// JointCards are the cards standing now on hand-overs and complaints ("handover.red" ...: jointcards.go)
	JointCards map[string]int
}

func (s *Server) supervisionPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "title.supervision")
	q, err := s.dashboardQuery(r)
	if err == nil {
		var d service.Dashboard
		d, err = s.svc.Dashboard(r.Context(), rc(r).me.Actor(), q)
		if err == nil {
			data := dashboardData{Dashboard: d, Query: r.URL.RawQuery, Month: r.URL.Query().Get("month")}
			if data.Month == "" && r.URL.Query().Get("from") == "" {
				data.Month = supervision.MonthOf(q.Period.From).String()
			}
			data.Townships, _ = s.svc.SupervisedTownships(r.Context(), rc(r).me.Actor())
			data.Chart = onTimeChart(p, d.Lines, d.Labels)
			if f, err := s.svc.ComplaintFigures(r.Context(), rc(r).me.Actor(), q.Period.From.Int(), q.Period.To.Int()); err == nil {
				data.Complaints = &f // the complaint register's figures of the period (service/complaints.go)
			}
			if data.JointCards, err = s.svc.JointCardsNow(r.Context(), rc(r).me.Actor()); err != nil {
				s.fail(w, r, err)
				return
			}
			p.Data = data
			p.Form = map[string]string{"dim": string(q.Dim), "month": data.Month, "from": r.URL.Query().Get("from"), "until": r.URL.Query().Get("until"), "township": q.Township}
			s.render(w, http.StatusOK, "supervision", p)
			return
		}
	}
	if errs.CodeOf(err) == errs.Invalid {
		p.Errors = s.fieldErrors(p.Lang, err)
		p.Form = formValues(r, "dim", "month", "from", "until", "township")
		p.Data = dashboardData{}
		s.render(w, http.StatusBadRequest, "supervision", p)
		return
	}
	s.fail(w, r, err)
}

func (s *Server) supervisionCases(w http.ResponseWriter, r *http.Request) {
	q, err := s.dashboardQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dq := service.DrillQuery{Dim: q.Dim, Value: r.URL.Query().Get("value"), What: r.URL.Query().Get("what"), Period: q.Period, Township: q.Township}
	list, err := s.svc.Drill(r.Context(), rc(r).me.Actor(), dq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.supervision_cases")
	p.Data = struct {
		Query service.DrillQuery
		Cases []service.Work
		Back  string // the dashboard's question
	}{dq, list, stripParams(r.URL.RawQuery, "what", "value")}
	s.render(w, http.StatusOK, "supervision_cases", p)
}

// dashboardColumns are the figures of a line, in the order of the page and of the export.
var dashboardColumns = []struct {
	Key  string
	Rate bool
	Get  func(l supervision.Line) float64
}{
	{"sv.received", false, func(l supervision.Line) float64 { return float64(l.Received) }},
	{"sv.accepted", false, func(l supervision.Line) float64 { return float64(l.Accepted) }},
	{"sv.completed", false, func(l supervision.Line) float64 { return float64(l.Completed) }},
	{"sv.on_time_rate", true, supervision.Line.OnTimeRate},
	{"sv.avg_days", false, func(l supervision.Line) float64 { return math.Round(l.AvgDays()*10) / 10 }},
	{"sv.p90_days", false, func(l supervision.Line) float64 { return float64(l.P90Days()) }},
	{"sv.overdue", false, func(l supervision.Line) float64 { return float64(l.Overdue) }},
	{"sv.yellow", false, func(l supervision.Line) float64 { return float64(l.Yellow) }},
	{"sv.suspended", false, func(l supervision.Line) float64 { return float64(l.Suspended) }},
	{"sv.online_rate", true, supervision.Line.OnlineRate},
	{"sv.instant_rate", true, supervision.Line.InstantRate},
	{"sv.first_time_rate", true, supervision.Line.FirstTimeRate},
	{"sv.proxy_share", true, supervision.Line.ProxyShare},
	// the clocks before acceptance and after the decision (行政许可法 第32条, 第44条)
	{"sv.late_intake", false, func(l supervision.Line) float64 { return float64(l.LateIntake) }},
	{"sv.intake_overdue", false, func(l supervision.Line) float64 { return float64(l.IntakeOverdue) }},
	{"sv.late_issue", false, func(l supervision.Line) float64 { return float64(l.LateIssue) }},
	{"sv.issue_overdue", false, func(l supervision.Line) float64 { return float64(l.IssueOverdue) }},
	{"sv.recorrected", false, func(l supervision.Line) float64 { return float64(l.Recorrected) }}, // 二次补正 (第32条)
}

// Figure renders a figure as the page shows it: rates as percentages with one decimal.
func Figure(v float64, rate bool) string {
	if rate {
		return strconv.FormatFloat(rounded(v)*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// rounded is a rate to a tenth of a percent, the same on the page and in the export.
func rounded(rate float64) float64 { return math.Round(rate*1000) / 1000 }

func (s *Server) supervisionExport(w http.ResponseWriter, r *http.Request) {
	q, err := s.dashboardQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.svc.Dashboard(r.Context(), rc(r).me.Actor(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := rc(r).lang
	f := excelize.NewFile()
	defer f.Close()
	// the sheet is named in the reader's language, as the page is
	sheet := strings.NewReplacer("/", "、", "\\", "、", "?", "", "*", "", "[", "(", "]", ")", ":", "：").Replace(s.cat.T(lang, "sv.dim."+string(d.Dim)))
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		sheet = "Sheet1"
	}
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	// two header rows, Mongolian first, then Chinese
	for row, l := range []i18n.Lang{i18n.Mn, i18n.Zh} {
		cell, _ := excelize.CoordinatesToCellName(1, row+1)
		f.SetCellStr(sheet, cell, s.cat.T(l, "sv.dim."+string(d.Dim)))
		for i, c := range dashboardColumns {
			cell, _ := excelize.CoordinatesToCellName(i+2, row+1)
			f.SetCellStr(sheet, cell, s.cat.T(l, c.Key))
		}
		for i, c := range ratingColumns { // 好差评 beside the case figures (pages_rating.go)
			cell, _ := excelize.CoordinatesToCellName(len(dashboardColumns)+i+2, row+1)
			f.SetCellStr(sheet, cell, s.cat.T(l, c.Key))
		}
	}
	write := func(row int, name string, line supervision.Line, rf rating.Figures) {
		for i, c := range ratingColumns {
			cell, _ := excelize.CoordinatesToCellName(len(dashboardColumns)+i+2, row)
			v := c.Get(rf)
			if c.Rate {
				f.SetCellFloat(sheet, cell, rounded(v), 3, 64)
				f.SetCellStyle(sheet, cell, cell, pct)
			} else {
				f.SetCellFloat(sheet, cell, v, -1, 64)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetCellStr(sheet, cell, name)
		for i, c := range dashboardColumns {
			cell, _ := excelize.CoordinatesToCellName(i+2, row)
			v := c.Get(line)
			if c.Rate {
				v = rounded(v)
				f.SetCellFloat(sheet, cell, v, 3, 64)
				f.SetCellStyle(sheet, cell, cell, pct)
			} else {
				f.SetCellFloat(sheet, cell, v, -1, 64)
			}
		}
	}
	for i, l := range d.Lines {
		lb := d.Labels[l.Value]
		name := lb.Zh
		if lang == i18n.Mn && lb.Mn != "" {
			name = lb.Mn
		}
		if name == "" {
			name = l.Value
		}
		write(i+3, name, l, d.Ratings.ByValue[l.Value])
	}
	write(len(d.Lines)+3, s.cat.T(lang, "sv.total"), d.Total, d.Ratings.Total)
	s.emptySeatsSheet(f, d.EmptySeats, lang)
	if err := s.complaintSheet(r, f, q.Period); err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("supervision-%s-%s-%s.xlsx", d.Dim, d.Period.From, d.Period.To)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := f.Write(w); err != nil {
		s.log.Error("export", "err", err)
	}
}

// complaintColumns are a complaint line's figures, in the order of the export's complaint sheet (the page's
// figures, service.ComplaintLines).
var complaintColumns = []struct {
	Key string
	Get func(complaint.Figures) float64
}{
	{"joint.fig.received", func(f complaint.Figures) float64 { return float64(f.Received) }},
	{"joint.fig.answered", func(f complaint.Figures) float64 { return float64(f.Answered) }},
	{"joint.fig.late", func(f complaint.Figures) float64 { return float64(f.Late) }},
	{"joint.fig.open_overdue", func(f complaint.Figures) float64 { return float64(f.OpenOverdue) }},
	{"joint.fig.avg_days", func(f complaint.Figures) float64 { return math.Round(f.AvgDays*10) / 10 }},
	{"joint.gaps.fig.satisfied", func(f complaint.Figures) float64 { return float64(f.Satisfied) }},
	{"joint.gaps.fig.rated", func(f complaint.Figures) float64 { return float64(f.Rated) }},
}

// complaintSheet adds the period's complaints (投诉, GB/T 39046-2020 6.7) to the export: a line per responsible
// body and the total, under the same two header rows as the figures' sheet. A reader without the register's
// permission gets the figures without it.
func (s *Server) complaintSheet(r *http.Request, f *excelize.File, p supervision.Period) error {
	actor := rc(r).me.Actor()
	if !actor.Can(access.ComplaintRead, actor.OrgPath) {
		return nil
	}
	lines, total, err := s.svc.ComplaintLines(r.Context(), actor, p.From.Int(), p.To.Int())
	if err != nil {
		return err
	}
	lang := rc(r).lang
	sheet := s.cat.T(lang, "joint.title.complaint")
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	for row, l := range []i18n.Lang{i18n.Mn, i18n.Zh} {
		cell, _ := excelize.CoordinatesToCellName(1, row+1)
		f.SetCellStr(sheet, cell, s.cat.T(l, "joint.complaint.responsible"))
		for i, c := range complaintColumns {
			cell, _ := excelize.CoordinatesToCellName(i+2, row+1)
			f.SetCellStr(sheet, cell, s.cat.T(l, c.Key))
		}
	}
	write := func(row int, name string, fig complaint.Figures) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetCellStr(sheet, cell, name)
		for i, c := range complaintColumns {
			cell, _ := excelize.CoordinatesToCellName(i+2, row)
			f.SetCellFloat(sheet, cell, c.Get(fig), -1, 64)
		}
	}
	for i, l := range lines {
		name := l.Name.Zh
		if lang == i18n.Mn && l.Name.Mn != "" {
			name = l.Name.Mn
		}
		write(i+3, name, l.Figures)
	}
	write(len(lines)+3, s.cat.T(lang, "sv.total"), total)
	return nil
}

// reportsPage lists the published monthly reports of every banner.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	banners, err := s.svc.DB.Subtree(r.Context(), "", org.Banner)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type entry struct {
		Banner  org.Org
		Periods []string
	}
	var list []entry
	for _, b := range banners {
		ps, err := s.svc.PublicReports(r.Context(), b.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		list = append(list, entry{b, ps})
	}
	p := s.page(r, "title.reports")
	p.Data = list
	s.render(w, http.StatusOK, "reports", p)
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	rep, err := s.svc.PublicReport(r.Context(), r.PathValue("period"), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "title.report")
	p.Data = struct {
		service.Report
		OnTime, Volume template.HTML
	}{rep, onTimeChart(p, rep.Lines, rep.Labels), volumeChart(p, rep.Lines, rep.Labels)}
	s.render(w, http.StatusOK, "report", p)
}

// LineLabel names a line's value in the page's language.
func (p *Page) LineLabel(labels map[string]service.Label, value string) string {
	if value == "" {
		return p.T("sv.value_none") // online cases have no window person
	}
	l := labels[value]
	if p.Lang == i18n.Mn && l.Mn != "" {
		return l.Mn
	}
	if l.Zh != "" {
		return l.Zh
	}
	return value
}

// BiLabel renders a line's value in both languages, Mongolian first.
func (p *Page) BiLabel(labels map[string]service.Label, value string) template.HTML {
	if value == "" {
		return p.Bi("sv.value_none")
	}
	l := labels[value]
	if l.Zh == "" {
		return bilingual("", value)
	}
	return bilingual(l.Mn, l.Zh)
}

// Dims are the dimensions the dashboard offers.
func (p *Page) Dims() []supervision.Dim { return supervision.Dims }

// Columns are the dashboard's figures for templates.
func (p *Page) Columns() []string {
	out := make([]string, len(dashboardColumns))
	for i, c := range dashboardColumns {
		out[i] = c.Key
	}
	return out
}

// Figures renders a line's figures in column order.
func (p *Page) Figures(l supervision.Line) []string {
	out := make([]string, len(dashboardColumns))
	for i, c := range dashboardColumns {
		out[i] = Figure(c.Get(l), c.Rate)
	}
	return out
}

// drillable maps a column to the drill-down of its cases.
var drillable = map[string]string{"sv.received": "received", "sv.completed": "completed", "sv.overdue": "overdue", "sv.yellow": "yellow", "sv.suspended": "suspended",
	"sv.late_intake": "late_intake", "sv.intake_overdue": "intake_overdue", "sv.late_issue": "late_issue", "sv.issue_overdue": "issue_overdue"}

// Drill is the drill-down link of a column for a value ("" when the column has none).
func (p *Page) Drill(col, query, value string) string {
	what := drillable[col]
	if what == "" {
		return ""
	}
	q := stripParams(query, "what", "value")
	return "/supervision/cases?" + q + "&what=" + what + "&value=" + value
}

func stripParams(query string, names ...string) string {
	var keep []string
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		drop := kv == ""
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			keep = append(keep, kv)
		}
	}
	return strings.Join(keep, "&")
}

// DashboardJSON is the dashboard as the API gives it: each line with its name, counts, rates and what stands
// open now.
type DashboardJSON struct {
	Dim   string     `json:"dim"`
	From  string     `json:"from"`
	Until string     `json:"until"`
	AsOf  time.Time  `json:"as_of"`
	Lines []LineJSON `json:"lines"`
	Total LineJSON   `json:"total"`
}

// LineJSON is one line of the dashboard.
type LineJSON struct {
	Value         string  `json:"value"`
	NameZh        string  `json:"name_zh,omitempty"`
	NameMn        string  `json:"name_mn,omitempty"`
	Received      int     `json:"received"`
	Accepted      int     `json:"accepted"`
	Completed     int     `json:"completed"`
	OnTime        int     `json:"on_time"`
	OnTimeRate    float64 `json:"on_time_rate"`
	AvgDays       float64 `json:"avg_days"`
	P90Days       int     `json:"p90_days"`
	Open          int     `json:"open"`
	Overdue       int     `json:"overdue"`
	Yellow        int     `json:"yellow"`
	Suspended     int     `json:"suspended"`
	OnlineRate    float64 `json:"online_rate"`
	InstantRate   float64 `json:"instant_rate"`
	FirstTimeRate float64 `json:"first_time_rate"`
	ProxyShare    float64 `json:"proxy_share"`
	Recorrected   int     `json:"recorrected"` // correction notices after the first (二次补正)
	// The clocks before acceptance (行政许可法 第32条: five working days) and after the decision (第44条: ten
	// working days): answered or issued late in the period, and standing past them now.
	LateIntake    int `json:"late_intake"`
	IntakeOverdue int `json:"intake_overdue"`
	LateIssue     int `json:"late_issue"`
	IssueOverdue  int `json:"issue_overdue"`
}

func lineJSON(l supervision.Line, lb service.Label) LineJSON {
	return LineJSON{Value: l.Value, NameZh: lb.Zh, NameMn: lb.Mn, Received: l.Received, Accepted: l.Accepted, Completed: l.Completed,
		OnTime: l.OnTime, OnTimeRate: rounded(l.OnTimeRate()), AvgDays: math.Round(l.AvgDays()*10) / 10, P90Days: l.P90Days(),
		Open: l.Open, Overdue: l.Overdue, Yellow: l.Yellow, Suspended: l.Suspended, OnlineRate: rounded(l.OnlineRate()),
		InstantRate: rounded(l.InstantRate()), FirstTimeRate: rounded(l.FirstTimeRate()), ProxyShare: rounded(l.ProxyShare()),
		Recorrected: l.Recorrected, LateIntake: l.LateIntake, IntakeOverdue: l.IntakeOverdue, LateIssue: l.LateIssue, IssueOverdue: l.IssueOverdue}
}

func dashboardJSON(d service.Dashboard) DashboardJSON {
	out := DashboardJSON{Dim: string(d.Dim), From: d.Period.From.String(), Until: d.Period.To.String(), AsOf: d.AsOf,
		Lines: make([]LineJSON, len(d.Lines)), Total: lineJSON(d.Total, service.Label{})}
	for i, l := range d.Lines {
		out.Lines[i] = lineJSON(l, d.Labels[l.Value])
	}
	return out
}
