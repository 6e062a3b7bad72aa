package web_test

import (
	"bytes"
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

var _ = bytes.Contains
var _ = time.Now
var _ = clock.DefaultRules
var _ = demo.Password
var _ = gen.Run
var _ = testkit.Start

func TestBrowserPrintExplore(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(w.r.URL+"/portal/search?q=低保"), chromedp.WaitVisible(chromedp.CSS(`ul.items a`)),
		chromedp.Click(chromedp.CSS(`ul.items a`)), chromedp.WaitVisible(chromedp.CSS(`article.guide`)))
	do(t, ctx, media("print"))
	t.Log(eval[string](t, ctx, `[...document.querySelectorAll("header.sign, main > h1, article.guide > *, article.guide section > *")].map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().height) + "/" + getComputedStyle(e).breakInside).join("\n")`))
	do(t, ctx, media(""))
	checkPrint(t, ctx, "guide-zh", false, 3)
	do(t, ctx, chromedp.Click(chromedp.CSS(`a.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] article.guide`)))
	p := checkPrint(t, ctx, "guide-mn", true, 6)
	t.Logf("guide-mn: %d pages", len(p))
}
