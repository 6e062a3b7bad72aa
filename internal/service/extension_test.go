package service_test

import (
	"slices"
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// acceptedDibao is a 低保 case of a 天山镇 resident, accepted at the 天山镇 window and at the township's review
// step.
func acceptedDibao(t *testing.T, w *world) cases.Case {
	t.Helper()
	c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
		t.Fatal(err)
	}
	return c
}

// The back office asks for more days, the head of the deciding organ decides (第42条: 经本行政机关负责人批准):
// 低保 is decided at 民政局's step, so 民政局's head approves, not the township's director. Approval moves the
// due date by the days asked, rejection moves nothing, and 第42条's cap is refused with a field error.
func TestExtensionRequestApproveReject(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c := acceptedDibao(t, w)
		due := func() clock.Date {
			t.Helper()
			work, _, err := w.svc.CaseFor(ctx, w.actors["tianshan.director"], c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return work.Due
		}
		clk, err := w.svc.Clock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		act := func(who string, a cases.Action, in cases.Input) error {
			t.Helper()
			next, err := w.svc.Act(ctx, w.actors[who], c.ID, c.Version, a, in)
			if err == nil {
				c = next
			}
			return err
		}
		plain := due()
		// the director no longer extends on their own; the clerk cannot ask; another township's director cannot approve
		if err := act("minzheng.head", cases.ApproveExtension, cases.Input{}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("approval without a request: %v", err)
		}
		if err := act("tianshan.clerk", cases.RequestExtension, cases.Input{Days: 5, Reason: "需入户核查"}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("the window asks: %v", err)
		}
		if err := act("tianshan.reviewer", cases.RequestExtension, cases.Input{Days: 5, Reason: "需入户核查"}); err != nil {
			t.Fatal(err)
		}
		if got := due(); got != plain {
			t.Fatalf("a request moved the due date: %s → %s", plain, got)
		}
		work, _, err := w.svc.CaseFor(ctx, w.actors["minzheng.head"], c.ID)
		if err != nil || !slices.Contains(work.Mine, cases.ApproveExtension) || !slices.Contains(work.Mine, cases.RejectExtension) {
			t.Fatalf("the head of 民政局 is not offered the decision: %v %v", work.Mine, err)
		}
		if work, _, _ := w.svc.CaseFor(ctx, w.actors["tianshan.director"], c.ID); slices.Contains(work.Mine, cases.ApproveExtension) {
			t.Fatalf("the township director is offered the decision of another organ: %v", work.Mine)
		}
		if q, err := w.svc.Queue(ctx, w.actors["minzheng.head"]); err != nil || !slices.ContainsFunc(q, func(x service.Work) bool { return x.Case.ID == c.ID }) {
			t.Fatalf("the case is not in the head's queue: %v", err)
		}
		// the township director handles the case but does not decide it: refused; so are others
		for _, who := range []string{"tianshan.director", "shaogen.director", "tianshan.reviewer", "tianshan.clerk", "minzheng"} {
			if err := act(who, cases.ApproveExtension, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("%s approves: %v", who, err)
			}
		}
		if err := act("minzheng.head", cases.ApproveExtension, cases.Input{}); err != nil {
			t.Fatal(err)
		}
		extended := due()
		if n := clk.Cal.WorkingDaysBetween(plain, extended); n != 5 || c.Extension != 5 {
			t.Fatalf("approval added %d working days (extension %d): %s → %s", n, c.Extension, plain, extended)
		}
		// rejected: nothing added
		if err := act("tianshan.reviewer", cases.RequestExtension, cases.Input{Days: 2, Reason: "专家评审未到"}); err != nil {
			t.Fatal(err)
		}
		if err := act("minzheng.head", cases.RejectExtension, cases.Input{Reason: "期限内可以办结"}); err != nil {
			t.Fatal(err)
		}
		if got := due(); got != extended || c.Extension != 5 || c.ExtensionRequest != nil {
			t.Fatalf("a rejection moved the due date: %s → %s", extended, got)
		}
		// over the cap: 5 approved, 6 more asked
		err = act("tianshan.reviewer", cases.RequestExtension, cases.Input{Days: 6, Reason: "仍需核查"})
		fields := errs.All(err)
		if errs.CodeOf(err) != errs.Invalid || len(fields) != 1 || fields[0].Field != "days" || fields[0].Key != "err.case.extension_cap" || fields[0].Args["left"] != "5" {
			t.Fatalf("over the cap: %v", err)
		}
		// the applicant is told of the approved extension, with a numbered notice; the timeline has every move
		msgs, _ := w.svc.Messages(ctx, c.ID)
		if tpls := templates(msgs); !slices.Equal(tpls, []string{"accepted", "extended"}) {
			t.Fatalf("messages: %v", tpls)
		}
		notices, _ := db.NoticesOf(ctx, c.ID)
		if len(notices) != 2 || notices[1].Kind != "extension" {
			t.Fatalf("notices: %+v", notices)
		}
		events, _ := db.CaseEvents(ctx, c.ID)
		var acts []cases.Action
		for _, e := range events {
			acts = append(acts, e.Action)
		}
		want := []cases.Action{"receive", cases.Accept, cases.RequestExtension, cases.ApproveExtension, cases.RequestExtension, cases.RejectExtension}
		if !slices.Equal(acts, want) {
			t.Fatalf("timeline: %v", acts)
		}
		if trail, _ := db.AuditOf(ctx, "case", c.ID, 100); len(trail) != len(want) {
			t.Fatalf("%d audit entries for %d moves", len(trail), len(want))
		}
	})
}

