package store

import (
	"context"

	"bianmin/internal/cases"
	"bianmin/internal/people"
)

// CasesByNos reads the cases whose numbers are among nos (a number tried under each township's prefix).
func (db *DB) CasesByNos(ctx context.Context, nos []string) ([]cases.Case, error) {
	if len(nos) == 0 {
		return nil, nil
	}
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE case_no IN (`+marks(len(nos))+`) ORDER BY received_at DESC, case_no`, strs(nos)...)
}

// CasesOfApplicant lists an applicant's cases, newest first.
func (db *DB) CasesOfApplicant(ctx context.Context, applicantID string, limit int) ([]cases.Case, error) {
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE applicant_id = ? ORDER BY received_at DESC, case_no DESC LIMIT ?`, applicantID, limit)
}

// ApplicantByIDNumber finds an applicant by their ID number (unmasked: callers mask).
func (db *DB) ApplicantByIDNumber(ctx context.Context, idNumber string) (people.Applicant, error) {
	a, err := scanApplicant(db.queryRow(ctx, `SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE a.id_number = ?`, idNumber))
	if err != nil {
		return a, notFound(err, "applicant")
	}
	return a, nil
}
