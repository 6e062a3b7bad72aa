// Package store is Bianmin's one storage layer: hand-written SQL over database/sql, for an embedded SQLite
// file (a banner on one small machine) or PostgreSQL (a region and beyond). The differences between the two
// live in dialect.go; everything else is the same SQL.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"

	"bianmin/internal/audit"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/org"
)

//go:embed migrations
var migrations embed.FS

// MigrationsDigest is a digest of every migration of both dialects: tests keep one migrated database per
// digest and copy it rather than migrate a database of their own for each test.
func MigrationsDigest() string {
	h := sha256.New()
	fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(migrations, path)
		fmt.Fprintf(h, "%s %d\n", path, len(body))
		h.Write(body)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// DB is an open store.
type DB struct {
	d dialect
	// retries counts transactions run again after a serialization failure or a deadlock.
	retries atomic.Int64
	// w takes every write. On SQLite it holds one connection: SQLite has one writer, and queueing writers in
	// Go is cheaper than letting them spin on the file lock. On PostgreSQL w and r are the same pool.
	w, r *sql.DB
	// numbers takes numbers apart from the transactions that use them (dialect.numbersApart): a pool of its
	// own, so that transactions holding every connection of w never wait for one to take a number.
	numbers *sql.DB
	// numbersBehind holds the series whose counter an insert found behind the numbers in use
	// (Series.refused): their next Take looks.
	numbersBehind sync.Map
	// blocks are the numbers taken ahead of their use (numberblocks.go; -number-blocks)
	blocks numberBlocks
	// counterStatements counts the statements that moved counters apart from transactions, for its test
	counterStatements atomic.Int64
	// Now is the clock; tests may replace it.
	Now func() time.Time
	// AuditKey keys the audit chains' hashes (HMAC-SHA256) from the entry recorded in each chain's
	// audit_heads.keyed_from on; it is kept outside the database. nil: entries are sealed unkeyed, and
	// writing to a chain after it was keyed is refused.
	AuditKey []byte
	// CheckpointFile is the log of signed audit checkpoints, outside the database ("": none kept).
	CheckpointFile string
	// AuditLanes is how many chains (lanes) an organisation's trail runs in (audit.LaneOf): on PostgreSQL
	// every audited transaction of an organisation holds its lane's head from the append through the commit,
	// and with one lane a busy township's transactions queue there (16 clerks of one township: 54 lifecycles/s
	// with one lane, 94 with eight; BENCHMARKS.md). SQLite commits one transaction at a time whatever the lanes,
	// so it keeps one. Set before the first write; Open sets the engine's (dialect.auditLanes).
	AuditLanes int
	// path is the SQLite file ("" on PostgreSQL), for backups.
	path string
	// Log takes what the store mends by itself (a number counter moved past numbers in use); nil: slog's default.
	Log *slog.Logger
	// orgs caches organisations read by id: every request asks for a few, and they change rarely (a change in
	// this process drops its entry at commit; another instance's change shows within orgTTL).
	orgs sync.Map // id -> cachedOrg
	// timelines keeps the timelines of the cases just read, for their moves (timelineMemo)
	timelines timelineMemo
	receivers kept[[]Receiver]      // the outbox's active receivers (upstream.go)
	declaring kept[map[string]bool] // the staff with standing 回避 declarations (people.go)
	splits    kept[map[string]bool] // the townships that split their back office by domain (people_split.go)
	// delegations keeps each item's delegations, by item id (delegation.go)
	delegations keptBy[[]delegation.Delegation]
	// publishedItems keeps the items' rows as intake reads them, by item id (catalog.go)
	publishedItems keptBy[ItemRow]
	wake           sync.Map // outbox channel -> chan struct{} (outbox.go)
	// fixedSteps keeps what cases take from published item versions (steps, names), which never change (casedoc.go).
	fixedSteps sync.Map // versionKey -> fromVersion
	// fixedItems keeps fixed item versions decoded (fixedItem), for the same reason; fixedSteps is made from them.
	fixedItems sync.Map // versionKey -> catalog.Item
	// stmts holds SQLite's prepared statements, for the writer and for the readers: its driver would parse
	// every statement afresh, which was a fifth of a busy hall's CPU. (PostgreSQL's driver caches its own.)
	wStmts, rStmts stmtCache
	// lanes are the audit lanes this process's transactions hold, and the heads it knows there (lanes.go)
	lanes lanePool
	// headsEarly counts the audit heads read with a transaction's first write (AuditFirst), for its test
	headsEarly atomic.Int64
	// headsUnread counts the heads chained after unread, as the process knew them (lanes.go), for its test
	headsUnread atomic.Int64
	// writes feeds SQLite's one writer (group commit); nil on PostgreSQL.
	writes chan *writeReq
	// slots are the PostgreSQL write transactions that may run at once (SetWriteSlots); nil: no bound.
	// slotWaits counts the transactions waiting for one.
	slots     chan struct{}
	slotWaits atomic.Int64
	stop      chan struct{}
	wg        sync.WaitGroup
	// blobs keeps the bytes of electronic materials (files.go); nil: in the database.
	blobs Blobs
	// groups counts the writer's group commits by size, for the operator's metrics (metrics.go).
	groups groupStats
	// leading is whether this instance runs the background jobs now (instances.go).
	leading atomic.Bool
	// replica is the streaming replica some reads may go to (replica.go); nil: none.
	replica *replica
	// dsn and dataDir are what Open was given, for Reopen.
	dsn, dataDir string
}

// writeReq is one transaction's work waiting for the SQLite writer.
type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

const orgTTL = 10 * time.Second

type cachedOrg struct {
	o  org.Org
	at time.Time
}

// Open connects to the database at dsn: a postgres:// URL, or else an SQLite file path ("" means
// bianmin.db in dataDir). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	db := &DB{Now: time.Now, dsn: dsn, dataDir: dataDir}
	if err := db.connect(ctx); err != nil {
		return nil, err
	}
	db.AuditLanes = db.d.auditLanes
	return db, nil
}

