package service_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

type senderFunc func(phone, body string) error

func (f senderFunc) Send(_ context.Context, phone, body string) error { return f(phone, body) }

// seenAll checks every material the case's item asks for as seen in the original.
func seenAll(t *testing.T, db *store.DB, c cases.Case) []cases.MaterialCheck {
	it, err := db.ItemVersion(ctx, c.ItemID, c.ItemVersion)
	if err != nil {
		t.Fatal(err)
	}
	var out []cases.MaterialCheck
	for _, m := range it.Materials {
		out = append(out, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
	}
	return out
}

func mats(missing bool) []cases.MaterialCheck {
	m := []cases.MaterialCheck{{Name: "最低生活保障申请表", Required: true, Check: cases.SeenOriginal}, {Name: "居民身份证", Required: true, Check: cases.SeenOriginal},
		{Name: "居民户口簿", Required: true, Check: cases.SeenCopy}, {Name: "家庭收入和财产状况声明", Required: true, Check: cases.SeenOriginal},
		{Name: "本人银行卡或一卡通", Check: cases.SeenCopy}, {Name: "授权委托书及代办人身份证", Check: cases.NotApplicable}}
	if missing {
		m[3].Check = cases.Missing
	}
	return m
}

func dibaoItem(t *testing.T, w *world) string {
	res, err := w.svc.Search(ctx, "最低生活保障", 1)
	if err != nil || len(res) == 0 {
		t.Fatal(err)
	}
	return res[0].Card.ID
}

// A village agent of 天山镇 applies for 最低生活保障 for a resident; the township clerk sends the one-time
// correction notice, accepts when it is brought, the township reviews, the banner's 民政局 decides, the result
// goes back to the village and is delivered. Everyone else is refused on the way.
func TestCaseWholePath(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		agent := w.actors["yangshulin.agent"]
		c, err := w.svc.Receive(ctx, agent, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["V1"], Authorisation: "书面委托书（本人签字）"}, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if c.Channel != cases.ByStation || c.Handling != w.targets["T1"].ID || c.Receiving != w.targets["V1"].ID || c.No == "" {
			t.Fatalf("received: %+v", c)
		}
		act := func(who string, a cases.Action, in cases.Input) {
			t.Helper()
			var err error
			c, err = w.svc.Act(ctx, w.actors[who], c.ID, c.Version, a, in)
			if err != nil {
				t.Fatalf("%s %s: %v", who, a, err)
			}
		}
		refuse := func(who string, a cases.Action, in cases.Input) {
			t.Helper()
			if _, err := w.svc.Act(ctx, w.actors[who], c.ID, c.Version, a, in); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("%s %s: want forbidden, got %v", who, a, err)
			}
		}
		// the station may correct and accept its own case; another village's agent and another township's clerk may not
		refuse("xishuangshan.agent", cases.AskCorrection, cases.Input{Materials: mats(true)})
		refuse("shaogen.clerk", cases.AskCorrection, cases.Input{Materials: mats(true)})
		refuse("tianshan.reviewer", cases.Accept, cases.Input{Materials: mats(false)})
		// names and "required" come from the item: dropping a required row does not get a case accepted
		if _, err := w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)[:2]}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("accepting with required rows dropped: %v", err)
		}
		if _, err := w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: append(mats(false), cases.MaterialCheck{Name: "不存在的证明", Check: cases.SeenOriginal})}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("an unknown material: %v", err)
		}
		act("tianshan.clerk", cases.AskCorrection, cases.Input{Materials: mats(true)})
		act("yangshulin.agent", cases.Resubmit, cases.Input{})
		act("tianshan.clerk", cases.Accept, cases.Input{Materials: mats(false)})
		if c.Step != 1 {
			t.Fatalf("acceptance goes to the first back-office step, not %d", c.Step)
		}
		refuse("minzheng", cases.Pass, cases.Input{}) // a township step is the township's
		refuse("shaogen.reviewer", cases.Pass, cases.Input{})
		act("tianshan.reviewer", cases.Pass, cases.Input{})                                 // 初审 done
		act("tianshan.reviewer", cases.Suspend, cases.Input{Kind: "公示", Reason: "嘎查村公示7天"}) // 公示 stops the clock
		act("tianshan.reviewer", cases.Resume, cases.Input{})
		act("tianshan.reviewer", cases.Pass, cases.Input{}) // on to the banner
		refuse("tianshan.reviewer", cases.Decide, cases.Input{Grant: true})
		refuse("canlian", cases.Decide, cases.Input{Grant: true})
		act("minzheng", cases.Decide, cases.Input{Grant: true, Reason: "经审核符合条件"})
		act("yangshulin.agent", cases.Issue, cases.Input{Method: "window"})
		act("yangshulin.agent", cases.Deliver, cases.Input{})
		if c.State != cases.Delivered {
			t.Fatalf("state %s", c.State)
		}
		events, err := db.CaseEvents(ctx, c.ID)
		if err != nil || len(events) != c.Version {
			t.Fatalf("%d events for version %d: %v", len(events), c.Version, err)
		}
		// messages in both languages, Mongolian first, one per move that tells the applicant something
		msgs, _ := w.svc.Messages(ctx, c.ID)
		var tpls []string
		for _, m := range msgs {
			tpls = append(tpls, m.Template)
			mn := strings.IndexFunc(m.Body, func(r rune) bool { return r >= 0x1800 && r <= 0x18AF })
			zh := strings.Index(m.Body, "您申请的")
			if m.Phone != "13800001234" || mn < 0 || zh < 0 || mn > zh {
				t.Errorf("message, Mongolian first then Chinese: %+v", m)
			}
		}
		// the last is the delivery's link to rate the case (一事一评 by 短信, ratings.go)
		if strings.Join(tpls, ",") != "correction,accepted,suspended,decided,ready,rate" {
			t.Fatalf("messages: %v", tpls)
		}
		failing := senderFunc(func(string, string) error { return errors.New("gateway down") })
		if err := w.svc.SendDue(ctx, failing); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.UnsentCount(ctx); n != len(tpls) {
			t.Fatalf("%d unsent after a failure", n)
		}
		db.Now = func() time.Time { return time.Now().Add(3 * time.Minute) } // past the back-off and the claim lease
		var sent []string
		if err := w.svc.SendDue(ctx, senderFunc(func(phone, body string) error { sent = append(sent, body); return nil })); err != nil {
			t.Fatal(err)
		}
		db.Now = time.Now
		if n, _ := db.UnsentCount(ctx); n != 0 || len(sent) != len(tpls) {
			t.Fatalf("%d unsent, %d sent after the gateway came back", n, len(sent))
		}
		notices, _ := db.NoticesOf(ctx, c.ID)
		if len(notices) != 4 || !strings.HasPrefix(notices[0].No, "天山补正〔") || notices[1].Kind != "accept" || notices[2].Kind != "grant" || notices[3].Kind != "delivery" {
			t.Fatalf("notices: %+v", notices)
		}
		trail, _ := db.AuditOf(ctx, "case", c.ID, 100)
		if len(trail) != c.Version {
			t.Fatalf("%d audit entries for %d moves", len(trail), c.Version)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// Received in 绍根镇 for a resident of 天山镇: 天山镇 handles it, 绍根镇's window issues the result.
func TestCaseAcrossTownships(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c, err := w.svc.Receive(ctx, w.actors["shaogen.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.Receiving != w.targets["T2"].ID || c.Handling != w.targets["T1"].ID || c.Channel != cases.AtWindow {
			t.Fatalf("%+v", c)
		}
		events, _ := db.CaseEvents(ctx, c.ID)
		if len(events) != 1 || events[0].Note == "" {
			t.Fatalf("the hand-off is not recorded: %+v", events)
		}
		steps := []struct {
			who string
			a   cases.Action
			in  cases.Input
		}{
			{"shaogen.clerk", cases.Accept, cases.Input{Materials: mats(false)}},
			{"tianshan.reviewer", cases.Pass, cases.Input{}},
			{"tianshan.reviewer", cases.Pass, cases.Input{}},
			{"minzheng", cases.Decide, cases.Input{Grant: false, Reason: "家庭收入高于当地低保标准"}},
			{"shaogen.clerk", cases.Issue, cases.Input{Method: "post", Tracking: "EMS1234567890"}},
			{"shaogen.clerk", cases.Deliver, cases.Input{}},
		}
		for _, s := range steps {
			if c, err = w.svc.Act(ctx, w.actors[s.who], c.ID, c.Version, s.a, s.in); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.a, err)
			}
		}
		if c.State != cases.Delivered || c.Decision.Grant || c.Delivery.Tracking != "EMS1234567890" {
			t.Fatalf("%+v", c)
		}
	})
}

