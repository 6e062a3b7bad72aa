package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// The people of the hall in the browser (issue 11's must-show): the director builds next week's roster; the
// clerk asks for leave without a substitute and is refused, naming the field, then with one; the director
// approves; on the day the coverage page shows the substitute at the window and the absent reviewer raises
// the alert; the reviewer who declared a relative is refused a move on that relative's case; the public staff
// page shows today's people.
func TestBrowserPeopleOfTheHall(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, loc) // a Friday
	r.DB.Now = func() time.Time { return now }
	bg := t.Context()
	tw, _ := r.DB.OrgsByName(bg, org.Township, "天山镇")
	center, _, err := r.Service.CenterOf(bg, tw[0])
	if err != nil {
		t.Fatal(err)
	}
	kids, _ := r.DB.Children(bg, center.ID)
	var window1, back org.Org
	for _, k := range kids {
		switch {
		case k.Kind == org.Window && k.Desk == org.FrontDesk && window1.ID == "":
			window1 = k
		case k.Kind == org.Window && k.Desk == org.BackOffice:
			back = k
		}
	}
	clerk2, err := r.Service.CreateStaff(bg, access.System, service.StaffInput{Username: "tianshan.clerk2", Name: "其其格", Role: "clerk", OrgID: tw[0].ID, Password: "Bianmin-2026-x"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for user, seat := range map[string]string{"tianshan.clerk": window1.ID, "tianshan.clerk2": window1.ID, "tianshan.reviewer": back.ID} {
		c, _ := r.DB.CredentialsByUsername(bg, user)
		ids[user] = c.Staff.ID
		rec, _ := r.DB.StaffRecord(bg, c.Staff.ID)
		if _, err := r.Service.EditStaff(bg, access.System, rec.ID, service.StaffEdit{Version: rec.Version, Name: rec.Name, Role: string(rec.Role), Seats: []string{seat}, Title: "科员", StaffNo: "TS-" + user[9:]}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := browser(t)

	// the director builds next week's roster: the clerk at window one, the reviewer in the back office
	browserLogin(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+"/people"), chromedp.WaitVisible(chromedp.CSS(`#link-roster`)))
	do(t, ctx, chromedp.Click(chromedp.CSS(`#link-roster`)), chromedp.WaitVisible(chromedp.CSS(`#roster-form`)))
	if got := j0(t, ctx, `main`); !strings.Contains(got, "2026-12-07") {
		t.Fatalf("the roster does not open on next week: %q", got)
	}
	eval[bool](t, ctx, `document.querySelectorAll('select[name^="at.`+window1.ID+`."]').forEach(s => s.value = "`+ids["tianshan.clerk"]+`"); true`)
	eval[bool](t, ctx, `document.querySelectorAll('select[name^="at.`+back.ID+`."]').forEach(s => s.value = "`+ids["tianshan.reviewer"]+`"); true`)
	submit(t, ctx, `#save-roster`)
	if got := j0(t, ctx, `.flash`); !strings.Contains(got, "排班已保存") {
		t.Fatalf("saving the roster: %q %q", got, j0(t, ctx, `#errors`))
	}
	if got := j0(t, ctx, `.roster-grid`); strings.Count(got, "天山镇综合受理员") < 10 {
		t.Errorf("the saved week: %q", got)
	}
	audit(ctx, t, "roster")
	logout(t, ctx)

	// the clerk asks for Tuesday off: refused without a substitute, then with one
	browserLogin(t, ctx, r.URL, "tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/people/leave"), chromedp.WaitVisible(chromedp.CSS(`#leave-form`)))
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-leave_from`), "2026-12-08"), chromedp.SetValue(chromedp.CSS(`#f-leave_to`), "2026-12-08"),
		chromedp.SendKeys(chromedp.CSS(`#f-leave_reason`), "孩子看病"))
	submit(t, ctx, `#request-leave`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "替岗或补位人员") || !strings.Contains(got, "2026-12-08") {
		t.Fatalf("leave without a substitute: %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("#f-leave_reason").value`); got != "孩子看病" {
		t.Errorf("the reason typed was lost: %q", got)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-substitute`), clerk2.ID))
	submit(t, ctx, `#request-leave`)
	if got := j0(t, ctx, `.flash`); !strings.Contains(got, "请假已提交") {
		t.Fatalf("leave with a substitute: %q %q", got, j0(t, ctx, `#errors`))
	}
	audit(ctx, t, "leave")
	logout(t, ctx)

	browserLogin(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+"/people/leave"), chromedp.WaitVisible(chromedp.CSS(`.approve-leave`)))
	submit(t, ctx, `.approve-leave`)
	if got := j0(t, ctx, `.flash`); !strings.Contains(got, "请假已批准") {
		t.Fatalf("approval: %q %q", got, j0(t, ctx, `#errors`))
	}

	logout(t, ctx)

	// Tuesday 09:00: the substitute signs in, the reviewer does not come
	now = time.Date(2026, 12, 8, 9, 0, 0, 0, loc)
	if err := r.Service.SignIn(bg, clerk2.Actor(), "10.0.0.7"); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+"/people/coverage/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`table.coverage`)))
	if got := j0(t, ctx, `tr[data-seat="`+window1.ID+`"]`); !strings.Contains(got, "替岗在岗") || !strings.Contains(got, "其其格") {
		t.Errorf("window one: %q", got)
	}
	if got := j0(t, ctx, `tr[data-seat="`+back.ID+`"]`); !strings.Contains(got, "缺岗") {
		t.Errorf("the back office: %q", got)
	}
	if got := j0(t, ctx, `#coverage-alert`); !strings.Contains(got, "空岗") {
		t.Errorf("no alert: %q", got)
	}
	audit(ctx, t, "coverage")
	shot(ctx, t, "people-coverage")
	// the month's figures per person: the clerk's day of leave, the reviewer's absence
	do(t, ctx, chromedp.Navigate(r.URL+"/people/figures?month=2026-12"), chromedp.WaitVisible(chromedp.CSS(`table.figures`)))
	if got := j0(t, ctx, `table.figures`); !strings.Contains(got, "其其格") || !strings.Contains(got, "天山镇审办员") {
		t.Errorf("the figures: %q", got)
	}
	audit(ctx, t, "figures")
	// the seat cards (置座牌) of the center's people, each with its QR code; a record with its seats
	do(t, ctx, chromedp.Navigate(r.URL+"/people/cards/"+center.ID), chromedp.WaitVisible(chromedp.CSS(`.seat-cards`)))
	if n := eval[int](t, ctx, `document.querySelectorAll(".seat-card img.qr").length`); n != 3 {
		t.Errorf("%d seat cards with a QR code", n)
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/staff/"+clerk2.ID), chromedp.WaitVisible(chromedp.CSS(`#save-record`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("input[name=seats]:checked").length`); n != 1 {
		t.Errorf("the record's seats: %d checked", n)
	}
	audit(ctx, t, "staff record")
	logout(t, ctx)

	// the reviewer declares the applicant a relative and is refused the claim on her case
	c := deskCase(t, r, "11010519491231002X", "乌云其木格")
	browserLogin(t, ctx, r.URL, "tianshan.reviewer")
	do(t, ctx, chromedp.Navigate(r.URL+"/people/recusal"), chromedp.WaitVisible(chromedp.CSS(`#recusal-form`)))
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-people_relation`), "family"), chromedp.SendKeys(chromedp.CSS(`#f-number`), "11010519491231002X"),
		chromedp.SendKeys(chromedp.CSS(`#f-relation_name`), "乌云其木格"))
	submit(t, ctx, `#declare`)
	if got := j0(t, ctx, `main`); !strings.Contains(got, "回避申报已记录") || !strings.Contains(got, "110105********002X") {
		t.Fatalf("the declaration: %q", got)
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`#move-claim`)))
	submit(t, ctx, `#move-claim button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "回避") {
		t.Errorf("the recused claim: %q", got)
	}
	logout(t, ctx)

	// the supervisor orders action on the case (督办), the township's clerk answers it from the queue
	browserLogin(t, ctx, r.URL, "supervisor")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`#order-new`)))
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#order-due`), "2026-12-10"), chromedp.SendKeys(chromedp.CSS(`#order-content`), "申请人反映进度缓慢，请说明"))
	submit(t, ctx, `#order-new button`)
	logout(t, ctx)
	browserLogin(t, ctx, r.URL, "tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#desk-orders`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#desk-orders textarea`), "已电话联系申请人，明日办结"))
	submit(t, ctx, `#desk-orders button`)
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`ul.orders`)))
	if got := j0(t, ctx, `ul.orders`); !strings.Contains(got, "已电话联系申请人，明日办结") {
		t.Errorf("the clerk's answer: %q", got)
	}
	logout(t, ctx)

	// the public page of the center shows today's people: the substitute and the reviewer
	do(t, ctx, chromedp.Navigate(r.URL+"/portal/center/"+center.ID+"/staff"), chromedp.WaitVisible(chromedp.CSS(`.on-duty`)))
	got := j0(t, ctx, `.on-duty`)
	if !strings.Contains(got, "其其格") || !strings.Contains(got, "替岗") || strings.Contains(got, "天山镇综合受理员") {
		t.Errorf("the public staff page: %q", got)
	}
	audit(ctx, t, "staff on duty")

	// the window and zone signs print one to an A4 sheet with every Mongolian word whole; the 六有 board as an A1
	// poster, in Mongolian too
	do(t, ctx, chromedp.Navigate(r.URL+"/portal/center/"+center.ID+"/signs"), chromedp.WaitVisible(chromedp.CSS(`.signs`)))
	sheets := eval[int](t, ctx, `document.querySelectorAll(".sign-sheet").length`)
	if sheets != len(kids)+5 {
		t.Errorf("%d signs for %d windows and 5 zones", sheets, len(kids))
	}
	if pages := checkPrint(t, ctx, "people-signs", true, sheets); len(pages) != sheets {
		t.Errorf("%d sheets printed on %d pages", sheets, len(pages))
	}
	shot(ctx, t, "people-signs")
	do(t, ctx, chromedp.Navigate(r.URL+"/portal/center/"+center.ID+"/board?paper=a1"), chromedp.WaitVisible(chromedp.CSS(`.board6`)))
	if got := j0(t, ctx, `#b6-people`); !strings.Contains(got, "其其格") {
		t.Errorf("the board's people: %q", got)
	}
	if got := j0(t, ctx, `#b6-items`); !strings.Contains(got, "最低生活保障") {
		t.Errorf("the board's items: %q", got)
	}
	audit(ctx, t, "六有 board")
	checkPoster(t, ctx, "people-board-a1")
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="mn-Mong"] .board6`)))
	checkPoster(t, ctx, "people-board-a1-mn")
	shot(ctx, t, "people-board-mn")
}

// checkPoster prints the page and checks the paper: one A1 sheet (594 × 841 mm, as the page's @page asks),
// every Mongolian and Chinese word a person sees on it.
func checkPoster(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	do(t, ctx, media("print"))
	words := eval[[]string](t, ctx, printedWords+"(false)")
	do(t, ctx, media(""))
	pages := readPDF(t, printPDF(t, ctx), name)
	if len(pages) != 1 {
		t.Errorf("%s: %d sheets", name, len(pages))
	}
	const a1W, a1H = 594 / 25.4 * 72, 841 / 25.4 * 72
	var text strings.Builder
	for i, p := range pages {
		if p.W < a1W-2 || p.W > a1W+2 || p.H < a1H-2 || p.H > a1H+2 {
			t.Errorf("%s: sheet %d is %.0f × %.0f pt, not A1", name, i+1, p.W, p.H)
		}
		text.WriteString(p.Text)
	}
	all := bare(text.String())
	var missing []string
	for _, w := range words {
		if !strings.Contains(all, bare(w)) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: %d of %d words are not on the paper: %q", name, len(missing), len(words), missing[:min(len(missing), 20)])
	}
}

func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
}
