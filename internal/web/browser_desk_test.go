package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// journey counts what a person does in the browser: every click and every field typed into.
type journey struct {
	t      *testing.T
	ctx    context.Context
	clicks int
	typed  map[string]bool
}

func (j *journey) click(sel string, then string) {
	j.t.Helper()
	j.clicks++
	do(j.t, j.ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(then)))
}

func (j *journey) typeIn(sel, text string) {
	j.t.Helper()
	j.typed[sel] = true
	do(j.t, j.ctx, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (j *journey) text(sel string) string {
	j.t.Helper()
	return eval[string](j.t, j.ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {textContent: ""}).textContent`)
}

// browserLogin signs a member of staff in (not part of any journey counted).
func browserLogin(t *testing.T, ctx context.Context, base, user string) {
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

// deskCase receives a 最低生活保障 case for a resident of 天山镇 and accepts it (it is then at the township's
// 初审), as Bianmin's own moves.
func deskCase(t *testing.T, r *testkit.Running, idNumber, name string) cases.Case {
	t.Helper()
	ctx := t.Context()
	tw, err := r.DB.OrgsByName(ctx, org.Township, "天山镇")
	if err != nil || len(tw) != 1 {
		t.Fatal(err)
	}
	ap, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: name, IDNumber: idNumber, Phone: "13904761234", OrgID: tw[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	found, _ := r.Service.Search(ctx, "最低生活保障", 1)
	it, err := r.DB.ItemVersion(ctx, found[0].Card.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var seen []cases.MaterialCheck
	for _, m := range it.Materials {
		seen = append(seen, cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal})
	}
	c, err := r.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: it.ID, ApplicantID: ap.ID, ReceivingOrg: tw[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err = r.Service.Act(ctx, access.System, c.ID, c.Version, cases.Accept, cases.Input{Materials: seen}); err != nil {
		t.Fatal(err)
	}
	return c
}

// The window journey from an ID number (issue 12): a known applicant with complete materials, from the queue
// to the printed receipt notice, in at most 8 clicks and 2 typed fields. The applicant's open case shows; the
// item is found by its pinyin initials. A new resident's number shows the birth date and sex read from it and
// the registration fields on the same form; a mistyped number is refused naming the field.
func TestBrowserIntakeFromIDNumber(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	open := deskCase(t, r, "11010519491231002X", "乌云其木格") // she has a 低保 case under way
	ctx := browser(t)
	browserLogin(t, ctx, r.URL, "tianshan.clerk")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`main a[href="/cases/new"]`)))

	j := &journey{t: t, ctx: ctx, typed: map[string]bool{}}
	j.click(`main a[href="/cases/new"]`, `#f-id_number`)
	j.typeIn(`#f-id_number`, "11010519491231002X")
	j.typeIn(`#f-q`, "gljt") // 高龄津贴 by its initials
	j.click(`#find`, `#applicant-name`)
	if got := j.text(`#applicant-name`); got != "乌云其木格" {
		t.Fatalf("the applicant found: %q", got)
	}
	if got := j.text(`table.open-cases`); !strings.Contains(got, open.No) || !strings.Contains(got, "最低生活保障") {
		t.Errorf("her open case does not show: %q", got)
	}
	first := j.text(`ul.choices li:first-child label`)
	if !strings.Contains(first, "高龄津贴") {
		t.Fatalf("the search by initials found first: %q", first)
	}
	audit(ctx, t, "intake with an applicant found")
	j.click(`ul.choices li:first-child input`, `ul.choices li:first-child input:checked`)
	j.click(`#receive-button`, `ol.timeline`)
	if got := j.text(`dl.facts`); !strings.Contains(got, "高龄津贴") || !strings.Contains(got, "乌云其木格") {
		t.Fatalf("the case received: %q", got)
	}
	j.click(`#accept-all`, `#done`)
	done := j.text(`#done`)
	for _, want := range []string{"已受理", "办结期限 20", "受理通知书", "下一步"} {
		if !strings.Contains(done, want) {
			t.Errorf("the confirmation %q lacks %q", done, want)
		}
	}
	audit(ctx, t, "case accepted")
	j.click(`#done a.print`, `article.notice-doc`)
	if got := j.text(`article.notice-doc`); !strings.Contains(got, "受理") || !strings.Contains(got, "高龄津贴") {
		t.Errorf("the receipt notice: %q", got)
	}
	if j.clicks > 8 || len(j.typed) > 2 {
		t.Fatalf("the window journey took %d clicks and %d typed fields (budget 8 and 2)", j.clicks, len(j.typed))
	}
	t.Logf("window journey: %d clicks, %d typed fields", j.clicks, len(j.typed))

	// a new resident: the number read, the registration on the same form, then the case
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/new?id_number=150421199001013012"), chromedp.WaitVisible(chromedp.CSS(`#applicant-h`)))
	page := j.text(`main`)
	for _, want := range []string{"1990-01-01", "男", "登记新申请人"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new resident's intake lacks %q", want)
		}
	}
	submit(t, ctx, `#receive-button`)
	errs := j.text(`#errors`)
	for _, want := range []string{"姓名/名称", "事项"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the refusal %q does not name %q", errs, want)
		}
	}
	audit(ctx, t, "intake refused")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#f-name`), "额尔敦"), chromedp.SetValue(chromedp.CSS(`#f-item_other`), eval[string](t, ctx,
		`[...document.querySelectorAll("#f-item_other option")].find(o => o.textContent.includes("高龄津贴")).value`)))
	submit(t, ctx, `#receive-button`)
	if got := j.text(`dl.facts`); !strings.Contains(got, "额尔敦") || !strings.Contains(got, "150421199001013012") {
		t.Errorf("the new resident's case: %q", got)
	}

	// a mistyped number: the check character is wrong, said by the field's label
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/new?id_number=150421199001013013"), chromedp.WaitVisible(chromedp.CSS(`#errors`)))
	if got := j.text(`#errors`); !strings.Contains(got, "公民身份号码") || strings.Contains(got, "id_number") {
		t.Errorf("the mistyped number: %q", got)
	}
}

