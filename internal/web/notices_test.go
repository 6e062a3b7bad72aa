package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// noticeWorld is a running Bianmin with 通办 cases received at 绍根镇 for a resident of 天山镇, moved so that
// every kind of notice exists: a (correction, accept, extension, grant, delivery), b (refuse), c (accept_owed,
// deny), p (accept, pledge, revoke).
type noticeWorld struct {
	r          *testkit.Running
	a, b, c, p cases.Case
	T1, T2     org.Org
	mz         org.Org // 民政局, which decides 低保
	// moved holds each case as each move left it, by id and version: what a notice issued by the move says
	moved map[string]cases.Case
}

func newNoticeWorld(t *testing.T) *noticeWorld {
	t.Helper()
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	w := &noticeWorld{r: r, moved: map[string]cases.Case{}}
	for _, x := range []struct {
		o    *org.Org
		name string
	}{{&w.T1, "天山镇"}, {&w.T2, "绍根镇"}} {
		list, err := r.DB.OrgsByName(ctx, org.Township, x.name)
		if err != nil || len(list) != 1 {
			t.Fatal(x.name, err)
		}
		*x.o = list[0]
	}
	if mz, err := r.DB.OrgsByName(ctx, org.Department, "民政局"); err == nil && len(mz) == 1 {
		w.mz = mz[0]
	}
	ap, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "其其格", IDNumber: "11010519491231002X", Phone: "13912345678", OrgID: w.T1.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	dibao, _ := r.Service.Search(ctx, "最低生活保障", 1)
	it, err := r.DB.ItemVersion(ctx, dibao[0].Card.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	checks := func(missing, owed string) []cases.MaterialCheck {
		var out []cases.MaterialCheck
		for _, m := range it.Materials {
			c := cases.MaterialCheck{Name: m.Name, Check: cases.SeenOriginal}
			switch m.Name {
			case missing:
				c.Check = cases.Missing
			case owed:
				c.Check, c.Note = cases.Owed, "嘎查委员会出具"
			}
			out = append(out, c)
		}
		return out
	}
	receive := func() cases.Case {
		c, err := r.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: it.ID, ApplicantID: ap.ID, ReceivingOrg: w.T2.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	move := func(c *cases.Case, a cases.Action, in cases.Input) {
		t.Helper()
		moved, err := r.Service.Act(ctx, access.System, c.ID, c.Version, a, in)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		*c = moved
		w.moved[movedKey(moved.ID, moved.Version)] = moved
	}
	by, _ := clock.ParseDate(r.DB.Now().AddDate(0, 0, 10).Format("2006-01-02"))
	w.a, w.b, w.c = receive(), receive(), receive()
	move(&w.a, cases.AskCorrection, cases.Input{Materials: checks("家庭收入和财产状况声明", "")})
	move(&w.a, cases.Resubmit, cases.Input{})
	move(&w.a, cases.Accept, cases.Input{Materials: checks("", "")})
	move(&w.a, cases.RequestExtension, cases.Input{Days: 10, Reason: "需入户核查"})
	move(&w.a, cases.ApproveExtension, cases.Input{})
	move(&w.a, cases.Pass, cases.Input{})
	move(&w.a, cases.Suspend, cases.Input{Kind: "公示", Reason: "嘎查公示七天"})
	move(&w.b, cases.Refuse, cases.Input{Reason: "申请事项依法不需要取得行政许可"})
	move(&w.c, cases.AcceptOwed, cases.Input{Materials: checks("", "本人银行卡或一卡通"), OwedBy: by})
	move(&w.c, cases.Pass, cases.Input{})
	move(&w.c, cases.Pass, cases.Input{})
	move(&w.c, cases.Decide, cases.Input{Grant: false, Reason: "家庭人均收入高于低保标准"})
	w.p = receive()
	pledged := checks("", "")
	for i := range pledged {
		if pledged[i].Name == "家庭收入和财产状况声明" {
			pledged[i].Check = cases.Pledged
		}
	}
	move(&w.p, cases.Accept, cases.Input{Materials: pledged, CheckBy: by})
	move(&w.p, cases.PledgeChecked, cases.Input{Result: cases.PledgeFalse, Reason: "入户核查：家庭有营运车辆两辆"})
	move(&w.p, cases.Revoke, cases.Input{Reason: "虚假承诺，终止办理"})
	return w
}

func movedKey(id string, version int) string { return id + "/" + strconv.Itoa(version) }

// finish takes case a through decision and issue by post.
func (w *noticeWorld) finish(t *testing.T) {
	t.Helper()
	for _, m := range []struct {
		a  cases.Action
		in cases.Input
	}{{cases.Resume, cases.Input{}}, {cases.Pass, cases.Input{}}, {cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}}, {cases.Issue, cases.Input{Method: "post", Tracking: "EMS1122334455"}}} {
		c, err := w.r.Service.Act(context.Background(), access.System, w.a.ID, w.a.Version, m.a, m.in)
		if err != nil {
			t.Fatalf("%s: %v", m.a, err)
		}
		w.a = c
		w.moved[movedKey(c.ID, c.Version)] = c
	}
}

var noticeLink = regexp.MustCompile(`href="(/cases/[0-9a-z-]{20,36}/notices/[0-9a-z-]{20,36})"`)

// Every notice prints in both languages, with its number, a QR code to its verification, the item and
// townships named in the reader's language; refusals and denials name the remedies and where to seek them.
func TestNoticePages(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t)
	clerk := newClient(t, w.r.URL)
	clerk.login("shaogen.clerk")            // the receiving window: it prints the papers
	want := map[string]map[string][]string{ // case → kind → what the Chinese page says
		w.a.ID: {"correction": {"家庭收入和财产状况声明", "第三十二条"}, "accept": {"受理日期", "办结期限"}, "extension": {"第四十二条", "需入户核查"},
			"grant": {"决定准予", "符合条件", "绍根镇"}, "delivery": {"EMS1122334455", "邮寄", "受送达人签名", "送达人签名"}},
		w.b.ID: {"refuse": {"申请事项依法不需要取得行政许可", "六十日内向阿鲁科尔沁旗人民政府申请行政复议", "六个月内向阿鲁科尔沁旗人民法院提起行政诉讼"}},
		w.c.ID: {"accept_owed": {"嘎查委员会出具", "终止办理", "申请人承诺签名", "一式两份"}, "deny": {"家庭人均收入高于低保标准", "行政复议", "行政诉讼"}},
	}
	for _, lang := range []string{"zh", "mn"} {
		clerk.lang(lang)
		for caseID, kinds := range want {
			code, page := clerk.get("/cases/" + caseID)
			links := noticeLink.FindAllStringSubmatch(page, -1)
			if code != http.StatusOK || len(links) != len(kinds) {
				t.Fatalf("%s case page: %d, %d notice links for %d notices", lang, code, len(links), len(kinds))
			}
			for _, l := range links {
				code, body := clerk.get(l[1])
				kind := regexp.MustCompile(`data-kind="([a-z_]+)"`).FindStringSubmatch(body)
				if code != http.StatusOK || kind == nil {
					t.Fatalf("%s %s: %d", lang, l[1], code)
				}
				if k := unknownKey.FindString(body); k != "" {
					t.Errorf("%s %s: a key without a translation: %s", lang, kind[1], k)
				}
				if !regexp.MustCompile(`<img class="qr" src="/verify/[0-9a-f]+/qr.png"`).MatchString(body) || !regexp.MustCompile(`绍根|天山`).MatchString(body) {
					t.Errorf("%s %s: no QR code or no number", lang, kind[1])
				}
				// the head: the issuer and the title, Mongolian above Chinese, whatever the page's language
				head := body[strings.Index(body, `<header class="doc-head">`):]
				head = head[:strings.Index(head, `</header>`)]
				// (the decision, its extension and its service are 民政局's, which decides 低保)
				issuerMn, issuerZh := w.T1.NameMn, "天山镇"
				if kind[1] == "grant" || kind[1] == "deny" || kind[1] == "extension" || kind[1] == "delivery" {
					issuerMn, issuerZh = w.mz.NameMn, "民政局"
				}
				if mn, zh := strings.Index(head, `lang="mn-Mong">`+issuerMn), strings.Index(head, `lang="zh-Hans">`+issuerZh); mn < 0 || zh < 0 || mn > zh {
					t.Errorf("%s %s: the head is not Mongolian first: %s", lang, kind[1], head)
				}
				if lang == "zh" {
					for _, s := range want[caseID][kind[1]] {
						if !strings.Contains(body, s) {
							t.Errorf("the %s notice does not say %q", kind[1], s)
						}
					}
				} else if !strings.Contains(body, w.a.ItemNameMn) {
					t.Errorf("the Mongolian %s notice does not name the item in Mongolian", kind[1])
				}
				if kind[1] == "refuse" && lang == "mn" {
					banner, _ := w.r.DB.OrgByCode(t.Context(), "150421")
					if !strings.Contains(body, banner.NameMn+" ᠤ ᠠᠷᠠᠳ ᠤᠨ ᠵᠠᠰᠠᠭ ᠤᠨ ᠣᠷᠳᠣᠨ") {
						t.Errorf("the Mongolian refusal does not name the banner government in Mongolian")
					}
				}
			}
		}
		// the case page names the item, both townships and the suspension's kind in the reader's language
		_, page := clerk.get("/cases/" + w.c.ID)
		if lang == "mn" && (!strings.Contains(page, w.c.ItemNameMn) || !strings.Contains(page, w.T1.NameMn) || !strings.Contains(page, w.T2.NameMn)) {
			t.Errorf("the Mongolian case page names the item or the townships in Chinese")
		}
	}
	// the verification page: kind, number, issuer, item; no applicant
	_, page := clerk.get("/cases/" + w.b.ID)
	_, notice := clerk.get(noticeLink.FindStringSubmatch(page)[1])
	verify := regexp.MustCompile(`src="(/verify/[0-9a-f]+)/qr.png"`).FindStringSubmatch(notice)[1]
	for _, lang := range []string{"zh", "mn"} {
		anon := newClient(t, w.r.URL)
		anon.lang(lang)
		code, body := anon.get(verify)
		if code != http.StatusOK || strings.Contains(body, "其其格") || strings.Contains(body, "13912345678") || unknownKey.MatchString(body) {
			t.Errorf("%s verification: %d", lang, code)
		}
		if lang == "mn" && (!strings.Contains(body, w.b.ItemNameMn) || !strings.Contains(body, w.T1.NameMn)) {
			t.Errorf("the Mongolian verification names item or issuer in Chinese")
		}
	}
	// an agent of a village elsewhere may not print the notices of a case it does not work on
	other := newClient(t, w.r.URL)
	other.login("xishuangshan.agent")
	if code, _ := other.get(noticeLink.FindStringSubmatch(page)[1]); code != http.StatusForbidden {
		t.Errorf("another village's agent prints a notice: %d", code)
	}
}

