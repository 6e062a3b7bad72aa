package service_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// windowOf is a window of a township's center.
func windowOf(t *testing.T, db *store.DB, township org.Org) org.Org {
	t.Helper()
	list, err := db.Subtree(ctx, township.Path, org.Window)
	if err != nil || len(list) == 0 {
		t.Fatalf("no window under %s: %v", township.NameZh, err)
	}
	return list[0]
}

// The complaint register on both databases: a phone call typed in at 天山镇 about its window goes to 天山镇,
// an anonymous online complaint about the 低保 item to 民政局 (谁办理、谁负责); only the responsible body extends
// and answers it, once each; the complainant is told by SMS and rates the answer through the link; staff never
// read the complainant; refusals write nothing.
func TestComplaintRegister(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk, dir := w.actors["tianshan.clerk"], w.actors["tianshan.director"]
		win := windowOf(t, db, w.targets["T1"])
		db.Now = func() time.Time { return time.Date(2026, 3, 6, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) } // a Friday

		// bad input names the fields and stores nothing
		if _, err := w.svc.FileComplaint(ctx, clerk, service.ComplaintInput{Channel: complaint.Phone, About: complaint.AboutWindow, Phone: "call me"}, ""); !hasFields(err, "window", "complaint", "phone") {
			t.Fatalf("bad input: %v %+v", err, errs.All(err))
		}
		c, err := w.svc.FileComplaint(ctx, clerk, service.ComplaintInput{Channel: complaint.Phone, About: complaint.AboutWindow, WindowID: win.ID,
			Body: "窗口人员中午提前离岗", Name: "某居民", Phone: "13900009999"}, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := w.svc.FileComplaint(ctx, clerk, service.ComplaintInput{Channel: complaint.Phone, About: complaint.AboutWindow, WindowID: win.ID,
			Body: "窗口人员中午提前离岗", Name: "某居民", Phone: "13900009999"}, "k1"); err != nil || again.ID != c.ID {
			t.Fatalf("a retried form made another complaint: %v", err)
		}
		if c.Responsible != w.targets["T1"].ID || c.Days != 5 || c.DueOn.String() != "2026-03-13" || c.Anonymous {
			t.Fatalf("routed %+v", c)
		}
		if msgs, _ := w.svc.AccountMessages(ctx, "13900009999"); len(msgs) != 1 || !strings.Contains(msgs[0].Body, "2026-03-13") {
			t.Fatalf("the complainant was not told the deadline: %+v", msgs)
		}
		anon, err := w.svc.FileComplaintOnline(ctx, nil, service.ComplaintInput{About: complaint.AboutItem, ItemID: dibaoItem(t, w), Body: "材料要求太多"}, "", "10.0.0.1")
		if err != nil || !anon.Anonymous || anon.ResponsibleName != "民政局" {
			t.Fatalf("anonymous online: %+v %v", anon, err)
		}
		if _, err := w.svc.FileComplaintOnline(ctx, nil, service.ComplaintInput{About: complaint.AboutStaff, StaffID: clerk.ID, Body: "x"}, "", "10.0.0.1"); !hasFields(err, "complaint_about") {
			t.Fatalf("online about a person: %v", err)
		}

		// refusals: another township, a clerk (no answer), a supervisor (reads only); none writes anything
		before, _ := db.CountAudit(ctx)
		for user, fn := range map[string]func(access.Actor) error{
			"shaogen.director": func(a access.Actor) error { _, err := w.svc.AnswerComplaint(ctx, a, c.ID, c.Version, "x"); return err },
			"tianshan.clerk":   func(a access.Actor) error { _, err := w.svc.AnswerComplaint(ctx, a, c.ID, c.Version, "x"); return err },
			"supervisor": func(a access.Actor) error {
				_, err := w.svc.ExtendComplaint(ctx, a, c.ID, c.Version, 2, "x")
				return err
			},
			"minzheng":      func(a access.Actor) error { _, err := w.svc.AnswerComplaint(ctx, a, c.ID, c.Version, "x"); return err },
			"shaogen.clerk": func(a access.Actor) error { _, err := w.svc.Complaint(ctx, a, c.ID); return err },
			"tianshan.reviewer": func(a access.Actor) error {
				_, err := w.svc.FileComplaint(ctx, a, service.ComplaintInput{About: complaint.AboutService, Body: "x"}, "")
				return err
			},
		} {
			if err := fn(w.actors[user]); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s: want forbidden, got %v", user, err)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refusals wrote %d audit entries", after-before)
		}
		if _, err := w.svc.Complaint(ctx, w.actors["supervisor"], c.ID); err != nil {
			t.Errorf("the supervisor reads: %v", err)
		}
		if _, err := w.svc.Complaint(ctx, w.actors["minzheng"], anon.ID); err != nil {
			t.Errorf("民政局 reads its own: %v", err)
		}

		// the director extends once (reasons), then answers late: the card stays red, 超期天数 counted
		if _, err := w.svc.ExtendComplaint(ctx, dir, c.ID, c.Version, 2, ""); !hasFields(err, "reason") {
			t.Fatalf("an extension without reasons: %v", err)
		}
		c, err = w.svc.ExtendComplaint(ctx, dir, c.ID, c.Version, 2, "需调取监控核实")
		if err != nil || c.DueOn.String() != "2026-03-17" {
			t.Fatalf("extended: %+v %v", c, err)
		}
		db.Now = func() time.Time { return time.Date(2026, 3, 19, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
		if v, _ := w.svc.Complaint(ctx, dir, c.ID); v.Card != "red" || v.OverdueDays != 2 || !v.CanAnswer {
			t.Fatalf("overdue: %+v", v)
		}
		if l, err := w.svc.FindComplaints(ctx, dir, service.ComplaintFind{Overdue: true}); err != nil || len(l.List) != 1 || l.List[0].ID != c.ID {
			t.Fatalf("the overdue list: %+v %v", l, err)
		}
		if _, err := w.svc.AnswerComplaint(ctx, dir, c.ID, c.Version-1, "x"); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("a stale version: %v", err)
		}
		c, err = w.svc.AnswerComplaint(ctx, dir, c.ID, c.Version, "已核实，对该窗口人员批评教育并调整午间轮岗")
		if err != nil || !c.Late() {
			t.Fatalf("answered: %+v %v", c, err)
		}
		msgs, _ := w.svc.AccountMessages(ctx, "13900009999")
		last := msgs[len(msgs)-1].Body
		i := strings.Index(last, "/complaint-answer/")
		if i < 0 {
			t.Fatalf("no link in %q", last)
		}
		token := strings.Fields(last[i+len("/complaint-answer/"):])[0]
		token = strings.TrimRight(token, "。，")
		if _, err := w.svc.RateComplaintAnswer(ctx, token+"x", complaint.Satisfied); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("a forged link: %v", err)
		}
		if c, err = w.svc.RateComplaintAnswer(ctx, token, complaint.Basic); err != nil || c.State != complaint.Closed {
			t.Fatalf("rated: %+v %v", c, err)
		}
		if _, err := w.svc.RateComplaintAnswer(ctx, token, complaint.Unsatisfied); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("rated twice: %v", err)
		}

		// figures and the GB/T 39046 6.7 export; nothing of the complainant in either, nor in the audit trail
		from, to, _ := w.svc.MonthRange(ctx, "2026-03")
		f, err := w.svc.ComplaintFigures(ctx, w.actors["admin"], from, to)
		if err != nil || f.Received != 2 || f.Answered != 1 || f.Late != 1 || f.OpenOverdue != 1 || f.Rated != 1 || f.Satisfied != 1 {
			t.Fatalf("figures %+v %v", f, err)
		}
		// the month's public report of the banner carries the same counts, and the empty seats' line
		banner, _ := db.OrgByCode(ctx, "150421")
		if err := w.svc.MakeReports(ctx, banner, supervision.Month{Y: 2026, M: 3}); err != nil {
			t.Fatal(err)
		}
		stored, err := db.ReportOf(ctx, "2026-03", banner.ID)
		var rep service.Report
		if err == nil {
			err = json.Unmarshal([]byte(stored.Doc), &rep)
		}
		if err != nil || rep.Complaints == nil || *rep.Complaints != f || rep.EmptySeats == nil || *rep.EmptySeats != 0 {
			t.Fatalf("the report's complaints %+v (figures %+v), empty seats %v: %v", rep.Complaints, f, rep.EmptySeats, err)
		}
		rows, err := w.svc.ExportComplaints(ctx, w.actors["admin"], from, to)
		if err != nil || len(rows) != 2 {
			t.Fatalf("export %v %v", rows, err)
		}
		for _, r := range rows {
			if r.ID == c.ID && (r.PromiseDays != 5 || r.ExtendDays != 2 || r.OverdueDays != 2 || r.Verdict != "basic" || r.Dept != "天山镇") {
				t.Errorf("row %+v", r)
			}
		}
		// a 差评 becomes a complaint about its case, routed to the township that handled it
		db.Now = func() time.Time { return time.Date(2026, 3, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
		dc := deliveredCase(t, w)
		bad, err := w.svc.EnterPaperRating(ctx, clerk, rating.Subject{CaseID: dc.ID}, service.RateInput{Level: 5, Indicators: map[string]rating.Level{"service_attitude": 5}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.FileComplaint(ctx, w.actors["shaogen.clerk"], service.ComplaintInput{Channel: complaint.Rating, RatingID: bad.ID, About: complaint.AboutCase, Body: "x"}, ""); !hasFields(err, "rating_id") {
			t.Errorf("another township's 差评: %v", err)
		}
		fromRating, err := w.svc.FileComplaint(ctx, clerk, service.ComplaintInput{Channel: complaint.Rating, RatingID: bad.ID, About: complaint.AboutCase, Body: "评价时反映办理太慢"}, "")
		if err != nil || fromRating.RatingID != bad.ID || fromRating.CaseNo != dc.No || fromRating.Responsible != dc.Handling {
			t.Fatalf("from a rating: %+v %v", fromRating, err)
		}
		// read as stored, unpacked: SQL cannot search packed JSON
		entries, err := db.QueryRaw(ctx, `SELECT before_json, after_json FROM audit_log`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for entries.Next() {
			var before, after []byte
			if err := entries.Scan(&before, &after); err != nil {
				t.Fatal(err)
			}
			for _, b := range [][]byte{before, after} {
				if s, err := store.UnpackJSON(b); err != nil || strings.Contains(s, "13900009999") || strings.Contains(s, "某居民") {
					n++
				}
			}
		}
		entries.Close()
		if err := entries.Err(); err != nil || n != 0 {
			t.Errorf("the audit trail names the complainant %d times: %v", n, err)
		}
	})
}

// hasFields reports an invalid-input error naming exactly these fields.
func hasFields(err error, fields ...string) bool {
	all := errs.All(err)
	if errs.CodeOf(err) != errs.Invalid || len(all) != len(fields) {
		return false
	}
	for i, e := range all {
		if e.Field != fields[i] {
			return false
		}
	}
	return true
}

// The complaint form on the portal needs no account, so it is bounded by what it can cost others: a few
// complaints an hour from one address (people.OnlineComplaintsPerHour), a few receipts an hour to one phone
// (people.UnaskedPerHour: the complaints stand, their receipts stop), and a form sent twice without its key
// is still one complaint.
func TestOnlineComplaintsAreBounded(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		file := func(body, phone, key, client string) (complaint.Complaint, error) {
			return w.svc.FileComplaintOnline(ctx, nil, service.ComplaintInput{About: complaint.AboutItem, ItemID: item, Body: body, Name: "某人", Phone: phone}, key, client)
		}
		const victim = "13900001111"
		var ids []string
		typed := []string{victim, "139 0000 1111", "+86 139-0000-1111", "13900001111", "139-0000-1111"} // one phone, typed five ways
		for i := range people.OnlineComplaintsPerHour {
			c, err := file(fmt.Sprintf("第%d次：材料要求太多", i), typed[i%len(typed)], "", fmt.Sprintf("10.0.3.%d", i))
			if err != nil {
				t.Fatalf("complaint %d: %v", i, err)
			}
			ids = append(ids, c.ID)
		}
		sent := 0
		for _, p := range slices.Compact(slices.Sorted(slices.Values(typed))) {
			msgs, _ := w.svc.AccountMessages(ctx, p)
			sent += len(msgs)
		}
		if sent != people.UnaskedPerHour {
			t.Fatalf("receipts to one phone: %d, want %d", sent, people.UnaskedPerHour)
		}
		for _, id := range ids {
			if _, err := db.Complaint(ctx, id); err != nil {
				t.Fatalf("a complaint without its receipt was lost: %v", err)
			}
		}

		// one address: the same words again without a key are the first complaint (and count once); the limit
		// then refuses the complaint past it
		first, err := file("窗口中午无人", "", "", "10.0.4.1")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := file("窗口中午无人", "", "", "10.0.4.1"); err != nil || again.ID != first.ID {
			t.Fatalf("the same form again without a key: %v %s %s", err, again.ID, first.ID)
		}
		// a form sent back for a missing field is no complaint and does not count
		if _, err := file("", "", "", "10.0.4.1"); !hasFields(err, "complaint") {
			t.Fatalf("an empty complaint: %v", err)
		}
		// the address is counted in the database, not in an instance: complaints sent to two instances (two
		// services on one database) count together
		other := testkit.Service(t, db)
		fileTo := func(svc *service.Service, body string) (complaint.Complaint, error) {
			return svc.FileComplaintOnline(ctx, nil, service.ComplaintInput{About: complaint.AboutItem, ItemID: item, Body: body, Name: "某人"}, "", "10.0.4.1")
		}
		for i := 1; i < people.OnlineComplaintsPerHour; i++ {
			if _, err := fileTo([]*service.Service{w.svc, other}[i%2], fmt.Sprintf("第%d件事", i)); err != nil {
				t.Fatalf("complaint %d from one address: %v", i, err)
			}
		}
		before, _ := db.CountAudit(ctx)
		_, err = fileTo(other, "再投诉一次")
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Locked || e.Key != "err.complaint.throttled" {
			t.Fatalf("one complaint too many from an address: %v", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Fatal("the refused complaint wrote something")
		}
		// the same words from the same address a day later are a complaint of their own, past the hour
		now := db.Now()
		db.Now = func() time.Time { return now.Add(24 * time.Hour) }
		if later, err := file("窗口中午无人", "", "", "10.0.4.2"); err != nil || later.ID == first.ID {
			t.Fatalf("the same words a day later: %v", err)
		}
		if later, err := file("窗口中午无人", "", "", "10.0.4.1"); err != nil || later.ID == first.ID {
			t.Fatalf("the same words from the same address a day later: %v", err)
		}
		db.Now = func() time.Time { return now }

		// sent together to two instances, twelve complaints from one address file the limit's five
		var filed atomic.Int64
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Go(func() {
				svc := []*service.Service{w.svc, other}[i%2]
				if _, err := svc.FileComplaintOnline(ctx, nil, service.ComplaintInput{About: complaint.AboutItem, ItemID: item, Body: fmt.Sprintf("一起第%d件", i), Name: "某人"}, "", "10.0.5.1"); err == nil {
					filed.Add(1)
				} else if errs.CodeOf(err) != errs.Locked {
					t.Errorf("complaint %d sent together: %v", i, err)
				}
			})
		}
		wg.Wait()
		if filed.Load() != people.OnlineComplaintsPerHour {
			t.Fatalf("sent together from one address: %d filed, want %d", filed.Load(), people.OnlineComplaintsPerHour)
		}
	})
}
