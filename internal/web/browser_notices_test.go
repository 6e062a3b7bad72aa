package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
)

// media switches the page between screen ("") and print.
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// headOrder measures a printed paper's head: the Mongolian line must sit above the Chinese one, both set
// across the page.
const headOrder = `(() => {
  const out = [];
  for (const s of document.querySelectorAll(".paper .doc-head .stack")) {
    const m = s.querySelector(".mn"), z = s.querySelector(".zh");
    if (!m || !z) { out.push("a head line without both languages"); continue; }
    const mr = m.getBoundingClientRect(), zr = z.getBoundingClientRect();
    if (!/[\u1800-\u18AF]/.test(m.textContent)) out.push("no Mongolian letters: " + m.textContent);
    if (m.compareDocumentPosition(z) !== Node.DOCUMENT_POSITION_FOLLOWING) out.push("Chinese before Mongolian in the document");
    if (mr.bottom > zr.top + 1) out.push("Mongolian not above Chinese: " + mr.bottom + " > " + zr.top);
    if (getComputedStyle(m).writingMode !== "horizontal-tb") out.push("Mongolian head set " + getComputedStyle(m).writingMode);
  }
  if (document.querySelectorAll(".paper .doc-head .stack").length !== 2) out.push("head lines: " + document.querySelectorAll(".paper .doc-head .stack").length);
  return out;
})()`

// printedPaper is what the print stylesheet leaves of a page with a paper on it.
const printedPaper = `(() => ({
  nav: getComputedStyle(document.querySelector("header.sign")).display,
  h1: getComputedStyle(document.querySelector("main > h1")).display,
  back: getComputedStyle(document.querySelector(".no-print")).display,
  paper: getComputedStyle(document.querySelector(".paper")).display,
  table: document.querySelector(".paper table") ? getComputedStyle(document.querySelector(".paper table")).display : "absent",
  qr: document.querySelector(".paper img.qr") ? getComputedStyle(document.querySelector(".paper img.qr")).display : "absent",
  forms: [...document.querySelectorAll("main form")].filter(f => getComputedStyle(f).display !== "none").length }))()`

type printed struct {
	Nav, H1, Back, Paper, Table, QR string
	Forms                           int
}

func checkPrinted(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	do(t, ctx, media("print"))
	got := eval[printed](t, ctx, printedPaper)
	if got.Nav != "none" || got.H1 != "none" || got.Back != "none" || got.Paper == "none" || got.Table == "none" || got.QR == "none" || got.Forms != 0 {
		t.Errorf("%s, printed: %+v", what, got)
	}
	shot(ctx, t, what+"-print")
	do(t, ctx, media(""))
}

