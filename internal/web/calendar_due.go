package web

import (
	"html/template"
	"net/http"
	"strconv"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/i18n"
)

// Due dates counted over a year whose official holiday schedule is not loaded are estimates on the statutory
// holidays (clock.Statutory): wherever a due date shows, it says so.

// Provisional marks a due date counted on the statutory holidays: "（按法定节假日推算）", with the reason as
// its title; nothing for a final one.
func (p *Page) Provisional(on bool) template.HTML {
	if !on {
		return ""
	}
	return template.HTML(` <small class="provisional" title="` + template.HTMLEscapeString(p.T("calendar.provisional_title")) + `">` +
		template.HTMLEscapeString(p.T("calendar.provisional")) + `</small>`)
}

// CaseLimit is a case's time limit with its approved extension, in the unit the clock counts it in: a
// notice gives it before a provisional date, for the limit is what the law fixes.
func (p *Page) CaseLimit(c cases.Case) string {
	if c.LimitUnit == "instant" {
		return p.T("unit.instant")
	}
	return p.T("unit."+string(c.LimitUnit), "n", strconv.Itoa(c.LimitDays+c.Extension))
}

// BiT renders a key with arguments in both languages together, Mongolian first, as a warning meant for every
// reader is.
func (p *Page) BiT(key string, args ...string) template.HTML {
	return bilingual(p.cat.T(i18n.Mn, key, args...), p.cat.T(i18n.Zh, key, args...))
}

// acceptsCases: the roles that receive and accept cases (the window, the station, the director) are warned
// while next year's official schedule is missing, on the pages they accept cases from.
func acceptsCases(r access.Role) bool {
	return r == access.Clerk || r == access.Agent || r == access.Director
}

// warnCalendar sets the page's warning that next year's official holiday schedule is missing (from 1
// November; see service.MissingNextYear), for the people who accept cases and those who load or watch the
// calendar.
func (s *Server) warnCalendar(r *http.Request, p *Page) error {
	me := rc(r).me
	if me == nil || !(acceptsCases(me.Role) || me.Role == access.Admin || me.Role == access.Supervisor) {
		return nil
	}
	y, err := s.svc.MissingNextYear(r.Context(), s.svc.DB.Now())
	p.MissingYear = y
	return err
}
