package service

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/store"
)

// CalendarYear is a year of the working-day calendar and where it comes from.
type CalendarYear struct {
	clock.Year
	Loaded bool // loaded by an administrator, not shipped
}

// CalendarYears lists the shipped and loaded years; a loaded year replaces the shipped one.
func (s *Service) CalendarYears(ctx context.Context) ([]CalendarYear, error) {
	stored, err := s.DB.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	byYear := map[int]CalendarYear{}
	for _, y := range clock.Shipped() {
		byYear[y.Year] = CalendarYear{Year: y}
	}
	for _, y := range stored {
		byYear[y.Year] = CalendarYear{Year: y, Loaded: true}
	}
	out := make([]CalendarYear, 0, len(byYear))
	for _, y := range byYear {
		out = append(out, y)
	}
	slices.SortFunc(out, func(a, b CalendarYear) int { return a.Year.Year - b.Year.Year })
	return out, nil
}

// calendarTTL is how long an instance keeps its calendar before reading the loaded years again (another
// instance may have loaded a year; this one's own loads take effect at once).
const calendarTTL = time.Minute

type cachedCalendar struct {
	cal *clock.Calendar
	at  time.Time
}

// loadedYears are the schedules the database holds.
func (s *Service) loadedYears(ctx context.Context) ([]clock.Year, error) {
	years, err := s.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	ys := make([]clock.Year, len(years))
	for i, y := range years {
		ys[i] = y.Year
	}
	return ys, nil
}

// Calendar is the working-day calendar: shipped years and the ones administrators loaded.
func (s *Service) Calendar(ctx context.Context) (*clock.Calendar, error) {
	if c := s.calendar.Load(); c != nil && time.Since(c.at) < calendarTTL {
		return c.cal, nil
	}
	ys, err := s.loadedYears(ctx)
	if err != nil {
		return nil, err
	}
	cal := clock.NewCalendar(ys...)
	s.calendar.Store(&cachedCalendar{cal: cal, at: time.Now()})
	return cal, nil
}

// LoadCalendarYear reads a year's schedule (the JSON of internal/clock/calendars) and stores it. The calendar
// is the same for the whole platform, so only administrators load it.
func (s *Service) LoadCalendarYear(ctx context.Context, actor access.Actor, r io.Reader) (clock.Year, error) {
	l, err := s.LoadCalendar(ctx, actor, r)
	return l.Year, err
}

// CalendarLoad is a year's schedule loaded, and the open cases whose due day it moved.
type CalendarLoad struct {
	Year  clock.Year
	Moved []DueMove
}

// DueMove is an open case whose due day a loaded schedule moved.
type DueMove struct {
	Case     cases.Case
	From, To clock.Date
	Told     bool // a message to the applicant was queued (not when the applicant gave no phone)
}

// LoadCalendar stores a year's schedule, and in the same transaction queues a message to the applicant of
// every open case whose due day it moves (a provisional day counted on the statutory holidays becomes final,
// or a corrected schedule is loaded again). The next sweep stores every open case's new standing.
func (s *Service) LoadCalendar(ctx context.Context, actor access.Actor, r io.Reader) (CalendarLoad, error) {
	if !actor.System && actor.Role != access.Admin {
		return CalendarLoad{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "calendar.edit")
	}
	y, err := clock.ReadYear(r)
	l := CalendarLoad{Year: y}
	if err != nil {
		return l, err
	}
	others, err := s.loadedYears(ctx)
	if err != nil {
		return l, err
	}
	if err := clock.CheckAgainst(y, others); err != nil {
		return l, err
	}
	if l.Moved, err = s.dueMoves(ctx, y); err != nil {
		return l, err
	}
	defer s.calendar.Store(nil)
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		others, err := tx.CalendarYearsToSave()
		if err != nil {
			return err
		}
		if err := clock.CheckAgainst(y, others); err != nil {
			return err // another year was saved since the check above
		}
		if err := tx.SaveCalendarYear(actor, y); err != nil {
			return err
		}
		for i := range l.Moved {
			if l.Moved[i].Told, err = s.tellDueMoved(ctx, tx, l.Moved[i], y.Year); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return l, err
	}
	s.recompute.Store(true) // due days may have moved: the next sweep computes every open case again
	return l, nil
}

// dueMoves compares, for the open cases the year can reach (due on or after its first day), the due day on
// the calendar as it is and on the calendar with the year loaded.
func (s *Service) dueMoves(ctx context.Context, y clock.Year) ([]DueMove, error) {
	before, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	years, err := s.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	ys := []clock.Year{y}
	for _, cy := range years {
		if cy.Year.Year != y.Year {
			ys = append(ys, cy.Year)
		}
	}
	after := clock.New(clock.NewCalendar(ys...), before.Rules)
	today := clock.DateOf(s.DB.Now().In(before.Rules.Location))
	var out []DueMove
	for last := ""; ; {
		list, err := s.DB.OpenCasesDueFrom(ctx, clock.Date{Y: y.Year, M: time.January, D: 1}.Int(), last, dueMovesBatch)
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			from, ok := c.Due(before, today)
			to, _ := c.Due(after, today)
			if ok && from != to {
				out = append(out, DueMove{Case: c, From: from, To: to})
			}
		}
		if len(list) < dueMovesBatch {
			break
		}
		last = list[len(list)-1].ID
	}
	slices.SortFunc(out, func(a, b DueMove) int { return strings.Compare(a.Case.No, b.Case.No) })
	return out, nil
}

// dueMovesBatch is how many open cases a calendar's preview reads at a time.
const dueMovesBatch = 1000

// tellDueMoved queues the message that a case's due day moved, as every message to an applicant is queued
// (Mongolian first, then Chinese, signed with the handling township's name).
func (s *Service) tellDueMoved(ctx context.Context, tx *store.Tx, m DueMove, year int) (bool, error) {
	c := s.withItemMn(ctx, m.Case)
	a, err := s.DB.Applicant(ctx, c.ApplicantID)
	if err != nil || a.Phone == "" {
		return false, nil // nobody to tell: the case page and tracking show the new day
	}
	from, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return false, err
	}
	x := ofCase("msg.due_moved", "year", strconv.Itoa(year), "from", m.From.String(), "to", m.To.String())
	return true, tx.Enqueue(x.signed(from).message(c.ID, a.Phone, bilingual, "due_moved"))
}

// MissingNextYear reports the year whose official schedule is missing when it matters: the next year, from
// 1 November on in the hall's time (the State Council publishes it in November or December, and due days
// start to reach into it), or the current one. Due days counted in it are provisional (clock.Statutory).
func (s *Service) MissingNextYear(ctx context.Context, now time.Time) (int, error) {
	clk, err := s.Clock(ctx)
	if err != nil {
		return 0, err
	}
	cal := clk.Cal
	now = now.In(clk.Rules.Location)
	if y := now.Year(); !cal.Covers(y) {
		return y, nil
	}
	if now.Month() >= time.November && !cal.Covers(now.Year()+1) {
		return now.Year() + 1, nil
	}
	return 0, nil
}
