package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

var ctx = context.Background()

// idFor makes a valid, distinct ID number per n.
func idFor(n int) string {
	base := fmt.Sprintf("15042119800101%03d", n%1000)
	return base + string(people.IDCheckChar(base))
}

type world struct {
	svc     *service.Service
	db      *store.DB
	targets map[string]org.Org      // T1 天山镇, T2 绍根镇, V1 杨树林村, V2 西双山村 (both 天山镇), V3 阿格坦塔拉嘎查 (绍根镇)
	actors  map[string]access.Actor // demo accounts by username
	seeded  map[string]string       // an applicant registered at each target
}

func demoWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{svc: testkit.Demo(t, db), db: db, targets: map[string]org.Org{}, actors: map[string]access.Actor{}, seeded: map[string]string{}}
	for key, name := range map[string]string{"T1": "天山镇", "T2": "绍根镇", "V1": "杨树林村", "V2": "西双山村", "V3": "阿格坦塔拉嘎查"} {
		list, err := db.OrgsByName(ctx, map[bool]org.Kind{true: org.Township, false: org.Village}[key[0] == 'T'], name)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %v %v", name, list, err)
		}
		w.targets[key] = list[0]
	}
	banner, _ := db.OrgByCode(ctx, "150421")
	staff, err := db.StaffIn(ctx, banner.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range staff {
		w.actors[s.Username] = s.Actor()
	}
	n := 900
	for key, o := range w.targets {
		n++
		a, err := w.svc.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "居民" + key, IDNumber: idFor(n), Phone: "13800001234", OrgID: o.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		w.seeded[key] = a.ID
	}
	return w
}

