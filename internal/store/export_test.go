package store

import (
	"context"
	"strings"
	"time"

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

// Queries whose plans TestClockIndexesServeTheirQueries checks, as the store runs them.
const (
	SuspendedToRestand = suspendedToRestand
	AskingCasesAll     = askingCases + ` ORDER BY k.case_id LIMIT ?`
	OpenCount          = openCount
)

// Plan is the engine's plan of q (PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN), a line a node, with
// PostgreSQL's sequential scans turned off for its transaction: on a test's few rows a scan costs less than
// any index, and what a test asks is whether an index serves the query at all.
func (db *DB) Plan(ctx context.Context, q string, args ...any) (string, error) {
	var lines []string
	err := db.Write(ctx, func(tx *Tx) error {
		lines = nil
		explain := `EXPLAIN QUERY PLAN `
		if tx.d.dollar {
			if _, err := tx.exec(`SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
			explain = `EXPLAIN `
		}
		rows, err := tx.query(explain+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			dest := make([]any, len(cols))
			var detail string
			for i := range dest {
				dest[i] = new(any)
			}
			dest[len(dest)-1] = &detail // the node's text is the last column on both engines
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			lines = append(lines, detail)
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}

// SetNumberBlockClock sets the wall clock the number blocks keep and grow by.
func (db *DB) SetNumberBlockClock(now func() time.Time) { db.blocks.clock = now }

// CounterStatements is how many statements have moved counters apart from transactions (numbersApart).
func (db *DB) CounterStatements() int64 { return db.counterStatements.Load() }
