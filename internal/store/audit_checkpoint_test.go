package store_test

import (
	"crypto/rand"
	"errors"
	"path/filepath"
	"testing"

	"bianmin/internal/audit"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The audit page's check starts from the newest signed checkpoint (and signs a new one when the trail has
// grown): it walks only the entries added since, yet still notices a changed entry among them, a change to
// the checkpoint's own entry, and missing newest entries. A change inside the verified prefix is left to the
// full walk (bianmin audit verify), which still finds it.
func TestAuditCheckpoint(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
		withKey(t, db)
		tree(t, db)              // 7 chains of 1 entry
		notes(t, db, "org-a", 3) // and one of 3
		res, err := db.VerifyAuditSince(ctx)
		if err != nil || res.Count != 10 || res.From != 0 || len(res.Chains) != 8 {
			t.Fatalf("first check: %+v %v", res, err)
		}
		notes(t, db, "org-a", 2)
		res, err = db.VerifyAuditSince(ctx)
		if err != nil || res.Count != 12 || res.From != 10 {
			t.Fatalf("after two more: %+v %v (want 12 entries, 10 of them from the checkpoint)", res, err)
		}
		if res, err = db.VerifyAuditSince(ctx); err != nil || res.Count != 12 || res.From != 12 {
			t.Fatalf("nothing added: %+v %v", res, err)
		}
		notes(t, db, "org-a", 1) // entry 6, after the checkpoint at 5
		unguardAll(t, db)
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET after_json = '{"n":99}' WHERE chain = 'org-a' AND seq = 6`); err != nil {
			t.Fatal(err)
		}
		var b *audit.Break
		if _, err := db.VerifyAuditSince(ctx); !errors.As(err, &b) || b.Chain != "org-a" || b.Seq != 6 {
			t.Fatalf("a changed entry after the checkpoint: %v", err)
		}
		// the checkpoint did not move past the break
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET after_json = '{"n":99}' WHERE chain = 'org-a' AND seq = 5`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyAuditSince(ctx); !errors.As(err, &b) || b.Seq != 5 {
			t.Fatalf("the checkpoint's own entry changed: %v", err)
		}
		// inside the prefix: the full walk names it
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET actor_name = 'x' WHERE chain = 'org-a' AND seq = 2`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyAudit(ctx); !errors.As(err, &b) || b.Seq != 2 {
			t.Fatalf("the full walk: %v", err)
		}
	})
}

// Missing newest entries are noticed from the checkpoint too, on a chain that has not moved since (checked
// by its head entry alone) as on one that has.
func TestAuditCheckpointLostTail(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
		withKey(t, db)
		tree(t, db)
		notes(t, db, "org-a", 2)
		if _, err := db.VerifyAuditSince(ctx); err != nil {
			t.Fatal(err)
		}
		unguardAll(t, db)
		if err := db.ExecRaw(ctx, `DELETE FROM audit_log WHERE chain = 'org-a' AND seq = 2`); err != nil {
			t.Fatal(err)
		}
		var b *audit.Break
		if _, err := db.VerifyAuditSince(ctx); !errors.As(err, &b) || b.Chain != "org-a" {
			t.Fatalf("the checkpoint's entry deleted: %v", err)
		}
	})
}

// withKey gives a store the audit key and checkpoint file a running Bianmin has (kept outside the database).
func withKey(t *testing.T, db *store.DB) {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	db.AuditKey, db.CheckpointFile = key, filepath.Join(t.TempDir(), audit.CheckpointFile)
}