// Each move is its own labelled form with only its own fields; nothing is pre-selected for a decision; a move
// without the reasons the law requires is refused on its own form, naming the field by its visible label; a
// move made says what happened and what comes next.
func TestBrowserOneFormPerMove(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := deskCase(t, r, "11010519491231002X", "乌云其木格")
	ctx := browser(t)
	browserLogin(t, ctx, r.URL, "tianshan.reviewer")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`#moves`)))
	// every form: one move, its own fields
	fields := eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("form.move")].map(f => {
	  const buttons = [...f.querySelectorAll("button[name=action]")].map(b => b.value);
	  const names = [...new Set([...f.querySelectorAll("input:not([type=hidden]), select, textarea")].map(e => e.name))].sort();
	  return [buttons.join("+"), names.join(",")]; }))`)
	want := map[string]string{"claim": "", "pass": "", "return": "reason", "suspend": "kind,reason", "request_extension": "days,reason"}
	for move, names := range want {
		if got, ok := fields[move]; !ok || got != names {
			t.Errorf("the %s form has fields %q (present %v), want %q", move, got, ok, names)
		}
	}
	for move := range fields {
		if strings.Contains(move, "+") {
			t.Errorf("a form with several moves: %s", move)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("form.move h3").length`); n != len(fields) {
		t.Errorf("%d headings for %d move forms", n, len(fields))
	}
	if got := eval[string](t, ctx, `document.querySelector("#move-return textarea").getAttribute("maxlength")`); got != "2000" {
		t.Errorf("the reason's limit: %q", got)
	}
	if hint := j0(t, ctx, `#move-return .hint`); !strings.Contains(hint, "2000") {
		t.Errorf("the limit is not stated: %q", hint)
	}
	audit(ctx, t, "back-office moves")
	// a return without reasons: refused on its own form, naming 理由
	submit(t, ctx, `#move-return button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "理由") || !strings.Contains(got, "必须填写") || strings.Contains(got, "reason") {
		t.Errorf("the return's refusal: %q", got)
	}
	if got := j0(t, ctx, `#move-return .field-error`); got == "" || j0(t, ctx, `#move-suspend .field-error`) != "" {
		t.Errorf("the error shows on the wrong form: return %q", got)
	}
	audit(ctx, t, "return refused")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#move-return textarea`), "入户调查记录缺签字"))
	submit(t, ctx, `#move-return button`)
	if got := j0(t, ctx, `#done`); !strings.Contains(got, "已退回") {
		t.Errorf("the return's confirmation: %q", got)
	}

	// at the last step: the decision is chosen, a denial states its reasons
	ctx2 := t.Context()
	cur, _ := r.DB.Case(ctx2, c.ID)
	cur.Step = 0
	for cur.Step < len(cur.Steps)-1 {
		var err error
		if cur, err = r.Service.Act(ctx2, access.System, c.ID, cur.Version, cases.Pass, cases.Input{}); err != nil {
			t.Fatal(err)
		}
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tools form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	browserLogin(t, ctx, r.URL, "minzheng")
	do(t, ctx, chromedp.Navigate(r.URL+"/cases/"+c.ID), chromedp.WaitVisible(chromedp.CSS(`#move-decide`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#move-decide input[type=radio]:checked").length`); n != 0 {
		t.Fatalf("a decision is pre-selected")
	}
	submit(t, ctx, `#move-decide button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "决定") || !strings.Contains(got, "请选择准予或不予") {
		t.Errorf("a decision not chosen: %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#g0`)))
	submit(t, ctx, `#move-decide button`)
	if got := j0(t, ctx, `#errors`); !strings.Contains(got, "理由") || !strings.Contains(got, "不予许可须说明理由") {
		t.Errorf("a denial without reasons: %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#move-decide #g0:checked").length`); n != 1 {
		t.Error("the choice made was not kept")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#move-decide textarea`), "家庭人均收入高于当地低保标准"))
	submit(t, ctx, `#move-decide button`)
	if got := j0(t, ctx, `#done`); !strings.Contains(got, "已决定不予") || !strings.Contains(got, "不予决定书") || !strings.Contains(got, "打印") {
		t.Errorf("the denial's confirmation: %q", got)
	}
	audit(ctx, t, "denied")
	// the same in Mongolian
	confirmation := eval[string](t, ctx, `location.pathname + location.search`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.switch[lang="mn-Mong"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang^=mn]`)),
		chromedp.Navigate(r.URL+confirmation), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if got := j0(t, ctx, `#done`); !strings.Contains(got, "ᠱᠢᠢᠳᠪᠦᠷᠢ") {
		t.Errorf("the Mongolian confirmation: %q", got)
	}
}

