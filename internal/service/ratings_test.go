package service_test

import (
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// deliveredCase takes in a 低保 case at 天山镇's window (by its clerk) and carries it to delivery.
func deliveredCase(t *testing.T, w *world) cases.Case {
	t.Helper()
	c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		a  cases.Action
		in cases.Input
	}{{cases.Accept, cases.Input{Materials: mats(false)}}, {cases.Pass, cases.Input{}}, {cases.Pass, cases.Input{}},
		{cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}}, {cases.Issue, cases.Input{Method: "window"}}, {cases.Deliver, cases.Input{}}} {
		if c, err = w.svc.Act(ctx, access.System, c.ID, c.Version, m.a, m.in); err != nil {
			t.Fatalf("%s: %v", m.a, err)
		}
	}
	return c
}

// plainCounts counts the stored ratings of a township by hand, as a reader of the table would.
func plainCounts(t *testing.T, db *store.DB, township string) rating.Figures {
	t.Helper()
	var f rating.Figures
	row := db.QueryRowRaw(ctx, `SELECT count(*), sum(CASE WHEN level <= 3 THEN 1 ELSE 0 END), sum(CASE WHEN level >= 4 THEN 1 ELSE 0 END) FROM ratings WHERE township_id = ? AND excluded = 0`, township)
	var good, bad *int
	if err := row.Scan(&f.Total, &good, &bad); err != nil {
		t.Fatal(err)
	}
	if good != nil {
		f.Good, f.Bad = *good, *bad
	}
	return f
}

