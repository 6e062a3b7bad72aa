package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"log/slog"
	"sync"
	"time"

	"bianmin/internal/errs"
)

// Several instances of Bianmin on one PostgreSQL (issue 18): the background jobs run on one of them, the
// leader, and the caches each keeps are told when another instance changed what they hold.

// Caches whose version is kept in cache_versions (migration 061); CacheCatalog is catalog_meta.generation.
const (
	CacheOrgs         = "orgs"
	CacheSessions     = "sessions"
	CacheCalendar     = "calendar"
	CacheTranslations = "translations"
	CacheCatalog      = "catalog"
	// CacheMn is the Mongolian of catalog texts and organisations' names that pages read, and the glossary
	// (mn_strings, migration 080).
	CacheMn = "mn"
	// CacheReceivers is the active receivers of the outbox (DB.receivers, kept in memory: upstream.go; migration 086).
	CacheReceivers = "receivers"
	// CacheRecusals is who has standing 回避 declarations (DB.declaring, kept in memory: people.go; migration 092).
	CacheRecusals = "recusals"
	// CacheSplits is which townships split their back office by domain (DB.splits, kept in memory:
	// people_split.go; migration 093).
	CacheSplits = "splits"
	// CacheDelegations is each item's delegations, which every intake asks for (DB.delegations, kept in
	// memory: delegation.go; migration 094).
	CacheDelegations = "delegations"
)

// kept is a value read from the database and kept in memory until dropped: by a change made here at its
// commit, by one made on another instance at the next poll of the caches' versions. It is keptBy with one key.
type kept[T any] struct{ by keptBy[T] }

// forget drops the kept value.
func (k *kept[T]) forget() { k.by.forget() }

// get returns the kept value, or reads it and keeps it unless it was dropped meanwhile.
func (k *kept[T]) get(read func() (T, error)) (T, error) { return k.by.get("", read) }

// keptBy is values read by key, each read once and kept until all are dropped together. gen counts the
// drops, so that a read begun before a drop does not keep what the drop replaced. It holds at most keptByMax
// keys: past that it starts again (a bound on memory, not a cache policy: the keys are a region's catalog
// items, a few thousand).
type keptBy[V any] struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]V
}

const keptByMax = 20000

// forget drops every kept value.
func (k *keptBy[V]) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gen++
	k.m = nil
}

// get returns the value kept for key, or reads it and keeps it unless the values were dropped meanwhile.
func (k *keptBy[V]) get(key string, read func() (V, error)) (V, error) {
	k.mu.Lock()
	v, ok := k.m[key]
	gen := k.gen
	k.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	k.mu.Lock()
	if k.gen == gen {
		if k.m == nil || len(k.m) >= keptByMax {
			k.m = map[string]V{}
		}
		k.m[key] = v
	}
	k.mu.Unlock()
	return v, nil
}

// Changed raises the version of a cache in the transaction that changes what it holds, so that every other
// instance drops its copy at its next poll after the commit (and not before: a poll in between still sees
// the old version and the old data together).
// What this instance keeps of the cache is dropped at the commit (ForgetKept).
func (tx *Tx) Changed(cache string) error {
	if cache == CacheReceivers || cache == CacheOrgs { // receivers are cached with their organisations' paths
		tx.receiversChanged = true
	}
	tx.afterCommit = append(tx.afterCommit, func() { tx.db.ForgetKept(cache) })
	_, err := tx.exec(`UPDATE cache_versions SET version = version + 1 WHERE name = ?`, cache)
	return err
}

// ForgetKept drops the values the store keeps in memory (kept) of a cache whose version moved: at the
// commit of a change made on this instance (Changed), at the poll that saw one made on another (the
// service's WatchCaches). Caches the store keeps nothing of are left to their owners.
func (db *DB) ForgetKept(cache string) {
	switch cache {
	case CacheOrgs, CacheReceivers: // receivers are kept with their organisations' paths
		db.receivers.forget()
	case CacheRecusals:
		db.declaring.forget()
	case CacheSplits:
		db.splits.forget()
	case CacheDelegations:
		db.delegations.forget()
	case CacheCatalog:
		db.publishedItems.forget()
	}
}

// inKeptSet reports whether id is in a set of ids kept in k, read from db by q (one column of ids) when not
// kept.
func inKeptSet(ctx context.Context, db *DB, k *kept[map[string]bool], id, q, what string) (bool, error) {
	ids, err := k.get(func() (map[string]bool, error) {
		list, err := db.queryStrings(ctx, q)
		ids := make(map[string]bool, len(list))
		for _, x := range list {
			ids[x] = true
		}
		return ids, errs.Wrap(err, what)
	})
	return ids[id], err
}

