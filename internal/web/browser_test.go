package web_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// browser starts Debian's Chromium headless. The browser tests are part of the test suite: a machine
// without Chromium fails them (scripts/test installs it), unless BIANMIN_SKIP_BROWSER says otherwise.
func browser(t *testing.T) context.Context {
	t.Helper()
	shared.once.Do(func() { shared.ctx, shared.err = startShared() })
	if shared.err != nil {
		noBrowser(t, shared.err)
	}
	// two tests at a time in the browser: on a machine of two processors a third would only wait for one. A
	// test holds one place however many browsers it opens (the hall's morning opens four at once).
	root, _, _ := strings.Cut(t.Name(), "/") // a subtest's browser counts with its test's
	if _, again := holding.LoadOrStore(root, true); !again {
		browsers <- struct{}{}
		t.Cleanup(func() { holding.Delete(root); <-browsers })
	}
	// a browser context of its own: the test's cookies and storage are its own, as in a fresh profile
	ctx, cancel := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("a tab in the shared Chromium: %v", err)
	}
	ctx, cancel2 := context.WithTimeout(ctx, 3*time.Minute) // a bound on a hung browser, not a measure
	t.Cleanup(cancel2)
	return ctx
}

// shared is one Chromium for all the tests of the package that need no profile of their own: starting it
// costs a second or two, a new browser context a few milliseconds. It ends with the test binary (chromedp
// starts it with a parent-death signal).
var (
	shared struct {
		once sync.Once
		ctx  context.Context
		err  error
	}
	browsers = make(chan struct{}, 2)
	holding  sync.Map // the tests holding a place in browsers
)

func startShared() (context.Context, error) {
	path, err := chromiumPath()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "bianmin-chromium-")
	if err != nil {
		return nil, err
	}
	actx, _ := chromedp.NewExecAllocator(context.Background(), chromiumOptions(path, profile)...)
	ctx, _ := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		return nil, fmt.Errorf("starting Chromium at %s: %v", path, err)
	}
	return ctx, nil
}

// noBrowser fails the test, or skips it where BIANMIN_SKIP_BROWSER says a machine has no Chromium.
func noBrowser(t *testing.T, err error) {
	t.Helper()
	if os.Getenv("BIANMIN_SKIP_BROWSER") != "" {
		t.Skipf("%v, and BIANMIN_SKIP_BROWSER is set", err)
	}
	t.Fatal(err)
}

func chromiumPath() (string, error) {
	if path := os.Getenv("BIANMIN_CHROMIUM"); path != "" {
		return path, nil
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New("Chromium not found: run scripts/test, which installs Debian's chromium")
}

func chromiumOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900))
}

// browserAt starts Chromium on a profile directory of the test's choosing, so that a test can stop the
// browser (the function returned) and start it again on the same profile: a browser restart.
func browserAt(t *testing.T, profile string) (context.Context, func()) {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		noBrowser(t, err)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromiumOptions(path, profile)...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	stop := func() {
		chromedp.Cancel(ctx) // closes the browser as a person would, so that it writes its profile
		cancel()
	}
	// The first run starts the browser; only later steps may carry a deadline (a deadline on the first would
	// end the browser with it).
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium at %s: %v", path, err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	return ctx, stop
}

