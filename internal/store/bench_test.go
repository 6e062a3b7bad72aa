package store_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/org"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// BenchmarkAuditedWrite is the cost of the smallest state change: one row updated and its audit entry
// appended, committed durably (SQLite synchronous=FULL).
func BenchmarkAuditedWrite(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testkit.Open(b, e)
			var o org.Org
			db.Write(ctx, func(tx *store.Tx) error {
				o = org.Org{Kind: org.Region, Code: "150000", NameZh: "内蒙古自治区"}
				return tx.CreateOrg(access.System, &o)
			})
			v := o.Version
			for b.Loop() {
				err := db.Write(ctx, func(tx *store.Tx) error {
					_, err := tx.UpdateOrgNames(access.System, o.ID, v, fmt.Sprint("内蒙古自治区", v%2), "", "", false)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				v++
			}
		})
	}
}

// BenchmarkVerifyAudit measures the chain check per entry, plain SHA-256 and keyed (HMAC-SHA256, checked
// against a signed checkpoint).
func BenchmarkVerifyAudit(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		for _, keyed := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/keyed=%v", e.Name, keyed), func(b *testing.B) {
				db := testkit.Open(b, e)
				if keyed {
					db.AuditKey = bytes.Repeat([]byte("k"), 32)
					db.CheckpointFile = filepath.Join(b.TempDir(), "audit-checkpoints.log")
				}
				testkit.Demo(b, db) // about 600 entries
				if keyed {
					if _, err := db.WriteCheckpoint(ctx); err != nil {
						b.Fatal(err)
					}
				}
				n, _ := db.CountAudit(ctx)
				for b.Loop() {
					if _, err := db.VerifyAudit(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*n), "ns/entry")
			})
		}
	}
}

// BenchmarkSubtree reads a whole banner's organisation tree, as the organisation page of an administrator does.
func BenchmarkSubtree(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			db := testkit.Open(b, e)
			testkit.Demo(b, db)
			banner, _ := db.OrgByCode(ctx, "150421")
			for b.Loop() {
				if list, err := db.Subtree(ctx, banner.Path); err != nil || len(list) < 300 {
					b.Fatal(len(list), err)
				}
			}
		})
	}
}
