package testkit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/app"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/i18n"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// After its database, the demo world is what a test costs most: 0.3 to 0.5 s to load on SQLite, 0.6 to 1.2 s
// on PostgreSQL, some two hundred times a suite. So it is loaded once into a template as the migrations are
// (template.go) and copied, in two kinds: Demo's (the store and a service, the audit trail unkeyed) and
// Start's (through app.Open, the trail keyed, the keys in the data directory).
//
// A template is shared by every test process built from the same sources on the same day: its name carries a
// digest of the module's non-test files (a branch whose demo, service or migrations differ builds its own)
// and the date in the hall's time zone (the world's rows carry the time they were made: a test on the real
// clock sees a world made the same day, as before, only earlier by minutes). A test whose clock is not the
// real clock when it asks for the world loads it, as do tests whose database was written to first.
// Start's keys are derived from the template's name, so that a copy and its keys always belong together.

const (
	worldService = "svc" // Demo's world
	worldApp     = "app" // Start's world
)

// staleWorld is the age past which another sources' or day's template is dropped by a process building one.
const staleWorld = time.Hour

var sources struct {
	once   sync.Once
	digest string
	err    error
}

// worldName names the template of a kind of world for these sources and today.
func worldName(kind string) (string, error) {
	sources.once.Do(func() { sources.digest, sources.err = sourcesDigest() })
	if sources.err != nil {
		return "", sources.err
	}
	day := time.Now().In(clock.DefaultRules().Location).Format("20060102")
	return "bianmin_demo_" + sources.digest + "_" + day + "_" + kind, nil
}

// sourcesDigest digests go.mod, go.sum and every file under internal/ but tests and test data, found from the
// working directory (a package's, under go test) up.
func sourcesDigest() (string, error) {
	root, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil && strings.HasPrefix(string(b), "module bianmin\n") {
			break
		}
		up := filepath.Dir(root)
		if up == root {
			return "", errors.New("no bianmin go.mod above the working directory")
		}
		root = up
	}
	h := sha256.New()
	add := func(path string) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := add(filepath.Join(root, f)); err != nil {
			return "", err
		}
	}
	err = filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == "testdata":
			return filepath.SkipDir
		case d.IsDir() || !d.Type().IsRegular() || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		return add(path)
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// worldKey is a key of Start's world (the audit chain's, the result codes'), derived from its template.
func worldKey(name, file string) []byte {
	k := sha256.Sum256([]byte("bianmin test world\x00" + name + "\x00" + file))
	return k[:]
}

