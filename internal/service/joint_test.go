package service_test

import (
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// homesteadCase takes in a 宅基地 application at 天山镇's window and accepts it with every material seen.
func homesteadCase(t *testing.T, w *world) cases.Case {
	t.Helper()
	clerk := w.actors["tianshan.clerk"]
	c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: itemNamed(t, w, "农村村民宅基地审批"), ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, w.db, c)}); err != nil {
		t.Fatal(err)
	}
	return c
}

// 宅基地 through the service on both databases: the township's 初审 is signed off by its director and then
// 农牧局's head, in that order (the head cannot sign first; a refusal keeps it at the step); after 公示,
// 自然资源局 and 农牧局 review it at once: only they may act there, each in its own name; 农牧局 returns it, it
// comes back, both pass, and 农牧局 decides with both rounds' opinions on the case.
func TestJointCase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c := homesteadCase(t, w)
		if c.Step != 1 || c.Steps[1].Countersign == nil || c.Steps[3].Parallel == nil || len(c.Steps[3].Parallel.Bodies) != 2 {
			t.Fatalf("the case's joint steps: %+v", c.Steps)
		}
		act := func(user string, a cases.Action, in cases.Input, want errs.Code) {
			t.Helper()
			before, _ := db.CountAudit(ctx)
			next, err := w.svc.Act(ctx, w.actors[user], c.ID, c.Version, a, in)
			if errs.CodeOf(err) != want {
				t.Fatalf("%s %s: %v, want %q", user, a, err, want)
			}
			if err == nil {
				c = next
			} else if after, _ := db.CountAudit(ctx); after != before {
				t.Fatalf("%s %s: a refusal wrote to the audit trail", user, a)
			}
		}
		act("tianshan.reviewer", cases.Pass, cases.Input{}, "") // submitted for signature
		act("nongmu.head", cases.Sign, cases.Input{Agree: true}, errs.Forbidden)
		act("shaogen.director", cases.Sign, cases.Input{Agree: true}, errs.Forbidden)
		act("tianshan.director", cases.Sign, cases.Input{Agree: false, Reason: "四至不清，请补测"}, "")
		act("tianshan.reviewer", cases.Pass, cases.Input{}, "")
		act("tianshan.director", cases.Sign, cases.Input{Agree: true}, "")
		act("nongmu.head", cases.Sign, cases.Input{Agree: true, Reason: "同意"}, "")
		if c.Step != 2 {
			t.Fatalf("after the signatures at step %d", c.Step)
		}
		act("tianshan.reviewer", cases.Pass, cases.Input{}, "") // 公示 over
		act("tianshan.reviewer", cases.Pass, cases.Input{}, errs.Forbidden)
		act("minzheng", cases.Opinion, cases.Input{Verdict: "pass"}, errs.Forbidden)
		act("nongmu", cases.Pass, cases.Input{}, errs.Conflict)
		act("ziran", cases.Opinion, cases.Input{Verdict: "pass"}, "")
		act("ziran", cases.Opinion, cases.Input{Verdict: "pass"}, errs.Conflict) // once a round
		act("nongmu", cases.Opinion, cases.Input{Verdict: "return"}, errs.Invalid)
		act("nongmu", cases.Opinion, cases.Input{Verdict: "return", Reason: "缺宅基地四至图"}, "")
		if c.Step != 2 {
			t.Fatalf("returned to step %d", c.Step)
		}
		act("tianshan.reviewer", cases.Pass, cases.Input{}, "")
		act("nongmu", cases.Opinion, cases.Input{Verdict: "pass"}, "")
		act("ziran", cases.Opinion, cases.Input{Verdict: "pass", Reason: "符合国土空间规划"}, "")
		if c.Step != 4 {
			t.Fatalf("after both passed at step %d", c.Step)
		}
		w2, _, err := w.svc.CaseFor(ctx, w.actors["nongmu"], c.ID)
		if err != nil || len(w2.Case.Steps[3].Parallel.Opinions) != 4 || w2.Case.Steps[3].Parallel.Opinions[1].BodyName != "农牧局" {
			t.Fatalf("the decider reads %+v %v", w2.Case.Steps[3].Parallel, err)
		}
		if _, _, err := w.svc.CaseFor(ctx, w.actors["ziran"], c.ID); err != nil {
			t.Errorf("a body cannot read the case: %v", err)
		}
		act("nongmu", cases.Decide, cases.Input{Grant: true, Reason: "准予"}, "")
		if c.State != cases.Decided {
			t.Fatalf("state %s", c.State)
		}
	})
}

