package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Audit appends one entry to the trail inside the transaction that makes the change, so that a change and
// its entry are committed or lost together. before and after are kept as JSON of the fields that changed
// (audit.Changes); nil means "none", and keeps the other side whole.
func (tx *Tx) Audit(actor access.Actor, action, entity, entityID, orgID string, before, after any) error {
	b, a := audit.Changes(before, after)
	head, keyedFrom, err := tx.auditHead(1)
	if err != nil {
		return err
	}
	e := audit.Entry{
		ID: ids.New(), At: tx.now, ActorID: actor.ID, ActorName: actor.Name, OrgID: orgID,
		Action: action, Entity: entity, EntityID: entityID,
		Before: b, After: a,
	}
	if head.Seq == 0 {
		e.SealKeyed(nil, tx.db.AuditKey, keyedFrom)
	} else {
		e.SealKeyed(&head, tx.db.AuditKey, keyedFrom)
	}
	if _, err := tx.exec(`INSERT INTO audit_log (seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.ID, e.At, e.ActorID, e.ActorName, e.OrgID, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return errs.Wrap(err, "audit insert")
	}
	if _, err := tx.exec(`UPDATE audit_head SET seq = ?, hash = ?, keyed_from = ? WHERE id = 1`, e.Seq, e.Hash, keyedFrom); err != nil {
		return errs.Wrap(err, "audit head update")
	}
	tx.linkRequest(e)
	return nil
}

// auditHead locks and reads the chain's head, and says from which entry the chain is keyed. With a key and
// a chain not keyed yet, the chain turns keyed at the next entry (next: the number of entries about to be
// appended is at least one). Without a key, a keyed chain cannot be continued.
func (tx *Tx) auditHead(next int64) (audit.Entry, int64, error) {
	var head audit.Entry
	var keyedFrom int64
	// Locking the head row serialises appends on PostgreSQL, which keeps the chain a single line.
	err := tx.queryRow(`SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1`+tx.d.forUpdate).Scan(&head.Seq, &head.Hash, &keyedFrom)
	if err != nil {
		return head, 0, errs.Wrap(err, "audit head")
	}
	switch {
	case len(tx.db.AuditKey) > 0 && keyedFrom == 0:
		keyedFrom = head.Seq + next
	case len(tx.db.AuditKey) == 0 && keyedFrom > 0:
		return head, 0, errs.Wrap(audit.ErrNoKey, "audit append")
	}
	return head, keyedFrom, nil
}

// KeyChain turns the chain keyed from its next entry on (when a key is set and it is not keyed yet) and
// returns the entry it is keyed from. Bianmin calls it at start, then publishes a checkpoint recording it.
func (db *DB) KeyChain(ctx context.Context) (int64, error) {
	var from int64
	err := db.Write(ctx, func(tx *Tx) error {
		_, k, err := tx.auditHead(1)
		if err != nil {
			return err
		}
		from = k
		_, err = tx.exec(`UPDATE audit_head SET keyed_from = ? WHERE id = 1 AND keyed_from = 0`, k)
		return errs.Wrap(err, "audit head")
	})
	return from, err
}

const auditCols = `seq, chain, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash`

func scanAudit(rows interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := rows.Scan(&e.Seq, &e.Chain, &e.ID, &e.At, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = audit.Time(e.At)
	return e, err
}

// AuditHead is the chain's head as the database records it.
type AuditHead struct {
	Seq       int64
	Hash      string
	KeyedFrom int64
}

// AuditHead reads the chain's head.
func (db *DB) AuditHead(ctx context.Context) (AuditHead, error) { return db.auditHeadRow(ctx) }

func (db *DB) auditHeadRow(ctx context.Context) (AuditHead, error) {
	var h AuditHead
	err := db.queryRow(ctx, `SELECT seq, hash, keyed_from FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.KeyedFrom)
	return h, errs.Wrap(err, "audit head")
}

// VerifyAudit walks the whole trail in order and checks the chain and its head, keyed hashes under
// AuditKey, and the trail against the newest signed checkpoint in CheckpointFile (when there is one). It
// returns the number of entries checked and, when the chain is broken, an *audit.Break naming the first
// broken entry.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	cp, err := db.latestCheckpoint()
	if err != nil {
		return 0, err
	}
	return db.verifyAudit(ctx, cp, false)
}

func (db *DB) latestCheckpoint() (*audit.Checkpoint, error) {
	if db.CheckpointFile == "" {
		return nil, nil
	}
	if len(db.AuditKey) == 0 {
		return nil, audit.ErrNoKey
	}
	return audit.LatestCheckpoint(db.CheckpointFile, audit.MainChain, db.AuditKey)
}

