package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A streaming replica of the PostgreSQL primary (issue 18) takes the reads the web layer marks as fit for it
// (ReadReplica: dashboards, reports, the portal, search). A person who just wrote reads what they wrote: the
// web layer keeps the primary's WAL position after their last write (NoteWrites) and marks their reads with
// it, and such a read goes to the replica only once the replica has replayed that far; else to the primary.
// A replica that does not answer, or lags more than its bound behind the primary, takes no reads.

type replica struct {
	pool   *sql.DB
	maxLag time.Duration
	// replay is the replica's replay position as last read; usable whether it answered and kept up.
	replay atomic.Uint64
	usable atomic.Bool
	lag    atomic.Int64 // nanoseconds, as last measured
	// reads counts the marked reads by where they went: the replica, or the primary instead.
	reads, instead atomic.Uint64
	// samples are the primary's positions over the last moments: how far behind in time the replica is.
	mu      sync.Mutex
	samples []lsnAt
	cancel  context.CancelFunc
	done    chan struct{}
}

type lsnAt struct {
	lsn uint64
	at  time.Time
}

// UseReplica opens the streaming replica at dsn (PostgreSQL only) and starts watching how far behind it is,
// every interval; reads marked ReadReplica go to it while it lags at most maxLag. A replica down at start is
// no error (the primary takes its reads until it answers); a server that answers but is no replica is.
func (db *DB) UseReplica(ctx context.Context, dsn string, maxLag, every time.Duration, log *slog.Logger) error {
	if db.d.name != postgres.name || EngineOf(dsn) != postgres.name {
		return errors.New("-db-read: a read replica needs PostgreSQL (-db and -db-read both postgres:// URLs)")
	}
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(32)
	p.SetConnMaxIdleTime(5 * time.Minute)
	var standby bool
	if err := p.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&standby); err != nil {
		log.Warn("-db-read: the replica does not answer; the primary takes its reads until it does", "err", err)
	} else if !standby {
		p.Close()
		return errors.New("-db-read: that server is not a streaming replica (pg_is_in_recovery() is false)")
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	rp := &replica{pool: p, maxLag: maxLag, cancel: cancel, done: make(chan struct{})}
	db.replica = rp
	rp.check(rctx, db.w, every)
	go func() {
		defer close(rp.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-rctx.Done():
				return
			case <-t.C:
				rp.check(rctx, db.w, every)
			}
		}
	}()
	return nil
}

func (rp *replica) stop() {
	rp.cancel()
	<-rp.done
}

// check reads the primary's position and the replica's replay position, and from the primary's recent
// positions how long ago the primary was where the replica is now: that is the replica's lag.
func (rp *replica) check(ctx context.Context, primary *sql.DB, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, max(timeout, time.Second))
	defer cancel()
	now := time.Now()
	p, perr := readLSN(ctx, primary, `SELECT pg_current_wal_lsn()::text`)
	r, rerr := rp.readReplay(ctx)
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if perr == nil {
		rp.samples = append(rp.samples, lsnAt{p, now})
	}
	// keep twice the bound: enough to tell a lag over the bound from one under it
	for len(rp.samples) > 1 && now.Sub(rp.samples[0].at) > 2*rp.maxLag {
		rp.samples = rp.samples[1:]
	}
	if rerr != nil || perr != nil {
		rp.usable.Store(false)
		return
	}
	lag := time.Duration(0)
	for _, s := range rp.samples {
		if s.lsn > r {
			lag = now.Sub(s.at) // the primary was past the replica's position already then
			break
		}
	}
	rp.lag.Store(int64(lag))
	rp.usable.Store(lag <= rp.maxLag)
}

func (rp *replica) readReplay(ctx context.Context) (uint64, error) {
	r, err := readLSN(ctx, rp.pool, `SELECT pg_last_wal_replay_lsn()::text`)
	if err == nil {
		for { // only forward: a slow answer must not move it back
			old := rp.replay.Load()
			if r <= old || rp.replay.CompareAndSwap(old, r) {
				break
			}
		}
	}
	return r, err
}

func readLSN(ctx context.Context, q *sql.DB, query string) (uint64, error) {
	var s sql.NullString
	if err := q.QueryRowContext(ctx, query).Scan(&s); err != nil {
		return 0, err
	}
	if !s.Valid {
		return 0, errors.New("no WAL position (not a replica?)")
	}
	return ParseLSN(s.String)
}

