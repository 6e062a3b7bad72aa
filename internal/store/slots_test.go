package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// On PostgreSQL at most the write slots' number of write transactions run at once: the others wait in the
// server, counted by the writer queue, and run when a slot is let go; one whose context ends while it waits
// leaves with that error and runs nothing. SQLite keeps its one writer's queue, whatever the slots.
func TestWriteSlots(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.SetWriteSlots(2)
		if db.Dialect() == "sqlite" {
			if db.WriterQueueCap() == 2 {
				t.Fatal("SQLite took write slots: its one writer has a queue of its own")
			}
			return
		}
		if db.WriterQueueCap() != 2 || db.WriterQueue() != 0 {
			t.Fatalf("writer queue %d of %d, want 0 of 2", db.WriterQueue(), db.WriterQueueCap())
		}
		waitQueue := func(n int) {
			t.Helper()
			for give := time.Now().Add(time.Minute); db.WriterQueue() != n; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(give) {
					t.Fatalf("writer queue %d, waited a minute for %d", db.WriterQueue(), n)
				}
			}
		}
		// two transactions kept open take both slots
		release, held := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		errc := make(chan error, 4)
		for i := range 2 {
			wg.Go(func() {
				errc <- db.Write(ctx, func(tx *store.Tx) error {
					if err := tx.MarkStep(fmt.Sprintf("held-%d", i)); err != nil {
						return err
					}
					held <- struct{}{}
					<-release
					return nil
				})
			})
			<-held
		}
		// a third waits; its context ended, it leaves without running
		gone, cancel := context.WithCancel(ctx)
		ran := atomic.Bool{}
		left := make(chan error, 1)
		go func() {
			left <- db.Write(gone, func(tx *store.Tx) error { ran.Store(true); return tx.MarkStep("gave-up") })
		}()
		waitQueue(1)
		cancel()
		if err := <-left; !errors.Is(err, context.Canceled) || ran.Load() {
			t.Fatalf("a write whose context ended while it waited: %v, ran: %v", err, ran.Load())
		}
		waitQueue(0)
		// a fourth waits, and runs once a slot is let go
		wg.Go(func() { errc <- db.Write(ctx, func(tx *store.Tx) error { return tx.MarkStep("waited") }) })
		waitQueue(1)
		letGo(t, release, &wg, errc)
		done, err := db.StepsDone(ctx)
		if err != nil || !done["held-0"] || !done["held-1"] || !done["waited"] || done["gave-up"] {
			t.Fatalf("steps done: %v %v (want the held and the waiting one's, not the one that gave up)", done, err)
		}
		// many writers at once: never more than the slots inside a transaction
		var in, most atomic.Int64
		writers(t, db, 8, 5, func(tx *store.Tx, w, i int) error {
			n := in.Add(1)
			defer in.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			return tx.MarkStep(fmt.Sprintf("many-%d-%d", w, i))
		})
		if most.Load() > 2 {
			t.Fatalf("%d write transactions ran at once with 2 slots", most.Load())
		}
	})
}

// letGo lets the transactions kept open (held on release) go, waits for every writer of wg and fails on
// the first error any sent to errc.
func letGo(t *testing.T, release chan struct{}, wg *sync.WaitGroup, errc chan error) {
	t.Helper()
	close(release)
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
}
