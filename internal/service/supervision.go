package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/complaint"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
)

// today is the hall's date now.
func (s *Service) today(clk clock.Clock) clock.Date {
	return clock.DateOf(s.DB.Now().In(clk.Rules.Location))
}

// SweepResult is what a sweep did, and how long its parts took.
type SweepResult struct {
	store.SweepResult
	Restood int        // cases whose standing was computed afresh (suspended, never computed, or after a calendar change)
	Joint   JointCards // hand-overs' and complaints' cards turned (jointcards.go)
	// Restand: computing those in Go; Cards: turning the running cases' cards in the database; Snapshot:
	// counting what stands open for the dashboard
	Restand, Cards, Snapshot time.Duration
}

// Sweep turns the cards that time has turned since the last move: running cases by date in the database,
// suspended ones (whose due day moves while they stand) one by one. all recomputes every open case, as the
// first sweep after a calendar change does.
func (s *Service) Sweep(ctx context.Context, all bool) (SweepResult, error) {
	clk, err := s.Clock(ctx)
	if err != nil {
		return SweepResult{}, err
	}
	today := s.today(clk)
	var r SweepResult
	t := time.Now()
	if all || s.recompute.Swap(false) {
		if err := s.DB.ResetStanding(ctx); err != nil {
			return r, err
		}
	}
	// Restand first: a case computed before this migration has no dates for the sweep to compare.
	if r.Restood, err = s.restand(ctx, clk, today); err != nil {
		return r, err
	}
	r.Restand, t = time.Since(t), time.Now()
	if r.SweepResult, err = s.DB.SweepRunning(ctx, today); err != nil {
		return r, err
	}
	if r.Joint, err = s.SweepJointCards(ctx); err != nil {
		return r, err
	}
	r.Cards, t = time.Since(t), time.Now()
	if err := s.pushSweptCards(ctx); err != nil { // e-supervision records upward (upstream.go)
		return r, err
	}
	err = s.DB.SnapshotNow(ctx, today)
	r.Snapshot = time.Since(t)
	return r, err
}

// restand computes in Go the standing of the cases the date comparison cannot turn, a thousand at a time.
func (s *Service) restand(ctx context.Context, clk clock.Clock, today clock.Date) (int, error) {
	now, n := s.DB.Now(), 0
	for {
		list, err := s.DB.CasesToRestand(ctx, today.Int(), 1000)
		if err != nil || len(list) == 0 {
			return n, err
		}
		place := false
		for i := range list {
			c := &list[i]
			if c.ReceivingTownship == "" || c.Department == "" {
				place = true // stored before the supervision columns: place it too (as far as it can be)
				s.placeCase(ctx, c)
			}
			c.Standing = c.StandingOn(clk, now)
		}
		if err := s.DB.SetStanding(ctx, list, today, place); err != nil {
			return n, err
		}
		n += len(list)
	}
}

// placeCase fills in what a case stored before the supervision columns lacks: its receiving township and
// the item's department. (Who received it is not known for those.) What cannot be found stays empty: one
// case must not stop the sweep of all the others.
func (s *Service) placeCase(ctx context.Context, c *cases.Case) {
	if c.ReceivingTownship == "" {
		if recv, err := s.DB.Org(ctx, c.Receiving); err == nil {
			if t, err := s.township(ctx, recv); err == nil {
				c.ReceivingTownship = t.ID
			}
		}
	}
	if c.Department == "" {
		if d, ok := s.itemDept.Load(c.ItemID); ok {
			c.Department = d.(string)
		} else if row, err := s.DB.Item(ctx, c.ItemID); err == nil {
			c.Department = row.DepartmentID
			s.itemDept.Store(c.ItemID, row.DepartmentID)
		}
	}
}

// Rollup tallies days into the daily figures, replacing what they held, in one transaction.
func (s *Service) Rollup(ctx context.Context, days ...clock.Date) error {
	var rows []supervision.Row
	ints := make([]int, len(days))
	for i, d := range days {
		facts, err := s.DB.FactsOn(ctx, d)
		if err != nil {
			return err
		}
		ints[i] = d.Int()
		rows = append(rows, supervision.Tally(d.Int(), facts)...)
	}
	return s.DB.ReplaceStatDays(ctx, ints, rows)
}

