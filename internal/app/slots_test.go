package app_test

import (
	"context"
	"strings"
	"testing"

	"bianmin/internal/app"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// -write-slots: out of 1–32 is refused at start, naming the setting; 0 is the default; a figure given is the
// store's bound on PostgreSQL, and SQLite keeps its one writer's queue whatever it is given.
func TestWriteSlotsSetting(t *testing.T) {
	ctx := context.Background()
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			dir := t.TempDir() // the audit key made at the first start is the next starts' too
			for _, c := range []struct {
				slots int
				want  int    // the writer queue's capacity on PostgreSQL
				err   string // the refusal, for every engine
			}{
				{slots: -1, err: "write slots: -1 is not between 1 and 32"},
				{slots: store.MaxWriteSlots + 1, err: "write slots: 33 is not between 1 and 32"},
				{slots: 0, want: store.DefaultWriteSlots()},
				{slots: 3, want: 3},
			} {
				m, err := app.Open(ctx, app.Config{DB: e.URL, DataDir: dir, WriteSlots: c.slots, Service: testkit.FastConfig(), Log: quiet})
				if c.err != "" {
					if err == nil || !strings.Contains(err.Error(), c.err) {
						m.Close()
						t.Fatalf("-write-slots %d: %v, want %q", c.slots, err, c.err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("-write-slots %d: %v", c.slots, err)
				}
				got := m.DB.WriterQueueCap()
				m.Close()
				if e.Name == "postgres" && got != c.want {
					t.Fatalf("-write-slots %d: %d slots, want %d", c.slots, got, c.want)
				}
				if e.Name == "sqlite" && got == c.want {
					t.Fatalf("-write-slots %d on SQLite: its writer queue took the slots' %d", c.slots, got)
				}
			}
		})
	}
}
