package web_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/hall"
	"bianmin/internal/org"
	"bianmin/internal/testkit"
)

// press clicks a button that posts a form, and waits for the next page (not the one still showing).
func press(t *testing.T, ctx context.Context, sel, then string) {
	t.Helper()
	eval[bool](t, ctx, `document.body.setAttribute("data-stale", "1") || true`)
	do(t, ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)), chromedp.WaitVisible(chromedp.CSS(then)))
}

// A hall morning at 天山镇 (issue 10): two residents take tickets at the kiosk; the demo resident books an
// appointment online and checks in at the kiosk with its code; the clerk signs on, calls, recalls, skips and
// transfers; the board shows each call; the appointment is called before the walk-in of its slot and becomes
// a case with the applicant already found, and the ticket keeps the case.
func TestBrowserHallMorning(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	var now atomic.Int64
	at := func(hm string) {
		x, err := time.ParseInLocation("2006-01-02 15:04", "2026-03-10 "+hm, clock.DefaultRules().Location)
		if err != nil {
			t.Fatal(err)
		}
		now.Store(x.UnixNano())
	}
	at("08:35") // a Tuesday, open from 08:30
	r.DB.Now = func() time.Time { return time.Unix(0, now.Load()) }
	ctx := t.Context()
	tw, _ := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	center, ok, err := r.Service.CenterOf(ctx, tw[0])
	if err != nil || !ok {
		t.Fatal(err)
	}
	kids, _ := r.DB.Children(ctx, center.ID)
	var second org.Org // the window the clerk transfers to, where the director sits
	for _, k := range kids {
		if k.NameZh == "综合受理窗口二" {
			second = k
		}
	}

	// the kiosk: no sign-in; two residents take tickets
	kiosk := browser(t)
	do(t, kiosk, chromedp.Navigate(r.URL+"/kiosk/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`#take-general`)))
	audit(kiosk, t, "kiosk")
	if eval[bool](t, kiosk, `!!document.querySelector('nav a[href="/login"]')`) {
		t.Error("the kiosk offers the staff sign-in")
	}
	if size := eval[float64](t, kiosk, `parseFloat(getComputedStyle(document.querySelector("#take-general")).minHeight)`); size < 64 {
		t.Errorf("the kiosk's buttons are %v px high, not touch-sized", size)
	}
	do(t, kiosk, chromedp.Click(chromedp.CSS(`#take-general`)), chromedp.WaitVisible(chromedp.CSS(`#slip-no`)))
	slip := eval[string](t, kiosk, `document.querySelector("main").innerText`)
	if !strings.Contains(slip, "A001") || !strings.Contains(slip, "综合受理") || !strings.Contains(slip, "前面还有 0 人") {
		t.Errorf("the first slip: %q", slip)
	}
	if !eval[bool](t, kiosk, `document.querySelector("img.slip-qr").naturalWidth > 0`) {
		t.Error("the slip's QR code did not load")
	}
	if eval[string](t, kiosk, `getComputedStyle(document.querySelector(".slip-cat .mn")).writingMode`) != "vertical-lr" {
		t.Error("the slip's Mongolian is not vertical")
	}
	shot(kiosk, t, "hall-slip")
	at("08:36")
	do(t, kiosk, chromedp.Click(chromedp.CSS(`#slip-home`)), chromedp.WaitVisible(chromedp.CSS(`#take-consult`)),
		chromedp.Click(chromedp.CSS(`#take-consult`)), chromedp.WaitVisible(chromedp.CSS(`#slip-no`)))
	if got := eval[string](t, kiosk, `document.querySelector("#slip-no").textContent`); got != "C001" {
		t.Errorf("the second resident's ticket: %q", got)
	}

	// the demo resident books 09:00 online and reads the code
	res := browser(t)
	do(t, res, chromedp.Navigate(r.URL+"/resident/login?back=/portal/center/"+center.ID+"/book"), chromedp.WaitVisible(chromedp.CSS(`#f-id_number`)),
		chromedp.SendKeys(chromedp.CSS(`#f-id_number`), "150421198503152018"), chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#book-540-general`)))
	audit(res, t, "booking")
	do(t, res, chromedp.Click(chromedp.CSS(`#book-540-general`)), chromedp.WaitVisible(chromedp.CSS(`td.appt-code`)))
	code := strings.TrimSpace(eval[string](t, res, `document.querySelector("td.appt-code").textContent`))
	if len(code) != 6 {
		t.Fatalf("the appointment code: %q", code)
	}
	// the township's portal page shows the hours
	do(t, res, chromedp.Navigate(r.URL+"/portal/township/"+tw[0].ID), chromedp.WaitVisible(chromedp.CSS(`#hours`)))
	if got := eval[string](t, res, `document.querySelector("#hours").innerText`); !strings.Contains(got, "08:30-12:00") {
		t.Errorf("the township page's hours: %q", got)
	}

	// she checks in at the kiosk
	at("08:37")
	do(t, kiosk, chromedp.Navigate(r.URL+"/kiosk/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`#f-appointment_code`)),
		chromedp.SendKeys(chromedp.CSS(`#f-appointment_code`), code), chromedp.Click(chromedp.CSS(`#check-in`)), chromedp.WaitVisible(chromedp.CSS(`#slip-no`)))
	if got := eval[string](t, kiosk, `document.querySelector("#slip-no").textContent`); got != "A002" {
		t.Errorf("the appointment's ticket: %q", got)
	}

	// the board, on the kiosk's browser (a public page)
	board := func(want string) {
		t.Helper()
		do(t, kiosk, chromedp.Navigate(r.URL+"/board/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`#calling`)))
		got := eval[string](t, kiosk, `document.querySelector("#calling").innerText`)
		if !strings.Contains(got, want) {
			t.Errorf("the board shows %q, want %s", got, want)
		}
	}

	// the clerk signs on and calls
	clerk := browser(t)
	browserLogin(t, clerk, r.URL, "tianshan.clerk")
	do(t, clerk, chromedp.Navigate(r.URL+"/hall"), chromedp.WaitVisible(chromedp.CSS(`#sign-on`)))
	audit(clerk, t, "hall desk")
	press(t, clerk, `#sign-on`, `#call-next`)
	at("08:40")
	press(t, clerk, `#call-next`, `#serving-A001`)
	board("A001")
	if size := eval[float64](t, kiosk, `parseFloat(getComputedStyle(document.querySelector("#calling td.no")).fontSize)`); size < 60 {
		t.Errorf("the board's numbers are %v px: not readable at 3 m", size)
	}
	shot(kiosk, t, "hall-board")
	press(t, clerk, `#recall`, `#serving-A001`)
	if got := eval[string](t, clerk, `document.querySelector("#serving-A001").innerText`); !strings.Contains(got, "呼叫 2 次") {
		t.Errorf("after the recall: %q", got)
	}
	press(t, clerk, `#skip`, `#call-next`)
	if eval[bool](t, clerk, `!!document.querySelector("#serving-A001")`) {
		t.Error("A001 is still served after the skip")
	}
	at("08:41")
	press(t, clerk, `#call-next`, `#serving-C001`)
	board("C001")
	do(t, clerk, chromedp.SetValue(chromedp.CSS(`#serving-C001 select[name=target]`), second.ID))
	press(t, clerk, `#serving-C001 #transfer`, `#call-next`)
	at("09:01") // the appointment's slot has begun: it goes before the walk-ins
	press(t, clerk, `#call-next`, `#serving-A002`)
	board("A002")
	// live: with JavaScript the board follows a call without reloading (C001 called again at window two)
	eval[bool](t, kiosk, `(window.__same = 1) > 0`)
	director := browser(t)
	browserLogin(t, director, r.URL, "tianshan.director")
	do(t, director, chromedp.Navigate(r.URL+"/hall"), chromedp.WaitVisible(chromedp.CSS(`#sign-on`)), chromedp.Click(chromedp.CSS(`input[name=window][value="`+second.ID+`"]`)))
	press(t, director, `#sign-on`, `#call-next`)
	press(t, director, `#call-next`, `#serving-C001`)
	do(t, kiosk, chromedp.WaitVisible(chromedp.CSS(`#calling tr:nth-child(2)`)))
	if got := eval[string](t, kiosk, `document.querySelector("#calling").innerText`); !strings.Contains(got, "C001") || !eval[bool](t, kiosk, `window.__same === 1`) {
		t.Errorf("the live board: %q", got)
	}

	// the visit becomes a case: the applicant found from her appointment
	press(t, clerk, `#serving-A002 #open-case`, `#applicant-name`)
	if got := eval[string](t, clerk, `document.querySelector("#applicant-name").textContent`); got != "巴特尔" {
		t.Errorf("the applicant found: %q", got)
	}
	do(t, clerk, chromedp.SetValue(chromedp.CSS(`#f-item_other`), eval[string](t, clerk,
		`[...document.querySelectorAll("#f-item_other option")].find(o => o.textContent.includes("高龄津贴")).value`)))
	submit(t, clerk, `#receive-button`)
	do(t, clerk, chromedp.WaitVisible(chromedp.CSS(`ol.timeline`)))
	caseURL := eval[string](t, clerk, `location.pathname`)
	tickets, err := r.DB.DayTickets(ctx, center.ID, "2026-03-10")
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]hall.Ticket{}
	for _, x := range tickets {
		states[x.No] = x
	}
	if a := states["A002"]; "/cases/"+a.CaseID != caseURL || a.AppointmentID == "" {
		t.Errorf("the ticket keeps its case: %q vs %q", a.CaseID, caseURL)
	}
	if states["A001"].State != hall.NoShow || states["A001"].Calls != 2 {
		t.Errorf("A001: %+v", states["A001"])
	}
	if c := states["C001"]; c.State != hall.Called || c.Window != second.ID || c.Calls != 2 {
		t.Errorf("C001, transferred to the second window and called there: %+v", c)
	}
	if w := states["A002"].Wait(); w <= 0 {
		t.Errorf("the wait of A002 was not measured: %v", w)
	}
	do(t, clerk, chromedp.Navigate(r.URL+"/hall"), chromedp.WaitVisible(chromedp.CSS(`#ticket-case`)))

	// the consultation called at the second window becomes an enquiry, and its ticket keeps it
	do(t, director, chromedp.Navigate(r.URL+"/hall"), chromedp.WaitVisible(chromedp.CSS(`#serving-C001`)))
	press(t, director, `#serving-C001 #open-enquiry`, `#enquiry-new`)
	do(t, director, chromedp.SendKeys(chromedp.CSS(`#f-question`), "高龄津贴要带什么材料"))
	submit(t, director, `#enquiry-new button[type=submit]`)
	enquiryURL := eval[string](t, director, `location.pathname`)
	if tickets, err = r.DB.DayTickets(ctx, center.ID, "2026-03-10"); err != nil {
		t.Fatal(err)
	}
	for _, x := range tickets {
		if x.No == "C001" && "/enquiries/"+x.EnquiryID != enquiryURL {
			t.Errorf("the ticket keeps its enquiry: %q vs %q", x.EnquiryID, enquiryURL)
		}
	}

	// the board in Mongolian: vertical Mongolian first
	do(t, kiosk, chromedp.Navigate(r.URL+"/lang/mn?back=/board/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`#calling`)))
	if got := eval[string](t, kiosk, `getComputedStyle(document.querySelector(".board-head .mn")).writingMode`); got != "vertical-lr" {
		t.Errorf("the board's Mongolian: %q", got)
	}
	shot(kiosk, t, "hall-board-mn")

	// a closed center issues no ticket
	at("12:30")
	do(t, kiosk, chromedp.Navigate(r.URL+"/kiosk/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`#kiosk-closed`)),
		chromedp.Click(chromedp.CSS(`#take-general`)), chromedp.WaitVisible(chromedp.CSS(`#errors`)))
}