// goTo opens url in a tab whose page may be navigating itself (the rating tablet's screens refresh every few
// seconds): a navigation that page aborts is made again.
func goTo(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	for i := 0; ; i++ {
		err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
		if err == nil {
			return
		}
		if i == 4 || !strings.Contains(err.Error(), "ERR_ABORTED") {
			t.Fatal(err)
		}
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func shot(ctx context.Context, t *testing.T, name string) {
	dir := os.Getenv("BIANMIN_SCREENSHOTS")
	if dir == "" {
		return
	}
	if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(dir+"/"+name+".png", buf, 0o644)
	}
}

// a11yAudit is a small accessibility check run inside the page: the things a screen-reader or keyboard user
// cannot work around. It returns one line per problem.
const a11yAudit = `(() => {
  const out = [];
  if (!document.documentElement.lang) out.push("html has no lang");
  if (document.querySelectorAll("h1").length !== 1) out.push("h1 count " + document.querySelectorAll("h1").length);
  if (!document.title.trim()) out.push("no title");
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const named = (el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!named) out.push("unlabelled " + el.tagName + " " + (el.name || el.id));
  }
  for (const el of document.querySelectorAll("a, button")) {
    if (!el.textContent.trim() && !el.getAttribute("aria-label")) out.push("nameless " + el.tagName + " " + (el.getAttribute("href") || ""));
  }
  for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) out.push("img without alt");
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) { if (ids[el.id]) out.push("duplicate id " + el.id); ids[el.id] = 1; }
  if (!document.querySelector("main")) out.push("no main landmark");
  if (!document.querySelector("nav")) out.push("no nav landmark");
  return out;
})()`

func audit(ctx context.Context, t *testing.T, page string) {
	t.Helper()
	for _, p := range eval[[]string](t, ctx, a11yAudit) {
		t.Errorf("%s: %s", page, p)
	}
}

// A clerk logs in, switches to Mongolian, and reads vertical Mongolian; the pages pass the accessibility
// checks in both languages; the large-text mode enlarges the type; the keyboard reaches the skip link first.
func TestBrowserLoginMongolianVertical(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "tianshan.clerk"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
	)
	audit(ctx, t, "desk zh")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] ul.tiles`)),
	)
	// Every element whose own text is Mongolian is set vertically.
	type result struct {
		Mongolian  int      `json:"mongolian"`
		Vertical   int      `json:"vertical"`
		Horizontal []string `json:"horizontal"`
		H1         string   `json:"h1"`
		H1Mode     string   `json:"h1mode"`
	}
	res := eval[result](t, ctx, `(() => {
	  const mn = /[\u1800-\u18AF]/;
	  const r = {mongolian: 0, vertical: 0, horizontal: []};
	  for (const el of document.querySelectorAll("body *")) {
	    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("");
	    if (!mn.test(own) || el.getClientRects().length === 0) continue;
	    r.mongolian++;
	    if (getComputedStyle(el).writingMode === "vertical-lr") r.vertical++; else r.horizontal.push(el.tagName + ": " + own.trim().slice(0, 20));
	  }
	  const h1 = document.querySelector("h1");
	  r.h1 = h1.textContent; r.h1mode = getComputedStyle(h1).writingMode;
	  return r;
	})()`)
	if res.Mongolian < 5 || res.Vertical != res.Mongolian {
		t.Errorf("Mongolian elements: %d, vertical: %d; horizontal ones: %v", res.Mongolian, res.Vertical, res.Horizontal)
	}
	if !strings.ContainsFunc(res.H1, func(r rune) bool { return r >= 0x1800 && r <= 0x18AF }) || res.H1Mode != "vertical-lr" {
		t.Errorf("heading %q is set %s", res.H1, res.H1Mode)
	}
	shot(ctx, t, "desk-mn")
	audit(ctx, t, "desk mn")
	// The sign in the header shows both languages, Mongolian first (on the left).
	if !eval[bool](t, ctx, `(() => { const b = document.querySelector(".brand .bi"); const m = b.querySelector(".mn").getBoundingClientRect(); const z = b.querySelector(".zh").getBoundingClientRect(); return m.right <= z.left + 1; })()`) {
		t.Error("Mongolian is not left of Chinese on the sign")
	}
	for _, p := range []string{"/applicants/new", "/orgs", "/applicants", "/account/password"} {
		do(t, ctx, chromedp.Navigate(r.URL+p), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		audit(ctx, t, p+" mn")
	}
	shot(ctx, t, "applicant-new-mn")
	// Large text for elderly users.
	do(t, ctx,
		chromedp.Navigate(r.URL+"/desk"),
		chromedp.Click(chromedp.CSS(`a.switch[href^="/view/large"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html.large ul.tiles`)),
	)
	if size := eval[string](t, ctx, `getComputedStyle(document.documentElement).fontSize`); size != "24px" {
		t.Errorf("large mode font size %q", size)
	}
	// The first Tab lands on the skip link.
	do(t, ctx, chromedp.KeyEvent(kb.Tab))
	if active := eval[string](t, ctx, `document.activeElement.className`); active != "skip" {
		t.Errorf("first focus: %q", active)
	}
}

// Every form works without JavaScript: with scripts disabled, a village agent registers a resident.
func TestBrowserFormsWithoutJavaScript(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	before, _ := r.DB.CountApplicants(t.Context()) // the demo resident's own record
	ctx := browser(t)
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	do(t, ctx,
		noScript,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "yangshulin.agent"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(r.URL+"/applicants/new"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "哈斯"),
		chromedp.SendKeys(chromedp.CSS(`#f-id_number`), "11010519491231002X"),
		chromedp.SendKeys(chromedp.CSS(`#f-phone`), "13612345678"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl.facts`)),
	)
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "哈斯") || !strings.Contains(body, "11010519491231002X") {
		t.Fatalf("the applicant page: %s", body)
	}
	if n, _ := r.DB.CountApplicants(t.Context()); n != before+1 {
		t.Fatalf("%d applicants", n)
	}
}

// A resident, not signed in, searches 低保 on the portal, opens the guide, switches to Mongolian, and the
// guide prints on A4 without the site's navigation, with its QR code.
func TestBrowserResidentFindsGuide(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/portal"),
		chromedp.WaitVisible(chromedp.CSS(`#f-q`)),
		chromedp.SendKeys(chromedp.CSS(`#f-q`), "低保"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.items a`)),
	)
	if first := eval[string](t, ctx, `document.querySelector("ul.items a").textContent`); first != "最低生活保障" {
		t.Fatalf("first result %q", first)
	}
	audit(ctx, t, "search zh")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`ul.items a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.guide`)),
	)
	audit(ctx, t, "guide zh")
	if n := eval[int](t, ctx, `document.querySelectorAll("article.guide tbody tr").length`); n < 4 {
		t.Errorf("the guide lists %d materials", n)
	}
	// (the image may still be on its way on a busy machine: polled, not read once)
	if ok, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector("img.qr"); return i.complete && i.naturalWidth > 100; })()`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil || !ok {
		t.Error("the QR code did not load")
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] article.guide`)),
	)
	if mode := eval[string](t, ctx, `getComputedStyle(document.querySelector("main h2")).writingMode`); mode != "vertical-lr" {
		t.Errorf("the Mongolian guide is set %s", mode)
	}
	if !eval[bool](t, ctx, `/[\u1800-\u18AF]/.test(document.querySelector(".signboard .mn").textContent)`) {
		t.Error("no Mongolian name on the guide's sign")
	}
	shot(ctx, t, "guide-mn")
	audit(ctx, t, "guide mn")
	printMedia := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
	do(t, ctx, printMedia)
	type printed struct {
		Nav   string `json:"nav"`
		Tools string `json:"tools"`
		QR    string `json:"qr"`
		Table string `json:"table"`
	}
	got := eval[printed](t, ctx, `(() => ({
	  nav: getComputedStyle(document.querySelector("header.sign nav")).display,
	  tools: getComputedStyle(document.querySelector(".tools")).display,
	  qr: getComputedStyle(document.querySelector("img.qr")).display,
	  table: getComputedStyle(document.querySelector("article.guide table")).display }))()`)
	if got.Nav != "none" || got.Tools != "none" || got.QR == "none" || got.Table == "none" {
		t.Errorf("print stylesheet not applied: %+v", got)
	}
	shot(ctx, t, "guide-mn-print")
}

// The whole path in the browser: a village agent of a 天山镇 village applies for 最低生活保障 for a resident;
// the township clerk finds a material missing and prints the one-time notice; the material is brought; the
// case is accepted, reviewed in the township, decided by the banner's 民政局, issued at the village station
// and delivered; the public tracking page shows the timeline.
func TestBrowserCaseWholePath(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	login, logout, move := deskSteps(t, ctx, r.URL)
	// the agent registers the resident and applies on her behalf
	login("yangshulin.agent")
	do(t, ctx,
		chromedp.Navigate(r.URL+"/applicants/new"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "乌云其木格"),
		chromedp.SendKeys(chromedp.CSS(`#f-id_number`), "11010519491231002X"),
		chromedp.SendKeys(chromedp.CSS(`#f-phone`), "13904761234"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl.facts`)),
		chromedp.Navigate(r.URL+"/cases/new?id_number=11010519491231002X"),
		chromedp.WaitVisible(chromedp.CSS(`#applicant-name`)),
	)
	eval[string](t, ctx, `(() => { const s = document.querySelector("#f-item_other"); s.value = [...s.options].find(o => o.textContent.trim() === "最低生活保障").value; return s.value; })()`)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-authorisation`), "书面委托书（本人签字按印）"),
		chromedp.Click(chromedp.CSS(`#receive-button`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)),
	)
	caseURL := eval[string](t, ctx, `location.pathname`)
	no := eval[string](t, ctx, `document.querySelector("dl.facts dd.code").textContent`)
	audit(ctx, t, "case received")
	logout()

	// the township clerk finds the income statement missing and gives the one-time notice
	login("tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`a[href="`+caseURL+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="`+caseURL+`"]`)), chromedp.WaitVisible(chromedp.CSS(`#check`)))
	// each row is chosen (nothing is pre-selected); the agent applies for her: the power of attorney applies
	eval[int](t, ctx, `(() => { const want = {"最低生活保障申请表": "original", "居民身份证": "original", "居民户口簿": "copy", "家庭收入和财产状况声明": "missing", "本人银行卡或一卡通": "copy", "授权委托书及代办人身份证": "original"};
	  let n = 0; for (const r of document.querySelectorAll("#check ~ form tbody tr")) { const s = r.querySelector("select"); s.value = want[r.querySelector("input[type=hidden]").value]; n++; } return n; })()`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`button[name=action][value=ask_correction]`)), chromedp.WaitVisible(chromedp.CSS(`article.notice-doc`)))
	notice := eval[string](t, ctx, `document.querySelector("article.notice-doc").textContent`)
	if !strings.Contains(notice, "家庭收入和财产状况声明") || strings.Contains(notice, "居民身份证") || !strings.Contains(notice, no) {
		t.Fatalf("the notice lists: %s", notice)
	}
	shot(ctx, t, "correction-notice")
	// the QR code on the paper opens a page that confirms the notice, without the applicant's data
	// (the image may still be on its way on a busy machine: polled, not read once)
	if ok, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector("img.qr"); return i.complete && i.naturalWidth > 100; })()`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil || !ok {
		t.Error("the notice's QR code did not load")
	}
	verify := strings.TrimSuffix(eval[string](t, ctx, `new URL(document.querySelector("img.qr").src).pathname`), "/qr.png")
	do(t, ctx, chromedp.Navigate(r.URL+verify), chromedp.WaitVisible(chromedp.CSS(`dl.facts`)))
	if page := eval[string](t, ctx, `document.querySelector("main").textContent`); !strings.Contains(page, "真实有效") || strings.Contains(page, "乌云其木格") {
		t.Errorf("verification page: %s", page)
	}
	logout()

	// the agent brings it back to the township: the same case resumes
	login("yangshulin.agent")
	do(t, ctx, chromedp.Navigate(r.URL+caseURL), chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	move("resubmit")
	logout()

	login("tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+caseURL), chromedp.WaitVisible(chromedp.CSS(`#check`)))
	eval[int](t, ctx, `(() => { const rows = [...document.querySelectorAll("#check ~ form tbody tr select")]; for (const s of rows) s.value = "original"; return rows.length; })()`)
	move("accept")
	logout()

	// township 初审 and 公示, then the banner
	login("tianshan.reviewer")
	do(t, ctx, chromedp.Navigate(r.URL+caseURL), chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	if masked := eval[string](t, ctx, `document.querySelector("dl.facts dd span.code").textContent`); !strings.Contains(masked, "*") {
		t.Errorf("the back office sees the full ID number: %s", masked)
	}
	move("pass")
	move("pass")
	logout()

	login("minzheng")
	do(t, ctx, chromedp.Navigate(r.URL+caseURL), chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	// nothing is pre-selected: the decision is chosen
	do(t, ctx, chromedp.Click(chromedp.CSS(`#g1`)), chromedp.SendKeys(chromedp.CSS(`#f-reason-decide`), "经入户调查和公示，符合条件"))
	move("decide")
	logout()

	// the result goes back to the village station
	login("yangshulin.agent")
	do(t, ctx, chromedp.Navigate(r.URL+caseURL), chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	move("issue")
	move("deliver")
	logout()

	// the resident follows it online with the number and her phone's last four digits
	do(t, ctx,
		chromedp.Navigate(r.URL+"/track"),
		chromedp.SendKeys(chromedp.CSS(`#f-no`), no),
		chromedp.SendKeys(chromedp.CSS(`#f-phone4`), "1234"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)),
	)
	page := eval[string](t, ctx, `document.querySelector("main").textContent`)
	steps := eval[int](t, ctx, `document.querySelectorAll("ol.timeline li.done").length`)
	if steps != 6 || !strings.Contains(page, "已送达") || !strings.Contains(page, "已办结：准予") || strings.Contains(page, "杨树林村代办员") || strings.Contains(page, "乌云其木格") {
		t.Fatalf("tracking shows %d stages: %s", steps, page)
	}
	audit(ctx, t, "tracking")
	shot(ctx, t, "tracking")
}

// The online channel in a real browser: a resident registers, opens a guide from the portal's search, applies
// online and finds the case in "my applications"; the township clerk finds it in the queue, channel online.
func TestBrowserResidentAppliesOnline(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/portal"),
		chromedp.Click(chromedp.CSS(`nav a[href="/resident/login"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/resident/register"]`)),
		chromedp.Click(chromedp.CSS(`a[href^="/resident/register"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-org`)),
	)
	audit(ctx, t, "register")
	village := eval[string](t, ctx, `[...document.querySelectorAll("#f-org option")].find(o => o.textContent.trim() === "杨树林村").value`)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "萨仁"),
		chromedp.SendKeys(chromedp.CSS(`#f-id_number`), "11010519491231002X"),
		chromedp.SendKeys(chromedp.CSS(`#f-phone`), "13904769876"),
		chromedp.SetValue(chromedp.CSS(`#f-org`), village),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), "Saren-2026-caoyuan"),
		chromedp.SendKeys(chromedp.CSS(`#f-confirm_password`), "Saren-2026-caoyuan"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.my-cases`)),
		chromedp.Navigate(r.URL+"/portal"),
		chromedp.SendKeys(chromedp.CSS(`#f-q`), "低保"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.items a`)),
		chromedp.Click(chromedp.CSS(`ul.items a`)),
		chromedp.WaitVisible(chromedp.CSS(`section.apply-online button[type=submit]`)),
	)
	audit(ctx, t, "guide with the online application")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`section.apply-online button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.my-cases td.code`)),
	)
	audit(ctx, t, "my applications")
	shot(ctx, t, "my-applications")
	no := eval[string](t, ctx, `document.querySelector("table.my-cases td.code").textContent`)
	row := eval[string](t, ctx, `document.querySelector("table.my-cases tbody tr").textContent`)
	if no == "" || !strings.Contains(row, "最低生活保障") || !strings.Contains(row, "收件核验中") {
		t.Fatalf("my applications: %q %q", no, row)
	}
	// the tracking link opens the public timeline
	do(t, ctx, chromedp.Click(chromedp.CSS(`table.my-cases a[href^="/track"]`)), chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	if tl := eval[string](t, ctx, `document.querySelector("ol.timeline li.current").textContent`); !strings.Contains(tl, "收到申请") {
		t.Fatalf("timeline: %q", tl)
	}
	// the home page greets the signed-in resident with their applications, and offers no login
	do(t, ctx, chromedp.Navigate(r.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`.doors a.button`)))
	if door := eval[string](t, ctx, `document.querySelector(".doors a.button").textContent + " " + document.querySelector(".doors a.button").getAttribute("href")`); door != "萨仁：我的申请 /my" {
		t.Errorf("the home page's door for a signed-in resident: %q", door)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll("header a, main a")].filter(a => /登录/.test(a.textContent)).length`); n != 0 {
		t.Errorf("a signed-in resident still sees %d login links", n)
	}
	// the resident signs out; the 天山镇 clerk finds the case in the queue, channel online, ready for the check
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.tools form[action="/resident/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/resident/login"]`)),
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "tianshan.clerk"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(r.URL+"/cases"),
		chromedp.WaitVisible(chromedp.CSS(`table`)),
	)
	channel := eval[string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("tbody tr")].find(tr => tr.textContent.includes(%q))?.querySelector("td.channel-online")?.textContent ?? ""`, no))
	if channel != "网上" {
		t.Fatalf("the clerk's queue: case %s, channel %q", no, channel)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`tbody a`)), chromedp.WaitVisible(chromedp.CSS(`#check`)))
}
