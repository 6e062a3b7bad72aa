package service_test

import (
	"strings"
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/oversight"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// 督办 on a case: the supervisor and the township's director issue; nobody else, and no director of
// another township. The township's staff see it in their queue and answer it once; another township's staff
// neither see nor answer it. Every refusal writes nothing.
func TestOrdersOnACase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c := acceptedDibao(t, w)
		clk, err := w.svc.Clock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		due := clk.Cal.NextWorkingDay(clk.Cal.NextWorkingDay(today(w)))
		in := oversight.Input{Content: "群众反映办理缓慢，请说明情况并加快办理", Due: due.String()}
		for _, who := range []string{"tianshan.clerk", "tianshan.reviewer", "shaogen.director", "yangshulin.agent", "minzheng"} {
			if _, err := w.svc.IssueOrder(ctx, w.actors[who], service.OrderTarget{CaseID: c.ID}, in, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s issued an order: %v", who, err)
			}
		}
		if _, err := w.svc.IssueOrder(ctx, w.actors["supervisor"], service.OrderTarget{CaseID: c.ID}, oversight.Input{Due: due.String()}, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an order without content: %v", err)
		}
		if list, _ := w.svc.CaseOrders(ctx, w.actors["supervisor"], c.ID); len(list) != 0 {
			t.Fatalf("refusals wrote %d orders", len(list))
		}
		o, err := w.svc.IssueOrder(ctx, w.actors["supervisor"], service.OrderTarget{CaseID: c.ID}, in, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := w.svc.IssueOrder(ctx, w.actors["supervisor"], service.OrderTarget{CaseID: c.ID}, in, "k1"); err != nil || again.ID != o.ID {
			t.Fatalf("the same submission made a second order: %v %v", again.ID, err)
		}
		if o.CaseNo != c.No || o.OrgID != c.Handling || o.Kind != oversight.Supervise || !o.Open() {
			t.Fatalf("order %+v", o)
		}
		// who sees it in the queue
		for who, want := range map[string]bool{"tianshan.director": true, "tianshan.clerk": true, "tianshan.reviewer": true,
			"shaogen.director": false, "shaogen.clerk": false, "yangshulin.agent": false} {
			list, err := w.svc.DeskOrders(ctx, w.actors[who])
			if err != nil {
				t.Fatal(err)
			}
			got := len(list) == 1 && list[0].ID == o.ID
			if got != want || (!want && len(list) > 0) {
				t.Errorf("%s sees %d orders, want the order: %v", who, len(list), want)
			}
		}
		for _, who := range []string{"shaogen.director", "shaogen.clerk", "supervisor"} {
			if _, err := w.svc.AnswerOrder(ctx, w.actors[who], o.ID, "已办理"); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s answered: %v", who, err)
			}
		}
		if _, err := w.svc.AnswerOrder(ctx, w.actors["tianshan.director"], o.ID, "  "); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an empty answer: %v", err)
		}
		done, err := w.svc.AnswerOrder(ctx, w.actors["tianshan.director"], o.ID, "已入户核查，三日内办结")
		if err != nil || done.Open() || done.AnswererName == "" {
			t.Fatalf("answer: %+v %v", done, err)
		}
		if _, err := w.svc.AnswerOrder(ctx, w.actors["tianshan.clerk"], o.ID, "再次回复"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a second answer: %v", err)
		}
		if list, _ := w.svc.DeskOrders(ctx, w.actors["tianshan.director"]); len(list) != 0 {
			t.Errorf("an answered order still waits in the queue")
		}
		list, err := w.svc.CaseOrders(ctx, w.actors["supervisor"], c.ID)
		if err != nil || len(list) != 1 || list[0].Answer != "已入户核查，三日内办结" {
			t.Fatalf("the case's orders: %+v %v", list, err)
		}
		// the orders page: the supervisor's banner holds it; another township's director does not see it
		if p, err := w.svc.OrderList(ctx, w.actors["supervisor"], false, "", 0); err != nil || len(p.List) != 1 {
			t.Errorf("the supervisor's list: %d %v", len(p.List), err)
		}
		if p, err := w.svc.OrderList(ctx, w.actors["shaogen.director"], false, "", 0); err != nil || len(p.List) != 0 {
			t.Errorf("another township's list: %d %v", len(p.List), err)
		}
	})
}

