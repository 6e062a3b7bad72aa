package service_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// noticeNo is a notice number: the issuing organ's abbreviation (the township's, or 阿民 for 民政局, which
// decides 低保), the kind, 〔year〕, a serial, 号.
var noticeNo = regexp.MustCompile(`^(天山|阿民)(补正|受理|容缺|不予受理|准予|不予|延期|送达|承诺|撤销)〔20\d\d〕(\d+)号$`)

// Every kind of notice is issued by its move, numbered, keeps what it said, and its code opens a verification
// that names it without the applicant.
func TestNoticeEveryKind(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		receive := func() cases.Case {
			t.Helper()
			c, err := w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"], ReceivingOrg: w.targets["T1"].ID}, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		move := func(c *cases.Case, a cases.Action, in cases.Input) {
			t.Helper()
			moved, err := w.svc.Act(ctx, access.System, c.ID, c.Version, a, in)
			if err != nil {
				t.Fatalf("%s: %v", a, err)
			}
			*c = moved
		}
		owed := mats(false)
		owed[4].Check, owed[4].Note = cases.Owed, "本人银行卡待办理"
		by, _ := clock.ParseDate(w.svc.DB.Now().AddDate(0, 0, 7).Format("2006-01-02"))

		a := receive() // correction, accept, extension, grant, delivery
		move(&a, cases.AskCorrection, cases.Input{Materials: mats(true)})
		move(&a, cases.Resubmit, cases.Input{})
		move(&a, cases.Accept, cases.Input{Materials: mats(false)})
		move(&a, cases.RequestExtension, cases.Input{Days: 10, Reason: "需入户核查家庭财产"})
		move(&a, cases.ApproveExtension, cases.Input{})
		move(&a, cases.Pass, cases.Input{})
		move(&a, cases.Pass, cases.Input{})
		move(&a, cases.Decide, cases.Input{Grant: true, Reason: "符合条件"})
		move(&a, cases.Issue, cases.Input{Method: "post", Tracking: "EMS9876543210"})
		b := receive() // refuse
		move(&b, cases.Refuse, cases.Input{Reason: "申请人户籍不在本苏木镇"})
		c := receive() // accept_owed, deny
		move(&c, cases.AcceptOwed, cases.Input{Materials: owed, OwedBy: by})
		move(&c, cases.Pass, cases.Input{})
		move(&c, cases.Pass, cases.Input{})
		move(&c, cases.Decide, cases.Input{Grant: false, Reason: "家庭收入高于当地低保标准"})

		p := receive() // accept with a pledge (告知承诺书), the check finds it false, revoke
		pledged := mats(false)
		pledged[3].Check = cases.Pledged
		move(&p, cases.Accept, cases.Input{Materials: pledged, CheckBy: by})
		move(&p, cases.PledgeChecked, cases.Input{Result: cases.PledgeFalse, Reason: "入户核查：家庭有营运车辆两辆"})
		move(&p, cases.Revoke, cases.Input{Reason: "虚假承诺，终止办理"})

		want := map[string][]string{a.ID: {"correction", "accept", "extension", "grant", "delivery"}, b.ID: {"refuse"}, c.ID: {"accept_owed", "deny"},
			p.ID: {"accept", "pledge", "revoke"}}
		seen := map[string]bool{}
		clerk := w.actors["tianshan.clerk"]
		// 低保 is decided at 民政局's step: its decision, extension and service are in 民政局's name (行政许可法
		// 第42条), the intake notices the township's, which says it receives for 民政局 (受委托代收)
		mz, err := db.OrgsByName(ctx, org.Department, "民政局")
		if err != nil || len(mz) != 1 {
			t.Fatal(mz, err)
		}
		organ := func(kind string) string {
			if kind == "grant" || kind == "deny" || kind == "extension" || kind == "delivery" || kind == "revoke" {
				return mz[0].ID
			}
			return w.targets["T1"].ID
		}
		for caseID, kinds := range want {
			list, err := w.svc.Notices(ctx, clerk, caseID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != len(kinds) {
				t.Fatalf("case %s: %d notices, want %v", caseID, len(list), kinds)
			}
			for i, n := range list {
				if n.Kind != kinds[i] || !noticeNo.MatchString(n.No) {
					t.Errorf("notice %d of %s: %s %q", i, caseID, n.Kind, n.No)
				}
				seen[n.Kind] = true
				// the public verification: the kind, the number, the issuer, nothing about the applicant
				check, err := w.svc.VerifyNotice(ctx, n.Code)
				if err != nil || check.Notice.No != n.No || check.Notice.Kind != n.Kind || check.Issuer.ID != organ(n.Kind) || check.Notice.Doc != "" || check.Notice.CaseID != "" {
					t.Errorf("verify %s: %+v %v", n.No, check, err)
				}
				if check.ItemNameMn == "" {
					t.Errorf("verify %s: no Mongolian item name", n.No)
				}
				// the printed notice says what it said when issued
				v, err := w.svc.Notice(ctx, clerk, caseID, n.ID)
				if err != nil {
					t.Fatal(err)
				}
				if v.Banner.Kind != org.Banner || v.Issuer.ID != organ(n.Kind) {
					t.Errorf("%s: issuer %s, banner %s", n.Kind, v.Issuer.NameZh, v.Banner.NameZh)
				}
				if want := map[bool]string{true: "", false: mz[0].ID}[organ(n.Kind) == mz[0].ID]; v.ReceivedFor.ID != want {
					t.Errorf("%s: received for %q, want %q", n.Kind, v.ReceivedFor.NameZh, want)
				}
				p := v.Paper
				ok := true
				switch n.Kind {
				case "correction":
					ok = p.Case.State == cases.Correction && len(p.Case.WithCheck(cases.Missing)) > 0
				case "accept":
					ok = p.Case.State == cases.Accepted && !p.Due.IsZero()
				case "accept_owed":
					owed := p.Case.WithCheck(cases.Owed)
					ok = len(owed) == 1 && owed[0].Note == "本人银行卡待办理" && p.Case.OwedBy == by
				case "refuse":
					ok = p.Case.Refusal == "申请人户籍不在本苏木镇" && cases.Remedies(n.Kind)
				case "grant":
					ok = p.Case.Decision.Grant && !cases.Remedies(n.Kind)
				case "deny":
					ok = !p.Case.Decision.Grant && p.Case.Decision.Reasons == "家庭收入高于当地低保标准" && cases.Remedies(n.Kind)
				case "extension":
					ok = p.Reason == "需入户核查家庭财产" && p.Case.Extension == 10
				case "pledge":
					ok = p.Case.Pledge != nil && p.Case.Pledge.Due == by && len(p.Case.WithCheck(cases.Pledged)) == 1 && !cases.Remedies(n.Kind)
				case "revoke":
					ok = p.Case.State == cases.Revoked && p.Case.Pledge.Result == cases.PledgeFalse && p.Case.Refusal == "虚假承诺，终止办理" && cases.Remedies(n.Kind)
				case "delivery":
					ok = p.Case.Delivery.Method == "post" && p.Case.Delivery.Tracking == "EMS9876543210" && v.Current.State == cases.Issued
				}
				if !ok {
					t.Errorf("%s says %+v", n.Kind, p)
				}
			}
		}
		for _, k := range cases.NoticeKinds {
			if !seen[k] {
				t.Errorf("no %s notice was issued", k)
			}
		}
		// serials count up per kind: the two acceptance notices (accept, accept_owed) are each number 1 of
		// their kind, the two decisions likewise
		for _, n := range mustNotices(t, w, clerk, a.ID) {
			if m := noticeNo.FindStringSubmatch(n.No); m[3] != "1" {
				t.Errorf("%s: serial %s", n.No, m[3])
			}
		}
		// a later correction notice of another case takes the next serial of its kind
		d := receive()
		move(&d, cases.AskCorrection, cases.Input{Materials: mats(true)})
		if m := noticeNo.FindStringSubmatch(mustNotices(t, w, clerk, d.ID)[0].No); m == nil || m[3] != "2" {
			t.Errorf("second correction notice: %v", m)
		}
		// people who may not read the case may not read its notices; a notice read through another case is
		// not found
		if _, err := w.svc.Notices(ctx, w.actors["shaogen.clerk"], a.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's clerk lists the notices: %v", err)
		}
		other := mustNotices(t, w, clerk, b.ID)[0]
		if _, err := w.svc.Notice(ctx, clerk, a.ID, other.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a notice through another case: %v", err)
		}
		// the message: Mongolian first, signed with the township's Mongolian name and naming the item in
		// Mongolian; then the Chinese
		msgs, _ := w.svc.Messages(ctx, b.ID)
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Body, "【"+w.targets["T1"].NameMn+"】"+a.ItemNameMn) || !strings.Contains(msgs[0].Body, " / 【天山镇】您申请的最低生活保障") {
			t.Errorf("refusal message: %+v", msgs)
		}
	})
}

