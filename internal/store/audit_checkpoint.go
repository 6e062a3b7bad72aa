package store

import (
	"context"
	"database/sql"

	"bianmin/internal/audit"
	"bianmin/internal/errs"
)

// AuditCheck is what an incremental verification of the trail found.
type AuditCheck struct {
	Count int64 // entries in the intact chain
	From  int64 // entries taken as verified from the checkpoint (0: the whole chain was walked)
}

// VerifyAuditSince checks the trail from its last verified prefix on (the audit page): the checkpoint keeps
// the prefix's count and its last entry's seq and hash. That entry is read and checked again (its content
// must still match its hash, and the hash the one recorded), so that the new entries link to what was
// verified; then only the entries after it are walked, and the head is checked as VerifyAudit does. An
// intact chain moves the checkpoint forward. Entries inside the prefix are protected by the database
// (audit_log refuses UPDATE and DELETE); a check from scratch stays `bianmin audit verify` (VerifyAudit).
func (db *DB) VerifyAuditSince(ctx context.Context) (AuditCheck, error) {
	var res AuditCheck
	var cpSeq, cpCount int64
	var cpHash string
	err := db.queryRow(ctx, `SELECT seq, count, hash FROM audit_checkpoint WHERE id = 1`).Scan(&cpSeq, &cpCount, &cpHash)
	if err != nil && err != sql.ErrNoRows {
		return res, errs.Wrap(err, "audit checkpoint")
	}
	var v audit.Verifier
	var last audit.Entry
	if cpSeq > 0 {
		e, err := scanAudit(db.queryRow(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq = ?`, cpSeq))
		if err == sql.ErrNoRows {
			return res, &audit.Break{Seq: cpSeq, ID: "checkpoint", Reason: "the last verified entry is missing"}
		}
		if err != nil {
			return res, err
		}
		if e.Hash != cpHash || e.ComputeHash() != e.Hash {
			return res, &audit.Break{Seq: e.Seq, ID: e.ID, Reason: "the last verified entry was changed since it was verified"}
		}
		v, last, res.From = audit.Resume(e, cpCount), e, cpCount
	}
	// Entries are appended while this runs: walk to the end, read the head, and walk on while the head is
	// ahead; a head behind the trail, or naming another entry, is a break.
	for round := 0; ; round++ {
		after := last.Seq
		for {
			rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000`, after)
			if err != nil {
				return res, err
			}
			n := 0
			for rows.Next() {
				e, err := scanAudit(rows)
				if err == nil {
					err = v.Next(e)
				}
				if err != nil {
					rows.Close()
					res.Count = v.Count
					return res, err
				}
				after, last = e.Seq, e
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return res, err
			}
			if n == 0 {
				break
			}
		}
		res.Count = v.Count
		var headSeq int64
		var headHash string
		if err := db.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return res, err
		}
		if headSeq > last.Seq && round < 3 {
			continue // appended meanwhile
		}
		if headSeq != last.Seq || (headSeq > 0 && headHash != last.Hash) {
			return res, &audit.Break{Seq: headSeq, ID: "head", Reason: "the newest entries are missing: the head records a later entry than the trail holds"}
		}
		break
	}
	if last.Seq == 0 || last.Seq == cpSeq {
		return res, nil
	}
	err = db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO audit_checkpoint (id, seq, count, hash, verified_at) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, count = excluded.count, hash = excluded.hash, verified_at = excluded.verified_at
			WHERE audit_checkpoint.seq < excluded.seq`, last.Seq, v.Count, last.Hash, tx.now)
		return err
	})
	return res, errs.Wrap(err, "audit checkpoint")
}
