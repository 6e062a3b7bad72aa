package web_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/translation"
)

// mnKeyOf finds a string's key by its Chinese among the strings of a kind.
func mnKeyOf(t *testing.T, r *testkit.Running, kind translation.Kind, zh string) translation.String {
	t.Helper()
	list, _, err := r.DB.MnStrings(t.Context(), store.MnFilter{Kind: kind, Q: zh})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Zh == zh {
			return s
		}
	}
	t.Fatalf("no %s string %q", kind, zh)
	return translation.String{}
}

// A reviewer corrects a village's Mongolian name and a material's Mongolian note in the browser, typing
// into a Mongolian input that is set vertically as it is typed; the township's portal page and the guide
// show them at once, vertically.
func TestBrowserReviewerCorrectsNames(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	vs, err := r.DB.OrgsByName(t.Context(), org.Village, "杨树林村")
	if err != nil || len(vs) != 1 {
		t.Fatal(vs, err)
	}
	village := vs[0]
	town, err := r.DB.Org(t.Context(), village.ParentID)
	for town.Kind != org.Township && err == nil {
		town, err = r.DB.Org(t.Context(), town.ParentID)
	}
	if err != nil {
		t.Fatal(err)
	}
	note := mnKeyOf(t, r, translation.Content, "可容缺，5个工作日内补齐")
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "fanyi"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(r.URL+"/translate"),
		chromedp.WaitVisible(chromedp.CSS(`table.mn-queue`)),
	)
	audit(ctx, t, "queue")
	const villageMn = "ᠶᠠᠩ ᠱᠦ ᠯᠢᠨ ᠭᠠᠴᠠᠭ᠎ᠠ"
	const noteMn = "ᠳᠠᠪᠤᠨ ᠡᠳᠦᠷ ᠲᠦ ᠨᠥᠬᠥᠨ ᠥᠭᠴᠦ ᠪᠣᠯᠤᠨ᠎ᠠ"
	for _, c := range []struct{ key, mn string }{{translation.OrgKey(village.ID), villageMn}, {note.Key, noteMn}} {
		do(t, ctx,
			chromedp.Navigate(r.URL+"/translate/string?key="+c.key),
			chromedp.WaitVisible(chromedp.CSS(`#f-mn`)),
		)
		eval[bool](t, ctx, `(() => { const el = document.querySelector("#f-mn"); el.value = ""; return document.activeElement === el; })()`)
		do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-mn`), c.mn))
		audit(ctx, t, "string "+c.key)
		// the input shows what is typed vertically, and has the focus from the start (keyboard first)
		if mode := eval[string](t, ctx, `getComputedStyle(document.querySelector("#f-mn")).writingMode`); mode != "vertical-lr" {
			t.Errorf("the Mongolian input is set %s", mode)
		}
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`#f-then`)), // stay on this string
			chromedp.Click(chromedp.CSS(`#mn-correct`)),
			chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		)
		if got := eval[string](t, ctx, `document.querySelector("#mn-status").dataset.status`); got != "reviewed" {
			t.Errorf("%s: status %s", c.key, got)
		}
		if got := eval[string](t, ctx, `document.querySelector("#mn-current").textContent`); got == "" {
			t.Errorf("%s: no current Mongolian shown", c.key)
		}
		if mode := eval[string](t, ctx, `getComputedStyle(document.querySelector("#mn-current")).writingMode`); mode != "vertical-lr" {
			t.Errorf("the current Mongolian is set %s", mode)
		}
	}
	shot(ctx, t, "mn-string")
	// the township's portal page in Mongolian, at once
	do(t, ctx,
		chromedp.Navigate(r.URL+"/lang/mn?back=/portal/township/"+town.ID),
		chromedp.WaitVisible(chromedp.CSS(`nav.columns`)),
	)
	type found struct {
		Text, Mode, Lang string
	}
	find := func(text string) found {
		t.Helper()
		return eval[found](t, ctx, `(() => {
		  const want = `+jsString(text)+`;
		  for (const el of document.querySelectorAll("main *")) {
		    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("");
		    // compared as translation.Fold does: without FVS, MVS and joiners, U+202F as a space
		    const fold = s => s.replace(/[\u180B-\u180F\u200C\u200D]/g, "").replace(/[\u202F\s]+/g, " ").trim();
		    if (own.trim() !== "" && fold(own) === fold(want)) return {text: own, mode: getComputedStyle(el).writingMode, lang: el.closest("[lang]").lang};
		  }
		  return {text: "", mode: "", lang: ""};
		})()`)
	}
	if f := find(villageMn); f.Text == "" || f.Mode != "vertical-lr" || f.Lang != "mn-Mong" {
		o, _ := r.DB.Org(t.Context(), village.ID)
		t.Errorf("the village's new name on the township page: %+v (stored %q); the columns: %s", f, o.NameMn, eval[string](t, ctx, `document.querySelector("nav.columns").innerHTML`))
	}
	audit(ctx, t, "township mn")
	shot(ctx, t, "township-mn")
	dibao, err := r.Service.Search(t.Context(), "最低生活保障", 1)
	if err != nil || len(dibao) == 0 {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/portal/guide/"+dibao[0].Card.ID), chromedp.WaitVisible(chromedp.CSS(`article.guide`)))
	normal, _ := translation.Normalize("mn", noteMn)
	if f := find(normal); f.Text == "" || f.Mode != "vertical-lr" || f.Lang != "mn-Mong" {
		t.Errorf("the material's new note on the guide: %+v", f)
	}
	shot(ctx, t, "guide-mn")
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// An exchange file comes back with two changed rows, one of them bad (a Latin letter inside a Mongolian
// word): the whole file is refused, the fault named by sheet, cell and column in both languages, and nothing
// changes; the file mended is shown as a diff, and applied only when accepted.
func TestBrowserMnExchangeRoundTrip(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	banner, err := r.DB.OrgByCode(t.Context(), "150421")
	if err != nil {
		t.Fatal(err)
	}
	all, err := r.DB.StaffIn(t.Context(), banner.Path)
	if err != nil {
		t.Fatal(err)
	}
	var staff people.Staff
	for _, s := range all {
		if s.Username == "fanyi" {
			staff = s
		}
	}
	var buf bytes.Buffer
	if err := r.Service.ExportMn(t.Context(), staff.Actor(), "xlsx", false, translation.Orgs, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := translation.ReadXLSX(buf.Bytes())
	if err != nil || len(rows) < 3 {
		t.Fatalf("%d rows %v", len(rows), err)
	}
	out := make([]translation.String, len(rows))
	for i, row := range rows {
		out[i] = translation.String{Key: row.Key, Zh: row.Zh, Mn: row.Mn, Status: translation.Status(row.Status), Version: row.Version}
	}
	out[0].Mn, out[1].Mn = "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ", "ᠰᠢᠨ᠎ᠡ nᠡᠷ᠎ᠡ" // the second row's n is Latin
	dir := t.TempDir()
	write := func(name string) string {
		var b bytes.Buffer
		if err := translation.WriteXLSX(&b, out); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, b.Bytes(), 0o644)
		return p
	}
	bad := write("bad.xlsx")
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "fanyi"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(r.URL+"/translate/import"),
		chromedp.WaitVisible(chromedp.CSS(`#f-file`)),
	)
	audit(ctx, t, "import")
	do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{bad}),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#mn-faults`)),
	)
	faults := eval[string](t, ctx, `document.querySelector("#mn-faults tbody").textContent`)
	if !strings.Contains(faults, "译文!D3 蒙古文") || !strings.Contains(faults, "拉丁") || !regexp.MustCompile(`[\x{1820}-\x{18AA}]`).MatchString(faults) {
		t.Errorf("the fault named by cell in both languages: %q", faults)
	}
	shot(ctx, t, "import-refused")
	first, _, _ := r.DB.MnString(t.Context(), out[0].Key)
	if first.Mn == "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ" {
		t.Fatal("a refused file changed a string")
	}
	out[1].Mn = ""
	good := write("good.xlsx")
	do(t, ctx,
		chromedp.Navigate(r.URL+"/translate/import"),
		chromedp.WaitVisible(chromedp.CSS(`#f-file`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{good}),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#mn-diff`)),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll("#mn-diff tbody tr").length`); n != 1 {
		t.Errorf("diff rows: %d", n)
	}
	if first, _, _ = r.DB.MnString(t.Context(), out[0].Key); first.Mn == "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ" {
		t.Fatal("the diff was applied before it was accepted")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#mn-apply`)), chromedp.WaitVisible(chromedp.CSS(`table.mn-queue`)))
	if first, _, _ = r.DB.MnString(t.Context(), out[0].Key); first.Mn != "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ" || first.Status != translation.Composed {
		t.Errorf("after accepting: %+v", first)
	}
}

// The coverage report's figures equal plain counts of the strings table.
func TestBrowserMnCoverageEqualsCounts(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(r.URL+"/translate/coverage"),
		chromedp.WaitVisible(chromedp.CSS(`#mn-by-kind`)),
	)
	audit(ctx, t, "coverage")
	shown := eval[map[string]map[string]int](t, ctx, `(() => {
	  const out = {};
	  for (const tr of document.querySelectorAll("#mn-by-kind tr[data-kind]")) {
	    const row = {};
	    for (const td of tr.querySelectorAll("td[data-status]")) row[td.dataset.status] = parseInt(td.textContent, 10);
	    out[tr.dataset.kind] = row;
	  }
	  return out;
	})()`)
	banner, err := r.DB.OrgByCode(t.Context(), "150421")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range translation.Kinds {
		for _, st := range translation.Statuses {
			var n int
			q := `SELECT count(*) FROM mn_strings WHERE kind = ? AND status = ? AND (owner_path = '/' OR (owner_path >= ? AND owner_path < ?))`
			if err := r.DB.QueryRowRaw(t.Context(), q, string(k), string(st), banner.Path, banner.Path+"\xff").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if shown[string(k)][string(st)] != n {
				t.Errorf("%s %s: page %d, count %d", k, st, shown[string(k)][string(st)], n)
			}
		}
	}
	// the township rows: each township's organisation names
	towns := eval[map[string]int](t, ctx, `(() => { const out = {}; for (const tr of document.querySelectorAll("#mn-by-township tr[data-township]")) out[tr.dataset.township] = parseInt(tr.lastElementChild.textContent, 10); return out; })()`)
	if len(towns) < 10 {
		t.Fatalf("townships: %v", towns)
	}
	for id, shownTotal := range towns {
		var n int
		if err := r.DB.QueryRowRaw(t.Context(), `SELECT count(*) FROM mn_strings WHERE township_id = ?`, id).Scan(&n); err != nil || n != shownTotal {
			t.Errorf("township %s: page %d, count %d (%v)", id, shownTotal, n, err)
		}
	}
	// the figure the README records
	cov, err := r.Service.Coverage(t.Context(), access.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range translation.Kinds {
		tl := cov.ByKind[k]
		t.Logf("coverage %-9s attested %4d reviewed %4d composed %4d missing %4d total %4d shown in Mongolian %d.%d%%", k, tl.Attested, tl.Reviewed, tl.Composed, tl.Missing, tl.Total(), tl.Shown()/10, tl.Shown()%10)
	}
}

// In Mongolian, the demo's 低保 guide and its township's page show no Chinese where a Mongolian is filled:
// every piece of Chinese text on them is marked lang="zh-Hans" (or stands beside its Mongolian on a
// bilingual sign), and none of those has a Mongolian in Bianmin.
func TestBrowserMongolianShowsNoFilledChinese(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	dibao, err := r.Service.Search(t.Context(), "最低生活保障", 1)
	if err != nil || len(dibao) == 0 {
		t.Fatal(err)
	}
	ts, err := r.DB.OrgsByName(t.Context(), org.Township, "天山镇")
	if err != nil || len(ts) != 1 {
		t.Fatal(err)
	}
	filled, err := r.DB.MnContent(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	items, _ := r.DB.PublishedItems(t.Context(), store.ItemFilter{})
	for _, it := range items {
		if it.NameMn != "" {
			filled[it.NameZh] = it.NameMn
		}
	}
	ctx := browser(t)
	for _, page := range []string{"/portal/guide/" + dibao[0].Card.ID, "/portal/township/" + ts[0].ID, "/portal/guide/" + dibao[0].Card.ID + "?at=" + ts[0].ID} {
		do(t, ctx, chromedp.Navigate(r.URL+"/lang/mn?back="+page), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		type piece struct {
			Text, Lang string
			Bi         bool
		}
		pieces := eval[[]piece](t, ctx, `(() => {
		  const han = /\p{Script=Han}/u;
		  const out = [];
		  const walk = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
		  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		    const s = n.textContent.trim();
		    if (!han.test(s)) continue;
		    const el = n.parentElement;
		    out.push({text: s, lang: el.closest("[lang]").lang, bi: !!el.closest(".bi, .stack")});
		  }
		  return out;
		})()`)
		var marked, unmarked int
		for _, p := range pieces {
			if p.Bi {
				continue // a bilingual sign: the Chinese stands beside its Mongolian, as the law asks
			}
			if !strings.HasPrefix(p.Lang, "zh") {
				unmarked++
				t.Errorf("%s: Chinese not marked as Chinese: %q (lang %s)", page, p.Text, p.Lang)
				continue
			}
			marked++
			if mn, ok := filled[p.Text]; ok {
				t.Errorf("%s: %q is shown in Chinese though its Mongolian %q is filled", page, p.Text, mn)
			}
		}
		t.Logf("%s: %d Chinese gaps marked lang=zh, %d unmarked", page, marked, unmarked)
		shot(ctx, t, "mn-gaps-"+strings.ReplaceAll(strings.Trim(page, "/"), "/", "-"))
	}
}