// RunSupervision is the background job: at start, the standing of cases never computed and the roll-up of
// any day not rolled up; then every interval the sweep, the roll-up of yesterday and today, and last
// month's reports once the month is over.
func (s *Service) RunSupervision(ctx context.Context, every time.Duration, logger *slog.Logger) {
	log := quietOnStop{ctx, logger} // a job cut short by shutting down is no error
	tick := func() {
		start, failed := time.Now(), false
		defer func() { s.sweeps.observe(time.Since(start), failed) }()
		defer s.jobRan(ctx, "supervision", log)
		if r, err := s.Sweep(ctx, false); err != nil {
			failed = true
			if ctx.Err() != nil {
				return // shutting down
			}
			log.Error("sweep", "err", err)
		} else if r.Red+r.Yellow+r.StepRed+r.StepYellow+r.Restood+r.Joint.Handovers+r.Joint.Complaints > 0 {
			log.Info("sweep", "red", r.Red, "yellow", r.Yellow, "step_red", r.StepRed, "step_yellow", r.StepYellow, "restood", r.Restood,
				"handover_cards", r.Joint.Handovers, "complaint_cards", r.Joint.Complaints)
		}
		if n, err := s.SweepMissedAppointments(ctx); err != nil && ctx.Err() == nil {
			log.Error("appointment no-shows", "err", err)
		} else if n > 0 {
			log.Info("appointment no-shows", "recorded", n)
		}
		if _, err := s.AlertOrders(ctx); err != nil && ctx.Err() == nil { // 督办 cards told to staff (people.go)
			log.Error("order alerts", "err", err)
		}
		if err := s.SweepCoverage(ctx); err != nil && ctx.Err() == nil { // empty seats during opening hours (people.go)
			log.Error("coverage alerts", "err", err)
		}
		clk, err := s.Clock(ctx)
		if err != nil {
			log.Error("supervision clock", "err", err)
			return
		}
		today := s.today(clk)
		// from the last day rolled up (days missed while Bianmin was stopped too), and always yesterday
		from := today.AddDays(-1)
		if last, err := s.DB.LastRolledDay(ctx); err == nil && last > 0 && clock.DateFromInt(last).Before(from) {
			from = clock.DateFromInt(last)
		}
		var days []clock.Date
		for d := from; !d.After(today); d = d.AddDays(1) {
			days = append(days, d)
		}
		if err := s.Rollup(ctx, days...); err != nil {
			log.Error("roll-up", "err", err)
			return
		}
		last := supervision.MonthOf(today).Prev()
		if err := s.MakeMissingReports(ctx, last); err != nil {
			log.Error("monthly reports", "err", err)
		}
	}
	// The first start after an upgrade, or after a bulk load: roll up every day once.
	if last, err := s.DB.LastRollup(ctx); err == nil && last.IsZero() {
		if _, err := s.Sweep(ctx, false); err != nil {
			log.Error("sweep", "err", err)
		}
		if err := s.RollupAll(ctx, nil); err != nil {
			log.Error("roll-up", "err", err)
		}
	}
	tick()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tick()
		}
	}
}

// RollupAll rolls up every day from the first case received to today (after a bulk load, or the first
// start after an upgrade).
func (s *Service) RollupAll(ctx context.Context, progress func(done, total int)) error {
	clk, err := s.Clock(ctx)
	if err != nil {
		return err
	}
	first, err := s.DB.FirstReceivedOn(ctx)
	if err != nil || first == 0 {
		return err
	}
	today := s.today(clk)
	from := clock.DateFromInt(first)
	total := today.Sub(from) + 1
	var chunk []clock.Date
	for i, d := 0, from; !d.After(today); i, d = i+1, d.AddDays(1) {
		chunk = append(chunk, d)
		if len(chunk) == 31 || !d.Before(today) {
			if err := s.Rollup(ctx, chunk...); err != nil {
				return err
			}
			chunk = chunk[:0]
			if progress != nil {
				progress(i+1, total)
			}
		}
	}
	return nil
}

// superviseScope is the townships whose figures the actor may read: those in their subtree.
func (s *Service) superviseScope(ctx context.Context, actor access.Actor) ([]org.Org, error) {
	if !actor.System && !actor.Role.Has(access.SupervisionRead) {
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.SupervisionRead))
	}
	root := actor.OrgPath // a system actor (the report job) may be given a banner's path; without one it sees all
	ts, err := s.DB.Subtree(ctx, root, org.Township)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.SupervisionRead))
	}
	return ts, nil
}

