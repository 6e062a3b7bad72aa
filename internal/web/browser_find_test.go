package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/gen"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// staffActor finds a demo account's actor.
func staffActor(t *testing.T, r *testkit.Running, username string) access.Actor {
	t.Helper()
	banner, err := r.DB.OrgByCode(context.Background(), "150421")
	if err != nil {
		t.Fatal(err)
	}
	list, err := r.DB.StaffIn(context.Background(), banner.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Username == username {
			return s.Actor()
		}
	}
	t.Fatalf("no account %s", username)
	return access.Actor{}
}

// findWorld is the demo with a few hundred generated cases and one case of a resident of 天山镇 received at
// its window; it returns that case's number and its applicant.
func findWorld(t *testing.T, r *testkit.Running) (string, people.Applicant) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().In(clock.DefaultRules().Location)
	if _, err := gen.Run(ctx, r.Service, gen.Config{N: 300, Seed: 3, From: now.AddDate(0, -2, 0), To: now}); err != nil {
		t.Fatal(err)
	}
	clerk := staffActor(t, r, "tianshan.clerk")
	villages, err := r.DB.OrgsByName(ctx, org.Village, "杨树林村")
	if err != nil || len(villages) != 1 {
		t.Fatalf("杨树林村: %v", err)
	}
	base := "15042119900707123"
	a, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "乌云其木格", IDNumber: base + string(people.IDCheckChar(base)),
		Phone: "13904767788", OrgID: villages[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	items, err := r.Service.Search(ctx, "高龄津贴", 1)
	if err != nil || len(items) == 0 {
		t.Fatalf("高龄津贴: %v", err)
	}
	c, err := r.Service.Receive(ctx, clerk, service.ReceiveInput{ItemID: items[0].Card.ID, ApplicantID: a.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	full, _ := r.DB.Applicant(ctx, a.ID)
	return c.No, full
}

func signIn(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), username),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
	)
}

