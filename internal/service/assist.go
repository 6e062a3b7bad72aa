package service

import (
	"context"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/stations"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
)

// 帮办 for special groups (issue 13, item 7; stations/needs.go, stations/visits.go): an applicant's mark, read
// and written by the front desk and the station of the applicant's place only; home visits requested,
// scheduled, carried out and recorded by a station or a center.

// needsDesk checks that the actor works the front desk or the station of the applicant's place.
func (s *Service) needsDesk(ctx context.Context, actor access.Actor, applicantID string, act access.Action) (people.Applicant, error) {
	a, err := s.DB.Applicant(ctx, applicantID)
	if err != nil {
		return a, err
	}
	if actor.System || !actor.Can(act, a.OrgPath) || !actor.Can(access.ApplicantReadFull, a.OrgPath) {
		return people.Applicant{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
	}
	return a, nil
}

// Needs reads an applicant's 帮办 mark (ok false: none) for the front desk or station of their place.
func (s *Service) Needs(ctx context.Context, actor access.Actor, applicantID string) (stations.Mark, bool, error) {
	if _, err := s.needsDesk(ctx, actor, applicantID, access.NeedsRead); err != nil {
		return stations.Mark{}, false, err
	}
	return s.DB.Needs(ctx, applicantID)
}

// NeedsInput is a mark as the desk records it; Version is the version read (0 for a first mark).
type NeedsInput struct {
	Needs     []string `json:"needs"`
	Note      string   `json:"note"`
	Consent   bool     `json:"consent"`
	ConsentBy string   `json:"consent_by"`
	Withdrawn bool     `json:"withdrawn"`
	Version   int      `json:"version"`
}

// SaveNeeds records or changes an applicant's mark, with consent (个人信息保护法 第29条), if nobody changed
// it since the version read.
func (s *Service) SaveNeeds(ctx context.Context, actor access.Actor, applicantID string, in NeedsInput) (stations.Mark, error) {
	a, err := s.needsDesk(ctx, actor, applicantID, access.NeedsWrite)
	if err != nil {
		return stations.Mark{}, err
	}
	before, _, err := s.DB.Needs(ctx, applicantID)
	if err != nil {
		return before, err
	}
	if before.Version != in.Version {
		return before, errs.New(errs.Conflict, "err.conflict")
	}
	m := stations.Mark{ApplicantID: applicantID, Note: strings.TrimSpace(in.Note), Consent: in.Consent, ConsentBy: strings.TrimSpace(in.ConsentBy),
		Withdrawn: in.Withdrawn, By: actor.ID, ByName: actor.Name, At: s.DB.Now()}
	for _, n := range in.Needs {
		m.Needs = append(m.Needs, stations.Need(n))
	}
	if err := m.Validate(); err != nil {
		return before, err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveNeeds(actor, before, m, a.OrgID) })
	if err != nil {
		return before, err
	}
	m, _, err = s.DB.Needs(ctx, applicantID)
	return m, err
}

// visitDesk checks that the actor works the front desk of an organisation that makes home visits for the
// applicant: the station of their village, or the center of their township.
func (s *Service) visitDesk(actor access.Actor, a people.Applicant) error {
	if actor.System || !actor.Can(access.VisitWrite, a.OrgPath) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.VisitWrite))
	}
	return nil
}

// VisitRequest asks for a home visit for an applicant.
type VisitRequest struct {
	ApplicantID string `json:"applicant_id"`
	ItemID      string `json:"item_id,omitempty"`
	Reason      string `json:"reason"`
}

// RequestVisit records a request for a home visit by the actor's station or center, once per key.
func (s *Service) RequestVisit(ctx context.Context, actor access.Actor, in VisitRequest, key string) (stations.Visit, error) {
	a, err := s.DB.Applicant(ctx, in.ApplicantID)
	if err != nil {
		return stations.Visit{}, errs.Field("applicant_id", "err.not_found").With("what", "applicant")
	}
	if err := s.visitDesk(actor, a); err != nil {
		return stations.Visit{}, err
	}
	home, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return stations.Visit{}, err
	}
	v := stations.Visit{Org: home.ID, ApplicantID: a.ID, Reason: strings.TrimSpace(in.Reason)}
	if in.ItemID != "" {
		it, err := s.publishedItem(ctx, in.ItemID)
		if err != nil {
			return v, errs.Field("item_id", "err.not_found").With("what", "item")
		}
		v.ItemID, v.ItemName = it.ID, it.NameZh
	}
	if err := stations.NewVisit(v); err != nil {
		return v, err
	}
	t, err := s.township(ctx, home)
	if err != nil {
		return v, err
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "visit", actor.ID, fingerprint(in), func() (string, error) {
			w := v
			if err := tx.CreateVisit(actor, &w, numberPrefix(t), localYear(tx.Now())); err != nil {
				return "", err
			}
			return w.ID, nil
		})
		return err
	})
	if err != nil {
		return v, err
	}
	return s.DB.Visit(ctx, id)
}

