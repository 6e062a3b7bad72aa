package store

import "testing"

// TestPlaceholders: ? becomes $n on PostgreSQL, in order, outside quoted text only; SQLite keeps the text;
// a text rewritten once and kept answers the same the second time.
func TestPlaceholders(t *testing.T) {
	cases := []struct{ in, pg string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE id = ?`, `SELECT a FROM t WHERE id = $1`},
		{`UPDATE t SET a = ?, b = ? WHERE id IN (?, ?)`, `UPDATE t SET a = $1, b = $2 WHERE id IN ($3, $4)`},
		{`SELECT '?' || a FROM t WHERE b = ?`, `SELECT '?' || a FROM t WHERE b = $1`},
		{`SELECT 'it''s ?' FROM t WHERE b = ? AND c = '?'`, `SELECT 'it''s ?' FROM t WHERE b = $1 AND c = '?'`},
		{`INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, `INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`},
	}
	for _, c := range cases {
		for round := range 2 {
			if got := postgres.q(c.in); got != c.pg {
				t.Errorf("postgres, round %d: q(%q) = %q, want %q", round, c.in, got, c.pg)
			}
		}
		if got := sqlite.q(c.in); got != c.in {
			t.Errorf("sqlite: q(%q) = %q, want it unchanged", c.in, got)
		}
	}
	if n := rewrittenN.Load(); n == 0 || n > maxRewritten {
		t.Errorf("%d texts kept, want some and at most %d", n, maxRewritten)
	}
}
