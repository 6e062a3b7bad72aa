package store

import (
	"context"
	"encoding/json"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Proposals of delegations (issue 14; migration 069): the delegation records a catalog import brought, one
// row each, waiting for their department to confirm or refuse them (internal/delegation/proposal.go).

func proposalSearch(p delegation.Proposal) string {
	parts := []string{p.ItemName, p.DeptName, p.DocNo, p.Source, p.Note}
	for _, t := range p.Townships {
		parts = append(parts, t.Name)
	}
	return strings.ToLower(strings.Join(parts, "\n"))
}

// CreateProposals stores the proposals of one import, each proposed by the importer, with an audit entry
// each in its department's name.
func (tx *Tx) CreateProposals(actor access.Actor, ps []delegation.Proposal) error {
	for i := range ps {
		p := &ps[i]
		p.ID, p.State, p.CreatedBy, p.CreatedName, p.CreatedAt, p.Version, p.ItemStatus = ids.New(), delegation.Proposed, actor.ID, actor.Name, tx.now, 1, ""
		doc, _ := json.Marshal(p)
		if _, err := tx.exec(`INSERT INTO delegation_proposals (id, dept_id, dept_path, item_id, state, created_at, version, search, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.DeptID, p.DeptPath, p.ItemID, p.State, tx.now, p.Version, proposalSearch(*p), string(doc)); err != nil {
			return errs.Wrap(err, "insert delegation proposal")
		}
		if err := tx.Audit(actor, "delegation.propose", "delegation_proposal", p.ID, p.DeptID, nil, p); err != nil {
			return err
		}
	}
	return nil
}

// SaveProposal stores a decided proposal if nobody decided or changed it since before was read: of two
// confirmations of one proposal, one changes it and the other gets a conflict (and its transaction, with the
// delegation it made, rolls back).
func (tx *Tx) SaveProposal(actor access.Actor, before, after delegation.Proposal, action string) (delegation.Proposal, error) {
	after.Version, after.ItemStatus = before.Version+1, "" // the item's status is read with a list, never kept
	doc, _ := json.Marshal(after)
	if err := updated(tx.exec(`UPDATE delegation_proposals SET state = ?, version = ?, search = ?, doc = ? WHERE id = ? AND version = ?`,
		after.State, after.Version, proposalSearch(after), string(doc), before.ID, before.Version)); err != nil {
		return before, err
	}
	return after, tx.Audit(actor, action, "delegation_proposal", before.ID, before.DeptID, before, after)
}

// Proposal reads one proposal.
func (db *DB) Proposal(ctx context.Context, id string) (delegation.Proposal, error) {
	var p delegation.Proposal
	return p, readDoc(db.queryRow(ctx, `SELECT doc FROM delegation_proposals WHERE id = ?`, id), "delegation_proposal", &p)
}

// ProposalQuery is a list of proposals: of the departments within Dept (a path), or all; in one state or
// any; of one item or any; matching Text (item, department, document number, townships, the file); newest
// first by keyset (After: the last id of the page before).
type ProposalQuery struct {
	Dept  string
	All   bool
	State delegation.ProposalState
	Item  string
	Text  string
	After string
	Limit int
}

// Proposals lists proposals, newest first.
func (db *DB) Proposals(ctx context.Context, q ProposalQuery) ([]delegation.Proposal, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	switch {
	case q.All:
	case q.Dept != "":
		lo, hi := subtreeRange(q.Dept)
		where, args = where+` AND dept_path >= ? AND dept_path < ?`, append(args, lo, hi)
	default:
		return nil, nil
	}
	if q.State != "" {
		where, args = where+` AND state = ?`, append(args, q.State)
	}
	if q.Item != "" {
		where, args = where+` AND item_id = ?`, append(args, q.Item)
	}
	if q.Text != "" {
		where, args = where+` AND search LIKE ? ESCAPE '\'`, append(args, "%"+likeEscape(strings.ToLower(q.Text))+"%")
	}
	if q.After != "" {
		where, args = where+` AND id < ?`, append(args, q.After)
	}
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	return readDocs[delegation.Proposal](db.query(ctx, `SELECT doc FROM delegation_proposals`+where+` ORDER BY id DESC LIMIT ?`, append(args, q.Limit)...))
}

// ItemStatuses reads where each item stands for a delegation: published while it has a published version
// (a newer draft beside it changes nothing), else its latest version's status (draft, review, retired); one
// query for a page of proposals.
func (db *DB) ItemStatuses(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT i.id, i.published, v.status FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.latest WHERE i.id IN (`+marks(len(ids))+`)`, strs(ids)...)
	if err != nil {
		return nil, errs.Wrap(err, "item statuses")
	}
	defer rows.Close()
	for rows.Next() {
		var id, st string
		var published int
		if err := rows.Scan(&id, &published, &st); err != nil {
			return nil, errs.Wrap(err, "item statuses")
		}
		if published > 0 {
			st = string(catalog.Published)
		}
		out[id] = st
	}
	return out, errs.Wrap(rows.Err(), "item statuses")
}
