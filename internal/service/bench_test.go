package service_test

import (
	"fmt"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// BenchmarkLogin is a login at the production password-hash setting (argon2id, 19 MiB, 2 passes): the cost
// that throttles guessing, paid once per sign-in.
func BenchmarkLogin(b *testing.B) {
	db := testkit.Open(b, testkit.SQLite(b))
	svc := testkit.Demo(b, db)
	if err := svc.ChangePassword(ctx, mustStaff(b, svc, "tianshan.clerk"), "", demo.Password, "production-hash-pw", "production-hash-pw"); err != nil {
		b.Fatal(err)
	}
	prod, _ := service.New(db, svc.Catalog, service.DefaultConfig())
	// re-hash at the production setting
	if err := prod.ChangePassword(ctx, mustStaff(b, svc, "tianshan.clerk"), "", "production-hash-pw", "production-hash-p2", "production-hash-p2"); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n++ // a client address per attempt, so that the per-address throttle does not stop the benchmark
		if _, _, err := prod.Login(ctx, "tianshan.clerk", "production-hash-p2", fmt.Sprint("10.0.", n/250, ".", n%250)); err != nil {
			b.Fatal(err)
		}
	}
}

func mustStaff(b *testing.B, svc *service.Service, username string) people.Staff {
	c, err := svc.DB.CredentialsByUsername(ctx, username)
	if err != nil {
		b.Fatal(err)
	}
	return c.Staff
}
