package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Handoff is a transfer list (移交清单): the paper originals of 通办 cases, sent from the receiving township
// to the handling one, marked sent by the one and received by the other.
type Handoff struct {
	ID, No         string
	From, To       string // townships
	Sent           time.Time
	SentBy         string
	SentByName     string
	Received       time.Time // zero until received
	ReceivedBy     string
	ReceivedByName string
	Cases          []HandoffCase
}

// HandoffCase is one case on a list as it was listed.
type HandoffCase struct {
	CaseID     string   `json:"case_id"`
	No         string   `json:"no"`
	ItemName   string   `json:"item_name"`
	ItemNameMn string   `json:"item_name_mn,omitempty"`
	Originals  []string `json:"originals"`
}

// Originals counts the papers on the list.
func (h Handoff) Originals() int {
	n := 0
	for _, c := range h.Cases {
		n += len(c.Originals)
	}
	return n
}

// pendingOriginals selects the cases received in a subtree (the receiving township and its villages) and
// handled by another township, past acceptance, on no list yet. The caller keeps those with originals.
const pendingOriginals = `SELECT ` + caseCols + ` FROM cases c JOIN orgs r ON r.id = c.receiving_org
	WHERE r.path >= ? AND r.path < ? AND c.handling_org <> ? AND (? = '' OR c.handling_org = ?)
	AND c.state IN ('accepted', 'suspended', 'decided', 'issued', 'delivered')
	AND NOT EXISTS (SELECT 1 FROM handoff_cases h WHERE h.case_id = c.id)
	ORDER BY c.handling_org, c.case_no`

// PendingOriginals lists the cases whose originals wait to be sent from a township (path and id), to one
// handling township or (to "") to any.
func (db *DB) PendingOriginals(ctx context.Context, fromPath, fromID, to string) ([]cases.Case, error) {
	lo, hi := subtreeRange(fromPath)
	return db.queryCases(ctx, pendingOriginals, lo, hi, fromID, to, to)
}

// PendingOriginals is the same list read inside a transaction, so that what is sent is what is still
// pending.
func (tx *Tx) PendingOriginals(fromPath, fromID, to string) ([]cases.Case, error) {
	lo, hi := subtreeRange(fromPath)
	return tx.queryCases(pendingOriginals, lo, hi, fromID, to, to)
}

