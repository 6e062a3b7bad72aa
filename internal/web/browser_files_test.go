package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// loadedImages is how many of the images sel finds have loaded, once want of them have or ten seconds have
// passed: the page's images load lazily (loading="lazy"), after the page is visible, and a check made the
// moment it shows found none loaded on a busy machine.
func loadedImages(t *testing.T, ctx context.Context, sel string, want int) int {
	t.Helper()
	count := `[...document.querySelectorAll(` + strconv.Quote(sel) + `)].filter(i => i.complete && i.naturalWidth > 0).length`
	// a timeout is no failure here: the count that follows says what loaded
	chromedp.Run(ctx, chromedp.Poll[bool](count+` >= `+strconv.Itoa(want), chromedp.WithPollingTimeout(10*time.Second)))
	return eval[int](t, ctx, count)
}

// phonePhoto writes a JPEG like a phone's photo of a paper: w×h with fine detail at high quality.
func phonePhoto(t testing.TB, path string, w, h, q int) int {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(200 + (x*y)%37 - (x+y)%23)
			if (x/40+y/60)%7 == 0 {
				v = uint8(40 + (x*7+y*3)%50) // the lines of text
			}
			img.Set(x, y, color.RGBA{v, v - uint8(x%9), v - uint8(y%11), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return b.Len()
}

// 全程网办 in Chromium: the resident signs in, fills the item's form, photographs two materials (one a 3 MB
// phone photo, brought down in the browser before it is sent), and applies without a visit; the township's
// window checks the materials on screen, naming the files that stand for each, and accepts; the back office
// sees the files (not the names they were sent under, nor the full ID numbers) and decides; the window
// issues the result electronically; the resident reads the notices on their own case page and downloads
// the result with the code the SMS carries. Nobody came to a window.
func TestBrowserFullyOnline(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	dir := t.TempDir()
	big, small := filepath.Join(dir, "IMG_20261130_身份证.jpg"), filepath.Join(dir, "结婚证.jpg")
	bigBytes := phonePhoto(t, big, 3264, 2448, 90)
	phonePhoto(t, small, 1200, 900, 80)
	if bigBytes < 2<<20 {
		t.Fatalf("the phone photo is only %d bytes", bigBytes)
	}
	res, _ := r.Service.Search(t.Context(), "独生子女父母奖励", 1)

	do(t, ctx,
		chromedp.Navigate(r.URL+"/resident/login?back=/portal/guide/"+res[0].Card.ID),
		chromedp.WaitVisible(chromedp.CSS(`#f-id_number`)),
		chromedp.SendKeys(chromedp.CSS(`#f-id_number`), demo.Resident.IDNumber),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#apply-page`)),
	)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#apply-page`)), chromedp.WaitVisible(chromedp.CSS(`#f-f_name`)))
	audit(ctx, t, "application page")
	// the spouse's number is asked only once "married" is chosen
	if hidden := eval[bool](t, ctx, `document.querySelector("#f-f_spouse_id").closest(".field").hidden`); !hidden {
		t.Error("the conditional field shows before its condition holds")
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-f_name`), demo.Resident.Name),
		chromedp.SendKeys(chromedp.CSS(`#f-f_id_number`), demo.Resident.IDNumber),
		chromedp.SendKeys(chromedp.CSS(`#f-f_phone`), demo.Resident.Phone),
		chromedp.SendKeys(chromedp.CSS(`#f-f_child_name`), "巴雅尔"),
		chromedp.SetValue(chromedp.CSS(`#f-f_child_born`), "2001-09-01"),
	)
	eval[bool](t, ctx, `(() => { const s = document.querySelector("#f-f_marriage"); s.value = "married"; s.dispatchEvent(new Event("change")); return true; })()`)
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#f-f_spouse_id`)),
		chromedp.SendKeys(chromedp.CSS(`#f-f_spouse_id`), "11010519491231002X"),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-m1_file`), []string{big}),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-m2_file`), []string{small}),
	)
	// the browser shrinks the photos (files.js) before anything is sent
	for i := 0; ; i++ {
		if eval[bool](t, ctx, `!!document.querySelector("#f-m1_file").dataset.shrunk && !!document.querySelector("#f-m2_file").dataset.shrunk`) {
			break
		}
		if i > 1200 {
			t.Fatal("the photos were not shrunk in the browser")
		}
		time.Sleep(50 * time.Millisecond)
	}
	wire := eval[int](t, ctx, `[...document.querySelectorAll("input[type=file]")].reduce((n, i) => n + [...i.files].reduce((m, f) => m + f.size, 0), 0)`)
	sent := eval[int](t, ctx, `document.querySelector("#f-m1_file").files[0].size`)
	if sent > 300<<10 {
		t.Fatalf("the 3 MB photo leaves the browser as %d bytes", sent)
	}
	started := time.Now()
	do(t, ctx, chromedp.Click(chromedp.CSS(`#apply-submit`)), chromedp.WaitVisible(chromedp.CSS(`table.my-cases a.open-case`)))
	// a figure, not a rule: the time of the whole application and the bytes its files took on the wire
	t.Logf("figure: a %d-byte phone photo left the browser as %d bytes; both files %d bytes; submit to /my %s", bigBytes, sent, wire, time.Since(started).Round(time.Millisecond))
	shot(ctx, t, "fully-online-my")
	do(t, ctx, chromedp.Click(chromedp.CSS(`table.my-cases a.open-case`)), chromedp.WaitVisible(chromedp.CSS(`#files`)))
	caseID := strings.TrimPrefix(eval[string](t, ctx, `location.pathname`), "/my/cases/")
	no := eval[string](t, ctx, `document.querySelector("dl.facts dd.code").textContent`)
	if n := loadedImages(t, ctx, ".materials-files img", 2); n != 2 {
		t.Fatalf("the resident sees %d of their two photos", n)
	}
	audit(ctx, t, "the resident's case page")
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/resident/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/resident/login"]`)))

	login, logout, move := deskSteps(t, ctx, r.URL)

	// the township's window checks on screen: the photos as electronic materials, their files ticked
	login("tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+caseID), chromedp.WaitVisible(chromedp.CSS(`#check`)))
	if names := eval[string](t, ctx, `document.querySelector(".materials-files").textContent`); !strings.Contains(names, "IMG_20261130_身份证") {
		t.Errorf("the front desk does not see the file's name: %s", names)
	}
	if values := eval[string](t, ctx, `document.querySelector(".app-values").textContent`); !strings.Contains(values, "巴雅尔") || !strings.Contains(values, "已婚") {
		t.Errorf("the form's values: %s", values)
	}
	audit(ctx, t, "case page with files")
	eval[int](t, ctx, `(() => { const want = ["copy", "file", "file"]; const s = [...document.querySelectorAll("#move-check tbody select")]; s.forEach((x, i) => x.value = want[i]); return s.length; })()`)
	if ticked := eval[int](t, ctx, `document.querySelectorAll("#move-check input[type=checkbox]:checked").length`); ticked != 2 {
		t.Fatalf("%d files ticked as standing for their materials", ticked)
	}
	move("accept")
	logout()

	// the back office: the files, not the applicant
	login("tianshan.reviewer")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+caseID), chromedp.WaitVisible(chromedp.CSS(`#files-masked`)))
	if n := loadedImages(t, ctx, ".materials-files img", 2); n != 2 {
		t.Fatalf("the back office sees %d of the two photos", n)
	}
	page := eval[string](t, ctx, `document.querySelector("main").textContent`)
	if strings.Contains(page, "IMG_20261130") || strings.Contains(page, "11010519491231002X") || strings.Contains(page, demo.Resident.IDNumber) {
		t.Errorf("the back office sees the applicant: %s", page)
	}
	shot(ctx, t, "fully-online-back-office")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#g1`)), chromedp.SendKeys(chromedp.CSS(`#f-reason-decide`), "材料齐全，符合条件"))
	move("decide")
	logout()

	// the window issues the result electronically: a code goes by SMS
	login("tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+caseID), chromedp.WaitVisible(chromedp.CSS(`#move-issue`)))
	eval[string](t, ctx, `document.querySelector("#move-issue select[name=method]").value = "electronic"`)
	move("issue")
	logout()
	var body string
	msgs, err := r.Service.Messages(t.Context(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Template == "electronic" {
			body = m.Body
		}
	}
	if body == "" {
		t.Fatalf("no SMS with the result's code: %+v", msgs)
	}
	code := regexp.MustCompile(`验证码(\d{6})`).FindStringSubmatch(body)
	if code == nil {
		t.Fatalf("the SMS: %s", body)
	}
	var told int
	r.DB.QueryRowRaw(t.Context(), `SELECT count(*) FROM outbox WHERE case_id = ? AND phone = ?`, caseID, demo.Resident.Phone).Scan(&told)
	if told < 2 {
		t.Errorf("%d messages reached the resident's phone", told)
	}
	// the resident downloads the result: served without a visit
	do(t, ctx,
		chromedp.Navigate(r.URL+"/results"),
		chromedp.SendKeys(chromedp.CSS(`#f-no`), no),
		chromedp.SendKeys(chromedp.CSS(`#f-result_code`), code[1]),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.notice-doc`)),
	)
	if doc := eval[string](t, ctx, `document.querySelector("article.notice-doc").textContent`); !strings.Contains(doc, no) {
		t.Fatalf("the result: %s", doc)
	}
	events, err := r.DB.CaseEvents(t.Context(), caseID)
	if err != nil || len(events) == 0 {
		t.Fatalf("the case's events: %v %v", events, err)
	}
	visits := 0
	for _, e := range events {
		if e.Desk == "station" {
			visits++
		}
	}
	if visits != 0 {
		t.Errorf("the case went through a station %d times", visits)
	}
}

// deskSteps are a member of staff's steps in the browser: sign in, sign out, make a move on the case page
// and wait for the page that answers it (failing on an error it shows).
func deskSteps(t *testing.T, ctx context.Context, base string) (login func(string), logout func(), move func(string)) {
	login = func(user string) {
		t.Helper()
		do(t, ctx,
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
			chromedp.SendKeys(chromedp.CSS(`#f-username`), user),
			chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
			chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		)
	}
	logout = func() {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	}
	move = func(action string) {
		t.Helper()
		eval[bool](t, ctx, `window.__before = true`)
		do(t, ctx, chromedp.Click(chromedp.CSS(`button[name=action][value=`+action+`]`)))
		for i := 0; ; i++ {
			if done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__before && document.readyState === "complete" && !!document.querySelector("ol.timeline")`)); err == nil && done {
				break
			}
			if i > 2400 {
				t.Fatalf("%s: the page did not come back", action)
			}
			time.Sleep(25 * time.Millisecond)
		}
		if errs := eval[string](t, ctx, `(document.querySelector(".errors") || {textContent: ""}).textContent`); errs != "" {
			t.Fatalf("%s: %s", action, errs)
		}
	}
	return login, logout, move
}