// The permission matrix: for every role, which of two townships and three villages it may act on. The
// expectations are written out here, not derived from the role table, so that a change to the table that
// widens a permission fails this test.
func TestPermissionMatrix(t *testing.T) {
	const all = "T1 T2 V1 V2 V3"
	type row struct{ read, edit, create, list, staffList, staffCreate, full, masked string }
	matrix := map[string]row{
		"admin":              {all, all, all, all, all, all, all, ""},
		"supervisor":         {all, "", "", all, all, "", "", all},
		"minzheng":           {"", "", "", "", "", "", "", ""},
		"tianshan.clerk":     {"T1 V1 V2", "", "T1 V1 V2", "T1 V1 V2", "", "", "T1 V1 V2", ""},
		"tianshan.reviewer":  {"T1 V1 V2", "", "", "T1 V1 V2", "", "", "", "T1 V1 V2"},
		"tianshan.director":  {"T1 V1 V2", "T1 V1 V2", "T1 V1 V2", "T1 V1 V2", "T1 V1 V2", "T1 V1 V2", "T1 V1 V2", ""},
		"shaogen.clerk":      {"T2 V3", "", "T2 V3", "T2 V3", "", "", "T2 V3", ""},
		"shaogen.director":   {"T2 V3", "T2 V3", "T2 V3", "T2 V3", "T2 V3", "T2 V3", "T2 V3", ""},
		"yangshulin.agent":   {"V1", "", "V1", "V1", "", "", "V1", ""},
		"xishuangshan.agent": {"V2", "", "V2", "V2", "", "", "V2", ""},
		// Mongolian reviewers read organisations and nothing of the people (their strings: TestMnWorkflow)
		"fanyi":          {all, "", "", "", "", "", "", ""},
		"tianshan.fanyi": {"T1 V1 V2", "", "", "", "", "", "", ""},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		n := 0
		for user, want := range matrix {
			actor, ok := w.actors[user]
			if !ok {
				t.Fatalf("no demo account %s", user)
			}
			for _, key := range strings.Fields(all) {
				target := w.targets[key]
				n++
				ops := map[string]func() error{
					"read": func() error { _, err := w.svc.Org(ctx, actor, target.ID); return err },
					"edit": func() error {
						cur, _ := db.Org(ctx, target.ID)
						_, err := w.svc.RenameOrg(ctx, actor, target.ID, service.RenameInput{Version: cur.Version, NameZh: cur.NameZh, NameMn: cur.NameMn, Abbr: cur.Abbr, MnReview: cur.MnReview})
						return err
					},
					"create": func() error {
						_, err := w.svc.CreateApplicant(ctx, actor, service.ApplicantInput{Kind: "resident", Name: "测试", IDNumber: idFor(n), OrgID: target.ID}, "")
						return err
					},
					"list":      func() error { _, err := w.svc.Applicants(ctx, actor, target.ID, 10); return err },
					"staffList": func() error { _, err := w.svc.ListStaff(ctx, actor, target.ID); return err },
					"staffCreate": func() error {
						role := "clerk"
						if target.Kind == org.Village {
							role = "agent"
						}
						_, err := w.svc.CreateStaff(ctx, actor, service.StaffInput{Username: fmt.Sprintf("user%03d", n), Name: "新人", Role: role, OrgID: target.ID, Password: "long-enough-pw"})
						return err
					},
				}
				allowed := map[string]string{"read": want.read, "edit": want.edit, "create": want.create, "list": want.list, "staffList": want.staffList, "staffCreate": want.staffCreate}
				for name, fn := range ops {
					wantOK := strings.Contains(allowed[name], key)
					before, _ := db.CountAudit(ctx)
					err := fn()
					after, _ := db.CountAudit(ctx)
					switch {
					case wantOK && err != nil:
						t.Errorf("%s %s %s: refused: %v", user, name, key, err)
					case !wantOK && errs.CodeOf(err) != errs.Forbidden:
						t.Errorf("%s %s %s: want forbidden, got %v", user, name, key, err)
					case !wantOK && after != before:
						t.Errorf("%s %s %s: a refusal wrote %d audit entries", user, name, key, after-before)
					}
				}
				// Reading one applicant: in full at the front desk, masked in the back office, else refused.
				a, err := w.svc.Applicant(ctx, actor, w.seeded[key])
				switch {
				case strings.Contains(want.full, key):
					if err != nil || strings.Contains(a.IDNumber, "*") || a.Phone != "13800001234" {
						t.Errorf("%s reads %s in full: %+v %v", user, key, a, err)
					}
				case strings.Contains(want.masked, key):
					if err != nil || !strings.Contains(a.IDNumber, "*") || !strings.Contains(a.Phone, "*") {
						t.Errorf("%s reads %s masked: %+v %v", user, key, a, err)
					}
				default:
					if errs.CodeOf(err) != errs.Forbidden {
						t.Errorf("%s reads applicant of %s: want forbidden, got %v", user, key, err)
					}
				}
			}
		}
		// Lists never show full numbers, whoever reads them.
		list, err := w.svc.Applicants(ctx, w.actors["tianshan.clerk"], w.targets["T1"].ID, 100)
		if err != nil || len(list) == 0 {
			t.Fatal(err)
		}
		for _, a := range list {
			if !strings.Contains(a.IDNumber, "*") {
				t.Errorf("unmasked number in a list: %s", a.IDNumber)
			}
		}
	})
}

// Nobody can make an account more powerful than their own, nor put a role where it does not belong.
func TestRoleGrants(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		dir := w.actors["tianshan.director"]
		for _, role := range []string{"admin", "supervisor", "director", "department"} {
			_, err := w.svc.CreateStaff(ctx, dir, service.StaffInput{Username: "x" + role, Name: "x", Role: role, OrgID: w.targets["T1"].ID, Password: "long-enough-pw"})
			if errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("director granting %s: %v", role, err)
			}
		}
		_, err := w.svc.CreateStaff(ctx, dir, service.StaffInput{Username: "agent.at.township", Name: "x", Role: "agent", OrgID: w.targets["T1"].ID, Password: "long-enough-pw"})
		if e := errs.All(err); len(e) != 1 || e[0].Field != "org" {
			t.Errorf("an agent belongs at a village: %v", err)
		}
	})
}
