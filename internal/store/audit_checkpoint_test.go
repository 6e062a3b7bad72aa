package store_test

import (
	"crypto/rand"
	"errors"
	"path/filepath"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/org"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The audit page's check starts from the newest signed checkpoint (and signs a new one when the trail has
// grown): it walks only the entries added since, yet still notices a changed entry among them, a change to
// the checkpoint's own entry, and missing newest entries. A change inside the verified prefix is left to the
// full walk (bianmin audit verify), which still finds it.
func TestAuditCheckpoint(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		o := tree(t, db) // 7 entries
		res, err := db.VerifyAuditSince(ctx)
		if err != nil || res.Count != 7 || res.From != 0 {
			t.Fatalf("first check: %+v %v", res, err)
		}
		addOrg := func(code, name string) {
			t.Helper()
			if err := db.Write(ctx, func(tx *store.Tx) error {
				return tx.CreateOrg(access.System, &org.Org{ParentID: o["t1"].ID, Kind: org.Village, Code: code, NameZh: name})
			}); err != nil {
				t.Fatal(err)
			}
		}
		addOrg("150421100201", "新村一")
		addOrg("150421100202", "新村二")
		res, err = db.VerifyAuditSince(ctx)
		if err != nil || res.Count != 9 || res.From != 7 {
			t.Fatalf("after two more: %+v %v (want 9 entries, 7 of them from the checkpoint)", res, err)
		}
		if res, err = db.VerifyAuditSince(ctx); err != nil || res.Count != 9 || res.From != 9 {
			t.Fatalf("nothing added: %+v %v", res, err)
		}
		addOrg("150421100203", "新村三") // entry 10, after the checkpoint at 9
		unguardAll(t, db)
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET after_json = '{"NameZh":"伪造"}' WHERE seq = 10`); err != nil {
			t.Fatal(err)
		}
		var b *audit.Break
		if _, err := db.VerifyAuditSince(ctx); !errors.As(err, &b) || b.Seq != 10 {
			t.Fatalf("a changed entry after the checkpoint: %v", err)
		}
		// the checkpoint did not move past the break
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET after_json = '{"NameZh":"伪造"}' WHERE seq = 9`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyAuditSince(ctx); !errors.As(err, &b) || b.Seq != 9 {
			t.Fatalf("the checkpoint's own entry changed: %v", err)
		}
		// inside the prefix: the full walk names it
		if err := db.ExecRaw(ctx, `UPDATE audit_log SET actor_name = 'x' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyAudit(ctx); !errors.As(err, &b) || b.Seq != 3 {
			t.Fatalf("the full walk: %v", err)
		}
	})
}

// Missing newest entries are noticed from the checkpoint too.
func TestAuditCheckpointLostTail(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		tree(t, db)
		if _, err := db.VerifyAuditSince(ctx); err != nil {
			t.Fatal(err)
		}
		unguardAll(t, db)
		if err := db.ExecRaw(ctx, `DELETE FROM audit_log WHERE seq = 7`); err != nil {
			t.Fatal(err)
		}
		var b *audit.Break
		if _, err := db.VerifyAuditSince(ctx); !errors.As(err, &b) {
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
