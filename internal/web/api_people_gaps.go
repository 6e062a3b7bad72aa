package web

import (
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/i18n"
	"bianmin/internal/roster"
	"bianmin/internal/service"
)

// BackOfficeJSON is how a township staffs its back office: split by item domain (一人负责一块) or not (一人通办).
type BackOfficeJSON struct {
	Township string `json:"township"`
	Split    bool   `json:"split"`
	Version  int    `json:"version"` // 0: never set (一人通办)
}

// BackOfficeIn sets it at the version read.
type BackOfficeIn struct {
	Split   bool `json:"split"`
	Version int  `json:"version"`
}

func (s *Server) peopleGapOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/people/back-office/{township}", "backOfficeSplit", "Whether a township splits its back office by item domain (一人负责一块) or keeps 一人通办", true,
			func(r *http.Request, c *reqCtx, _ empty) (BackOfficeJSON, error) {
				split, v, err := s.svc.BackOfficeSplit(r.Context(), c.me.Actor(), r.PathValue("township"))
				return BackOfficeJSON{Township: r.PathValue("township"), Split: split, Version: v}, err
			}),
		op(s, "PUT", "/api/v1/people/back-office/{township}", "backOfficeSplitSet", "Split a township's back office by item domain, or keep 一人通办 (the township's director): reviewers are then refused cases outside their domains", true,
			func(r *http.Request, c *reqCtx, in BackOfficeIn) (PeopleDone, error) {
				err := s.svc.SetBackOfficeSplit(r.Context(), c.me.Actor(), r.PathValue("township"), in.Version, in.Split)
				return PeopleDone{err == nil}, err
			}),
	}
}

// backOfficeSet is the hub's form: split the township's back office by domain, or keep 一人通办.
func (s *Server) backOfficeSet(w http.ResponseWriter, r *http.Request) {
	err := s.svc.SetBackOfficeSplit(r.Context(), rc(r).me.Actor(), r.PathValue("township"), atoiOr(r.FormValue("version"), 0), r.FormValue("split") == "1")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/people?done=back_office", http.StatusSeeOther)
}

// emptySeatsSheet adds the dashboard's empty windows and seats to its export: a sheet of its own, a line per
// center and station, headers Mongolian first then Chinese, the total last (the banner's line).
func (s *Server) emptySeatsSheet(f *excelize.File, e service.EmptySeats, lang i18n.Lang) {
	sheet := strings.NewReplacer("/", "、", "\\", "、", "?", "", "*", "", "[", "(", "]", ")", ":", "：").Replace(s.cat.T(lang, "people_gaps.sv.title"))
	if _, err := f.NewSheet(sheet); err != nil {
		return
	}
	for row, l := range []i18n.Lang{i18n.Mn, i18n.Zh} {
		for i, k := range []string{"people.center", "people.cover.absent", "people.cover.empty", "sv.total"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, row+1)
			f.SetCellStr(sheet, cell, s.cat.T(l, k))
		}
	}
	write := func(row int, name string, l service.EmptySeatLine) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetCellStr(sheet, cell, name)
		for i, v := range []int{l.Absent, l.Empty, l.Total()} {
			cell, _ := excelize.CoordinatesToCellName(i+2, row)
			f.SetCellInt(sheet, cell, int64(v))
		}
	}
	for i, l := range e.Lines {
		name := l.Place.NameZh
		if lang == i18n.Mn && l.Place.NameMn != "" {
			name = l.Place.NameMn
		}
		write(i+3, name, l)
	}
	write(len(e.Lines)+3, s.cat.T(lang, "sv.total"), e.Total)
}

// FlowStepItem is what the "flowstep_mn" and "flowstep_zh" templates need: the page and one step of a flow.
type FlowStepItem struct {
	P *Page
	S roster.FlowStep
}

// FlowStep prepares a step of the 六有 board's 服务流程 for its templates.
func (p *Page) FlowStep(s roster.FlowStep) FlowStepItem { return FlowStepItem{P: p, S: s} }