func templates(msgs []store.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Template)
	}
	return out
}

// 容缺: the owed material is late, the queue and the case flag it and offer the director termination; the
// window records it brought, and the flag clears.
func TestOwedMaterialsArrive(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		clk, _ := w.svc.Clock(ctx)
		today := clock.DateOf(time.Now().In(clk.Rules.Location))
		m := mats(false)
		m[4].Check = cases.Owed // the bank card, deferrable, to be brought
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.AcceptOwed, cases.Input{Materials: m, OwedBy: today.AddDays(3)}); err != nil {
			t.Fatal(err)
		}
		flagged := func(who string) service.Work {
			t.Helper()
			q, err := w.svc.Queue(ctx, w.actors[who])
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range q {
				if x.Case.ID == c.ID {
					return x
				}
			}
			t.Fatalf("%s: the case is not in the queue", who)
			return service.Work{}
		}
		if flagged("tianshan.director").OwedOverdue {
			t.Fatal("flagged before its date")
		}
		db.Now = func() time.Time { return time.Now().AddDate(0, 0, 5) }
		defer func() { db.Now = time.Now }()
		for _, who := range []string{"tianshan.clerk", "tianshan.director", "tianshan.reviewer"} {
			if !flagged(who).OwedOverdue {
				t.Fatalf("%s does not see the overdue flag", who)
			}
		}
		if d := flagged("tianshan.director"); !slices.Contains(d.Mine, cases.Terminate) {
			t.Fatalf("the director is not offered termination: %v", d.Mine)
		}
		if cl := flagged("tianshan.clerk"); !slices.Contains(cl.Mine, cases.OwedArrived) || slices.Contains(cl.Mine, cases.Terminate) {
			t.Fatalf("the window's moves: %v", cl.Mine)
		}
		// the reviewer cannot record arrivals; the window cannot record what was never owed
		if _, err := w.svc.Act(ctx, w.actors["tianshan.reviewer"], c.ID, c.Version, cases.OwedArrived, cases.Input{Materials: []cases.MaterialCheck{{Name: "本人银行卡或一卡通", Check: cases.SeenOriginal}}}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("the reviewer: %v", err)
		}
		if _, err := w.svc.Act(ctx, clerk, c.ID, c.Version, cases.OwedArrived, cases.Input{Materials: []cases.MaterialCheck{{Name: "居民身份证", Check: cases.SeenOriginal}}}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("a material not owed: %v", err)
		}
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.OwedArrived, cases.Input{Materials: []cases.MaterialCheck{{Name: "本人银行卡或一卡通", Check: cases.SeenCopy}}}); err != nil {
			t.Fatal(err)
		}
		if x := flagged("tianshan.director"); x.OwedOverdue || !x.Case.OwedBy.IsZero() || slices.Contains(x.Mine, cases.OwedArrived) {
			t.Fatalf("still flagged after the materials came: %+v", x)
		}
		if c.Materials[2].Check != cases.SeenCopy {
			t.Fatalf("materials: %+v", c.Materials)
		}
		if trail, _ := db.AuditOf(ctx, "case", c.ID, 100); len(trail) != 3 {
			t.Fatalf("%d audit entries", len(trail))
		}
	})
}