// The transfer page at the receiving township, its printed list, the sent and received marks, and the API.
func TestTransferPages(t *testing.T) {
	w := newNoticeWorld(t)
	// the handling township's reviewer sees the suspension's kind in Mongolian and chooses kinds by their
	// names in the page's language (the stored value stays the same)
	rev := newClient(t, w.r.URL)
	rev.login("tianshan.reviewer")
	rev.lang("mn")
	_, suspended := rev.get("/cases/" + w.a.ID)
	if !strings.Contains(suspended, "ᠣᠯᠠᠨ ᠳᠤ ᠵᠠᠷᠯᠠᠬᠤ · 嘎查公示七天") {
		t.Errorf("the suspension's kind is not in Mongolian")
	}
	if _, err := w.r.Service.Act(t.Context(), access.System, w.a.ID, w.a.Version, cases.Resume, cases.Input{}); err != nil {
		t.Fatal(err)
	}
	if _, running := rev.get("/cases/" + w.a.ID); !strings.Contains(running, `<option value="听证">ᠰᠣᠨᠣᠰᠴᠠᠯ</option>`) {
		t.Errorf("the kinds to choose are not in Mongolian")
	}
	sender := newClient(t, w.r.URL)
	sender.login("shaogen.clerk")
	code, page := sender.get("/transfers")
	if code != http.StatusOK || !strings.Contains(page, w.a.No) || !strings.Contains(page, w.c.No) || strings.Contains(page, w.b.No) {
		t.Fatalf("the transfer page: %d (a refused case has nothing to send)\n%s", code, page)
	}
	idem := regexp.MustCompile(`name="idem" value="([^"]+)"`).FindStringSubmatch(page)[1]
	form := url.Values{"to": {w.T1.ID}, "idem": {idem}}
	code, _, loc := sender.post("/transfers", form)
	code2, _, loc2 := sender.post("/transfers", form) // a double click
	// a list to nowhere comes back with the field named in the user's language
	if code, body, _ := sender.post("/transfers", url.Values{"to": {w.T2.ID}, "idem": {"x-" + idem}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "接收单位（办理地）") {
		t.Errorf("a list to oneself: %d", code)
	}
	if code != http.StatusSeeOther || code2 != http.StatusSeeOther || loc != loc2 || !strings.HasPrefix(loc, "/transfers/") {
		t.Fatalf("send: %d %s / %d %s", code, loc, code2, loc2)
	}
	for _, lang := range []string{"zh", "mn"} {
		sender.lang(lang)
		code, list := sender.get(strings.Split(loc, "?")[0])
		if code != http.StatusOK || !strings.Contains(list, w.a.No) || !strings.Contains(list, w.c.No) || unknownKey.MatchString(list) {
			t.Fatalf("%s list: %d %s", lang, code, unknownKey.FindString(list))
		}
		if lang == "zh" && (!strings.Contains(list, "移交人签名") || !strings.Contains(list, "接收人签名") || !strings.Contains(list, "绍根镇综合受理员") || !strings.Contains(list, "最低生活保障申请表")) {
			t.Errorf("the list lacks signatures, the sender or the originals")
		}
		if strings.Contains(list, `action="`+strings.Split(loc, "?")[0]+`/received"`) {
			t.Errorf("the sender is offered the received mark")
		}
	}
	sender.lang("zh")
	// people outside the townships' front desks are refused
	for _, who := range []string{"shaogen.reviewer", "agetan.agent", "minzheng"} {
		c := newClient(t, w.r.URL)
		c.login(who)
		if code, _ := c.get("/transfers"); code != http.StatusForbidden {
			t.Errorf("%s reads the transfer page: %d", who, code)
		}
	}
	if code, _, _ := sender.post(strings.Split(loc, "?")[0]+"/received", url.Values{}); code != http.StatusForbidden {
		t.Errorf("the sender marks its own list received: %d", code)
	}
	recv := newClient(t, w.r.URL)
	recv.login("tianshan.clerk")
	_, in := recv.get("/transfers")
	if !strings.Contains(in, strings.Split(loc, "?")[0]) {
		t.Fatalf("天山镇 does not see the list coming")
	}
	recv.get(strings.Split(loc, "?")[0])
	if code, _, back := recv.post(strings.Split(loc, "?")[0]+"/received", url.Values{}); code != http.StatusSeeOther || !strings.Contains(back, "ok=received_originals") {
		t.Fatalf("receive: %d %s", code, back)
	}
	_, list := sender.get(strings.Split(loc, "?")[0])
	if !strings.Contains(list, "天山镇综合受理员") {
		t.Errorf("the list does not show who received it")
	}
	// the case page of the handling township says where the originals are
	if _, casePage := recv.get("/cases/" + w.c.ID); !regexp.MustCompile(`<dd class="handoff"><span class="code">绍根移交〔\d{4}〕1号</span>[^<]*绍根镇综合受理员[^<]*天山镇综合受理员</dd>`).MatchString(casePage) {
		t.Errorf("the case page does not show the hand-off")
	}
	// the same through the API, which OpenAPI lists
	api := func(method, path, token string, body string, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, w.r.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(out)
		return resp.StatusCode
	}
	var sess struct{ Token string }
	api("POST", "/api/v1/session", "", `{"username": "tianshan.clerk", "password": "`+demo.Password+`"}`, &sess)
	var board struct {
		Incoming []struct {
			No       string
			Received *time.Time
			Cases    []struct{ No string }
		}
	}
	if code := api("GET", "/api/v1/transfers", sess.Token, "", &board); code != http.StatusOK || len(board.Incoming) != 1 || board.Incoming[0].Received == nil || len(board.Incoming[0].Cases) != 2 {
		t.Errorf("API transfers: %d %+v", code, board)
	}
	var notices []struct{ Kind, No, Verify string }
	if code := api("GET", "/api/v1/cases/"+w.a.ID+"/notices", sess.Token, "", &notices); code != http.StatusOK || len(notices) != 3 || !strings.HasPrefix(notices[0].Verify, "/verify/") {
		t.Errorf("API notices: %d %+v", code, notices)
	}
	var doc struct{ Paths map[string]any }
	api("GET", "/api/openapi.json", "", "", &doc)
	for _, p := range []string{"/api/v1/cases/{id}/notices", "/api/v1/transfers", "/api/v1/transfers/{id}", "/api/v1/transfers/{id}/received"} {
		if doc.Paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}
