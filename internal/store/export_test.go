package store

import (
	"context"

	"bianmin/internal/audit"
)

// SetQueueArmsMax lets a test send every queue through the banner-wide walk (0) or back.
func SetQueueArmsMax(n int) (restore func()) {
	was := queueArmsMax
	queueArmsMax = n
	return func() { queueArmsMax = was }
}

// SetWideName lets a test treat every name as common (0) or back.
func SetWideName(n int) (restore func()) {
	was := wideName
	wideName = n
	return func() { wideName = was }
}

// SetWideApplicants lets a test have every name searched among applicants walked as a common one (0) or back.
func SetWideApplicants(n int) (restore func()) {
	was := wideApplicants
	wideApplicants = n
	return func() { wideApplicants = was }
}

// HeadsReadEarly is how many audit heads transactions have read with their first write (AuditFirst).
func (db *DB) HeadsReadEarly() int64 { return db.headsEarly.Load() }

// MigrateBefore applies the migrations named before stop: a test writes what an older Bianmin wrote, then
// migrates the rest.
func (db *DB) MigrateBefore(ctx context.Context, stop string) ([]string, error) {
	return db.migrate(ctx, stop)
}

// AuditChain reads a chain's entries in order as the verifier does, each with the hash it links to.
func (db *DB) AuditChain(ctx context.Context, chain string) ([]audit.Entry, error) {
	org, lane := audit.SplitLane(chain)
	rows, err := db.query(ctx, `SELECT `+auditColsPrev+` FROM audit_log a`+joinPrev+` WHERE a.chain = ? AND a.lane = ? ORDER BY a.seq`, org, lane)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAuditPrev(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// HoldWriters holds the writers' pool to n connections, so that a test sees the next transaction take the
// connection the last one gave back; restore gives the pool back its size.
func (db *DB) HoldWriters(n int) (restore func()) {
	was := db.w.Stats().MaxOpenConnections
	db.w.SetMaxOpenConns(n)
	return func() { db.w.SetMaxOpenConns(was) }
}

// LockWaiters is how many of this database's PostgreSQL backends wait on a lock held by another transaction.
func (db *DB) LockWaiters(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
	return n, err
}

// LaneWaiters is how many transactions wait for a lane of the process (lanes.go).
func (db *DB) LaneWaiters() int64 { return db.lanes.waiting.Load() }

// HeadsUnread is how many audit heads transactions have chained after as the process knew them (lanes.go).
func (db *DB) HeadsUnread() int64 { return db.headsUnread.Load() }

// Twin opens another store on the same database with the same audit key and lanes: a second instance.
func (db *DB) Twin(ctx context.Context) (*DB, error) {
	t, err := Open(ctx, db.dsn, db.dataDir)
	if err != nil {
		return nil, err
	}
	t.AuditKey, t.AuditLanes = db.AuditKey, db.AuditLanes
	return t, nil
}

// ExecGuarded is execGuarded for tests.
func (tx *Tx) ExecGuarded(mismatch error, want int64, q string, args ...any) error {
	return tx.execGuarded(mismatch, want, q, args...)
}