func mustNotices(t *testing.T, w *world, actor access.Actor, caseID string) []store.Notice {
	t.Helper()
	list, err := w.svc.Notices(ctx, actor, caseID)
	if err != nil || len(list) == 0 {
		t.Fatalf("notices of %s: %v %v", caseID, list, err)
	}
	return list
}

// A case taken in before cases kept the item's Mongolian name is shown with it, from its item version.
func TestItemNameMnForOlderCases(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	w := demoWorld(t, db)
	item := dibaoItem(t, w)
	c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		t.Fatal(err)
	}
	c.ItemNameMn = "" // as cases were stored before
	doc, _ := json.Marshal(c)
	if err := db.ExecRaw(ctx, `UPDATE cases SET doc = ? WHERE id = ?`, string(doc), c.ID); err != nil {
		t.Fatal(err)
	}
	old, err := db.Case(ctx, c.ID)
	if err != nil || old.ItemNameMn != "" {
		t.Fatalf("the old-style case: %+v %v", old, err)
	}
	got, _, err := w.svc.CaseFor(ctx, w.actors["tianshan.clerk"], old.ID)
	it, _ := db.ItemVersion(ctx, item, 1)
	if err != nil || it.NameMn == "" || got.Case.ItemNameMn != it.NameMn {
		t.Fatalf("item name %q, want %q: %v", got.Case.ItemNameMn, it.NameMn, err)
	}
}