// The window of 绍根镇 refuses an application of a 天山镇 resident and prints the 不予受理通知书: the head names
// 天山镇 and the paper in Mongolian above Chinese, the body gives the reason and the remedies, and it prints
// on A4 without the site around it, in Chinese and in Mongolian. Then it sends the originals of an accepted
// 通办 case to 天山镇 and prints the transfer list, whose head is Mongolian first too.
func TestBrowserRefusalNoticeAndTransferList(t *testing.T) {
	w := newNoticeWorldAt(t)
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(w.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "shaogen.clerk"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(w.url+"/cases/"+w.fresh.ID),
		chromedp.WaitVisible(chromedp.CSS(`#check`)),
		chromedp.SendKeys(chromedp.CSS(`#f-reason-refuse`), "申请人已在户籍地另行申请，本申请属重复申请"),
		chromedp.Click(chromedp.CSS(`button[name=action][value=refuse]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.notice-doc[data-kind="refuse"]`)),
	)
	audit(ctx, t, "refusal notice zh")
	for _, p := range eval[[]string](t, ctx, headOrder) {
		t.Errorf("refusal notice zh: %s", p)
	}
	body := eval[string](t, ctx, `document.querySelector("article.notice-doc").textContent`)
	for _, s := range []string{"不予受理通知书", "天山不予受理〔", "申请人已在户籍地另行申请", "六十日内向阿鲁科尔沁旗人民政府申请行政复议", "六个月内向阿鲁科尔沁旗人民法院提起行政诉讼", "经办人：绍根镇综合受理员", w.fresh.No} {
		if !strings.Contains(body, s) {
			t.Errorf("the refusal notice does not say %q", s)
		}
	}
	if !eval[bool](t, ctx, `(() => { const i = document.querySelector("img.qr"); return i.complete && i.naturalWidth > 100; })()`) {
		t.Error("the notice's QR code did not load")
	}
	shot(ctx, t, "refusal-zh")
	checkPrinted(t, ctx, "refusal-zh")

	// the same paper for a Mongolian reader: the head unchanged, the body in vertical Mongolian
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] article.notice-doc`)),
	)
	for _, p := range eval[[]string](t, ctx, headOrder) {
		t.Errorf("refusal notice mn: %s", p)
	}
	if mode := eval[string](t, ctx, `getComputedStyle(document.querySelector("article.notice-doc p.remedies")).writingMode`); mode != "vertical-lr" {
		t.Errorf("the Mongolian body is set %s", mode)
	}
	if !eval[bool](t, ctx, `/[\u1800-\u18AF]/.test(document.querySelector("article.notice-doc p.remedies").textContent)`) {
		t.Error("the remedies are not in Mongolian")
	}
	audit(ctx, t, "refusal notice mn")
	shot(ctx, t, "refusal-mn")
	checkPrinted(t, ctx, "refusal-mn")

	// the transfer list: the accepted case's originals go to 天山镇
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.switch[lang="zh-Hans"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-Hans"] article.notice-doc`)),
		chromedp.Navigate(w.url+"/transfers"),
		chromedp.WaitVisible(chromedp.CSS(`section.transfer-group`)),
	)
	audit(ctx, t, "transfers")
	if page := eval[string](t, ctx, `document.querySelector("main").textContent`); !strings.Contains(page, w.accepted.No) || strings.Contains(page, w.fresh.No) {
		t.Errorf("the transfer page: %s", page)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`section.transfer-group button[name=send]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.transfer-doc`)),
	)
	for _, p := range eval[[]string](t, ctx, headOrder) {
		t.Errorf("transfer list zh: %s", p)
	}
	list := eval[string](t, ctx, `document.querySelector("article.transfer-doc").textContent`)
	for _, s := range []string{"绍根移交〔", w.accepted.No, "最低生活保障申请表", "移交人签名", "接收人签名", "绍根镇综合受理员"} {
		if !strings.Contains(list, s) {
			t.Errorf("the transfer list does not say %q", s)
		}
	}
	audit(ctx, t, "transfer list zh")
	shot(ctx, t, "transfer-zh")
	checkPrinted(t, ctx, "transfer-zh")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] article.transfer-doc`)),
	)
	for _, p := range eval[[]string](t, ctx, headOrder) {
		t.Errorf("transfer list mn: %s", p)
	}
	audit(ctx, t, "transfer list mn")
	shot(ctx, t, "transfer-mn")
	checkPrinted(t, ctx, "transfer-mn")
}

// browserWorld is a running Bianmin with two 通办 cases received at 绍根镇 for a 天山镇 resident: one fresh
// (to refuse), one accepted with its originals seen.
type browserWorld struct {
	url             string
	fresh, accepted cases.Case
}

func newNoticeWorldAt(t *testing.T) browserWorld {
	t.Helper()
	nw := newNoticeWorld(t)
	ctx := t.Context()
	r := nw.r
	t2, _ := r.DB.OrgsByName(ctx, org.Township, "绍根镇")
	fresh, err := r.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: nw.a.ItemID, ApplicantID: nw.a.ApplicantID, ReceivingOrg: t2[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	return browserWorld{url: r.URL, fresh: fresh, accepted: nw.a}
}