// Reopen closes the store's connections, runs between, and connects again to the same place: the same *DB,
// with its clock, audit key, checkpoint file, logger and file store, its caches emptied. between may put
// another database there (the test kit copies a template over a test's fresh database); nothing may use the
// store meanwhile. A store that reads from a replica is not reopened.
func (db *DB) Reopen(ctx context.Context, between func() error) error {
	if db.replica != nil {
		return errors.New("store: a store with a read replica is not reopened")
	}
	closed := db.Close()
	err := between()
	db.orgs.Clear()
	db.lanes.forget()
	db.fixedSteps.Clear()
	db.fixedItems.Clear()
	for _, c := range []string{CacheReceivers, CacheRecusals, CacheSplits} {
		db.ForgetKept(c)
	}
	db.wStmts.reset()
	db.rStmts.reset()
	db.w, db.r, db.numbers, db.writes, db.stop = nil, nil, nil, nil, nil
	if cerr := db.connect(ctx); cerr != nil {
		return errors.Join(err, closed, cerr)
	}
	return errors.Join(err, closed)
}

// connect opens the pools (and SQLite's writer) for db.dsn.
func (db *DB) connect(ctx context.Context) error {
	dsn, dataDir := db.dsn, db.dataDir
	if EngineOf(dsn) == postgres.name {
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		p.SetMaxOpenConns(pgPool)
		p.SetMaxIdleConns(pgPool)
		p.SetConnMaxIdleTime(5 * time.Minute)
		db.d, db.w, db.r = postgres, p, p
		// A number's own commit need not wait for the disk: the transaction that uses the number commits
		// after it, and waiting for its own commit to reach the disk writes the log up to there, the
		// number's commit included. A crash can only give back numbers nobody used (no gap, even).
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			p.Close()
			return err
		}
		cfg.RuntimeParams["synchronous_commit"] = "off"
		db.numbers = stdlib.OpenDB(*cfg)
		db.numbers.SetMaxOpenConns(4)
		db.numbers.SetMaxIdleConns(4)
		db.numbers.SetConnMaxIdleTime(5 * time.Minute)
		db.SetWriteSlots(DefaultWriteSlots())
	} else {
		path := strings.TrimPrefix(dsn, "sqlite://")
		if path == "" {
			if dataDir == "" {
				dataDir = "."
			}
			if err := os.MkdirAll(dataDir, 0o750); err != nil {
				return err
			}
			path = filepath.Join(dataDir, "bianmin.db")
		}
		// synchronous=FULL: an acknowledged write survives a crash of the machine, not only of the process.
		q := url.Values{}
		// A 32 MiB page cache per reading connection (SQLite's default is 2 MiB): a million cases make a file
		// of gigabytes, and the indexes the queues and sweeps walk should stay in memory. The one writer gets
		// 256 MiB and keeps its statement journals in memory: a sweep turning a hundred thousand cards in one
		// transaction (inside the savepoint of its group commit) otherwise spills pages to disk twice over.
		for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		for k, v := range sqliteTimeParams {
			q.Set(k, v)
		}
		wq := url.Values{}
		for k, v := range q {
			wq[k] = append([]string(nil), v...)
		}
		wq.Add("_pragma", "cache_size(-262144)")
		wq.Add("_pragma", "temp_store(MEMORY)")
		q.Add("_pragma", "cache_size(-32768)")
		w, err := sql.Open("sqlite", "file:"+path+"?"+wq.Encode())
		if err != nil {
			return err
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		q.Add("_pragma", "query_only(1)")
		q.Set("_txlock", "deferred")
		r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			w.Close()
			return err
		}
		r.SetMaxOpenConns(8)
		db.d, db.w, db.r, db.path = sqlite, w, r, path
		db.writes, db.stop = make(chan *writeReq, 256), make(chan struct{})
		db.wg.Add(1)
		go db.writer()
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("store: cannot reach the database: %w", err)
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	if db.stop != nil {
		close(db.stop)
		db.wg.Wait()
		db.stop = nil
	}
	db.wStmts.close()
	db.rStmts.close()
	err := db.w.Close()
	if db.replica != nil {
		db.replica.stop()
		err = errors.Join(err, db.replica.pool.Close())
	}
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	if db.numbers != nil {
		err = errors.Join(err, db.numbers.Close())
	}
	return err
}

