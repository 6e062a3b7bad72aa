package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// The cards of hand-overs (转办) and complaints (投诉), as the sweep turns them (migration 064): the card
// column is what was last turned and told; the rule that turns it is the domain's (joint.Handover.Card,
// complaint.Complaint.Card).

// HandoverCard is a waiting hand-over with its stored card and the receiving body's path.
type HandoverCard struct {
	joint.Handover
	Card   string
	ToPath string
}

// PendingHandoverCards lists every hand-over waiting for its answer (a handful: one per case at most).
func (db *DB) PendingHandoverCards(ctx context.Context) ([]HandoverCard, error) {
	rows, err := db.query(ctx, `SELECT doc, card, to_path FROM case_handovers WHERE state = 'pending' ORDER BY id`)
	return collect(rows, errs.Wrap(err, "pending handovers"), func(r interface{ Scan(...any) error }) (HandoverCard, error) {
		var h HandoverCard
		var doc string
		if err := r.Scan(&doc, &h.Card, &h.ToPath); err != nil {
			return h, err
		}
		return h, json.Unmarshal([]byte(doc), &h.Handover)
	})
}

// ComplaintCard is an open complaint with its stored card and the responsible body's path.
type ComplaintCard struct {
	complaint.Complaint
	Card string
	Path string
}

// OpenComplaintCards lists every complaint waiting for its answer.
func (db *DB) OpenComplaintCards(ctx context.Context) ([]ComplaintCard, error) {
	rows, err := db.query(ctx, `SELECT doc, card, responsible_path FROM complaints WHERE state = 'open' ORDER BY id`)
	return collect(rows, errs.Wrap(err, "open complaints"), func(r interface{ Scan(...any) error }) (ComplaintCard, error) {
		var c ComplaintCard
		var doc string
		if err := r.Scan(&doc, &c.Card, &c.Path); err != nil {
			return c, err
		}
		return c, json.Unmarshal([]byte(doc), &c.Complaint)
	})
}

// cardTables are the tables whose rows carry a swept card, by the audit's entity name.
var cardTables = map[string]string{"handover": "case_handovers", "complaint": "complaints"}

// TurnCard moves a hand-over's or a complaint's card from the card it was read with to the next, with its
// audit entry and the messages that tell the staff who answer, together; false (nothing written) when the
// card is no longer the one read (another sweep turned it, or it was answered), so that a turn is told once.
func (tx *Tx) TurnCard(actor access.Actor, entity, id, orgID, from, to string, msgs []Message) (bool, error) {
	res, err := tx.exec(`UPDATE `+cardTables[entity]+` SET card = ? WHERE id = ? AND card = ? AND state IN ('pending', 'open')`, to, id, from)
	if err != nil {
		return false, errs.Wrap(err, "turn card")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	for _, m := range msgs {
		if err := tx.Enqueue(m); err != nil {
			return false, err
		}
	}
	return true, tx.Audit(actor, entity+".card", entity, id, orgID, map[string]string{"card": from}, map[string]string{"card": to})
}

// JointCardCounts counts the yellow and red cards standing now on the hand-overs a subtree was asked to take
// and the complaints it answers (keys "handover.red", "complaint.yellow" ...), those answered late included.
func (db *DB) JointCardCounts(ctx context.Context, path string) (map[string]int, error) {
	lo, hi := subtreeRange(path)
	h, err := db.countsBy(ctx, "handover cards", `SELECT card, count(*) FROM case_handovers WHERE to_path >= ? AND to_path < ? AND card <> '' AND state = 'pending' GROUP BY card`, lo, hi)
	if err != nil {
		return nil, err
	}
	c, err := db.countsBy(ctx, "complaint cards", `SELECT card, count(*) FROM complaints WHERE responsible_path >= ? AND responsible_path < ? AND card <> '' AND state = 'open' GROUP BY card`, lo, hi)
	out := map[string]int{"handover.yellow": 0, "handover.red": 0, "complaint.yellow": 0, "complaint.red": 0} // zeros shown too
	for k, n := range h {
		out["handover."+k] = n
	}
	for k, n := range c {
		out["complaint."+k] = n
	}
	return out, err
}

// lateCard is the card an answer leaves on the record: red when it came after the due day (it stays, as a
// case's red card does), else the card it had.
func lateCard(late bool) sql.NullString {
	return sql.NullString{String: "red", Valid: late}
}

// setAwaits writes who a case waits for at its joint step (migration 065), replacing what it waited for; a
// case with no joint step has nothing to write or clear.
func (tx *Tx) setAwaits(c cases.Case) error {
	if !c.Joint() {
		return nil
	}
	if _, err := tx.exec(`DELETE FROM case_awaits WHERE case_id = ?`, c.ID); err != nil {
		return errs.Wrap(err, "case awaits")
	}
	for _, a := range c.Awaits() {
		if _, err := tx.exec(`INSERT INTO case_awaits (case_id, org_id, org_path, role) SELECT ?, id, path, ? FROM orgs WHERE id = ?
			ON CONFLICT (case_id, org_id, role) DO NOTHING`, c.ID, a.Role, a.Org); err != nil {
			return errs.Wrap(err, "case awaits")
		}
	}
	return nil
}

// AwaitingCases lists the open cases waiting for an answer from an organisation of a subtree (its body's
// opinion, or a signature of the given role), oldest first: the desk of a parallel step's body, or of a
// countersigner, whether or not the item is its department's.
func (db *DB) AwaitingCases(ctx context.Context, path, role string, limit int) ([]cases.Case, error) {
	lo, hi := subtreeRange(path)
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE c.id IN (SELECT a.case_id FROM case_awaits a WHERE a.org_path >= ? AND a.org_path < ? AND (a.role = '' OR a.role = ?))
		ORDER BY c.received_at, c.id LIMIT ?`, lo, hi, role, limit)
}

// fillAwaits writes the awaits of the cases accepted before migration 065 (run once, when it is applied).
func (db *DB) fillAwaits(ctx context.Context) error {
	list, err := db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE state = 'accepted'`)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, c := range list {
			if err := tx.setAwaits(c); err != nil {
				return err
			}
		}
		return nil
	})
}
