package service_test

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/joint"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// 转办 on both databases: 天山镇 accepted a 低保 case that belongs to 绍根镇; it hands it over with reasons,
// 绍根镇 refuses once (reasons required), 天山镇 hands it again, the answer comes late (red card), 绍根镇 accepts:
// the case is 绍根镇's, the days of the hand-over stand outside its limit (a 转办 suspension, shown), the
// applicant was told both times; nobody else may hand over or answer, and refusals write nothing.
func TestCaseHandover(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		cst := time.FixedZone("CST", 8*3600)
		db.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, cst) } // a Monday
		clerk, other := w.actors["tianshan.clerk"], w.actors["shaogen.clerk"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		due0, _ := c.Due(clock.New(clock.Default(), clock.DefaultRules()), clock.MustDate("2026-03-02"))
		shaogen := w.targets["T2"].ID

		before, _ := db.CountAudit(ctx)
		for name, fn := range map[string]func() error{
			"another township's clerk": func() error { _, err := w.svc.HandOverCase(ctx, other, c.ID, c.Version, shaogen, "x"); return err },
			"a reviewer": func() error {
				_, err := w.svc.HandOverCase(ctx, w.actors["tianshan.reviewer"], c.ID, c.Version, shaogen, "x")
				return err
			},
			"a supervisor": func() error {
				_, err := w.svc.HandOverCase(ctx, w.actors["supervisor"], c.ID, c.Version, shaogen, "x")
				return err
			},
			"a village agent": func() error {
				_, err := w.svc.HandOverCase(ctx, w.actors["yangshulin.agent"], c.ID, c.Version, shaogen, "x")
				return err
			},
		} {
			if err := fn(); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s: want forbidden, got %v", name, err)
			}
		}
		if _, err := w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, shaogen, ""); !hasFields(err, "reasons") {
			t.Errorf("no reasons: %v", err)
		}
		if _, err := w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, w.targets["T1"].ID, "x"); !hasFields(err, "to") {
			t.Errorf("to itself: %v", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refusals wrote %d audit entries", after-before)
		}

		h, err := w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, shaogen, "申请人户籍在绍根镇")
		if err != nil || h.DueOn.String() != "2026-03-04" {
			t.Fatalf("%+v %v", h, err)
		}
		c, _ = db.Case(ctx, c.ID)
		if _, err := w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, shaogen, "again"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a second hand-over while one waits: %v", err)
		}
		if _, err := w.svc.AnswerHandover(ctx, clerk, h.ID, h.Version, true, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the sender accepted its own: %v", err)
		}
		if _, err := w.svc.AnswerHandover(ctx, other, h.ID, h.Version, false, ""); !hasFields(err, "answer") {
			t.Errorf("a refusal without reasons: %v", err)
		}
		if h, err = w.svc.AnswerHandover(ctx, other, h.ID, h.Version, false, "该户已迁出本镇"); err != nil || h.State != joint.RefusedToTake {
			t.Fatalf("refused: %+v %v", h, err)
		}
		c, _ = db.Case(ctx, c.ID)
		if c.Handling != w.targets["T1"].ID {
			t.Fatalf("a refused hand-over moved the case to %s", c.Handling)
		}

		// handed again, answered three working days later: red, then accepted
		h, err = w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, shaogen, "经核实户籍仍在绍根镇")
		if err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, cst) } // Thursday
		page, err := w.svc.FindHandovers(ctx, w.actors["shaogen.director"], service.HandoverFind{})
		in := page.List
		if err != nil || len(in) != 2 || in[0].ID != h.ID || in[0].Card != clock.Red || !in[0].Mine {
			t.Fatalf("incoming: %+v %v", in, err)
		}
		if h, err = w.svc.AnswerHandover(ctx, w.actors["shaogen.director"], h.ID, h.Version, true, ""); err != nil || h.State != joint.Accepted {
			t.Fatalf("accepted: %+v %v", h, err)
		}
		c, _ = db.Case(ctx, c.ID)
		if c.Handling != shaogen || len(c.Suspensions) != 1 || c.Suspensions[0].Kind != "转办" || c.Suspensions[0].To.String() != "2026-03-04" {
			t.Fatalf("the case after: %s %+v", c.Handling, c.Suspensions)
		}
		if due, _ := c.Due(clock.New(clock.Default(), clock.DefaultRules()), clock.MustDate("2026-03-05")); !due.After(due0) {
			t.Errorf("the days of the hand-over counted: due %s, was %s", due, due0)
		}
		msgs, _ := w.svc.Messages(ctx, c.ID)
		told := 0
		for _, m := range msgs {
			if strings.Contains(m.Body, "绍根镇") && strings.HasPrefix(m.Template, "joint.msg.handover") {
				told++
			}
		}
		if told != 3 {
			t.Errorf("the applicant was told %d times: %+v", told, msgs)
		}
		// the case is 绍根镇's now: its reviewer works it, 天山镇's no longer
		if _, err := w.svc.Act(ctx, w.actors["tianshan.reviewer"], c.ID, c.Version, cases.Pass, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the old township still works it: %v", err)
		}
		if _, err := w.svc.Act(ctx, w.actors["shaogen.reviewer"], c.ID, c.Version, cases.Pass, cases.Input{}); err != nil {
			t.Errorf("the new township cannot work it: %v", err)
		}
		hs, err := w.svc.HandoversOfCase(ctx, w.actors["shaogen.clerk"], c.ID)
		if err != nil || len(hs.List) != 2 || hs.List[1].Taken != 3 {
			t.Errorf("the case's hand-overs: %+v %v", hs.List, err)
		}
	})
}
