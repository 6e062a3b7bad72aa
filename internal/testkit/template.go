package testkit

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/ids"
	"bianmin/internal/store"
)

// Migrating a database is most of what a test costs: on PostgreSQL every migration is its own transaction and
// sync, seconds in all. So each test still gets a database of its own, but a copy of one migrated once per
// set of migrations (store.MigrationsDigest): on SQLite a copied file, on PostgreSQL CREATE DATABASE ...
// TEMPLATE. Engines hands out fresh, empty databases as before; the copy is made only when the test migrates
// through Open or Start, so a test that wants an empty or older schema (a restore, a migration test) opens
// the engine's URL itself and gets what it always got. Where the copy cannot be made (no CREATEDB right),
// the test migrates as it did before.

// fresh holds the engines handed out and not yet opened: only these may be replaced by a copy.
var fresh = struct {
	sync.Mutex
	urls map[string]bool
}{urls: map[string]bool{}}

func handOut(url string) {
	fresh.Lock()
	fresh.urls[url] = true
	fresh.Unlock()
}

// claim reports whether url is a fresh engine, and makes it no longer one.
func claim(url string) bool {
	fresh.Lock()
	defer fresh.Unlock()
	ok := fresh.urls[url]
	delete(fresh.urls, url)
	return ok
}

// migrated makes a fresh engine's database a copy of the migrated template and reports whether it did; any
// other engine is left alone for store.Migrate to bring up to date.
func migrated(t testing.TB, e Engine) bool {
	t.Helper()
	return claim(e.URL) && copyMigrated(t, e)
}

// copyMigrated makes the claimed engine's database a copy of the migrated template.
func copyMigrated(t testing.TB, e Engine) bool {
	t.Helper()
	var err error
	copied := true
	if e.Name == "postgres" {
		copied, _, err = pgCopy(e.URL, migratedSource{})
	} else {
		err = sqliteCopy(e.URL)
	}
	if err != nil {
		t.Logf("%s: no migrated template (%v): this test migrates its own database", e.Name, err)
	}
	return copied && err == nil
}

var sqliteTemplate struct {
	once sync.Once
	path string
	err  error
}

// sqliteCopy copies the migrated template file to path, which does not exist yet.
func sqliteCopy(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists", path)
	}
	sqliteTemplate.once.Do(func() { sqliteTemplate.path, sqliteTemplate.err = sqliteBuild() })
	if sqliteTemplate.err != nil {
		return sqliteTemplate.err
	}
	return copyFile(sqliteTemplate.path, path)
}

