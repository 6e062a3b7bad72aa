package store

import (
	"context"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Audit appends one entry to the trail inside the transaction that makes the change, so that a change and
// its entry are committed or lost together. before and after are snapshotted as JSON; nil means "none".
func (tx *Tx) Audit(actor access.Actor, action, entity, entityID, orgID string, before, after any) error {
	var head audit.Entry
	// Locking the head row serialises appends on PostgreSQL, which keeps the chain a single line.
	err := tx.queryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`+tx.d.forUpdate).Scan(&head.Seq, &head.Hash)
	if err != nil {
		return errs.Wrap(err, "audit head")
	}
	e := audit.Entry{
		ID: ids.New(), At: tx.now, ActorID: actor.ID, ActorName: actor.Name, OrgID: orgID,
		Action: action, Entity: entity, EntityID: entityID,
		Before: audit.Snapshot(before), After: audit.Snapshot(after),
	}
	if head.Seq == 0 {
		e.Seal(nil)
	} else {
		e.Seal(&head)
	}
	if _, err := tx.exec(`INSERT INTO audit_log (seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.ID, e.At, e.ActorID, e.ActorName, e.OrgID, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return errs.Wrap(err, "audit insert")
	}
	if _, err := tx.exec(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return errs.Wrap(err, "audit head update")
	}
	tx.linkRequest(e)
	return nil
}

const auditCols = `seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash`

func scanAudit(rows interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.Seq, &e.ID, &e.At, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = audit.Time(e.At)
	return e, err
}

// VerifyAudit walks the whole trail in order and checks the chain and its head. It returns the number of
// entries checked and, when the chain is broken, an *audit.Break naming the first broken entry.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	var v audit.Verifier
	// Pages by seq keep memory flat however long the trail is.
	var after int64
	var last audit.Entry
	for {
		rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000`, after)
		if err != nil {
			return v.Count, err
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return v.Count, err
			}
			if err := v.Next(e); err != nil {
				rows.Close()
				return v.Count, err
			}
			after, last = e.Seq, e
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v.Count, err
		}
		if n == 0 {
			break
		}
	}
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return v.Count, err
	}
	if headSeq != last.Seq || (headSeq > 0 && headHash != last.Hash) {
		return v.Count, &audit.Break{Seq: headSeq, ID: "head", Reason: "the newest entries are missing: the head records a later entry than the trail holds"}
	}
	return v.Count, nil
}

// AuditOf lists the trail of one entity, newest first.
func (db *DB) AuditOf(ctx context.Context, entity, entityID string, limit int) ([]audit.Entry, error) {
	rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?`, entity, entityID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
