package service_test

import (
	"slices"
	"strings"
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

func itemNamed(t *testing.T, w *world, name string) string {
	t.Helper()
	res, err := w.svc.Search(ctx, name, 1)
	if err != nil || len(res) == 0 || res[0].Card.NameZh != name {
		t.Fatalf("%s: %v %v", name, res, err)
	}
	return res[0].Card.ID
}

// A village station receives and forwards (代办): its agent makes none of the organ's acts (受理, 不予受理,
// the decision; 行政许可法 第32条) on a 嘎查村可代办 item, and is told why, naming the field; the township window
// accepts. An item published 嘎查村可直接办理 is concluded at the station by its agent.
func TestStationForwardsAndConcludes(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		agent := w.actors["yangshulin.agent"]
		c, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["V1"], Authorisation: "书面委托书"}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []cases.Action{cases.Accept, cases.AcceptOwed, cases.Refuse} {
			_, err := w.svc.Act(ctx, agent, c.ID, c.Version, a, cases.Input{Materials: mats(false), Reason: "不符合条件"})
			fields := errs.All(err)
			if errs.CodeOf(err) != errs.Forbidden || len(fields) != 1 || fields[0].Field != "action" || fields[0].Key != "err.case.station_forwards" {
				t.Fatalf("the agent makes %s: %v", a, err)
			}
		}
		work, _, err := w.svc.CaseFor(ctx, agent, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(work.Mine, cases.Accept) || slices.Contains(work.Mine, cases.Refuse) || !slices.Contains(work.Mine, cases.AskCorrection) {
			t.Fatalf("the agent is offered %v", work.Mine)
		}
		// the station helps with what is missing and hands back the result; the window accepts
		if c, err = w.svc.Act(ctx, agent, c.ID, c.Version, cases.AskCorrection, cases.Input{Materials: mats(true)}); err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, agent, c.ID, c.Version, cases.Resubmit, cases.Input{}); err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		if c.StationHandles {
			t.Fatal("a 代办 item marked concluded at the station")
		}

		// 城乡居民基本医疗保险参保登记 is published 嘎查村可直接办理: the agent accepts, decides and issues it
		item := itemNamed(t, w, "城乡居民基本医疗保险参保登记")
		if it, err := db.ItemVersion(ctx, item, 1); err != nil || it.Village != catalog.VillageHandle {
			t.Fatalf("the demo item is not 嘎查村可直接办理: %v", err)
		}
		h, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Authorisation: "书面委托书"}, "")
		if err != nil || !h.StationHandles {
			t.Fatalf("received: %+v %v", h, err)
		}
		for _, m := range []struct {
			a  cases.Action
			in cases.Input
		}{{cases.Accept, cases.Input{Materials: seenAll(t, db, h)}}, {cases.Decide, cases.Input{Grant: true, Reason: "符合参保条件"}},
			{cases.Issue, cases.Input{Method: "window"}}, {cases.Deliver, cases.Input{}}} {
			if h, err = w.svc.Act(ctx, agent, h.ID, h.Version, m.a, m.in); err != nil {
				t.Fatalf("the agent %s on a 嘎查村可直接办理 item: %v", m.a, err)
			}
		}
		// another village's agent concludes nothing of it
		other, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Authorisation: "书面委托书"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(ctx, w.actors["xishuangshan.agent"], other.ID, other.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, other)}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("another station accepts: %v", err)
		}
	})
}

// Each item and each deciding step names its competent organ: 居民身份证申领 is received at the township window
// for 公安局 (the receipt says so) and decided by 公安局 in its own name; an item decided at the township is the
// township's throughout, and the township's director approves its extension.
func TestCompetentOrgan(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		police, err := db.OrgsByName(ctx, org.Department, "公安局")
		if err != nil || len(police) != 1 {
			t.Fatal(police, err)
		}
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: itemNamed(t, w, "居民身份证申领"), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.DecidingOrg() != police[0].ID {
			t.Fatalf("deciding organ %s", c.DecidingOrg())
		}
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)}); err != nil {
			t.Fatal(err)
		}
		// the township reviewer and director do not decide it; 公安局 does
		for _, who := range []string{"tianshan.reviewer", "tianshan.director", "minzheng"} {
			if _, err := w.svc.Act(ctx, w.actors[who], c.ID, c.Version, cases.Decide, cases.Input{Grant: true}); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("%s decides for 公安局: %v", who, err)
			}
		}
		if c, err = w.svc.Act(ctx, w.actors["gongan"], c.ID, c.Version, cases.Decide, cases.Input{Grant: true, Reason: "符合申领条件"}); err != nil {
			t.Fatal(err)
		}
		notices := mustNotices(t, w, clerk, c.ID)
		if len(notices) != 2 || !strings.HasPrefix(notices[0].No, "天山受理") || !strings.HasPrefix(notices[1].No, "阿公准予") {
			t.Fatalf("notices: %+v", notices)
		}
		receipt, err := w.svc.Notice(ctx, clerk, c.ID, notices[0].ID)
		if err != nil || receipt.Issuer.ID != w.targets["T1"].ID || receipt.ReceivedFor.ID != police[0].ID {
			t.Fatalf("the receipt: issuer %s, received for %q: %v", receipt.Issuer.NameZh, receipt.ReceivedFor.NameZh, err)
		}
		decision, err := w.svc.Notice(ctx, clerk, c.ID, notices[1].ID)
		if err != nil || decision.Issuer.ID != police[0].ID || decision.ReceivedFor.ID != "" || decision.Banner.Kind != org.Banner {
			t.Fatalf("the decision: issuer %s: %v", decision.Issuer.NameZh, err)
		}
		if check, err := w.svc.VerifyNotice(ctx, notices[1].Code); err != nil || check.Issuer.ID != police[0].ID {
			t.Fatalf("verified issuer %s: %v", check.Issuer.NameZh, err)
		}

		// 高龄津贴 is decided at the township's review step: the township's director approves its extension
		g, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: itemNamed(t, w, "高龄津贴"), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if g, err = w.svc.Act(ctx, clerk, g.ID, g.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, g)}); err != nil {
			t.Fatal(err)
		}
		if g, err = w.svc.Act(ctx, w.actors["tianshan.reviewer"], g.ID, g.Version, cases.RequestExtension, cases.Input{Days: 3, Reason: "需入户核实"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(ctx, w.actors["minzheng.head"], g.ID, g.Version, cases.ApproveExtension, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("民政局's head approves a township decision's extension: %v", err)
		}
		if g, err = w.svc.Act(ctx, w.actors["tianshan.director"], g.ID, g.Version, cases.ApproveExtension, cases.Input{}); err != nil || g.Extension != 3 {
			t.Fatalf("the township director: %v", err)
		}
		ext := mustNotices(t, w, clerk, g.ID)
		if last := ext[len(ext)-1]; last.Kind != "extension" || !strings.HasPrefix(last.No, "天山延期") {
			t.Fatalf("extension notice %+v", last)
		}
	})
}

