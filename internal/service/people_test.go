package service_test

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/org"
	"bianmin/internal/oversight"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// hallPeople is 天山镇's center, its front windows and back-office seat, and two more of its people.
type hallPeople struct {
	center         org.Org
	front          []org.Org
	back           org.Org
	clerk2, rev2   access.Actor
	clerk, rev     access.Actor
	director, away access.Actor // away: another township's director
}

func setUpHall(t *testing.T, w *world) hallPeople {
	t.Helper()
	c, ok, err := w.svc.CenterOf(ctx, w.targets["T1"])
	if err != nil || !ok {
		t.Fatal(err)
	}
	h := hallPeople{center: c, clerk: w.actors["tianshan.clerk"], rev: w.actors["tianshan.reviewer"], director: w.actors["tianshan.director"], away: w.actors["shaogen.director"]}
	kids, _ := w.db.Children(ctx, c.ID)
	for _, k := range kids {
		switch {
		case k.Kind == org.Window && k.Desk == org.FrontDesk:
			h.front = append(h.front, k)
		case k.Kind == org.Window:
			h.back = k
		}
	}
	mk := func(user, role string) access.Actor {
		st, err := w.svc.CreateStaff(ctx, access.System, service.StaffInput{Username: user, Name: user, Role: role, OrgID: w.targets["T1"].ID, Password: "Bianmin-2026-x"})
		if err != nil {
			t.Fatal(err)
		}
		return st.Actor()
	}
	h.clerk2, h.rev2 = mk("tianshan.clerk2", "clerk"), mk("tianshan.reviewer2", "reviewer")
	fronts := []string{h.front[0].ID, h.front[1].ID}
	for _, x := range []struct {
		a       access.Actor
		seats   []string
		domains []string
	}{{h.clerk, fronts, nil}, {h.clerk2, fronts, nil}, {h.rev, []string{h.back.ID}, []string{"民政"}}, {h.rev2, []string{h.back.ID}, []string{"民政", "医保"}}} {
		r, _ := w.db.StaffRecord(ctx, x.a.ID)
		if _, err := w.svc.EditStaff(ctx, h.director, x.a.ID, service.StaffEdit{Version: r.Version, Name: r.Name, Role: string(r.Role), Seats: x.seats, Domains: x.domains, Title: "科员", StaffNo: "TS-" + r.Username[9:]}); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func at(w *world, s string) {
	loc := time.FixedZone("CST", 8*3600)
	tm, _ := time.ParseInLocation("2006-01-02 15:04", s, loc)
	w.db.Now = func() time.Time { return tm }
}

// The people of the hall (三.(一).5): records, a week's roster, leave refused without a substitute and
// approved with one, the coverage page showing the substitute, an absence without leave raising the alert,
// attendance read only by those who may, recusal refusing a move and the hand-over before a deactivation.
func TestPeopleOfTheHall(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer func() { db.Now = time.Now }()
		w := demoWorld(t, db)
		at(w, "2026-12-04 10:00") // a Friday
		h := setUpHall(t, w)

		// records: only the township's director (or an administrator) edits; the version guards a second edit
		r, _ := db.StaffRecord(ctx, h.clerk.ID)
		if r.Title != "科员" || len(r.Seats) != 2 {
			t.Fatalf("record %+v", r)
		}
		edit := service.StaffEdit{Version: r.Version, Name: r.Name, Role: "clerk", Seats: r.Seats}
		if _, err := w.svc.EditStaff(ctx, h.away, h.clerk.ID, edit); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's director edited: %v", err)
		}
		if _, err := w.svc.EditStaff(ctx, h.clerk, h.clerk2.ID, edit); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a clerk edited a colleague: %v", err)
		}
		edit.Version--
		if _, err := w.svc.EditStaff(ctx, h.director, h.clerk.ID, edit); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a stale edit: %v", err)
		}
		edit.Version, edit.Role = r.Version, "admin"
		if _, err := w.svc.EditStaff(ctx, h.director, h.clerk.ID, edit); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a director made an administrator: %v", err)
		}

		// the roster of next week: the clerk at window one, the reviewer in the back office
		mon := clock.MustDate("2026-12-07")
		var week []roster.Entry
		for i := 0; i < 5; i++ {
			for _, half := range roster.Halves {
				week = append(week, roster.Entry{Day: mon.AddDays(i), Half: half, Seat: h.front[0].ID, Staff: h.clerk.ID},
					roster.Entry{Day: mon.AddDays(i), Half: half, Seat: h.back.ID, Staff: h.rev.ID})
			}
		}
		for _, who := range []access.Actor{h.away, h.clerk} {
			if err := w.svc.SaveRoster(ctx, who, h.center.ID, mon, week); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s made the roster: %v", who.Name, err)
			}
		}
		bad := append(append([]roster.Entry{}, week...), roster.Entry{Day: mon, Half: roster.AM, Seat: h.back.ID, Staff: h.clerk2.ID})
		if err := w.svc.SaveRoster(ctx, h.director, h.center.ID, mon, bad[len(bad)-1:]); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a clerk in the back office: %v", err)
		}
		if err := w.svc.SaveRoster(ctx, h.director, h.center.ID, mon, week); err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.CopyRoster(ctx, h.director, h.center.ID, mon, mon.AddDays(7)); err != nil || n != 20 {
			t.Fatalf("copy: %d %v", n, err)
		}
		wk, err := w.svc.Roster(ctx, h.clerk, h.center.ID, mon.AddDays(8))
		if err != nil || wk.At[service.Key(h.front[0].ID, mon.AddDays(8), roster.PM)] != h.clerk.ID || wk.Editable {
			t.Fatalf("the copied week as the clerk reads it: %v %v", err, wk.Editable)
		}

		// leave: refused without a substitute, then with one the director approves
		tue := mon.AddDays(1)
		in := roster.LeaveInput{From: tue.String(), To: tue.String(), Reason: "家中有事"}
		if _, err := w.svc.RequestLeave(ctx, h.clerk, in, ""); errs.CodeOf(err) != errs.Invalid || errs.All(err)[0].Field != "substitute" {
			t.Fatalf("leave without a substitute: %v", err)
		}
		in.Substitute = h.rev2.ID
		if _, err := w.svc.RequestLeave(ctx, h.clerk, in, ""); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("a reviewer covering a window: %v", err)
		}
		in.Substitute = h.clerk2.ID
		l, err := w.svc.RequestLeave(ctx, h.clerk, in, "k1")
		if err != nil || l.State != roster.Requested {
			t.Fatalf("leave: %+v %v", l, err)
		}
		if again, _ := w.svc.RequestLeave(ctx, h.clerk, in, "k1"); again.ID != l.ID {
			t.Error("a resent request made a second leave")
		}
		for _, who := range []access.Actor{h.away, h.clerk, h.clerk2} {
			if _, err := w.svc.DecideLeave(ctx, who, l.ID, l.Version, true, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s approved: %v", who.Name, err)
			}
		}
		if l, err = w.svc.DecideLeave(ctx, h.director, l.ID, l.Version, true, ""); err != nil || l.State != roster.Approved {
			t.Fatalf("approve: %+v %v", l, err)
		}
		// the substitute is now taken on Tuesday: the reviewer's leave cannot name them, nor anyone else unqualified
		if _, err := w.svc.RequestLeave(ctx, h.rev, roster.LeaveInput{From: tue.String(), To: tue.String(), Reason: "病假", Substitute: h.clerk2.ID}, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a clerk backing up the back office: %v", err)
		}

		// Tuesday 09:00: the substitute signs in, the reviewer does not
		at(w, "2026-12-08 09:00")
		if err := w.svc.SignIn(ctx, h.clerk2, "10.0.0.7"); err != nil {
			t.Fatal(err)
		}
		// the supervision job's sweep raises the alerts with nobody looking at the coverage page
		if err := w.svc.SweepCoverage(ctx); err != nil {
			t.Fatal(err)
		}
		if swept, err := w.svc.DB.Alerts(ctx, h.center.Path, clock.MustDate("2000-01-01"), clock.MustDate("2100-01-01"), 200); err != nil || len(swept) != 3 {
			t.Errorf("the sweep raised %d alerts, want 3: %v", len(swept), err)
		}
		if _, err := w.svc.HallCoverage(ctx, h.clerk, h.center.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a clerk read the coverage: %v", err)
		}
		if _, err := w.svc.HallCoverage(ctx, h.away, h.center.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's director read the coverage: %v", err)
		}
		cov, err := w.svc.HallCoverage(ctx, h.director, h.center.ID)
		if err != nil || !cov.Open {
			t.Fatalf("coverage: %v %+v", err, cov)
		}
		states := map[string]roster.SeatNow{}
		for _, x := range cov.Seats {
			states[x.Seat.ID] = x
		}
		if x := states[h.front[0].ID]; x.State != roster.Covered || x.Sitting != h.clerk2.ID {
			t.Errorf("window one: %+v", x)
		}
		if x := states[h.back.ID]; x.State != roster.Absent {
			t.Errorf("the back office: %+v", x)
		}
		if len(cov.Alerts) != 3 { // the absent reviewer, and window two and the issue window rostered to nobody
			t.Errorf("alerts: %+v", cov.Alerts)
		}
		again, _ := w.svc.HallCoverage(ctx, w.actors["supervisor"], h.center.ID)
		if len(again.Alerts) != 3 {
			t.Errorf("an alert raised twice: %d", len(again.Alerts))
		}
		lines, err := w.svc.BannerCoverage(ctx, w.actors["supervisor"])
		if err != nil || len(lines) < 2 {
			t.Fatalf("banner coverage: %v", err)
		}
		for _, l := range lines {
			if l.Center.ID == h.center.ID && (l.Month != 3 || l.Covered != 1 || l.Absent != 1) {
				t.Errorf("天山镇 in the banner's view: %+v", l)
			}
		}

		// attendance: one's own, or others' for the director; never a colleague's
		if _, _, err := w.svc.AttendanceMonth(ctx, h.clerk, h.clerk2.ID, tue); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a clerk read a colleague's attendance: %v", err)
		}
		if _, _, err := w.svc.AttendanceMonth(ctx, h.away, h.clerk2.ID, tue); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's director read the attendance: %v", err)
		}
		_, days, err := w.svc.AttendanceMonth(ctx, h.director, h.rev.ID, tue)
		if err != nil || days[7].Mark != roster.AbsentNL || days[6].Mark != roster.AbsentNL || days[8].Mark != roster.Pending {
			t.Fatalf("the reviewer's month: %v %+v", err, days[6:9])
		}
		_, days, _ = w.svc.AttendanceMonth(ctx, h.clerk, h.clerk.ID, tue)
		if days[7].Mark != roster.OnLeave {
			t.Errorf("the clerk on leave: %s", days[7].Mark)
		}
		figs, err := w.svc.PeopleFigures(ctx, h.director, w.targets["T1"].ID, supervision.MonthOf(tue))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			switch f.Rec.ID {
			case h.clerk.ID:
				if f.Leave != 1 || f.Absent != 1 { // Monday not signed in, Tuesday on leave
					t.Errorf("the clerk's month: %+v", f)
				}
			case h.rev.ID:
				if f.Absent != 2 {
					t.Errorf("the reviewer's month: %+v", f)
				}
			}
		}

		// 回避: the reviewer declares the applicant a relative, and is refused a move on their case
		c := acceptedDibao(t, w)
		a, _ := db.Applicant(ctx, c.ApplicantID)
		if _, err := w.svc.Declare(ctx, h.rev, roster.DeclarationInput{Relation: "family", Number: a.IDNumber, Name: a.Name, Note: "表兄"}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountAudit(ctx)
		if _, err := w.svc.Act(ctx, h.rev, c.ID, c.Version, cases.Claim, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a recused reviewer claimed: %v", err)
		}
		if after, _ := db.CountAudit(ctx); after != before+1 {
			t.Errorf("the refusal wrote %d audit entries", after-before)
		}
		c, err = w.svc.Act(ctx, h.rev2, c.ID, c.Version, cases.Claim, cases.Input{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(ctx, h.director, c.ID, c.Version, cases.Assign, cases.Input{Assignee: h.rev.ID}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a case given to a recused reviewer: %v", err)
		}

		// deactivation waits for the hand-over of the open work
		r2, _ := db.StaffRecord(ctx, h.rev2.ID)
		if err := w.svc.SetStaffActive(ctx, h.director, h.rev2.ID, r2.Version, false); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("deactivated with open work: %v", err)
		}
		if work, _ := w.svc.OpenWorkOf(ctx, h.director, h.rev2.ID); len(work.Cases) != 1 {
			t.Fatalf("open work: %d", len(work.Cases))
		}
		if _, err := w.svc.HandOverWork(ctx, h.director, h.rev2.ID, h.rev.ID); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("handed over to a recused reviewer: %v", err)
		}
		if n, err := w.svc.HandOverWork(ctx, h.director, h.rev2.ID, h.director.ID); err != nil || n != 1 {
			t.Fatalf("hand-over: %d %v", n, err)
		}
		if err := w.svc.SetStaffActive(ctx, h.away, h.rev2.ID, r2.Version, false); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's director deactivated: %v", err)
		}
		if err := w.svc.SetStaffActive(ctx, h.director, h.rev2.ID, r2.Version, false); err != nil {
			t.Fatal(err)
		}
		if r2, _ = db.StaffRecord(ctx, h.rev2.ID); r2.Active {
			t.Fatal("still active")
		}
		if err := w.svc.SetStaffActive(ctx, h.director, h.rev2.ID, r2.Version, true); err != nil {
			t.Fatal(err)
		}
	})
}

