package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// A denial served electronically shows the whole decision as its printed notice does (行政许可法 第38条): the
// reasons, the deciding organ, the notice's number, and the remedies with their time limits and bodies
// (行政复议 within 60 days, 行政诉讼 within 6 months), in both languages. The receipt of a case the township
// takes in for 民政局 says so.
func TestElectronicDenialShowsTheRemedies(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	c, seen := dibaoCase(t, r, "13912345678")
	c = actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}}, caseMove{cases.Pass, cases.Input{}}, caseMove{cases.Pass, cases.Input{}},
		caseMove{cases.Decide, cases.Input{Grant: false, Reason: "家庭人均收入高于当地低保标准"}}, caseMove{cases.Issue, cases.Input{Method: "electronic"}})
	msgs, _ := r.Service.Messages(ctx, c.ID)
	code := regexp.MustCompile(`验证码(\d{6})`).FindStringSubmatch(msgs[len(msgs)-1].Body)
	if code == nil {
		t.Fatalf("no code in %+v", msgs[len(msgs)-1])
	}
	resident := newClient(t, r.URL)
	resident.get("/results")
	status, page, _ := resident.post("/results", url.Values{"no": {c.No}, "result_code": {code[1]}})
	if status != http.StatusOK {
		t.Fatalf("result: %d", status)
	}
	for _, want := range []string{"家庭人均收入高于当地低保标准", "本机关决定不予准予", "行政复议", "六十日内", "六个月内", "阿鲁科尔沁旗人民政府",
		"阿鲁科尔沁旗人民法院", "行政诉讼", "民政局", "阿民不予〔"} {
		if !strings.Contains(page, want) {
			t.Errorf("the result page lacks %q", want)
		}
	}
	resident.lang("mn")
	resident.get("/results")
	_, page, _ = resident.post("/results", url.Values{"no": {c.No}, "result_code": {code[1]}})
	for _, want := range []string{"60 ᠡᠳᠦᠷ", "6 ᠰᠠᠷ᠎ᠠ", "ᠵᠠᠭᠠ ᠮᠠᠯᠭᠠ", "家庭人均收入高于当地低保标准"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Mongolian result page lacks %q", want)
		}
	}

	// the receipt: 天山镇 receives for 民政局, which decides
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	notices, err := r.Service.Notices(ctx, clerkActor(t, r), c.ID)
	if err != nil || len(notices) == 0 || notices[0].Kind != "accept" {
		t.Fatalf("notices %+v %v", notices, err)
	}
	_, receipt := clerk.get("/cases/" + c.ID + "/notices/" + notices[0].ID)
	if !strings.Contains(receipt, "本申请由天山镇受民政局委托代收") {
		t.Errorf("the receipt does not say it receives for 民政局")
	}
}

// Through the API: a village agent's 受理 is refused, naming the field, in Chinese and in Mongolian.
func TestStationRefusalThroughTheAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	v1, err := r.DB.OrgsByName(ctx, org.Village, "杨树林村")
	if err != nil || len(v1) != 1 {
		t.Fatal(err)
	}
	ap, err := r.Service.CreateApplicant(ctx, access.System, service.ApplicantInput{Kind: "resident", Name: "其其格", IDNumber: "11010519491231002X", Phone: "13912345678", OrgID: v1[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	dibao, _ := r.Service.Search(ctx, "最低生活保障", 1)
	_, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "yangshulin.agent", "password": demo.Password})
	token, _ := sess["token"].(string)
	code, made, _ := apiCall(t, r.URL, "POST", "/api/v1/cases", token, map[string]string{"item_id": dibao[0].Card.ID, "applicant_id": ap.ID, "authorisation": "书面委托书"}, "Idempotency-Key", "agent-1")
	if code != http.StatusOK && code != http.StatusCreated {
		t.Fatalf("receive: %d %v", code, made)
	}
	id, _ := made["id"].(string)
	move := map[string]any{"version": made["version"], "action": "accept", "input": map[string]any{"materials": []map[string]string{{"name": "居民身份证", "check": "original"}}}}
	for lang, want := range map[string]string{"zh": "便民服务站只收件转交", "mn": "ᠦᠢᠯᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠥᠷᠲᠡᠭᠡ ᠵᠥᠪᠬᠡᠨ"} {
		code, body, _ := apiCall(t, r.URL, "POST", "/api/v1/cases/"+id+"/moves", token, move, "Accept-Language", lang)
		e, _ := body["error"].(map[string]any)
		fields, _ := e["fields"].([]any)
		if code != http.StatusForbidden || len(fields) != 1 {
			t.Fatalf("%s: %d %v", lang, code, body)
		}
		f := fields[0].(map[string]any)
		if f["field"] != "action" || !strings.Contains(f["message"].(string), want) {
			t.Errorf("%s: %v", lang, f)
		}
	}
	if got, _ := r.DB.Case(ctx, id); got.State != cases.Received {
		t.Fatalf("the case moved: %s", got.State)
	}
}
