package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/rating"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
	"bianmin/internal/web"
)

// waitPage waits for the next page to have an element, after a click that navigates.
func waitPage(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// The hall's 好差评 and enquiry register in Chromium (issue 10, items 5 and 6): an enquiry with its printed
// 一次性告知单 (A4, Mongolian first); a tablet paired to the clerk's window; the applicant rates 非常不满意 on it,
// while the clerk's own session is refused; the rectification runs 核实 → 整改 → 反馈 and the rater's 回访; the
// clerk appeals and the supervisor decides; the dashboard and the month's report show figures equal to plain
// counts of the stored ratings, and never the rater.
func TestBrowserHallRating(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c, seen := dibaoCase(t, r, "13800001234")
	c = actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}}, caseMove{cases.Pass, cases.Input{}}, caseMove{cases.Pass, cases.Input{}},
		caseMove{cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}}, caseMove{cases.Issue, cases.Input{Method: "window"}}, caseMove{cases.Deliver, cases.Input{}})
	ctx := browser(t)
	login := func(user string) {
		t.Helper()
		do(t, ctx, chromedp.Navigate(r.URL+"/login"), chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
			chromedp.SendKeys(chromedp.CSS(`#f-username`), user), chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
			chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)))
	}
	logout := func() {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	}
	text := func(ctx context.Context, sel string) string {
		t.Helper()
		return eval[string](t, ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {textContent: ""}).textContent`)
	}

	// 1. an enquiry at 天山镇's window, and its 一次性告知单
	login("tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/enquiries"), chromedp.WaitVisible(chromedp.CSS(`#enquiry-new`)))
	audit(ctx, t, "enquiries")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#f-item_id`), c.ItemID),
		chromedp.SendKeys(chromedp.CSS(`#f-question`), "办理低保需要带哪些材料？"),
		chromedp.Click(chromedp.CSS(`#enquiry-new button[type=submit]`)))
	waitPage(t, ctx, `#print-tell-once`)
	if got := text(ctx, `#state`); !strings.Contains(got, "待答复") {
		t.Fatalf("state %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#print-tell-once`)))
	waitPage(t, ctx, `#tell-once-materials`)
	audit(ctx, t, "tell-once")
	if n := eval[int](t, ctx, `document.querySelectorAll("#tell-once-materials tbody tr").length`); n < 3 {
		t.Fatalf("the notice lists %d materials", n)
	}
	// Mongolian first: the head's first line is Mongolian (横写蒙文在上), the bilingual labels set Mongolian vertically
	if first := eval[string](t, ctx, `document.querySelector(".tell-once .doc-kind [lang]").getAttribute("lang")`); first != "mn-Mong" {
		t.Fatalf("the heading starts in %s", first)
	}
	if wm := eval[string](t, ctx, `getComputedStyle(document.querySelector(".tell-once .bi .mn")).writingMode`); wm != "vertical-lr" {
		t.Fatalf("Mongolian beside Chinese set %s", wm)
	}
	pages := readPDF(t, printPDF(t, ctx), "tell-once")
	if len(pages) == 0 || pages[0].W < 590 || pages[0].W > 600 || pages[0].H < 837 || pages[0].H > 847 || !strings.Contains(pages[0].Text, "居民身份证") {
		t.Fatalf("printed: %+v", pages)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html.lang-mn`)))
	audit(ctx, t, "tell-once mn")
	if wm := eval[string](t, ctx, `getComputedStyle(document.querySelector("main")).writingMode`); wm != "vertical-lr" {
		t.Fatalf("a Mongolian page set %s", wm)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="zh-Hans"]`)), chromedp.WaitVisible(chromedp.CSS(`html.lang-zh`)))

	// 2. the clerk pairs the window's tablet; the tablet is another browser, signed in as nobody
	do(t, ctx, chromedp.Navigate(r.URL+"/ratings"), chromedp.WaitVisible(chromedp.CSS(`#devices`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "天山镇1号窗口"), chromedp.Click(chromedp.CSS(`#devices button[type=submit]`)))
	waitPage(t, ctx, `#pair-code strong`)
	code := strings.TrimSpace(text(ctx, `#pair-code strong`))
	tablet, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	do(t, tablet, chromedp.Navigate(r.URL+"/evaluator"), chromedp.WaitVisible(chromedp.CSS(`#pair`)),
		chromedp.SendKeys(chromedp.CSS(`#f-code`), code), chromedp.Click(chromedp.CSS(`#pair button`)))
	waitPage(t, tablet, `#idle`)

	// 3. the clerk asks for the rating of the case; their own browser cannot give it
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`#rate-case`)), chromedp.Click(chromedp.CSS(`#rate-case`)))
	waitPage(t, ctx, `#prompt`)
	audit(ctx, t, "rating-new")
	// the same page for a rating given on a 回访 call: the online indicators, marked as typed in
	do(t, ctx, chromedp.Click(chromedp.CSS(`#phone-tab`)), chromedp.WaitVisible(chromedp.CSS(`#phone-tab[aria-current="page"]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#paper input[name=handling_efficiency]").length`); n != 5 {
		t.Errorf("the phone form has %d levels of 办事效率", n)
	}
	audit(ctx, t, "rating-new phone")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#prompt button[type=submit]`)))
	waitPage(t, ctx, `#rate-case`)
	st, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/evaluator/rate", {method: "POST", body: new URLSearchParams({prompt: "x", level: "1"})}).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || st != 403 {
		t.Fatalf("the clerk's session rated: %d %v", st, err)
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/evaluator"), chromedp.WaitVisible(chromedp.CSS(`#errors`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#rate-form").length`); n != 0 {
		t.Fatal("the clerk's browser shows the rating form")
	}

	// 4. the applicant rates 非常不满意 on the tablet (its idle screen refreshes itself to the prompt)
	do(t, tablet, chromedp.WaitVisible(chromedp.CSS(`#rate-form`)))
	audit(tablet, t, "evaluator")
	if got := text(tablet, `.served`); !strings.Contains(got, c.No) || strings.Contains(got, "其其格") {
		t.Fatalf("the tablet shows %q", got)
	}
	do(t, tablet, chromedp.Click(chromedp.CSS(`input[name=level][value="5"]`)), chromedp.Click(chromedp.CSS(`input[name=service_attitude][value="5"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-text`), "排队太久"), chromedp.Click(chromedp.CSS(`#rate-form button[type=submit]`)))
	waitPage(t, tablet, `#thanks`)
	waitPage(t, tablet, `#idle`) // it resets itself
	// The tablet stays at the window; its idle screen reloads itself every few seconds, and a navigation
	// racing that reload can leave Chromium waiting for a load that never comes. It is closed here.
	cancel()

	// 5. the rectification: 核实 (with the rater told by Bianmin), 整改, 反馈
	do(t, ctx, chromedp.Navigate(r.URL+"/ratings"), chromedp.WaitVisible(chromedp.CSS(`#rectifications a`)), chromedp.Click(chromedp.CSS(`#rectifications a`)))
	waitPage(t, ctx, `#rectification`)
	audit(ctx, t, "rating")
	page := text(ctx, `main`)
	if strings.Contains(page, "其其格") || strings.Contains(page, "13800001234") || !strings.Contains(text(ctx, `#level`), "5") {
		t.Fatal("the rating page shows the rater, or not the level")
	}
	for _, m := range []struct{ move, note, step string }{{"verify", "已联系核实：当日高峰排队较久", "已核实"}, {"rectify", "高峰期增开综合窗口", "已整改"},
		{"feedback", "已增开窗口并致歉", "待回访"}} {
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#note-`+m.move), m.note), chromedp.Click(chromedp.CSS(`#move-`+m.move+` button`)))
		// the next page shows the step the move made (the page before still shows the one it left)
		for i := 0; ; i++ {
			if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#step") || {textContent: ""}).textContent`)); err == nil && strings.Contains(got, m.step) {
				break
			}
			if i > 2400 {
				t.Fatalf("%s: the page shows %q %q", m.move, text(ctx, `#step`), text(ctx, `#errors`))
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	// the rater's 回访 through the link Bianmin sent (the test reads the outbox as the SMS gateway would)
	msgs, err := r.Service.Messages(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	body := msgs[len(msgs)-1].Body
	i := strings.Index(body, "/revisit/")
	if i < 0 {
		t.Fatalf("no 回访 link: %s", body)
	}
	link := strings.Fields(body[i:])[0]
	// the link comes by SMS: the rater opens it on their own phone, another browser signed in as nobody
	phone, cancelPhone := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancelPhone()
	goTo(t, phone, r.URL+link, `#revisit`)
	audit(phone, t, "revisit")
	do(t, phone, chromedp.Click(chromedp.CSS(`input[name=verdict][value=satisfied]`)), chromedp.Click(chromedp.CSS(`#revisit button`)))
	waitPage(t, phone, `#thanks`)
	// and the same resident rates the case online from the tracking page (一事一评, another channel)
	goTo(t, phone, r.URL+"/track?no="+c.No+"&phone4=1234", `a.rate-link`)
	do(t, phone, chromedp.Click(chromedp.CSS(`a.rate-link`)))
	waitPage(t, phone, `#rate-form`)
	do(t, phone, chromedp.Click(chromedp.CSS(`input[name=level][value="1"]`)), chromedp.Click(chromedp.CSS(`#rate-form button[type=submit]`)))
	waitPage(t, phone, `#thanks`)

	// 6. the clerk appeals; the supervisor decides (rejected: the rating stands)
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#file-appeal`)),
		chromedp.SendKeys(chromedp.CSS(`#f-reason`), "当日系统故障导致排队，非窗口服务原因"), chromedp.Click(chromedp.CSS(`#file-appeal button`)))
	waitPage(t, ctx, `#appeal dl`)
	ratingURL := eval[string](t, ctx, `location.pathname`)
	logout()
	login("supervisor")
	do(t, ctx, chromedp.Navigate(r.URL+"/ratings"), chromedp.WaitVisible(chromedp.CSS(`#appeals a`)), chromedp.Click(chromedp.CSS(`#appeals a`)))
	waitPage(t, ctx, `#decide`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`input[name=decision][value=rejected]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-decision_reason`), "经核实排队系窗口人手不足，差评成立"), chromedp.Click(chromedp.CSS(`#decide button`)))
	waitPage(t, ctx, `#decision`)
	if got := eval[string](t, ctx, `location.pathname`); got != ratingURL {
		t.Fatalf("decided on %s, filed on %s", got, ratingURL)
	}

	// 7. the dashboard and the month's report: figures equal plain counts of the stored ratings
	tw, _ := r.DB.OrgsByName(t.Context(), org.Township, "天山镇")
	var total, good, bad, rectified, revisited, satisfied int
	if err := r.DB.QueryRowRaw(t.Context(), `SELECT count(*), sum(CASE WHEN r.level <= 3 THEN 1 ELSE 0 END), sum(CASE WHEN r.level >= 4 THEN 1 ELSE 0 END),
		sum(COALESCE(x.done, 0)), sum(COALESCE(x.revisited, 0)), sum(COALESCE(x.satisfied, 0))
		FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id WHERE r.township_id = ? AND r.excluded = 0`, tw[0].ID).
		Scan(&total, &good, &bad, &rectified, &revisited, &satisfied); err != nil {
		t.Fatal(err)
	}
	if total != 2 || bad != 1 || rectified != 1 || revisited != 1 || satisfied != 1 {
		t.Fatalf("stored: %d %d %d %d %d %d", total, good, bad, rectified, revisited, satisfied)
	}
	f := rating.Figures{Total: total, Good: good, Bad: bad, Rectified: rectified, Revisited: revisited, RevisitSatisfied: satisfied}
	want := []string{web.Figure(float64(f.Total), false), web.Figure(f.GoodRate(), true), web.Figure(float64(f.Bad), false),
		web.Figure(f.RectifyRate(), true), web.Figure(f.RevisitRate(), true), "0"}
	month := supervision.MonthOf(r.Service.Today(t.Context())).String()
	do(t, ctx, chromedp.Navigate(r.URL+"/supervision?dim=township&month="+month), chromedp.WaitVisible(chromedp.CSS(`#dashboard`)))
	audit(ctx, t, "supervision")
	cells := eval[[]string](t, ctx, `[...document.querySelectorAll("#dashboard tbody tr")].filter(tr => tr.querySelector("th").textContent.includes("天山镇"))
		.flatMap(tr => [...tr.querySelectorAll("td.rating-col")].map(td => td.textContent.trim()))`)
	if strings.Join(cells, " ") != strings.Join(want, " ") {
		t.Fatalf("dashboard %v, plain count %v", cells, want)
	}
	if got := eval[[]string](t, ctx, `[...document.querySelectorAll("#rating-channels tbody tr")].filter(tr => tr.querySelector("th").textContent.includes("平板")).flatMap(tr => [...tr.querySelectorAll("td")].map(td => td.textContent.trim()))`); len(got) < 3 || got[0] != "1" || got[2] != "1" {
		t.Fatalf("by channel, the tablet: %v", got)
	}
	banner, _ := r.DB.OrgByCode(t.Context(), "150421")
	m, _ := supervision.ParseMonth(month)
	if err := r.Service.MakeReports(t.Context(), banner, m); err != nil {
		t.Fatal(err)
	}
	logout()
	do(t, ctx, chromedp.Navigate(r.URL+"/reports/"+month+"/"+tw[0].ID), chromedp.WaitVisible(chromedp.CSS(`#report-rating-table`)))
	audit(ctx, t, "report")
	foot := eval[[]string](t, ctx, `[...document.querySelectorAll("#report-rating-table tfoot td")].map(td => td.textContent.trim())`)
	if strings.Join(foot, " ") != strings.Join(want, " ") {
		t.Fatalf("report %v, plain count %v", foot, want)
	}
	if page := text(ctx, `main`); strings.Contains(page, "其其格") || strings.Contains(page, "排队太久") {
		t.Fatal("the public report names the rater or quotes the rating")
	}
}
