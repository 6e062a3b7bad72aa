package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/gen"
	"bianmin/internal/testkit"
)

// A4 in inches, as Chromium's printToPDF takes paper sizes; the page's own @page rule is preferred.
const a4W, a4H = 8.27, 11.69

// printPDF prints the page in the browser as a person would, on A4.
func printPDF(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	var pdf []byte
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		yes := true
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: a4W, PaperHeight: a4H, PreferCSSPageSize: &yes})
		pdf = res.Data
		return err
	}))
	return pdf
}

// pdfPage is one printed page: its size in points and its text.
type pdfPage struct {
	W, H float64
	Text string
}

// readPDF reads a printed PDF's pages with poppler's pdfinfo and pdftotext (Debian's poppler-utils, which
// scripts/test installs).
func readPDF(t *testing.T, pdf []byte, name string) []pdfPage {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found: run scripts/test, which installs Debian's poppler-utils")
	}
	dir := t.TempDir()
	if d := os.Getenv("BIANMIN_SCREENSHOTS"); d != "" {
		dir = d
	}
	file := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", "-f", "1", "-l", "1000", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	sizes := regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(string(info), -1)
	var pages []pdfPage
	for _, s := range sizes {
		n := s[1]
		w, _ := strconv.ParseFloat(s[2], 64)
		h, _ := strconv.ParseFloat(s[3], 64)
		txt, err := exec.Command("pdftotext", "-raw", "-f", n, "-l", n, "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		pages = append(pages, pdfPage{W: w, H: h, Text: string(txt)})
	}
	return pages
}

// printedWords lists the words a person sees on the page in print (Mongolian script only when mongolian),
// from the text nodes whose element is displayed.
const printedWords = `((mongolian) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    let el = n.parentElement, shown = true;
    for (; el; el = el.parentElement) { const cs = getComputedStyle(el); if (cs.display === "none" || cs.visibility === "hidden") { shown = false; break; } }
    if (!shown || n.parentElement.closest("svg title, title, script, style")) continue;
    for (const w of n.textContent.split(/[\s\u00b7·:：;；,，.。()（）\[\]]+/)) {
      if (!w) continue;
      if (mongolian ? /[\u1820-\u18AF]/.test(w) : /\S/.test(w)) out.push(w);
    }
  }
  return out;
})`

// bare keeps the letters of a word: Mongolian shaping controls (FVS, MVS, NNBSP, ZWJ) do not survive a PDF's
// text layer as typed.
func bare(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x180B && r <= 0x180F, r == 0x202F, r == 0x200D, r == 0x200C, r == 0x2060:
			return -1
		case r == ' ' || r == '\n' || r == '\t' || r == '\f' || r == '\r':
			return -1
		}
		return r
	}, s)
}

// checkPrint prints the page and checks the paper: every page A4 and upright, no blank page, not too many
// pages, and every word a person sees in print present in the PDF's text (what is cut past an edge is not
// printed, and so missing).
func checkPrint(t *testing.T, ctx context.Context, name string, mongolian bool, maxPages int) []pdfPage {
	t.Helper()
	do(t, ctx, media("print"))
	words := eval[[]string](t, ctx, printedWords+fmt.Sprintf("(%v)", mongolian))
	do(t, ctx, media(""))
	pages := readPDF(t, printPDF(t, ctx), name)
	if len(pages) == 0 || len(pages) > maxPages {
		t.Errorf("%s: %d pages", name, len(pages))
	}
	var all strings.Builder
	for i, p := range pages {
		if p.W > a4W*72+1 || p.H > a4H*72+1 || p.W > p.H {
			t.Errorf("%s: page %d is %.0f x %.0f pt, not A4 upright", name, i+1, p.W, p.H)
		}
		if strings.TrimSpace(p.Text) == "" {
			t.Errorf("%s: page %d is blank", name, i+1)
		}
		all.WriteString(p.Text)
	}
	text := bare(all.String())
	if len(words) < 5 {
		t.Fatalf("%s: only %d words on the page", name, len(words))
	}
	var missing []string
	for _, w := range words {
		if !strings.Contains(text, bare(w)) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: %d of %d words are not on the paper: %q", name, len(missing), len(words), missing[:min(len(missing), 20)])
	}
	return pages
}

