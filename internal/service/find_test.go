package service_test

import (
	"slices"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

func found(p service.FindPage, id string) bool {
	return slices.ContainsFunc(p.Work, func(w service.Work) bool { return w.Case.ID == id })
}

// Each kind of key finds the case at its own township's desk, and a clerk of another township never finds it
// by any of them; a refused (closed) case is found by a search, though not in the queue.
func TestFindCasesByEveryKeyWithinScope(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		clerk, other := w.actors["tianshan.clerk"], w.actors["shaogen.clerk"]
		a, err := db.Applicant(ctx, w.seeded["T1"])
		if err != nil {
			t.Fatal(err)
		}
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: item, ApplicantID: a.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		// another township's case of the same applicant kind, so that a search there finds something
		if _, err := w.svc.Receive(ctx, other, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T2"]}, ""); err != nil {
			t.Fatal(err)
		}
		py, _ := catalog.Pinyin(a.Name)
		keys := map[string]string{
			"case number":           c.No,
			"case number no prefix": c.No[len(c.No)-10:],
			"ID number":             a.IDNumber,
			"ID number's last six":  a.IDNumber[12:],
			"phone's last four":     a.Phone[len(a.Phone)-4:],
			"name":                  a.Name,
			"pinyin of the name":    py,
			"item":                  "最低生活保障",
		}
		for what, key := range keys {
			p, err := w.svc.FindCases(ctx, clerk, service.FindInput{Q: key})
			if err != nil {
				t.Fatalf("%s %q: %v", what, key, err)
			}
			if !found(p, c.ID) || p.Total < 1 {
				t.Errorf("%s %q: the clerk of 天山镇 does not find %s (%d found)", what, key, c.No, p.Total)
			}
			if p, err := w.svc.FindCases(ctx, other, service.FindInput{Q: key}); err != nil || found(p, c.ID) {
				t.Errorf("%s %q: the clerk of 绍根镇 finds 天山镇's case (%v)", what, key, err)
			}
		}
		// the queue has it, what the clerk acts on first
		q, err := w.svc.FindCases(ctx, clerk, service.FindInput{})
		if err != nil || !found(q, c.ID) || len(q.Work[0].Mine) == 0 {
			t.Fatalf("queue: %+v %v", q, err)
		}
		// refused: gone from the queue, found by a search and by the closed filter
		if _, err := w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Refuse, cases.Input{Reason: "不属于本机关职权范围"}); err != nil {
			t.Fatal(err)
		}
		if q, _ := w.svc.FindCases(ctx, clerk, service.FindInput{}); found(q, c.ID) {
			t.Fatal("a refused case stays in the queue")
		}
		for _, in := range []service.FindInput{{Q: c.No}, {Open: "closed"}, {State: "refused"}, {Q: a.Name, Open: "closed"}} {
			if p, err := w.svc.FindCases(ctx, clerk, in); err != nil || !found(p, c.ID) {
				t.Errorf("%+v does not find the refused case: %v", in, err)
			}
		}
		if p, _ := w.svc.FindCases(ctx, clerk, service.FindInput{Q: c.No, Open: "open"}); found(p, c.ID) {
			t.Error("the open filter finds a refused case")
		}
		// applicants: the same keys, the same scope
		for what, key := range map[string]string{"name": a.Name, "pinyin": py, "ID number": a.IDNumber, "last six": a.IDNumber[12:], "phone": a.Phone[len(a.Phone)-4:]} {
			p, err := w.svc.FindApplicants(ctx, clerk, key, "", 0)
			if err != nil || !slices.ContainsFunc(p.List, func(x people.Applicant) bool { return x.ID == a.ID }) {
				t.Errorf("applicants by %s %q: %v", what, key, err)
			}
			for _, x := range p.List {
				if strings.Contains(x.IDNumber, a.IDNumber[6:14]) {
					t.Errorf("a list shows an unmasked ID number: %s", x.IDNumber)
				}
			}
			if p, _ := w.svc.FindApplicants(ctx, other, key, "", 0); slices.ContainsFunc(p.List, func(x people.Applicant) bool { return x.ID == a.ID }) {
				t.Errorf("applicants by %s: the clerk of 绍根镇 finds 天山镇's resident", what)
			}
		}
	})
}

// Bad filters are refused, each naming its field, in Chinese and Mongolian; someone without the right to
// read cases is refused whole; a page never holds more than MaxPage.
func TestFindCasesRefusals(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		_, err := w.svc.FindCases(ctx, clerk, service.FindInput{State: "lost", Card: "blue", From: "2026-13-01", Until: "yesterday", Open: "maybe", Q: strings.Repeat("长", 51)})
		fields := map[string]bool{}
		for _, e := range errs.All(err) {
			fields[e.Field] = true
			zh, mn := w.svc.Catalog.T(i18n.Zh, e.Key), w.svc.Catalog.T(i18n.Mn, e.Key)
			if zh == e.Key || mn == e.Key || zh == mn {
				t.Errorf("%s: %q has no message in both languages (%q, %q)", e.Field, e.Key, zh, mn)
			}
		}
		for _, f := range []string{"state", "card", "from", "until", "open", "q"} {
			if !fields[f] {
				t.Errorf("no error names %s: %v", f, err)
			}
		}
		if _, err := w.svc.FindCases(ctx, clerk, service.FindInput{Cursor: "forged"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a forged cursor: %v", err)
		}
		if _, err := w.svc.FindCases(ctx, access.Actor{ID: "x", Role: "resident", OrgPath: "/"}, service.FindInput{}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a resident reads the desk's cases: %v", err)
		}
	})
}

// The queue puts first what the role acts on, read from the transition table: the window its intake and
// hand-over, the back office what is accepted or suspended, a supervisor nothing.
func TestActOn(t *testing.T) {
	for _, tc := range []struct {
		role access.Role
		has  []cases.State
		not  []cases.State
	}{
		{access.Clerk, []cases.State{cases.Received, cases.Correction, cases.Decided, cases.Issued}, []cases.State{cases.Accepted, cases.Suspended, cases.Delivered}},
		{access.Agent, []cases.State{cases.Received}, []cases.State{cases.Accepted, cases.Delivered}},
		{access.Reviewer, []cases.State{cases.Accepted, cases.Suspended}, []cases.State{cases.Received, cases.Decided, cases.Delivered}},
		{access.Director, []cases.State{cases.Accepted, cases.Suspended}, []cases.State{cases.Received, cases.Delivered}},
		{access.Supervisor, nil, []cases.State{cases.Received, cases.Accepted}},
	} {
		got := service.ActOn(tc.role)
		for _, s := range tc.has {
			if !slices.Contains(got, s) {
				t.Errorf("%s acts on %s: %v", tc.role, s, got)
			}
		}
		for _, s := range tc.not {
			if slices.Contains(got, s) {
				t.Errorf("%s does not act on %s: %v", tc.role, s, got)
			}
		}
	}
}
