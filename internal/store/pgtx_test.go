package store_test

import (
	"context"
	"errors"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// On PostgreSQL a write transaction sends its BEGIN with its first write and its COMMIT with its last
// (pgtx.go). However a transaction ends, it commits all of itself or nothing, and its connection goes back
// to the pool out of any transaction: with the pool held to one connection, the next transaction (which
// takes the same one) writes and commits.
func TestTransactionEnds(t *testing.T) {
	actor := access.Actor{ID: "u-ends", Name: "测试"}
	push := func(tx *store.Tx, receiver, id string) (store.Outgoing, error) {
		return tx.Push(store.Outgoing{ID: id, Channel: "webhook", ReceiverID: receiver, Kind: "case.accept"}, func(store.Outgoing) string { return "{}" })
	}
	// first pushes a new record and notes it among the transaction's
	first := func(tx *store.Tx, receiver string, pushed *[]string) (store.Outgoing, error) {
		o, err := push(tx, receiver, "")
		*pushed = append(*pushed, o.ID)
		return o, err
	}
	ends := []struct {
		name string
		// run is the transaction: it pushes records (their ids into pushed) and may end the context
		run     func(tx *store.Tx, receiver string, pushed *[]string, cancel func()) error
		wantErr bool
	}{
		{name: "committed with its last write", run: func(tx *store.Tx, r string, pushed *[]string, _ func()) error {
			o, err := first(tx, r, pushed)
			if err != nil {
				return err
			}
			return tx.Audit(actor, "ends.test", "outbox", o.ID, "", nil, map[string]string{"n": "1"})
		}},
		{name: "its last write refused at the commit", wantErr: true, run: func(tx *store.Tx, r string, pushed *[]string, _ func()) error {
			o, err := first(tx, r, pushed)
			if err != nil {
				return err
			}
			if _, err := push(tx, r, o.ID); err != nil {
				return err
			}
			return tx.Audit(actor, "ends.test", "outbox", o.ID, "", nil, map[string]string{"n": "1"})
		}},
		{name: "its first write refused with the begin", wantErr: true, run: func(tx *store.Tx, r string, pushed *[]string, _ func()) error {
			o, err := first(tx, r, pushed)
			if err != nil {
				return err
			}
			if _, err := push(tx, r, o.ID); err != nil {
				return err
			}
			_, err = tx.Pushed(r, "k") // the kept writes go first, as the transaction's first statement
			return err
		}},
		{name: "its context ended after a write", wantErr: true, run: func(tx *store.Tx, r string, pushed *[]string, cancel func()) error {
			o, err := first(tx, r, pushed)
			if err != nil {
				return err
			}
			if _, err := tx.Pushed(r, "k"); err != nil {
				return err
			}
			cancel()
			return tx.Audit(actor, "ends.test", "outbox", o.ID, "", nil, map[string]string{"n": "1"})
		}},
		{name: "an error of its own after a write", wantErr: true, run: func(tx *store.Tx, r string, pushed *[]string, _ func()) error {
			if _, err := first(tx, r, pushed); err != nil {
				return err
			}
			if _, err := tx.Pushed(r, "k"); err != nil {
				return err
			}
			return errors.New("changed its mind")
		}},
		{name: "a read alone", run: func(tx *store.Tx, r string, _ *[]string, _ func()) error {
			_, err := tx.Pushed(r, "k")
			return err
		}},
		{name: "nothing", run: func(*store.Tx, string, *[]string, func()) error { return nil }},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer db.HoldWriters(1)()
		for n, e := range ends {
			t.Run(e.name, func(t *testing.T) {
				receiver := "r-ends-" + string(rune('a'+n))
				tctx, cancel := context.WithCancel(ctx)
				defer cancel()
				var pushed []string
				err := db.Write(tctx, func(tx *store.Tx) error {
					pushed = pushed[:0]
					return e.run(tx, receiver, &pushed, cancel)
				})
				if e.wantErr != (err != nil) {
					t.Fatalf("the transaction ended with %v", err)
				}
				stored := func(when string) {
					for _, id := range pushed {
						if _, gerr := db.OutgoingByID(ctx, id); (gerr == nil) == e.wantErr {
							t.Fatalf("record %s: stored %v %s the transaction ended with %v", id, gerr == nil, when, err)
						}
					}
				}
				stored("when")
				// the next transaction, on the connection given back, commits itself alone
				var next store.Outgoing
				if err := db.Write(ctx, func(tx *store.Tx) error {
					var err error
					if next, err = push(tx, receiver, ""); err != nil {
						return err
					}
					return tx.Audit(actor, "ends.next", "outbox", next.ID, "", nil, map[string]string{"n": "2"})
				}); err != nil {
					t.Fatalf("the transaction after it: %v", err)
				}
				if _, err := db.OutgoingByID(ctx, next.ID); err != nil {
					t.Fatalf("the transaction after it did not commit: %v", err)
				}
				stored("after the next one, when")
			})
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("the trail after them: %v", err)
		}
	})
}
