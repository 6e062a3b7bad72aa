package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"bianmin/internal/errs"
)

// What an operator's metrics read from the store. The store keeps no metrics of its own (no registry in the
// storage package): it answers these questions, and the web layer's collector asks them at each scrape.

// WriterQueue is the number of write transactions waiting for their turn: for SQLite's one writer, or on
// PostgreSQL for a write slot (SetWriteSlots).
func (db *DB) WriterQueue() int {
	if db.writes == nil {
		return int(db.slotWaits.Load())
	}
	return len(db.writes)
}

// WriterQueueCap is the writer queue's capacity on SQLite; on PostgreSQL the write slots (0: no bound).
func (db *DB) WriterQueueCap() int {
	if db.writes == nil {
		return cap(db.slots)
	}
	return cap(db.writes)
}

// PoolStats returns the statistics of the writing and the reading pool (the same pool on PostgreSQL: read
// is then false).
func (db *DB) PoolStats() (write, read sql.DBStats, separate bool) {
	write = db.w.Stats()
	if db.r == db.w {
		return write, write, false
	}
	return write, db.r.Stats(), true
}

// OldestUnsent returns the age of the oldest message in the outbox not yet sent, and whether there is one.
func (db *DB) OldestUnsent(ctx context.Context) (time.Duration, bool, error) {
	// ORDER BY and not min(): SQLite's driver gives a time only for a column declared TIMESTAMP, and an
	// aggregate has no declared type. Unsent messages are few, and the query is made once a scrape.
	var at time.Time
	err := db.queryRow(ctx, `SELECT created_at FROM outbox WHERE sent_at IS NULL ORDER BY created_at LIMIT 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return db.Now().Sub(at), true, nil
}

// Ready reports whether the database answers and every embedded migration is applied: a process whose
// database is behind its code must not take requests.
func (db *DB) Ready(ctx context.Context) (pending []string, err error) {
	if err := db.w.PingContext(ctx); err != nil {
		return nil, err
	}
	if db.r != db.w {
		if err := db.r.PingContext(ctx); err != nil {
			return nil, err
		}
	}
	return db.Pending(ctx)
}

// GroupCommitBounds are the upper bounds of the group-commit size buckets (the writer takes at most 64).
var GroupCommitBounds = []int{1, 2, 4, 8, 16, 32, 64}

// groupStats counts group commits by size: one counter per bucket of GroupCommitBounds, and the sums.
type groupStats struct {
	buckets [7]atomic.Uint64
	count   atomic.Uint64
	sum     atomic.Uint64
}

func (g *groupStats) observe(n int) {
	for i, b := range GroupCommitBounds {
		if n <= b {
			g.buckets[i].Add(1)
			break
		}
	}
	g.count.Add(1)
	g.sum.Add(uint64(n))
}

// GroupCommits returns how many group commits SQLite's writer made, how many transactions they held in all,
// and how many commits fell in each bucket of GroupCommitBounds (not cumulative). All zero on PostgreSQL.
func (db *DB) GroupCommits() (count, txs uint64, buckets []uint64) {
	buckets = make([]uint64, len(GroupCommitBounds))
	for i := range buckets {
		buckets[i] = db.groups.buckets[i].Load()
	}
	return db.groups.count.Load(), db.groups.sum.Load(), buckets
}

// TableBytes returns the bytes each table takes with its indexes (and, on PostgreSQL, its TOAST), by table
// name: what a case costs to keep is measured from it. SQLite counts the pages of each b-tree (dbstat);
// PostgreSQL counts pg_total_relation_size of the tables in the schema the connection uses.
func (db *DB) TableBytes(ctx context.Context) (map[string]int64, error) {
	q := `SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name`
	if db.d.dollar {
		q = `SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
			WHERE c.relkind IN ('r', 'p') AND c.relnamespace = to_regnamespace(current_schema())::oid`
	}
	rows, err := db.r.QueryContext(ctx, q)
	return keyed[int64](rows, err, "table bytes")
}

// RelationBytes returns the bytes of each b-tree of the store by table and name: a table's own rows (its
// name; on PostgreSQL with its TOAST) and each of its indexes (the index's name), so that what an index costs
// is measured beside what it serves.
func (db *DB) RelationBytes(ctx context.Context) (map[string]map[string]int64, error) {
	q := `SELECT m.tbl_name, s.name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name, s.name`
	if db.d.dollar {
		q = `SELECT c.relname, c.relname, pg_table_size(c.oid) FROM pg_class c
			WHERE c.relkind IN ('r', 'p') AND c.relnamespace = to_regnamespace(current_schema())::oid
			UNION ALL
			SELECT c.relname, i.relname, pg_relation_size(i.oid) FROM pg_class c
			JOIN pg_index x ON x.indrelid = c.oid JOIN pg_class i ON i.oid = x.indexrelid
			WHERE c.relkind IN ('r', 'p') AND c.relnamespace = to_regnamespace(current_schema())::oid`
	}
	rows, err := db.r.QueryContext(ctx, q)
	if err != nil {
		return nil, errs.Wrap(err, "relation bytes")
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var table, name string
		var n int64
		if err := rows.Scan(&table, &name, &n); err != nil {
			return nil, errs.Wrap(err, "relation bytes")
		}
		if out[table] == nil {
			out[table] = map[string]int64{}
		}
		out[table][name] = n
	}
	return out, errs.Wrap(rows.Err(), "relation bytes")
}

// Compact rewrites the tables of the store without their dead space (SQLite VACUUM; PostgreSQL VACUUM FULL
// of each table in the connection's schema, not of other schemas), so that TableBytes measures what is kept
// rather than how much an update left behind until vacuum reuses it. It locks each table while rewriting it:
// for measurements, not for a serving database.
func (db *DB) Compact(ctx context.Context) error {
	if !db.d.dollar {
		_, err := db.w.ExecContext(ctx, `VACUUM`)
		return err
	}
	// the first transaction id not yet begun when Compact is called: row versions that transactions before
	// it left dead are what is to be compacted away (as xid, modulo 2^32 as PostgreSQL's xid is)
	var since string
	if err := db.w.QueryRowContext(ctx, `SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::numeric % 4294967296)::text`).Scan(&since); err != nil {
		return err
	}
	sizes, err := db.TableBytes(ctx)
	if err != nil {
		return err
	}
	for name := range sizes {
		if err := db.quiet(ctx, since); err != nil {
			return err
		}
		if _, err := db.w.ExecContext(ctx, `VACUUM FULL `+pgIdent(name)); err != nil {
			return err
		}
	}
	return nil
}

// quiet waits, up to thirty seconds, until no session of this database holds a snapshot, and no session of
// any database a transaction, begun before the transaction id since. VACUUM FULL keeps every row version such
// a snapshot may still see, and the background jobs' transactions (a sweep, a roll-up) would otherwise be
// measured as what the cases keep. PostgreSQL sets the horizon of a database's own tables by that database's
// sessions, but a snapshot's horizon is the oldest transaction still running in any database, VACUUM FULL's
// own included (it is not marked as a vacuum that others may ignore): another database's long transaction,
// as another package's test holds one in a whole test run, kept the lifecycles' dead rows through the rewrite
// (clean-clone runs measured cases at four and five times their size). Sessions that began after since do not
// hold those rows, so a job that runs again and again does not keep it waiting.
func (db *DB) quiet(ctx context.Context, since string) error {
	for range 600 {
		var busy int
		err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()
			AND ((datname = current_database() AND age(backend_xmin) > age($1::xid)) OR age(backend_xid) > age($1::xid))`, since).Scan(&busy)
		if err != nil || busy == 0 {
			return err // a measure compacted without the wait would be wrong without saying so
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// pgIdent quotes a PostgreSQL identifier.
func pgIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
