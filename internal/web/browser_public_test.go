package web_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/chromedp/chromedp"

	"bianmin/internal/testkit"
)

// publicSteps reads the plain timeline of every tracked case on the page: its stages with their dates, the
// current stage, and what the resident is told to do next.
const publicSteps = `[...document.querySelectorAll("section.tracked")].map(s => ({
  no: s.querySelector("dd.code").textContent,
  stages: [...s.querySelectorAll("ol.timeline li")].map(li => li.querySelector(".stage").textContent + "|" + li.querySelector(".when").textContent),
  current: s.querySelector("ol.timeline li.current .stage")?.textContent ?? "",
  next: s.querySelector(".next").textContent }))`

type tracked struct {
	No      string   `json:"no"`
	Stages  []string `json:"stages"`
	Current string   `json:"current"`
	Next    string   `json:"next"`
}

// A resident tracks a case with its number typed without the township's prefix, then all of their cases by
// ID number; the timeline reads in plain words (收到申请 → 已受理 → 审核中 → 已办结：准予 → 已送达) with dates,
// says granted or refused and what to do next, and names no desk. Switching the language or the large type
// keeps the page and its query.
func TestBrowserResidentPlainTimeline(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t) // a: granted, sent by post; b: refused at the window; c: denied
	ctx := browser(t)
	digits := strings.TrimLeftFunc(w.a.No, func(r rune) bool { return !unicode.IsDigit(r) })
	if digits == w.a.No {
		t.Fatalf("case number %s has no prefix", w.a.No)
	}
	do(t, ctx,
		chromedp.Navigate(w.r.URL+"/track"),
		chromedp.WaitVisible(chromedp.CSS(`#f-no`)),
		chromedp.SendKeys(chromedp.CSS(`#f-no`), digits),
		chromedp.SendKeys(chromedp.CSS(`#f-phone4`), "5678"),
		chromedp.Click(chromedp.CSS(`form.track-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.tracked`)),
	)
	audit(ctx, t, "tracking zh")
	got := eval[[]tracked](t, ctx, publicSteps)
	if len(got) != 1 || got[0].No != w.a.No {
		t.Fatalf("tracking %s found %+v", digits, got)
	}
	a := got[0]
	var names []string
	for _, s := range a.Stages {
		name, when, _ := strings.Cut(s, "|")
		names = append(names, name)
		if name != "已送达" && len(when) != len("2006-01-02") {
			t.Errorf("stage %s has no date: %q", name, when)
		}
	}
	if strings.Join(names, " → ") != "收到申请 → 需要补充材料 → 已受理 → 审核中 → 已办结：准予 → 已送达" {
		t.Errorf("stages: %v", a.Stages)
	}
	if a.Current != "已办结：准予" || !strings.Contains(a.Next, "邮寄") {
		t.Errorf("current %q, next %q", a.Current, a.Next)
	}
	main := eval[string](t, ctx, `document.querySelector("main").textContent`)
	for _, jargon := range []string{"前台", "后台", "审办", "环节", "挂起"} {
		if strings.Contains(main, jargon) {
			t.Errorf("the public page speaks staff jargon %q", jargon)
		}
	}
	shot(ctx, t, "track-plain")

	// by ID number and the phone's digits: all four of her cases, one refused, one denied, one revoked
	do(t, ctx,
		chromedp.Navigate(w.r.URL+"/track"),
		chromedp.WaitVisible(chromedp.CSS(`#f-id_number`)),
		chromedp.SendKeys(chromedp.CSS(`#f-id_number`), "11010519491231002X"),
		chromedp.SendKeys(chromedp.CSS(`#f-phone4`), "5678"),
		chromedp.Click(chromedp.CSS(`form.track-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.tracked`)),
	)
	all := eval[[]tracked](t, ctx, publicSteps)
	byNo := map[string]tracked{}
	for _, c := range all {
		byNo[c.No] = c
	}
	if len(all) != 4 || byNo[w.p.No].Current != "已撤销" || byNo[w.b.No].Current != "不予受理" || byNo[w.c.No].Current != "已办结：不予准许" ||
		!strings.Contains(byNo[w.c.No].Next, "行政复议") || !strings.Contains(byNo[w.b.No].Next, "行政诉讼") {
		t.Fatalf("by ID number: %+v", all)
	}
	// a wrong phone finds nothing, the same way
	do(t, ctx, chromedp.Navigate(w.r.URL+"/track?id_number=11010519491231002X&phone4=0000"), chromedp.WaitVisible(chromedp.CSS(`#errors`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("section.tracked").length`); n != 0 {
		t.Errorf("a wrong phone shows %d cases", n)
	}

	// the language switch and the large type keep the page and its query
	query := "/track?id_number=11010519491231002X&phone4=5678"
	do(t, ctx,
		chromedp.Navigate(w.r.URL+query),
		chromedp.WaitVisible(chromedp.CSS(`section.tracked`)),
		chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] section.tracked`)),
	)
	loc, _ := url.Parse(eval[string](t, ctx, `location.href`))
	if loc.Path != "/track" || loc.Query().Get("id_number") != "11010519491231002X" || loc.Query().Get("phone4") != "5678" {
		t.Errorf("after the language switch: %s", loc)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("section.tracked").length`); n != 4 {
		t.Errorf("the Mongolian page tracks %d cases", n)
	}
	if !eval[bool](t, ctx, `/[\u1800-\u18AF]/.test(document.querySelector("ol.timeline li .stage").textContent)`) {
		t.Error("the Mongolian timeline is not in Mongolian")
	}
	audit(ctx, t, "tracking mn")
	shot(ctx, t, "track-mn")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`a.switch[href^="/view/large"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html.large section.tracked`)),
	)
	if got := eval[string](t, ctx, `location.pathname + location.search`); got != query {
		t.Errorf("after the large-text switch: %s", got)
	}
}

// The home page searches the catalog, links every township to its items, and has two clearly named doors:
// the residents' sign-in and the staff's; township pages and guides are titled by their own names.
func TestBrowserHomePage(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(r.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`form.search`)))
	audit(ctx, t, "home")
	type door struct {
		Text string `json:"text"`
		Href string `json:"href"`
	}
	doors := eval[[]door](t, ctx, `[...document.querySelectorAll(".doors a")].map(a => ({text: a.textContent, href: a.getAttribute("href")}))`)
	if len(doors) < 2 || doors[0].Href != "/resident/login" || !strings.Contains(doors[0].Text, "居民") {
		t.Errorf("the home page's big button: %+v", doors)
	}
	for _, d := range doors {
		if d.Href == "/login" && !strings.Contains(d.Text, "工作人员") {
			t.Errorf("the staff login is not named for staff: %+v", d)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("ul.units a[href^='/portal/township/']").length`); n < 10 {
		t.Errorf("%d township links", n)
	}
	town := eval[string](t, ctx, `document.querySelector("ul.units a[href^='/portal/township/'] .zh").textContent`)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`ul.units a[href^='/portal/township/']`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.items`)),
	)
	if title := eval[string](t, ctx, `document.title`); town == "" || !strings.HasPrefix(title, town+" · ") {
		t.Errorf("the township page of %q is titled %q", town, title)
	}
	do(t, ctx,
		chromedp.Navigate(r.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#f-q`)),
		chromedp.SendKeys(chromedp.CSS(`#f-q`), "低保"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.items a`)),
		chromedp.Click(chromedp.CSS(`ul.items a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.guide`)),
	)
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "最低生活保障 · ") {
		t.Errorf("a guide is titled %q", title)
	}
}
