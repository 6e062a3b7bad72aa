package store

import (
	"context"

	"bianmin/internal/cases"
	"bianmin/internal/people"
)

// The window's intake from an ID number (issue 12): the applicant of a number, their open cases, and the
// items most often received at the window.

// ApplicantOfIDNumber finds the applicant registered with an ID number (already normalised).
func (db *DB) ApplicantOfIDNumber(ctx context.Context, idNumber string) (people.Applicant, error) {
	a, err := scanApplicant(db.queryRow(ctx, `SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE a.id_number = ?`, idNumber))
	if err != nil {
		return a, notFound(err, "applicant")
	}
	return a, nil
}

// OpenCasesOf lists an applicant's cases that are not closed, newest first.
func (db *DB) OpenCasesOf(ctx context.Context, applicantID string, limit int) ([]cases.Case, error) {
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE applicant_id = ?
		AND state NOT IN ('delivered', 'refused', 'terminated', 'revoked') ORDER BY received_at DESC LIMIT ?`, applicantID, limit)
}

// TopItems lists the ids of the items most often received among an organisation's latest `recent` cases,
// most first: what the window takes in now, whatever the season. Latest by (received_on, id), the order of
// cases_receiving_recent (ids sort in the order made: internal/ids), so that the window's latest cases are read in
// order rather than all of them sorted.
func (db *DB) TopItems(ctx context.Context, orgID string, recent, limit int) ([]string, error) {
	return db.queryStrings(ctx, `SELECT item_id FROM (SELECT item_id FROM cases WHERE receiving_org = ?
		ORDER BY received_on DESC, id DESC LIMIT ?) AS recent GROUP BY item_id ORDER BY count(*) DESC, item_id LIMIT ?`, orgID, recent, limit)
}
