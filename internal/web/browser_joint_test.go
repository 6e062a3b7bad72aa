package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// Joint handling and complaints in Chromium (issue 19): a complaint filed online, anonymously but with a
// phone, about a window of 天山镇 goes to 天山镇; past its deadline the supervision sweep turns its card red,
// which the director sees on the dashboard and in the overdue list; answered late it keeps the red card, the
// complainant gets the answer by SMS and rates it through the link (the rating then shows beside the card),
// and staff never see who complained. A 乡村建设规划许可 accepted at 天山镇 and waiting at 自然资源局's step is
// handed by 自然资源局 to 农牧局 with reasons, refused once with reasons, handed again by 天山镇's window and
// accepted by 农牧局's head: the case is 农牧局's to decide, still handled by 天山镇, and the applicant was told
// three times by SMS. A 宅基地 application's 初审 is countersigned: 天山镇's director refuses it with a comment,
// then signs, then 农牧局's head; at the parallel step 农牧局 returns it, and when it comes back both departments
// pass it; 农牧局, which decides, sees both departments' opinions of both rounds. At the window the clerk starts
// a 联合办理 of three related items issued together: each case lists the others, none is issued before all are
// decided, then one issue hands out all three.
func TestBrowserJoint(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	cst := time.FixedZone("CST", 8*3600)
	r.DB.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, cst) } // a Monday
	signOut := func() {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	}
	text := func(sel string) string {
		t.Helper()
		return eval[string](t, ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {textContent: ""}).textContent`)
	}
	tianshan, _ := r.DB.OrgsByName(t.Context(), org.Township, "天山镇")
	windows, err := r.DB.Subtree(t.Context(), tianshan[0].Path, org.Window)
	if err != nil || len(windows) == 0 {
		t.Fatal(windows, err)
	}

	// 1. a complaint online, about a window, without a name
	do(t, ctx, chromedp.Navigate(r.URL+"/complain"), chromedp.WaitVisible(chromedp.CSS(`#complain`)))
	audit(ctx, t, "complain")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#complain button[type=submit]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#filed").length`); n != 0 {
		t.Fatal("an empty complaint was filed")
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name=complaint_about][value=window]`)),
		chromedp.SetValue(chromedp.CSS(`#f-window`), windows[0].ID),
		chromedp.SendKeys(chromedp.CSS(`#f-complaint`), "下午三点窗口无人，等了四十分钟"),
		chromedp.Click(chromedp.CSS(`#complain summary`)),
		chromedp.SendKeys(chromedp.CSS(`#f-phone`), "13700001111"),
		chromedp.Click(chromedp.CSS(`#complain button[type=submit]`)))
	waitPage(t, ctx, `#filed`)
	if got := text(`#responsible`); !strings.Contains(got, "天山镇") || text(`#due`) != "2026-03-09" {
		t.Fatalf("routed to %q, due %q", got, text(`#due`))
	}

	// 2. nine days later the supervision sweep has turned its card red: the director sees it on the dashboard,
	// follows it to the overdue list and answers late; the card stays red on the complaint
	r.DB.Now = func() time.Time { return time.Date(2026, 3, 11, 10, 0, 0, 0, cst) }
	if sw, err := r.Service.Sweep(t.Context(), false); err != nil || sw.Joint.Complaints != 1 {
		t.Fatalf("the sweep turned %d complaint cards: %v", sw.Joint.Complaints, err)
	}
	signIn(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+"/supervision?month=2026-03"), chromedp.WaitVisible(chromedp.CSS(`#joint-cards`)))
	if got := text(`#sv-complaint-red`); !strings.Contains(got, "1") {
		t.Fatalf("the dashboard's red complaint cards: %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#joint-cards a[href="/complaints?overdue=1"]`)), chromedp.WaitVisible(chromedp.CSS(`#complaints`)))
	audit(ctx, t, "complaints")
	if n := eval[int](t, ctx, `document.querySelectorAll("#complaints tbody .card-red").length`); n != 1 {
		t.Fatalf("%d red cards in the overdue list", n)
	}
	if got := text(`#complaints tbody`); !strings.Contains(got, "四十分钟") || !strings.Contains(got, "超期") || strings.Contains(got, "13700001111") {
		t.Fatalf("the overdue list: %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#complaints tbody a`)))
	waitPage(t, ctx, `#answer`)
	audit(ctx, t, "complaint")
	complaintPage := eval[string](t, ctx, `location.pathname`)
	if strings.Contains(eval[string](t, ctx, `document.body.innerText`), "13700001111") {
		t.Fatal("staff read the complainant's phone")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-answer`), "经核实，该窗口人员擅离岗位，已通报批评并调整排班"), chromedp.Click(chromedp.CSS(`#answer button`)))
	waitPage(t, ctx, `#answer-text`)
	if eval[int](t, ctx, `document.querySelectorAll("#card.card-red").length`) != 1 || !strings.Contains(text(`#overdue`), "2") {
		t.Fatalf("answered late: card %q overdue %q", text(`#card`), text(`#overdue`))
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/supervision?month=2026-03"), chromedp.WaitVisible(chromedp.CSS(`#complaint-figures`)))
	if got := text(`#sv-complaints`); got != "1" {
		t.Fatalf("supervision counts %q complaints", got)
	}
	signOut()

	// 3. the complainant opens the SMS's link and rates the answer
	msgs, _ := r.Service.AccountMessages(t.Context(), "13700001111")
	if len(msgs) != 2 {
		t.Fatalf("messages to the complainant: %+v", msgs)
	}
	body := msgs[1].Body
	i := strings.Index(body, "/complaint-answer/")
	if i < 0 {
		t.Fatalf("no link in %q", body)
	}
	link := strings.Fields(body[i:])[0]
	do(t, ctx, chromedp.Navigate(r.URL+link), chromedp.WaitVisible(chromedp.CSS(`#rate-answer`)))
	audit(ctx, t, "complaint answer")
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name=complaint_verdict][value=basic]`)), chromedp.Click(chromedp.CSS(`#rate-answer button`)))
	waitPage(t, ctx, `#thanks`)
	signIn(t, ctx, r.URL, "tianshan.director") // the rating is on the complaint beside its red card
	do(t, ctx, chromedp.Navigate(r.URL+complaintPage), chromedp.WaitVisible(chromedp.CSS(`#verdict`)))
	if eval[int](t, ctx, `document.querySelectorAll("#card.card-red").length`) != 1 || text(`#verdict`) == "" {
		t.Fatalf("rated: card %q verdict %q", text(`#card`), text(`#verdict`))
	}
	signOut()

	// 4. 转办 between departments: a 乡村建设规划许可 accepted at 天山镇 waits at 自然资源局's step; the matter is
	// 农牧局's (the land is grassland)
	c, seen := dibaoCase(t, r, "13800002222")
	c = actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}})
	found, _ := r.Service.Search(t.Context(), "乡村建设规划许可证核发", 1)
	pit, err := r.DB.ItemVersion(t.Context(), found[0].Card.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var all []cases.MaterialCheck
	for _, m := range pit.Materials {
		all = append(all, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
	}
	pc, err := r.Service.Receive(t.Context(), access.System, service.ReceiveInput{ItemID: pit.ID, ApplicantID: c.ApplicantID, ReceivingOrg: tianshan[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	pc = actAll(t, r, pc, caseMove{cases.Accept, cases.Input{Materials: all}})
	ziran, _ := r.DB.OrgsByName(t.Context(), org.Department, "自然资源局")
	nongmu, _ := r.DB.OrgsByName(t.Context(), org.Department, "农牧局")
	if pc.Department != ziran[0].ID {
		t.Fatalf("the case waits for %s", pc.Department)
	}
	handOver := func(user, reasons string) {
		t.Helper()
		signIn(t, ctx, r.URL, user)
		do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+pc.ID), chromedp.WaitVisible(chromedp.CSS(`#handover-link`)), chromedp.Click(chromedp.CSS(`#handover-link`)))
		waitPage(t, ctx, `#handover`)
		audit(ctx, t, "handover")
		do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-to`), nongmu[0].ID), chromedp.SendKeys(chromedp.CSS(`#f-reasons`), reasons),
			chromedp.Click(chromedp.CSS(`#handover button`)))
		waitPage(t, ctx, `.flash`) // the list was there before: the flash says the page is the next one
		signOut()
	}
	answer := func(user, do_, why string) {
		t.Helper()
		signIn(t, ctx, r.URL, user)
		do(t, ctx, chromedp.Navigate(r.URL+"/handovers"), chromedp.WaitVisible(chromedp.CSS(`#incoming form.handover-answer`)))
		audit(ctx, t, "handovers")
		if why != "" {
			do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#incoming form.handover-answer input[name=answer]`), why))
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#incoming form.handover-answer button[value=`+do_+`]`)))
		waitPage(t, ctx, `.flash`)
		signOut()
	}
	handOver("ziran", "申请用地为草原，属农牧局审核")          // 自然资源局's reviewer, to another department
	answer("nongmu", "refuse", "建设用地规划许可不属本局职权") // 农牧局's reviewer refuses once
	if got, _ := r.DB.Case(t.Context(), pc.ID); got.Department != ziran[0].ID {
		t.Fatalf("a refused hand-over moved the case to %s", got.Department)
	}
	handOver("tianshan.clerk", "经现场核实，用地性质为草原") // 天山镇's window hands it again
	answer("nongmu.head", "accept", "")
	if got, _ := r.DB.Case(t.Context(), pc.ID); got.Department != nongmu[0].ID || got.Handling != tianshan[0].ID {
		t.Fatalf("after the hand-over: department %s, handled by %s", got.Department, got.Handling)
	}
	told := 0
	msgs, _ = r.Service.Messages(t.Context(), pc.ID) // the applicant's SMS, in the outbox
	for _, m := range msgs {
		if strings.Contains(m.Body, "农牧局") && strings.Contains(m.Body, pc.No) && m.Phone == "13800002222" {
			told++
		}
	}
	if told != 3 {
		t.Fatalf("the applicant was told %d times: %+v", told, msgs)
	}
	signIn(t, ctx, r.URL, "nongmu") // 农牧局 reads the hand-overs of the case it now decides
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+pc.ID+"/handover"), chromedp.WaitVisible(chromedp.CSS(`#handovers`)))
	if rows := text(`#handovers tbody`); !strings.Contains(rows, "不属本局职权") || !strings.Contains(rows, "已接收") || !strings.Contains(rows, "自然资源局") {
		t.Fatalf("the hand-overs: %q", rows)
	}
	signOut()

	// 5. 会签 and 并联审批 of a 宅基地 application (the reviewer's own passes are made through the service)
	found, _ = r.Service.Search(t.Context(), "农村村民宅基地审批", 1)
	it, err := r.DB.ItemVersion(t.Context(), found[0].Card.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	all = nil
	for _, m := range it.Materials {
		all = append(all, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
	}
	h, err := r.Service.Receive(t.Context(), access.System, service.ReceiveInput{ItemID: it.ID, ApplicantID: c.ApplicantID, ReceivingOrg: tianshan[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	h = actAll(t, r, h, caseMove{cases.Accept, cases.Input{Materials: all}}, caseMove{cases.Pass, cases.Input{}}) // 初审 submitted for signature
	open := func(user string) {
		t.Helper()
		signIn(t, ctx, r.URL, user)
		do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+h.ID), chromedp.WaitVisible(chromedp.CSS(`main`)))
		if eval[int](t, ctx, `document.querySelectorAll("#joint-1").length`) == 0 {
			t.Fatalf("%s reads: %s", user, eval[string](t, ctx, `document.querySelector("main").innerText`))
		}
	}
	sign := func(agree, why string) {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS(`#move-sign input[name=agree][value="`+agree+`"]`)))
		if why != "" {
			do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#move-sign textarea`), why))
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#move-sign button`)))
		waitPage(t, ctx, `#done`)
	}
	opinion := func(verdict, why string) {
		t.Helper()
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#move-opinion`)), chromedp.Click(chromedp.CSS(`#move-opinion input[name=verdict][value=`+verdict+`]`)))
		if why != "" {
			do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#move-opinion textarea`), why))
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#move-opinion button`)))
		waitPage(t, ctx, `#done`)
	}
	reload := func() {
		t.Helper()
		h, _ = r.DB.Case(t.Context(), h.ID)
		do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+h.ID), chromedp.WaitVisible(chromedp.CSS(`#joint-1`)))
	}
	open("tianshan.director")
	audit(ctx, t, "case with a countersign")
	sign("0", "四至不清，请补测后重报")
	if got := text(`#signatures-1 tbody`); !strings.Contains(got, "不同意") || !strings.Contains(got, "四至不清") {
		t.Fatalf("the refusal: %q", got)
	}
	h, _ = r.DB.Case(t.Context(), h.ID)
	if h.Step != 1 {
		t.Fatalf("a refused countersign moved the case to step %d", h.Step)
	}
	h = actAll(t, r, h, caseMove{cases.Pass, cases.Input{}}) // submitted again
	reload()
	sign("1", "")
	signOut()
	open("nongmu.head")
	sign("1", "同意")
	signOut()
	h, _ = r.DB.Case(t.Context(), h.ID)
	h = actAll(t, r, h, caseMove{cases.Pass, cases.Input{}}) // 公示 over: the parallel step begins
	open("ziran")
	opinion("pass", "")
	signOut()
	open("nongmu")
	if n := eval[int](t, ctx, `document.querySelectorAll("#move-pass, #move-return").length`); n != 0 {
		t.Fatal("a parallel step offers pass or return")
	}
	opinion("return", "缺宅基地四至图")
	signOut()
	h, _ = r.DB.Case(t.Context(), h.ID)
	if h.Step != 2 {
		t.Fatalf("returned to step %d", h.Step)
	}
	h = actAll(t, r, h, caseMove{cases.Pass, cases.Input{}})
	open("ziran")
	opinion("pass", "符合国土空间规划")
	signOut()
	open("nongmu")
	opinion("pass", "")
	reload()
	audit(ctx, t, "case after the parallel step")
	ops := text(`#opinions-3 tbody`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#opinions-3 tbody tr").length`); n != 4 || !strings.Contains(ops, "自然资源局") ||
		!strings.Contains(ops, "缺宅基地四至图") || !strings.Contains(ops, "符合国土空间规划") {
		t.Fatalf("the decider reads %d opinions: %q", n, ops)
	}
	if bt := text(`#body-times-3`); !strings.Contains(bt, "自然资源局") || !strings.Contains(bt, "农牧局") {
		t.Fatalf("each body's time: %q", bt)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#move-decide").length`); n != 1 {
		t.Fatal("the decider has no decision form")
	}
	signOut()

	// 6. 联合办理 of three items for the same applicant, issued together
	var three []string
	for _, name := range []string{"高龄津贴", "惠民殡葬补贴", "经济困难老年人护理补贴"} {
		f, _ := r.Service.Search(t.Context(), name, 1)
		three = append(three, f[0].Card.ID)
	}
	signIn(t, ctx, r.URL, "tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/linked"), chromedp.WaitVisible(chromedp.CSS(`#linked-new`)))
	audit(ctx, t, "linked")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-id_number`), "11010519491231002X"))
	for _, id := range three {
		do(t, ctx, chromedp.Click(chromedp.CSS(`input[name=items][value="`+id+`"]`)))
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#linked-new button`)))
	waitPage(t, ctx, `#linked`)
	if n := eval[int](t, ctx, `document.querySelectorAll("#linked li").length`); n != 2 {
		t.Fatalf("the case lists %d linked cases", n)
	}
	first, _ := r.DB.Case(t.Context(), strings.TrimPrefix(eval[string](t, ctx, `location.pathname`), "/cases/"))
	set, _ := r.DB.CasesOfBundle(t.Context(), first.Bundle)
	if len(set) != 3 {
		t.Fatalf("%d cases in the set", len(set))
	}
	decided := func(c cases.Case) {
		t.Helper()
		it, _ := r.DB.ItemVersion(t.Context(), c.ItemID, c.ItemVersion)
		var seen []cases.MaterialCheck
		for _, m := range it.Materials {
			seen = append(seen, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
		}
		c = actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}})
		for c.Step < len(c.Steps)-1 {
			c = actAll(t, r, c, caseMove{cases.Pass, cases.Input{}})
		}
		actAll(t, r, c, caseMove{cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}})
	}
	decided(set[0])
	decided(set[1])
	issue := func() {
		t.Helper()
		do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+set[0].ID), chromedp.WaitVisible(chromedp.CSS(`#move-issue`)),
			chromedp.Click(chromedp.CSS(`#move-issue button[name=action]`)))
	}
	issue()
	waitPage(t, ctx, `#errors`)
	if got, _ := r.DB.Case(t.Context(), set[0].ID); got.State != cases.Decided {
		t.Fatalf("issued before all were decided: %s", got.State)
	}
	decided(set[2])
	issue()
	waitPage(t, ctx, `#done`)
	for _, c := range set {
		if got, _ := r.DB.Case(t.Context(), c.ID); got.State != cases.Issued {
			t.Errorf("%s not issued with the others: %s", got.ItemName, got.State)
		}
	}
}