// Dialect names the engine: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// Retries is the number of write transactions run again since the store was opened, after a
// serialization failure, a deadlock or a lost race.
func (db *DB) Retries() int64 { return db.retries.Load() }

// Migrate applies the embedded migrations of the engine that are not applied yet, each in its own
// transaction, and makes again the indexes a stopped bulk load left set aside. Migrations only go forward.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	applied, err := db.migrate(ctx, "")
	if err != nil {
		return applied, err
	}
	// indexes a bulk load set aside and was stopped before it made them again (bulk.go)
	if _, err := db.MakeIndexes(ctx, nil); err != nil {
		return applied, err
	}
	return applied, nil
}

// migrationSteps are the parts of a migration SQL cannot say, run after its file in its transaction.
var migrationSteps = map[string]func(context.Context, *sql.Tx) error{
	"migrations/sqlite/085_integer_times.sql": integerTimes, // every table's TIMESTAMP columns (sqlitetimes.go)
}

// migrate applies the migrations named before stop ("": all of them).
func (db *DB) migrate(ctx context.Context, stop string) ([]string, error) {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	dir := "migrations/" + db.d.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	var applied []string
	for _, name := range names {
		if stop != "" && name >= stop {
			break
		}
		var n int
		if err := db.w.QueryRowContext(ctx, db.d.q(`SELECT count(*) FROM schema_migrations WHERE version = ?`), name).Scan(&n); err != nil {
			return applied, err
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return applied, err
		}
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		if step := migrationSteps[dir+"/"+name]; step != nil {
			if err := step(ctx, tx); err != nil {
				tx.Rollback()
				return applied, fmt.Errorf("migration %s: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.d.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), name, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return applied, err
		}
		if err := tx.Commit(); err != nil {
			// a context ended just before the commit has rolled the migration back (ErrTxDone): say so, so
			// that a Ctrl-C reads as a stop, not as a failed migration
			return applied, errors.Join(ctx.Err(), err)
		}
		applied = append(applied, name)
	}
	if stop != "" {
		return applied, nil
	}
	if slices.Contains(applied, "065_case_awaits.sql") {
		if err := db.fillAwaits(ctx); err != nil {
			return applied, err
		}
		if err := db.fillHandoverSearch(ctx); err != nil {
			return applied, err
		}
	}
	return applied, db.fillFindKeys(ctx)
}

// Pending lists the embedded migrations not applied yet, without applying any (a read-only check needs a
// schema it knows).
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+db.d.name)
	if err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	if rows, err := db.r.QueryContext(ctx, `SELECT version FROM schema_migrations`); err == nil {
		for rows.Next() {
			var v string
			if rows.Scan(&v) == nil {
				applied[v] = true
			}
		}
		rows.Close()
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") && !applied[e.Name()] {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// errRetry asks Write to run the transaction again: it lost a race that a fresh run resolves.
var errRetry = errors.New("store: transaction lost a race; retry")

// errGuard is a statement refused by its guards (lanes.go): Write runs the transaction again, plain.
var errGuard = errors.New("store: a guarded statement found what it expected changed")

// Tx is a write transaction. Every state change happens inside one, together with its audit entry.
type Tx struct {
	tx  *sql.Tx // SQLite's, and a bulk load's; nil on PostgreSQL, which has pg
	pg  *pgTx
	d   dialect
	ctx context.Context
	now time.Time
	db  *DB
	// afterCommit runs once the transaction committed (cache invalidations, the outbox's wakes).
	afterCommit []func()
	// receiversChanged: this transaction changed receivers or organisations, so it reads receivers itself
	receiversChanged bool
	woken            map[string]bool // the outbox channels this transaction wakes (outbox.go)
	// audits are the transaction's audit entries, chained and written just before it commits.
	audits []audit.Entry
	// held is the chain head locked and read with the first write (AuditFirst; nil: none): its
	// organisation's entries go on that lane
	held *AuditHead
	// lease is the lane of held's organisation this transaction holds in the process (lanes.go; nil: none);
	// unread says that held is the head the process knows there, neither locked nor read: the audit insert
	// refuses to write unless it is still the head (guardedSeq)
	lease  *laneLease
	unread bool
	// leftHead is the head the transaction leaves on its lane when it commits (appendAudit); committed: it did
	leftHead  AuditHead
	committed bool
	// plain: a run after a guard refused the last one (lanes.go): no head taken unread, no guarded write kept
	plain bool
	// ahead are numbers taken for the transaction's Takes to come (TakeAhead), by counter
	ahead map[string]int64
	// conn is the PostgreSQL connection a bulk load's transaction runs on, for COPY (bulk.go); nil otherwise.
	conn *sql.Conn
	// later are the writes kept to ride with the transaction's next statement (later.go), laterErr the
	// refusal of such a write that a query could not return
	later    []laterWrite
	laterErr error
}

// Write runs fn in a transaction and commits when fn returns nil. A PostgreSQL serialization failure or
// deadlock is retried a few times; fn must therefore not have effects outside the transaction.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	var err error
	plain := false
	for attempt := 0; attempt < 8; attempt++ {
		err = db.writeOnce(ctx, fn, plain)
		if err == nil || !(errors.Is(err, errRetry) || db.d.retryable(err)) {
			return err
		}
		db.retries.Add(1)
		if errors.Is(err, errGuard) {
			plain = true // the next run tells why (lanes.go); nobody to wait for
			continue
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

func (db *DB) writeOnce(ctx context.Context, fn func(*Tx) error, plain bool) (err error) {
	if db.writes != nil {
		req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
		select {
		case db.writes <- req:
		case <-ctx.Done():
			return ctx.Err()
		}
		return <-req.done
	}
	release, err := db.takeSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx := &Tx{d: db.d, ctx: ctx, now: db.Now().UTC().Truncate(time.Microsecond), db: db, plain: plain}
	defer func() { tx.giveLane(err) }() // a panic too gives its lane back
	if db.d.pipelines {
		tx.pg, err = db.beginPG(ctx)
	} else {
		tx.tx, err = db.w.BeginTx(ctx, nil)
	}
	if err != nil {
		return errs.Wrap(err, "begin")
	}
	return db.finish(ctx, tx, fn)
}

// finish runs fn in tx, chains its audit entries and commits.
func (db *DB) finish(ctx context.Context, tx *Tx, fn func(*Tx) error) error {
	err := fn(tx)
	if err == nil {
		err = tx.appendAudit()
	}
	if err == nil {
		err = tx.flushLater()
	}
	if tx.laterErr != nil {
		err = tx.laterErr // what fn met after it was an aborted transaction's error
	}
	if err != nil {
		if tx.pg != nil {
			tx.pg.rollback(ctx)
		} else {
			tx.tx.Rollback()
		}
		return err
	}
	if tx.pg != nil {
		err = tx.pg.commit(ctx)
	} else if err = tx.tx.Commit(); err != nil {
		err = errs.Wrap(err, "commit")
	}
	if err != nil {
		return err
	}
	tx.committed = true
	db.noteCommit(ctx)
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// writer is SQLite's single writer. It takes the transactions waiting at the moment together into one
// database transaction, each inside its own savepoint, and commits them with one sync to disk (group
// commit): a failing one is rolled back to its savepoint and leaves the others, and none is acknowledged
// before the commit is durable.
func (db *DB) writer() {
	defer db.wg.Done()
	for {
		var first *writeReq
		select {
		case first = <-db.writes:
		case <-db.stop:
			return
		}
		batch := []*writeReq{first}
	more:
		for len(batch) < 64 {
			select {
			case r := <-db.writes:
				batch = append(batch, r)
			default:
				break more
			}
		}
		db.commitBatch(batch)
	}
}

func (db *DB) commitBatch(batch []*writeReq) {
	fail := func(err error) {
		for _, r := range batch {
			r.done <- err
		}
	}
	sqlTx, err := db.w.BeginTx(context.Background(), nil)
	if err != nil {
		fail(errs.Wrap(err, "begin"))
		return
	}
	results := make([]error, len(batch))
	var after []func()
	for i, r := range batch {
		tx := &Tx{tx: sqlTx, d: db.d, ctx: r.ctx, now: db.Now().UTC().Truncate(time.Microsecond), db: db}
		if _, err := sqlTx.Exec(`SAVEPOINT w`); err != nil {
			sqlTx.Rollback()
			fail(errs.Wrap(err, "savepoint"))
			return
		}
		err := r.ctx.Err()
		if err == nil {
			err = r.fn(tx)
		}
		if err == nil {
			err = tx.appendAudit()
		}
		if err != nil {
			if _, rerr := sqlTx.Exec(`ROLLBACK TO w`); rerr != nil {
				// SQLite may have rolled the whole transaction back itself (a statement interrupted because
				// the request's context ended: "no such savepoint"). The request that failed keeps its own
				// error, and its context's, beside the rollback's, so that a command being stopped sees it
				// was stopped; the others of the batch fail with the rollback's.
				sqlTx.Rollback()
				rb := errs.Wrap(rerr, "rollback to savepoint")
				for j, o := range batch {
					if j == i {
						o.done <- errors.Join(err, r.ctx.Err(), rb)
					} else {
						o.done <- rb
					}
				}
				return
			}
		} else {
			after = append(after, tx.afterCommit...)
		}
		if _, err := sqlTx.Exec(`RELEASE w`); err != nil {
			sqlTx.Rollback()
			fail(errs.Wrap(err, "release"))
			return
		}
		results[i] = err
	}
	if err := sqlTx.Commit(); err != nil {
		fail(errs.Wrap(err, "commit"))
		return
	}
	db.groups.observe(len(batch))
	// the connection is free: prepare what this batch met for the first time
	db.wStmts.preparePending(context.Background(), db.w)
	for _, f := range after {
		f()
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// stmtCache keeps prepared statements by their text. Statements built with a varying number of values (bulk
// inserts, lists) would fill it: past maxStmts, new texts are not kept.
//
// The writer has one connection, busy with the transaction that meets a new statement: preparing it there
// and then would wait for that same connection. So the writer's new statements are noted, and prepared by
// the writer between transactions (preparePending).
type stmtCache struct {
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
}

const maxStmts = 512

// get returns the prepared statement for q on pool, preparing it once; nil when it is not to be kept. With
// later, a statement not prepared yet is noted for preparePending instead.
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, q string, later bool) *sql.Stmt {
	c.mu.Lock()
	if st, ok := c.m[q]; ok {
		c.mu.Unlock()
		return st
	}
	if len(c.m)+len(c.pending) >= maxStmts || strings.Count(q, "?")+strings.Count(q, "$") > maxStmtParams {
		c.mu.Unlock()
		return nil // a bulk insert or a long list: its text seldom comes again
	}
	if later {
		if c.pending == nil {
			c.pending = map[string]bool{}
		}
		c.pending[q] = true
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	// prepared outside the lock: it may wait for a connection, and other readers should not wait with it
	st, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil // the statement runs unprepared and reports its error there
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[q]; ok { // prepared meanwhile by another reader
		st.Close()
		return old
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[q] = st
	return st
}

// maxStmtParams is the most placeholders a kept statement has.
const maxStmtParams = 40

// preparePending prepares the statements noted by get, on a pool that is free now.
func (c *stmtCache) preparePending(ctx context.Context, pool *sql.DB) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.pending {
		if st, err := pool.PrepareContext(ctx, q); err == nil {
			if c.m == nil {
				c.m = map[string]*sql.Stmt{}
			}
			c.m[q] = st
		}
		delete(c.pending, q)
	}
}

// reset forgets the statements (closed already) and those noted to prepare: for a store reopened.
func (c *stmtCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.pending = nil, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// wstmt is the writer's prepared statement for q within tx (nil on PostgreSQL or when not kept).
func (tx *Tx) wstmt(q string) *sql.Stmt {
	if tx.d.name != "sqlite" {
		return nil
	}
	if st := tx.db.wStmts.get(tx.ctx, tx.db.w, q, true); st != nil {
		return tx.tx.StmtContext(tx.ctx, st)
	}
	return nil
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	if err := tx.flushLater(); err != nil {
		return nil, err
	}
	return tx.execNow(tx.d.q(q), args)
}

// execNow runs a write now (q in the dialect's marks already): on PostgreSQL with BEGIN when it is the
// transaction's first statement (pgtx.go).
func (tx *Tx) execNow(q string, args []any) (sql.Result, error) {
	if tx.pg != nil {
		return tx.pg.exec(tx.ctx, q, args)
	}
	if st := tx.wstmt(q); st != nil {
		return st.ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, q, args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if err := tx.flushLater(); err != nil {
		return nil, err
	}
	q = tx.d.q(q)
	if tx.pg != nil {
		if err := tx.pg.begin(tx.ctx); err != nil {
			return nil, err
		}
		return tx.pg.conn.QueryContext(tx.ctx, q, args...)
	}
	if st := tx.wstmt(q); st != nil {
		return st.QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, q, args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	tx.flushLater() // its refusal cannot ride on the *sql.Row: the transaction ends with it (laterErr)
	return tx.queryRowKeeping(q, args...)
}

// queryRowKeeping is queryRow for a statement that reads no table a kept write goes to (later.go): the kept
// writes wait for the statement after it.
func (tx *Tx) queryRowKeeping(q string, args ...any) *sql.Row {
	q = tx.d.q(q)
	if tx.pg != nil {
		if err := tx.pg.begin(tx.ctx); err != nil && tx.laterErr == nil {
			tx.laterErr = err // the row cannot carry it: the transaction ends with it
		}
		return tx.pg.conn.QueryRowContext(tx.ctx, q, args...)
	}
	if st := tx.wstmt(q); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, q, args...)
}

// Now is the transaction's timestamp: every row it writes carries the same time.
func (tx *Tx) Now() time.Time { return tx.now }

// querier is what read helpers need: the read pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (db *DB) rstmt(ctx context.Context, q string) *sql.Stmt {
	if db.d.name != "sqlite" {
		return nil
	}
	return db.rStmts.get(ctx, db.r, q, false)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = db.d.q(q)
	if st := db.rstmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.reader(ctx).QueryContext(ctx, q, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = db.d.q(q)
	if st := db.rstmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.reader(ctx).QueryRowContext(ctx, q, args...)
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// ExecRaw runs a statement outside the audited paths. Only tests and the demo loader's checks use it; it
// exists so that a tamper test can play the attacker who edits a table directly.
func (db *DB) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := db.w.ExecContext(ctx, db.d.q(q), args...)
	return err
}

// notFound turns sql.ErrNoRows into the shared not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errs.New(errs.NotFound, "err.not_found").With("what", what)
	}
	return errs.Wrap(err, what)
}

// QueryRowRaw runs a query of one row written with ? placeholders (tests and tools).
func (db *DB) QueryRowRaw(ctx context.Context, q string, args ...any) *sql.Row {
	return db.queryRow(ctx, q, args...)
}

// QueryRaw runs a query written with ? placeholders (tests and tools).
func (db *DB) QueryRaw(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.query(ctx, q, args...)
}

// collect reads every row of a list with its row's scanner: the one loop the list readers share.
func collect[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// countsBy reads a query of (key, count) rows into a map: what names it in errors.
func (db *DB) countsBy(ctx context.Context, what, q string, args ...any) (map[string]int, error) {
	rows, err := db.query(ctx, q, args...)
	return keyed[int](rows, err, what)
}

// keyed reads (key, number) rows into a map, for a reader other than db.query's (the primary itself, say).
func keyed[N int | int64](rows *sql.Rows, err error, what string) (map[string]N, error) {
	if err != nil {
		return nil, errs.Wrap(err, what)
	}
	defer rows.Close()
	out := map[string]N{}
	for rows.Next() {
		var key string
		var n N
		if err := rows.Scan(&key, &n); err != nil {
			return nil, errs.Wrap(err, what)
		}
		out[key] = n
	}
	return out, errs.Wrap(rows.Err(), what)
}

// queryStrings reads a query's one text column, in order.
func (db *DB) queryStrings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
