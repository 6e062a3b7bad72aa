package service_test

import (
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

func licenceItem(t *testing.T, w *world) string {
	t.Helper()
	res, err := w.svc.Search(ctx, "乡村建设规划许可证核发", 1)
	if err != nil || len(res) == 0 {
		t.Fatal(err)
	}
	return res[0].Card.ID
}

// setDay moves the store's clock to 10:00 of day (local time).
func setDay(t *testing.T, w *world, day clock.Date) {
	t.Helper()
	clk, err := w.svc.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(day.Y, day.M, day.D, 10, 0, 0, 0, clk.Rules.Location)
	w.db.Now = func() time.Time { return at }
}

// delegateLicence delegates the 乡村建设规划许可 from 自然资源局 to the townships from start, and hands it over
// at the first of them (the checklist, the director's readiness, the hand-over).
func delegateLicence(t *testing.T, w *world, start clock.Date, towns ...string) delegation.Delegation {
	t.Helper()
	var ids []string
	for _, k := range towns {
		ids = append(ids, w.targets[k].ID)
	}
	ziran := w.actors["ziran"]
	d, err := w.svc.CreateDelegation(ctx, ziran, delegation.Input{ItemID: licenceItem(t, w), Scope: "item", DocNo: "阿政发〔2020〕52号",
		DocDate: "2020-09-01", Start: start.String(), Townships: ids}, "")
	if err != nil {
		t.Fatal(err)
	}
	t1 := ids[0]
	// the hand-over before the checklist is refused, naming what is missing
	if _, err := w.svc.HandOverDelegation(ctx, ziran, d.ID, t1, d.Version, "王局", "李主任"); len(errs.All(err)) != 5 {
		t.Errorf("a hand-over before the checklist: %v", err)
	}
	if d, err = w.svc.SetChecklist(ctx, ziran, d.ID, t1, d.Version, delegation.Checklist{Materials: true, Templates: true, SystemAccess: true, TrainedStaff: "天山镇审办员"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.ConfirmReady(ctx, w.actors["shaogen.director"], d.ID, t1, d.Version); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another township's director confirms readiness: %v", err)
	}
	if d, err = w.svc.ConfirmReady(ctx, w.actors["tianshan.director"], d.ID, t1, d.Version); err != nil {
		t.Fatal(err)
	}
	if d, err = w.svc.HandOverDelegation(ctx, ziran, d.ID, t1, d.Version, "王局", "李主任"); err != nil {
		t.Fatal(err)
	}
	return d
}

// Delegation (the seed 四.(一)): a case received before the start date stays at the department, one received
// from it at a township handed over goes to the township's decision, a township not yet handed over stays at
// the department, and a pause sends new cases back; open cases finish as they began.
func TestDelegationNewCasesOnly(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clk, err := w.svc.Clock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		today := clock.DateOf(time.Now().In(clk.Rules.Location))
		start := clk.Cal.AddWorkingDays(today, 3)
		setDay(t, w, today)
		item := licenceItem(t, w)
		receive := func(clerk, town string) cases.Case {
			t.Helper()
			c, err := w.svc.Receive(ctx, w.actors[clerk], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded[town]}, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		before := receive("tianshan.clerk", "T1")
		if _, err := w.svc.CreateDelegation(ctx, w.actors["minzheng"], delegation.Input{ItemID: item, Scope: "item", DocNo: "x", DocDate: "2020-09-01",
			Start: start.String(), Townships: []string{w.targets["T1"].ID}}, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another department delegates 自然资源局's item: %v", err)
		}
		d := delegateLicence(t, w, start, "T1", "T2")
		handedEarly := receive("tianshan.clerk", "T1") // handed over, but before the start date
		setDay(t, w, start)
		after := receive("tianshan.clerk", "T1")
		notHanded := receive("shaogen.clerk", "T2")
		d, err = w.svc.StopDelegation(ctx, w.actors["ziran"], d.ID, d.Version, "paused", start.AddDays(7).String(), "人员调整")
		if err != nil {
			t.Fatal(err)
		}
		setDay(t, w, start.AddDays(7))
		paused := receive("tianshan.clerk", "T1")
		for _, c := range []struct {
			name     string
			c        cases.Case
			township bool
		}{
			{"received before the delegation", before, false},
			{"received before the start date", handedEarly, false},
			{"received from the start date", after, true},
			{"at a township not handed over", notHanded, false},
			{"received after the pause", paused, false},
		} {
			got, err := db.Case(ctx, c.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := got.Department
			if c.township {
				want = got.Handling
			}
			if got.DecidingOrg() != want || (got.Delegation != "") != c.township {
				t.Errorf("%s: decided by %s (delegation %q)", c.name, got.DecidingOrg(), got.Delegation)
			}
		}
	})
}

// Help requests (四.(一) 求助响应), guidance (移交后3个月内), inspections and the assessment (四.(二)) on one
// delegation, with the refusals of the permission matrix: another department reading the requests, another
// township reading the inspections, the counterpart reading or commenting outside the period or the item.
func TestDelegationFollowUp(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		start := nextWorkingDay(t, w)
		item := licenceItem(t, w)
		delegateLicence(t, w, start, "T1")
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		other, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		ziran, reviewer := w.actors["ziran"], w.actors["tianshan.reviewer"]
		if _, err := w.svc.SetPair(ctx, w.actors["minzheng"], item, reviewer.ID, ziran.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("民政局 pairs 自然资源局's item: %v", err)
		}
		if _, err := w.svc.SetPair(ctx, ziran, item, reviewer.ID, ziran.ID); err != nil {
			t.Fatal(err)
		}

		// a request answered within the clock
		h, err := w.svc.AskHelp(ctx, reviewer, service.HelpInput{CaseID: c.ID, Subject: "宅基地四至", Question: "四至不清的如何审查？"}, "")
		if err != nil || h.CounterpartID != ziran.ID || h.ItemID != item {
			t.Fatalf("ask: %v %+v", err, h)
		}
		if _, err := w.svc.HelpRequest(ctx, w.actors["minzheng"], h.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another department reads the request: %v", err)
		}
		if _, err := w.svc.HelpRequest(ctx, w.actors["shaogen.reviewer"], h.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township reads the request: %v", err)
		}
		if list, _ := w.svc.HelpList(ctx, w.actors["minzheng"], "", ""); len(list.List) != 0 {
			t.Errorf("民政局 lists 自然资源局's requests: %d", len(list.List))
		}
		if h, err = w.svc.MoveHelp(ctx, ziran, h.ID, service.HelpMove{Version: h.Version, Body: "以村委会出具的四至证明为准"}); err != nil || !h.AnsweredInTime() {
			t.Fatalf("answer: %v %+v", err, h)
		}
		if h, err = w.svc.MoveHelp(ctx, ziran, h.ID, service.HelpMove{Version: h.Version, FAQ: 1}); err != nil {
			t.Fatal(err)
		}
		if faq, err := w.svc.ItemFAQ(ctx, w.actors["shaogen.reviewer"], item); err != nil || len(faq) != 1 {
			t.Errorf("the item's FAQ: %v %v", faq, err)
		}
		// a second goes late and escalates to the head
		late, err := w.svc.AskHelp(ctx, reviewer, service.HelpInput{ItemID: item, Subject: "公示期", Question: "是否需要公示？"}, "")
		if err != nil {
			t.Fatal(err)
		}
		lateAt := late.AnswerDue.Add(time.Minute)
		w.db.Now = func() time.Time { return lateAt }
		headPage, err := w.svc.HelpList(ctx, w.actors["ziran.head"], "公示", "")
		heads := headPage.List
		if err != nil || len(heads) != 1 || !heads[0].Escalated || heads[0].Card != clock.Red || !heads[0].MayAnswer {
			t.Fatalf("the head's list: %v %+v", err, heads)
		}
		if _, err := w.svc.MoveHelp(ctx, w.actors["ziran.head"], late.ID, service.HelpMove{Version: late.Version, Body: "需要公示七日"}); err != nil {
			t.Fatal(err)
		}

		// guidance: the counterpart reads and comments in the period, not on another item, not after it
		if _, _, err := w.svc.CaseFor(ctx, ziran, c.ID); err != nil {
			t.Errorf("the counterpart reads the case in the period: %v", err)
		}
		if _, err := w.svc.CommentCase(ctx, ziran, c.ID, "注意核对四至证明"); err != nil {
			t.Errorf("comment in the period: %v", err)
		}
		if _, err := w.svc.CommentCase(ctx, ziran, other.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("comment on another item's case: %v", err)
		}
		if _, err := w.svc.CommentCase(ctx, w.actors["minzheng"], c.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another department comments: %v", err)
		}
		from, until := delegation.GuidancePeriod(start, delegation.DefaultGuidanceMonths)
		_ = from
		setDay(t, w, until)
		if _, err := w.svc.CommentCase(ctx, ziran, c.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("comment after the period: %v", err)
		}
		if _, _, err := w.svc.CaseFor(ctx, ziran, c.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the counterpart reads the case after the period: %v", err)
		}
		if list, err := w.svc.CaseComments(ctx, reviewer, c.ID); err != nil || len(list) != 1 {
			t.Errorf("the township reads the comment: %v %v", list, err)
		}

		// an inspection round, its finding rectified
		setDay(t, w, start)
		r, err := w.svc.PlanRound(ctx, ziran, service.RoundInput{TownshipID: w.targets["T1"].ID, Area: "北片", Planned: start.String()}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Round(ctx, w.actors["shaogen.director"], r.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township reads the round: %v", err)
		}
		if r, err = w.svc.RecordVisit(ctx, ziran, r.ID, r.Version, delegation.Visit{ItemsHandled: 2, FilesSampled: 1, Findings: []string{"缺少现场勘查记录"},
			Due: start.AddDays(10).String()}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.MoveFinding(ctx, w.actors["shaogen.director"], r.ID, r.Version, 0, "rectify", "x"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township rectifies: %v", err)
		}
		if r, err = w.svc.MoveFinding(ctx, w.actors["tianshan.director"], r.ID, r.Version, 0, "rectify", "已补充勘查记录"); err != nil {
			t.Fatal(err)
		}
		if r, err = w.svc.MoveFinding(ctx, ziran, r.ID, r.Version, 0, "accept", ""); err != nil || r.Findings[0].Step != delegation.Accepted {
			t.Fatalf("accept: %v %+v", err, r.Findings)
		}

		// the assessment equals plain counts of the stored records
		rows, err := w.svc.Assessment(ctx, w.actors["supervisor"], start.Y)
		if err != nil || len(rows) != 1 {
			t.Fatalf("assessment: %v %+v", err, rows)
		}
		count := func(q string, args ...any) int {
			var n int
			if err := db.QueryRowRaw(ctx, q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		f := rows[0].Figures
		y := start.Y * 10000
		if f.Items != count(`SELECT count(*) FROM delegations WHERE start_on >= ? AND start_on < ?`, y, y+10000) ||
			f.Help != count(`SELECT count(*) FROM help_requests WHERE asked_on >= ? AND asked_on < ?`, y, y+10000) ||
			f.Rounds != count(`SELECT count(*) FROM inspection_rounds WHERE planned_on >= ? AND planned_on < ?`, y, y+10000) ||
			f.Cases != count(`SELECT count(*) FROM cases WHERE doc LIKE ?`, `%"delegation":"%`) ||
			f.Handovers != 1 || f.HelpInTime != 1 || f.Rectified != 1 || f.Findings != 1 || f.Visited != 1 {
			t.Errorf("assessment %+v", f)
		}
		if _, err := w.svc.Assessment(ctx, w.actors["tianshan.director"], start.Y); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a township director reads the assessment: %v", err)
		}
		_ = access.System
	})
}
