package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/translation"
)

// Two instances on one database (issue 18): a reviewer's correction of a catalog text's Mongolian on one
// shows on the pages of the other within its caches' poll, as interface translations and organisations'
// names already did. Without the version (migration 080) the other instance kept the old Mongolian until
// it restarted.
func TestMnAcrossInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w := demoWorld(t, testkit.Open(t, e))
			other := secondInstance(t, e).svc
			fanyi := w.actors["fanyi"]
			note := findMn(t, w.svc, fanyi, service.MnQuery{Kind: translation.Content, Q: "户口簿"}, func(s translation.String) bool { return s.Zh == "户口簿" })
			before := other.MnText(note.Zh) // the other instance has read its copy
			wctx, stop := context.WithCancel(ctx)
			defer stop()
			watch(wctx, other)
			const mn = "ᠡᠷᠦᠬᠡ ᠶᠢᠨ ᠳᠡᠪᠲᠡᠷ"
			if _, err := w.svc.ChangeMn(ctx, fanyi, translation.Change{Key: note.Key, Action: translation.Correct, Mn: mn, Version: note.Version}); err != nil {
				t.Fatal(err)
			}
			want := w.svc.MnText(note.Zh)
			if want == before || want == "" {
				t.Fatalf("the writing instance reads %q (was %q)", want, before)
			}
			untilSeen(t, func() (bool, string, error) {
				got := other.MnText(note.Zh)
				return got == want, fmt.Sprintf("reads %q, want %q", got, want), nil
			})
		})
	}
}

// twoInstances is the demo world on e's database, the same world seen through a second instance, and the
// item (低保) whose lifecycles the tests run on both.
func twoInstances(t *testing.T, e testkit.Engine) (w, other *world, item string) {
	t.Helper()
	w = demoWorld(t, testkit.Open(t, e))
	o := *w // the demo's accounts and applicants, on the second instance
	second := secondInstance(t, e)
	o.svc, o.db = second.svc, second.db
	item = dibaoItem(t, w)
	return w, &o, item
}

// bothMoved runs a lifecycle of item on each instance, so that each has read and kept what a move asks for
// (receivers, declarations), then has other watch the caches' versions until the test ends.
func bothMoved(t *testing.T, w, other *world, item string) {
	t.Helper()
	for _, x := range []*world{w, other} {
		if err := lifecycle(x, item); err != nil {
			t.Fatal(err)
		}
	}
	watch(t.Context(), other.svc)
}

// secondInstance is another Bianmin on e's database: its own pool and service, the demo world's accounts.
func secondInstance(t *testing.T, e testkit.Engine) *world {
	t.Helper()
	db, err := store.Open(ctx, e.URL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &world{svc: testkit.Service(t, db), db: db}
}

// untilSeen asks seen every 20 ms until it says yes, failing with what it still sees after 10 s (a bound on
// the wait, not a measurement): a change made on one instance, awaited on another.
func untilSeen(t *testing.T, seen func() (bool, string, error)) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, still, err := seen()
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other instance still %s", still)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watch polls the caches' versions for s every 20 ms until ctx ends, from its first poll on.
func watch(ctx context.Context, s *service.Service) {
	go s.WatchCaches(ctx, 20*time.Millisecond, slog.New(slog.DiscardHandler))
	time.Sleep(100 * time.Millisecond) // the first poll only takes note
}
