package service

import (
	"context"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/stations"
	"bianmin/internal/store"
)

// Village stations (issue 13, item 5): the three ways a station applies (代办, 协办, 代理; cases/proxy.go), and
// the standing authorisations 代理 rests on (stations/standing.go). Every intake also notes whether the
// applicant was marked as needing help (帮办), which puts the case first at the desk.

// intakeHelp is what an intake adds to its cases: the station's mode and what it rests on, and whether the
// applicant was marked as needing help. An intake at a window has no mode; at a station an empty mode is
// 代办, what stations did before there were modes.
type intakeHelp struct {
	station bool
	proxy   cases.Proxy
	helped  bool
}

func (h intakeHelp) apply(c *cases.Case, actor access.Actor) {
	c.Helped = h.helped
	if !h.station {
		return
	}
	c.Proxy = h.proxy
	if h.proxy.Mode != cases.Assisted { // 协办: the resident applies; the agent only helps
		c.AgentID = actor.ID
	}
	if h.proxy.Mode == cases.StandingAuth && c.Authorised == "" {
		c.Authorised = h.proxy.StandingNo
	}
}

// intakeHelp is what an intake takes of the help its applicant is given: the applicant's 帮办 mark (needs,
// read with the applicant) and, at a station, how the agent applies for them.
func (s *Service) intakeHelp(ctx context.Context, actor access.Actor, channel cases.Channel, recv org.Org, applicantID string, needs *stations.Mark, itemIDs []string, in ReceiveInput) (intakeHelp, error) {
	h := intakeHelp{station: channel == cases.ByStation, helped: needs != nil && needs.Active()}
	if !h.station {
		return h, nil
	}
	mode := cases.ProxyMode(in.Mode)
	if mode == "" {
		mode = cases.Entrusted
	}
	if err := cases.CheckProxy(mode, in.Authorisation, in.StandingID, in.AuthImage); err != nil {
		return h, err
	}
	h.proxy = cases.Proxy{Mode: mode, AuthImage: strings.TrimSpace(in.AuthImage)}
	switch mode {
	case cases.Assisted:
		h.proxy.Helper = actor.ID
	case cases.StandingAuth:
		a, err := s.DB.Standing(ctx, in.StandingID)
		if err != nil || a.Station != recv.ID { // another station's paper is not this agent's to use
			return h, errs.Field("standing", "err.not_found").With("what", "standing")
		}
		clk, err := s.Clock(ctx)
		if err != nil {
			return h, err
		}
		for _, id := range itemIDs {
			if e := a.Covers(applicantID, id, s.today(clk)); e != nil {
				return h, e
			}
		}
		h.proxy.StandingID, h.proxy.StandingNo = a.ID, a.No
	}
	return h, nil
}

// StandingInput is a new standing authorisation as a station's agent records it.
type StandingInput struct {
	ApplicantID string   `json:"applicant_id"`
	Items       []string `json:"items"`
	From        string   `json:"from"`  // 2006-01-02
	Until       string   `json:"until"` // 2006-01-02, the last day it holds
	Reason      string   `json:"reason"`
	SignedRef   string   `json:"signed_ref"`
}

// stationOf finds the village station the actor works at: only a village's agent holds standing
// authorisations.
func (s *Service) stationOf(ctx context.Context, actor access.Actor, act access.Action) (org.Org, error) {
	forbidden := errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
	if actor.System || !actor.Role.Has(act) || actor.Role != access.Agent {
		return org.Org{}, forbidden
	}
	home, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return org.Org{}, err
	}
	for home.Kind != org.Village && home.ParentID != "" { // an agent bound to the station itself
		if home, err = s.DB.Org(ctx, home.ParentID); err != nil {
			return org.Org{}, err
		}
	}
	if home.Kind != org.Village {
		return org.Org{}, forbidden
	}
	return home, nil
}

// residentOf reads an applicant the actor may act for at the station: a resident of the station's village.
func (s *Service) residentOf(ctx context.Context, actor access.Actor, station org.Org, applicantID string) (people.Applicant, error) {
	a, err := s.DB.Applicant(ctx, applicantID)
	if err != nil {
		return a, errs.Field("applicant_id", "err.not_found").With("what", "applicant")
	}
	if !org.InSubtree(station.Path, a.OrgPath) || !actor.Can(access.ApplicantReadFull, a.OrgPath) {
		return a, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.StandingWrite))
	}
	return a, nil
}

