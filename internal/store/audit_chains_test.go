package store_test

import (
	"fmt"
	"sync"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/ids"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// migratedBefore opens the engine's database migrated up to (not including) the migration named, as an
// older Bianmin left it.
func migratedBefore(t *testing.T, e testkit.Engine, migration string) *store.DB {
	t.Helper()
	db, err := store.Open(ctx, e.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.MigrateBefore(ctx, migration); err != nil {
		t.Fatal(err)
	}
	return db
}

// A trail written before issue 18 (one chain, one head row) stays on the main chain after migration 057 and
// keeps verifying, keyed part included; the main chain goes on from its head, and organisations' chains
// begin beside it.
func TestAuditChainsMigration(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := migratedBefore(t, e, "057")
			db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
			key := []byte("0123456789abcdef0123456789abcdef")
			var prev *audit.Entry
			for i := 1; i <= 4; i++ {
				en := audit.Entry{ID: ids.New(), At: db.Now(), ActorID: "x", ActorName: "旧版", OrgID: "org-a", Action: "note.add", Entity: "note", EntityID: fmt.Sprint(i)}
				en.SealKeyed(prev, key, 3) // keyed from entry 3, as an older Bianmin given a key would have
				exec(t, db, `INSERT INTO audit_log (seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?)`, en.Seq, en.ID, en.At, en.ActorID, en.ActorName, en.OrgID, en.Action, en.Entity, en.EntityID, en.PrevHash, en.Hash)
				prev = &en
			}
			exec(t, db, `UPDATE audit_head SET seq = 4, hash = ?, keyed_from = 3 WHERE id = 1`, prev.Hash)
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			db.AuditKey = key
			heads, err := db.AuditHeads(ctx, "")
			if err != nil || len(heads) != 1 || heads["main"].Seq != 4 || heads["main"].KeyedFrom != 3 {
				t.Fatalf("heads after the migration: %+v %v", heads, err)
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != 4 {
				t.Fatalf("the old trail after the migration: %d %v", n, err)
			}
			notes(t, db, "", 1)
			notes(t, db, "org-a", 2) // the organisation's own chain begins, keyed from its first entry
			heads, _ = db.AuditHeads(ctx, "")
			if heads["main"].Seq != 5 || heads["org-a"].Seq != 2 || heads["org-a"].KeyedFrom != 1 {
				t.Fatalf("heads: %+v", heads)
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != 7 {
				t.Fatalf("after new entries: %d %v", n, err)
			}
		})
	}
}

// Entries of one transaction on one chain keep their order; a transaction's entries on several chains are
// each on their own. Transactions touching the same two organisations in opposite orders run together
// without a deadlock: heads are locked in the order of the chains' names, whatever the order of the changes
// (on PostgreSQL a deadlock would show as a retried transaction).
func TestAuditChainsConcurrent(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
		const workers, each = 8, 10
		writers(t, db, workers, each, func(tx *store.Tx, w, i int) error {
			first, second := "org-a", "org-b"
			if w%2 == 1 {
				first, second = second, first
			}
			for k, o := range []string{first, second, first} {
				if err := tx.Audit(access.System, "note.add", "note", fmt.Sprintf("%d-%d-%d", w, i, k), o, nil, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if n := db.Retries(); n != 0 {
			t.Fatalf("%d transactions were retried (deadlocked on the audit heads)", n)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != workers*each*3 {
			t.Fatalf("verify: %d %v", n, err)
		}
		// each transaction's two entries on its first organisation's chain are adjacent and in order
		for _, chain := range []string{"org-a", "org-b"} {
			es := entries(t, db, chain)
			for i, e := range es {
				var w, x, k int
				fmt.Sscanf(e.EntityID, "%d-%d-%d", &w, &x, &k)
				if k == 0 {
					if i+1 >= len(es) || es[i+1].EntityID != fmt.Sprintf("%d-%d-2", w, x) {
						t.Fatalf("chain %s: entry %d (%s) is not followed by its transaction's next", chain, e.Seq, e.EntityID)
					}
				}
			}
		}
	})
}

// writers runs workers goroutines at once, each writing each transactions of write (worker w, its i-th), and
// fails t on the first error.
func writers(t *testing.T, db *store.DB, workers, each int, write func(tx *store.Tx, w, i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := db.Write(ctx, func(tx *store.Tx) error { return write(tx, w, i) }); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
}
