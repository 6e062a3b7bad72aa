package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"bianmin/internal/audit"
	"bianmin/internal/ids"
	"bianmin/internal/testkit"
)

// A trail written before migration 076 (hashes and prev_hash as hex text, org_id on every entry), with a
// plain part, a keyed part and a signed checkpoint, still verifies after it, whole and from the checkpoint;
// its entries read back as written; the chains go on from their heads; and tampering is still seen.
func TestAuditCompactMigration(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := migratedBefore(t, e, "076")
			db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
			key := []byte("0123456789abcdef0123456789abcdef")
			written := map[string][]audit.Entry{}
			// main: 5 entries keyed from 3, two of them of an organisation (as before the chains per
			// organisation); org-a: 4 entries keyed from 1, its own organisation's
			for _, c := range []struct {
				chain     string
				keyedFrom int64
				orgs      []string
			}{{"main", 3, []string{"", "org-x", "", "org-y", ""}}, {"org-a", 1, []string{"org-a", "org-a", "org-a", "org-a"}}} {
				var prev *audit.Entry
				for i, org := range c.orgs {
					en := audit.Entry{ID: ids.New(), At: db.Now(), Chain: c.chain, ActorID: "x", ActorName: "旧版", OrgID: org, Action: "note.add", Entity: "note", EntityID: fmt.Sprint(i), After: fmt.Sprintf(`{"n":%d}`, i)}
					en.SealKeyed(prev, key, c.keyedFrom)
					exec(t, db, `INSERT INTO audit_log (chain, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`, en.Chain, en.Seq, en.ID, en.At, en.ActorID, en.ActorName, en.OrgID, en.Action, en.Entity, en.EntityID, en.After, en.PrevHash, en.Hash)
					written[c.chain] = append(written[c.chain], en)
					prev = &en
				}
				if c.chain == "main" {
					exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ?, keyed_from = ? WHERE chain = 'main'`, prev.Seq, prev.Hash, c.keyedFrom)
				} else {
					exec(t, db, `INSERT INTO audit_heads (chain, seq, hash, keyed_from) VALUES (?, ?, ?, ?)`, c.chain, prev.Seq, prev.Hash, c.keyedFrom)
				}
			}
			// the checkpoint an older Bianmin signed of these heads
			db.AuditKey, db.CheckpointFile = key, filepath.Join(t.TempDir(), audit.CheckpointFile)
			cp := audit.Checkpoint{At: db.Now()}
			for chain, es := range written {
				last := es[len(es)-1]
				cp.Heads = append(cp.Heads, audit.Head{Chain: chain, Seq: last.Seq, Hash: last.Hash, KeyedFrom: map[string]int64{"main": 3, "org-a": 1}[chain]})
			}
			cp.Sign(key)
			if err := audit.AppendCheckpoint(db.CheckpointFile, cp); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != 9 {
				t.Fatalf("the old trail after the migration: %d %v", n, err)
			}
			for chain, want := range written {
				got, err := db.AuditChain(ctx, chain)
				if err != nil || len(got) != len(want) {
					t.Fatalf("%s: %d entries, %v", chain, len(got), err)
				}
				for i := range want {
					w := want[i]
					w.At = audit.Time(w.At)
					if g := got[i]; g != w {
						t.Fatalf("%s entry %d read back as\n%+v, written\n%+v", chain, w.Seq, g, w)
					}
				}
			}
			var kept int64
			if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM audit_log WHERE org_id <> ''`).Scan(&kept); err != nil || kept != 2 {
				t.Fatalf("org_id kept on %d entries (want the 2 of organisations on main), %v", kept, err)
			}
			notes(t, db, "", 2)
			notes(t, db, "org-a", 2)
			if n, err := db.VerifyAudit(ctx); err != nil || n != 13 {
				t.Fatalf("after new entries: %d %v", n, err)
			}
			if res, err := db.VerifyAuditSince(ctx); err != nil || res.Count != 13 || res.From != 9 {
				t.Fatalf("from the checkpoint signed before the migration: %+v %v", res, err)
			}
			if es, err := db.AuditChain(ctx, "org-a"); err != nil || es[5].OrgID != "org-a" || es[5].PrevHash != es[4].Hash {
				t.Fatalf("a new entry of org-a: %+v %v", es, err)
			}
			unguardAll(t, db)
			exec(t, db, `DELETE FROM audit_log WHERE chain = 'org-a' AND seq = 3`)
			exec(t, db, `UPDATE audit_log SET seq = seq - 1 WHERE chain = 'org-a' AND seq > 3`)
			var b *audit.Break
			if _, err := db.VerifyAudit(ctx); !errors.As(err, &b) || b.Chain != "org-a" || b.Seq != 3 {
				t.Fatalf("an entry deleted and the rest renumbered: %v", err)
			}
		})
	}
}
