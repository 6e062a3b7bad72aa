package store_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// Two instances on one database: one leads (on SQLite, the only one there is, always); when the leader's
// connection ends, the other takes over; a follower's jobs never run while the leader holds.
func TestLeadership(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			open := func() *store.DB {
				db, err := store.Open(ctx, e.URL, "")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			a := open()
			defer a.Close()
			actx, stopA := context.WithCancel(ctx)
			var aRuns atomic.Int32
			aDone := make(chan struct{})
			go func() {
				defer close(aDone)
				a.Lead(actx, 50*time.Millisecond, func(c context.Context) { aRuns.Add(1); <-c.Done() }, log)
			}()
			waitUntil(t, "a leads", func() bool { return a.Leading() })
			if e.Name == "sqlite" {
				stopA()
				<-aDone
				if a.Leading() {
					t.Fatal("still leading after its context ended")
				}
				return
			}
			b := open()
			defer b.Close()
			bctx, stopB := context.WithCancel(ctx)
			defer stopB()
			var bRuns atomic.Int32
			bDone := make(chan struct{})
			go func() {
				defer close(bDone)
				b.Lead(bctx, 50*time.Millisecond, func(c context.Context) { bRuns.Add(1); <-c.Done() }, log)
			}()
			// b asks several times while a holds: it must not lead
			time.Sleep(300 * time.Millisecond)
			if b.Leading() || bRuns.Load() != 0 {
				t.Fatal("b leads while a holds the lock")
			}
			stopA() // a stops: it gives the lock back
			<-aDone
			waitUntil(t, "b takes over", func() bool { return b.Leading() && bRuns.Load() == 1 })
			if aRuns.Load() != 1 {
				t.Fatalf("a's jobs ran %d times, want 1", aRuns.Load())
			}
			stopB()
			<-bDone
		})
	}
}

// A version raised in a transaction is seen by another handle's watch; the others are not reported.
func TestCacheVersions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		moved := make(chan string, 8)
		done := make(chan struct{})
		go func() {
			defer close(done)
			db.WatchCaches(wctx, 20*time.Millisecond, func(c string) { moved <- c })
		}()
		// the first poll only takes note: let it happen before the change
		time.Sleep(100 * time.Millisecond)
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Changed(store.CacheCalendar) }); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-moved:
			if c != store.CacheCalendar {
				t.Fatalf("moved %q, want calendar", c)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the calendar's version change was not seen")
		}
		stop()
		<-done
		if len(moved) != 0 {
			t.Fatalf("more caches reported moved: %d", len(moved))
		}
	})
}

func TestLSN(t *testing.T) {
	for _, s := range []string{"0/0", "16/B374D848", "FFFFFFFF/FFFFFFFF"} {
		n, err := store.ParseLSN(s)
		if err != nil || store.FormatLSN(n) != s {
			t.Errorf("%s: %d %v -> %s", s, n, err, store.FormatLSN(n))
		}
	}
	for _, bad := range []string{"", "16", "G/0", "1/2/3", "100000000/0"} {
		if _, err := store.ParseLSN(bad); err == nil {
			t.Errorf("%q read as a WAL position", bad)
		}
	}
	if a, _ := store.ParseLSN("1/0"); a <= 0xFFFFFFFF {
		t.Errorf("1/0 must order after 0/FFFFFFFF")
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