// A staff photo is checked as any material, brought down to PhotoEdge and kept by its hash; only the township's
// director (or the person themself) sets it; a file that is not an image is refused naming the field.
func TestStaffPhoto(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		img := image.NewRGBA(image.Rect(0, 0, 1200, 1600))
		for i := range img.Pix {
			img.Pix[i] = byte(i % 251)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		clerk := w.actors["tianshan.clerk"]
		if err := w.svc.SetStaffPhoto(ctx, w.actors["shaogen.director"], clerk.ID, "me.png", buf.Bytes()); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's director set a photo: %v", err)
		}
		if err := w.svc.SetStaffPhoto(ctx, w.actors["tianshan.director"], clerk.ID, "me.png", []byte("MZ not an image")); errs.CodeOf(err) != errs.Invalid || errs.All(err)[0].Field != "photo" {
			t.Errorf("not an image: %v", err)
		}
		if err := w.svc.SetStaffPhoto(ctx, w.actors["tianshan.director"], clerk.ID, "me.png", buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		body, sha, err := w.svc.StaffPhoto(ctx, clerk.ID)
		if err != nil || sha != files.Address(body) {
			t.Fatalf("photo: %v %s", err, sha)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
		if err != nil || cfg.Height != service.PhotoEdge || cfg.Width != 360 {
			t.Errorf("resized to %dx%d: %v", cfg.Width, cfg.Height, err)
		}
		if r, _ := db.StaffRecord(ctx, clerk.ID); r.Photo != sha {
			t.Errorf("the record keeps %q", r.Photo)
		}
	})
}

