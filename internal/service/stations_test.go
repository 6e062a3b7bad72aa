package service_test

import (
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/stations"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// stranger is someone with no role anywhere.
var stranger = access.Actor{ID: "nobody", Name: "nobody"}

// fixedNow sets the store's clock to a fixed day (China time) at 10:00.
func fixedNow(db *store.DB, day string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", time.FixedZone("CST", 8*3600))
	if err != nil {
		panic(err)
	}
	db.Now = func() time.Time { return t }
}

// 代办, 协办 and 代理 are recorded on the case with what each implies; a standing authorisation covers the
// resident's cases of its items until its last day and is refused the day after (民法典 第173条); only the
// station that holds it may use it or read it.
func TestStationModes(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		agent := w.actors["yangshulin.agent"]
		fixedNow(db, "2026-03-02")

		// 代办: the authorisation and a reference to its image
		c, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Mode: "entrusted", Authorisation: "书面委托书", AuthImage: "委托书扫描件 A-17"}, "m1")
		if err != nil || c.Mode != cases.Entrusted || c.AgentID != agent.ID || c.AuthImage != "委托书扫描件 A-17" || c.Helper != "" {
			t.Fatalf("代办: %+v %v", c.Proxy, err)
		}
		// 协办: no paper; the agent is the helper, not the applicant's agent
		c, err = w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Mode: "assisted"}, "m2")
		if err != nil || c.Mode != cases.Assisted || c.Helper != agent.ID || c.AgentID != "" {
			t.Fatalf("协办: %+v agent %q %v", c.Proxy, c.AgentID, err)
		}
		// 代办 without its authorisation, an unknown mode: refused naming the field
		if _, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Mode: "entrusted"}, ""); fieldOf(err) != "authorisation" {
			t.Errorf("代办 without authorisation: %v", err)
		}
		if _, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Mode: "proxy", Authorisation: "x"}, ""); fieldOf(err) != "proxy_mode" {
			t.Errorf("unknown mode: %v", err)
		}

		// 代理: a standing authorisation for 2026-03-02 .. 2026-06-30
		in := service.StandingInput{ApplicantID: w.seeded["V1"], Items: []string{item}, From: "2026-03-02", Until: "2026-06-30", Reason: "长期卧床", SignedRef: "授权委托书原件存站 2026-003"}
		for who, actor := range map[string]access.Actor{"another village's agent": w.actors["xishuangshan.agent"], "another township's agent": w.actors["agetan.agent"],
			"a township clerk": w.actors["tianshan.clerk"], "a stranger": stranger, "the administrator": w.actors["admin"]} {
			if _, err := w.svc.CreateStanding(ctx, actor, in, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s records a standing authorisation: %v", who, err)
			}
		}
		bad := in
		bad.Until = "2027-06-30"
		if _, err := w.svc.CreateStanding(ctx, agent, bad, ""); fieldOf(err) != "until" {
			t.Errorf("a term over a year: %v", err)
		}
		a, err := w.svc.CreateStanding(ctx, agent, in, "s1")
		if err != nil || a.No == "" || len(a.ItemNames) != 1 {
			t.Fatalf("standing: %+v %v", a, err)
		}
		if again, err := w.svc.CreateStanding(ctx, agent, in, "s1"); err != nil || again.ID != a.ID {
			t.Fatalf("the same submission again: %v", err)
		}
		under := service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Mode: "standing", StandingID: a.ID}
		c, err = w.svc.Receive(ctx, agent, under, "p1")
		if err != nil || c.StandingID != a.ID || c.StandingNo != a.No || c.Authorised != a.No || c.AgentID != agent.ID {
			t.Fatalf("a case under it: %+v %v", c.Proxy, err)
		}
		// the last day still holds
		fixedNow(db, "2026-06-30")
		if _, err := w.svc.Receive(ctx, agent, under, "p2"); err != nil {
			t.Fatalf("on its last day: %v", err)
		}
		// the day after its expiry: refused, nothing made
		fixedNow(db, "2026-07-01")
		before, _ := db.CountAudit(ctx)
		if _, err := w.svc.Receive(ctx, agent, under, "p3"); fieldOf(err) != "standing" || errs.All(err)[0].Key != "err.standing.expired" {
			t.Fatalf("past its expiry: %v", err)
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("a refused intake wrote %d audit entries", after-before)
		}
		// another station may not use it; another resident's case is not under it
		if _, err := w.svc.Receive(ctx, w.actors["xishuangshan.agent"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V2"], Mode: "standing", StandingID: a.ID}, ""); fieldOf(err) != "standing" {
			t.Errorf("another station uses it: %v", err)
		}
		fixedNow(db, "2026-04-01")
		if _, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Mode: "standing", StandingID: a.ID}, "p4"); err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.Standing(ctx, agent, a.ID)
		if err != nil || len(v.Cases) != 3 || !v.Holds {
			t.Fatalf("its cases: %d %v", len(v.Cases), err)
		}
		if _, err := w.svc.Standing(ctx, w.actors["tianshan.clerk"], a.ID); err != nil {
			t.Errorf("the township's front desk reads it: %v", err)
		}
		for _, who := range []string{"xishuangshan.agent", "shaogen.clerk", "tianshan.reviewer", "supervisor"} {
			if _, err := w.svc.Standing(ctx, w.actors[who], a.ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s reads it: %v", who, err)
			}
		}
		// revoked, it covers nothing more
		if _, err := w.svc.RevokeStanding(ctx, w.actors["xishuangshan.agent"], a.ID, a.Version); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another station revokes it: %v", err)
		}
		if _, err := w.svc.RevokeStanding(ctx, agent, a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Receive(ctx, agent, under, "p5"); fieldOf(err) != "standing" {
			t.Errorf("after revocation: %v", err)
		}
	})
}