// A guide, a 送达回证 and the monthly report print whole on A4 in Mongolian (vertical columns running left to
// right from sheet to sheet) and in Chinese (without blank pages): every word a person sees is on the paper,
// and no sheet is wider than A4.
func TestBrowserPrintOnA4(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t) // case a: granted and sent by post, so its 送达回证 exists
	ctx := browser(t)
	// the guide of 最低生活保障
	do(t, ctx, chromedp.Navigate(w.r.URL+"/portal/search?q=低保"), chromedp.WaitVisible(chromedp.CSS(`ul.items a`)),
		chromedp.Click(chromedp.CSS(`ul.items a`)), chromedp.WaitVisible(chromedp.CSS(`article.guide`)))
	checkPrint(t, ctx, "print-guide-zh", false, 2)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] article.guide`)))
	checkPrint(t, ctx, "print-guide-mn", true, 6)

	// the 送达回证 of case a, printed at the receiving window
	do(t, ctx,
		chromedp.Navigate(w.r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "shaogen.clerk"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
	)
	for _, lang := range []string{"zh", "mn"} {
		do(t, ctx, chromedp.Navigate(w.r.URL+"/lang/"+lang+"?back=/cases/"+w.a.ID), chromedp.WaitVisible(chromedp.CSS(`main a[href*="/notices/"]`)))
		links := eval[[]string](t, ctx, `[...document.querySelectorAll("main a[href*='/notices/']")].map(a => a.getAttribute("href"))`)
		found := false
		for _, l := range links {
			do(t, ctx, chromedp.Navigate(w.r.URL+l), chromedp.WaitVisible(chromedp.CSS(`article.paper`)))
			kind := eval[string](t, ctx, `document.querySelector("article.paper").dataset.kind`)
			// every notice prints whole; the 送达回证 keeps its date and both signature lines
			checkPrint(t, ctx, "print-"+kind+"-"+lang, lang == "mn", 2)
			// the notices that end a case carry a QR code to rate it (二维码), the others none
			rateQR := eval[int](t, ctx, `(() => { const i = document.querySelector(".rate-qr img"); return i ? (i.complete && i.naturalWidth > 0 ? 1 : -1) : 0 })()`)
			if ends := kind == "delivery" || kind == "grant" || kind == "deny" || kind == "refuse"; (rateQR == 1) != ends {
				t.Errorf("%s %s: rating QR code %d (1 drawn, 0 none, -1 broken)", lang, kind, rateQR)
			}
			if kind != "delivery" {
				continue
			}
			found = true
			if n := eval[int](t, ctx, `document.querySelectorAll(".receipt .sign-cell").length`); n != 2 {
				t.Errorf("%s 送达回证: %d signature cells", lang, n)
			}
		}
		if !found {
			t.Fatalf("%s: no 送达回证 among %v", lang, links)
		}
	}
}

// chartOverlaps measures every chart on the page as the browser drew it: no two column names intersect, no
// name runs into a bar, and the legend lies outside the plot (above every bar and value).
const chartOverlaps = `(() => {
  const out = [];
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const charts = document.querySelectorAll("svg.chart");
  if (!charts.length) out.push("no chart");
  charts.forEach((svg, c) => {
    const labels = [...svg.querySelectorAll("text.label")].map(e => ({t: e.textContent, r: e.getBoundingClientRect()}));
    const bars = [...svg.querySelectorAll("rect.bar")].map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
    const values = [...svg.querySelectorAll("text.value")].map(e => e.getBoundingClientRect());
    const legend = [...svg.querySelectorAll(".legend > *")].map(e => e.getBoundingClientRect());
    if (labels.length < 4 || !legend.length) out.push("chart " + c + ": " + labels.length + " labels, " + legend.length + " legend parts");
    for (let i = 0; i < labels.length; i++) {
      if (labels[i].r.width === 0 || labels[i].r.height === 0) out.push("chart " + c + ": label not drawn " + labels[i].t);
      for (let j = i + 1; j < labels.length; j++)
        if (hit(labels[i].r, labels[j].r)) out.push("chart " + c + ": " + labels[i].t + " overlaps " + labels[j].t);
      for (const b of bars) if (hit(labels[i].r, b)) { out.push("chart " + c + ": " + labels[i].t + " runs into a bar"); break; }
    }
    const plotTop = Math.min(...bars.map(b => b.top), ...values.map(v => v.top));
    for (const l of legend) {
      for (const b of bars) if (hit(l, b)) { out.push("chart " + c + ": the legend covers a bar"); break; }
      if (l.bottom > plotTop + 0.5) out.push("chart " + c + ": the legend reaches into the plot");
    }
    const mn = svg.querySelector("text.label.mn");
    if (mn && mn.getBoundingClientRect().height <= mn.getBoundingClientRect().width) out.push("chart " + c + ": the Mongolian name is not written down the page");
  });
  return out;
})()`

// The monthly report of a banner: its charts' names do not overlap and the legend stays outside the plot,
// in both languages; it prints whole on A4 in both languages, charts and table by township.
func TestBrowserPrintReport(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, clock.DefaultRules().Location)
	r.DB.Now = func() time.Time { return now }
	from := now.AddDate(0, -2, 0)
	if _, err := gen.Run(context.Background(), r.Service, gen.Config{N: 400, Seed: 7, From: from, To: now}); err != nil {
		t.Fatal(err)
	}
	if err := gen.Finish(context.Background(), r.Service, from, now, nil); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(r.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS(`main a[href^="/reports/2026-10/"]`)),
		chromedp.Click(chromedp.CSS(`main a[href^="/reports/2026-10/"]`)), chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	for _, p := range eval[[]string](t, ctx, chartOverlaps) {
		t.Errorf("zh: %s", p)
	}
	shot(ctx, t, "report-chart-zh")
	checkPrint(t, ctx, "print-report-zh", false, 4)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] svg.chart`)))
	for _, p := range eval[[]string](t, ctx, chartOverlaps) {
		t.Errorf("mn: %s", p)
	}
	shot(ctx, t, "report-chart-mn")
	audit(ctx, t, "report mn")
	checkPrint(t, ctx, "print-report-mn", true, 8)
}
