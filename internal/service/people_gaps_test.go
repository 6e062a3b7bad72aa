package service_test

import (
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
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
