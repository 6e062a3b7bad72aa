package store_test

import (
	"slices"
	"testing"

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
