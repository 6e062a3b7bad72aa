package store

import (
	"bianmin/internal/audit"
	"bianmin/internal/ids"
)

// linkRequest ties an audit entry to the request that wrote it. Every field of an entry is under its hash,
// and the entry has no free-form detail: putting the request id inside it would change what the hash covers
// (or what an entry's After snapshot says). So the link is a log line, written once the transaction has
// committed, that names the entry (its chain and seq) and, through the logger (internal/logs), the request id: from
// the X-Request-Id a caller was answered, an operator finds the entries the request wrote, and from an entry
// the request's other log lines.
func (tx *Tx) linkRequest(e audit.Entry) {
	rid := ids.Request(tx.ctx)
	if rid == "" {
		return // not written by a request (a command, a background job)
	}
	ctx, db := tx.ctx, tx.db
	tx.afterCommit = append(tx.afterCommit, func() {
		db.logger().InfoContext(ctx, "audit", "chain", e.Chain, "seq", e.Seq, "action", e.Action, "entity", e.Entity, "entity_id", e.EntityID)
	})
}