// 50 people act on one case at once: each state is left exactly once, and no audit entry is lost.
func TestCaseConcurrency(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c, err := w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"], ReceivingOrg: w.targets["T1"].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		plan := []struct {
			a  cases.Action
			in cases.Input
		}{
			{cases.Accept, cases.Input{Materials: mats(false)}},
			{cases.Pass, cases.Input{}},
			{cases.Suspend, cases.Input{Kind: "公示", Reason: "公示"}},
			{cases.Resume, cases.Input{}},
			{cases.Pass, cases.Input{}},
			{cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}},
			{cases.Issue, cases.Input{Method: "window"}},
			{cases.Deliver, cases.Input{}},
		}
		auditBefore, _ := db.CountAudit(ctx)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := map[int]int{}
		for g := 0; g < 50; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					cur, err := db.Case(ctx, c.ID)
					if err != nil {
						t.Error(err)
						return
					}
					i := cur.Version - 1
					if i >= len(plan) {
						return
					}
					_, err = w.svc.Act(ctx, access.System, c.ID, cur.Version, plan[i].a, plan[i].in)
					switch errs.CodeOf(err) {
					case "":
						mu.Lock()
						wins[i]++
						mu.Unlock()
					case errs.Conflict, errs.Forbidden:
						// someone else moved it first: read again
					default:
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		for i := range plan {
			if wins[i] != 1 {
				t.Errorf("move %d (%s) made %d times", i, plan[i].a, wins[i])
			}
		}
		events, _ := db.CaseEvents(ctx, c.ID)
		if len(events) != len(plan)+1 {
			t.Fatalf("%d events", len(events))
		}
		seen := map[cases.State]int{}
		for _, e := range events[1:] {
			if e.From != e.To {
				seen[e.From]++
			}
		}
		for st, n := range seen {
			if n != 1 && st != cases.Accepted {
				t.Errorf("state %s left %d times", st, n)
			}
		}
		auditAfter, _ := db.CountAudit(ctx)
		if auditAfter-auditBefore != int64(len(plan)) {
			t.Errorf("%d audit entries for %d moves", auditAfter-auditBefore, len(plan))
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// The same submission sent 20 times at once makes one case.
func TestCaseIdempotentReceive(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		before, _ := db.CountCases(ctx)
		var wg sync.WaitGroup
		ids := make([]string, 20)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "double-click-1")
				if err != nil {
					t.Error(err)
				}
				ids[i] = c.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("two cases: %s %s", ids[0], id)
			}
		}
		if after, _ := db.CountCases(ctx); after != before+1 {
			t.Fatalf("%d cases made", after-before)
		}
	})
}