// The head of the deciding organ finds the extension requests waiting for them at the top of their queue,
// marked, and approves one from its own form.
func TestBrowserDirectorExtensionQueue(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := deskCase(t, r, "11010519491231002X", "乌云其木格")
	if _, err := r.Service.Act(t.Context(), access.System, c.ID, c.Version, cases.RequestExtension, cases.Input{Days: 5, Reason: "需入户核查家庭财产"}); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	browserLogin(t, ctx, r.URL, "minzheng.head") // 低保 is decided by 民政局: its head approves
	do(t, ctx, chromedp.Navigate(r.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`#pending-extensions`)))
	got := j0(t, ctx, `#pending-extensions`)
	for _, want := range []string{"待您审批的延期申请（1件）", c.No, "申请延长5个工作日", "需入户核查家庭财产"} {
		if !strings.Contains(got, want) {
			t.Errorf("the pending extensions %q lack %q", got, want)
		}
	}
	audit(ctx, t, "director's queue")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#pending-extensions a`)), chromedp.WaitVisible(chromedp.CSS(`#move-approve_extension`)))
	do(t, ctx, chromedp.Click(chromedp.CSS(`#move-approve_extension button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if got := j0(t, ctx, `#done`); !strings.Contains(got, "已批准延期") || !strings.Contains(got, "延长办理期限告知书") {
		t.Errorf("the approval's confirmation: %q", got)
	}
	do(t, ctx, chromedp.Navigate(r.URL+"/cases"), chromedp.WaitVisible(chromedp.CSS(`main table`)))
	if n := eval[int](t, ctx, `document.querySelectorAll("#pending-extensions").length`); n != 0 {
		t.Error("an approved request still waits")
	}
}

// submit clicks a button that posts a form and waits for the page that answers (the page before may have the
// same elements: it is marked, and the wait is for a page without the mark).
func submit(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	eval[bool](t, ctx, `window.__before = true`)
	do(t, ctx, chromedp.Click(chromedp.CSS(sel)))
	for i := 0; ; i++ {
		if done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__before && document.readyState === "complete"`)); err == nil && done {
			return
		}
		if i > 2400 {
			t.Fatalf("%s: no page came back", sel)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// j0 reads an element's text, "" when it is absent.
func j0(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {textContent: ""}).textContent`)
}
