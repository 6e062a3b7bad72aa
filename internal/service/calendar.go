package service

import (
	"context"
	"io"
	"slices"
	"time"

	"bianmin/internal/access"
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

// Calendar is the working-day calendar: shipped years and the ones administrators loaded.
func (s *Service) Calendar(ctx context.Context) (*clock.Calendar, error) {
	if c := s.calendar.Load(); c != nil && time.Since(c.at) < calendarTTL {
		return c.cal, nil
	}
	years, err := s.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	ys := make([]clock.Year, len(years))
	for i, y := range years {
		ys[i] = y.Year
	}
	cal := clock.NewCalendar(ys...)
	s.calendar.Store(&cachedCalendar{cal: cal, at: time.Now()})
	return cal, nil
}

// LoadCalendarYear reads a year's schedule (the JSON of internal/clock/calendars) and stores it. The calendar
// is the same for the whole platform, so only administrators load it.
func (s *Service) LoadCalendarYear(ctx context.Context, actor access.Actor, r io.Reader) (clock.Year, error) {
	if !actor.System && actor.Role != access.Admin {
		return clock.Year{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "calendar.edit")
	}
	y, err := clock.ReadYear(r)
	if err != nil {
		return y, err
	}
	defer s.calendar.Store(nil)
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveCalendarYear(actor, y) }); err != nil {
		return y, err
	}
	s.recompute.Store(true) // due days may have moved: the next sweep computes every open case again
	return y, nil
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
