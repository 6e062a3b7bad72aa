package service_test

import (
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A move's read begins its transaction on PostgreSQL and holds the case's row (store/moving.go), so that its
// update, sent with the COMMIT unchecked, cannot miss: a second move of the same case waits at its read and
// then finds the case moved (a conflict), rather than reading it as it was and writing a move that never
// happens. A held read that is not written gives its row and its place back.
func TestMoveHoldsItsCase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "held-1")
		if err != nil {
			t.Fatal(err)
		}
		pg := db.Dialect() == "postgres"
		read, mv, err := db.CaseToMove(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (mv != nil) != pg {
			t.Fatalf("a held transaction on %s: %v", db.Dialect(), mv != nil)
		}
		second := make(chan error, 1)
		if pg {
			go func() {
				_, err := w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)})
				second <- err
			}()
			waitForLock(t, db)
		}
		clk, err := w.svc.Clock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		moved := read
		ev, err := moved.Apply(cases.Accept, cases.Front, cases.Input{Materials: seenAll(t, db, read)}, db.Now(), clk)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.WriteMoving(ctx, mv, func(tx *store.Tx) error {
			return tx.SaveCase(clerk, moved, read.Version, read, ev, clerk.OrgID)
		}); err != nil {
			t.Fatal(err)
		}
		mv.Close(ctx) // after the commit: nothing
		if pg {
			if err := <-second; errs.CodeOf(err) != errs.Conflict {
				t.Fatalf("the second move of version %d: %v, want a conflict", c.Version, err)
			}
		}
		after, events, err := w.svc.CaseFor(ctx, clerk, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Case.Version != c.Version+1 || after.Case.State != cases.Accepted || len(events) != 2 {
			t.Fatalf("after the held move: version %d, %s, %d events", after.Case.Version, after.Case.State, len(events))
		}

		// held and let go, more times than moves may hold at once: each gives its place back
		for i := range 40 {
			_, mv, err := db.CaseToMove(ctx, c.ID)
			if err != nil || (mv != nil) != pg {
				t.Fatalf("read %d: held %v, %v", i, mv != nil, err)
			}
			mv.Close(ctx)
			mv.Close(ctx)
			if _, mv, err = db.CaseToMove(ctx, "no-such-case"); errs.CodeOf(err) != errs.NotFound || mv != nil {
				t.Fatalf("an unknown case: %v", err)
			}
		}
		// the row is free: the next move goes through
		if _, err := w.svc.Act(ctx, w.actors["tianshan.reviewer"], c.ID, after.Case.Version, cases.Pass, cases.Input{}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n == 0 {
			t.Fatalf("audit: %d %v", n, err)
		}
	})
}

// waitForLock waits until a backend of the test's database waits for a row lock: the second move's read.
func waitForLock(t *testing.T, db *store.DB) {
	t.Helper()
	for range 600 {
		var n int
		if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the second move never waited for the held case")
}
