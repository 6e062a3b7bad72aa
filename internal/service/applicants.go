package service

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// ApplicantInput registers a resident or an organisation.
type ApplicantInput struct {
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	IDNumber       string `json:"id_number,omitempty"`
	CreditCode     string `json:"credit_code,omitempty"`
	CreditOverride string `json:"credit_override,omitempty"`
	Phone          string `json:"phone,omitempty"`
	Address        string `json:"address,omitempty"`
	OrgID          string `json:"org_id"`
}

// CreateApplicant registers an applicant at an organisation in the actor's subtree. key makes the
// submission idempotent: the same key returns the applicant the first submission made.
func (s *Service) CreateApplicant(ctx context.Context, actor access.Actor, in ApplicantInput, key string) (people.Applicant, error) {
	a := people.Applicant{Kind: people.ApplicantKind(in.Kind), Name: in.Name, IDNumber: in.IDNumber, CreditCode: in.CreditCode,
		CreditOverride: in.CreditOverride, Phone: in.Phone, Address: in.Address, OrgID: in.OrgID}
	if err := a.Validate(); err != nil {
		return a, err
	}
	o, err := s.DB.Org(ctx, in.OrgID)
	if err != nil {
		return a, errs.Field("org", "err.not_found").With("what", "org")
	}
	if err := actor.Check(access.ApplicantWrite, o.Path); err != nil {
		return a, err
	}
	if a.CreditOverride != "" && !actor.Can(access.ApplicantOverride, o.Path) {
		return a, errs.Field("credit_code", "err.creditcode.override_forbidden")
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "applicant", actor.ID, fingerprint(in), func() (string, error) {
			err := tx.CreateApplicant(actor, &a)
			return a.ID, err
		})
		return err
	})
	if err != nil {
		return a, err
	}
	return s.Applicant(ctx, actor, id)
}

// Applicant reads one applicant, masked unless the actor works at the front desk for them.
func (s *Service) Applicant(ctx context.Context, actor access.Actor, id string) (people.Applicant, error) {
	a, err := s.DB.Applicant(ctx, id)
	if err != nil {
		return a, err
	}
	if !actor.Can(access.ApplicantRead, a.OrgPath) {
		return people.Applicant{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.ApplicantRead))
	}
	if !actor.Can(access.ApplicantReadFull, a.OrgPath) {
		a = a.Masked()
	}
	return a, nil
}

// Applicants lists the applicants under an organisation, always masked: a list never needs full numbers.
func (s *Service) Applicants(ctx context.Context, actor access.Actor, orgID string, limit int) ([]people.Applicant, error) {
	o, err := s.DB.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := actor.Check(access.ApplicantRead, o.Path); err != nil {
		return nil, err
	}
	list, err := s.DB.ApplicantsIn(ctx, o.Path, limit)
	for i := range list {
		list[i] = list[i].Masked()
	}
	return list, err
}

// UpdateApplicant corrects name, phone and address under optimistic locking.
func (s *Service) UpdateApplicant(ctx context.Context, actor access.Actor, id string, version int, name, phone, address string) (people.Applicant, error) {
	cur, err := s.DB.Applicant(ctx, id)
	if err != nil {
		return cur, err
	}
	if err := actor.Check(access.ApplicantWrite, cur.OrgPath); err != nil {
		return cur, err
	}
	next := cur
	next.Name, next.Phone, next.Address = name, phone, address
	if err := next.Validate(); err != nil {
		return cur, err
	}
	if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.UpdateApplicant(actor, next, version) }); err != nil {
		return cur, err
	}
	return s.Applicant(ctx, actor, id)
}
