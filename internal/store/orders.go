package store

import (
	"context"
	"database/sql"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/oversight"
)

// Orders of supervision (督办, 催办): see internal/oversight and migration 024.

const orderCols = `o.id, o.kind, o.case_id, o.case_no, o.org_id, g.name_zh, g.name_mn, o.org_path, o.staff_id, o.content, o.issued_by, o.issuer_name, o.issued_at,
	o.due_on, o.answer, o.answered_by, o.answerer_name, o.answered_at`

const orderFrom = ` FROM orders o JOIN orgs g ON g.id = o.org_id`

func scanOrder(row interface{ Scan(...any) error }) (oversight.Order, error) {
	return scanOrderWith(row)
}

// scanOrderWith scans an order and the columns selected after orderCols into extra.
func scanOrderWith(row interface{ Scan(...any) error }, extra ...any) (oversight.Order, error) {
	var o oversight.Order
	var due int
	var at sql.NullTime
	err := row.Scan(append([]any{&o.ID, &o.Kind, &o.CaseID, &o.CaseNo, &o.OrgID, &o.OrgName, &o.OrgNameMn, &o.OrgPath, &o.StaffID, &o.Content, &o.IssuedBy, &o.IssuerName,
		&o.IssuedAt, &due, &o.Answer, &o.AnsweredBy, &o.AnswererName, &at}, extra...)...)
	o.Due = clock.DateFromInt(due)
	if at.Valid {
		o.AnsweredAt = at.Time
	}
	return o, err
}

// CreateOrder stores an order addressed to the organisation at orgPath, with its audit entry.
func (tx *Tx) CreateOrder(actor access.Actor, o *oversight.Order) error {
	o.ID, o.IssuedBy, o.IssuerName, o.IssuedAt = ids.New(), actor.ID, actor.Name, tx.now
	if _, err := tx.exec(`INSERT INTO orders (id, kind, case_id, case_no, org_id, org_path, staff_id, content, issued_by, issuer_name, issued_at, due_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, string(o.Kind), o.CaseID, o.CaseNo, o.OrgID, o.OrgPath, o.StaffID, o.Content,
		o.IssuedBy, o.IssuerName, o.IssuedAt, o.Due.Int()); err != nil {
		return errs.Wrap(err, "insert order")
	}
	return tx.Audit(actor, "order.issue", "order", o.ID, o.OrgID, nil, o)
}

// AnswerOrder records the answer once: an order answered meanwhile is a conflict, and nothing is written.
func (tx *Tx) AnswerOrder(actor access.Actor, before oversight.Order, answer string) (oversight.Order, error) {
	after := before
	after.Answer, after.AnsweredBy, after.AnswererName, after.AnsweredAt = answer, actor.ID, actor.Name, tx.now
	res, err := tx.exec(`UPDATE orders SET answer = ?, answered_by = ?, answerer_name = ?, answered_at = ?, is_open = 0 WHERE id = ? AND is_open = 1`,
		answer, actor.ID, actor.Name, tx.now, before.ID)
	if err != nil {
		return before, errs.Wrap(err, "answer order")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return before, errs.New(errs.Conflict, "err.order.answered")
	}
	return after, tx.Audit(actor, "order.answer", "order", before.ID, before.OrgID, before, after)
}

// Order reads one order.
func (db *DB) Order(ctx context.Context, id string) (oversight.Order, error) {
	o, err := scanOrder(db.queryRow(ctx, `SELECT `+orderCols+orderFrom+` WHERE o.id = ?`, id))
	return o, notFound(err, "order")
}

// OrderQuery is a list of orders: those addressed within a subtree (or to one person), open or all,
// newest first by keyset.
type OrderQuery struct {
	Root     string // the addressed organisations' subtree (a path); "" with All for everything
	All      bool
	Staff    string // or: addressed to this person, wherever
	Case     string // or: about this case
	Open     bool   // only those waiting for an answer
	DueFirst bool   // the nearest due first (one page: the queue's), else newest first
	After    string // newest first: the last id of the page before
	Limit    int
}

// Orders lists orders, newest first (ids sort by when they were made: internal/ids) by keyset, or one page of the nearest due first.
func (db *DB) Orders(ctx context.Context, q OrderQuery) ([]oversight.Order, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	switch {
	case q.Case != "":
		where, args = ` WHERE o.case_id = ?`, append(args, q.Case)
	case q.Staff != "" && q.Root != "":
		lo, hi := subtreeRange(q.Root)
		where, args = ` WHERE ((o.org_path >= ? AND o.org_path < ?) OR o.staff_id = ?)`, append(args, lo, hi, q.Staff)
	case q.Staff != "":
		where, args = ` WHERE o.staff_id = ?`, append(args, q.Staff)
	case !q.All:
		lo, hi := subtreeRange(q.Root)
		where, args = ` WHERE o.org_path >= ? AND o.org_path < ?`, append(args, lo, hi)
	}
	order := ` ORDER BY o.id DESC`
	if q.Open {
		where += ` AND o.is_open = 1`
	}
	if q.DueFirst {
		order = ` ORDER BY o.due_on, o.id`
	} else if q.After != "" {
		where += ` AND o.id < ?`
		args = append(args, q.After)
	}
	rows, err := db.query(ctx, `SELECT `+orderCols+orderFrom+where+order+` LIMIT ?`, append(args, q.Limit)...)
	list, err := collect(rows, err, scanOrder)
	return list, errs.Wrap(err, "orders")
}

// AskingCases are the open cases of a subtree (or, for a department, of its items) whose extension request
// waits for a head's approval, oldest first, at most limit: the director's queue lists them whatever page
// of the queue is shown.
func (db *DB) AskingCases(ctx context.Context, q CaseQuery, limit int) ([]cases.Case, error) {
	var where string
	var args []any
	if !q.All {
		if db.d.dollar && q.Root != "" {
			ids, err := db.orgIDsUnder(ctx, q.Root)
			if err != nil {
				return nil, err
			}
			q.rootIDs = append(ids, "")
		}
		scope, sargs := q.scope(db.d, "k.", false)
		where += " AND " + scope
		args = append(args, sargs...)
	}
	return db.queryCases(ctx, askingCases+where+` ORDER BY k.case_id LIMIT ?`, append(args, limit)...)
}

// askingCases reads the cases asking for more days on case_clock_asks, which holds only those (migration 095;
// TestClockIndexesServeTheirQueries).
const askingCases = `SELECT ` + caseCols + ` FROM case_clock k JOIN cases c ON c.id = k.case_id WHERE k.asks = 'extension'`
