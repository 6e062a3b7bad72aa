package store_test

import (
	"errors"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A process chains a move after the head it left on its lane, unread (PostgreSQL; lanes.go). When another
// instance wrote on that lane meanwhile, the move's statement refuses whole and the move runs again plain,
// locking and reading the head; the chains hold throughout, and the process knows the head again after.
func TestLaneHeadsKnown(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		const lanes = 4
		db.AuditLanes = lanes
		move := func(db *store.DB, id string, i int) {
			t.Helper()
			if err := db.Write(ctx, func(tx *store.Tx) error {
				tx.AuditFirst("org-a", id)
				return tx.Audit(access.System, "case.move", "case", id, "org-a", nil, map[string]int{"move": i})
			}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			move(db, "case-1", i)
		}
		if db.Dialect() == "sqlite" {
			if n, err := db.VerifyAudit(ctx); err != nil || n != 3 {
				t.Fatalf("verify: %d %v", n, err)
			}
			return
		}
		if n := db.HeadsUnread(); n != 2 {
			t.Fatalf("%d of the moves after the first chained unread, want 2", n)
		}
		retries := db.Retries()

		// another instance writes on every lane of org-a
		b, err := db.Twin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		for l := range lanes {
			id := ""
			for i := 0; id == ""; i++ {
				if c := "other-" + string(rune('a'+i)); audit.LaneOf("org-a", c, lanes) == l {
					id = c
				}
			}
			if err := b.Write(ctx, func(tx *store.Tx) error {
				return tx.Audit(access.System, "case.move", "case", id, "org-a", nil, nil)
			}); err != nil {
				t.Fatal(err)
			}
		}
		move(db, "case-1", 3)
		if got := db.Retries() - retries; got != 1 {
			t.Fatalf("the move after a head it did not know ran %d times more, want once", got)
		}
		unread := db.HeadsUnread()
		move(db, "case-1", 4)
		if db.HeadsUnread() != unread+1 || db.Retries()-retries != 1 {
			t.Fatalf("the next move did not chain unread at once (unread %d→%d, retries %d)", unread, db.HeadsUnread(), db.Retries()-retries)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 5+lanes {
			t.Fatalf("verify: %d %v", n, err)
		}
		trail, err := db.AuditOf(ctx, "case", "case-1", 10)
		if err != nil || len(trail) != 5 {
			t.Fatalf("case-1's trail: %d %v", len(trail), err)
		}
	})
}

// A guarded write (a case's move: its version must still be the one read) rides in the move's one
// statement when it finds its row; when it finds none, the transaction ends with its own error and nothing
// it carried is written, whether it was counted in the audit insert's statement or, a statement coming
// first, on its own.
func TestGuardedWrite(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		db.AuditLanes = 4
		moved := errors.New("moved meanwhile")
		if err := db.MarkStep(ctx, "step-a"); err != nil {
			t.Fatal(err)
		}
		write := func(id, step string, then func(tx *store.Tx) error) error {
			return db.Write(ctx, func(tx *store.Tx) error {
				tx.AuditFirst("org-a", id)
				if err := tx.ExecGuarded(moved, 1, `UPDATE load_steps SET done_at = ? WHERE name = ?`, time.Now().UTC(), step); err != nil {
					return err
				}
				if then != nil {
					if err := then(tx); err != nil {
						return err
					}
				}
				return tx.Audit(access.System, "case.move", "case", id, "org-a", nil, nil)
			})
		}
		for range 3 { // the first reads its lane's head, the others chain unread
			if err := write("case-1", "step-a", nil); err != nil {
				t.Fatalf("a guarded write that finds its row: %v", err)
			}
		}
		retries := db.Retries()
		if err := write("case-2", "no-such-step", nil); !errors.Is(err, moved) {
			t.Fatalf("a guarded write that finds nothing: %v", err)
		}
		if err := write("case-3", "no-such-step", func(tx *store.Tx) error { return tx.MarkStep("step-b") }); !errors.Is(err, moved) {
			t.Fatalf("a guarded write that finds nothing, a statement after it: %v", err)
		}
		for _, id := range []string{"case-2", "case-3"} {
			if trail, err := db.AuditOf(ctx, "case", id, 10); err != nil || len(trail) != 0 {
				t.Fatalf("%s's refused move left %d entries (%v)", id, len(trail), err)
			}
		}
		if done, err := db.StepsDone(ctx); err != nil || done["step-b"] {
			t.Fatalf("the refused transaction's step was written: %v %v", done, err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 3 {
			t.Fatalf("verify: %d %v", n, err)
		}
		if db.Dialect() == "postgres" && db.Retries()-retries != 1 {
			// the refusal in the audit insert's statement runs the transaction again plain, to tell which
			// guard; the one counted on its own tells at once
			t.Fatalf("%d runs again, want 1", db.Retries()-retries)
		}
	})
}