// 新生儿出生一件事: one intake makes a case per item; they are handled apart and issued together.
func TestBundleIntake(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		bundles, _ := db.Bundles(ctx)
		var bundle string
		for _, b := range bundles {
			if b.NameZh == "新生儿出生一件事" {
				bundle = b.ID
			}
		}
		clerk := w.actors["tianshan.clerk"]
		list, err := w.svc.ReceiveBundle(ctx, clerk, bundle, service.ReceiveInput{ApplicantID: w.seeded["T1"]}, "b-1")
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.svc.ReceiveBundle(ctx, clerk, bundle, service.ReceiveInput{ApplicantID: w.seeded["T1"]}, "b-1")
		if err != nil || len(list) != 4 || len(again) != 4 {
			t.Fatalf("bundle intake: %d cases, again %d: %v", len(list), len(again), err)
		}
		first := map[string]bool{}
		for _, c := range list {
			first[c.ID] = true
		}
		for _, c := range again {
			if !first[c.ID] {
				t.Fatalf("the resubmission made a new case %s", c.No)
			}
		}
		if n, _ := db.CountCases(ctx); n != 4 {
			t.Fatalf("%d cases after a resubmission", n)
		}
		decided := 0
		var last cases.Case
		for _, c := range list {
			c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: seenAll(t, db, c)})
			if err != nil {
				t.Fatalf("accept %s: %v", c.ItemName, err)
			}
			who := clerk // 即办: the window decides
			if c.Steps[c.Step].Role != "clerk" {
				who = w.actors["tianshan.reviewer"]
			}
			if decided == 3 {
				// the last one is not decided yet: nothing can be issued
				if _, err := w.svc.Act(ctx, clerk, last.ID, last.Version, cases.Issue, cases.Input{Method: "window"}); errs.CodeOf(err) != errs.Conflict {
					t.Fatalf("issuing before the whole bundle is decided: %v", err)
				}
			}
			c, err = w.svc.Act(ctx, who, c.ID, c.Version, cases.Decide, cases.Input{Grant: true, Reason: "符合条件"})
			if err != nil {
				t.Fatalf("decide %s: %v", c.ItemName, err)
			}
			decided++
			last = c
		}
		if _, err := w.svc.Act(ctx, clerk, last.ID, last.Version, cases.Issue, cases.Input{Method: "window"}); err != nil {
			t.Fatal(err)
		}
		all, _ := db.CasesOfBundle(ctx, list[0].Bundle)
		for _, c := range all {
			if c.State != cases.Issued {
				t.Errorf("%s is %s after the bundle was issued", c.ItemName, c.State)
			}
		}
	})
}

