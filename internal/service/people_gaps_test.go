package service_test

import (
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/oversight"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A township that splits its back office by domain (一人负责一块) holds each reviewer to the domains on their
// record: a reviewer of 公安 is refused the claim of a 民政 case and is not given one, one of 民政 takes it, and
// the same rule decides who backs up the back-office seat on leave. A township that keeps 一人通办 (the
// default) lets everyone. Only the township's director (or an administrator) changes the setting.
func TestBackOfficeDomains(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer func() { db.Now = time.Now }()
		w := demoWorld(t, db)
		at(w, "2026-12-04 10:00") // a Friday
		h := setUpHall(t, w)
		r3, _ := db.StaffRecord(ctx, h.rev2.ID)
		if _, err := w.svc.EditStaff(ctx, h.director, h.rev2.ID, service.StaffEdit{Version: r3.Version, Name: r3.Name, Role: "reviewer", Seats: r3.Seats, Domains: []string{"公安"}}); err != nil {
			t.Fatal(err)
		}
		police := h.rev2 // handles 公安 only
		township := w.targets["T1"].ID

		// 一人通办 (no setting): the reviewer of 公安 may take the 民政 case, and give it back
		c := acceptedDibao(t, w)
		if split, v, err := w.svc.BackOfficeSplit(ctx, h.director, township); err != nil || split || v != 0 {
			t.Fatalf("the default: %v %v %v", split, v, err)
		}
		c, err := w.svc.Act(ctx, police, c.ID, c.Version, cases.Claim, cases.Input{})
		if err != nil {
			t.Fatalf("一人通办: %v", err)
		}
		if c, err = w.svc.Act(ctx, police, c.ID, c.Version, cases.Release, cases.Input{}); err != nil {
			t.Fatal(err)
		}

		// the setting: another township's director, a clerk and a stale version are refused
		for _, who := range []access.Actor{h.away, h.clerk, h.rev} {
			if err := w.svc.SetBackOfficeSplit(ctx, who, township, 0, true); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s set the split: %v", who.Name, err)
			}
		}
		if err := w.svc.SetBackOfficeSplit(ctx, h.director, township, 3, true); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a stale setting: %v", err)
		}
		if err := w.svc.SetBackOfficeSplit(ctx, h.director, w.targets["T1"].ParentID, 0, true); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a banner's split: %v", err)
		}
		if err := w.svc.SetBackOfficeSplit(ctx, h.director, township, 0, true); err != nil {
			t.Fatal(err)
		}
		if _, v, _ := w.svc.BackOfficeSplit(ctx, h.director, township); v != 1 {
			t.Errorf("version %d", v)
		}

		// split: refused the claim, with the message naming their domains, nothing written but nothing moved
		before, _ := db.CountAudit(ctx)
		_, err = w.svc.Act(ctx, police, c.ID, c.Version, cases.Claim, cases.Input{})
		if errs.CodeOf(err) != errs.Forbidden || errs.All(err)[0].Key != "err.people_gaps.out_of_domain" {
			t.Fatalf("an out-of-domain claim: %v", err)
		}
		if errs.All(err)[0].Args["domains"] != "公安" {
			t.Errorf("the refusal names %q", errs.All(err)[0].Args)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("the refusal wrote %d entries", after-before)
		}
		if got, _ := db.Case(ctx, c.ID); got.Version != c.Version || got.Assignee != "" {
			t.Errorf("the case moved: %+v", got)
		}
		if _, err := w.svc.Act(ctx, h.director, c.ID, c.Version, cases.Assign, cases.Input{Assignee: police.ID}); errs.CodeOf(err) != errs.Invalid || errs.All(err)[0].Field != "assignee" {
			t.Errorf("given to one outside the domain: %v", err)
		}
		work, _, err := w.svc.CaseFor(ctx, h.director, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := w.svc.Assignable(ctx, h.director, work.Case)
		for _, st := range list {
			if st.ID == police.ID {
				t.Error("the director is offered one outside the domain")
			}
		}
		if c, err = w.svc.Act(ctx, h.rev, c.ID, c.Version, cases.Claim, cases.Input{}); err != nil { // 民政
			t.Fatalf("the reviewer of the domain: %v", err)
		}

		// the back-office seat: rostered to the reviewer of 民政 on Tuesday, backed up by 公安 only under 一人通办
		mon := clock.MustDate("2026-12-07")
		tue := mon.AddDays(1)
		if err := w.svc.SaveRoster(ctx, h.director, h.center.ID, mon, []roster.Entry{{Day: tue, Half: roster.AM, Seat: h.back.ID, Staff: h.rev.ID}}); err != nil {
			t.Fatal(err)
		}
		leave := roster.LeaveInput{From: tue.String(), To: tue.String(), Reason: "病假", Substitute: police.ID}
		if _, err := w.svc.RequestLeave(ctx, h.rev, leave, ""); errs.CodeOf(err) != errs.Invalid || errs.All(err)[0].Key != "err.people.sub_unqualified" {
			t.Errorf("a backup outside the domain: %v", err)
		}
		if err := w.svc.SetBackOfficeSplit(ctx, h.director, township, 1, false); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RequestLeave(ctx, h.rev, leave, ""); err != nil {
			t.Errorf("一人通办: any reviewer backs up: %v", err)
		}
	})
}

