package service_test

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/demo"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

func TestLoginBackoffAndPasswordChange(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		if _, _, err := svc.Login(ctx, "nobody", "whatever-pw", "1.1.1.1"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("unknown user: %v", err)
		}
		// wrong passwords make this address wait (auth_hardening_test.go has the rules); never a lock
		for i := 0; i < 5; i++ {
			if _, _, err := svc.Login(ctx, "tianshan.clerk", "wrong-password", "1.1.1.1"); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, err := svc.Login(ctx, "tianshan.clerk", demo.Password, "1.1.1.1"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("the right password while the address waits: %v", err)
		}
		db.Now = func() time.Time { return time.Now().Add(time.Minute) }
		me, sess, err := svc.Login(ctx, "tianshan.clerk", demo.Password, "1.1.1.1")
		db.Now = time.Now
		if err != nil {
			t.Fatalf("after the wait: %v", err)
		}
		// a second session on another device ends when the password changes
		_, other, err := svc.Login(ctx, "tianshan.clerk", demo.Password, "2.2.2.2")
		if err != nil {
			t.Fatal(err)
		}
		err = svc.ChangePassword(ctx, me, sess.Token, "wrong", "new-password-1", "new-password-2")
		fields := map[string]string{}
		for _, e := range errs.All(err) {
			fields[e.Field] = e.Key
		}
		if fields["confirm_password"] != "err.password.mismatch" {
			t.Fatalf("mismatch: %v", err)
		}
		if err := svc.ChangePassword(ctx, me, sess.Token, "wrong", "new-password-1", "new-password-1"); errs.All(err)[0].Field != "old_password" {
			t.Fatalf("wrong old password: %v", err)
		}
		if err := svc.ChangePassword(ctx, me, sess.Token, demo.Password, "new-password-1", "new-password-1"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, other.Token); err == nil {
			t.Fatal("the other device's session survived a password change")
		}
		if _, _, err := svc.Authenticate(ctx, sess.Token); err != nil {
			t.Fatalf("the changing session ends too: %v", err)
		}
		if _, _, err := svc.Login(ctx, "tianshan.clerk", "new-password-1", "1.1.1.1"); err != nil {
			t.Fatal(err)
		}
	})
}

// Bad input is refused with the field named, and nothing is written.
func TestBadInputWritesNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		director := w.actors["tianshan.director"]
		v1 := w.targets["V1"].ID
		cases := []struct {
			name, field, key string
			do               func() error
		}{
			{"malformed ID", "id_number", "err.idnumber.check_char", func() error {
				_, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "resident", Name: "张三", IDNumber: "150421198001010011", OrgID: v1}, "")
				return err
			}},
			{"empty name", "name", "err.required", func() error {
				_, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "resident", Name: "  ", IDNumber: idFor(1), OrgID: v1}, "")
				return err
			}},
			{"over-long address", "address", "err.too_long", func() error {
				_, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "resident", Name: "张三", IDNumber: idFor(2), Address: strings.Repeat("路", 201), OrgID: v1}, "")
				return err
			}},
			{"override without the right", "credit_code", "err.creditcode.override_forbidden", func() error {
				_, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: "91350211M0000XUF46", CreditOverride: "核对过", OrgID: v1}, "")
				return err
			}},
			{"duplicate username", "username", "err.username.taken", func() error {
				_, err := w.svc.CreateStaff(ctx, director, service.StaffInput{Username: "shaogen.clerk", Name: "重名", Role: "clerk", OrgID: w.targets["T1"].ID, Password: "long-enough-pw"})
				return err
			}},
			{"over-long org name", "name_zh", "err.too_long", func() error {
				cur, _ := db.Org(ctx, w.targets["T1"].ID)
				_, err := w.svc.RenameOrg(ctx, director, cur.ID, service.RenameInput{Version: cur.Version, NameZh: strings.Repeat("镇", 101)})
				return err
			}},
			{"Mongolian name not in Mongolian", "name_mn", "err.name_mn.script", func() error {
				cur, _ := db.Org(ctx, w.targets["T1"].ID)
				_, err := w.svc.RenameOrg(ctx, director, cur.ID, service.RenameInput{Version: cur.Version, NameZh: cur.NameZh, NameMn: "Tianshan"})
				return err
			}},
		}
		for _, c := range cases {
			orgs, _ := db.CountOrgs(ctx)
			apps, _ := db.CountApplicants(ctx)
			entries, _ := db.CountAudit(ctx)
			err := c.do()
			found := false
			for _, e := range errs.All(err) {
				found = found || (e.Field == c.field && e.Key == c.key)
			}
			if !found {
				t.Errorf("%s: want %s %s, got %v", c.name, c.field, c.key, err)
			}
			o2, _ := db.CountOrgs(ctx)
			a2, _ := db.CountApplicants(ctx)
			e2, _ := db.CountAudit(ctx)
			if o2 != orgs || a2 != apps || e2 != entries {
				t.Errorf("%s: wrote something (%d orgs, %d applicants, %d audit entries)", c.name, o2-orgs, a2-apps, e2-entries)
			}
		}
		// The director may accept the failing code with a reason; the override is in the trail.
		a, err := w.svc.CreateApplicant(ctx, director, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: "91350211M0000XUF46", CreditOverride: "已与营业执照原件核对", OrgID: v1}, "")
		if err != nil {
			t.Fatal(err)
		}
		trail, err := db.AuditOf(ctx, "applicant", a.ID, 5)
		if err != nil || len(trail) != 1 || trail[0].Action != "applicant.create.credit_override" || !strings.Contains(trail[0].After, "已与营业执照原件核对") {
			t.Fatalf("override not audited: %+v %v", trail, err)
		}
	})
}