// verifyAudit checks the trail; fromCheckpoint reads only the entries after cp (whose own entry is checked
// to carry cp's hash), which is what a new checkpoint needs.
func (db *DB) verifyAudit(ctx context.Context, cp *audit.Checkpoint, fromCheckpoint bool) (int64, error) {
	head, err := db.auditHeadRow(ctx)
	if err != nil {
		return 0, err
	}
	v := audit.Verifier{Key: db.AuditKey, KeyedFrom: head.KeyedFrom}
	if cp != nil && cp.KeyedFrom > 0 {
		// The checkpoint, not the database, says where the keyed chain begins: a head whose keyed_from was
		// moved (to pass rewritten entries off as written before the key) is caught here.
		if head.KeyedFrom != cp.KeyedFrom {
			return 0, &audit.Break{Seq: cp.KeyedFrom, ID: "head", Reason: fmt.Sprintf("the head says the chain is keyed from entry %d; the signed checkpoint of %s says from %d",
				head.KeyedFrom, cp.At.Format(time.RFC3339), cp.KeyedFrom)}
		}
	}
	var after int64
	var atCheckpoint string
	if cp != nil && fromCheckpoint && cp.Seq > 0 {
		after = cp.Seq - 1
	}
	upTo := head.Seq
	if cp != nil {
		upTo = max(upTo, cp.Seq)
	}
	var last audit.Entry
	for {
		// Pages by seq keep memory flat however long the trail is. Entries appended after the head was read
		// are left for the next check (the head is read first: what it records was committed with it).
		rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 5000`, after, upTo)
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
			if cp != nil && fromCheckpoint && e.Seq == cp.Seq && v.Count == 0 {
				// the checkpoint's own entry: it must be the one signed, unchanged since, and the chain goes on
				// from it
				if e.Hash != e.Want(db.AuditKey, head.KeyedFrom) {
					rows.Close()
					return v.Count, &audit.Break{Seq: e.Seq, ID: e.ID, Reason: "the entry of the newest checkpoint was changed since it was signed"}
				}
				atCheckpoint = e.Hash
				v.StartAfter(cp.Seq, cp.Hash)
			} else if err := v.Next(e); err != nil {
				rows.Close()
				return v.Count, err
			}
			if cp != nil && e.Seq == cp.Seq {
				atCheckpoint = e.Hash
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
	if cp != nil && cp.Seq > 0 {
		switch {
		case last.Seq < cp.Seq:
			return v.Count, &audit.Break{Seq: last.Seq + 1, ID: "checkpoint", Reason: fmt.Sprintf("the signed checkpoint of %s records %d entries; the trail holds %d: entries were removed (and the head rolled back)",
				cp.At.Format(time.RFC3339), cp.Seq, last.Seq)}
		case atCheckpoint != cp.Hash:
			return v.Count, &audit.Break{Seq: cp.Seq, ID: "checkpoint", Reason: fmt.Sprintf("entry %d is not the one the signed checkpoint of %s recorded: the trail was rewritten", cp.Seq, cp.At.Format(time.RFC3339))}
		}
	}
	if head.Seq != last.Seq || (head.Seq > 0 && head.Hash != last.Hash) {
		return v.Count, &audit.Break{Seq: head.Seq, ID: "head", Reason: "the newest entries are missing: the head records a later entry than the trail holds"}
	}
	return v.Count, nil
}

// WriteCheckpoint checks the entries written since the newest checkpoint (all of them when there is
// none), then appends a checkpoint of the head, signed with AuditKey, to CheckpointFile. A trail that does
// not verify is not signed: the error says where it breaks.
func (db *DB) WriteCheckpoint(ctx context.Context) (audit.Checkpoint, error) {
	if db.CheckpointFile == "" || len(db.AuditKey) == 0 {
		return audit.Checkpoint{}, errors.New("audit checkpoint: no checkpoint file or no audit key")
	}
	cp, err := db.latestCheckpoint()
	if err != nil {
		return audit.Checkpoint{}, err
	}
	if _, err := db.verifyAudit(ctx, cp, true); err != nil {
		return audit.Checkpoint{}, err
	}
	head, err := db.auditHeadRow(ctx)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	c := audit.Checkpoint{Chain: audit.MainChain, Seq: head.Seq, Hash: head.Hash, KeyedFrom: head.KeyedFrom, At: db.Now()}
	c.Sign(db.AuditKey)
	return c, audit.AppendCheckpoint(db.CheckpointFile, c)
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