// writeWorldKeys puts the keys of the world name into a data directory.
func writeWorldKeys(dir, name string) error {
	for _, f := range []string{app.AuditKeyFile, app.CodeKeyFile} {
		if err := os.WriteFile(filepath.Join(dir, f), worldKey(name, f), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// appConfig is how Start runs Bianmin (and how its world's template is loaded).
func appConfig(dir, url string) app.Config {
	return app.Config{Addr: "127.0.0.1:0", DataDir: dir, DB: url, Service: FastConfig(),
		Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
}

// loadWorld loads the world of a kind into the migrated database at url, as Demo or Start would, and closes it.
func loadWorld(ctx context.Context, url, kind, name string) error {
	if kind == worldService {
		db, err := store.Open(ctx, url, "")
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		svc, err := service.New(db, i18n.MustLoad(), FastConfig())
		if err != nil {
			return err
		}
		_, err = demo.Load(ctx, svc)
		return err
	}
	dir, err := os.MkdirTemp("", "bianmin-world-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writeWorldKeys(dir, name); err != nil {
		return err
	}
	m, err := app.Open(ctx, appConfig(dir, url))
	if err != nil {
		return err
	}
	defer m.Close()
	_, err = demo.Load(ctx, m.Service)
	return err
}

// copyWorld makes the claimed, fresh engine's database a copy of the world's template and returns the
// template's name.
func copyWorld(e Engine, kind string) (string, error) {
	if e.Name == "postgres" {
		copied, name, err := pgCopy(e.URL, worldSource{kind})
		if err == nil && !copied {
			err = errors.New("the database is not empty")
		}
		return name, err
	}
	if _, err := os.Stat(e.URL); err == nil {
		return "", fmt.Errorf("%s exists", e.URL)
	}
	return sqliteWorldTo(e.URL, kind)
}

// replaceWorld puts a copy of the world's template in the place of the engine's database, which nobody is
// connected to.
func replaceWorld(e Engine, kind string) error {
	if e.Name == "postgres" {
		// the database replaced is a fresh copy of the migrated template (demoCopy): the next Open takes it
		migrated, err := templateName(e.URL)
		if err == nil {
			_, err = pgReplace(e.URL, worldSource{kind}, migrated)
		}
		return err
	}
	// SQLite removes the WAL when its last connection closes: one left means another connection is open
	for _, f := range []string{e.URL + "-wal", e.URL + "-shm"} {
		if _, err := os.Stat(f); err == nil {
			return fmt.Errorf("%s is open elsewhere", e.URL)
		}
	}
	_, err := sqliteWorldTo(e.URL, kind)
	return err
}

// sqliteWorlds lets one build of a world's template run at a time in this process.
var sqliteWorlds sync.Mutex

// sqliteWorldTo copies the world's template file to path (in its place, whole or not at all), building the
// template first when there is none.
func sqliteWorldTo(path, kind string) (string, error) {
	name, err := worldName(kind)
	if err != nil {
		return "", err
	}
	tmpl := filepath.Join(os.TempDir(), strings.ReplaceAll(name, "_", "-")+".db")
	if _, err := os.Stat(tmpl); err != nil {
		if err := sqliteBuildWorld(tmpl, name, kind); err != nil {
			return "", err
		}
	}
	part := path + ".world"
	if err := copyFile(tmpl, part); err != nil {
		os.Remove(part)
		return "", err
	}
	return name, os.Rename(part, path)
}

// sqliteBuildWorld loads the world into a copy of the migrated template and renames it into place (a process
// never copies a half-built one; two processes building at once each put a whole one there), and removes
// other templates older than staleWorld.
func sqliteBuildWorld(tmpl, name, kind string) error {
	sqliteWorlds.Lock()
	defer sqliteWorlds.Unlock()
	if _, err := os.Stat(tmpl); err == nil {
		return nil
	}
	dir, err := os.MkdirTemp("", "bianmin-world-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	build := filepath.Join(dir, "bianmin.db")
	if err := sqliteCopy(build); err != nil {
		return err
	}
	if err := loadWorld(context.Background(), build, kind, name); err != nil {
		return err
	}
	if _, err := os.Stat(build + "-wal"); err == nil {
		return errors.New("the world's WAL was not checkpointed")
	}
	if old, err := filepath.Glob(filepath.Join(os.TempDir(), "bianmin-demo-*.db")); err == nil {
		for _, f := range old {
			if fi, err := os.Stat(f); err == nil && f != tmpl && time.Since(fi.ModTime()) > staleWorld {
				os.Remove(f)
			}
		}
	}
	return os.Rename(build, tmpl)
}

// pgWorlds holds the world templates this process knows are there.
var pgWorlds = struct {
	sync.Mutex
	built map[string]bool
}{built: map[string]bool{}}

// worldSource is the template of a kind of world on PostgreSQL.
type worldSource struct{ kind string }

func (s worldSource) name(u string) (string, error) {
	name, err := worldName(s.kind)
	if err != nil {
		return "", err
	}
	pgWorlds.Lock()
	defer pgWorlds.Unlock()
	if !pgWorlds.built[name] {
		if err := pgBuildWorld(u, name, s.kind); err != nil {
			return "", err
		}
		pgWorlds.built[name] = true
	}
	return name, nil
}

func (worldSource) forget(name string) {
	pgWorlds.Lock()
	delete(pgWorlds.built, name)
	pgWorlds.Unlock()
}

// pgBuildWorld loads the world's template once for all test processes, under an advisory lock of its own
// (the migrated template's is taken inside, by templateName), and drops other worlds' templates made more
// than staleWorld ago, with what a killed build left.
func pgBuildWorld(u, name, kind string) error {
	migrated, err := templateName(u)
	if err != nil {
		return err
	}
	return pgLocked(u, "bianmin test world", func(ctx context.Context, conn *sql.Conn) error {
		if there, err := pgExists(ctx, conn, name); err != nil || there {
			return err
		}
		if err := dropListed(ctx, conn, `SELECT d.datname FROM pg_database d
			LEFT JOIN pg_shdescription s ON s.objoid = d.oid AND s.classoid = 'pg_database'::regclass
			WHERE d.datname LIKE 'bianmin\_demo\_%' AND (s.description IS NULL OR s.description < $1)`,
			time.Now().Add(-staleWorld).UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		build := name + "_build"
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+build+" TEMPLATE "+migrated); err != nil {
			return err
		}
		return pgPublish(ctx, conn, build, name, loadWorld(ctx, withDatabase(u, build), kind, name))
	})
}

// copies holds the stores Open made from a fresh copy of the migrated template (the engine of each): Demo
// may put the demo world's copy in place of one nothing was written to.
var copies sync.Map // *store.DB -> Engine

// pristine holds the number of rows of a fresh copy of the migrated template, by engine.
var pristine = struct {
	sync.Mutex
	rows map[string]int64
}{rows: map[string]int64{}}

// opened notes a store Open made from a fresh copy.
func opened(t testing.TB, db *store.DB, e Engine) {
	pristine.Lock()
	defer pristine.Unlock()
	if _, ok := pristine.rows[e.Name]; !ok {
		n, err := rowCount(context.Background(), db)
		if err != nil {
			t.Logf("%s: rows of the migrated template: %v", e.Name, err)
			return
		}
		pristine.rows[e.Name] = n
	}
	copies.Store(db, e)
	t.Cleanup(func() { copies.Delete(db) })
}

// demoCopy puts a copy of Demo's world in place of db's database when that gives the world Demo would load:
// Open made db from a fresh copy of the migrated template and nothing was written to it since, its clock is
// the real clock (a world loaded at another time carries other dates) and it has no audit key (Demo's world
// is unkeyed). It reports whether it did.
func demoCopy(t testing.TB, db *store.DB) bool {
	t.Helper()
	v, ok := copies.LoadAndDelete(db)
	if !ok || !realClock(db) || db.AuditKey != nil || db.CheckpointFile != "" {
		return false
	}
	e := v.(Engine)
	ctx := context.Background()
	pristine.Lock()
	want, known := pristine.rows[e.Name]
	pristine.Unlock()
	if n, err := rowCount(ctx, db); err != nil || !known || n != want {
		return false
	}
	if _, err := worldName(worldService); err != nil {
		t.Logf("%s: the demo world is loaded, not copied (%v)", e.Name, err)
		return false
	}
	if err := db.Reopen(ctx, func() error { return replaceWorld(e, worldService) }); err != nil {
		t.Logf("%s: the demo world is loaded, not copied (%v)", e.Name, err)
		return false
	}
	return true
}

// realClock reports whether the store's clock is time.Now itself.
func realClock(db *store.DB) bool {
	return reflect.ValueOf(db.Now).Pointer() == reflect.ValueOf(time.Now).Pointer()
}

// rowCount counts the rows of every table of the store's schema, in one statement.
func rowCount(ctx context.Context, db *store.DB) (int64, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.Dialect() == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := db.QueryRaw(ctx, q)
	if err != nil {
		return 0, err
	}
	var counts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return 0, err
		}
		counts = append(counts, `(SELECT count(*) FROM "`+name+`")`)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(counts) == 0 {
		return 0, errors.New("no tables")
	}
	var n int64
	err = db.QueryRowRaw(ctx, `SELECT `+strings.Join(counts, " + ")).Scan(&n)
	return n, err
}