// ParseLSN reads a WAL position as PostgreSQL writes it ("16/B374D848").
func ParseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("WAL position %q: want X/Y", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("WAL position %q: %w", s, err)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("WAL position %q: %w", s, err)
	}
	return h<<32 | l, nil
}

// FormatLSN writes a WAL position as PostgreSQL does.
func FormatLSN(lsn uint64) string { return fmt.Sprintf("%X/%X", lsn>>32, lsn&0xFFFFFFFF) }

// HasReplica reports whether reads may go to a replica (-db-read).
func (db *DB) HasReplica() bool { return db.replica != nil }

// ReplicaStats is what the operator's metrics show of the replica.
type ReplicaStats struct {
	Usable           bool
	Lag              time.Duration
	Reads, ToPrimary uint64 // requests marked for the replica: read there, or sent to the primary instead
}

// ReplicaStats reads the replica's figures; the zero value when there is none.
func (db *DB) ReplicaStats() ReplicaStats {
	rp := db.replica
	if rp == nil {
		return ReplicaStats{}
	}
	return ReplicaStats{Usable: rp.usable.Load(), Lag: time.Duration(rp.lag.Load()), Reads: rp.reads.Load(), ToPrimary: rp.instead.Load()}
}

type replicaKey struct{}

// replicaRead is one request's choice of pool, made at its first read, so that all its reads see one server.
type replicaRead struct {
	after uint64 // the reader's own last write: the replica must have replayed this far
	once  sync.Once
	pool  *sql.DB
}

// ReadReplica marks ctx's reads as fit for the replica, provided the replica has replayed the WAL up to
// after (0: any position), the position of the reader's own last write.
func ReadReplica(ctx context.Context, after uint64) context.Context {
	return context.WithValue(ctx, replicaKey{}, &replicaRead{after: after})
}

// reader is the pool a read under ctx goes to.
func (db *DB) reader(ctx context.Context) *sql.DB {
	rp := db.replica
	if rp == nil {
		return db.r
	}
	rr, ok := ctx.Value(replicaKey{}).(*replicaRead)
	if !ok {
		return db.r
	}
	rr.once.Do(func() {
		rr.pool = db.r
		if !rp.usable.Load() {
			rp.instead.Add(1)
			return
		}
		if rr.after > rp.replay.Load() {
			// the reader wrote since the last check: ask the replica where it is now
			if r, err := rp.readReplay(ctx); err != nil || r < rr.after {
				rp.instead.Add(1)
				return
			}
		}
		rp.reads.Add(1)
		rr.pool = rp.pool
	})
	return rr.pool
}

type writesKey struct{}

// WriteMark keeps the primary's WAL position after the writes made under a context (NoteWrites).
type WriteMark struct{ lsn atomic.Uint64 }

// LSN is the position after the last write noted; 0 when none was.
func (m *WriteMark) LSN() uint64 { return m.lsn.Load() }

// NoteWrites returns a context under which each committed write records the primary's WAL position in the
// mark (only when a replica is used: it costs a query after each commit).
func NoteWrites(ctx context.Context) (context.Context, *WriteMark) {
	m := &WriteMark{}
	return context.WithValue(ctx, writesKey{}, m), m
}

// noteCommit records the primary's position after a commit made under NoteWrites.
func (db *DB) noteCommit(ctx context.Context) {
	if db.replica == nil {
		return
	}
	m, ok := ctx.Value(writesKey{}).(*WriteMark)
	if !ok {
		return
	}
	// the insert position, not pg_current_wal_lsn (the write position): with synchronous_commit off the
	// commit record may not be written out yet, and a position before it would let the reader see the
	// replica without their write
	lsn, err := readLSN(context.WithoutCancel(ctx), db.w, `SELECT pg_current_wal_insert_lsn()::text`)
	if err != nil {
		// not knowing the position, the reader's next reads go to the primary: the highest position there is
		lsn = ^uint64(0)
	}
	for {
		old := m.lsn.Load()
		if lsn <= old || m.lsn.CompareAndSwap(old, lsn) {
			return
		}
	}
}
