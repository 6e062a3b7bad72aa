package service_test

import (
	"regexp"
	"sync"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// 通办 originals: cases received at 绍根镇 for residents of 天山镇 wait on 绍根镇's transfer page, grouped by
// 天山镇; 绍根镇's clerk marks the list sent (once, whatever the retries), 天山镇's front desk marks it
// received (once); everyone else is refused, and each mark is one audit entry.
func TestTransferOriginals(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		sender, receiver := w.actors["shaogen.clerk"], w.actors["tianshan.director"]
		receive := func(who string, applicant string) cases.Case {
			t.Helper()
			c, err := w.svc.Receive(ctx, w.actors[who], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded[applicant]}, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		accept := func(c cases.Case) cases.Case {
			t.Helper()
			c, err := w.svc.Act(ctx, access.System, c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		away1 := accept(receive("shaogen.clerk", "T1"))
		away2 := accept(receive("shaogen.clerk", "V1")) // a resident of a 天山镇 village
		receive("shaogen.clerk", "T1")                  // not accepted yet: its originals stay at the window
		accept(receive("shaogen.clerk", "T2"))          // handled where received: nothing travels
		accept(receive("tianshan.clerk", "T1"))         // the other way round is not 绍根镇's

		board, err := w.svc.Transfers(ctx, sender, service.TransferCursors{})
		if err != nil {
			t.Fatal(err)
		}
		if len(board.Pending) != 1 || board.Pending[0].To.ID != w.targets["T1"].ID || len(board.Pending[0].Cases) != 2 {
			t.Fatalf("pending: %+v", board.Pending)
		}
		// the originals are the materials the window saw in the original: 申请表, 身份证 and the income statement
		if g := board.Pending[0]; g.Originals() != 6 || len(g.Cases[0].Originals) != 3 || g.Cases[0].Originals[0] != "最低生活保障申请表" {
			t.Fatalf("originals: %+v", g.Cases)
		}

		// refusals: not the front desk of the sending township
		for _, who := range []string{"shaogen.reviewer", "agetan.agent", "yangshulin.agent", "minzheng", "supervisor", "admin"} {
			if _, err := w.svc.Transfers(ctx, w.actors[who], service.TransferCursors{}); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s reads a transfer page: %v", who, err)
			}
			if _, err := w.svc.SendTransfer(ctx, w.actors[who], w.targets["T1"].ID, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s sends a list: %v", who, err)
			}
		}
		// 天山镇's clerk has nothing of 绍根镇's to send; a list to oneself, or to a village, is no list
		if _, err := w.svc.SendTransfer(ctx, w.actors["tianshan.clerk"], w.targets["T2"].ID, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("sending what is not there: %v", err)
		}
		for _, to := range []string{w.targets["T2"].ID, w.targets["V1"].ID} {
			if _, err := w.svc.SendTransfer(ctx, sender, to, ""); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("a list to %s: %v", to, err)
			}
		}

		// the same submission ten times at once makes one list with one audit entry
		auditBefore, _ := db.CountAudit(ctx)
		lists := make([]store.Handoff, 10)
		var wg sync.WaitGroup
		for i := range lists {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, err := w.svc.SendTransfer(ctx, sender, w.targets["T1"].ID, "send-1")
				if err != nil {
					t.Error(err)
				}
				lists[i] = h
			}()
		}
		wg.Wait()
		h := lists[0]
		for _, l := range lists {
			if l.ID != h.ID {
				t.Fatalf("two lists: %s %s", h.No, l.No)
			}
		}
		if len(h.Cases) != 2 || h.SentBy != sender.ID || h.Sent.IsZero() || !h.Received.IsZero() || !regexp.MustCompile(`^绍根移交〔20\d\d〕1号$`).MatchString(h.No) {
			t.Fatalf("the list: %+v", h)
		}
		if got := []string{h.Cases[0].No, h.Cases[1].No}; !(got[0] == away1.No && got[1] == away2.No) && !(got[0] == away2.No && got[1] == away1.No) {
			t.Fatalf("listed %v", got)
		}
		if n, _ := db.CountAudit(ctx); n != auditBefore+1 {
			t.Fatalf("%d audit entries for one list", n-auditBefore)
		}
		// sent is sent: a new submission finds nothing left, and the page no longer lists the cases
		if _, err := w.svc.SendTransfer(ctx, sender, w.targets["T1"].ID, "send-2"); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("sending twice: %v", err)
		}
		if b, _ := w.svc.Transfers(ctx, sender, service.TransferCursors{}); len(b.Pending) != 0 || len(b.Sent) != 1 {
			t.Fatalf("after sending: %+v", b)
		}

		// received by the handling township only
		for _, who := range []string{"shaogen.clerk", "shaogen.director", "tianshan.reviewer", "yangshulin.agent", "minzheng", "supervisor"} {
			if _, err := w.svc.ReceiveTransfer(ctx, w.actors[who], h.ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s marks the list received: %v", who, err)
			}
		}
		// a third township's clerk neither reads nor receives it
		other := thirdTownship(t, w)
		stranger, err := w.svc.CreateStaff(ctx, access.System, service.StaffInput{Username: "third.clerk", Name: "第三镇受理员", Role: "clerk", OrgID: other.ID, Password: "Bianmin-2026-x"})
		if err != nil {
			t.Fatal(err)
		}
		if b, err := w.svc.Transfers(ctx, stranger.Actor(), service.TransferCursors{}); err != nil || b.Township.ID != other.ID {
			t.Fatalf("the third township's own page: %v", err) // so that the refusals below are about the list
		}
		if _, err := w.svc.Transfer(ctx, stranger.Actor(), h.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a third township reads the list: %v", err)
		}
		if _, err := w.svc.ReceiveTransfer(ctx, stranger.Actor(), h.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a third township receives the list: %v", err)
		}
		if b, _ := w.svc.Transfers(ctx, receiver, service.TransferCursors{}); len(b.Incoming) != 1 || b.Incoming[0].ID != h.ID {
			t.Fatalf("天山镇's incoming lists: %+v", b.Incoming)
		}
		auditBefore, _ = db.CountAudit(ctx)
		got, err := w.svc.ReceiveTransfer(ctx, receiver, h.ID)
		if err != nil || got.Received.IsZero() || got.ReceivedBy != receiver.ID || got.ReceivedByName != receiver.Name {
			t.Fatalf("received: %+v %v", got, err)
		}
		again, err := w.svc.ReceiveTransfer(ctx, w.actors["tianshan.clerk"], h.ID)
		if err != nil || again.ReceivedBy != receiver.ID || !again.Received.Equal(got.Received) {
			t.Fatalf("a second mark changed the first: %+v %v", again, err)
		}
		if n, _ := db.CountAudit(ctx); n != auditBefore+1 {
			t.Fatalf("%d audit entries for one receipt", n-auditBefore)
		}
		trail, _ := db.AuditOf(ctx, "handoff", h.ID, 10)
		if len(trail) != 2 {
			t.Fatalf("the list's trail: %d entries", len(trail))
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// thirdTownship is a township other than 天山镇 and 绍根镇.
func thirdTownship(t *testing.T, w *world) org.Org {
	t.Helper()
	list, err := w.db.Children(ctx, w.targets["T1"].ParentID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list {
		if o.Kind == org.Township && o.ID != w.targets["T1"].ID && o.ID != w.targets["T2"].ID {
			return o
		}
	}
	t.Fatal("no third township")
	return org.Org{}
}
