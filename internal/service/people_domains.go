package service

import (
	"context"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/roster"
	"bianmin/internal/store"
)

// Item domains in the back office (issue 11 point 1): a township that splits its back office by domain
// (一人负责一块) holds each reviewer to the domains on their record, for taking a case (承办), being given one,
// and every back-office move; one that keeps 一人通办 (the default) does not. The rule is roster.MayWork; the
// same setting decides who backs up a back-office seat (roster.Covers).

// BackOfficeSplit reads a township's setting and its version (0: never set, 一人通办), for those who may read
// its staff.
func (s *Service) BackOfficeSplit(ctx context.Context, actor access.Actor, townshipID string) (bool, int, error) {
	t, err := s.splitTownship(ctx, townshipID)
	if err != nil {
		return false, 0, err
	}
	if err := actor.Check(access.StaffRead, t.Path); err != nil {
		return false, 0, err
	}
	return s.DB.BackOfficeSplit(ctx, t.ID)
}

// SetBackOfficeSplit sets whether a township splits its back office by domain (the township's director, an
// administrator above it), at the version read.
func (s *Service) SetBackOfficeSplit(ctx context.Context, actor access.Actor, townshipID string, version int, split bool) error {
	t, err := s.splitTownship(ctx, townshipID)
	if err != nil {
		return err
	}
	if err := actor.Check(access.StaffManage, t.Path); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetBackOfficeSplit(actor, t.ID, version, split) })
}

func (s *Service) splitTownship(ctx context.Context, id string) (org.Org, error) {
	t, err := s.DB.Org(ctx, id)
	if err != nil || t.Kind != org.Township {
		return org.Org{}, errs.Field("township", "err.not_found").With("what", "org")
	}
	return t, nil
}

// splitOf is the setting of the township an organisation lies in (false outside any township).
func (s *Service) splitOf(ctx context.Context, o org.Org) (bool, error) {
	t, err := s.township(ctx, o)
	if err != nil {
		return false, nil // a department's step: the township's setting does not reach it
	}
	return s.DB.SplitsBackOffice(ctx, t.ID)
}

// domainRefusal refuses a back-office move (or an assignment) on a case to a reviewer outside the item's
// domains, in a township that splits its back office. A release is never refused: giving a case back is how
// one outside its domain lets go of it.
func (s *Service) domainRefusal(ctx context.Context, actor access.Actor, c cases.Case, a cases.Action, desk cases.Desk, in cases.Input) error {
	who, assign := actor.ID, a == cases.Assign && in.Assignee != ""
	switch {
	case actor.System || a == cases.Release:
		return nil
	case assign:
		who = in.Assignee
	case desk != cases.Back || actor.Role != access.Reviewer:
		return nil
	}
	handling, err := s.org(ctx, c.Handling)
	if err != nil {
		return err
	}
	split, err := s.splitOf(ctx, handling)
	if err != nil || !split {
		return err
	}
	rec, err := s.DB.StaffRecord(ctx, who)
	if err != nil {
		return err
	}
	it, err := s.DB.ItemVersion(ctx, c.ItemID, c.ItemVersion)
	if err != nil {
		return err
	}
	if roster.MayWork(rec.Person(), true, it.Department, it.Topics) {
		return nil
	}
	domains := strings.Join(rec.Domains, "、")
	if assign {
		return errs.Field("assignee", "err.people_gaps.assignee_domain").With("name", rec.Name).With("domains", domains)
	}
	return errs.New(errs.Forbidden, "err.people_gaps.out_of_domain").With("domains", domains)
}