func fieldOf(err error) string {
	if all := errs.All(err); len(all) > 0 {
		return all[0].Field
	}
	return ""
}

// 帮办: the front desk or station of the applicant's place marks them, with consent; nobody else reads or
// writes the mark; their later cases carry the mark and come first in the desk's queue; a home visit goes
// from request to record; supervision counts both.
func TestAssistanceAndHomeVisit(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		agent := w.actors["yangshulin.agent"]
		fixedNow(db, "2026-03-02")
		resident := w.seeded["V1"]
		plain, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
		if err != nil || plain.Helped {
			t.Fatalf("an unmarked applicant's case: %v", err)
		}

		mark := service.NeedsInput{Needs: []string{"elderly", "disabled"}, Consent: true, ConsentBy: "本人"}
		for who, actor := range map[string]access.Actor{"another village's agent": w.actors["xishuangshan.agent"], "another township's clerk": w.actors["shaogen.clerk"],
			"a reviewer": w.actors["tianshan.reviewer"], "the supervisor": w.actors["supervisor"], "the administrator": w.actors["admin"], "a stranger": stranger} {
			if _, err := w.svc.SaveNeeds(ctx, actor, resident, mark); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s marks: %v", who, err)
			}
		}
		noConsent := mark
		noConsent.Consent = false
		if _, err := w.svc.SaveNeeds(ctx, agent, resident, noConsent); fieldOf(err) != "consent" {
			t.Errorf("without consent: %v", err)
		}
		m, err := w.svc.SaveNeeds(ctx, agent, resident, mark)
		if err != nil || !m.Active() || m.Version != 1 {
			t.Fatalf("mark: %+v %v", m, err)
		}
		if _, err := w.svc.SaveNeeds(ctx, w.actors["tianshan.clerk"], resident, mark); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a stale version: %v", err)
		}
		for who, actor := range map[string]access.Actor{"another village's agent": w.actors["xishuangshan.agent"], "another township's clerk": w.actors["shaogen.clerk"],
			"a reviewer": w.actors["tianshan.reviewer"], "the supervisor": w.actors["supervisor"], "a stranger": stranger} {
			if _, _, err := w.svc.Needs(ctx, actor, resident); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s reads the mark: %v", who, err)
			}
		}
		if got, ok, err := w.svc.Needs(ctx, w.actors["tianshan.clerk"], resident); err != nil || !ok || len(got.Needs) != 2 {
			t.Errorf("the township's front desk reads it: %v", err)
		}
		helped, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: resident, Authorisation: "委托书"}, "")
		if err != nil || !helped.Helped {
			t.Fatalf("the marked applicant's case: %v", err)
		}
		queue, err := w.svc.Queue(ctx, w.actors["tianshan.clerk"])
		if err != nil || len(queue) < 2 || queue[0].Case.ID != helped.ID {
			t.Fatalf("the assisted case is not first in the queue: %v", err)
		}

		// 上门服务: requested, scheduled, carried out and recorded
		for who, actor := range map[string]access.Actor{"another village's agent": w.actors["xishuangshan.agent"], "another township's clerk": w.actors["shaogen.clerk"], "a stranger": stranger} {
			if _, err := w.svc.RequestVisit(ctx, actor, service.VisitRequest{ApplicantID: resident, Reason: "行动不便"}, ""); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s requests a visit: %v", who, err)
			}
		}
		v, err := w.svc.RequestVisit(ctx, agent, service.VisitRequest{ApplicantID: resident, ItemID: item, Reason: "行动不便，需上门收取材料"}, "v1")
		if err != nil || v.State != stations.VisitRequested || v.No == "" {
			t.Fatalf("request: %+v %v", v, err)
		}
		if _, err := w.svc.MoveVisit(ctx, w.actors["xishuangshan.agent"], v.ID, v.Version, stations.Schedule, stations.VisitInput{At: db.Now().Add(24 * time.Hour), Visitors: "x"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another station schedules it: %v", err)
		}
		if v, err = w.svc.MoveVisit(ctx, agent, v.ID, v.Version, stations.Schedule, stations.VisitInput{At: db.Now().Add(24 * time.Hour), Visitors: "杨树林村代办员"}); err != nil || v.State != stations.VisitScheduled {
			t.Fatalf("schedule: %v", err)
		}
		fixedNow(db, "2026-03-04")
		if _, err := w.svc.MoveVisit(ctx, agent, v.ID, v.Version, stations.Record, stations.VisitInput{At: db.Now().Add(-time.Hour), Record: "已上门", CaseID: plain.ID}); fieldOf(err) != "case_id" {
			t.Errorf("another applicant's case: %v", err)
		}
		// the record of the visit, with the materials collected and the case they went into
		if _, err := w.svc.MoveVisit(ctx, agent, v.ID, v.Version, stations.Record, stations.VisitInput{At: db.Now().Add(-time.Hour),
			Record: "上门核实家庭情况，收取材料", Materials: []string{"居民身份证复印件", "家庭收入和财产状况声明"}, CaseID: helped.ID}); err != nil {
			t.Fatal(err)
		}
		v2, _ := db.Visit(ctx, v.ID)
		if v2.State != stations.VisitDone || v2.CaseID != helped.ID || len(v2.Materials) != 2 || v2.DoneBy != agent.ID {
			t.Fatalf("record: %+v", v2)
		}
		if _, err := w.svc.MoveVisit(ctx, agent, v.ID, v.Version, stations.Cancel, stations.VisitInput{Reason: "x"}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a stale version: %v", err)
		}
		// the township's center sees the station's visit; another township's does not
		if got, err := w.svc.Visits(ctx, w.actors["tianshan.clerk"], "done", time.Time{}, "", 10); err != nil || len(got) != 1 {
			t.Errorf("the center's list: %d %v", len(got), err)
		}
		if got, err := w.svc.Visits(ctx, w.actors["shaogen.clerk"], "", time.Time{}, "", 10); err != nil || len(got) != 0 {
			t.Errorf("another township's list: %d %v", len(got), err)
		}
		if _, err := w.svc.Visit(ctx, w.actors["shaogen.clerk"], v.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's clerk reads it: %v", err)
		}

		// supervision counts the assisted case and the visit
		from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		assisted, requested, done, err := db.AssistanceCounts(ctx, w.targets["T1"].Path, from, from.AddDate(0, 1, 0))
		if err != nil || assisted != 1 || requested != 1 || done != 1 {
			t.Fatalf("assistance counts: %d %d %d %v", assisted, requested, done, err)
		}
		if assisted, _, done, _ := db.AssistanceCounts(ctx, w.targets["T2"].Path, from, from.AddDate(0, 1, 0)); assisted != 0 || done != 0 {
			t.Errorf("another township counts %d, %d", assisted, done)
		}
		march := supervision.Period{From: clock.Date{Y: 2026, M: 3, D: 1}, To: clock.Date{Y: 2026, M: 3, D: 31}}
		for who, want := range map[string]int{"supervisor": 1, "tianshan.director": 1, "shaogen.director": 0} {
			d, err := w.svc.Dashboard(ctx, w.actors[who], service.DashboardQuery{Dim: supervision.Township, Period: march})
			if err != nil || d.Assistance.Assisted != want || d.Assistance.VisitsDone != want {
				t.Errorf("%s's dashboard: %+v %v", who, d.Assistance, err)
			}
		}
	})
}