// The orders page is paged by keyset: every order once, newest first.
func TestOrderListPages(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clk, _ := w.svc.Clock(ctx)
		due := clk.Cal.NextWorkingDay(today(w)).String()
		for i := range 7 {
			if _, err := w.svc.IssueOrder(ctx, w.actors["tianshan.director"], service.OrderTarget{OrgID: w.targets["T1"].ID},
				oversight.Input{Kind: "urge", Content: "请加快办理 " + string(rune('A'+i)), Due: due}, ""); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		cursor := ""
		for pages := 1; ; pages++ {
			p, err := w.svc.OrderList(ctx, w.actors["supervisor"], true, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range p.List {
				if seen[o.ID] || (i > 0 && o.ID > p.List[i-1].ID) {
					t.Fatalf("page %d: %s repeated or out of order", pages, o.ID)
				}
				seen[o.ID] = true
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if len(seen) != 7 {
			t.Fatalf("%d orders over the pages, want 7", len(seen))
		}
	})
}

// The director's queue lists every extension request waiting for the director's approval on its first page,
// whichever page of the queue holds the case (行政许可法 第42条).
func TestQueueListsPendingExtensions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		var asked cases.Case
		for i := range 3 {
			c := acceptedDibao(t, w)
			if i == 1 {
				var err error
				if asked, err = w.svc.Act(ctx, w.actors["tianshan.reviewer"], c.ID, c.Version, cases.RequestExtension, cases.Input{Days: 3, Reason: "需入户核查"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		cursor, pages := "", 0
		for {
			p, err := w.svc.FindCases(ctx, w.actors["minzheng.head"], service.FindInput{Limit: 1, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			switch {
			case cursor == "" && (len(p.Asking) != 1 || p.Asking[0].Case.ID != asked.ID):
				t.Fatalf("the first page lists %d pending requests", len(p.Asking))
			case cursor != "" && len(p.Asking) != 0:
				t.Fatalf("page %d repeats the pending requests", pages)
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if pages < 3 {
			t.Fatalf("%d pages of one case", pages)
		}
		// a township's director approves none of 民政局's: none listed
		if p, err := w.svc.FindCases(ctx, w.actors["tianshan.director"], service.FindInput{}); err != nil || len(p.Asking) != 0 {
			t.Fatalf("the township's director is asked: %d %v", len(p.Asking), err)
		}
	})
}

// today is the service's day on its own clock.
func today(w *world) clock.Date {
	clk, _ := w.svc.Clock(ctx)
	return clock.DateOf(w.db.Now().In(clk.Rules.Location))
}

// The staff and organisation lists are paged by keyset and searchable, within the reader's subtree only.
func TestStaffAndOrgListsPage(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		seen := map[string]bool{}
		for cursor, pages := "", 0; ; pages++ {
			p, err := w.svc.FindStaff(ctx, w.actors["supervisor"], "", cursor, 4)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.List {
				if seen[s.Username] {
					t.Fatalf("%s twice", s.Username)
				}
				seen[s.Username] = true
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if !seen["tianshan.clerk"] || !seen["shaogen.director"] || len(seen) < 10 {
			t.Fatalf("the supervisor's pages hold %d staff", len(seen))
		}
		p, err := w.svc.FindStaff(ctx, w.actors["tianshan.director"], "clerk", "", 0)
		if err != nil || len(p.List) == 0 {
			t.Fatalf("search: %v", err)
		}
		for _, s := range p.List {
			if !strings.HasPrefix(s.Username, "tianshan.") {
				t.Errorf("the 天山镇 director finds %s", s.Username)
			}
		}
		if _, err := w.svc.FindStaff(ctx, w.actors["tianshan.clerk"], "", "", 0); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a clerk lists staff: %v", err)
		}
		orgs := map[string]bool{}
		for cursor := ""; ; {
			p, err := w.svc.FindOrgs(ctx, w.actors["tianshan.director"], nil, "", cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range p.List {
				if orgs[o.ID] || !strings.HasPrefix(o.Path, w.targets["T1"].Path) {
					t.Fatalf("%s twice or outside 天山镇", o.NameZh)
				}
				orgs[o.ID] = true
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if !orgs[w.targets["V1"].ID] || orgs[w.targets["T2"].ID] {
			t.Fatalf("天山镇's pages: %d organisations", len(orgs))
		}
		if p, err := w.svc.FindOrgs(ctx, w.actors["supervisor"], nil, "杨树林", "", 0); err != nil || len(p.List) == 0 || p.List[0].ID != w.targets["V1"].ID {
			t.Fatalf("search by name: %+v %v", p.List, err)
		}
	})
}