// CreateStanding records a standing authorisation (代理) at the actor's station for one of its residents,
// once per key.
func (s *Service) CreateStanding(ctx context.Context, actor access.Actor, in StandingInput, key string) (stations.Authorisation, error) {
	station, err := s.stationOf(ctx, actor, access.StandingWrite)
	if err != nil {
		return stations.Authorisation{}, err
	}
	if _, err := s.residentOf(ctx, actor, station, in.ApplicantID); err != nil {
		return stations.Authorisation{}, err
	}
	var l errs.List
	a := stations.Authorisation{ApplicantID: in.ApplicantID, Station: station.ID, Reason: strings.TrimSpace(in.Reason), SignedRef: strings.TrimSpace(in.SignedRef)}
	if a.From, err = clock.ParseDate(in.From); err != nil && in.From != "" {
		l.Add(errs.Field("from", "err.find.date"))
	}
	if a.Until, err = clock.ParseDate(in.Until); err != nil && in.Until != "" {
		l.Add(errs.Field("until", "err.find.date"))
	}
	for _, id := range in.Items {
		if id == "" || len(a.Items) > stations.MaxItems {
			continue
		}
		it, err := s.publishedItem(ctx, id)
		if err != nil || it.Village == catalog.VillageNone {
			l.Add(errs.Field("items", "err.case.not_at_station"))
			continue
		}
		a.Items, a.ItemNames = append(a.Items, it.ID), append(a.ItemNames, it.NameZh)
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return a, err
	}
	if l.Err() == nil {
		for _, e := range errs.All(a.Validate(s.today(clk))) {
			l.Add(e)
		}
	}
	if err := l.Err(); err != nil {
		return a, err
	}
	t, err := s.township(ctx, station)
	if err != nil {
		return a, err
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "standing", actor.ID, fingerprint(in), func() (string, error) {
			b := a
			if err := tx.CreateStanding(actor, &b, numberPrefix(t), localYear(tx.Now())); err != nil {
				return "", err
			}
			return b.ID, nil
		})
		return err
	})
	if err != nil {
		return a, err
	}
	return s.DB.Standing(ctx, id)
}

// publishedItem reads an item's published version.
func (s *Service) publishedItem(ctx context.Context, id string) (catalog.Item, error) {
	row, err := s.DB.Item(ctx, id)
	if err != nil || row.Published == 0 {
		return catalog.Item{}, errs.Field("item_id", "err.not_found").With("what", "item")
	}
	return s.DB.ItemVersion(ctx, row.ID, row.Published)
}

// StandingView is an authorisation with the cases received under it.
type StandingView struct {
	stations.Authorisation
	Applicant people.Applicant
	Cases     []cases.Case
	Holds     bool // in force today
}

// Standing reads an authorisation for its station's agent, or the front desk of its township.
func (s *Service) Standing(ctx context.Context, actor access.Actor, id string) (StandingView, error) {
	a, err := s.DB.Standing(ctx, id)
	if err != nil {
		return StandingView{}, err
	}
	station, err := s.DB.Org(ctx, a.Station)
	if err != nil {
		return StandingView{}, err
	}
	if !frontDesk(actor, station) || actor.System {
		return StandingView{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "standing.read")
	}
	v := StandingView{Authorisation: a}
	if v.Applicant, err = s.Applicant(ctx, actor, a.ApplicantID); err != nil {
		return v, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return v, err
	}
	v.Holds = a.Holds(s.today(clk))
	v.Cases, err = s.DB.CasesUnderStanding(ctx, a, 50)
	return v, err
}

// Standings lists the actor's station's authorisations (of one applicant when applicantID is given), newest
// first, a page after the key (created time and id) given.
func (s *Service) Standings(ctx context.Context, actor access.Actor, applicantID string, after time.Time, afterID string, limit int) ([]stations.Authorisation, error) {
	station, err := s.stationOf(ctx, actor, access.StandingWrite)
	if err != nil {
		return nil, err
	}
	return s.DB.Standings(ctx, station.ID, applicantID, after, afterID, limit)
}

// RevokeStanding ends an authorisation before its term (民法典 第173条(二): 被代理人取消委托), by its station's
// agent, if nobody changed it since version was read.
func (s *Service) RevokeStanding(ctx context.Context, actor access.Actor, id string, version int) (stations.Authorisation, error) {
	station, err := s.stationOf(ctx, actor, access.StandingWrite)
	if err != nil {
		return stations.Authorisation{}, err
	}
	a, err := s.DB.Standing(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Station != station.ID {
		return a, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.StandingWrite))
	}
	if a.Version != version {
		return a, errs.New(errs.Conflict, "err.conflict")
	}
	if !a.Revoked.IsZero() {
		return a, nil
	}
	after := a
	after.Revoked = s.DB.Now()
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveStanding(actor, a, after, "standing.revoke") }); err != nil {
		return a, err
	}
	return s.DB.Standing(ctx, id)
}

// StandingsInForce lists an applicant's standing authorisations at the actor's station that hold today, for
// the intake form.
func (s *Service) StandingsInForce(ctx context.Context, actor access.Actor, applicantID string) ([]stations.Authorisation, error) {
	list, err := s.Standings(ctx, actor, applicantID, time.Time{}, "", 20)
	if err != nil {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	var out []stations.Authorisation
	for _, a := range list {
		if a.Holds(s.today(clk)) {
			out = append(out, a)
		}
	}
	return out, nil
}
