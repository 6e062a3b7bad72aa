package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/gen"
	"bianmin/internal/testkit"
)

// A supervisor opens the dashboard for a month of generated cases, drills into an overdue case and opens
// it, then exports the dashboard to Excel: the file opens, and every figure in it equals the page's.
func TestBrowserSupervision(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, clock.DefaultRules().Location)
	r.DB.Now = func() time.Time { return now }
	from := now.AddDate(0, -3, 0)
	if _, err := gen.Run(context.Background(), r.Service, gen.Config{N: 2000, Seed: 5, From: from, To: now}); err != nil {
		t.Fatal(err)
	}
	if err := gen.Finish(context.Background(), r.Service, from, now, nil); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "supervisor"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Click(chromedp.CSS(`nav a[href="/supervision"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dashboard`)),
	)
	audit(ctx, t, "/supervision")
	if n := eval[int](t, ctx, `document.querySelectorAll("svg.chart rect").length`); n < 5 {
		t.Fatalf("the chart has %d bars", n)
	}
	// the public monthly report: charts with each township's Mongolian name left of its Chinese one
	do(t, ctx, chromedp.Navigate(r.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS(`main a[href^="/reports/2026-10/"]`)),
		chromedp.Click(chromedp.CSS(`main a[href^="/reports/2026-10/"]`)), chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	audit(ctx, t, "/reports/2026-10")
	shot(ctx, t, "report")
	if ok := eval[bool](t, ctx, `(() => { const mn = document.querySelector("svg.chart text.mn"), zh = mn && mn.nextElementSibling; return !!mn && zh.getAttribute("lang") === "zh-Hans" && +mn.getAttribute("x") < +zh.getAttribute("x") })()`); !ok {
		t.Fatal("the report's chart does not put the Mongolian name first")
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/supervision"), chromedp.WaitVisible(chromedp.CSS(`#dashboard`)))
	// October, by township, asked through the form
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#f-month`), "2026-10"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
	)
	for i := 0; ; i++ {
		if s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" && document.querySelector("#dashboard") ? location.search : ""`)); err == nil && strings.Contains(s, "month=2026-10") {
			break
		}
		if i > 1200 {
			t.Fatal("the form did not ask for October")
		}
		time.Sleep(50 * time.Millisecond)
	}
	shot(ctx, t, "supervision")
	page := eval[[][]string](t, ctx, `[...document.querySelectorAll("#dashboard tbody tr, #dashboard tfoot tr")].map(tr => [...tr.children].slice(0, 14).map(c => c.textContent.trim()))`)
	if len(page) < 6 {
		t.Fatalf("dashboard rows: %v", page)
	}
	// drill into an overdue case: the column of overdue now is the 8th figure
	link := eval[string](t, ctx, `(() => { const a = [...document.querySelectorAll("#dashboard tbody a")].find(a => a.href.includes("what=overdue")); return a ? a.getAttribute("href") : "" })()`)
	if link == "" {
		t.Fatal("no overdue case to drill into")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#dashboard tbody a[href="`+link+`"]`)), chromedp.WaitVisible(chromedp.CSS(`table tbody a[href^="/cases/"]`)))
	audit(ctx, t, "/supervision/cases")
	if n := eval[int](t, ctx, `document.querySelectorAll("tbody .card-red").length`); n == 0 {
		t.Fatal("the drill-down into overdue cases shows no red card")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`table tbody a[href^="/cases/"]`)), chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	if n := eval[int](t, ctx, `document.querySelectorAll(".card-red").length`); n == 0 {
		t.Fatal("the overdue case's page shows no red card")
	}
	// the export, fetched with the supervisor's session
	var cookies []*network.Cookie
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{})
		cookies = res.Cookies
		return err
	}))
	req, _ := http.NewRequest("GET", r.URL+"/supervision/export.xlsx?dim=township&month=2026-10", nil)
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatalf("the file does not open: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[2:] // two header rows, Mongolian then Chinese
	if len(rows) != len(page) {
		t.Fatalf("%d rows in the file, %d on the page", len(rows), len(page))
	}
	rates := map[int]bool{4: true, 10: true, 11: true, 12: true, 13: true} // columns shown as percentages
	for i := range page {
		for j := 1; j < len(page[i]); j++ {
			raw := rows[i][j]
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				t.Fatalf("row %d col %d: %q is not a number", i, j, raw)
			}
			got := strconv.FormatFloat(v, 'f', -1, 64)
			if rates[j] {
				got = strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
			}
			if got != page[i][j] {
				t.Fatalf("row %d (%s) col %d: file %s, page %s", i, page[i][0], j, got, page[i][j])
			}
		}
	}
}

// The dashboard through the API: a supervisor reads the month's lines, a clerk is refused, a bad month is
// named.
func TestSupervisionAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, clock.DefaultRules().Location)
	r.DB.Now = func() time.Time { return now }
	from := now.AddDate(0, -2, 0)
	if _, err := gen.Run(context.Background(), r.Service, gen.Config{N: 600, Seed: 9, From: from, To: now}); err != nil {
		t.Fatal(err)
	}
	if err := gen.Finish(context.Background(), r.Service, from, now, nil); err != nil {
		t.Fatal(err)
	}
	get := func(user, path string) (int, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"username": user, "password": demo.Password})
		res, err := http.Post(r.URL+"/api/v1/session", "application/json", strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		var sess map[string]any
		json.NewDecoder(res.Body).Decode(&sess)
		res.Body.Close()
		req, _ := http.NewRequest("GET", r.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+sess["token"].(string))
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	code, d := get("supervisor", "/api/v1/supervision?dim=channel&month=2026-10")
	lines, _ := d["lines"].([]any)
	total, _ := d["total"].(map[string]any)
	if code != 200 || len(lines) < 2 || total["received"].(float64) < 100 {
		t.Fatalf("supervisor: %d %v", code, d)
	}
	// the intake and issue clocks (行政许可法 第32条, 第44条) and 二次补正 are figures of the API as of the page
	for _, k := range []string{"late_intake", "intake_overdue", "late_issue", "issue_overdue", "recorrected"} {
		if _, ok := total[k].(float64); !ok {
			t.Errorf("the API's dashboard has no %s: %v", k, total)
		}
	}
	if code, _ := get("tianshan.clerk", "/api/v1/supervision?month=2026-10"); code != http.StatusForbidden {
		t.Fatalf("clerk: %d", code)
	}
	if code, body := get("supervisor", "/api/v1/supervision?month=2026-13"); code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(body), "field:month") {
		t.Fatalf("bad month: %d %v", code, body)
	}
}