// The way between station and township (item 6): the station's papers go up on a list its township's front
// desk receives; the result, issued via the station, comes back on a list the station receives; the agent
// hands it over with the signature of the one who receives it, which delivers the case. Everyone else is
// refused; each list is made once whatever the retries.
func TestStationListsAndHandover(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		agent, clerk := w.actors["yangshulin.agent"], w.actors["tianshan.clerk"]
		c, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Authorisation: "委托书"}, "")
		if err != nil {
			t.Fatal(err)
		}
		for who, actor := range map[string]access.Actor{"another village's agent": w.actors["xishuangshan.agent"], "a reviewer": w.actors["tianshan.reviewer"],
			"the supervisor": w.actors["supervisor"], "department staff": w.actors["minzheng"], "a stranger": stranger} {
			if _, err := w.svc.SendStationList(ctx, actor, "", ""); who != "another village's agent" && errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s sends a list: %v", who, err)
			}
		}
		board, err := w.svc.StationLists(ctx, agent)
		if err != nil || len(board.Pending) != 1 || len(board.Pending[0].Cases) != 1 || len(board.Pending[0].Cases[0].Papers) == 0 {
			t.Fatalf("the station's pending papers: %+v %v", board.Pending, err)
		}
		up, err := w.svc.SendStationList(ctx, agent, "", "up1")
		if err != nil || up.Kind != stations.Originals || up.Township != w.targets["T1"].ID {
			t.Fatalf("up: %+v %v", up, err)
		}
		if again, err := w.svc.SendStationList(ctx, agent, "", "up1"); err != nil || again.ID != up.ID {
			t.Fatalf("the same list again: %v", err)
		}
		if _, err := w.svc.SendStationList(ctx, agent, "", "up2"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("nothing more to send: %v", err)
		}
		for _, who := range []string{"xishuangshan.agent", "shaogen.clerk", "agetan.agent"} {
			if _, err := w.svc.ReceiveStationList(ctx, w.actors[who], up.ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s receives it: %v", who, err)
			}
		}
		if _, err := w.svc.ReceiveStationList(ctx, agent, up.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("the sender receives its own list: %v", err)
		}
		if got, err := w.svc.ReceiveStationList(ctx, clerk, up.ID); err != nil || got.Received.IsZero() {
			t.Fatalf("the township receives: %v", err)
		}

		// decided, issued via the station, sent back
		act := func(who access.Actor, a cases.Action, in cases.Input) {
			t.Helper()
			if c, err = w.svc.Act(ctx, who, c.ID, c.Version, a, in); err != nil {
				t.Fatalf("%s: %v", a, err)
			}
		}
		act(access.System, cases.Accept, cases.Input{Materials: mats(false)})
		act(access.System, cases.Pass, cases.Input{})
		act(access.System, cases.Pass, cases.Input{})
		act(access.System, cases.Decide, cases.Input{Grant: true, Reason: "符合条件"})
		act(clerk, cases.Issue, cases.Input{Method: cases.ViaStation})
		tb, err := w.svc.StationLists(ctx, clerk)
		if err != nil || len(tb.Pending) != 1 || tb.Pending[0].To.ID != w.targets["V1"].ID {
			t.Fatalf("the township's results to send: %+v %v", tb.Pending, err)
		}
		if _, err := w.svc.SendStationList(ctx, w.actors["shaogen.clerk"], w.targets["V1"].ID, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("another township sends to this station: %v", err)
		}
		back, err := w.svc.SendStationList(ctx, clerk, w.targets["V1"].ID, "back1")
		if err != nil || back.Kind != stations.Results || len(back.Cases) != 1 {
			t.Fatalf("back: %+v %v", back, err)
		}
		h := stations.Handover{Signer: "居民V1", Signed: true}
		if _, err := w.svc.HandOver(ctx, agent, c.ID, h); fieldOf(err) != "case_id" {
			t.Errorf("handed over before the list arrived: %v", err)
		}
		if _, err := w.svc.ReceiveStationList(ctx, agent, back.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.HandOver(ctx, w.actors["xishuangshan.agent"], c.ID, h); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another station hands it over: %v", err)
		}
		if _, err := w.svc.HandOver(ctx, agent, c.ID, stations.Handover{Signer: "邻居"}); fieldOf(err) != "signed" {
			t.Errorf("without a signature: %v", err)
		}
		c, err = w.svc.HandOver(ctx, agent, c.ID, h)
		if err != nil || c.State != cases.Delivered {
			t.Fatalf("handed over: %s %v", c.State, err)
		}
		if got, _ := db.HandoverOf(ctx, c.ID); got == nil || got.Signer != "居民V1" || got.By != agent.ID {
			t.Fatalf("the handover: %+v", got)
		}
		if _, err := w.svc.HandOver(ctx, agent, c.ID, h); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("handed over twice: %v", err)
		}
	})
}
