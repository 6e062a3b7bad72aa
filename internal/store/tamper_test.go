package store_test

import (
	"crypto/rand"
	"encoding/hex"
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

// The tamper suite of issues 16 and 18: someone with full access to the database (but not to the audit key
// or the checkpoints log, which are kept outside it) rewrites the trail, on both engines. Before the chain
// was keyed and checkpointed, the four marked "was missed" passed `audit verify`. Cases 10-14 are of the
// chains per organisation (issue 18).
//
// The trail of each case (keyedTrail): seven organisations' chains of one entry each (written before the key);
// the main chain, entries 1-7 written before the key existed (plain SHA-256, and they must still verify),
// 8-12 keyed (HMAC-SHA256), a signed checkpoint at 12, then 13-14 keyed; and an organisation's chain "org-a",
// 1-3 plain, 4-6 keyed, checkpointed at 6, then 7.
func TestTamperSuite(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *store.DB)
		chain  string // the chain the break must be reported on
	}{
		{"1 an entry's content edited", func(t *testing.T, db *store.DB) {
			exec(t, db, `UPDATE audit_log SET after_json = '{"NameZh":"伪造"}' WHERE chain = 'main' AND seq = 10`)
		}, "main"},
		{"2 an entry in the middle deleted", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE chain = 'main' AND seq = 9`)
		}, "main"},
		{"3 the newest entry deleted, the head left", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE chain = 'main' AND seq = 14`)
		}, "main"},
		{"4 an entry edited and its own plain hash recomputed", func(t *testing.T, db *store.DB) {
			es := entries(t, db, "main")
			e := es[9] // seq 10
			e.After = `{"NameZh":"伪造"}`
			exec(t, db, `UPDATE audit_log SET after_json = ?, hash = ? WHERE chain = 'main' AND seq = 10`, e.After, unhex(e.ComputeHash()))
		}, "main"},
		{"5 the tail deleted and the head rolled back (was missed)", func(t *testing.T, db *store.DB) {
			es := entries(t, db, "main")
			exec(t, db, `DELETE FROM audit_log WHERE chain = 'main' AND seq > 10`)
			exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = 'main'`, es[9].Seq, es[9].Hash)
		}, "main"},
		{"6 an entry edited and the unkeyed chain recomputed from it, head included (was missed)", func(t *testing.T, db *store.DB) {
			rechain(t, db, "main", 10, func(e *audit.Entry) { e.After = `{"NameZh":"伪造"}` })
		}, "main"},
		{"6b the same, the whole keyed part rewritten unkeyed and the head's keyed_from cleared", func(t *testing.T, db *store.DB) {
			rechain(t, db, "main", 8, func(e *audit.Entry) {
				if e.Seq == 10 {
					e.After = `{"NameZh":"伪造"}`
				}
			})
			exec(t, db, `UPDATE audit_heads SET keyed_from = 0 WHERE chain = 'main'`)
		}, "main"},
		{"7 a forged entry inserted with a correct plain hash, head advanced (was missed)", func(t *testing.T, db *store.DB) {
			es := entries(t, db, "main")
			f := audit.Entry{ID: ids.New(), At: es[13].At, ActorID: "x", ActorName: "伪造者", Action: "org.delete", Entity: "org", EntityID: "x"}
			f.Seal(&es[13])
			exec(t, db, `INSERT INTO audit_log (chain, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash)
				VALUES ('main', ?, ?, ?, ?, ?, '', ?, ?, ?, '', '', ?)`, f.Seq, f.ID, f.At, f.ActorID, f.ActorName, f.Action, f.Entity, f.EntityID, unhex(f.Hash))
			exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = 'main'`, f.Seq, f.Hash)
		}, "main"},
		{"8 everything wiped and the heads reset (was missed: \"intact: 0 entries\")", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log`)
			exec(t, db, `UPDATE audit_heads SET seq = 0, hash = ?, keyed_from = 0`, audit.Genesis)
		}, ""},
		{"9 TRUNCATE (PostgreSQL; bypassed the row trigger), the heads removed", func(t *testing.T, db *store.DB) {
			if db.Dialect() == "postgres" {
				exec(t, db, `TRUNCATE audit_log, audit_heads`)
			} else {
				exec(t, db, `DELETE FROM audit_log`) // SQLite's truncate
				exec(t, db, `DELETE FROM audit_heads`)
			}
		}, ""},
		{"10 an organisation's entry edited", func(t *testing.T, db *store.DB) {
			exec(t, db, `UPDATE audit_log SET after_json = '{"n":99}' WHERE chain = 'org-a' AND seq = 5`)
		}, "org-a"},
		{"11 an organisation's chain truncated: its entries and its head deleted", func(t *testing.T, db *store.DB) {
			exec(t, db, `DELETE FROM audit_log WHERE chain = 'org-a'`)
			exec(t, db, `DELETE FROM audit_heads WHERE chain = 'org-a'`)
		}, "org-a"},
		{"12 an organisation's head rolled back past its checkpoint, with its tail", func(t *testing.T, db *store.DB) {
			es := entries(t, db, "org-a")
			exec(t, db, `DELETE FROM audit_log WHERE chain = 'org-a' AND seq > 4`)
			exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = 'org-a'`, es[3].Seq, es[3].Hash)
		}, "org-a"},
		{"13 an organisation's newest entry moved to the end of another chain, both heads made to agree", func(t *testing.T, db *store.DB) {
			a := entries(t, db, "org-a")
			e := a[6]
			exec(t, db, `UPDATE audit_log SET chain = 'main', seq = 15, org_id = 'org-a' WHERE chain = 'org-a' AND seq = 7`)
			exec(t, db, `UPDATE audit_heads SET seq = 15, hash = ? WHERE chain = 'main'`, e.Hash)
			exec(t, db, `UPDATE audit_heads SET seq = 6, hash = ? WHERE chain = 'org-a'`, a[5].Hash)
		}, "main"},
		{"14 an entry moved to a chain of its own, no head made for it", func(t *testing.T, db *store.DB) {
			exec(t, db, `UPDATE audit_log SET chain = 'org-b' WHERE chain = 'org-a' AND seq = 7`)
			a := entries(t, db, "org-a")
			exec(t, db, `UPDATE audit_heads SET seq = 6, hash = ? WHERE chain = 'org-a'`, a[5].Hash)
		}, "org-b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, e := range testkit.Engines(t) {
				t.Run(e.Name, func(t *testing.T) {
					db := keyedTrail(t, e)
					if n, err := db.VerifyAudit(ctx); err != nil || n != trailLen {
						t.Fatalf("intact trail: %d entries, %v", n, err)
					}
					unguardAll(t, db)
					c.tamper(t, db)
					n, err := db.VerifyAudit(ctx)
					var b *audit.Break
					if !errors.As(err, &b) {
						t.Fatalf("tampering not detected: %d entries, %v", n, err)
					}
					if c.chain != "" && b.Chain != c.chain {
						t.Fatalf("detected on chain %q, want %q: %v", b.Chain, c.chain, b)
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

// trailLen is the entries keyedTrail writes: 7 organisations' first entries, 14 on main, 7 on org-a.
const trailLen = 7 + 14 + 7

// The guards in the database itself, before anyone removes them: no UPDATE, DELETE or TRUNCATE of the
// trail, and a head that only moves forward.
func TestAuditGuards(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := keyedTrail(t, e)
			refused := []string{
				`UPDATE audit_log SET actor_name = 'x' WHERE chain = 'main' AND seq = 3`,
				`UPDATE audit_log SET chain = 'org-b' WHERE chain = 'org-a' AND seq = 7`,
				`DELETE FROM audit_log WHERE chain = 'main' AND seq = 14`,
				`DELETE FROM audit_log`,
				`UPDATE audit_heads SET seq = 10 WHERE chain = 'main'`,
				`UPDATE audit_heads SET keyed_from = 0 WHERE chain = 'main'`,
				`DELETE FROM audit_heads WHERE chain = 'org-a'`,
			}
			if db.Dialect() == "postgres" {
				refused = append(refused, `TRUNCATE audit_log`, `TRUNCATE audit_heads`, `TRUNCATE audit_log, audit_heads`)
			}
			for _, q := range refused {
				if err := db.ExecRaw(ctx, q); err == nil {
					t.Errorf("the database accepted %s", q)
				}
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != trailLen {
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
			checks, err := db.VerifyChains(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			broken := map[string]int64{}
			for _, c := range checks {
				if c.Break != nil {
					broken[c.Chain] = c.Break.Seq
				}
			}
			if len(broken) != 2 || broken["main"] != 8 || broken["org-a"] != 4 {
				t.Fatalf("verify under another key: want breaks at the first keyed entries of main (8) and org-a (4), got %v", broken)
			}
			db.AuditKey = key
			if n, err := db.VerifyAudit(ctx); err != nil || n != trailLen {
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
	db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
	tree(t, db)       // seven organisations' chains, before the key
	notes(t, db, "", 7)
	notes(t, db, "org-a", 3)
	key := make([]byte, 32)
	rand.Read(key)
	db.AuditKey, db.CheckpointFile = key, filepath.Join(t.TempDir(), audit.CheckpointFile)
	notes(t, db, "", 5) // main 8-12, keyed
	notes(t, db, "org-a", 3)
	heads, _ := db.AuditHeads(ctx, "")
	if heads["main"].KeyedFrom != 8 || heads["org-a"].KeyedFrom != 4 {
		t.Fatalf("keyed from %+v", heads)
	}
	cp, err := db.WriteCheckpoint(ctx)
	if err != nil || len(cp.Heads) != 9 {
		t.Fatalf("checkpoint: %+v %v", cp, err)
	}
	notes(t, db, "", 2) // 13-14
	notes(t, db, "org-a", 1)
	return db
}

// notes appends n entries to the chain of the organisation orgID ("": main), a transaction each.
func notes(t *testing.T, db *store.DB, orgID string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit(access.System, "note.add", "note", ids.New(), orgID, nil, map[string]int{"n": i})
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
		for _, tr := range []string{"audit_log_no_update", "audit_log_no_delete", "audit_heads_forward", "audit_heads_no_delete"} {
			exec(t, db, `DROP TRIGGER `+tr)
		}
		return
	}
	exec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER USER`)
	exec(t, db, `ALTER TABLE audit_heads DISABLE TRIGGER USER`)
}

func entries(t *testing.T, db *store.DB, chain string) []audit.Entry {
	t.Helper()
	out, err := db.AuditChain(ctx, chain)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// unhex is a hash as audit_log stores it (migration 076): its bytes.
func unhex(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic(err)
	}
	return b
}

// rechain edits entries of a chain from seq `from` on and recomputes their plain SHA-256 chain and the head,
// as the attacker without the key can.
func rechain(t *testing.T, db *store.DB, chain string, from int64, edit func(*audit.Entry)) {
	t.Helper()
	es := entries(t, db, chain)
	for i := range es {
		if es[i].Seq < from {
			continue
		}
		edit(&es[i])
		es[i].Seal(&es[i-1])
		exec(t, db, `UPDATE audit_log SET after_json = ?, hash = ? WHERE chain = ? AND seq = ?`, es[i].After, unhex(es[i].Hash), chain, es[i].Seq)
	}
	last := es[len(es)-1]
	exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ?`, last.Seq, last.Hash, chain)
}
