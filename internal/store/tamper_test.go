package store_test

import (
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/ids"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The tamper suite of issue 16, finding 7: someone with full access to the database (but not to the audit
// key or the checkpoints log, which are kept outside it) rewrites the trail in nine ways, on both engines.
// Before the chain was keyed and checkpointed, the four marked "was missed" passed `audit verify`.
//
// The trail of each case: entries 1-7 written before the key existed (plain SHA-256, and they must still
// verify), 8-12 keyed (HMAC-SHA256), a signed checkpoint at 12, then 13-14 keyed.
func TestTamperSuite(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *store.DB)
	}{
		{"1 an entry's content edited", func(t *testing.T, db *store.DB) {
			exec(t, db, `UPDATE audit_log SET after_json = '{"NameZh":"伪造"}' WHERE seq = 10`)
		}},
		{"2 an entry in the middle deleted", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 9`)
		}},
		{"3 the newest entry deleted, the head left", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 14`)
		}},
		{"4 an entry edited and its own plain hash recomputed", func(t *testing.T, db *store.DB) {
			es := entries(t, db)
			e := es[9] // seq 10
			e.After = `{"NameZh":"伪造"}`
			exec(t, db, `UPDATE audit_log SET after_json = ?, hash = ? WHERE seq = 10`, e.After, e.ComputeHash())
		}},
		{"5 the tail deleted and the head rolled back (was missed)", func(t *testing.T, db *store.DB) {
			es := entries(t, db)
			exec(t, db, `DELETE FROM audit_log WHERE seq > 10`)
			exec(t, db, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, es[9].Seq, es[9].Hash)
		}},
		{"6 an entry edited and the unkeyed chain recomputed from it, head included (was missed)", func(t *testing.T, db *store.DB) {
			rechain(t, db, 10, func(e *audit.Entry) { e.After = `{"NameZh":"伪造"}` })
		}},
		{"6b the same, the whole keyed part rewritten unkeyed and the head's keyed_from cleared", func(t *testing.T, db *store.DB) {
			rechain(t, db, 8, func(e *audit.Entry) {
				if e.Seq == 10 {
					e.After = `{"NameZh":"伪造"}`
				}
			})
			exec(t, db, `UPDATE audit_head SET keyed_from = 0 WHERE id = 1`)
		}},
		{"7 a forged entry inserted with a correct plain hash, head advanced (was missed)", func(t *testing.T, db *store.DB) {
			es := entries(t, db)
			f := audit.Entry{ID: ids.New(), At: es[13].At, ActorID: "x", ActorName: "伪造者", Action: "org.delete", Entity: "org", EntityID: "x"}
			f.Seal(&es[13])
			exec(t, db, `INSERT INTO audit_log (seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, '', '', ?, ?)`, f.Seq, f.ID, f.At, f.ActorID, f.ActorName, f.Action, f.Entity, f.EntityID, f.PrevHash, f.Hash)
			exec(t, db, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, f.Seq, f.Hash)
		}},
		{"8 everything wiped and the head reset (was missed: \"intact: 0 entries\")", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log`)
			exec(t, db, `UPDATE audit_head SET seq = 0, hash = ?, keyed_from = 0 WHERE id = 1`, audit.Genesis)
		}},
		{"9 TRUNCATE (PostgreSQL; bypassed the row trigger), the head reset", func(t *testing.T, db *store.DB) {
			if db.Dialect() == "postgres" {
				exec(t, db, `TRUNCATE audit_log`)
			} else {
				exec(t, db, `DELETE FROM audit_log`) // SQLite's truncate
			}
			exec(t, db, `UPDATE audit_head SET seq = 0, hash = ?, keyed_from = 0 WHERE id = 1`, audit.Genesis)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, e := range testkit.Engines(t) {
				t.Run(e.Name, func(t *testing.T) {
					db := keyedTrail(t, e)
					if n, err := db.VerifyAudit(ctx); err != nil || n != 14 {
						t.Fatalf("intact trail: %d entries, %v", n, err)
					}
					unguardAll(t, db)
					c.tamper(t, db)
					n, err := db.VerifyAudit(ctx)
					var b *audit.Break
					if !errors.As(err, &b) {
						t.Fatalf("tampering not detected: %d entries, %v", n, err)
					}
					t.Logf("detected: %v", b)
					// a new checkpoint (which checks only what came after the last one) does not launder it
					db.WriteCheckpoint(ctx)
					if _, err := db.VerifyAudit(ctx); !errors.As(err, &b) {
						t.Fatalf("after a new checkpoint, the tampering passes: %v", err)
					}
				})
			}
		})
	}
}

// The guards in the database itself, before anyone removes them: no UPDATE, DELETE or TRUNCATE of the
// trail, and a head that only moves forward.
func TestAuditGuards(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := keyedTrail(t, e)
			refused := []string{
				`UPDATE audit_log SET actor_name = 'x' WHERE seq = 3`,
				`DELETE FROM audit_log WHERE seq = 14`,
				`DELETE FROM audit_log`,
				`UPDATE audit_head SET seq = 10 WHERE id = 1`,
				`UPDATE audit_head SET keyed_from = 0 WHERE id = 1`,
			}
			if db.Dialect() == "postgres" {
				refused = append(refused, `TRUNCATE audit_log`, `TRUNCATE audit_head`, `TRUNCATE audit_log, audit_head`)
			}
			for _, q := range refused {
				if err := db.ExecRaw(ctx, q); err == nil {
					t.Errorf("the database accepted %s", q)
				}
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != 14 {
				t.Fatalf("after refused statements: %d entries, %v", n, err)
			}
		})
	}
}

// Without the key, a keyed trail can be neither continued nor judged; with another key, it does not verify.
func TestAuditKeyKeptApart(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := keyedTrail(t, e)
			key := db.AuditKey
			db.AuditKey = nil
			if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Audit(access.System, "note", "note", "n", "", nil, "x") }); !errors.Is(err, audit.ErrNoKey) {
				t.Fatalf("an unkeyed append to a keyed chain: %v", err)
			}
			db.CheckpointFile = ""
			if _, err := db.VerifyAudit(ctx); !errors.Is(err, audit.ErrNoKey) {
				t.Fatalf("verify without the key: %v", err)
			}
			other := make([]byte, 32)
			rand.Read(other)
			db.AuditKey = other
			var b *audit.Break
			if _, err := db.VerifyAudit(ctx); !errors.As(err, &b) || b.Seq != 8 {
				t.Fatalf("verify under another key: want a break at the first keyed entry, got %v", err)
			}
			db.AuditKey = key
			if n, err := db.VerifyAudit(ctx); err != nil || n != 14 {
				t.Fatalf("under its key: %d, %v", n, err)
			}
		})
	}
}

// keyedTrail makes the trail every tamper case starts from. The key lives in the test (as in a file beside
// the database), never in the database.
func keyedTrail(t *testing.T, e testkit.Engine) *store.DB {
	t.Helper()
	db := testkit.Open(t, e)
	tree(t, db) // 1-7, before the key
	key := make([]byte, 32)
	rand.Read(key)
	db.AuditKey, db.CheckpointFile = key, filepath.Join(t.TempDir(), audit.CheckpointFile)
	notes(t, db, 5) // 8-12, keyed
	if h, _ := db.AuditHead(ctx); h.KeyedFrom != 8 {
		t.Fatalf("keyed from %d, want 8", h.KeyedFrom)
	}
	cp, err := db.WriteCheckpoint(ctx)
	if err != nil || cp.Seq != 12 {
		t.Fatalf("checkpoint: %+v %v", cp, err)
	}
	notes(t, db, 2) // 13-14
	return db
}

func notes(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(access.System, "note.add", "note", ids.New(), "", nil, map[string]int{"n": i})
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if err := db.ExecRaw(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", strings.Fields(q)[0], err)
	}
}

// unguardAll plays the attacker who owns the database: every guard trigger goes.
func unguardAll(t *testing.T, db *store.DB) {
	t.Helper()
	if db.Dialect() == "sqlite" {
		for _, tr := range []string{"audit_log_no_update", "audit_log_no_delete", "audit_head_forward"} {
			exec(t, db, `DROP TRIGGER `+tr)
		}
		return
	}
	exec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER USER`)
	exec(t, db, `ALTER TABLE audit_head DISABLE TRIGGER USER`)
}

func entries(t *testing.T, db *store.DB) []audit.Entry {
	t.Helper()
	rows, err := db.QueryRaw(ctx, `SELECT seq, chain, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		if err := rows.Scan(&e.Seq, &e.Chain, &e.ID, &e.At, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// rechain edits entries from seq `from` on and recomputes their plain SHA-256 chain and the head, as the
// attacker without the key can.
func rechain(t *testing.T, db *store.DB, from int64, edit func(*audit.Entry)) {
	t.Helper()
	es := entries(t, db)
	for i := range es {
		if es[i].Seq < from {
			continue
		}
		edit(&es[i])
		es[i].Seal(&es[i-1])
		exec(t, db, `UPDATE audit_log SET after_json = ?, prev_hash = ?, hash = ? WHERE seq = ?`, es[i].After, es[i].PrevHash, es[i].Hash, es[i].Seq)
	}
	last := es[len(es)-1]
	exec(t, db, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, last.Seq, last.Hash)
}
