// Package testkit builds what tests stand on: real SQLite files and a real PostgreSQL schema (never mocks),
// a service over them, the demo world, and a whole running Bianmin.
package testkit

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"bianmin/internal/app"
	"bianmin/internal/demo"
	"bianmin/internal/i18n"
	"bianmin/internal/ids"
	"bianmin/internal/service"
	"bianmin/internal/store"
)

// PostgresEnv names the variable holding the URL of the PostgreSQL that store tests also run on.
const PostgresEnv = "BIANMIN_TEST_POSTGRES"

// Engine is one database a test runs on.
type Engine struct {
	Name string // "sqlite" or "postgres"
	URL  string // what store.Open takes; for SQLite a file path
}

// Engines returns SQLite always, and PostgreSQL when BIANMIN_TEST_POSTGRES is set. Each call makes fresh,
// empty databases: a temporary SQLite file and a new PostgreSQL database (a schema where the server does not
// let the test create databases), dropped when the test ends. Open and Start migrate them by copying a
// migrated template (template.go).
func Engines(t testing.TB) []Engine {
	t.Helper()
	out := []Engine{SQLite(t)}
	if base := os.Getenv(PostgresEnv); base != "" {
		u, ok := pgDatabase(t, base)
		if !ok {
			u = pgSchema(t, base)
		}
		handOut(u)
		out = append(out, Engine{Name: "postgres", URL: u})
	}
	return out
}

// pgSchema creates a schema of its own for one test and returns a URL whose connections use it.
func pgSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	schema := "t_" + strings.ReplaceAll(ids.Token(6), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres: create schema: %v (is %s right?)", err, PostgresEnv)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// Each runs fn as a subtest on every engine, with a migrated, empty store. The test runs in parallel with the
// package's other parallel tests (go test -parallel): each has databases of its own, and most of a test's
// time is spent waiting on its database, not on a processor.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	inParallel(t)
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// parallel holds the tests made parallel (a test may call Each or Start more than once).
var parallel sync.Map

// Alone keeps t from running beside other tests (one that sets the environment, which is the process's).
func Alone(t *testing.T) { parallel.Store(t, true) }

// inParallel lets t run beside the package's other parallel tests, once.
func inParallel(t testing.TB) {
	if tt, ok := t.(*testing.T); ok {
		if _, again := parallel.LoadOrStore(tt, true); !again {
			tt.Parallel()
		}
	}
}

// Open opens and migrates a store on an engine; it is closed when the test ends.
func Open(t testing.TB, e Engine) *store.DB {
	t.Helper()
	ctx := context.Background()
	copied := migrated(t, e)
	db, err := store.Open(ctx, e.URL, "")
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e.Name, err)
	}
	if copied {
		opened(t, db, e)
	}
	return db
}

// FastConfig is the service configuration for tests: the same rules with a cheap password hash, so that
// the demo world's accounts are made in milliseconds.
func FastConfig() service.Config {
	c := service.DefaultConfig()
	c.Hash = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	c.LoginsPerMinute = 1000
	c.Idle = 0 // tests move the clock by days with sessions open; the idle timeout has tests of its own
	return c
}

// Service makes a service over db.
func Service(t testing.TB, db *store.DB) *service.Service {
	t.Helper()
	svc, err := service.New(db, i18n.MustLoad(), FastConfig())
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// Demo loads the demo world into db and returns the service over it. A store fresh from Open, on the real
// clock, gets a copy of the world loaded once (world.go).
func Demo(t testing.TB, db *store.DB) *service.Service {
	t.Helper()
	ctx := context.Background()
	copied := demoCopy(t, db)
	svc := Service(t, db)
	if copied {
		// as demo.Load leaves it: the catalog's search index built
		if err := svc.RebuildSearchIndex(ctx); err != nil {
			t.Fatalf("demo: %v", err)
		}
	}
	if _, err := demo.Load(ctx, svc); err != nil {
		t.Fatalf("demo: %v", err)
	}
	return svc
}

// Running is a whole Bianmin serving HTTP on a free port.
type Running struct {
	*app.Main
	URL string
}

// Start runs Bianmin with the demo world on the engine, on 127.0.0.1 with a free port, until the test ends.
// The test runs in parallel with the package's other parallel tests.
func Start(t testing.TB, e Engine) *Running {
	t.Helper()
	inParallel(t)
	dir := t.TempDir()
	withWorld(t, e, dir)
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.Open(ctx, appConfig(dir, e.URL))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	// finds the world there when it was copied
	if _, err := demo.Load(ctx, m.Service); err != nil {
		t.Fatalf("demo: %v", err)
	}
	addr, err := m.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		m.Close()
	})
	r := &Running{Main: m, URL: "http://" + addr}
	for i := 0; i < 100; i++ {
		resp, err := http.Get(r.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return r
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server at %s never became healthy", r.URL)
	return nil
}

// withWorld makes a fresh engine's database a copy of Start's world, its keys in dir; where it cannot, a
// copy of the migrated template, into which Start loads the world.
func withWorld(t testing.TB, e Engine, dir string) {
	t.Helper()
	if !claim(e.URL) {
		return
	}
	name, err := copyWorld(e, worldApp)
	if err == nil {
		if err := writeWorldKeys(dir, name); err != nil {
			t.Fatalf("start: %v", err)
		}
		return
	}
	t.Logf("%s: the demo world is loaded, not copied (%v)", e.Name, err)
	copyMigrated(t, e)
}

// SQLite returns the SQLite engine only, for tests that are about the web layer and not the database.
func SQLite(t testing.TB) Engine {
	e := Engine{Name: "sqlite", URL: filepath.Join(t.TempDir(), "bianmin.db")}
	handOut(e.URL)
	return e
}

// SeedCases fills the cases table with n closed cases for benchmarks, in statements of a thousand rows. It
// writes past the service (no events, no audit): it is load, not history, and only benchmarks call it.
func SeedCases(t testing.TB, db *store.DB, handling, receiving, itemID, applicantID string, n int) {
	t.Helper()
	ctx := context.Background()
	const batch = 1000
	received := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += batch {
		var b strings.Builder
		b.WriteString(`INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, state, step, version, doc, received_at, updated_at) VALUES `)
		args := make([]any, 0, batch*13)
		for i := done; i < min(done+batch, n); i++ {
			if i > done {
				b.WriteString(",")
			}
			b.WriteString("(?, ?, ?, ?, ?, 1, ?, 'delivered', 3, 9, ?, ?, ?)")
			id := ids.New()
			at := received.Add(time.Duration(i) * 30 * time.Second)
			doc := fmt.Sprintf(`{"id":%q,"no":"SEED%09d","item_id":%q,"item_version":1,"item_name":"最低生活保障","channel":"window","receiving":%q,"handling":%q,"applicant_id":%q,"state":"delivered","step":3,"version":9}`,
				id, i, itemID, receiving, handling, applicantID)
			args = append(args, id, fmt.Sprintf("SEED%09d", i), handling, receiving, itemID, applicantID, doc, at, at)
		}
		if err := db.ExecRaw(ctx, b.String(), args...); err != nil {
			t.Fatalf("seed cases: %v", err)
		}
	}
}
