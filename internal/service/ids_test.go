package service_test

import (
	"strings"
	"testing"

	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// toFullWidth writes a number as a Chinese input method gives it, in groups: "１５０４２１ １９８００１０１ ９６０Ｘ".
func toFullWidth(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i == 6 || i == 14 {
			b.WriteRune('　')
		}
		b.WriteRune(r + 0xFEE0)
	}
	return b.String()
}

// On both databases: numbers typed in full width, with spaces or hyphens and a lowercase x, are stored in the
// form GB 11643 writes, so that the resident signs in with either form and the same person is found again;
// the residence permits of Hong Kong, Macao and Taiwan residents are ID numbers like any other; and a credit
// code outside GB 32100's prefix table is refused even with a director's reason, while a failing check
// character of the organisation code inside it may be excused by one.
func TestIdentityNumbersNormalisedAndChecked(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		director := w.actors["tianshan.director"]
		v1 := w.targets["V1"].ID

		id := idFor(960)
		typed := toFullWidth(strings.ToLower(id))
		r := register(t, w, "乌云", typed, "V1")
		if r.IDNumber != id {
			t.Fatalf("registered as %q, want %q", r.IDNumber, id)
		}
		for _, form := range []string{id, typed, id[:6] + "-" + id[6:14] + "-" + id[14:]} {
			if _, _, err := w.svc.ResidentLogin(ctx, form, residentPassword, "10.0.0.3"); err != nil {
				t.Errorf("sign-in as %q: %v", form, err)
			}
		}
		a, err := db.Applicant(ctx, r.ApplicantID)
		if err != nil || a.IDNumber != id {
			t.Fatalf("the applicant record holds %q, %v", a.IDNumber, err)
		}
		_, err = w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "resident", Name: "乌云", IDNumber: id, OrgID: v1}, "")
		if fieldKeys(err)["id_number"] != "err.idnumber.taken" {
			t.Fatalf("the same number in ASCII is not the same person: %v", err)
		}

		for _, permit := range []string{"810000199001011230", "820000198512310045", "830000200002290058"} {
			if _, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "resident", Name: "陈大文", IDNumber: permit, OrgID: v1}, ""); err != nil {
				t.Errorf("residence permit %s: %v", permit, err)
			}
		}

		apps, _ := db.CountApplicants(ctx)
		for _, c := range []struct{ code, key string }{
			{"9Y150421MA0N12340E", "err.creditcode.category"},
			{"01150421MA0N12340H", "err.creditcode.department"},
		} {
			_, err := w.svc.CreateApplicant(ctx, director, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: c.code,
				CreditOverride: "已与营业执照原件核对", OrgID: v1}, "")
			if fieldKeys(err)["credit_code"] != c.key || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("%s with a director's reason: %v, want %s", c.code, err, c.key)
			}
		}
		if n, _ := db.CountApplicants(ctx); n != apps {
			t.Fatalf("refused codes wrote %d applicants", n-apps)
		}
		inner := "91150421MA0N12341B" // the organisation code's check character is wrong, the final one right
		if _, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: inner, OrgID: v1}, ""); fieldKeys(err)["credit_code"] != "err.creditcode.orgcode" {
			t.Fatalf("inner check: %v", err)
		}
		if _, err := w.svc.CreateApplicant(ctx, clerk, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: inner, CreditOverride: "核对过", OrgID: v1}, ""); fieldKeys(err)["credit_code"] != "err.creditcode.override_forbidden" {
			t.Fatalf("a clerk excuses the inner check: %v", err)
		}
		got, err := w.svc.CreateApplicant(ctx, director, service.ApplicantInput{Kind: "organisation", Name: "某合作社", CreditCode: strings.ToLower(inner),
			CreditOverride: "已与营业执照原件核对", OrgID: v1}, "")
		if err != nil || got.CreditCode != inner || got.CreditOverride == "" {
			t.Fatalf("the director's override: %+v %v", got, err)
		}
	})
}