// The 六有 board: the director publishes a bilingual document in force from a date; the board shows the version
// in force, today's people from the roster and the township's items; a Mongolian field in Chinese is refused.
func TestBoard6(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer func() { db.Now = time.Now }()
		w := demoWorld(t, db)
		at(w, "2026-12-07 09:00")
		h := setUpHall(t, w)
		mon := clock.MustDate("2026-12-07")
		if err := w.svc.SaveRoster(ctx, h.director, h.center.ID, mon, []roster.Entry{{Day: mon, Half: roster.AM, Seat: h.front[0].ID, Staff: h.clerk.ID}}); err != nil {
			t.Fatal(err)
		}
		in := roster.DocInput{Kind: "norms", TitleZh: "服务规范", TitleMn: "服务规范", BodyZh: "首问负责", BodyMn: "ᠠ", Effective: "2026-12-07"}
		if _, err := w.svc.PublishDoc(ctx, h.director, h.center.ID, in); errs.CodeOf(err) != errs.Invalid || errs.All(err)[0].Field != "doc_title_mn" {
			t.Fatalf("a Chinese title in the Mongolian field: %v", err)
		}
		in.TitleMn = "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠵᠢᠷᠤᠮ"
		if _, err := w.svc.PublishDoc(ctx, h.away, h.center.ID, in); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's director published: %v", err)
		}
		if _, err := w.svc.PublishDoc(ctx, h.director, h.center.ID, in); err != nil {
			t.Fatal(err)
		}
		in.BodyZh, in.Effective = "首问负责，一次告知", "2026-12-20"
		if d, err := w.svc.PublishDoc(ctx, h.director, h.center.ID, in); err != nil || d.Version != 2 {
			t.Fatalf("version 2: %+v %v", d, err)
		}
		b, err := w.svc.BoardOf(ctx, h.center.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := b.Doc("norms"); d.Version != 1 || d.BodyZh != "首问负责" {
			t.Errorf("the norms in force: %+v", d)
		}
		if len(b.People) != 1 || b.People[0].Rec.ID != h.clerk.ID || b.People[0].Rec.Phone != "" {
			t.Errorf("today's people: %+v", b.People)
		}
		if len(b.Items) == 0 || len(b.Week) != 7 {
			t.Errorf("items %d, week %d", len(b.Items), len(b.Week))
		}
	})
}

