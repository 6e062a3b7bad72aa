package store_test

import (
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// Writes nobody waits for (a move's notices and messages) ride with the transaction's next statement on
// PostgreSQL and run at once on SQLite (later.go). Either way a transaction reads what it wrote, commits
// every write or none, and ends with a kept write's refusal however it comes back.
func TestLaterWrites(t *testing.T) {
	actor := access.Actor{ID: "u-later", Name: "测试"}
	cases := []struct {
		name string
		// keys are the records pushed in one transaction, in order ("" has no key); dup pushes the first
		// record's id once more at the end; audit records an entry (the kept writes ride its insert);
		// read asks Pushed after the pushes (the kept writes go before it)
		keys             []string
		dup, audit, read bool
		wantSeq          []int // each record's place in its key (0: no key); nil: the transaction fails
	}{
		{name: "kept to the commit", keys: []string{"", "", ""}, wantSeq: []int{0, 0, 0}},
		{name: "ride the audit insert", keys: []string{"", ""}, audit: true, wantSeq: []int{0, 0}},
		{name: "one key: each push reads the one before", keys: []string{"k", "k", "k"}, audit: true, wantSeq: []int{1, 2, 3}},
		{name: "two keys interleaved", keys: []string{"a", "b", "a", "", "b"}, wantSeq: []int{1, 1, 2, 0, 2}},
		{name: "a read after them", keys: []string{"k", ""}, read: true, wantSeq: []int{1, 0}},
		{name: "refused at the commit", keys: []string{"", ""}, dup: true},
		{name: "refused in the audit insert", keys: []string{""}, dup: true, audit: true},
		{name: "refused before a read", keys: []string{"k"}, dup: true, read: true},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		for n, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				receiver := "r-later-" + string(rune('a'+n))
				var pushed []store.Outgoing
				var seen bool
				err := db.Write(ctx, func(tx *store.Tx) error {
					for _, k := range c.keys {
						o, err := tx.Push(store.Outgoing{Channel: "webhook", ReceiverID: receiver, Key: k, Kind: "case.accept"}, func(store.Outgoing) string { return "{}" })
						if err != nil {
							return err
						}
						pushed = append(pushed, o)
					}
					if c.dup {
						if _, err := tx.Push(store.Outgoing{ID: pushed[0].ID, Channel: "webhook", ReceiverID: receiver, Kind: "case.accept"}, func(store.Outgoing) string { return "{}" }); err != nil {
							return err
						}
					}
					if c.audit {
						if err := tx.Audit(actor, "later.test", "outbox", pushed[0].ID, "", nil, map[string]string{"n": "1"}); err != nil {
							return err
						}
					}
					if c.read {
						var err error
						if seen, err = tx.Pushed(receiver, "k"); err != nil {
							return err
						}
					}
					return nil
				})
				if c.wantSeq == nil {
					if err == nil {
						t.Fatal("a record's id written twice: the transaction committed")
					}
					if strings.Contains(err.Error(), "aborted") {
						t.Fatalf("the transaction ended with what came after the refusal, not the refusal: %v", err)
					}
					for _, o := range pushed {
						if _, gerr := db.OutgoingByID(ctx, o.ID); gerr == nil {
							t.Fatalf("record %s of a failed transaction is stored", o.ID)
						}
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if c.read && !seen {
					t.Fatal("a read in the transaction did not see the records it had pushed")
				}
				for i, o := range pushed {
					got, err := db.OutgoingByID(ctx, o.ID)
					if err != nil {
						t.Fatalf("record %d: %v", i, err)
					}
					if got.Seq != c.wantSeq[i] || o.Seq != c.wantSeq[i] {
						t.Fatalf("record %d: place %d (stored %d), want %d", i, o.Seq, got.Seq, c.wantSeq[i])
					}
				}
			})
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("the trail after the kept writes: %v", err)
		}
	})
}
