package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bianmin/internal/demo"
	"bianmin/internal/people"
	"bianmin/internal/testkit"
)

// apiCall sends a JSON request with a Bearer token and decodes the answer.
func apiCall(t testing.TB, base, method, path, token string, body any, hdr ...string) (int, map[string]any, []any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, base+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var obj map[string]any
	var arr []any
	if json.Unmarshal(b, &obj) != nil {
		json.Unmarshal(b, &arr)
	}
	return resp.StatusCode, obj, arr
}

// A resident registers and applies from a guide with the pages; their session opens none of the staff pages
// or staff API operations, a staff token opens none of theirs, and another resident finds nothing of theirs.
func TestResidentPagesAndRefusals(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	res := newClient(t, r.URL)
	_, form := res.get("/resident/register")
	township := regexp.MustCompile(`<option value="([0-9a-z-]{20,36})">天山镇<`).FindStringSubmatch(form)
	if township == nil {
		t.Fatalf("the registration form offers no 天山镇:\n%s", form)
	}
	code, body, loc := res.post("/resident/register", url.Values{"name": {"乌兰"}, "id_number": {"11010519491231002X"}, "phone": {"13912345678"},
		"org": {township[1]}, "password": {"Wulan-2026-pass"}, "confirm_password": {"Wulan-2026-pass"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/my") {
		t.Fatalf("register: %d %s %s", code, loc, body)
	}
	dibao, _ := r.Service.Search(t.Context(), "最低生活保障", 1)
	guide := "/portal/guide/" + dibao[0].Card.ID
	_, page := res.get(guide)
	idem := regexp.MustCompile(`name="idem" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if idem == nil || !strings.Contains(page, `action="`+guide+`/apply"`) {
		t.Fatalf("the guide offers no online application:\n%s", page)
	}
	for range 2 { // a double click makes one case
		if code, body, loc := res.post(guide+"/apply", url.Values{"idem": {idem[1]}}); code != http.StatusSeeOther || loc != "/my?ok=applied" {
			t.Fatalf("apply: %d %s %s", code, loc, body)
		}
	}
	if code, _, _ := res.post(guide+"/apply", url.Values{"idem": {"x"}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Fatalf("an application without the session's form token: %d", code)
	}
	_, my := res.get("/my")
	nos := regexp.MustCompile(`<td class="code">([^<]+)</td>`).FindAllStringSubmatch(my, -1)
	if len(nos) != 1 || !strings.Contains(my, "/track?no="+strings.ToLower(url.QueryEscape(nos[0][1]))+"&amp;phone4=5678") {
		t.Fatalf("my applications:\n%s", my)
	}
	// the pages render in both languages without a missing translation
	for _, lang := range []string{"zh", "mn"} {
		res.get("/lang/" + lang + "?back=/my")
		for _, p := range []string{"/my", guide, "/resident/register", "/resident/login", "/portal"} {
			if code, body := res.get(p); code != http.StatusOK || unknownKey.MatchString(body) {
				t.Errorf("%s %s: %d %s", lang, p, code, unknownKey.FindString(body))
			}
		}
	}
	res.get("/lang/zh?back=/my")
	// no staff page opens with a resident's session
	for _, p := range []string{"/desk", "/cases", "/applicants", "/orgs", "/staff", "/catalog", "/admin/audit"} {
		if code, _ := res.get(p); code != http.StatusSeeOther {
			t.Errorf("a resident opens %s: %d", p, code)
		}
	}
	// the API: a resident token on staff operations, a staff token on residents' operations
	code, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/resident/session", "", map[string]string{"id_number": "11010519491231002X", "password": "Wulan-2026-pass"})
	rtoken, _ := sess["token"].(string)
	if code != http.StatusCreated || !strings.HasPrefix(rtoken, "r_") {
		t.Fatalf("resident API login: %d %v", code, sess)
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/cases", "/api/v1/orgs"} {
		if code, _, _ := apiCall(t, r.URL, "GET", p, rtoken, nil); code != http.StatusUnauthorized {
			t.Errorf("a resident token on %s: %d", p, code)
		}
	}
	code, ssess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
	stoken, _ := ssess["token"].(string)
	if code != http.StatusCreated {
		t.Fatalf("staff login: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/resident/cases", stoken, nil); code != http.StatusUnauthorized {
		t.Errorf("a staff token on my applications: %d", code)
	}
	_, _, mine := apiCall(t, r.URL, "GET", "/api/v1/resident/cases", rtoken, nil)
	if len(mine) != 1 {
		t.Fatalf("my applications by the API: %v", mine)
	}
	caseID := mine[0].(map[string]any)["id"].(string)
	if code, tr, _ := apiCall(t, r.URL, "GET", "/api/v1/resident/cases/"+caseID, rtoken, nil); code != http.StatusOK || tr["state"] != "received" {
		t.Fatalf("my case: %d %v", code, tr)
	}
	// the clerk sees it in the queue, channel online
	if code, c, _ := apiCall(t, r.URL, "GET", "/api/v1/cases/"+caseID, stoken, nil); code != http.StatusOK || c["case"].(map[string]any)["channel"] != "online" {
		t.Fatalf("the clerk reads the case: %d %v", code, c)
	}
	// another resident, registered by the API, sees none of it and cannot open it
	otherID := "15042119900101301"
	otherID += string(people.IDCheckChar(otherID))
	code, other, _ := apiCall(t, r.URL, "POST", "/api/v1/residents", "", map[string]string{"name": "其其格", "id_number": otherID,
		"phone": "13912340000", "org_id": township[1], "password": "Qiqige-2026-pw", "confirm_password": "Qiqige-2026-pw"})
	if code != http.StatusCreated {
		t.Fatalf("register by the API: %d %v", code, other)
	}
	otoken := other["token"].(string)
	if _, _, theirs := apiCall(t, r.URL, "GET", "/api/v1/resident/cases", otoken, nil); len(theirs) != 0 {
		t.Fatalf("another resident's list: %v", theirs)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/resident/cases/"+caseID, otoken, nil); code != http.StatusNotFound {
		t.Fatalf("another resident opens the case: %d", code)
	}
	// the OpenAPI document lists the residents' operations
	_, doc, _ := apiCall(t, r.URL, "GET", "/api/openapi.json", "", nil)
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/residents", "/api/v1/resident/session", "/api/v1/resident/cases", "/api/v1/resident/cases/{id}"} {
		if paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}

// The case page offers the new moves to the right people, in both languages: the reviewer asks for an
// extension (with what is left under 第42条), the director approves it, the window records owed materials
// as brought, and the director of a case whose owed materials are late is told termination is open.
func TestCasePageExtensionAndOwed(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	clerk, reviewer, director, head := newClient(t, r.URL), newClient(t, r.URL), newClient(t, r.URL), newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	reviewer.login("tianshan.reviewer")
	director.login("tianshan.director")
	head.login("minzheng.head") // 低保 is decided by 民政局: its head approves extensions (第42条)
	dibao, _ := r.Service.Search(ctx, "最低生活保障", 1)
	var applicant string
	{
		_, form := clerk.get("/applicants/new")
		org := regexp.MustCompile(`<option value="([0-9a-z-]{20,36})"`).FindStringSubmatch(form)[1]
		idem := regexp.MustCompile(`name="idem" value="([0-9a-f]+)"`).FindStringSubmatch(form)[1]
		_, _, loc := clerk.post("/applicants", url.Values{"kind": {"resident"}, "name": {"乌力吉"}, "id_number": {"11010519491231002X"}, "phone": {"13912345678"}, "org": {org}, "idem": {idem}})
		applicant = strings.TrimPrefix(strings.Split(loc, "?")[0], "/applicants/")
	}
	_, _, loc := clerk.post("/cases", url.Values{"item": {dibao[0].Card.ID}, "applicant": {applicant}, "idem": {"c-1"}})
	caseURL := strings.Split(loc, "?")[0]
	if !strings.HasPrefix(caseURL, "/cases/") {
		t.Fatalf("receive: %s", loc)
	}
	version := func(c *client) string {
		_, page := c.get(caseURL)
		return regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	}
	// 容缺受理: the bank card is owed, a week from now
	_, page := clerk.get(caseURL)
	form := url.Values{"version": {version(clerk)}, "action": {"accept_owed"}, "owed_by": {time.Now().AddDate(0, 0, 7).Format("2006-01-02")}}
	for i, m := range regexp.MustCompile(`name="m(\d+)_name" value="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		check := "original"
		if strings.Contains(m[2], "银行卡") {
			check = "owed"
		}
		form.Set("m"+strconv.Itoa(i)+"_name", m[2])
		form.Set("m"+strconv.Itoa(i)+"_check", check)
	}
	if code, body, _ := clerk.post(caseURL, form); code != http.StatusSeeOther {
		t.Fatalf("accept_owed: %d %s", code, body)
	}
	// the reviewer asks for 12 days: refused, naming the cap; then 6
	if _, page := reviewer.get(caseURL); !strings.Contains(page, `value="request_extension"`) || !strings.Contains(page, "还可申请延长10个工作日") {
		t.Fatalf("the reviewer is not offered an extension request")
	}
	code, body, _ := reviewer.post(caseURL, url.Values{"version": {version(reviewer)}, "action": {"request_extension"}, "days": {"12"}, "reason": {"需入户核查"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "不得超过10个工作日") {
		t.Fatalf("over the cap: %d", code)
	}
	if code, body, _ := reviewer.post(caseURL, url.Values{"version": {version(reviewer)}, "action": {"request_extension"}, "days": {"6"}, "reason": {"需入户核查"}}); code != http.StatusSeeOther {
		t.Fatalf("request: %d %s", code, body)
	}
	if _, page = director.get(caseURL); strings.Contains(page, `value="approve_extension"`) {
		t.Fatal("the township director is offered the decision on 民政局's extension")
	}
	_, page = head.get(caseURL)
	if !strings.Contains(page, `value="approve_extension"`) || !strings.Contains(page, `value="reject_extension"`) || !strings.Contains(page, "申请延长6个工作日") {
		t.Fatal("the head of 民政局 is not offered the decision on the request")
	}
	if code, body, _ := head.post(caseURL, url.Values{"version": {version(head)}, "action": {"approve_extension"}}); code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", code, body)
	}
	// the pages read in both languages, and the window's form lists the owed material
	for _, lang := range []string{"zh", "mn"} {
		for _, c := range []*client{clerk, reviewer, director, head} {
			c.lang(lang)
			if code, body := c.get(caseURL); code != http.StatusOK || unknownKey.MatchString(body) {
				t.Errorf("%s: %d %s", lang, code, unknownKey.FindString(body))
			}
			c.lang("zh")
		}
	}
	_, page = clerk.get(caseURL)
	if !strings.Contains(page, `id="owed"`) || !strings.Contains(page, "6个工作日") {
		t.Fatal("the window's page lacks the owed materials or the extension")
	}
	// late: the director is told termination is open
	r.DB.Now = func() time.Time { return time.Now().AddDate(0, 0, 10) }
	defer func() { r.DB.Now = time.Now }()
	director.login("tianshan.director") // the sessions of ten days ago have ended
	clerk.login("tianshan.clerk")
	if _, page := director.get(caseURL); !strings.Contains(page, `id="owed-overdue"`) || !strings.Contains(page, `value="terminate"`) {
		t.Fatalf("the director is not offered termination of the overdue case:\n%s", page)
	}
	if _, q := clerk.get("/cases"); !strings.Contains(q, "容缺材料逾期未补") {
		t.Fatal("the queue does not flag the overdue case")
	}
	// the window records the card as brought (the other rows stay as they were)
	_, page = clerk.get(caseURL)
	owed := regexp.MustCompile(`name="m0_name" value="([^"]+)"><\/td>\s*<td><label class="visually-hidden" for="o0_check"`).FindStringSubmatch(page)
	if owed == nil {
		t.Fatalf("no owed row:\n%s", page)
	}
	if code, body, _ := clerk.post(caseURL, url.Values{"version": {version(clerk)}, "action": {"owed_arrived"}, "m0_name": {owed[1]}, "m0_check": {"copy"}}); code != http.StatusSeeOther {
		t.Fatalf("owed_arrived: %d %s", code, body)
	}
	if _, q := clerk.get("/cases"); strings.Contains(q, "容缺材料逾期未补") {
		t.Fatal("still flagged after the materials came")
	}
}