// Dashboard is the supervision figures of a period by one dimension, with what stands open now.
type Dashboard struct {
	Dim      supervision.Dim
	Period   supervision.Period
	Lines    []supervision.Line
	Total    supervision.Line
	Labels   map[string]Label // value -> name in both languages
	AsOf     time.Time        // when the figures of the period's days were last rolled up
	Township string           // when the dashboard is narrowed to one township ("" for the whole scope)
	// Assistance is the 帮办 figures of the townships shown (assist.go)
	Assistance supervision.Assistance
	Ratings    RatingBoard // 好差评 of the same period, townships and dimension (rating_figures.go)
	// EmptySeats are the windows and seats found empty during opening hours in the period, by center and
	// station of the townships shown (people_supervision.go)
	EmptySeats EmptySeats
}

// Label is a name in both languages.
type Label struct{ Zh, Mn string }

// DashboardQuery asks for a dashboard.
type DashboardQuery struct {
	Dim      supervision.Dim
	Period   supervision.Period
	Township string // narrow to one township of the scope
}

// Dashboard adds up the daily figures of the period for the townships in the actor's scope.
func (s *Service) Dashboard(ctx context.Context, actor access.Actor, q DashboardQuery) (Dashboard, error) {
	scope, err := s.superviseScope(ctx, actor)
	if err != nil {
		return Dashboard{}, err
	}
	in := map[string]bool{}
	for _, t := range scope {
		if q.Township == "" || q.Township == t.ID {
			in[t.ID] = true
		}
	}
	if len(in) == 0 {
		return Dashboard{}, errs.Field("township", "err.forbidden").With("action", string(access.SupervisionRead))
	}
	rows, err := s.DB.StatTotals(ctx, q.Dim, q.Period.From, q.Period.To)
	if err != nil {
		return Dashboard{}, err
	}
	now, err := s.DB.OpenNow(ctx, q.Dim)
	if err != nil {
		return Dashboard{}, err
	}
	byValue := map[string]*supervision.Line{}
	line := func(v string) *supervision.Line {
		l := byValue[v]
		if l == nil {
			l = &supervision.Line{Value: v}
			byValue[v] = l
		}
		return l
	}
	for _, r := range rows {
		if in[r.Township] {
			line(r.Value).Counts.Add(r.Counts)
		}
	}
	for k, n := range now {
		if in[k[0]] {
			line(k[1]).Now.Add(n)
		}
	}
	d := Dashboard{Dim: q.Dim, Period: q.Period, Township: q.Township}
	if d.Ratings, err = s.ratingBoard(ctx, q.Dim, q.Period, in); err != nil {
		return d, err
	}
	for v := range d.Ratings.ByValue {
		line(v) // a window or person rated for enquiries only still has its line
	}
	for _, l := range byValue {
		d.Lines = append(d.Lines, *l)
	}
	d.Total = supervision.Sum(d.Lines)
	if d.Labels, err = s.labels(ctx, q.Dim, d.Lines); err != nil {
		return d, err
	}
	slices.SortFunc(d.Lines, func(a, b supervision.Line) int {
		if c := b.Received - a.Received; c != 0 {
			return c
		}
		return strings.Compare(d.Labels[a.Value].Zh, d.Labels[b.Value].Zh)
	})
	if d.Assistance, err = s.assistanceOf(ctx, scope, in, q.Period); err != nil {
		return d, err
	}
	d.Assistance.Received = d.Total.Received
	if d.EmptySeats, err = s.emptySeatsOf(ctx, scope, in, q.Period); err != nil {
		return d, err
	}
	d.AsOf, err = s.DB.LastRollup(ctx)
	return d, err
}

// labels names the values of a dimension.
func (s *Service) labels(ctx context.Context, dim supervision.Dim, lines []supervision.Line) (map[string]Label, error) {
	out := map[string]Label{}
	switch dim {
	case supervision.Item:
		items, err := s.DB.AllItems(ctx)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out[it.ID] = Label{it.NameZh, it.NameMn}
		}
	case supervision.Person:
		for _, l := range lines {
			if st, err := s.DB.Staff(ctx, l.Value); err == nil {
				out[l.Value] = Label{st.Name, st.Name}
			}
		}
	case supervision.Channel:
		for _, l := range lines {
			out[l.Value] = Label{s.Catalog.T(i18n.Zh, "case.channel."+l.Value), s.Catalog.T(i18n.Mn, "case.channel."+l.Value)}
		}
	default:
		for _, l := range lines {
			if o, err := s.DB.Org(ctx, l.Value); err == nil {
				out[l.Value] = Label{o.NameZh, o.NameMn}
			}
		}
	}
	return out, nil
}