// CreateHandoff numbers a list (the sending township's prefix, 移交, the year, a serial), stores it with its
// cases and writes its audit entry. A case already on another list makes it fail with a conflict.
func (tx *Tx) CreateHandoff(actor access.Actor, h *Handoff, prefix string, year int) error {
	_, no, err := tx.Take(HandoffSeries(prefix, year))
	if err != nil {
		return err
	}
	h.ID, h.No, h.Sent, h.SentBy, h.SentByName = ids.New(), no, tx.now, actor.ID, actor.Name
	if _, err := tx.exec(`INSERT INTO handoffs (id, list_no, from_org, to_org, sent_at, sent_by, sent_by_name) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		h.ID, h.No, h.From, h.To, h.Sent, h.SentBy, h.SentByName); err != nil {
		return errs.Wrap(err, "insert handoff")
	}
	for _, c := range h.Cases {
		doc, _ := json.Marshal(c)
		_, err := tx.exec(`INSERT INTO handoff_cases (case_id, handoff_id, doc) VALUES (?, ?, ?)`, c.CaseID, h.ID, string(doc))
		if tx.d.isUnique(err) {
			return errs.New(errs.Conflict, "err.conflict")
		}
		if err != nil {
			return errs.Wrap(err, "insert handoff case")
		}
	}
	return tx.Audit(actor, "handoff.send", "handoff", h.ID, h.From, nil, h)
}

// ReceiveHandoff marks a list received, once: it reports false, and writes nothing, when it already was.
func (tx *Tx) ReceiveHandoff(actor access.Actor, before Handoff) (Handoff, bool, error) {
	after := before
	after.Received, after.ReceivedBy, after.ReceivedByName = tx.now, actor.ID, actor.Name
	if ok, err := tx.markReceived("handoffs", before.ID, actor); !ok || err != nil {
		return before, false, err
	}
	return after, true, tx.Audit(actor, "handoff.receive", "handoff", before.ID, before.To, before, after)
}

// markReceived sets a list's received mark (通办 originals, a station's lists), once: false, and nothing
// written, when it already was. table is one of the lists' own tables, never typed by anyone.
func (tx *Tx) markReceived(table, id string, actor access.Actor) (bool, error) {
	res, err := tx.exec(`UPDATE `+table+` SET received_at = ?, received_by = ?, received_by_name = ? WHERE id = ? AND received_at IS NULL`,
		tx.now, actor.ID, actor.Name, id)
	if err != nil {
		return false, errs.Wrap(err, "receive "+table)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

const handoffCols = `id, list_no, from_org, to_org, sent_at, sent_by, sent_by_name, received_at, received_by, received_by_name`

func scanHandoff(row interface{ Scan(...any) error }) (Handoff, error) {
	var h Handoff
	var rec sql.NullTime
	err := row.Scan(&h.ID, &h.No, &h.From, &h.To, &h.Sent, &h.SentBy, &h.SentByName, &rec, &h.ReceivedBy, &h.ReceivedByName)
	if rec.Valid {
		h.Received = rec.Time
	}
	return h, err
}

// Handoff reads one list with its cases.
func (db *DB) Handoff(ctx context.Context, id string) (Handoff, error) {
	h, err := scanHandoff(db.queryRow(ctx, `SELECT `+handoffCols+` FROM handoffs WHERE id = ?`, id))
	if err != nil {
		return h, notFound(err, "handoff")
	}
	rows, err := db.query(ctx, `SELECT doc FROM handoff_cases WHERE handoff_id = ?`, id)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		var c HandoffCase
		if err := rows.Scan(&doc); err != nil {
			return h, err
		}
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return h, err
		}
		h.Cases = append(h.Cases, c)
	}
	slices.SortFunc(h.Cases, func(a, b HandoffCase) int { return strings.Compare(a.No, b.No) })
	return h, rows.Err()
}

// HandoffOfCase finds the list a case's originals travelled on, nil when they have not.
func (db *DB) HandoffOfCase(ctx context.Context, caseID string) (*Handoff, error) {
	h, err := scanHandoff(db.queryRow(ctx, `SELECT `+handoffCols+` FROM handoffs JOIN handoff_cases ON handoff_id = id WHERE case_id = ?`, caseID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "handoff of case")
	}
	return &h, nil
}

// Handoffs lists the latest lists sent from (or, with incoming, to) a township, newest first, with their
// cases.
func (db *DB) Handoffs(ctx context.Context, orgID string, incoming bool, after string, limit int) ([]Handoff, error) {
	col := "from_org"
	if incoming {
		col = "to_org"
	}
	// newest first by keyset: ids sort in the order the lists were made; after "" is the first page
	// ("~" sorts after every id)
	if after == "" {
		after = "~"
	}
	latest := `SELECT ` + handoffCols + ` FROM handoffs WHERE ` + col + ` = ? AND id < ? ORDER BY id DESC LIMIT ?`
	rows, err := db.query(ctx, latest, orgID, after, limit)
	if err != nil {
		return nil, err
	}
	var out []Handoff
	at := map[string]int{}
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		at[h.ID] = len(out)
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = db.query(ctx, `SELECT handoff_id, doc FROM handoff_cases WHERE handoff_id IN (SELECT id FROM (`+latest+`) l)`, orgID, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, doc string
		var c HandoffCase
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Cases = append(out[i].Cases, c)
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Cases, func(a, b HandoffCase) int { return strings.Compare(a.No, b.No) })
	}
	return out, rows.Err()
}
