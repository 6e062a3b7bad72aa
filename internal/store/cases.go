package store

import (
	"context"
	"database/sql"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// NextSerial counts up a named counter and returns the new value; concurrent callers each get their own.
func (tx *Tx) NextSerial(scope string) (int64, error) { return tx.counterAdd(scope, 1) }

// CreateCase stores a new case with its number (the handling township's prefix, the year and a serial) and
// its first event. The counter is kept per printed prefix, so that two townships can never print the same
// number, whatever their abbreviations.
func (tx *Tx) CreateCase(actor access.Actor, c *cases.Case, prefix string, year int, ev cases.Event, orgID string) error {
	if c.ID == "" {
		c.ID = ids.New()
	}
	series := CaseSeries(prefix, year)
	_, no, err := tx.Take(series)
	if err != nil {
		return err
	}
	c.No = no
	c.Version = 1
	doc, err := tx.db.caseDoc(tx.queryRow, *c)
	if err != nil {
		return err
	}
	events, err := tx.d.packTimeline([]CaseEvent{{Event: ev, Seq: 1, OrgID: orgID}})
	if err != nil {
		return err
	}
	// the case and its clock are written with the transaction's next statement (later.go): on PostgreSQL
	// both in the audit insert's WITH, where the clock's reference to its case is checked at the statement's
	// end; a number in use comes back from there
	if err := tx.execLater(func(err error) error { return tx.refusedNumber(series, err) },
		`INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, bundle, state, step, version, doc, events, received_at, updated_at, `+placeCols+`, `+factCols+`, no_digits)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(append([]any{c.ID, c.No, c.Handling, c.Receiving, c.ItemID, c.ItemVersion, c.ApplicantID, c.Bundle, c.State, c.Step, c.Version, doc, events, c.Received, tx.now},
			placeArgs(*c)...), append(factArgs(*c), noDigits(c.No))...)...); err != nil {
		return errs.Wrap(err, "insert case")
	}
	if err := tx.execLater(nil, `INSERT INTO case_clock (`+clockCols+`) VALUES (`+clockMarks+`)`, clockRow(*c, standingDay(tx.now))...); err != nil {
		return errs.Wrap(err, "insert case clock")
	}
	if err := tx.setAwaits(*c); err != nil {
		return err
	}
	// the entry keeps the case as its row does (steps left to the item version are named by it), with the
	// row's own columns
	full, err := tx.db.auditDoc(tx.queryRow, *c)
	if err != nil {
		return err
	}
	return tx.Audit(actor, "case.receive", "case", c.ID, c.Handling, nil, full)
}

// SaveCase stores a case after a move, if nobody moved it since version was read (optimistic locking), with
// its event and audit entry.
func (tx *Tx) SaveCase(actor access.Actor, c cases.Case, version int, before cases.Case, ev cases.Event, orgID string) error {
	tx.AuditFirst(c.Handling, c.ID)
	doc, err := tx.db.caseDoc(tx.queryRow, c)
	if err != nil {
		return err
	}
	// the move's event joins the timeline in the row (timeline.go): kept by the case's read, or read here, it
	// is of the version the UPDATE below finds or refuses
	timeline, err := tx.movingTimeline(c.ID, version)
	if err != nil {
		return err
	}
	events, err := tx.d.packTimeline(append(timeline, CaseEvent{Event: ev, Seq: c.Version, OrgID: orgID}))
	if err != nil {
		return err
	}
	// the place columns too: the document leaves them to the row (casedoc.go)
	caseArgs := append(append(append([]any{c.State, c.Step, c.Version, doc, events, tx.now}, placeArgs(c)...), factArgs(c)...), c.ID, version)
	clock := append(clockArgs(c, standingDay(tx.now)), c.ID)
	// On PostgreSQL both updates are kept for the transaction's next statement (later.go), which is mostly
	// its audit insert: the move is then one statement (lanes.go). The case's is guarded (execGuarded): when
	// the version check refuses it, the transaction ends as a conflict, the clock's update rolled back with it.
	conflict := errs.New(errs.Conflict, "err.case.conflict")
	if err := tx.execLater(nil, clockUpdate, clock...); err != nil {
		return errs.Wrap(err, "update case clock")
	}
	if err := tx.execGuarded(conflict, 1, caseUpdate, caseArgs...); err != nil {
		return errs.Wrap(err, "update case")
	}
	if err := tx.setAwaits(c); err != nil {
		return err
	}
	// what the move changed of the case as its entries keep it (auditDoc: a material list left to its item
	// version changes by its checks)
	b, err := tx.db.auditDoc(tx.queryRow, before)
	if err != nil {
		return err
	}
	a, err := tx.db.auditDoc(tx.queryRow, c)
	if err != nil {
		return err
	}
	return tx.Audit(actor, "case."+string(ev.Action), "case", c.ID, c.Handling, b, a)
}

const (
	caseUpdate  = `UPDATE cases SET state = ?, step = ?, version = ?, doc = ?, events = ?, updated_at = ?, ` + placeSets + `, ` + factSets + ` WHERE id = ? AND version = ?`
	clockUpdate = `UPDATE case_clock SET ` + clockSets + ` WHERE case_id = ?`
)

// Case reads one case.
func (db *DB) Case(ctx context.Context, id string) (cases.Case, error) {
	var r caseRow
	var events []byte
	var phone sql.NullString
	if err := db.queryRow(ctx, `SELECT `+caseCols+`, c.events, (SELECT a.phone FROM applicants a WHERE a.id = c.applicant_id) FROM cases c WHERE id = ?`, id).
		Scan(append(r.dest(), &events, &phone)...); err != nil {
		return cases.Case{}, notFound(err, "case")
	}
	db.timelines.put(id, r.row.Version, events, phone.String) // for a move that may follow (timelineMemo)
	return db.readCase(db.rowsOn(ctx), r)
}

// ApplicantPhone is the phone of a case's applicant, for a move's message: the one read with the case at
// version (Case), or read now.
func (db *DB) ApplicantPhone(ctx context.Context, caseID string, version int, applicantID string) (string, error) {
	if p, ok := db.timelines.phone(caseID, version); ok {
		return p, nil
	}
	a, err := db.Applicant(ctx, applicantID)
	return a.Phone, err
}

// CasesByIDs reads the cases of ids (in no order; an id of no case is left out): the outbox's sender names
// a round's cases with one statement instead of one each.
func (db *DB) CasesByIDs(ctx context.Context, ids []string) ([]cases.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE c.id IN (`+marks(len(ids))+`)`, strs(ids)...)
}

// CaseEvent is an event as stored, with the organisation where it happened.
type CaseEvent struct {
	cases.Event
	Seq   int
	OrgID string
}

// CountCases counts cases.
func (db *DB) CountCases(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM cases`).Scan(&n)
	return n, err
}

// CasesIn lists the open cases received or handled in a subtree, and, for a department, those it works (its
// items', and those a 转办 gave it: cases.department); oldest first.
func (db *DB) CasesIn(ctx context.Context, rootPath, departmentID string, limit int) ([]cases.Case, error) {
	lo, hi := subtreeRange(rootPath)
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c
		JOIN orgs h ON h.id = c.handling_org JOIN orgs r ON r.id = c.receiving_org
		WHERE c.state NOT IN ('delivered', 'refused', 'terminated')
		AND ((h.path >= ? AND h.path < ?) OR (r.path >= ? AND r.path < ?) OR c.department = ?)
		ORDER BY c.received_at LIMIT ?`, lo, hi, lo, hi, departmentID, limit)
}

// CasesOfBundle lists the cases of one bundle intake.
func (db *DB) CasesOfBundle(ctx context.Context, bundle string) ([]cases.Case, error) {
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE bundle = ? ORDER BY case_no`, bundle)
}

// CaseByNo finds a case by its number.
func (db *DB) CaseByNo(ctx context.Context, no string) (cases.Case, error) {
	var r caseRow
	if err := db.queryRow(ctx, `SELECT `+caseCols+` FROM cases c WHERE case_no = ?`, no).Scan(r.dest()...); err != nil {
		return cases.Case{}, notFound(err, "case")
	}
	return db.readCase(db.rowsOn(ctx), r)
}
