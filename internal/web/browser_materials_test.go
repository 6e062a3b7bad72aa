package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"bianmin/internal/access"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// rowsJS reads the window's check form: for each row, its select's value and options, or the text of a row
// whose check stands.
const rowsJS = `(() => { const out = {};
  for (const r of document.querySelectorAll("#check ~ form tbody tr")) {
    const n = r.querySelector("input[type=hidden]").value, s = r.querySelector("select");
    out[n] = s ? { value: s.value, options: [...s.options].map(o => o.value) } : { settled: r.querySelector("td.settled").textContent.trim() };
  }
  return out; })()`

type row struct {
	Value   string   `json:"value"`
	Options []string `json:"options"`
	Settled string   `json:"settled"`
}

// 行政许可法 第32条, at the window: nothing is pre-selected and a row left unchosen is refused by name;
// 不适用 is offered only for optional materials and never demanded; the one-time notice names what is
// missing; after the resubmission what was verified stays verified (no choice is offered for it), a further
// notice may concern only what the first named and is counted as 二次补正, and the acceptance keeps every
// check of the first visit.
func TestBrowserOneTimeNotice(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx0 := t.Context()
	t1, _ := r.DB.OrgsByName(ctx0, org.Township, "天山镇")
	ap, err := r.Service.CreateApplicant(ctx0, access.System, service.ApplicantInput{Kind: "resident", Name: "萨仁", IDNumber: "11010519491231002X", Phone: "13912345678", OrgID: t1[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	dibao, _ := r.Service.Search(ctx0, "最低生活保障", 1)
	c, err := r.Service.Receive(ctx0, access.System, service.ReceiveInput{ItemID: dibao[0].Card.ID, ApplicantID: ap.ID, ReceivingOrg: t1[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	caseURL := r.URL + "/cases/" + c.ID
	rows := func() map[string]row {
		t.Helper()
		var out map[string]row
		if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(`+rowsJS+`)`)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	choose := func(want map[string]string) {
		t.Helper()
		b, _ := json.Marshal(want)
		missed := eval[[]string](t, ctx, `((want) => { const out = [];
		  for (const r of document.querySelectorAll("#check ~ form tbody tr")) {
		    const n = r.querySelector("input[type=hidden]").value, s = r.querySelector("select");
		    if (want[n] === undefined) continue;
		    if (!s) { out.push(n + " has no choice"); continue; }
		    s.value = want[n]; if (s.value !== want[n]) out.push(n + " offers no " + want[n]);
		  }
		  return out; })(`+string(b)+`)`)
		for _, m := range missed {
			t.Error(m)
		}
	}
	press := func(action, wait string) {
		t.Helper()
		do(t, ctx, chromedp.Click(chromedp.CSS(`button[name=action][value=`+action+`]`)), chromedp.WaitVisible(chromedp.CSS(wait)))
	}
	text := func(sel string) string { return eval[string](t, ctx, `document.querySelector("`+sel+`").textContent`) }

	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "tianshan.clerk"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.CSS(`#check`)),
	)
	audit(ctx, t, "material check")
	first := rows()
	if len(first) != 6 {
		t.Fatalf("rows: %v", first)
	}
	for name, x := range first {
		if x.Value != "" {
			t.Errorf("%s pre-selected %q", name, x.Value)
		}
	}
	offers := func(name, check string) bool {
		return strings.Contains(","+strings.Join(first[name].Options, ",")+",", ","+check+",")
	}
	for _, o := range []struct {
		name, check string
		want        bool
	}{
		{"授权委托书及代办人身份证", "na", true}, {"居民户口簿", "na", false}, {"本人银行卡或一卡通", "na", false},
		{"本人银行卡或一卡通", "owed", true}, {"居民身份证", "owed", false},
		{"家庭收入和财产状况声明", "pledged", true}, {"居民身份证", "pledged", false}, {"最低生活保障申请表", "pledged", false},
	} {
		if offers(o.name, o.check) != o.want {
			t.Errorf("%s offers %s: %v", o.name, o.check, !o.want)
		}
	}
	shot(ctx, t, "check-nothing-chosen")

	// accepted with a row left unchosen: refused, naming it
	choose(map[string]string{"最低生活保障申请表": "original", "居民身份证": "original", "居民户口簿": "copy", "家庭收入和财产状况声明": "original", "本人银行卡或一卡通": "copy"})
	press("accept", ".errors")
	if e := text(".errors"); !strings.Contains(e, "授权委托书及代办人身份证") {
		t.Errorf("the refusal does not name the unchosen row: %s", e)
	}
	// what was chosen is kept; the one-time notice: the form defective, the income statement missing
	if got := rows(); got["居民户口簿"].Value != "copy" {
		t.Errorf("the choices were lost: %+v", got)
	}
	choose(map[string]string{"最低生活保障申请表": "defective", "家庭收入和财产状况声明": "missing", "授权委托书及代办人身份证": "na"})
	press("ask_correction", `article.notice-doc[data-kind="correction"]`)
	notice := text("article.notice-doc")
	for _, s := range []string{"最低生活保障申请表", "家庭收入和财产状况声明"} {
		if !strings.Contains(notice, s) {
			t.Errorf("the notice does not ask for %s", s)
		}
	}
	for _, s := range []string{"居民身份证", "授权委托书", "再次告知"} {
		if strings.Contains(notice, s) {
			t.Errorf("the first notice says %s", s)
		}
	}
	shot(ctx, t, "first-notice")

	// the applicant comes back: what was verified stays, only what the notice named is chosen again
	do(t, ctx, chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`button[name=action][value=resubmit]`)))
	press("resubmit", `#check`)
	again := rows()
	for name, want := range map[string]string{"居民身份证": "原件已核验", "居民户口簿": "复印件已收", "本人银行卡或一卡通": "复印件已收", "授权委托书及代办人身份证": "不适用"} {
		if !strings.Contains(again[name].Settled, want) {
			t.Errorf("%s after the resubmission: %+v", name, again[name])
		}
	}
	for _, name := range []string{"最低生活保障申请表", "家庭收入和财产状况声明"} {
		if again[name].Settled != "" || again[name].Value != "" {
			t.Errorf("%s is not to be chosen again: %+v", name, again[name])
		}
	}
	audit(ctx, t, "material check after resubmission")
	shot(ctx, t, "check-after-resubmission")

	// the form is now right, the statement still defective: a further notice, of it alone, counted
	choose(map[string]string{"最低生活保障申请表": "original", "家庭收入和财产状况声明": "defective"})
	press("ask_correction", `article.notice-doc[data-kind="correction"]`)
	notice = text("article.notice-doc")
	if !strings.Contains(notice, "家庭收入和财产状况声明") || strings.Contains(notice, "最低生活保障申请表") || strings.Contains(notice, "居民身份证") || !strings.Contains(notice, "再次告知") {
		t.Errorf("the further notice: %s", notice)
	}
	do(t, ctx, chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`dd.first-asked`)))
	if s := text("dd.first-asked"); !strings.Contains(s, "最低生活保障申请表") || !strings.Contains(s, "家庭收入和财产状况声明") || !strings.Contains(s, "1") {
		t.Errorf("the case page: %s", s)
	}
	press("resubmit", `#check`)
	if got := rows(); got["最低生活保障申请表"].Settled == "" || got["家庭收入和财产状况声明"].Value != "" || got["居民身份证"].Settled == "" {
		t.Errorf("after the second resubmission: %+v", got)
	}
	choose(map[string]string{"家庭收入和财产状况声明": "original"})
	// accepted, the case page has no material check any more
	do(t, ctx, chromedp.Click(chromedp.CSS(`button[name=action][value=accept]`)), chromedp.WaitNotPresent(chromedp.CSS(`#check`)))
	got, err := r.DB.Case(ctx0, c.ID)
	if err != nil || got.State != "accepted" || got.Recorrections != 1 {
		t.Fatalf("accepted: %s, %d further notices, %v", got.State, got.Recorrections, err)
	}
	for _, m := range got.Materials {
		if m.Name == "居民身份证" && m.Check != "original" || m.Name == "授权委托书及代办人身份证" && m.Check != "na" {
			t.Errorf("%s accepted as %s", m.Name, m.Check)
		}
	}
}
