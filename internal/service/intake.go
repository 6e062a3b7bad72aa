package service

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/people"
)

// Intake from an ID number (issue 12, item 2): the window types or scans the number; the applicant is found,
// or registered on the same form; their open cases show.

// Intake is what the window learns from an ID number.
type Intake struct {
	IDNumber  string // normalised
	Birth     string // read from the number (GB 11643: digits 7-14), 2006-01-02
	Sex       string // "male" or "female" (GB 11643: the 17th digit, odd for men)
	Found     bool
	Applicant people.Applicant // in full for the applicant's own front desk, masked for another's (通办)
	Open      []cases.Case     // their cases not yet closed, newest first
}

// IntakeLookup checks an ID number as typed and finds its applicant. Only the front desk takes cases in.
func (s *Service) IntakeLookup(ctx context.Context, actor access.Actor, idNumber string) (Intake, error) {
	if actor.Role != access.Clerk && actor.Role != access.Director && actor.Role != access.Agent {
		return Intake{}, errs.New(errs.Forbidden, "err.forbidden").With("action", "case.receive")
	}
	if e := people.CheckIDNumber("id_number", idNumber); e != nil {
		return Intake{}, e
	}
	n := people.NormalizeIDNumber(idNumber)
	in := Intake{IDNumber: n, Birth: n[6:10] + "-" + n[10:12] + "-" + n[12:14], Sex: "female"}
	if (n[16]-'0')%2 == 1 {
		in.Sex = "male"
	}
	a, err := s.DB.ApplicantOfIDNumber(ctx, n)
	if errs.CodeOf(err) == errs.NotFound {
		return in, nil
	}
	if err != nil {
		return in, err
	}
	in.Found = true
	if full, err := s.Applicant(ctx, actor, a.ID); err == nil {
		in.Applicant = full
	} else {
		in.Applicant = a.Masked() // another township's resident: the window sees who it is, not their numbers
	}
	if in.Open, err = s.DB.OpenCasesOf(ctx, a.ID, 20); err != nil {
		return in, err
	}
	for i, c := range in.Open {
		in.Open[i] = s.withItemMn(ctx, c)
	}
	return in, nil
}

// IntakeApplicant is the applicant of an intake: the one registered with the ID number, or a new one
// registered now from the form (the number checked, and name and place required, as at registration).
func (s *Service) IntakeApplicant(ctx context.Context, actor access.Actor, in ApplicantInput, key string) (people.Applicant, error) {
	found, err := s.IntakeLookup(ctx, actor, in.IDNumber)
	if err != nil {
		return people.Applicant{}, err
	}
	if found.Found {
		return found.Applicant, nil
	}
	in.Kind, in.IDNumber = string(people.Resident), found.IDNumber
	return s.CreateApplicant(ctx, actor, in, key)
}

// TopItems lists the items most often received at the actor's window lately, most first.
func (s *Service) TopItems(ctx context.Context, actor access.Actor, limit int) ([]string, error) {
	return s.DB.TopItems(ctx, actor.OrgID, 500, limit)
}
