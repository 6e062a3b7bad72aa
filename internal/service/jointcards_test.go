package service_test

import (
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/complaint"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// directorsWithPhones counts the directors a card of a body's is told to.
func directorsWithPhones(t *testing.T, db *store.DB, o org.Org) int {
	t.Helper()
	all, err := db.StaffIn(ctx, o.Path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range all {
		if s.Role == access.Director && s.Active && s.Phone != "" {
			n++
		}
	}
	return n
}

// When the sweep turns a hand-over's and a complaint's card, on both databases: a hand-over asked on Monday
// 2026-03-02 is due Wednesday (joint.AnswerDays, 2 working days): yellow that day, red the next; a complaint
// received the same day is due Monday 03-09 (5 working days): yellow from the working day before (the
// -yellow rule), red the day after. Each turn is
// audited and told by SMS to the answering body's directors once: a second sweep the same day turns nothing.
// An extension takes a yellow card back (not told); an answer given late keeps red.
func TestJointCardsTurn(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		cst := time.FixedZone("CST", 8*3600)
		on := func(day string) {
			d, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", cst)
			db.Now = func() time.Time { return d }
		}
		on("2026-03-02")
		clerk, dir := w.actors["tianshan.clerk"], w.actors["tianshan.director"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		h, err := w.svc.HandOverCase(ctx, clerk, c.ID, c.Version, w.targets["T2"].ID, "户籍在绍根镇")
		if err != nil {
			t.Fatal(err)
		}
		file := func(body string) complaint.Complaint {
			t.Helper()
			k, err := w.svc.FileComplaint(ctx, clerk, service.ComplaintInput{Channel: complaint.Phone, About: complaint.AboutService, Body: body}, "")
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		late, extended := file("窗口中午无人"), file("叫号混乱")
		for i, u := range []string{"tianshan.director", "shaogen.director"} { // the demo's directors left no phone
			r, _ := db.StaffRecord(ctx, w.actors[u].ID)
			if _, err := w.svc.EditStaff(ctx, w.actors["admin"], r.ID, service.StaffEdit{Version: r.Version, Name: r.Name, Role: "director", Phone: "1390476000" + string(rune('1'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		toT2, toT1 := directorsWithPhones(t, db, w.targets["T2"]), directorsWithPhones(t, db, w.targets["T1"])
		if toT2 == 0 || toT1 == 0 {
			t.Fatalf("no director to tell: %d %d", toT2, toT1)
		}
		stored := func() (string, string, string) {
			t.Helper()
			hs, _ := db.PendingHandoverCards(ctx)
			cs, _ := db.OpenComplaintCards(ctx)
			var hc, lc, ec string
			for _, x := range hs {
				if x.ID == h.ID {
					hc = x.Card
				}
			}
			for _, x := range cs {
				switch x.ID {
				case late.ID:
					lc = x.Card
				case extended.ID:
					ec = x.Card
				}
			}
			return hc, lc, ec
		}
		for _, s := range []struct {
			day                 string
			before              func()
			handover, complaint string // the cards stored after the sweep (of the late one; the extended one follows it until extended)
			extended            string
			turned              service.JointCards
			told                int // messages queued
			audited             int
		}{
			{day: "2026-03-03"},
			{day: "2026-03-04", handover: "yellow", turned: service.JointCards{Handovers: 1}, told: toT2, audited: 1},
			{day: "2026-03-04", handover: "yellow"}, // the same day again: nothing turns, nobody is told twice
			{day: "2026-03-05", handover: "red", turned: service.JointCards{Handovers: 1}, told: toT2, audited: 1},
			{day: "2026-03-06", handover: "red", complaint: "yellow", extended: "yellow", turned: service.JointCards{Complaints: 2}, told: 2 * toT1, audited: 2},
			{day: "2026-03-06", before: func() {
				k, _ := w.svc.Complaint(ctx, dir, extended.ID)
				if _, err := w.svc.ExtendComplaint(ctx, dir, extended.ID, k.Version, 5, "需会同派出所核实"); err != nil {
					t.Fatal(err)
				}
			}, handover: "red", complaint: "yellow", audited: 1}, // the extension's yellow taken back: audited, not told
			{day: "2026-03-09", handover: "red", complaint: "yellow"},
			{day: "2026-03-10", handover: "red", complaint: "red", turned: service.JointCards{Complaints: 1}, told: toT1, audited: 1},
			{day: "2026-03-10", handover: "red", complaint: "red"},
		} {
			on(s.day)
			if s.before != nil {
				s.before()
			}
			audit0, _ := db.CountAudit(ctx)
			sms0, _ := db.UnsentCount(ctx)
			got, err := w.svc.SweepJointCards(ctx)
			if err != nil {
				t.Fatal(err)
			}
			audit1, _ := db.CountAudit(ctx)
			sms1, _ := db.UnsentCount(ctx)
			hc, lc, ec := stored()
			if got != s.turned || hc != s.handover || lc != s.complaint || ec != s.extended || sms1-sms0 != s.told || int(audit1-audit0) != s.audited {
				t.Errorf("%s: turned %+v, cards %q %q %q, told %d, audited %d; want %+v, %q %q %q, %d, %d", s.day, got, hc, lc, ec, sms1-sms0, audit1-audit0,
					s.turned, s.handover, s.complaint, s.extended, s.told, s.audited)
			}
		}
		// the late answer keeps its red card on the record; supervision counts what stands open
		k, _ := w.svc.Complaint(ctx, dir, late.ID)
		if _, err := w.svc.AnswerComplaint(ctx, dir, late.ID, k.Version, "已调整排班"); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.svc.SweepJointCards(ctx); got != (service.JointCards{}) {
			t.Errorf("an answered complaint turned again: %+v", got)
		}
		counts, err := w.svc.JointCardsNow(ctx, w.actors["supervisor"])
		if err != nil || counts["handover.red"] != 1 || counts["complaint.red"] != 0 || counts["complaint.yellow"] != 0 {
			t.Errorf("supervision's cards: %v %v", counts, err)
		}
		if mine, _ := w.svc.JointCardsNow(ctx, w.actors["shaogen.director"]); mine["handover.red"] != 1 {
			t.Errorf("the receiving township's cards: %v", mine)
		}
		if theirs, _ := w.svc.JointCardsNow(ctx, dir); theirs["handover.red"] != 0 {
			t.Errorf("the sender counts the receiver's card: %v", theirs)
		}
	})
}
