package service

import (
	"context"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/stations"
	"bianmin/internal/store"
)

// The way between a station and its township (issue 13, item 6; stations/handover.go): the papers a station
// took in go up on a list the station marks sent and the township's front desk marks received; results
// issued via the station (cases.ViaStation) come back on a list the township marks sent and the station
// received; the agent hands each over and records who signed for it, which delivers the case. Like the 通办
// lists (transfers.go): audited, one transaction, once.

// StationBoard is a station's or a township's page of lists.
type StationBoard struct {
	Org       org.Org // the station (village) or the township
	AtStation bool
	// a station: its originals waiting to go up; a township: the results waiting to go back, by station
	Pending []StationGroup
	Lists   []store.StationList // the latest lists either way
}

// StationGroup is what waits to travel to one place.
type StationGroup struct {
	To    org.Org
	Cases []store.StationListCase
}

// stationListDesk finds where the actor works the lists: a village's agent at its station, a township's
// clerk or director at its front desk.
func (s *Service) stationListDesk(ctx context.Context, actor access.Actor) (org.Org, bool, error) {
	forbidden := errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.StationLists))
	if actor.System || !actor.Role.Has(access.StationLists) {
		return org.Org{}, false, forbidden
	}
	if actor.Role == access.Agent {
		st, err := s.stationOf(ctx, actor, access.StationLists)
		return st, true, err
	}
	home, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return org.Org{}, false, err
	}
	t, err := s.township(ctx, home)
	if err != nil || !frontDesk(actor, t) {
		return org.Org{}, false, forbidden
	}
	return t, false, nil
}

// listedAtStation turns cases into list rows: a station's papers are the item's materials, a result is the
// decision's paper; names masked, as the list travels.
func (s *Service) listedAtStation(ctx context.Context, kind stations.ListKind, list []cases.Case) []store.StationListCase {
	var out []store.StationListCase
	for _, c := range list {
		if kind == stations.Originals && c.StationHandles { // concluded at the station: its papers stay there
			continue
		}
		if kind == stations.Results && (c.Delivery == nil || c.Delivery.Method != cases.ViaStation) {
			continue
		}
		c = s.withItemMn(ctx, c)
		row := store.StationListCase{CaseID: c.ID, No: c.No, ItemName: c.ItemName, ItemNameMn: c.ItemNameMn}
		if a, err := s.DB.Applicant(ctx, c.ApplicantID); err == nil {
			row.Applicant = a.Masked().Name
		}
		if kind == stations.Originals {
			if it, err := s.DB.ItemVersion(ctx, c.ItemID, c.ItemVersion); err == nil {
				for _, m := range it.Materials {
					row.Papers = append(row.Papers, m.Name)
				}
			}
		} else if c.Decision != nil {
			row.Papers = []string{map[bool]string{true: "准予决定书", false: "不予决定书"}[c.Decision.Grant]}
		}
		out = append(out, row)
	}
	return out
}

// StationLists is the actor's page: a station's originals waiting to go up, or a township's results waiting
// to go back to each of its stations; and the latest lists.
func (s *Service) StationLists(ctx context.Context, actor access.Actor) (StationBoard, error) {
	o, atStation, err := s.stationListDesk(ctx, actor)
	if err != nil {
		return StationBoard{}, err
	}
	b := StationBoard{Org: o, AtStation: atStation}
	if atStation {
		pending, err := s.DB.PendingStation(ctx, stations.Originals, o.ID)
		if err != nil {
			return b, err
		}
		if rows := s.listedAtStation(ctx, stations.Originals, pending); len(rows) > 0 {
			t, err := s.township(ctx, o)
			if err != nil {
				return b, err
			}
			b.Pending = []StationGroup{{To: t, Cases: rows}}
		}
	} else {
		pending, err := s.DB.PendingStation(ctx, stations.Results, o.ID)
		if err != nil {
			return b, err
		}
		byStation := map[string][]cases.Case{}
		var order []string
		for _, c := range pending {
			if _, ok := byStation[c.Receiving]; !ok {
				order = append(order, c.Receiving)
			}
			byStation[c.Receiving] = append(byStation[c.Receiving], c)
		}
		for _, id := range order {
			rows := s.listedAtStation(ctx, stations.Results, byStation[id])
			if len(rows) == 0 {
				continue
			}
			st, err := s.DB.Org(ctx, id)
			if err != nil {
				return b, err
			}
			b.Pending = append(b.Pending, StationGroup{To: st, Cases: rows})
		}
	}
	b.Lists, err = s.DB.StationLists(ctx, !atStation, o.ID, 30)
	return b, err
}