// The whole of 好差评 on both databases: the tablet paired to the clerk's window takes the applicant's 非常不满意;
// nobody else can submit it, and the same case is not rated twice on one channel; online by link, on paper by
// staff (marked); the 差评 runs 核实 → 整改 → 反馈 → 回访 with the rater's messages sent by Bianmin; staff never
// read the rater; an appeal decided by a supervisor excludes the rating from the figures, which equal a plain
// count, and the rating can be neither edited nor deleted.
func TestRatingWholePath(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk, other := w.actors["tianshan.clerk"], w.actors["shaogen.clerk"]
		c := deliveredCase(t, w)
		msgs, _ := w.svc.Messages(ctx, c.ID)
		if !strings.Contains(msgs[len(msgs)-1].Body, "/rate/") {
			t.Fatalf("delivery sent no rating link: %+v", msgs[len(msgs)-1])
		}

		// pairing: a code typed on the tablet becomes its token
		if _, err := w.svc.StartPairing(ctx, w.actors["supervisor"], "x"); code(err) != errs.Forbidden {
			t.Fatalf("a supervisor paired a tablet: %v", err)
		}
		pair, err := w.svc.StartPairing(ctx, clerk, "1号窗口评价器")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.CompletePairing(ctx, "WRONG000", "t"); code(err) != errs.Invalid {
			t.Fatalf("a wrong code paired: %v", err)
		}
		token, dev, err := w.svc.CompletePairing(ctx, pair.Code, "t")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.CompletePairing(ctx, pair.Code, "t"); err == nil {
			t.Fatal("a code paired twice")
		}
		// another township's clerk cannot use the tablet, nor prompt for the case
		if _, err := w.svc.PromptRating(ctx, other, dev.ID, rating.Subject{CaseID: c.ID}); err == nil {
			t.Fatal("another township's clerk prompted the tablet")
		}
		p, err := w.svc.PromptRating(ctx, clerk, dev.ID, rating.Subject{CaseID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RateOnDevice(ctx, "d_forged", p.ID, service.RateInput{Level: 1}); code(err) != errs.Forbidden {
			t.Fatalf("a forged device rated: %v", err)
		}
		if _, err := w.svc.RateOnDevice(ctx, token, p.ID, service.RateInput{Level: 9}); code(err) != errs.Invalid {
			t.Fatalf("level 9: %v", err)
		}
		if _, err := w.svc.RateOnDevice(ctx, token, p.ID, service.RateInput{Level: 2, Indicators: map[string]rating.Level{"guide_accuracy": 1}}); code(err) != errs.Invalid {
			t.Fatalf("an online indicator on the tablet: %v", err)
		}
		bad, err := w.svc.RateOnDevice(ctx, token, p.ID, service.RateInput{Level: rating.VeryUnsatisfied,
			Indicators: map[string]rating.Level{"service_attitude": 5}, Text: "等了很久"})
		if err != nil {
			t.Fatal(err)
		}
		if bad.Channel != rating.Pad || bad.Township != w.targets["T1"].ID || bad.Staff != clerk.ID || !bad.Named {
			t.Fatalf("%+v", bad)
		}
		if _, err := w.svc.RateOnDevice(ctx, token, p.ID, service.RateInput{Level: 1}); code(err) != errs.Conflict {
			t.Fatalf("a prompt rated twice: %v", err)
		}
		p2, _ := w.svc.PromptRating(ctx, clerk, dev.ID, rating.Subject{CaseID: c.ID})
		if _, err := w.svc.RateOnDevice(ctx, token, p2.ID, service.RateInput{Level: 1}); code(err) != errs.Conflict {
			t.Fatalf("the case rated twice on the tablet: %v", err)
		}

		// online: the tracking page's link, then the same case by SMS is another channel
		link := w.svc.RateLink(c.ID)
		if _, err := w.svc.RateByLink(ctx, link+"x", false, service.RateInput{Level: 1}); err == nil {
			t.Fatal("a forged link rated")
		}
		if r, err := w.svc.RateByLink(ctx, link, true, service.RateInput{Level: 1, Indicators: map[string]rating.Level{"convenience": 2}}); err != nil || r.Channel != rating.Mobile {
			t.Fatalf("%+v %v", r, err)
		}
		if _, err := w.svc.RateByLink(ctx, link, true, service.RateInput{Level: 2}); code(err) != errs.Conflict {
			t.Fatalf("the case rated twice on mobile: %v", err)
		}
		// the QR code printed on the notice that ended the case: channel 二维码, once; a case still open has none
		qr := w.svc.RateQR(c)
		if qr == "" {
			t.Fatal("no QR link for a case to be rated")
		}
		if r, err := w.svc.RateByLink(ctx, qr, true, service.RateInput{Level: 2}); err != nil || r.Channel != rating.QR {
			t.Fatalf("by the QR code: %+v %v", r, err)
		}
		if _, err := w.svc.RateByLink(ctx, qr, false, service.RateInput{Level: 1}); code(err) != errs.Conflict {
			t.Fatalf("the case rated twice by QR code: %v", err)
		}
		if open := (cases.Case{ID: c.ID, State: cases.Accepted}); w.svc.RateQR(open) != "" {
			t.Fatal("a QR link for a case not yet decided")
		}
		// paper: staff type it in, marked; not another township's, not a reviewer
		if _, err := w.svc.EnterPaperRating(ctx, other, rating.Subject{CaseID: c.ID}, service.RateInput{Level: 2}, ""); code(err) != errs.Forbidden {
			t.Fatalf("another township typed in a paper rating: %v", err)
		}
		if _, err := w.svc.EnterPaperRating(ctx, w.actors["tianshan.reviewer"], rating.Subject{CaseID: c.ID}, service.RateInput{Level: 2}, ""); code(err) != errs.Forbidden {
			t.Fatalf("a reviewer typed in a paper rating: %v", err)
		}
		paper, err := w.svc.EnterPaperRating(ctx, clerk, rating.Subject{CaseID: c.ID}, service.RateInput{Level: 3}, "k1")
		if err != nil || paper.EnteredBy != clerk.ID || paper.Channel != rating.Paper {
			t.Fatalf("%+v %v", paper, err)
		}
		if again, err := w.svc.EnterPaperRating(ctx, clerk, rating.Subject{CaseID: c.ID}, service.RateInput{Level: 3}, "k1"); err != nil || again.ID != paper.ID {
			t.Fatalf("the same form twice: %+v %v", again, err)
		}
		// 电话: what the rater says on a 回访 call, typed in by who took it, marked; staff type in no other channel
		if _, err := w.svc.EnterStaffRating(ctx, clerk, rating.SMS, rating.Subject{CaseID: c.ID}, service.RateInput{Level: 1}, ""); code(err) != errs.Invalid {
			t.Fatalf("staff typed in an SMS rating: %v", err)
		}
		phoned, err := w.svc.EnterStaffRating(ctx, clerk, rating.Phone, rating.Subject{CaseID: c.ID}, service.RateInput{Level: 2, Indicators: map[string]rating.Level{"handling_efficiency": 2}}, "k2")
		if err != nil || phoned.Channel != rating.Phone || phoned.EnteredBy != clerk.ID {
			t.Fatalf("by phone: %+v %v", phoned, err)
		}
		if _, err := w.svc.EnterStaffRating(ctx, clerk, rating.Phone, rating.Subject{CaseID: c.ID}, service.RateInput{Level: 1}, "k3"); code(err) != errs.Conflict {
			t.Fatalf("the case rated twice by phone: %v", err)
		}

		// the rater is nobody's to read
		for name, a := range w.actors {
			if _, err := w.svc.Rater(ctx, a, bad.ID); code(err) != errs.Forbidden {
				t.Fatalf("%s read the rater: %v", name, err)
			}
		}
		d, err := w.svc.Rating(ctx, clerk, bad.ID)
		if err != nil || d.Rectification == nil || d.Rectification.Step != rating.Open || d.Rectification.Days != 5 {
			t.Fatalf("%+v %v", d, err)
		}
		if _, err := w.svc.Rating(ctx, other, bad.ID); code(err) != errs.Forbidden {
			t.Fatalf("another township read the rating: %v", err)
		}

		// rectification: 核实 (the rater told by Bianmin), 整改, 反馈 (with the 回访 link), 回访 by the rater
		x := *d.Rectification
		if _, err := w.svc.Rectify(ctx, other, x.ID, x.Version, rating.Verify, rating.Input{Note: "x"}, false); code(err) != errs.Forbidden {
			t.Fatalf("another township rectified: %v", err)
		}
		if _, err := w.svc.Rectify(ctx, clerk, x.ID, x.Version, rating.Rectify, rating.Input{Note: "x"}, false); code(err) != errs.Conflict {
			t.Fatalf("整改 before 核实: %v", err)
		}
		if _, err := w.svc.Rectify(ctx, clerk, x.ID, x.Version, rating.NoReach, rating.Input{}, false); err == nil {
			t.Fatal("a named rater's rectification closed without 回访")
		}
		before, _ := w.svc.Messages(ctx, c.ID)
		for _, step := range []struct {
			m    rating.Move
			note string
		}{{rating.Verify, "已电话联系，情况属实：高峰期排队40分钟"}, {rating.Rectify, "增开一个综合窗口，高峰期叫号提醒"}, {rating.Feedback, "已增开窗口，欢迎监督"}} {
			if x, err = w.svc.Rectify(ctx, clerk, x.ID, x.Version, step.m, rating.Input{Note: step.note}, true); err != nil {
				t.Fatalf("%s: %v", step.m, err)
			}
		}
		after, _ := w.svc.Messages(ctx, c.ID)
		if len(after) != len(before)+2 || !strings.Contains(after[len(after)-1].Body, "/revisit/") {
			t.Fatalf("messages to the rater: %+v", after[len(before):])
		}
		revisit := after[len(after)-1].Body[strings.Index(after[len(after)-1].Body, "/revisit/")+len("/revisit/"):]
		revisit = strings.Fields(revisit)[0]
		if _, err := w.svc.Rectify(ctx, clerk, x.ID, x.Version, rating.Revisit, rating.Input{Verdict: rating.VerdictSatisfied}, false); code(err) != errs.Forbidden {
			t.Fatalf("a clerk made the rater's 回访: %v", err)
		}
		if x, err = w.svc.Revisit(ctx, revisit, rating.VerdictBasic, ""); err != nil || x.Step != rating.Closed {
			t.Fatalf("%+v %v", x, err)
		}
		if _, err := w.svc.Revisit(ctx, revisit, rating.VerdictSatisfied, ""); code(err) != errs.Conflict {
			t.Fatalf("回访 twice: %v", err)
		}

		// figures equal a plain count; the appeal; the rating kept
		month := supervision.MonthOf(w.svc.Today(ctx)).Period()
		dash, err := w.svc.Dashboard(ctx, w.actors["supervisor"], service.DashboardQuery{Dim: supervision.Township, Period: month})
		if err != nil {
			t.Fatal(err)
		}
		got, want := dash.Ratings.ByValue[w.targets["T1"].ID], plainCounts(t, db, w.targets["T1"].ID)
		if got.Total != want.Total || got.Good != want.Good || got.Bad != want.Bad || got.Total != 5 || got.Bad != 1 || got.Rectified != 1 || got.Revisited != 1 || got.RevisitSatisfied != 1 {
			t.Fatalf("figures %+v, plain count %+v", got, want)
		}
		if dash.Ratings.ByChannel[rating.Pad].Bad != 1 || dash.Ratings.ByChannel[rating.Paper].Total != 1 {
			t.Fatalf("by channel: %+v", dash.Ratings.ByChannel)
		}
		if _, err := w.svc.FileAppeal(ctx, other, bad.ID, "恶意差评"); code(err) != errs.Forbidden {
			t.Fatalf("another township appealed: %v", err)
		}
		if _, err := w.svc.FileAppeal(ctx, clerk, bad.ID, ""); code(err) != errs.Invalid {
			t.Fatalf("an appeal without reasons: %v", err)
		}
		ap, err := w.svc.FileAppeal(ctx, clerk, bad.ID, "评价人当日未到窗口办理，系误评")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.FileAppeal(ctx, clerk, bad.ID, "again"); code(err) != errs.Conflict {
			t.Fatalf("appealed twice: %v", err)
		}
		for _, who := range []string{"tianshan.clerk", "tianshan.director", "shaogen.director"} {
			if _, err := w.svc.DecideAppeal(ctx, w.actors[who], ap.ID, rating.Upheld, "x"); code(err) != errs.Forbidden {
				t.Fatalf("%s decided an appeal: %v", who, err)
			}
		}
		if _, err := w.svc.DecideAppeal(ctx, w.actors["supervisor"], ap.ID, rating.Upheld, ""); code(err) != errs.Invalid {
			t.Fatalf("a decision without reasons: %v", err)
		}
		if ap, err = w.svc.DecideAppeal(ctx, w.actors["supervisor"], ap.ID, rating.Upheld, "经调取叫号记录核实，评价人当日无办件"); err != nil || ap.Decision != rating.Upheld {
			t.Fatalf("%+v %v", ap, err)
		}
		dash, _ = w.svc.Dashboard(ctx, w.actors["supervisor"], service.DashboardQuery{Dim: supervision.Township, Period: month})
		got, want = dash.Ratings.ByValue[w.targets["T1"].ID], plainCounts(t, db, w.targets["T1"].ID)
		if got.Total != want.Total || got.Total != 4 || got.Bad != 0 || got.Excluded != 1 {
			t.Fatalf("after the appeal: %+v, plain %+v", got, want)
		}
		if err := db.ExecRaw(ctx, `DELETE FROM ratings WHERE id = ?`, bad.ID); err == nil {
			t.Fatal("a rating was deleted")
		}
		if err := db.ExecRaw(ctx, `UPDATE ratings SET level = 1 WHERE id = ?`, bad.ID); err == nil {
			t.Fatal("a rating was edited")
		}
		if r, _ := db.Rating(ctx, bad.ID); r.Level != rating.VeryUnsatisfied || !r.Excluded {
			t.Fatalf("%+v", r)
		}
		// the export carries 表9's fields and never the rater
		var rows []service.Table9Row
		if err := w.svc.ExportRatings(ctx, w.actors["supervisor"], month, func(r []service.Table9Row) error { rows = append(rows, r...); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 || rows[2].Channel != "二维码" || rows[0].Rater != "" || rows[0].CaseNo != c.No || rows[0].Channel != "政务大厅平板电脑" || rows[0].LevelCode != 5 || !rows[0].Excluded {
			t.Fatalf("%+v", rows)
		}
		if err := w.svc.ExportRatings(ctx, w.actors["minzheng"], month, func([]service.Table9Row) error { return nil }); code(err) != errs.Forbidden {
			t.Fatalf("a department exported ratings: %v", err)
		}
	})
}

// 首问 and 一次告知: the first person asked owns an enquiry until it is answered or handed over; nobody else
// answers it; another township cannot read it; it becomes a case and is linked; the register pages by keyset.
func TestEnquiryRegister(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk, director, other := w.actors["tianshan.clerk"], w.actors["tianshan.director"], w.actors["shaogen.clerk"]
		if _, err := w.svc.RecordEnquiry(ctx, clerk, service.EnquiryInput{AskerPhone: "abc"}, ""); code(err) != errs.Invalid || len(errs.All(err)) != 2 {
			t.Fatalf("no question and a bad phone: %v", err)
		}
		if _, err := w.svc.RecordEnquiry(ctx, w.actors["tianshan.reviewer"], service.EnquiryInput{Question: "q"}, ""); code(err) != errs.Forbidden {
			t.Fatalf("a reviewer recorded an enquiry: %v", err)
		}
		e, err := w.svc.RecordEnquiry(ctx, clerk, service.EnquiryInput{ItemID: dibaoItem(t, w), AskerName: "其其格", AskerPhone: "13800001234",
			IDNumber: idFor(901), Question: "办低保要带什么？"}, "idem-1")
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := w.svc.RecordEnquiry(ctx, clerk, service.EnquiryInput{ItemID: dibaoItem(t, w), AskerName: "其其格", AskerPhone: "13800001234",
			IDNumber: idFor(901), Question: "办低保要带什么？"}, "idem-1"); again.ID != e.ID {
			t.Fatal("the same submission made two enquiries")
		}
		if e.Owner != clerk.ID || e.State != "open" || e.ApplicantID == "" {
			t.Fatalf("%+v", e)
		}
		if _, err := w.svc.Enquiry(ctx, other, e.ID); code(err) != errs.Forbidden {
			t.Fatalf("another township read the enquiry: %v", err)
		}
		if _, err := w.svc.AnswerEnquiry(ctx, director, e.ID, e.Version, "x"); code(err) != errs.Forbidden {
			t.Fatalf("not the owner answered: %v", err)
		}
		if _, err := w.svc.HandOverEnquiry(ctx, clerk, e.ID, e.Version, w.actors["shaogen.director"].ID, "x"); code(err) != errs.Invalid {
			t.Fatalf("handed to another township: %v", err)
		}
		if e, err = w.svc.HandOverEnquiry(ctx, clerk, e.ID, e.Version, director.ID, "需核实户籍情况"); err != nil || e.Owner != director.ID || len(e.Handovers) != 1 {
			t.Fatalf("%+v %v", e, err)
		}
		if _, err := w.svc.AnswerEnquiry(ctx, clerk, e.ID, e.Version, "x"); code(err) != errs.Forbidden {
			t.Fatalf("the former owner answered: %v", err)
		}
		open, _ := w.svc.OpenEnquiriesOf(ctx, clerk, e.ApplicantID)
		if len(open) != 1 || strings.Contains(open[0].AskerPhone, "00001") {
			t.Fatalf("open enquiries at intake: %+v", open)
		}
		n, err := w.svc.EnquiryNotice(ctx, clerk, e.ID)
		if err != nil || len(n.Item.Materials) == 0 {
			t.Fatalf("%+v %v", n, err)
		}
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: e.ApplicantID}, "")
		if err != nil {
			t.Fatal(err)
		}
		if e, err = w.svc.LinkEnquiryCase(ctx, director, e.ID, e.Version, c.No); err != nil || e.CaseID != c.ID || e.State != "answered" {
			t.Fatalf("%+v %v", e, err)
		}
		for i := range 5 {
			if _, err := w.svc.RecordEnquiry(ctx, clerk, service.EnquiryInput{Question: "问题" + string(rune('A'+i)), Told: "已答复"}, ""); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{}
		cur := ""
		for {
			page, err := w.svc.FindEnquiries(ctx, clerk, service.EnquiryFind{Cursor: cur, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range page.List {
				if seen[x.ID] {
					t.Fatal("a page repeated an enquiry")
				}
				seen[x.ID] = true
			}
			if cur = page.Next; cur == "" {
				break
			}
		}
		if len(seen) != 6 {
			t.Fatalf("paged %d of 6", len(seen))
		}
		if page, _ := w.svc.FindEnquiries(ctx, clerk, service.EnquiryFind{Q: "低保"}); len(page.List) != 1 {
			t.Fatalf("search: %+v", page.List)
		}
		if page, _ := w.svc.FindEnquiries(ctx, other, service.EnquiryFind{}); len(page.List) != 0 {
			t.Fatalf("another township listed %d", len(page.List))
		}
	})
}

// Scope on both databases: a stranger (no role), a department, a village agent of the same township and
// another township's director are refused the township's ratings and register; the banner's supervisor reads
// them.
func TestRatingScope(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c := deliveredCase(t, w)
		rt, err := w.svc.EnterPaperRating(ctx, w.actors["tianshan.director"], rating.Subject{CaseID: c.ID}, service.RateInput{Level: 4}, "")
		if err != nil {
			t.Fatal(err)
		}
		stranger := access.Actor{ID: "x", Name: "x", OrgID: w.targets["T1"].ID, OrgPath: w.targets["T1"].Path}
		for name, a := range map[string]access.Actor{"stranger": stranger, "department": w.actors["minzheng"], "agent": w.actors["yangshulin.agent"], "other": w.actors["shaogen.director"]} {
			if _, err := w.svc.Rating(ctx, a, rt.ID); code(err) != errs.Forbidden {
				t.Errorf("%s read the rating: %v", name, err)
			}
			if _, err := w.svc.FileAppeal(ctx, a, rt.ID, "x"); code(err) != errs.Forbidden {
				t.Errorf("%s appealed: %v", name, err)
			}
			if _, err := w.svc.Rater(ctx, a, rt.ID); code(err) != errs.Forbidden {
				t.Errorf("%s read the rater: %v", name, err)
			}
		}
		for name, a := range map[string]access.Actor{"stranger": stranger, "department": w.actors["minzheng"]} {
			if _, err := w.svc.FindRatings(ctx, a, service.RatingFind{}); code(err) != errs.Forbidden {
				t.Errorf("%s listed ratings: %v", name, err)
			}
			if _, err := w.svc.RecordEnquiry(ctx, a, service.EnquiryInput{Question: "q"}, ""); code(err) != errs.Forbidden {
				t.Errorf("%s recorded an enquiry: %v", name, err)
			}
		}
		if page, err := w.svc.FindRatings(ctx, w.actors["shaogen.director"], service.RatingFind{}); err != nil || len(page.List) != 0 {
			t.Fatalf("another township listed %d: %v", len(page.List), err)
		}
		if page, err := w.svc.FindRatings(ctx, w.actors["supervisor"], service.RatingFind{Bad: true}); err != nil || len(page.List) != 1 {
			t.Fatalf("the supervisor: %+v %v", page, err)
		}
	})
}
