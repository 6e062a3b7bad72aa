package service_test

import (
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/gen"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkFindQueue is one page of a township clerk's queue and of the administrator's, as the desk asks
// for it (the service call: the query, and each case's standing and moves).
func BenchmarkFindQueue(b *testing.B) {
	db := testkit.Open(b, testkit.Engines(b)[0])
	svc := testkit.Demo(b, db)
	to := time.Now().In(clock.DefaultRules().Location)
	if _, err := gen.Run(ctx, svc, gen.Config{N: 5000, Seed: 1, From: to.AddDate(0, -3, 0), To: to}); err != nil {
		b.Fatal(err)
	}
	banner, _ := db.OrgByCode(ctx, "150421")
	staff, _ := db.StaffIn(ctx, banner.Path)
	for _, s := range staff {
		if s.Username != "tianshan.clerk" && s.Username != "admin" {
			continue
		}
		b.Run(s.Username, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := svc.FindCases(ctx, s.Actor(), service.FindInput{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
