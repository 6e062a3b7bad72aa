package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/joint"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// deptNamed finds a banner department of the demo world by its name.
func deptNamed(t *testing.T, db *store.DB, name string) org.Org {
	t.Helper()
	list, err := db.OrgsByName(ctx, org.Department, name)
	if err != nil || len(list) != 1 {
		t.Fatalf("%s: %v %v", name, list, err)
	}
	return list[0]
}

// inQueue reports whether a case is on the first page of the actor's queue.
func inQueue(t *testing.T, w *world, actor access.Actor, caseID string) bool {
	t.Helper()
	page, err := w.svc.FindCases(ctx, actor, service.FindInput{})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(page.Work, func(x service.Work) bool { return x.Case.ID == caseID })
}

// 转办 to and between banner departments, on both databases. A 乡村建设规划许可 received and accepted at 天山镇
// waits at its banner step for 自然资源局, whose reviewer finds the matter 农牧局's and hands it over with reasons;
// 农牧局's reviewer refuses once with reasons (the case stays with 自然资源局); 天山镇's clerk hands it again and
// 农牧局's head accepts it a day late. The case is then 农牧局's: its queue lists it and 自然资源局's no longer,
// 农牧局 decides it and 自然资源局 cannot, the days of the hand-over stand as a 转办 suspension, and the
// applicant was told three times. A third department (民政局: its reviewer and its head), a township reviewer
// and another township's clerk may neither hand the case over nor answer; a department may hand only to
// another department; every refusal writes nothing.
func TestCaseHandoverToDepartment(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		cst := time.FixedZone("CST", 8*3600)
		db.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, cst) } // a Monday
		ziran, nongmu := deptNamed(t, db, "自然资源局"), deptNamed(t, db, "农牧局")
		clerk := w.actors["tianshan.clerk"]
		item := itemNamed(t, w, "乡村建设规划许可证核发")
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		it, err := db.ItemVersion(ctx, item, c.ItemVersion)
		if err != nil {
			t.Fatal(err)
		}
		var seen []cases.MaterialCheck
		for _, m := range it.Materials {
			seen = append(seen, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
		}
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: seen}); err != nil {
			t.Fatal(err)
		}
		if c.Department != ziran.ID || c.Delegation != "" || c.Steps[c.Step].Level != 4 {
			t.Fatalf("the case waits for %s at step %d (delegation %q)", c.Department, c.Step, c.Delegation)
		}
		due0, _ := c.Due(clock.New(clock.Default(), clock.DefaultRules()), clock.MustDate("2026-03-02"))

		before, _ := db.CountAudit(ctx)
		for _, who := range []string{"minzheng", "minzheng.head", "tianshan.reviewer", "shaogen.clerk", "supervisor", "yangshulin.agent"} {
			if _, err := w.svc.HandOverCase(ctx, w.actors[who], c.ID, c.Version, nongmu.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s handed it over: %v", who, err)
			}
		}
		for _, to := range []string{w.targets["T2"].ID, ziran.ID, ""} { // a department hands to another department only
			if _, err := w.svc.HandOverCase(ctx, w.actors["ziran"], c.ID, c.Version, to, "x"); !hasFields(err, "to") {
				t.Errorf("自然资源局 to %q: %v", to, err)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refusals wrote %d audit entries", after-before)
		}

		// 1. 自然资源局 hands it to 农牧局, which refuses with reasons
		h, err := w.svc.HandOverCase(ctx, w.actors["ziran"], c.ID, c.Version, nongmu.ID, "申请用地为草原，属农牧局审核")
		if err != nil || h.ToBody != joint.Department || h.From != ziran.ID || h.DueOn.String() != "2026-03-04" {
			t.Fatalf("%+v %v", h, err)
		}
		if hs, err := w.svc.HandoversOfCase(ctx, w.actors["nongmu"], c.ID); err != nil || len(hs.List) != 1 || !hs.List[0].Mine {
			t.Errorf("农牧局 reads the case it is asked to take: %+v %v", hs.List, err)
		}
		before, _ = db.CountAudit(ctx)
		for _, who := range []string{"minzheng", "minzheng.head", "ziran", "ziran.head", "tianshan.clerk", "shaogen.director"} {
			if _, err := w.svc.AnswerHandover(ctx, w.actors[who], h.ID, h.Version, true, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s answered 农牧局's hand-over: %v", who, err)
			}
		}
		if _, _, err := w.svc.CaseFor(ctx, w.actors["minzheng"], c.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a third department reads the case: %v", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refusals wrote %d audit entries", after-before)
		}
		if _, err := w.svc.AnswerHandover(ctx, w.actors["nongmu"], h.ID, h.Version, false, ""); !hasFields(err, "answer") {
			t.Errorf("a refusal without reasons: %v", err)
		}
		if h, err = w.svc.AnswerHandover(ctx, w.actors["nongmu"], h.ID, h.Version, false, "建设用地规划许可不属本局职权"); err != nil || h.State != joint.RefusedToTake {
			t.Fatalf("refused: %+v %v", h, err)
		}
		if c, _ = db.Case(ctx, c.ID); c.Department != ziran.ID || !inQueue(t, w, w.actors["ziran"], c.ID) {
			t.Fatalf("a refused hand-over moved the case to %s", c.Department)
		}

		// 2. 天山镇's window hands it again; 农牧局's head accepts it a working day late
		hs, err := w.svc.HandoversOfCase(ctx, clerk, c.ID)
		if err != nil || !slices.ContainsFunc(hs.Departments, func(o org.Org) bool { return o.ID == nongmu.ID }) ||
			slices.ContainsFunc(hs.Departments, func(o org.Org) bool { return o.ID == ziran.ID }) || len(hs.Townships) == 0 {
			t.Fatalf("where the window may hand it: %v %v %v", hs.Townships, hs.Departments, err)
		}
		if h, err = w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, nongmu.ID, "经现场核实，用地性质为草原"); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return time.Date(2026, 3, 5, 10, 0, 0, 0, cst) } // Thursday
		page, err := w.svc.FindHandovers(ctx, w.actors["nongmu.head"], service.HandoverFind{})
		if err != nil || len(page.List) != 2 || page.List[0].ID != h.ID || page.List[0].Card != clock.Red || !page.List[0].Mine {
			t.Fatalf("农牧局's incoming: %+v %v", page.List, err)
		}
		if h, err = w.svc.AnswerHandover(ctx, w.actors["nongmu.head"], h.ID, h.Version, true, ""); err != nil || h.State != joint.Accepted {
			t.Fatalf("accepted: %+v %v", h, err)
		}
		c, _ = db.Case(ctx, c.ID)
		if c.Department != nongmu.ID || c.DecidingOrg() != nongmu.ID || c.Handling != w.targets["T1"].ID {
			t.Fatalf("the case after: department %s, handled by %s", c.Department, c.Handling)
		}
		if len(c.Suspensions) != 1 || c.Suspensions[0].Kind != "转办" || c.Suspensions[0].From.String() != "2026-03-02" || c.Suspensions[0].To.String() != "2026-03-04" {
			t.Fatalf("the hand-over's days: %+v", c.Suspensions)
		}
		if due, _ := c.Due(clock.New(clock.Default(), clock.DefaultRules()), clock.MustDate("2026-03-05")); !due.After(due0) {
			t.Errorf("the days of the hand-over counted against 农牧局: due %s, was %s", due, due0)
		}
		if !inQueue(t, w, w.actors["nongmu"], c.ID) || inQueue(t, w, w.actors["ziran"], c.ID) {
			t.Errorf("the queues: 农牧局 %v, 自然资源局 %v", inQueue(t, w, w.actors["nongmu"], c.ID), inQueue(t, w, w.actors["ziran"], c.ID))
		}
		if _, err := w.svc.Act(ctx, w.actors["ziran"], c.ID, c.Version, cases.Decide, cases.Input{Grant: true, Reason: "符合规划"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("自然资源局 still decides it: %v", err)
		}
		if c, err = w.svc.Act(ctx, w.actors["nongmu"], c.ID, c.Version, cases.Decide, cases.Input{Grant: true, Reason: "符合草原保护规定"}); err != nil || c.State != cases.Decided {
			t.Fatalf("农牧局 cannot decide it: %v", err)
		}
		msgs, _ := w.svc.Messages(ctx, c.ID)
		told := 0
		for _, m := range msgs {
			if strings.Contains(m.Body, "农牧局") && strings.Contains(m.Body, c.No) {
				told++
			}
		}
		if told != 3 {
			t.Errorf("the applicant was told %d times: %+v", told, msgs)
		}
	})
}

