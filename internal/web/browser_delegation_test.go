package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// Delegated powers from the browser (issue 14; the seed 四.(一), 四.(二)): 自然资源局 delegates the 乡村建设规划许可
// to two townships with the hand-over checklist, 天山镇's director confirms readiness, the hand-over is
// recorded; a case received before the start date stays with the department and one received after goes
// to the township's decision; a reviewer asks for help from the case and the counterpart answers within the
// clock, a second request goes late and shows escalated to the head; the counterpart comments on the case in
// the guidance period and has no form after it; the assessment table equals plain counts.
func TestBrowserDelegation(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	bg := t.Context()
	l := licence(t, r)
	today, item, setDay, tianshan := l.today, l.item, l.setDay, []org.Org{l.tianshan}
	start := l.clk.Cal.AddWorkingDays(today, 2)
	setDay(today)
	a, err := r.Service.CreateApplicant(bg, access.System, service.ApplicantInput{Kind: "resident", Name: "宝音", IDNumber: "11010519491231002X", Phone: "13800001234", OrgID: tianshan[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	receive := func() cases.Case {
		t.Helper()
		c, err := r.Service.Receive(bg, access.System, service.ReceiveInput{ItemID: item, ApplicantID: a.ID, ReceivingOrg: tianshan[0].ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	before := receive()

	ctx := browser(t)
	logout := func() {
		do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	}
	browserLogin(t, ctx, r.URL, "ziran")
	do(t, ctx, chromedp.Navigate(r.URL+"/delegations"), chromedp.WaitVisible(chromedp.CSS(`#deleg-new`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-deleg_doc_no`), "阿政发〔2020〕52号"), chromedp.SetValue(chromedp.CSS(`#f-deleg_doc_date`), "2020-09-01"))
	submit(t, ctx, `#deleg-new button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "下放起始日期") || !strings.Contains(got, "承接苏木乡镇") {
		t.Errorf("a delegation without its start and townships: %q", got)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-deleg_start`), start.String()))
	eval[bool](t, ctx, `(() => { for (const l of document.querySelectorAll('#f-deleg_townships label')) { if (/天山镇|绍根镇/.test(l.textContent)) l.querySelector('input').checked = true } return true })()`)
	submit(t, ctx, `#deleg-new button`)
	if got := j0(t, ctx, `#deleg-facts`); !strings.Contains(got, "乡村建设规划许可证核发") || !strings.Contains(got, start.String()) {
		t.Fatalf("the delegation's page: %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("section.township").length`); n != 2 {
		t.Fatalf("townships: %d", n)
	}
	town := "#town-" + tianshan[0].ID
	// the checklist of 天山镇: a hand-over before it is refused, naming what is missing
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(town+` input[name=deleg_handed_by]`), "王局长"), chromedp.SendKeys(chromedp.CSS(town+` input[name=deleg_received_by]`), "李主任"))
	submit(t, ctx, town+` .handover-form button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "确认承接准备就绪") {
		t.Errorf("a hand-over before the checklist: %q", got)
	}
	eval[bool](t, ctx, `(() => { for (const c of document.querySelectorAll('`+town+` .checklist-form input[type=checkbox]')) c.checked = true; return true })()`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(town+` input[name=deleg_trained]`), "天山镇审办员"))
	submit(t, ctx, town+` .checklist-form button`)
	delegURL := eval[string](t, ctx, `location.pathname`)
	logout()

	browserLogin(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+delegURL), chromedp.WaitVisible(chromedp.CSS(town+` .ready-form`)))
	submit(t, ctx, town+` .ready-form button`)
	if got := j0(t, ctx, town+` .ready`); !strings.Contains(got, "天山镇中心主任") {
		t.Errorf("readiness: %q", got)
	}
	logout()

	browserLogin(t, ctx, r.URL, "ziran")
	do(t, ctx, chromedp.Navigate(r.URL+delegURL), chromedp.WaitVisible(chromedp.CSS(town+` .handover-form`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(town+` input[name=deleg_handed_by]`), "王局长"), chromedp.SendKeys(chromedp.CSS(town+` input[name=deleg_received_by]`), "李主任"))
	submit(t, ctx, town+` .handover-form button`)
	if got := j0(t, ctx, town+` .handed`); !strings.Contains(got, "王局长") || !strings.Contains(got, "李主任") {
		t.Fatalf("the hand-over: %q", got)
	}
	// the pair: 天山镇审办员 with 自然资源局审核员
	eval[bool](t, ctx, `(() => { const s = document.querySelector('#f-pair_township_staff'); return true })()`)
	do(t, ctx, chromedp.Navigate(r.URL+"/delegations"), chromedp.WaitVisible(chromedp.CSS(`#pair-new`)))
	eval[bool](t, ctx, `(() => { const s = document.querySelector('#f-pair_township_staff'); for (const o of s.options) if (o.textContent === '天山镇审办员') s.value = o.value; return true })()`)
	submit(t, ctx, `#pair-new button`)
	if got := j0(t, ctx, `#pair-list`); !strings.Contains(got, "天山镇审办员") || !strings.Contains(got, "自然资源局审核员") {
		t.Errorf("the pairs: %q", got)
	}
	logout()

	// a case received from the start date goes to the township's decision; the one before stays
	setDay(start)
	after := receive()
	for _, c := range []struct {
		c        cases.Case
		township bool
	}{{before, false}, {after, true}} {
		got, err := r.DB.Case(bg, c.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (got.DecidingOrg() == got.Handling) != c.township {
			t.Errorf("case %s decided by %s", got.No, got.DecidingOrg())
		}
	}

	// help from the case, answered in time
	browserLogin(t, ctx, r.URL, "tianshan.reviewer")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+after.ID), chromedp.WaitVisible(chromedp.CSS(`#case-help`)))
	do(t, ctx, chromedp.Click(chromedp.CSS(`#case-help`)), chromedp.WaitVisible(chromedp.CSS(`#help-new`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-help_subject`), "四至证明"), chromedp.SendKeys(chromedp.CSS(`#f-help_question`), "四至不清的如何审查？"))
	submit(t, ctx, `#help-new button`)
	helpURL := eval[string](t, ctx, `location.pathname`)
	if got := j0(t, ctx, `#help-facts`); !strings.Contains(got, after.No) || !strings.Contains(got, "自然资源局审核员") {
		t.Errorf("the request: %q", got)
	}
	logout()
	browserLogin(t, ctx, r.URL, "ziran")
	do(t, ctx, chromedp.Navigate(r.URL+helpURL), chromedp.WaitVisible(chromedp.CSS(`#help-post`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-help_body`), "以村委会出具的四至证明为准"))
	submit(t, ctx, `#help-post button`)
	if got := j0(t, ctx, `#help-standing`); !strings.Contains(got, "按时答复") {
		t.Errorf("answered in time: %q", got)
	}
	// the counterpart comments on the case in the guidance period
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+after.ID), chromedp.WaitVisible(chromedp.CSS(`#comment-new`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-help_body`), "注意核对宅基地四至"))
	submit(t, ctx, `#comment-new button`)
	if got := j0(t, ctx, `#comments`); !strings.Contains(got, "注意核对宅基地四至") {
		t.Errorf("the comment: %q", got)
	}
	// the item's page: the guidance period's figures and the FAQ; the new pages pass the accessibility checks
	do(t, ctx, chromedp.Click(chromedp.CSS(`#case-deleg-item`)), chromedp.WaitVisible(chromedp.CSS(`#period`)))
	if got := j0(t, ctx, `#period-`+tianshan[0].ID); !strings.Contains(got, "天山镇") || !strings.Contains(got, "指导期内") {
		t.Errorf("the guidance period's figures: %q", got)
	}
	audit(ctx, t, "the delegated item")
	for _, page := range []string{delegURL, helpURL, "/delegations", "/help?q=" + "四至"} {
		do(t, ctx, chromedp.Navigate(r.URL+page), chromedp.WaitVisible(chromedp.CSS(`main`)))
		audit(ctx, t, page)
	}
	// two imported proposals: a refusal without reasons on the second row (the browser's own check taken off)
	// comes back with the summary's link on that row's reason field; the page passes the checks
	var recs []delegation.Record
	for _, no := range []string{"阿政发〔2021〕8号", "阿政发〔2021〕9号"} {
		recs = append(recs, delegation.Record{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "item", Townships: []string{"绍根镇"}, DocNo: no, DocDate: "2021-01-04", Start: "2021-02-01"})
	}
	if _, err := r.Service.ImportItemsWith(bg, access.System, nil, service.ImportOptions{Delegations: recs, Source: "d.json"}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/delegation-proposals"), chromedp.WaitVisible(chromedp.CSS(`#proposal-list`)))
	second := eval[string](t, ctx, `document.querySelectorAll('#proposal-list tbody tr')[1].id`)
	eval[bool](t, ctx, `(() => { document.querySelectorAll('input[name=reason]').forEach(i => i.required = false); return true })()`)
	submit(t, ctx, `#`+second+` button[name=refuse]`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#errors a`)))
	if got := eval[string](t, ctx, `location.hash + " " + document.querySelector(location.hash).closest('tr').id`); got != "#f-reason-"+strings.TrimPrefix(second, "proposal-")+" "+second {
		t.Errorf("the summary's link goes to %q, not the second row's reason", got)
	}
	audit(ctx, t, "/delegation-proposals")
	// an inspection round by area and date: the visit's finding becomes 天山镇's rectification
	do(t, ctx, chromedp.Navigate(r.URL+"/inspections"), chromedp.WaitVisible(chromedp.CSS(`#round-new`)))
	audit(ctx, t, "/inspections")
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-round_township`), tianshan[0].ID), chromedp.SendKeys(chromedp.CSS(`#f-round_area`), "北片"),
		chromedp.SetValue(chromedp.CSS(`#f-round_planned`), start.String()))
	submit(t, ctx, `#round-new button`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#round-visit`)))
	roundURL := eval[string](t, ctx, `location.pathname`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-round_items`), "3"), chromedp.SendKeys(chromedp.CSS(`#f-round_files`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#f-round_findings`), "缺少现场勘查记录"), chromedp.SetValue(chromedp.CSS(`#f-round_due`), start.AddDays(10).String()))
	submit(t, ctx, `#round-visit button`)
	if got := j0(t, ctx, `#findings`); !strings.Contains(got, "缺少现场勘查记录") || !strings.Contains(got, "待整改") {
		t.Errorf("the finding: %q", got)
	}
	audit(ctx, t, "the round")
	logout()
	browserLogin(t, ctx, r.URL, "tianshan.director")
	do(t, ctx, chromedp.Navigate(r.URL+roundURL), chromedp.WaitVisible(chromedp.CSS(`.rectify-form`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`.rectify-form textarea`), "已补充勘查记录"))
	submit(t, ctx, `.rectify-form button`)
	if got := j0(t, ctx, `#findings`); !strings.Contains(got, "已整改，待验收") || !strings.Contains(got, "已补充勘查记录") {
		t.Errorf("the rectification: %q", got)
	}
	logout()

	// a second request goes late: the head sees it escalated
	late, err := r.Service.AskHelp(bg, staff(t, r, "tianshan.reviewer"), service.HelpInput{ItemID: item, Subject: "公示期", Question: "是否需要公示？"}, "")
	if err != nil {
		t.Fatal(err)
	}
	lateAt := late.AnswerDue.Add(time.Minute)
	r.DB.Now = func() time.Time { return lateAt }
	browserLogin(t, ctx, r.URL, "ziran.head")
	do(t, ctx, chromedp.Navigate(r.URL+"/help"), chromedp.WaitVisible(chromedp.CSS(`#help-list`)))
	if got := j0(t, ctx, `#help-list tbody tr`); !strings.Contains(got, "公示期") || !strings.Contains(got, "已上报部门负责人") || !strings.Contains(got, "红牌") && !strings.Contains(got, "超期") {
		t.Errorf("the head's list: %q", got)
	}
	logout()

	// after the guidance period, no comment form; a comment posted anyway is refused
	end := clock.DateOf(time.Date(start.Y, start.M+3, start.D, 0, 0, 0, 0, time.UTC))
	setDay(end)
	browserLogin(t, ctx, r.URL, "ziran")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+after.ID), chromedp.WaitVisible(chromedp.CSS(`body`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#comment-new").length`); n != 0 {
		t.Error("a comment form after the guidance period")
	}
	if _, err := r.Service.CommentCase(bg, staff(t, r, "ziran"), after.ID, "x"); err == nil {
		t.Error("a comment after the guidance period was taken")
	}
	// the department checks the rectification and accepts it
	do(t, ctx, chromedp.Navigate(r.URL+roundURL), chromedp.WaitVisible(chromedp.CSS(`.check-form`)))
	submit(t, ctx, `.check-form button[value=accept]`)
	if got := j0(t, ctx, `#findings`); !strings.Contains(got, "已验收") {
		t.Errorf("the accepted rectification: %q", got)
	}
	logout()

	// the assessment equals plain counts of the stored records
	setDay(start)
	browserLogin(t, ctx, r.URL, "supervisor")
	do(t, ctx, chromedp.Navigate(r.URL+"/assessment?year="+strconv.Itoa(start.Y)), chromedp.WaitVisible(chromedp.CSS(`#assessment`)))
	cells := eval[[]string](t, ctx, `[...document.querySelectorAll('#assessment tbody tr td')].map(td => td.textContent)`)
	count := func(q string, args ...any) string {
		var n int
		if err := r.DB.QueryRowRaw(bg, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(n)
	}
	y := start.Y * 10000
	want := []string{count(`SELECT count(*) FROM delegations WHERE start_on >= ? AND start_on < ?`, y, y+10000), "1",
		count(`SELECT count(*) FROM help_requests WHERE asked_on >= ? AND asked_on < ?`, y, y+10000), "1",
		count(`SELECT count(*) FROM inspection_rounds WHERE planned_on >= ? AND planned_on < ?`, y, y+10000), "1", "1", "1",
		count(`SELECT count(*) FROM cases WHERE doc LIKE ?`, `%"delegation":"%`), "0",
		count(`SELECT count(*) FROM ratings`), "0", "0"}
	if strings.Join(cells, ",") != strings.Join(want, ",") {
		t.Errorf("the assessment %v, counted %v", cells, want)
	}
}

func staff(t *testing.T, r *testkit.Running, username string) access.Actor {
	t.Helper()
	banner, _ := r.DB.OrgByCode(t.Context(), "150421")
	list, err := r.DB.StaffIn(t.Context(), banner.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Username == username {
			return s.Actor()
		}
	}
	t.Fatalf("no %s", username)
	return access.Actor{}
}