// A clerk types each kind of key into the header's search box and finds the case: its number with and
// without the township's prefix, the ID number whole and its last six, the phone's last four, the name in
// characters and in pinyin, and the item. The clerk of another township finds it by none of them. The list
// pages by "next" without repeating a case, and passes the accessibility checks.
func TestBrowserFindByEveryKey(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	no, a := findWorld(t, r)
	py, _ := catalog.Pinyin(a.Name)
	keys := []string{no, no[len(no)-10:], a.IDNumber, a.IDNumber[12:], a.Phone[len(a.Phone)-4:], a.Name, py, "高龄津贴"}
	ctx := browser(t)
	signIn(t, ctx, r.URL, "tianshan.clerk")
	for _, key := range keys {
		do(t, ctx,
			chromedp.SetValue(chromedp.CSS(`#find-head`), key),
			chromedp.Submit(chromedp.CSS(`#find-head`)),
			chromedp.WaitVisible(chromedp.CSS(`main table caption`)),
		)
		got := eval[[]string](t, ctx, `[...document.querySelectorAll("main tbody td:first-child a")].map(a => a.textContent)`)
		if !contains(got, no) {
			t.Errorf("%q: %s not among %v", key, no, got)
		}
		if v := eval[string](t, ctx, `document.querySelector("#f-q").value`); v != key {
			t.Errorf("%q: the search box keeps %q", key, v)
		}
	}
	audit(ctx, t, "case search")
	shot(ctx, t, "find-cases")
	// the list pages (five a page here, fewer than a township's share of the generated cases whatever day the
	// test runs): every page's cases are new
	do(t, ctx, chromedp.Navigate(r.URL+"/cases?open=all&limit=5"), chromedp.WaitVisible(chromedp.CSS(`main table caption`)))
	seen := map[string]bool{}
	for page := 0; page < 3; page++ {
		for _, n := range eval[[]string](t, ctx, `[...document.querySelectorAll("main tbody td:first-child a")].map(a => a.textContent)`) {
			if seen[n] {
				t.Fatalf("%s on two pages", n)
			}
			seen[n] = true
		}
		if !eval[bool](t, ctx, `!!document.querySelector("nav.pager a[rel=next]")`) {
			break
		}
		next := eval[string](t, ctx, `document.querySelector("nav.pager a[rel=next]").href`)
		do(t, ctx, chromedp.Navigate(next), chromedp.WaitVisible(chromedp.CSS(`main table caption`)))
	}
	if len(seen) <= 10 {
		t.Errorf("three pages held only %d cases", len(seen))
	}
	// applicants: by name, pinyin, ID number's last six, phone's last four
	for _, key := range []string{a.Name, py, a.IDNumber[12:], a.Phone[len(a.Phone)-4:]} {
		do(t, ctx, chromedp.Navigate(r.URL+"/applicants?q="+url.QueryEscape(key)), chromedp.WaitVisible(chromedp.CSS(`main table caption`)))
		names := eval[[]string](t, ctx, `[...document.querySelectorAll("main tbody td:first-child a")].map(a => a.textContent)`)
		if !contains(names, a.Name) {
			t.Errorf("applicants %q: %s not among %v", key, a.Name, names)
		}
	}
	audit(ctx, t, "applicant search")

	// another township's clerk
	other := browser(t)
	signIn(t, other, r.URL, "shaogen.clerk")
	for _, key := range keys[:7] { // the item is 绍根镇's too: its own cases of it are found, not this one
		do(t, other,
			chromedp.SetValue(chromedp.CSS(`#find-head`), key),
			chromedp.Submit(chromedp.CSS(`#find-head`)),
			chromedp.WaitVisible(chromedp.CSS(`main table caption`)),
		)
		if got := eval[[]string](t, other, `[...document.querySelectorAll("main tbody td:first-child a")].map(a => a.textContent)`); contains(got, no) {
			t.Errorf("绍根镇's clerk finds 天山镇's case by %q", key)
		}
	}
	got := eval[[]string](t, other, `[...document.querySelectorAll("main tbody td:first-child a")].map(a => a.textContent)`)
	if contains(got, no) {
		t.Error("绍根镇's clerk finds 天山镇's case by the item")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

// The queue API answers a page at a time, each under 64 KB, with a cursor that reaches every open case of a
// supervisor's whole banner exactly once; a page size above the cap gets the cap.
func TestAPIQueuePages(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	findWorld(t, r)
	token := apiToken(t, r.URL, "supervisor")
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		body := apiGet(t, r.URL+"/api/v1/cases?limit=1000&cursor="+url.QueryEscape(cursor), token)
		if len(body) >= 64<<10 {
			t.Fatalf("page %d is %d bytes", pages, len(body))
		}
		var p struct {
			Cases []struct {
				Case struct {
					ID string `json:"id"`
				} `json:"case"`
			} `json:"cases"`
			Total int    `json:"total"`
			Next  string `json:"next"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Cases) > 25 {
			t.Fatalf("a page of %d", len(p.Cases))
		}
		for _, c := range p.Cases {
			if seen[c.Case.ID] {
				t.Fatalf("%s twice", c.Case.ID)
			}
			seen[c.Case.ID] = true
		}
		pages++
		if p.Next == "" {
			if len(seen) != p.Total {
				t.Fatalf("%d cases over %d pages, total says %d", len(seen), pages, p.Total)
			}
			break
		}
		cursor = p.Next
	}
	if pages < 2 {
		t.Fatalf("%d page(s)", pages)
	}
}

func apiToken(t *testing.T, base, username string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/session", "application/json", strings.NewReader(`{"username":"`+username+`","password":"`+demo.Password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		t.Fatalf("sign in %s: %d %v", username, resp.StatusCode, err)
	}
	return out.Token
}

func apiGet(t *testing.T, u, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", u, resp.StatusCode, b)
	}
	return b
}