// The permission matrix of 转办 to a department, on both databases, written out: who hands over a
// 乡村建设规划许可 accepted at 天山镇 and waiting at 自然资源局's step (天山镇's front desk and director, 自然资源局's
// staff and head, an administrator), and who answers its hand-over to 农牧局 (农牧局's staff and head, an
// administrator). A third department, its head, a township reviewer, another township, a station, a supervisor
// and a translator are forbidden, and their refusals write nothing.
func TestDeptHandoverPermissionMatrix(t *testing.T) {
	type row struct{ hand, take bool }
	matrix := map[string]row{
		"admin":             {true, true},
		"supervisor":        {false, false},
		"minzheng":          {false, false},
		"minzheng.head":     {false, false},
		"ziran":             {true, false},
		"ziran.head":        {true, false},
		"nongmu":            {false, true},
		"nongmu.head":       {false, true},
		"tianshan.clerk":    {true, false},
		"tianshan.reviewer": {false, false},
		"tianshan.director": {true, false},
		"shaogen.clerk":     {false, false},
		"shaogen.director":  {false, false},
		"yangshulin.agent":  {false, false},
		"fanyi":             {false, false},
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		nongmu := deptNamed(t, db, "农牧局")
		item := itemNamed(t, w, "乡村建设规划许可证核发")
		it, err := db.ItemVersion(ctx, item, 1)
		if err != nil {
			t.Fatal(err)
		}
		var seen []cases.MaterialCheck
		for _, m := range it.Materials {
			seen = append(seen, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
		}
		for user, want := range matrix {
			actor, ok := w.actors[user]
			if !ok {
				t.Fatalf("no demo account %s", user)
			}
			c, err := w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"], ReceivingOrg: w.targets["T1"].ID}, "")
			if err == nil {
				c, err = w.svc.Act(ctx, access.System, c.ID, c.Version, cases.Accept, cases.Input{Materials: seen})
			}
			if err != nil {
				t.Fatal(err)
			}
			h, err := w.svc.HandOverCase(ctx, access.System, c.ID, c.Version, nongmu.ID, "用地属草原")
			if err != nil {
				t.Fatal(err)
			}
			c, _ = db.Case(ctx, c.ID)
			before, _ := db.CountAudit(ctx)
			// one hand-over waits: those who may hand over meet the one-at-a-time conflict, the others are forbidden
			_, err = w.svc.HandOverCase(ctx, actor, c.ID, c.Version, nongmu.ID, "再次转办")
			switch code := errs.CodeOf(err); {
			case want.hand && code != errs.Conflict:
				t.Errorf("%s hand: want the one-at-a-time conflict, got %v", user, err)
			case !want.hand && code != errs.Forbidden:
				t.Errorf("%s hand: want forbidden, got %v", user, err)
			}
			_, err = w.svc.AnswerHandover(ctx, actor, h.ID, h.Version, false, "不属本局")
			switch {
			case want.take && err != nil:
				t.Errorf("%s take: refused: %v", user, err)
			case !want.take && errs.CodeOf(err) != errs.Forbidden:
				t.Errorf("%s take: want forbidden, got %v", user, err)
			}
			if after, _ := db.CountAudit(ctx); !want.take && after != before {
				t.Errorf("%s: refusals wrote %d audit entries", user, after-before)
			}
		}
	})
}