// VisitView is a visit with its applicant, for the desk that makes it.
type VisitView struct {
	stations.Visit
	Applicant people.Applicant
	OrgName   org.Org
}

// Visit reads a home visit for the front desk of the organisation that makes it (or above it in the
// township: the center sees its stations' visits).
func (s *Service) Visit(ctx context.Context, actor access.Actor, id string) (VisitView, error) {
	v, err := s.DB.Visit(ctx, id)
	if err != nil {
		return VisitView{}, err
	}
	o, err := s.DB.Org(ctx, v.Org)
	if err != nil {
		return VisitView{}, err
	}
	if actor.System || !actor.Can(access.VisitWrite, o.Path) {
		return VisitView{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.VisitWrite))
	}
	vv := VisitView{Visit: v, OrgName: o}
	vv.Applicant, err = s.Applicant(ctx, actor, v.ApplicantID)
	return vv, err
}

// MoveVisit schedules, records or cancels a visit, if nobody moved it since version was read.
func (s *Service) MoveVisit(ctx context.Context, actor access.Actor, id string, version int, m stations.VisitMove, in stations.VisitInput) (stations.Visit, error) {
	vv, err := s.Visit(ctx, actor, id)
	if err != nil {
		return stations.Visit{}, err
	}
	before := vv.Visit
	if before.Version != version {
		return before, errs.New(errs.Conflict, "err.conflict")
	}
	if in.CaseID != "" { // the case the materials went into is the applicant's own
		c, err := s.DB.Case(ctx, in.CaseID)
		if err != nil || c.ApplicantID != before.ApplicantID {
			return before, errs.Field("case_id", "err.not_found").With("what", "case")
		}
	}
	after := before
	if err := after.Apply(m, in, actor.ID, s.DB.Now()); err != nil {
		return before, err
	}
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveVisit(actor, before, after, m) }); err != nil {
		return before, err
	}
	return s.DB.Visit(ctx, id)
}

// Visits lists the home visits of the actor's organisation and below, newest request first, in a state (""
// all), a page after the key given.
func (s *Service) Visits(ctx context.Context, actor access.Actor, state string, after time.Time, afterID string, limit int) ([]stations.Visit, error) {
	if actor.System || !actor.Role.Has(access.VisitWrite) {
		return nil, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.VisitWrite))
	}
	return s.DB.Visits(ctx, actor.OrgPath, state, after, afterID, limit)
}

// AssistedQueue is the open cases of applicants who need help, for the front desk and the station, which
// take them first (seed 三.(六)); anyone else gets none.
func (s *Service) AssistedQueue(ctx context.Context, actor access.Actor) ([]Work, error) {
	if actor.System || !actor.Role.Has(access.NeedsRead) {
		return nil, nil
	}
	list, err := s.DB.AssistedOpen(ctx, actor.OrgPath, 20)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Work, 0, len(list))
	for _, c := range list {
		out = append(out, s.work(ctx, actor, c, clk, s.today(clk)))
	}
	return out, nil
}

// assistanceOf counts the 帮办 figures of the townships of a scope that are shown, over a period of local
// days.
func (s *Service) assistanceOf(ctx context.Context, scope []org.Org, shown map[string]bool, p supervision.Period) (supervision.Assistance, error) {
	var out supervision.Assistance
	clk, err := s.Clock(ctx)
	if err != nil {
		return out, err
	}
	loc := clk.Rules.Location
	from := time.Date(p.From.Y, p.From.M, p.From.D, 0, 0, 0, 0, loc)
	to := time.Date(p.To.Y, p.To.M, p.To.D, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	for _, t := range scope {
		if !shown[t.ID] {
			continue
		}
		assisted, requested, done, err := s.DB.AssistanceCounts(ctx, t.Path, from, to)
		if err != nil {
			return out, err
		}
		out.Assisted, out.VisitsRequested, out.VisitsDone = out.Assisted+assisted, out.VisitsRequested+requested, out.VisitsDone+done
	}
	return out, nil
}