// 残疾人服务一件事: both subsidies wait for the 残疾人证 the first item grants. They are received with it but are
// not accepted before it is granted; once it is, they are; when it is denied, the waiting ones end with the
// reason and the applicant is told.
func TestBundleItemWaits(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		bundles, err := db.Bundles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(bundles, func(b catalog.Bundle) bool { return b.NameZh == "残疾人服务一件事" })
		if i < 0 {
			t.Fatal("no 残疾人服务一件事")
		}
		intake := func(key string) []cases.Case {
			t.Helper()
			list, err := w.svc.ReceiveBundle(ctx, clerk, bundles[i].ID, service.ReceiveInput{ApplicantID: w.seeded["T1"]}, key)
			if err != nil || len(list) != 3 {
				t.Fatalf("%d cases: %v", len(list), err)
			}
			if list[0].ItemName != "残疾人证申领" || list[0].WaitsFor != "" || list[1].WaitsFor != list[0].ID || list[2].WaitsFor != list[0].ID {
				t.Fatalf("waits: %q %q %q", list[0].WaitsFor, list[1].WaitsFor, list[2].WaitsFor)
			}
			return list
		}
		act := func(who string, c *cases.Case, a cases.Action, in cases.Input) error {
			t.Helper()
			next, err := w.svc.Act(ctx, w.actors[who], c.ID, c.Version, a, in)
			if err == nil {
				*c = next
			}
			return err
		}
		list := intake("b1")
		cert, sub := list[0], list[1]
		err = act("tianshan.clerk", &sub, cases.Accept, cases.Input{Materials: seenAll(t, db, sub)})
		if f := errs.All(err); errs.CodeOf(err) != errs.Conflict || len(f) != 1 || f[0].Field != "waits_for" || f[0].Key != "err.case.waits_for" || f[0].Args["item"] != "残疾人证申领" {
			t.Fatalf("accepted before the certificate: %v", err)
		}
		if err := act("tianshan.clerk", &cert, cases.Accept, cases.Input{Materials: seenAll(t, db, cert)}); err != nil {
			t.Fatal(err)
		}
		if err := act("tianshan.clerk", &sub, cases.Accept, cases.Input{Materials: seenAll(t, db, sub)}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("accepted while the certificate is only accepted: %v", err)
		}
		if err := act("tianshan.reviewer", &cert, cases.Decide, cases.Input{Grant: true, Reason: "经评定为二级肢体残疾"}); err != nil {
			t.Fatal(err)
		}
		if err := act("tianshan.clerk", &sub, cases.Accept, cases.Input{Materials: seenAll(t, db, sub)}); err != nil {
			t.Fatalf("accepted once granted: %v", err)
		}

		// denied: the two subsidies that wait end, with the reason, and the applicant is told
		list = intake("b2")
		cert = list[0]
		if err := act("tianshan.clerk", &cert, cases.Accept, cases.Input{Materials: seenAll(t, db, cert)}); err != nil {
			t.Fatal(err)
		}
		if err := act("tianshan.reviewer", &cert, cases.Decide, cases.Input{Grant: false, Reason: "未达到残疾评定标准"}); err != nil {
			t.Fatal(err)
		}
		for _, x := range list[1:] {
			got, err := db.Case(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != cases.Terminated || !strings.Contains(got.Refusal, "残疾人证申领") || !strings.Contains(got.Refusal, "未获准予") {
				t.Fatalf("%s: %s %q", got.ItemName, got.State, got.Refusal)
			}
			msgs, _ := w.svc.Messages(ctx, x.ID)
			if tpls := templates(msgs); !slices.Equal(tpls, []string{"terminated"}) {
				t.Fatalf("%s: messages %v", got.ItemName, tpls)
			}
			if trail, _ := db.AuditOf(ctx, "case", x.ID, 10); len(trail) != 2 {
				t.Fatalf("%d audit entries", len(trail))
			}
		}
		// the bundle's results are issued together: the certificate's denial is not held back by them
		if err := act("tianshan.clerk", &cert, cases.Issue, cases.Input{Method: "window"}); err != nil {
			t.Fatal(err)
		}
	})
}
