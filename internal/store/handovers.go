package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// handoverSearch is the text a hand-over list's search box matches: the case number, the item, both bodies and
// the applicant's name (both townships' staff read the case).
func handoverSearch(h joint.Handover, applicant string) string {
	return strings.ToLower(strings.Join([]string{h.CaseNo, h.ItemName, h.ItemNameMn, h.FromName, h.ToName, applicant}, "\n"))
}

// CreateHandover stores a hand-over (转办) of a case with its audit entry. A second one waiting for the same
// case is refused (one at a time: the case is never between two bodies twice).
func (tx *Tx) CreateHandover(actor access.Actor, h joint.Handover, fromPath, toPath, applicant string) error {
	doc, err := json.Marshal(h)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO case_handovers (id, case_id, from_path, to_path, state, due_on, pending_case, asked_at, version, doc, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.ID, h.CaseID, fromPath, toPath, string(h.State), h.DueOn.Int(), h.CaseID, h.At, h.Version, string(doc), handoverSearch(h, applicant))
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

// SetCaseDepartment gives a case to another banner department (an accepted 转办 to a department: it works the
// banner steps and decides), in the case's row and its clock row, which the department's queue and the
// supervision figures read; the handling township, the distribution key, stays (and pins the rows). The
// caller saves the case's document and event with SaveCase in the same transaction.
func (tx *Tx) SetCaseDepartment(caseID, handling, department string) error {
	if _, err := tx.exec(`UPDATE cases SET department = ? WHERE id = ? AND handling_org = ?`, department, caseID, handling); err != nil {
		return errs.Wrap(err, "case department")
	}
	_, err := tx.exec(`UPDATE case_clock SET department = ? WHERE case_id = ? AND handling_org = ?`, department, caseID, handling)
	return errs.Wrap(err, "case clock department")
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

// HandoverQuery asks for one page of the hand-overs a subtree received (Incoming) or made.
type HandoverQuery struct {
	Path     string
	Incoming bool
	Q        string // matched against the case number, item, bodies and applicant
	State    joint.HandoverState
	After    string
	Limit    int
}

// HandoverPage is one page of hand-overs, newest first, and the cursor of the next.
type HandoverPage struct {
	List []joint.Handover
	Next string
}

// SearchHandovers finds one page of hand-overs (keyset on the id, which grows with time).
func (db *DB) SearchHandovers(ctx context.Context, q HandoverQuery) (HandoverPage, error) {
	var page HandoverPage
	col := "from_path"
	if q.Incoming {
		col = "to_path"
	}
	lo, hi := subtreeRange(q.Path)
	where := ` WHERE ` + col + ` >= ? AND ` + col + ` < ?`
	args := []any{lo, hi}
	if q.Q != "" {
		where += ` AND search LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(strings.ToLower(q.Q))+"%")
	}
	if q.State != "" {
		where += ` AND state = ?`
		args = append(args, string(q.State))
	}
	if q.After != "" {
		cur, err := parseCursor(q.After, false)
		if err != nil {
			return page, err
		}
		where += ` AND id < ?`
		args = append(args, cur.ID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	list, err := collectHandovers(db.query(ctx, `SELECT doc FROM case_handovers`+where+` ORDER BY id DESC LIMIT ?`, append(args, limit+1)...))
	if err != nil {
		return page, err
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = cursor{ID: list[len(list)-1].ID}.String()
	}
	page.List = list
	return page, nil
}

// fillHandoverSearch gives the hand-overs made before migration 065 their search text (run once, when it is
// applied).
func (db *DB) fillHandoverSearch(ctx context.Context) error {
	rows, err := db.query(ctx, `SELECT h.doc, coalesce(a.name, '') FROM case_handovers h JOIN cases c ON c.id = h.case_id LEFT JOIN applicants a ON a.id = c.applicant_id WHERE h.search = ''`)
	type row struct {
		h    joint.Handover
		name string
	}
	list, err := collect(rows, err, func(r interface{ Scan(...any) error }) (row, error) {
		var x row
		var doc string
		if err := r.Scan(&doc, &x.name); err != nil {
			return x, err
		}
		return x, json.Unmarshal([]byte(doc), &x.h)
	})
	if err != nil || len(list) == 0 {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, x := range list {
			if _, err := tx.exec(`UPDATE case_handovers SET search = ? WHERE id = ?`, handoverSearch(x.h, x.name), x.h.ID); err != nil {
				return errs.Wrap(err, "handover search")
			}
		}
		return nil
	})
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