// An electronic result: the code goes out in the message, the applicant downloads the result with it, and
// the first download records the delivery.
func TestElectronicResult(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	w := demoWorld(t, db)
	clerk := w.actors["tianshan.clerk"]
	c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		who string
		a   cases.Action
		in  cases.Input
	}{
		{"tianshan.clerk", cases.Accept, cases.Input{Materials: mats(false)}},
		{"tianshan.reviewer", cases.Pass, cases.Input{}},
		{"tianshan.reviewer", cases.Pass, cases.Input{}},
		{"minzheng", cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}},
		{"tianshan.clerk", cases.Issue, cases.Input{Method: "electronic"}},
	} {
		if c, err = w.svc.Act(ctx, w.actors[s.who], c.ID, c.Version, s.a, s.in); err != nil {
			t.Fatalf("%s: %v", s.a, err)
		}
	}
	msgs, _ := w.svc.Messages(ctx, c.ID)
	last := msgs[len(msgs)-1]
	code := regexp.MustCompile(`验证码(\d{6})`).FindStringSubmatch(last.Body)
	if last.Template != "electronic" || code == nil {
		t.Fatalf("message: %+v", last)
	}
	wrong := "000000"
	if code[1] == wrong {
		wrong = "000001"
	}
	if _, err := w.svc.DownloadResult(ctx, c.No, wrong, "1.2.3.4"); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("a wrong code: %v", err)
	}
	res, err := w.svc.DownloadResult(ctx, c.No, code[1], "1.2.3.4")
	if err != nil || res.Case.State != cases.Delivered || !res.Case.Decision.Grant {
		t.Fatalf("download: %+v %v", res.Case.State, err)
	}
}

// Many windows of one township receive at once: every case gets its own number. On PostgreSQL the numbers
// are taken outside the cases' transactions (no counter row held to their end); unique all the same.
func TestCaseNumbersConcurrent(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		const windows, each = 12, 5
		var wg sync.WaitGroup
		var mu sync.Mutex
		nos := map[string]int{}
		for g := 0; g < windows; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"]}, "")
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					nos[c.No]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(nos) != windows*each {
			t.Fatalf("%d distinct numbers for %d cases", len(nos), windows*each)
		}
		for no, n := range nos {
			if n != 1 {
				t.Fatalf("%s given %d times", no, n)
			}
		}
		if rep, err := db.Check(ctx); err != nil || len(rep.Findings) != 0 {
			t.Fatalf("check: %+v %v", rep.Findings, err)
		}
	})
}
