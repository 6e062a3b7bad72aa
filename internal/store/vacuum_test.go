package store_test

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// Bianmin names what PostgreSQL does not vacuum by itself: the server when its autovacuum is off (as the
// server's own setting says), and a table moves rewrite whose autovacuum is switched off; SQLite, nothing.
func TestUnvacuumed(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		off, err := db.Unvacuumed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() != "postgres" {
			if off != nil {
				t.Fatalf("SQLite: %v", off)
			}
			return
		}
		var on string
		if err := db.QueryRowRaw(ctx, `SHOW autovacuum`).Scan(&on); err != nil {
			t.Fatal(err)
		}
		if server := slices.Contains(off, "server"); server != (on == "off") {
			t.Fatalf("autovacuum %s, named: %v", on, off)
		}
		if slices.Contains(off, "outbox") {
			t.Fatalf("the outbox named before it was switched off: %v", off)
		}
		for _, set := range []string{"false", "off"} {
			if err := db.ExecRaw(ctx, `ALTER TABLE outbox SET (autovacuum_enabled = `+set+`)`); err != nil {
				t.Fatal(err)
			}
			if off, err = db.Unvacuumed(ctx); err != nil || !slices.Contains(off, "outbox") || slices.Contains(off, "cases") {
				t.Fatalf("the outbox switched off (%s): %v %v", set, off, err)
			}
		}
		if err := db.ExecRaw(ctx, `ALTER TABLE outbox RESET (autovacuum_enabled)`); err != nil {
			t.Fatal(err)
		}
		if off, err = db.Unvacuumed(ctx); err != nil || slices.Contains(off, "outbox") {
			t.Fatalf("the outbox switched on again: %v %v", off, err)
		}
	})
}

// Compact measures what is kept: the row versions an update left dead go, on PostgreSQL also when
// transactions begun before Compact was called, in its database or another, still run as it starts (it waits
// for them to end, as for a background job's or another test's).
func TestCompactAfterOlderTransactions(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := testkit.Open(t, e)
			if err := db.ExecRaw(ctx, `CREATE TABLE compact_probe (id integer PRIMARY KEY, v text NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			// under the size at which PostgreSQL compresses a row, so that each dead version takes its room
			row := strings.Repeat("x", 1500)
			if err := db.ExecRaw(ctx, `INSERT INTO compact_probe VALUES (1, ?)`, row); err != nil {
				t.Fatal(err)
			}
			size := func() int64 {
				t.Helper()
				m, err := db.TableBytes(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return m["compact_probe"]
			}
			if err := db.Compact(ctx); err != nil {
				t.Fatal(err)
			}
			kept := size()
			// a transaction with an id in each database named, begun before the updates and touching no table
			// Compact rewrites (so that no lock, only the horizon, stands in the way), ended while Compact
			// waits for it (or before Compact begins, on a slow machine: then the test shows less, never a
			// false failure)
			round := func(where string, urls ...string) {
				t.Helper()
				var held []*sql.Tx
				for _, u := range urls {
					conn, err := sql.Open("pgx", u)
					if err != nil {
						t.Fatal(err)
					}
					defer conn.Close()
					tx, err := conn.BeginTx(ctx, nil)
					if err != nil {
						t.Fatal(err)
					}
					defer tx.Rollback()
					if _, err := tx.ExecContext(ctx, `SELECT pg_current_xact_id()`); err != nil {
						t.Fatal(err)
					}
					held = append(held, tx)
				}
				for i := range 60 {
					if err := db.ExecRaw(ctx, `UPDATE compact_probe SET v = ? WHERE id = 1`, row[i:]+row[:i]); err != nil {
						t.Fatal(err)
					}
				}
				// SQLite writes an updated row over the old one; PostgreSQL keeps the old versions until vacuum
				if grown := size(); e.Name == "postgres" && grown < kept+60*1500 {
					t.Fatalf("%s: 60 updates of 1,500 bytes: %d bytes, from %d", where, grown, kept)
				}
				go func() {
					time.Sleep(300 * time.Millisecond)
					for _, tx := range held {
						tx.Rollback()
					}
				}()
				wait, cancel := context.WithTimeout(ctx, 20*time.Second)
				defer cancel()
				if err := db.Compact(wait); err != nil {
					t.Fatal(err)
				}
				if got := size(); got != kept {
					t.Fatalf("%s: compacted: %d bytes, the row alone %d", where, got, kept)
				}
			}
			if e.Name != "postgres" {
				round("no other transaction")
				return
			}
			round("a transaction in the test's database", e.URL)
			// another database's running transaction is the horizon of every snapshot taken meanwhile, VACUUM
			// FULL's own: as another package's test in a whole run
			round("a transaction in another database", os.Getenv(testkit.PostgresEnv))
		})
	}
}