// SendStationList puts what waits on one list and marks it sent now: a station's originals to its township,
// or a township's results to one station (to). key makes it idempotent; with nothing to send it is refused.
func (s *Service) SendStationList(ctx context.Context, actor access.Actor, to, key string) (store.StationList, error) {
	o, atStation, err := s.stationListDesk(ctx, actor)
	if err != nil {
		return store.StationList{}, err
	}
	l := store.StationList{Kind: stations.Originals, Station: o.ID}
	var t org.Org
	if atStation {
		if t, err = s.township(ctx, o); err != nil {
			return l, err
		}
		l.Township = t.ID
	} else {
		st, err := s.DB.Org(ctx, to)
		if err != nil || st.Kind != org.Village || !org.InSubtree(o.Path, st.Path) {
			return l, errs.Field("to", "err.not_found").With("what", "org")
		}
		t, l.Kind, l.Station, l.Township = o, stations.Results, st.ID, o.ID
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "stationlist", actor.ID, fingerprint(l.Kind, l.Station), func() (string, error) {
			from := o.ID
			if !atStation {
				from = t.ID
			}
			pending, err := tx.PendingStation(l.Kind, from)
			if err != nil {
				return "", err
			}
			var mine []cases.Case
			for _, c := range pending {
				if c.Receiving == l.Station {
					mine = append(mine, c)
				}
			}
			m := l
			if m.Cases = s.listedAtStation(ctx, l.Kind, mine); len(m.Cases) == 0 {
				return "", errs.Field("to", "err.transfer.nothing")
			}
			if err := tx.CreateStationList(actor, &m, numberPrefix(t), localYear(tx.Now())); err != nil {
				return "", err
			}
			return m.ID, nil
		})
		return err
	})
	if err != nil {
		return store.StationList{}, err
	}
	return s.DB.StationList(ctx, id)
}

// stationListFor reads a list for the front desk of either end.
func (s *Service) stationListFor(ctx context.Context, actor access.Actor, id string) (store.StationList, org.Org, error) {
	o, _, err := s.stationListDesk(ctx, actor)
	if err != nil {
		return store.StationList{}, o, err
	}
	l, err := s.DB.StationList(ctx, id)
	if err != nil {
		return l, o, err
	}
	if l.Station != o.ID && l.Township != o.ID {
		return store.StationList{}, o, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.StationLists))
	}
	return l, o, nil
}

// StationList reads one list for either end.
func (s *Service) StationList(ctx context.Context, actor access.Actor, id string) (store.StationList, error) {
	l, _, err := s.stationListFor(ctx, actor, id)
	return l, err
}

// ReceiveStationList marks a list received by the end it goes to; the first mark stands.
func (s *Service) ReceiveStationList(ctx context.Context, actor access.Actor, id string) (store.StationList, error) {
	l, o, err := s.stationListFor(ctx, actor, id)
	if err != nil {
		return l, err
	}
	if l.To() != o.ID {
		return store.StationList{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.StationLists))
	}
	if !l.Received.IsZero() {
		return l, nil
	}
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { _, _, err := tx.ReceiveStationList(actor, l); return err }); err != nil {
		return l, err
	}
	return s.DB.StationList(ctx, id)
}

// HandOver records the result of a case handed to the resident at the station, with the signature of the one
// who received it, and delivers the case (its 送达). The list must have reached the station. A second
// handover of the same result is refused; a delivery that failed after the handover was recorded is made
// again by the same request.
func (s *Service) HandOver(ctx context.Context, actor access.Actor, caseID string, h stations.Handover) (cases.Case, error) {
	st, err := s.stationOf(ctx, actor, access.StationLists)
	if err != nil {
		return cases.Case{}, err
	}
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return c, err
	}
	if c.Receiving != st.ID {
		return c, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.StationLists))
	}
	lists, err := s.DB.StationLists(ctx, false, st.ID, 200)
	if err != nil {
		return c, err
	}
	arrived, found := false, false
	for _, l := range lists {
		for _, lc := range l.Cases {
			if l.Kind == stations.Results && lc.CaseID == caseID {
				found, arrived = true, !l.Received.IsZero()
			}
		}
	}
	if !found || !arrived {
		return c, errs.Field("case_id", "err.handover.not_arrived")
	}
	a, err := s.DB.Applicant(ctx, c.ApplicantID)
	if err != nil {
		return c, err
	}
	h.CaseID, h.By, h.ByName, h.At = caseID, actor.ID, actor.Name, s.DB.Now()
	h.Signer, h.Relation, h.SigRef = strings.TrimSpace(h.Signer), strings.TrimSpace(h.Relation), strings.TrimSpace(h.SigRef)
	if err := h.Validate(a.Name); err != nil {
		return c, err
	}
	prior, err := s.DB.HandoverOf(ctx, caseID)
	if err != nil {
		return c, err
	}
	if prior == nil {
		var first bool
		if err := s.DB.Write(ctx, func(tx *store.Tx) error {
			var err error
			first, err = tx.RecordHandover(actor, h, st.ID)
			return err
		}); err != nil {
			return c, err
		}
		if !first {
			return c, errs.New(errs.Conflict, "err.handover.twice")
		}
	} else if c.State != cases.Issued {
		return c, errs.New(errs.Conflict, "err.handover.twice")
	}
	if c.State != cases.Issued {
		return c, nil
	}
	return s.Act(ctx, actor, caseID, c.Version, cases.Deliver, cases.Input{})
}
