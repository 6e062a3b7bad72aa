package service

import (
	"context"
	"slices"
	"strings"

	"bianmin/internal/org"
	"bianmin/internal/roster"
	"bianmin/internal/supervision"
)

// Empty windows and seats in supervision (issue 11 point 6; the seed 三.(一).5 窗口不空岗、后台不空位 and
// 三.(四) 效能监察): the alerts of the period by center and station, beside the case figures of the same
// townships, as the monthly report counts them.

// EmptySeatLine is one center's (or station's) alerts of a period.
type EmptySeatLine struct {
	Place         org.Org
	Absent, Empty int // a rostered person not there without leave; nobody rostered, or the substitute not there
}

// Total is the line's alerts.
func (l EmptySeatLine) Total() int { return l.Absent + l.Empty }

// EmptySeats are a dashboard's empty-seat figures: a line per center of the townships shown (every center,
// and the stations that had an alert), the most alerts first, and the total: the banner's view.
type EmptySeats struct {
	Lines []EmptySeatLine
	Total EmptySeatLine
}

func (s *Service) emptySeatsOf(ctx context.Context, scope []org.Org, shown map[string]bool, p supervision.Period) (EmptySeats, error) {
	var out EmptySeats
	for _, t := range scope {
		if !shown[t.ID] {
			continue
		}
		counts, err := s.DB.AlertStates(ctx, t.Path, p.From, p.To)
		if err != nil {
			return out, err
		}
		places, err := s.hallPlaces(ctx, t.Path)
		if err != nil {
			return out, err
		}
		for _, pl := range places {
			l := EmptySeatLine{Place: pl, Absent: counts[pl.ID+" "+string(roster.Absent)], Empty: counts[pl.ID+" "+string(roster.Empty)]}
			if pl.Kind == org.Center || l.Total() > 0 {
				out.Lines = append(out.Lines, l)
				out.Total.Absent += l.Absent
				out.Total.Empty += l.Empty
			}
		}
	}
	slices.SortStableFunc(out.Lines, func(a, b EmptySeatLine) int {
		if c := b.Total() - a.Total(); c != 0 {
			return c
		}
		return strings.Compare(a.Place.Path, b.Place.Path)
	})
	return out, nil
}