// A station's agents are rostered the way a center's people are (issue 11): the director of the township makes
// the station's week, only the village's agents may keep it, the public staff page and the 六有 board show who
// is rostered today (not every agent), an agent absent at the opening raises the alert and one signed in is
// there, leave needs another agent as substitute, and the banner's coverage view has the station's line.
func TestStationRoster(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer func() { db.Now = time.Now }()
		w := demoWorld(t, db)
		at(w, "2026-12-04 10:00") // a Friday
		h := setUpHall(t, w)
		list, err := db.Subtree(ctx, w.targets["V1"].Path, org.Station)
		if err != nil || len(list) != 1 {
			t.Fatalf("杨树林村's station: %v %v", list, err)
		}
		station := list[0]
		agent := w.actors["yangshulin.agent"]
		st2, err := w.svc.CreateStaff(ctx, access.System, service.StaffInput{Username: "yangshulin.agent2", Name: "代办员二", Role: "agent", OrgID: w.targets["V1"].ID, Password: "Bianmin-2026-x"})
		if err != nil {
			t.Fatal(err)
		}
		agent2 := st2.Actor()

		mon := clock.MustDate("2026-12-07")
		var week []roster.Entry
		for i := 0; i < 5; i++ {
			for _, half := range roster.Halves {
				week = append(week, roster.Entry{Day: mon.AddDays(i), Half: half, Seat: station.ID, Staff: agent.ID})
			}
		}
		for _, who := range []access.Actor{h.away, agent, w.actors["shaogen.director"]} {
			if err := w.svc.SaveRoster(ctx, who, station.ID, mon, week); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s made the station's roster: %v", who.Name, err)
			}
		}
		if err := w.svc.SaveRoster(ctx, h.director, station.ID, mon, []roster.Entry{{Day: mon, Half: roster.AM, Seat: station.ID, Staff: h.clerk.ID}}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a township clerk kept the station: %v", err)
		}
		if err := w.svc.SaveRoster(ctx, h.director, station.ID, mon, week); err != nil {
			t.Fatal(err)
		}
		wk, err := w.svc.Roster(ctx, agent, station.ID, mon)
		if err != nil || len(wk.Seats) != 1 || wk.At[service.Key(station.ID, mon, roster.AM)] != agent.ID {
			t.Fatalf("the agent reads the station's week: %v %+v", err, wk.At)
		}
		if _, err := w.svc.Roster(ctx, agent, h.center.ID, mon); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an agent read the center's roster: %v", err)
		}

		// leave: another agent of the village substitutes
		tue := mon.AddDays(1)
		in := roster.LeaveInput{From: tue.String(), To: tue.String(), Reason: "家中有事"}
		if _, err := w.svc.RequestLeave(ctx, agent, in, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an agent's leave without a substitute: %v", err)
		}
		in.Substitute = h.clerk.ID
		if _, err := w.svc.RequestLeave(ctx, agent, in, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a township clerk substitutes at the station: %v", err)
		}
		in.Substitute = agent2.ID
		l, err := w.svc.RequestLeave(ctx, agent, in, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.DecideLeave(ctx, h.director, l.ID, l.Version, true, ""); err != nil {
			t.Fatal(err)
		}

		// Monday 09:30: the agent has not signed in: absent, the alert; the public page names the rostered agent
		at(w, "2026-12-07 09:30")
		duty, err := w.svc.OnDutyToday(ctx, station.ID)
		if err != nil || len(duty.People) != 1 || duty.People[0].Rec.ID != agent.ID {
			t.Fatalf("the station's people today: %v %+v", err, duty.People)
		}
		if b, err := w.svc.BoardOf(ctx, station.ID); err != nil || len(b.People) != 1 {
			t.Errorf("the station's board: %v %+v", err, b.People)
		}
		if err := w.svc.SweepCoverage(ctx); err != nil {
			t.Fatal(err)
		}
		cov, err := w.svc.HallCoverage(ctx, h.director, station.ID)
		if err != nil || cov.NoRoster || len(cov.Seats) != 1 || cov.Seats[0].State != roster.Absent || len(cov.Alerts) != 1 {
			t.Fatalf("the station now: %v %+v", err, cov)
		}
		if err := w.svc.SignIn(ctx, agent, "10.0.0.9"); err != nil {
			t.Fatal(err)
		}
		if cov, _ = w.svc.HallCoverage(ctx, h.director, station.ID); cov.Seats[0].State != roster.Present {
			t.Errorf("the agent signed in: %+v", cov.Seats[0])
		}
		// Tuesday: the substitute is the station's person today
		at(w, "2026-12-08 09:30")
		if duty, _ = w.svc.OnDutyToday(ctx, station.ID); len(duty.People) != 1 || duty.People[0].Rec.ID != agent2.ID || !duty.People[0].Covering {
			t.Errorf("the substitute at the station: %+v", duty.People)
		}
		lines, err := w.svc.BannerCoverage(ctx, w.actors["supervisor"])
		if err != nil {
			t.Fatal(err)
		}
		var seen, quiet int
		for _, l := range lines {
			switch {
			case l.Center.ID == station.ID:
				seen++
				if l.NoRoster || l.Empty != 1 || l.Month != 2 { // the substitute has not signed in: empty (Monday's alert and now Tuesday's)
					t.Errorf("the station's line: %+v", l)
				}
			case l.Center.Kind == org.Station && l.NoRoster:
				quiet++
			}
		}
		if seen != 1 || quiet == 0 {
			t.Errorf("the banner's view: station %d, stations without a roster %d", seen, quiet)
		}
		// a station without a roster keeps no alert
		if alerts, _ := db.Alerts(ctx, w.targets["V2"].Path, mon, tue, 10); len(alerts) != 0 {
			t.Errorf("an unrostered station raised %d alerts", len(alerts))
		}
	})
}

