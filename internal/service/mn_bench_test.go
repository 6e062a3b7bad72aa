package service_test

import (
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkMnSync measures a sync of the strings table with nothing changed (what a queue page pays every
// 30 seconds or after a catalog change) and one page of the queue, on the demo world (SQLite).
func BenchmarkMnSync(b *testing.B) {
	db := testkit.Open(b, testkit.SQLite(b))
	svc := testkit.Demo(b, db)
	b.Run("sync", func(b *testing.B) {
		for b.Loop() {
			if err := svc.SyncMn(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("queue", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := svc.MnQueue(b.Context(), access.System, service.MnQuery{Pending: true, Q: "村"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