// A 督办 addressed to a person tells them by SMS when its card turns yellow, and again when it turns red, once
// each; an answered order tells nobody.
func TestOrderCardsToldToStaff(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		defer func() { db.Now = time.Now }()
		w := demoWorld(t, db)
		at(w, "2026-12-07 09:00") // Monday
		clerk := w.actors["tianshan.clerk"]
		r, _ := db.StaffRecord(ctx, clerk.ID)
		if _, err := w.svc.EditStaff(ctx, w.actors["tianshan.director"], clerk.ID, service.StaffEdit{Version: r.Version, Name: r.Name, Role: "clerk", Phone: "13904760001"}); err != nil {
			t.Fatal(err)
		}
		o, err := w.svc.IssueOrder(ctx, w.actors["tianshan.director"], service.OrderTarget{StaffID: clerk.ID}, oversight.Input{Content: "请说明窗口排队过长的原因", Due: "2026-12-09"}, "")
		if err != nil {
			t.Fatal(err)
		}
		told := func() int {
			t.Helper()
			list, err := w.svc.AccountMessages(ctx, "13904760001")
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		for _, c := range []struct {
			at   string
			want int
		}{{"2026-12-07 10:00", 0}, {"2026-12-08 09:00", 1}, {"2026-12-08 15:00", 1}, {"2026-12-10 09:00", 2}, {"2026-12-11 09:00", 2}} {
			at(w, c.at)
			if _, err := w.svc.AlertOrders(ctx); err != nil {
				t.Fatal(err)
			}
			if got := told(); got != c.want {
				t.Errorf("%s: %d messages, want %d", c.at, got, c.want)
			}
		}
		list, _ := w.svc.AccountMessages(ctx, "13904760001")
		if len(list) == 2 && (!strings.Contains(list[0].Body+list[1].Body, "黄牌") || !strings.Contains(list[0].Body+list[1].Body, "红牌")) {
			t.Errorf("messages: %q / %q", list[0].Body, list[1].Body)
		}
		if _, err := w.svc.AnswerOrder(ctx, clerk, o.ID, "已增开窗口"); err != nil {
			t.Fatal(err)
		}
	})
}

// A village station has its public staff page and its 六有 board too: its agents, its village's items.
func TestStationBoard(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		stations, err := db.Subtree(ctx, w.targets["V1"].Path, org.Station)
		if err != nil || len(stations) != 1 {
			t.Fatalf("stations: %v %v", stations, err)
		}
		b, err := w.svc.BoardOf(ctx, stations[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.People) != 1 || b.People[0].Rec.ID != w.actors["yangshulin.agent"].ID || b.Township.ID != w.targets["V1"].ID {
			t.Errorf("the station's board: %+v", b.People)
		}
		if _, err := w.svc.BoardOf(ctx, w.targets["V1"].ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("a village's board: %v", err)
		}
	})
}