// CacheVersions reads every cache's version in one query: the poll each instance makes.
func (db *DB) CacheVersions(ctx context.Context) (map[string]int64, error) {
	// the primary's (db.w), never a replica's: an instance must not take an old version for the new one
	rows, err := db.w.QueryContext(ctx, `SELECT name, version FROM cache_versions UNION ALL SELECT 'catalog', generation FROM catalog_meta WHERE id = 1`)
	return keyed[int64](rows, err, "cache versions")
}

// WatchCaches polls the caches' versions every interval until ctx ends and calls moved with each cache whose
// version changed since the previous poll. The first poll only takes note. A poll that fails (the database
// away) is tried again at the next; versions only grow, so nothing moved meanwhile is missed.
func (db *DB) WatchCaches(ctx context.Context, every time.Duration, moved func(cache string)) {
	var seen map[string]int64
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if now, err := db.CacheVersions(ctx); err == nil {
			for name, v := range now {
				if old, ok := seen[name]; ok && old != v {
					moved(name)
				}
			}
			seen = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ForgetOrgs drops every cached organisation (another instance changed one).
func (db *DB) ForgetOrgs() { db.orgs.Clear() }

// Leading reports whether this instance runs the background jobs now.
func (db *DB) Leading() bool { return db.leading.Load() }

// Lead runs jobs while this instance leads, until ctx ends. On SQLite (one process per file) the instance
// always leads. On PostgreSQL leadership is a session advisory lock held by one dedicated connection: the
// others try to take it every retry, and the server releases it as the leader's connection closes, so that
// when the leader dies another instance takes over within retry (after the server notices the connection
// gone: at once when the process dies, within the server's TCP keepalive when its machine does). The
// leader pings its connection every retry; when the ping fails, it may have lost the lock, so its jobs are
// stopped (their context ends) before it tries to lead again.
//
// The lock is keyed by the schema too, so that Bianmins on several schemas of one database (the tests) each
// have a leader.
func (db *DB) Lead(ctx context.Context, retry time.Duration, jobs func(context.Context), log *slog.Logger) {
	if db.d.name == "sqlite" {
		db.leading.Store(true)
		defer db.leading.Store(false)
		jobs(ctx)
		return
	}
	for ctx.Err() == nil {
		conn, err := db.tryLead(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("leadership: cannot ask for the lock", "err", err)
		}
		if conn == nil {
			select {
			case <-ctx.Done():
			case <-time.After(retry):
			}
			continue
		}
		log.Info("leadership: this instance runs the background jobs")
		db.leading.Store(true)
		jctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			jobs(jctx)
		}()
		lost := db.hold(ctx, conn, retry, done)
		stop()
		<-done
		db.leading.Store(false)
		if lost {
			log.Warn("leadership: the lock's connection failed; jobs stopped, asking again")
			// the connection is not given back to the pool: it may still hold the lock
			conn.Raw(func(any) error { return driver.ErrBadConn })
		} else {
			unlock, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if _, err := conn.ExecContext(unlock, `SELECT pg_advisory_unlock(hashtext('bianmin.jobs'), hashtext(current_schema()))`); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
			cancel()
		}
		conn.Close()
	}
}

// tryLead asks for the jobs' lock on a connection of its own; nil when another instance holds it.
func (db *DB) tryLead(ctx context.Context) (*sql.Conn, error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext('bianmin.jobs'), hashtext(current_schema()))`).Scan(&got); err != nil || !got {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// hold keeps the lock's connection alive until ctx ends (false) or a ping fails (true).
func (db *DB) hold(ctx context.Context, conn *sql.Conn, every time.Duration, done <-chan struct{}) bool {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-done:
			return false
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, every)
			err := conn.PingContext(pctx)
			cancel()
			if err != nil && ctx.Err() == nil {
				return true
			}
		}
	}
}

// JobRan counts a run of a background job by an instance (job_runs): which instance ran what, and when last.
func (db *DB) JobRan(ctx context.Context, job, instance string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO job_runs (job, instance, runs, first_at, last_at) VALUES (?, ?, 1, ?, ?)
			ON CONFLICT (job, instance) DO UPDATE SET runs = job_runs.runs + 1, last_at = excluded.last_at`, job, instance, tx.now, tx.now)
		return err
	})
}

// JobRuns reads how many times each instance ran a job.
func (db *DB) JobRuns(ctx context.Context, job string) (map[string]int, error) {
	return db.countsBy(ctx, "job runs", `SELECT instance, runs FROM job_runs WHERE job = ?`, job)
}