// DrillQuery asks for the cases behind a figure.
type DrillQuery struct {
	Dim      supervision.Dim
	Value    string
	What     string // received, completed, late, overdue, yellow, suspended, late_intake, late_issue, intake_overdue, issue_overdue
	Period   supervision.Period
	Township string
}

// DrillWhats are the figures one can drill into.
var DrillWhats = []string{"received", "completed", "late", "overdue", "yellow", "suspended", "late_intake", "late_issue", "intake_overdue", "issue_overdue"}

// Drill lists the cases behind a dashboard figure (at most 500), within the actor's scope.
func (s *Service) Drill(ctx context.Context, actor access.Actor, q DrillQuery) ([]Work, error) {
	scope, err := s.superviseScope(ctx, actor)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(DrillWhats, q.What) {
		return nil, errs.Field("what", "err.supervision.what")
	}
	var ts []string
	for _, t := range scope {
		if q.Township == "" || q.Township == t.ID {
			ts = append(ts, t.ID)
		}
	}
	list, err := s.DB.DrillCases(ctx, store.Drill{Dim: q.Dim, Townships: ts, Value: q.Value, What: q.What, From: q.Period.From, To: q.Period.To, Limit: 500})
	if err != nil {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today(clk)
	out := make([]Work, len(list))
	for i, c := range list {
		out[i] = s.standingWork(ctx, c, clk, today)
	}
	return out, nil
}

// Report is a monthly public report (通报): the figures of a banner's townships, or of one township's items,
// for a month, fixed when made.
type Report struct {
	Period  string             `json:"period"` // 2026-10
	OrgID   string             `json:"org_id"`
	OrgName Label              `json:"org_name"`
	Dim     supervision.Dim    `json:"dim"` // township for a banner, item for a township
	Lines   []supervision.Line `json:"lines"`
	Labels  map[string]Label   `json:"labels"`
	Total   supervision.Line   `json:"total"`
	// Ratings are the month's 好差评 figures by the report's lines and by channel: counts and rectification
	// results, never raters (国办发〔2019〕51号: 评价结果及整改情况向社会公开).
	Ratings  RatingBoard `json:"ratings"`
	Rank     int         `json:"rank,omitempty"`      // a township's place among the banner's by on-time rate
	Of       int         `json:"of,omitempty"`        // how many townships
	BannerID string      `json:"banner_id,omitempty"` // a township's banner report
	MadeAt   time.Time   `json:"made_at"`
	// Delegated is the month's line on delegated items (issue 14; the seed 四.(二) 定期通报): cases received
	// under a delegation, decided, on time, returns; help requests asked of the departments and answered in
	// time. Absent from reports made before it was counted.
	Delegated *delegation.PeriodFigures `json:"delegated,omitempty"`
	// Complaints are the month's complaints received in the report's subtree: answered, late, the average
	// working days to answer and the complainants' verdicts on the answers (GB/T 39046-2020 6.7; counts only,
	// never a complainant). EmptySeats counts the alerts of a window or back-office seat found empty during
	// opening hours (the seed 三.(一).5). Both absent from reports made before they were counted.
	Complaints *complaint.Figures `json:"complaints,omitempty"`
	EmptySeats *int               `json:"empty_seats,omitempty"`
}

// peopleLines are a report's lines on complaints and empty seats for the subtree of an organisation.
func (s *Service) peopleLines(ctx context.Context, o org.Org, p supervision.Period, r *Report) error {
	sys := access.System
	sys.OrgPath = o.Path
	f, err := s.ComplaintFigures(ctx, sys, p.From.Int(), p.To.Int())
	if err != nil {
		return err
	}
	alerts, err := s.DB.AlertCounts(ctx, o.Path, p.From, p.To)
	if err != nil {
		return err
	}
	n := 0
	for _, c := range alerts {
		n += c
	}
	r.Complaints, r.EmptySeats = &f, &n
	return nil
}

// MakeMissingReports makes the month's reports of every banner and its townships not made yet.
func (s *Service) MakeMissingReports(ctx context.Context, m supervision.Month) error {
	return s.makeReports(ctx, m, false)
}

// RemakeReports makes the month's reports again, replacing them (after a bulk load of past cases).
func (s *Service) RemakeReports(ctx context.Context, m supervision.Month) error {
	return s.makeReports(ctx, m, true)
}

func (s *Service) makeReports(ctx context.Context, m supervision.Month, again bool) error {
	banners, err := s.DB.Subtree(ctx, "", org.Banner)
	if err != nil {
		return err
	}
	for _, b := range banners {
		if _, err := s.DB.ReportOf(ctx, m.String(), b.ID); err == nil && !again {
			continue
		}
		if err := s.MakeReports(ctx, b, m); err != nil {
			return err
		}
	}
	return nil
}

// MakeReports makes a banner's report for a month and one for each of its townships.
func (s *Service) MakeReports(ctx context.Context, banner org.Org, m supervision.Month) error {
	sys := access.System
	sys.OrgPath = banner.Path
	p := m.Period()
	d, err := s.Dashboard(ctx, sys, DashboardQuery{Dim: supervision.Township, Period: p})
	if err != nil {
		return err
	}
	// ranks by on-time rate, then by volume
	ranked := slices.Clone(d.Lines)
	slices.SortStableFunc(ranked, func(a, b supervision.Line) int {
		if x, y := a.OnTimeRate(), b.OnTimeRate(); x != y {
			if x > y {
				return -1
			}
			return 1
		}
		return b.Completed - a.Completed
	})
	now := s.DB.Now()
	delegated, err := s.delegatedMonth(ctx, banner, p)
	if err != nil {
		return err
	}
	br := Report{Period: m.String(), OrgID: banner.ID, OrgName: Label{banner.NameZh, banner.NameMn}, Dim: supervision.Township,
		Lines: ranked, Labels: d.Labels, Total: d.Total, Ratings: d.Ratings, MadeAt: now, Delegated: delegated.line("")}
	if err := s.peopleLines(ctx, banner, p, &br); err != nil {
		return err
	}
	if err := s.saveReport(ctx, br); err != nil {
		return err
	}
	for i, l := range ranked {
		t, err := s.DB.Org(ctx, l.Value)
		if err != nil {
			return err
		}
		td, err := s.Dashboard(ctx, sys, DashboardQuery{Dim: supervision.Item, Period: p, Township: t.ID})
		if err != nil {
			return err
		}
		tr := Report{Period: m.String(), OrgID: t.ID, OrgName: Label{t.NameZh, t.NameMn}, Dim: supervision.Item,
			Lines: td.Lines, Labels: td.Labels, Total: td.Total, Ratings: td.Ratings, Rank: i + 1, Of: len(ranked), BannerID: banner.ID, MadeAt: now,
			Delegated: delegated.line(t.ID)}
		if err := s.peopleLines(ctx, t, p, &tr); err != nil {
			return err
		}
		if err := s.saveReport(ctx, tr); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) saveReport(ctx context.Context, r Report) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.DB.SaveReport(ctx, store.Report{Period: r.Period, OrgID: r.OrgID, Doc: string(doc)})
}

// PublicReport reads a published report; reports are public (seed 四.(二): 定期通报).
func (s *Service) PublicReport(ctx context.Context, period, orgID string) (Report, error) {
	row, err := s.DB.ReportOf(ctx, period, orgID)
	if err != nil {
		return Report{}, err
	}
	var r Report
	if err := json.Unmarshal([]byte(row.Doc), &r); err != nil {
		return r, fmt.Errorf("report %s/%s: %w", period, orgID, err)
	}
	return r, nil
}

// PublicReports lists the periods of an organisation's published reports, newest first.
func (s *Service) PublicReports(ctx context.Context, orgID string) ([]string, error) {
	rows, err := s.DB.Reports(ctx, orgID)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Period
	}
	return out, err
}

// SupervisedTownships lists the townships whose figures the actor may read.
func (s *Service) SupervisedTownships(ctx context.Context, actor access.Actor) ([]org.Org, error) {
	return s.superviseScope(ctx, actor)
}

// quietOnStop logs errors unless the context has ended: a background job cut short by shutting down has
// nothing to report.
type quietOnStop struct {
	ctx context.Context
	log *slog.Logger
}

func (q quietOnStop) Error(msg string, args ...any) {
	if q.ctx.Err() == nil {
		q.log.Error(msg, args...)
	}
}

func (q quietOnStop) Info(msg string, args ...any) { q.log.Info(msg, args...) }
