package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/delegation"
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

// The permission matrix of delegated powers (issue 14; the seed 四.(一), 四.(二)): 自然资源局's delegation of the
// 乡村建设规划许可 to 天山镇 (handed over) and 绍根镇 (not yet), its pair, a request asked from 天山镇, a round of
// 天山镇 with a finding, and a case in the guidance period; for every account, which moves it may make. Written
// out, not derived from the role table, so that a widened permission fails here. A refusal is forbidden and
// writes no audit entry; an allowed move is not forbidden (a second of it may meet a conflict).
func TestDelegationPermissionMatrix(t *testing.T) {
	ops := []string{"readDelegation", "delegate", "checklist", "ready", "readHelp", "answer", "readRound", "planRound", "rectify", "comment", "readCase", "readOtherCase", "assessment"}
	matrix := map[string]string{
		"admin":      "readDelegation delegate checklist readHelp answer readRound planRound readCase readOtherCase assessment",
		"supervisor": "readDelegation readHelp readRound planRound readCase readOtherCase assessment",
		"ziran":      "readDelegation delegate checklist readHelp answer readRound planRound comment readCase",
		"ziran.head": "readDelegation readHelp answer readRound",
		// 民政局 reads its own item's case (低保, the other case) as its back office; nothing of 自然资源局's
		"minzheng":           "planRound readOtherCase",
		"minzheng.head":      "readOtherCase",
		"tianshan.clerk":     "readDelegation readHelp answer readRound readCase readOtherCase",
		"tianshan.reviewer":  "readDelegation readHelp answer readRound readCase readOtherCase",
		"tianshan.director":  "readDelegation readHelp answer readRound rectify readCase readOtherCase",
		"shaogen.clerk":      "readDelegation",
		"shaogen.director":   "readDelegation ready",
		"yangshulin.agent":   "",
		"fanyi":              "",
		"tianshan.fanyi":     "",
		"xishuangshan.agent": "",
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		start := nextWorkingDay(t, w)
		item := licenceItem(t, w)
		d := delegateLicence(t, w, start, "T1", "T2")
		ziran, reviewer := w.actors["ziran"], w.actors["tianshan.reviewer"]
		if _, err := w.svc.SetPair(ctx, ziran, item, reviewer.ID, ziran.ID); err != nil {
			t.Fatal(err)
		}
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		other, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		h, err := w.svc.AskHelp(ctx, reviewer, service.HelpInput{CaseID: c.ID, Subject: "四至", Question: "四至不清的如何审查？"}, "")
		if err != nil {
			t.Fatal(err)
		}
		r, err := w.svc.PlanRound(ctx, ziran, service.RoundInput{TownshipID: w.targets["T1"].ID, Area: "北片", Planned: start.String()}, "")
		if err != nil {
			t.Fatal(err)
		}
		if r, err = w.svc.RecordVisit(ctx, ziran, r.ID, r.Version, delegation.Visit{Findings: []string{"缺少现场勘查记录"}, Due: start.AddDays(10).String()}); err != nil {
			t.Fatal(err)
		}
		t2 := w.targets["T2"].ID
		n := 0
		for user, want := range matrix {
			actor, ok := w.actors[user]
			if !ok {
				t.Fatalf("no demo account %s", user)
			}
			run := map[string]func() error{
				"readDelegation": func() error { _, err := w.svc.Delegation(ctx, actor, d.ID); return err },
				"delegate": func() error {
					n++
					_, err := w.svc.CreateDelegation(ctx, actor, delegation.Input{ItemID: item, Scope: "decision", DocNo: fmt.Sprintf("阿政发〔2020〕%d号", n), DocDate: "2020-09-01",
						Start: start.String(), Townships: []string{t2}}, "")
					return err
				},
				"checklist": func() error {
					cur, _ := db.Delegation(ctx, d.ID)
					_, err := w.svc.SetChecklist(ctx, actor, d.ID, t2, cur.Version, delegation.Checklist{Materials: true, TrainedStaff: "绍根镇审办员"})
					return err
				},
				"ready": func() error {
					cur, _ := db.Delegation(ctx, d.ID)
					_, err := w.svc.ConfirmReady(ctx, actor, d.ID, t2, cur.Version)
					return err
				},
				"readHelp": func() error { _, err := w.svc.HelpRequest(ctx, actor, h.ID); return err },
				"answer": func() error {
					cur, _ := db.Help(ctx, h.ID)
					_, err := w.svc.MoveHelp(ctx, actor, h.ID, service.HelpMove{Version: cur.Version, Body: "以村委会出具的证明为准"})
					return err
				},
				"readRound": func() error { _, err := w.svc.Round(ctx, actor, r.ID); return err },
				"planRound": func() error {
					_, err := w.svc.PlanRound(ctx, actor, service.RoundInput{TownshipID: w.targets["T1"].ID, Area: "南片", Planned: start.String()}, "")
					return err
				},
				"rectify": func() error {
					cur, _ := db.Round(ctx, r.ID)
					_, err := w.svc.MoveFinding(ctx, actor, r.ID, cur.Version, 0, "rectify", "已补充")
					return err
				},
				"comment":  func() error { _, err := w.svc.CommentCase(ctx, actor, c.ID, "注意核对"); return err },
				"readCase": func() error { _, _, err := w.svc.CaseFor(ctx, actor, c.ID); return err },
				// the counterpart reads the cases of the delegated item only (delegation.Guide), not another item's
				"readOtherCase": func() error { _, _, err := w.svc.CaseFor(ctx, actor, other.ID); return err },
				"assessment":    func() error { _, err := w.svc.Assessment(ctx, actor, start.Y); return err },
			}
			for _, name := range ops {
				allowed := slices.Contains(strings.Fields(want), name)
				before, _ := db.CountAudit(ctx)
				err := run[name]()
				after, _ := db.CountAudit(ctx)
				forbidden := errs.CodeOf(err) == errs.Forbidden
				switch {
				case allowed && forbidden:
					t.Errorf("%s %s: refused: %v", user, name, err)
				case !allowed && !forbidden:
					t.Errorf("%s %s: want forbidden, got %v", user, name, err)
				case !allowed && after != before:
					t.Errorf("%s %s: a refusal wrote %d audit entries", user, name, after-before)
				}
			}
		}
	})
}
