package store_test

import (
	"testing"
	"time"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A sender's round is settled in one transaction: the sent records in one statement, each keeping its own
// receipt; a failure waits for its next attempt, a refusal is parked; a record settled already stays as it was.
func TestSettle(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		var ids []string
		if err := db.Write(ctx, func(tx *store.Tx) error {
			for range 5 {
				o, err := tx.Push(store.Outgoing{Channel: "webhook", Kind: "case.accept"}, func(store.Outgoing) string { return "{}" })
				if err != nil {
					return err
				}
				ids = append(ids, o.ID)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		settle := func(list []store.Outcome) {
			t.Helper()
			if err := db.Settle(ctx, "", "", list); err != nil {
				t.Fatal(err)
			}
		}
		settle([]store.Outcome{{ID: ids[0], Receipt: "r0"}, {ID: ids[1], Failed: "timeout", Wait: time.Hour}, {ID: ids[2], Receipt: "r2"},
			{ID: ids[3], Park: "refused"}, {ID: ids[4], Receipt: "r4"}})
		settle([]store.Outcome{{ID: ids[0], Receipt: "again"}}) // sent already: nothing changes
		want := []struct {
			receipt, lastError, park string
			attempts                 int
			sent                     bool
		}{
			{"r0", "", "", 1, true}, {"", "timeout", "", 1, false}, {"r2", "", "", 1, true}, {"", "refused", "refused", 1, false}, {"r4", "", "", 1, true},
		}
		for i, w := range want {
			o, err := db.OutgoingByID(ctx, ids[i])
			if err != nil {
				t.Fatal(err)
			}
			if o.Receipt != w.receipt || o.LastError != w.lastError || o.ParkReason != w.park || o.Attempts != w.attempts || o.Sent.IsZero() == w.sent {
				t.Fatalf("record %d: receipt %q, error %q, parked %q, %d attempts, sent %v; want %+v", i, o.Receipt, o.LastError, o.ParkReason, o.Attempts, o.Sent, w)
			}
		}
	})
}
