package store

import "context"

// churned are the tables every move rewrites rows of: their dead rows must be vacuumed away as they come.
var churned = []string{"cases", "case_clock", "outbox", "notices", "audit_heads", "counters", "idempotency", "stat_now"}

// Unvacuumed names what PostgreSQL does not vacuum by itself: "server" when its autovacuum is off, and each
// table moves rewrite whose own autovacuum is switched off. Without it the dead rows of every move pile up and
// the moves slow down day by day (BENCHMARKS.md saw 78 → 41 lifecycles/s over an hour). SQLite reuses its
// pages itself: nothing.
func (db *DB) Unvacuumed(ctx context.Context) ([]string, error) {
	if db.d.name != "postgres" {
		return nil, nil
	}
	var on string
	if err := db.queryRow(ctx, `SHOW autovacuum`).Scan(&on); err != nil {
		return nil, err
	}
	var out []string
	if on != "on" {
		out = append(out, "server")
	}
	tables, err := db.queryStrings(ctx, `SELECT t FROM unnest(?::text[]) t JOIN pg_class c ON c.oid = to_regclass(t)
		WHERE EXISTS (SELECT 1 FROM unnest(c.reloptions) o WHERE lower(o) IN ('autovacuum_enabled=false', 'autovacuum_enabled=off', 'autovacuum_enabled=0', 'autovacuum_enabled=no'))
		ORDER BY t`, churned)
	return append(out, tables...), err
}
