package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// CreateHandover stores a hand-over (转办) of a case with its audit entry. A second one waiting for the same
// case is refused (one at a time: the case is never between two bodies twice).
func (tx *Tx) CreateHandover(actor access.Actor, h joint.Handover, fromPath, toPath string) error {
	doc, err := json.Marshal(h)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO case_handovers (id, case_id, from_path, to_path, state, due_on, pending_case, asked_at, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.ID, h.CaseID, fromPath, toPath, string(h.State), h.DueOn.Int(), h.CaseID, h.At, h.Version, string(doc))
	if tx.d.isUnique(err) {
		return errs.New(errs.Conflict, "err.joint.handover.pending")
	}
	if err != nil {
		return errs.Wrap(err, "insert handover")
	}
	return tx.Audit(actor, "case.handover", "handover", h.ID, h.From, nil, h)
}

// SaveHandover stores the answer to a hand-over if it still has the version it was read at, with its audit
// entry; an answered one no longer holds the case's one waiting place.
func (tx *Tx) SaveHandover(actor access.Actor, before, after joint.Handover) error {
	doc, err := json.Marshal(after)
	if err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE case_handovers SET state = ?, pending_case = NULL, version = ?, doc = ?, card = coalesce(?, card) WHERE id = ? AND version = ?`,
		string(after.State), after.Version, string(doc), lateCard(after.AnsweredOn.After(after.DueOn)), before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "save handover")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	return tx.Audit(actor, "case.handover_"+string(after.State), "handover", after.ID, after.To, before, after)
}

// MoveCase gives a case to another handling organisation (an accepted 转办), in the case's row and its clock
// row; the caller saves the case's document and event with SaveCase in the same transaction.
func (tx *Tx) MoveCase(caseID, handling string) error {
	if _, err := tx.exec(`UPDATE cases SET handling_org = ? WHERE id = ?`, handling, caseID); err != nil {
		return errs.Wrap(err, "move case")
	}
	_, err := tx.exec(`UPDATE case_clock SET handling_org = ? WHERE case_id = ?`, handling, caseID)
	return errs.Wrap(err, "move case clock")
}

func scanHandover(row interface{ Scan(...any) error }) (joint.Handover, error) {
	var doc string
	var h joint.Handover
	if err := row.Scan(&doc); err != nil {
		return h, err
	}
	return h, json.Unmarshal([]byte(doc), &h)
}

func collectHandovers(rows *sql.Rows, err error) ([]joint.Handover, error) {
	return collect(rows, errs.Wrap(err, "handovers"), scanHandover)
}

// Handover reads one hand-over.
func (db *DB) Handover(ctx context.Context, id string) (joint.Handover, error) {
	h, err := scanHandover(db.queryRow(ctx, `SELECT doc FROM case_handovers WHERE id = ?`, id))
	return h, notFound(err, "handover")
}

// HandoversOfCase lists a case's hand-overs, oldest first.
func (db *DB) HandoversOfCase(ctx context.Context, caseID string) ([]joint.Handover, error) {
	return collectHandovers(db.query(ctx, `SELECT doc FROM case_handovers WHERE case_id = ? ORDER BY asked_at, id`, caseID))
}

// HandoversIn lists the hand-overs a subtree received (incoming) or made, newest first: those waiting first,
// then the last answered, at most limit of each.
func (db *DB) HandoversIn(ctx context.Context, path string, incoming bool, limit int) ([]joint.Handover, error) {
	col := "from_path"
	if incoming {
		col = "to_path"
	}
	lo, hi := subtreeRange(path)
	pending, err := collectHandovers(db.query(ctx, `SELECT doc FROM case_handovers WHERE `+col+` >= ? AND `+col+` < ? AND state = 'pending' ORDER BY id DESC LIMIT ?`, lo, hi, limit))
	if err != nil {
		return nil, err
	}
	done, err := collectHandovers(db.query(ctx, `SELECT doc FROM case_handovers WHERE `+col+` >= ? AND `+col+` < ? AND state <> 'pending' ORDER BY id DESC LIMIT ?`, lo, hi, limit))
	return append(pending, done...), err
}

// PendingHandoverOf reports the hand-over waiting for a case, if any.
func (db *DB) PendingHandoverOf(ctx context.Context, caseID string) (*joint.Handover, error) {
	h, err := scanHandover(db.queryRow(ctx, `SELECT doc FROM case_handovers WHERE pending_case = ?`, caseID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}
