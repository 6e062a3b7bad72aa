package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"bianmin/internal/demo"
)

// phone makes the browser a phone of 390 x 844 CSS pixels.
func phone() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 390, Height: 844, DeviceScaleFactor: 2, Mobile: true})
		return err
	})
}

// phoneLayout measures a page on a phone: the header's height, whether the page is wider than the screen,
// and the table cells whose short text (a date, a number, a Chinese name) is broken over several lines.
const phoneLayout = `(() => {
  const broken = [];
  for (const td of document.querySelectorAll("main td, main th")) {
    const text = td.textContent.trim();
    if (text.length < 3 || text.length > 14 || /\s/.test(text) || getComputedStyle(td).display === "none") continue;
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0 && r.height > 0).map(r =>
      getComputedStyle(td).writingMode.startsWith("vertical") ? Math.round(r.left) : Math.round(r.top)));
    if (lines.size > 1) broken.push(text + " in " + lines.size + " lines");
  }
  return {
    header: Math.round(document.querySelector("header.sign").getBoundingClientRect().height),
    overflow: Math.max(document.documentElement.scrollWidth, innerWidth) - 390,
    nav: (() => { const a = document.querySelector("header.sign nav a"), r = a.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.right <= 390 && r.bottom <= 844; })(),
    broken };
})()`

type phoneMeasure struct {
	Header   int      `json:"header"`
	Overflow int      `json:"overflow"`
	Broken   []string `json:"broken"`
	Nav      bool     `json:"nav"` // the first link of the navigation is on the screen
}

// On a phone, a Mongolian page has a compact header and is no wider than the screen; its tables become cards
// whose dates and Chinese names stay whole, in both languages.
func TestBrowserPhoneMongolian(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t)
	r := w.r
	ctx := browser(t)
	do(t, ctx, phone())
	do(t, ctx, chromedp.Navigate(r.URL+"/portal/search?q=低保"), chromedp.WaitVisible(chromedp.CSS(`ul.items a`)),
		chromedp.Click(chromedp.CSS(`ul.items a`)), chromedp.WaitVisible(chromedp.CSS(`article.guide`)))
	guide := eval[string](t, ctx, `location.pathname`)
	for _, lang := range []string{"mn", "zh"} {
		for _, page := range []string{guide, "/track?id_number=11010519491231002X&phone4=5678", "/"} {
			do(t, ctx, chromedp.Navigate(r.URL+"/lang/"+lang+"?back="+page), chromedp.WaitVisible(chromedp.CSS(`main`)))
			m := eval[phoneMeasure](t, ctx, phoneLayout)
			shot(ctx, t, "phone-"+lang+strings.ReplaceAll(strings.SplitN(page, "?", 2)[0], "/", "-"))
			if m.Header > 120 || m.Overflow > 0 || len(m.Broken) > 0 || !m.Nav {
				t.Errorf("%s %s on a phone: header %d px, %d px wider than the screen, broken cells %q, navigation on screen %v", lang, page, m.Header, m.Overflow, m.Broken, m.Nav)
			}
			audit(ctx, t, lang+" "+page+" on a phone")
		}
	}
	// a clerk's desk and queue on a phone
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "shaogen.clerk"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
	)
	for _, lang := range []string{"mn", "zh"} {
		for _, page := range []string{"/desk", "/cases", "/cases/" + w.a.ID} {
			do(t, ctx, chromedp.Navigate(r.URL+"/lang/"+lang+"?back="+page), chromedp.WaitVisible(chromedp.CSS(`main`)))
			m := eval[phoneMeasure](t, ctx, phoneLayout)
			shot(ctx, t, "phone-"+lang+strings.ReplaceAll(page, "/", "-"))
			if m.Header > 120 || m.Overflow > 0 || !m.Nav {
				t.Errorf("%s %s on a phone: header %d px, %d px wider than the screen, navigation on screen %v", lang, page, m.Header, m.Overflow, m.Nav)
			}
			if len(m.Broken) > 0 {
				t.Logf("%s %s: broken cells %q", lang, page, m.Broken)
			}
		}
	}
}