// decide accepts a case with every material seen, passes it through its steps and grants it, as Bianmin.
func decide(t *testing.T, w *world, c cases.Case) cases.Case {
	t.Helper()
	sys := access.System
	var err error
	if c, err = w.svc.Act(ctx, sys, c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, w.db, c)}); err != nil {
		t.Fatal(err)
	}
	for c.Step < len(c.Steps)-1 {
		if c, err = w.svc.Act(ctx, sys, c.ID, c.Version, cases.Pass, cases.Input{}); err != nil {
			t.Fatal(err)
		}
	}
	if c, err = w.svc.Act(ctx, sys, c.ID, c.Version, cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}); err != nil {
		t.Fatal(err)
	}
	return c
}

// 联合办理 on both databases: three related items of one applicant taken in together at the window, linked,
// each case seeing the others; issued together, none is issued before all are decided, then all at once; a set
// issued apart issues each alone; fewer than two items or one item twice is refused.
func TestLinkedCases(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		three := []string{itemNamed(t, w, "高龄津贴"), itemNamed(t, w, "惠民殡葬补贴"), itemNamed(t, w, "经济困难老年人护理补贴")}
		in := service.ReceiveInput{ApplicantID: w.seeded["T1"]}
		if _, err := w.svc.ReceiveLinked(ctx, clerk, three[:1], true, in, ""); !hasFields(err, "items") {
			t.Errorf("one item: %v", err)
		}
		if _, err := w.svc.ReceiveLinked(ctx, clerk, []string{three[0], three[0]}, true, in, ""); !hasFields(err, "items") {
			t.Errorf("one item twice: %v", err)
		}
		list, err := w.svc.ReceiveLinked(ctx, clerk, three, true, in, "linked-1")
		if err != nil || len(list) != 3 || list[0].Bundle == "" || list[0].Bundle != list[2].Bundle || !list[1].Linked || list[1].IssueApart {
			t.Fatalf("%+v %v", list, err)
		}
		if again, err := w.svc.ReceiveLinked(ctx, clerk, three, true, in, "linked-1"); err != nil || len(again) != 3 || again[0].ID != list[0].ID {
			t.Fatalf("a retried form took them in again: %v", err)
		}
		if others, err := w.svc.LinkedOf(ctx, list[0]); err != nil || len(others) != 2 {
			t.Fatalf("linked: %+v %v", others, err)
		}
		a, b := decide(t, w, list[0]), decide(t, w, list[1])
		if _, err := w.svc.Act(ctx, clerk, a.ID, a.Version, cases.Issue, cases.Input{Method: "window"}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("issued before all were decided: %v", err)
		}
		decide(t, w, list[2])
		if _, err := w.svc.Act(ctx, clerk, b.ID, b.Version, cases.Issue, cases.Input{Method: "window"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if got, _ := db.Case(ctx, c.ID); got.State != cases.Issued {
				t.Errorf("%s: %s", got.ItemName, got.State)
			}
		}
		apart, err := w.svc.ReceiveLinked(ctx, clerk, three[:2], false, in, "")
		if err != nil || !apart[0].IssueApart {
			t.Fatalf("%+v %v", apart, err)
		}
		x := decide(t, w, apart[0])
		if _, err := w.svc.Act(ctx, clerk, x.ID, x.Version, cases.Issue, cases.Input{Method: "window"}); err != nil {
			t.Fatalf("a set issued apart held one back: %v", err)
		}
	})
}