// sqliteBuild migrates the template file once for every test process that shares the migrations; it is
// built under another name and renamed into place, so a process never copies a half-built one.
func sqliteBuild() (string, error) {
	path := filepath.Join(os.TempDir(), "bianmin-test-"+store.MigrationsDigest()+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	dir, err := os.MkdirTemp(os.TempDir(), "bianmin-template-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	build := filepath.Join(dir, "bianmin.db")
	ctx := context.Background()
	db, err := store.Open(ctx, build, "")
	if err != nil {
		return "", err
	}
	_, err = db.Migrate(ctx)
	db.Close() // the last connection closed checkpoints the WAL into the file
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(build + "-wal"); err == nil {
		return "", fmt.Errorf("the template's WAL was not checkpointed")
	}
	return path, os.Rename(build, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pgTemplate is the name of the migrated template database this process copies ("" until built).
var pgTemplate struct {
	sync.Mutex
	name string
}

// pgDatabase creates an empty database of its own for one test (or takes one from the pool), dropped in the
// background when the test ends, and returns its URL; ok is false when the server refuses (then the caller
// uses a schema of its own instead).
func pgDatabase(t testing.TB, base string) (string, bool) {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", false
	}
	defer admin.Close()
	sweep.Do(func() { go sweepDatabases(base) })
	// the name says when it was made, for sweepDatabases
	name := fmt.Sprintf("bianmin_t_%d_%s", time.Now().Unix(), ids.Token(6))
	if !reuse(admin, poolEmpty, name) {
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			return "", false
		}
	}
	t.Cleanup(func() { dropLater(base, name) })
	// A test's commits need not reach the disk before they are acknowledged: the server keeps running, so
	// nothing committed is lost, and a test of lost writes kills Bianmin, not PostgreSQL. It halves what the
	// demo world costs to load. A benchmark's commits wait for the disk, as production's do: its figures are
	// compared with those of commits made before tests stopped waiting.
	u := withDatabase(base, name)
	if _, bench := t.(*testing.B); bench {
		return u, true
	}
	if strings.Contains(u, "?") {
		u += "&synchronous_commit=off"
	} else {
		u += "?synchronous_commit=off"
	}
	return u, true
}

// pgSource is a template database that pgCopy copies: name builds it when it is not there yet, forget
// is told that a copy of it failed (it may have been dropped by another process), so that the next name
// builds it again.
type pgSource interface {
	name(u string) (string, error)
	forget(name string)
}

// migratedSource is the migrated template.
type migratedSource struct{}

func (migratedSource) name(u string) (string, error) { return templateName(u) }

func (migratedSource) forget(name string) {
	pgTemplate.Lock()
	if pgTemplate.name == name {
		pgTemplate.name = ""
	}
	pgTemplate.Unlock()
}

// pgCopy makes the empty database of u, nobody connected to it yet, a copy of the template src, and returns
// the template's name; copied is false (and err nil) when the database is not empty.
func pgCopy(u string, src pgSource) (copied bool, tmpl string, err error) {
	// a test may have written through another way first (a command run on the engine's URL): keep that
	replaced := poolEmpty
	if own, err := sql.Open("pgx", u); err == nil {
		var tables, schemas int
		err = own.QueryRow(`SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()),
			(SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\_%')`).Scan(&tables, &schemas)
		own.Close()
		if err != nil || tables > 0 {
			return false, "", err
		}
		if schemas > 0 {
			replaced = "" // not empty enough to be used again
		}
	}
	tmpl, err = pgReplace(u, src, replaced)
	return err == nil, tmpl, err
}

// pgReplace puts a copy of the template src in the place of the database of u, which nobody may be
// connected to: the copy is made under a name of its own first, so that the database stays where it fails.
// The template may be gone (dropped as stale by a process of other sources): it is built again, once. The
// database replaced goes to the pool of its kind, replaced (a copy of a template, or poolEmpty), or with
// none (""), is dropped.
func pgReplace(u string, src pgSource, replaced string) (string, error) {
	name, err := databaseOf(u)
	if err != nil || !strings.HasPrefix(name, "bianmin_t_") {
		return "", fmt.Errorf("not a test database of its own: %s", u)
	}
	admin, err := sql.Open("pgx", withDatabase(u, "postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	var tmpl string
	for attempt := 0; ; attempt++ {
		if tmpl, err = src.name(u); err != nil {
			return "", err
		}
		if reuse(admin, tmpl, name+"_c") {
			break
		}
		if _, err = admin.Exec("CREATE DATABASE " + name + "_c TEMPLATE " + tmpl); err == nil {
			break
		}
		src.forget(tmpl)
		if attempt == 1 {
			return "", err
		}
	}
	old := name + "_x" + ids.Token(2)
	if _, err := admin.Exec("ALTER DATABASE " + name + " RENAME TO " + old); err != nil {
		admin.Exec("DROP DATABASE " + name + "_c")
		return "", err
	}
	if _, err := admin.Exec("ALTER DATABASE " + name + "_c RENAME TO " + name); err != nil {
		admin.Exec("ALTER DATABASE " + old + " RENAME TO " + name)
		return "", err
	}
	keep(u, replaced, old)
	return tmpl, nil
}

// DROP DATABASE waits for a checkpoint, a second or more on a busy server, and CREATE DATABASE copies a
// template: so a database a test has not written to is used again by the next test of the process rather
// than dropped, renamed into place. The pool holds, by kind, empty databases (poolEmpty) that a copy took
// the place of, and fresh copies of the migrated template (by its name) that the demo world's copy took the
// place of. What is in it when the process ends, sweepDatabases drops later.
var pool = struct {
	sync.Mutex
	dbs map[string][]string
}{dbs: map[string][]string{}}

const (
	poolEmpty = "empty"
	poolMax   = 2 // of each kind
)

// keep puts the database name, unused since it was made, in the pool of its kind, or drops it.
func keep(u, kind, name string) {
	if kind != "" {
		pool.Lock()
		if len(pool.dbs[kind]) < poolMax {
			pool.dbs[kind] = append(pool.dbs[kind], name)
			pool.Unlock()
			return
		}
		pool.Unlock()
	}
	dropLater(u, name)
}

// reuse renames a database of the pool's kind to name, and reports whether it did.
func reuse(admin *sql.DB, kind, name string) bool {
	for {
		pool.Lock()
		dbs := pool.dbs[kind]
		if len(dbs) == 0 {
			pool.Unlock()
			return false
		}
		from := dbs[len(dbs)-1]
		pool.dbs[kind] = dbs[:len(dbs)-1]
		pool.Unlock()
		// it may be gone, swept by another process
		if _, err := admin.Exec("ALTER DATABASE " + from + " RENAME TO " + name); err == nil {
			return true
		}
	}
}

// drops lets a few databases be dropped at once in the background (drops waiting at once share a
// checkpoint).
var drops = make(chan struct{}, 4)

// dropLater drops a test's database in the background, past the test's time: DROP DATABASE waits for a
// checkpoint. A drop the process does not live to finish is left to sweepDatabases.
func dropLater(u, name string) {
	drops <- struct{}{} // a test waits here while four drops are under way: few are cut short
	go func() {
		defer func() { <-drops }()
		if a, err := sql.Open("pgx", withDatabase(u, "postgres")); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	}()
}

var sweep sync.Once

// leftOver is the age past which a test's database is taken for one its process left behind: no test runs
// that long (scripts/test calls a package hung after 25 minutes). A database renamed out of the way (_x) is
// in a pool or waiting to be dropped, and no test uses it: it goes sooner (a process whose pooled database is
// gone makes a new one).
const (
	leftOver     = 2 * time.Hour
	leftOverPool = 15 * time.Minute
)

// sweepDatabases drops the test databases that processes left behind (their drops cut short when they
// ended), by the time in their names; one somebody is connected to stays.
func sweepDatabases(u string) {
	admin, err := sql.Open("pgx", withDatabase(u, "postgres"))
	if err != nil {
		return
	}
	defer admin.Close()
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname ~ '^bianmin_t_[0-9]{10}_'`)
	if err != nil {
		return
	}
	var old []string
	for rows.Next() {
		var name string
		var at int64
		if rows.Scan(&name) == nil {
			age := leftOver
			if strings.Contains(name, "_x") {
				age = leftOverPool
			}
			if _, err := fmt.Sscanf(name, "bianmin_t_%d_", &at); err == nil && time.Since(time.Unix(at, 0)) > age {
				old = append(old, name)
			}
		}
	}
	rows.Close()
	for _, name := range old {
		admin.Exec("DROP DATABASE IF EXISTS " + name)
	}
}

// templateName is the migrated template's name, built the first time it is asked for.
func templateName(u string) (string, error) {
	pgTemplate.Lock()
	defer pgTemplate.Unlock()
	if pgTemplate.name == "" {
		name, err := pgBuild(u)
		if err != nil {
			return "", err
		}
		pgTemplate.name = name
	}
	return pgTemplate.name, nil
}

// pgBuild migrates the template database once for all test processes that share the migrations, under an
// advisory lock (the packages' tests run at once), and drops templates of other migrations built more than
// a day ago.
func pgBuild(u string) (string, error) {
	name := "bianmin_tmpl_" + store.MigrationsDigest()
	err := pgLocked(u, "bianmin test template", func(ctx context.Context, conn *sql.Conn) error {
		if there, err := pgExists(ctx, conn, name); err != nil || there {
			return err
		}
		// templates of other migrations built more than a day ago: a process of other migrations (another
		// checkout's tests) may be copying a newer one right now
		if err := dropListed(ctx, conn, `SELECT d.datname FROM pg_database d
			JOIN pg_shdescription s ON s.objoid = d.oid AND s.classoid = 'pg_database'::regclass
			WHERE d.datname LIKE 'bianmin\_tmpl\_%' AND s.description < $1`, time.Now().Add(-24*time.Hour).UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		build := name + "_build"
		conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)") // left by a process killed while building
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+build); err != nil {
			return err
		}
		db, err := store.Open(ctx, withDatabase(u, build), "")
		if err == nil {
			_, err = db.Migrate(ctx)
			db.Close()
		}
		return pgPublish(ctx, conn, build, name, err)
	})
	if err != nil {
		return "", err
	}
	return name, nil
}

// pgLocked runs fn on a connection to the server's maintenance database that holds the advisory lock named
// lock: test processes take it to build a template once between them.
func pgLocked(u, lock string, fn func(ctx context.Context, conn *sql.Conn) error) error {
	ctx := context.Background()
	admin, err := sql.Open("pgx", withDatabase(u, "postgres"))
	if err != nil {
		return err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1))`, lock); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(hashtext($1))`, lock)
	return fn(ctx, conn)
}

func pgExists(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n)
	return n == 1, err
}

// dropListed drops the databases a query lists (stale templates).
func dropListed(ctx context.Context, conn *sql.Conn, query string, args ...any) error {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	var stale []string
	for rows.Next() {
		var s string
		if rows.Scan(&s) == nil {
			stale = append(stale, s)
		}
	}
	rows.Close()
	for _, s := range stale {
		conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+s+" WITH (FORCE)")
	}
	return nil
}

// pgPublish stamps the template built with the time (for the next builders' staleness) and renames it into
// place; when building failed (err), it drops what was built.
func pgPublish(ctx context.Context, conn *sql.Conn, build, name string, err error) error {
	if err == nil {
		_, err = conn.ExecContext(ctx, "COMMENT ON DATABASE "+build+" IS '"+time.Now().UTC().Format(time.RFC3339)+"'")
	}
	if err == nil {
		_, err = conn.ExecContext(ctx, "ALTER DATABASE "+build+" RENAME TO "+name)
	}
	if err != nil {
		conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)")
	}
	return err
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func databaseOf(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}