// The must-show's 督办 on an overdue case (issue 11 point 8): a case past its due date, red-carded; the
// supervisor orders action, the township's clerk sees the order at their desk and answers it.
func TestOrderOnAnOverdueCase(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer func() { db.Now = time.Now }()
		w := demoWorld(t, db)
		at(w, "2026-09-01 10:00")
		c := acceptedDibao(t, w)
		at(w, "2026-12-15 10:00")
		work, _, err := w.svc.CaseFor(ctx, w.actors["supervisor"], c.ID)
		if err != nil || !work.Due.Before(clock.MustDate("2026-12-15")) || work.Card != clock.Red {
			t.Fatalf("the case is not overdue: %v due %s card %s", err, work.Due, work.Card)
		}
		o, err := w.svc.IssueOrder(ctx, w.actors["supervisor"], service.OrderTarget{CaseID: c.ID}, oversight.Input{Content: "已超期，请说明原因并限期办结", Due: "2026-12-17"}, "")
		if err != nil {
			t.Fatal(err)
		}
		clerk := w.actors["tianshan.clerk"]
		if list, _ := w.svc.DeskOrders(ctx, clerk); len(list) != 1 || list[0].ID != o.ID {
			t.Fatalf("the clerk's desk: %+v", list)
		}
		if done, err := w.svc.AnswerOrder(ctx, clerk, o.ID, "已联系审核人员，明日办结"); err != nil || done.Open() {
			t.Fatalf("the clerk's answer: %+v %v", done, err)
		}
	})
}
