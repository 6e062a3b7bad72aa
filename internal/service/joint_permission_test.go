package service_test

import (
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The permission matrix of issue 19's actions, written out (not derived from the role table): who reads a
// complaint answered by 天山镇, who answers it, who hands over a case 天山镇 handles, who answers a hand-over to
// 绍根镇, who starts a 联合办理 at a township's window (for an applicant of 天山镇: 通办, any window receives).
// Every refusal is forbidden and writes nothing.
func TestJointPermissionMatrix(t *testing.T) {
	type row struct{ read, answer, handover, take, linked bool }
	matrix := map[string]row{
		"admin":              {true, true, true, true, false}, // an administrator receives at no window
		"supervisor":         {true, false, false, false, false},
		"minzheng":           {false, false, false, false, false},
		"tianshan.clerk":     {true, false, true, false, true},
		"tianshan.reviewer":  {false, false, false, false, false},
		"tianshan.director":  {true, true, true, false, true},
		"shaogen.clerk":      {false, false, false, true, true},
		"shaogen.director":   {false, false, false, true, true},
		"yangshulin.agent":   {false, false, false, false, false},
		"xishuangshan.agent": {false, false, false, false, false},
		"fanyi":              {false, false, false, false, false},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		c, err := w.svc.FileComplaint(ctx, clerk, service.ComplaintInput{Channel: complaint.Phone, About: complaint.AboutService, Body: "大厅无人引导"}, "")
		if err != nil {
			t.Fatal(err)
		}
		two := []string{itemNamed(t, w, "高龄津贴"), itemNamed(t, w, "惠民殡葬补贴")}
		for user, want := range matrix {
			actor, ok := w.actors[user]
			if !ok {
				t.Fatalf("no demo account %s", user)
			}
			k, err := w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: two[0], ApplicantID: w.seeded["T1"], ReceivingOrg: w.targets["T1"].ID}, "")
			if err != nil {
				t.Fatal(err)
			}
			h, err := w.svc.HandOverCase(ctx, access.System, k.ID, k.Version, w.targets["T2"].ID, "户籍在绍根镇")
			if err != nil {
				t.Fatal(err)
			}
			k, _ = db.Case(ctx, k.ID)
			cur, _ := db.Complaint(ctx, c.ID)
			ops := []struct {
				name string
				ok   bool
				fn   func() error
			}{
				{"read", want.read, func() error { _, err := w.svc.Complaint(ctx, actor, c.ID); return err }},
				{"extend", want.answer, func() error {
					_, err := w.svc.ExtendComplaint(ctx, actor, c.ID, cur.Version, 1, "需核实")
					if errs.CodeOf(err) == errs.Invalid { // extended once already by an earlier row
						return nil
					}
					return err
				}},
				{"take", want.take, func() error {
					_, err := w.svc.AnswerHandover(ctx, actor, h.ID, h.Version, false, "不属本镇")
					return err
				}},
				{"linked", want.linked, func() error {
					_, err := w.svc.ReceiveLinked(ctx, actor, two, true, service.ReceiveInput{ApplicantID: w.seeded["T1"]}, "")
					return err
				}},
			}
			for _, o := range ops {
				before, _ := db.CountAudit(ctx)
				err := o.fn()
				after, _ := db.CountAudit(ctx)
				switch {
				case o.ok && err != nil:
					t.Errorf("%s %s: refused: %v", user, o.name, err)
				case !o.ok && errs.CodeOf(err) != errs.Forbidden:
					t.Errorf("%s %s: want forbidden, got %v", user, o.name, err)
				case !o.ok && after != before:
					t.Errorf("%s %s: a refusal wrote %d audit entries", user, o.name, after-before)
				}
			}
			// handing over: the case is with 天山镇 while the hand-over waits, so only a second one is refused
			// for those allowed (one at a time), and everyone else is forbidden
			_, err = w.svc.HandOverCase(ctx, actor, k.ID, k.Version, w.targets["T2"].ID, "再次转办")
			switch code := errs.CodeOf(err); {
			case want.handover && code != errs.Conflict:
				t.Errorf("%s handover: want the one-at-a-time conflict, got %v", user, err)
			case !want.handover && code != errs.Forbidden:
				t.Errorf("%s handover: want forbidden, got %v", user, err)
			}
		}
	})
}
