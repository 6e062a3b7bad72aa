package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
	"bianmin/internal/web"
)

type client struct {
	t    testing.TB
	base string
	http *http.Client
	csrf string
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(b)
}

func (c *client) post(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	if form.Get("csrf") == "" && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	resp, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func (c *client) login(user string) {
	c.t.Helper()
	code, body, loc := c.post("/login", url.Values{"username": {user}, "password": {demo.Password}, "back": {"/desk"}})
	if code != http.StatusSeeOther || loc != "/desk" {
		c.t.Fatalf("login %s: %d %s %s", user, code, loc, body)
	}
	c.get("/desk")
}

func (c *client) lang(l string) {
	c.t.Helper()
	if code, _ := c.get("/lang/" + l + "?back=/desk"); code != http.StatusSeeOther {
		c.t.Fatalf("switch to %s: %d", l, code)
	}
}

// rendersIn switches to a language and checks that each page renders, marked in it, with every text
// translated.
func (c *client) rendersIn(lang string, pages []string) {
	c.t.Helper()
	c.lang(lang)
	for _, p := range pages {
		code, body := c.get(p)
		if code != http.StatusOK {
			c.t.Errorf("%s %s: %d", lang, p, code)
		}
		if k := unknownKey.FindString(body); k != "" {
			c.t.Errorf("%s %s shows a key without a translation: %s", lang, p, k)
		}
		if lang == "mn" && !strings.Contains(body, `lang="mn-Mong"`) {
			c.t.Errorf("%s: not marked as Mongolian", p)
		}
	}
}

var unknownKey = regexp.MustCompile(`\[[a-z]+\.[a-z0-9_.]+\]`)
var hrefID = regexp.MustCompile(`href="/(orgs|applicants)/([0-9a-z-]{20,36})"`)

// Every page renders in both languages, for the people who use it, without a missing translation.
func TestEveryPageRenders(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	admin := newClient(t, r.URL)
	admin.login("admin")
	// an applicant so that its page exists
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	_, form := clerk.get("/applicants/new")
	org := regexp.MustCompile(`<option value="([0-9a-z-]{20,36})"`).FindStringSubmatch(form)[1]
	idem := regexp.MustCompile(`name="idem" value="([0-9a-f]+)"`).FindStringSubmatch(form)[1]
	code, body, loc := clerk.post("/applicants", url.Values{"kind": {"resident"}, "name": {"乌力吉"}, "id_number": {"11010519491231002X"}, "phone": {"13912345678"}, "org": {org}, "idem": {idem}})
	if code != http.StatusSeeOther {
		t.Fatalf("create applicant: %d %s", code, body)
	}
	_, orgsPage := admin.get("/orgs")
	orgLinks := hrefID.FindAllStringSubmatch(orgsPage, 3)
	pages := []string{"/desk", "/orgs", "/orgs/" + orgLinks[0][2], "/orgs/" + orgLinks[2][2], "/staff", "/staff/new", "/applicants",
		"/applicants/new", strings.Split(loc, "?")[0], "/account/password", "/admin/translations", "/admin/import", "/admin/audit", "/admin/calendar"}
	// the public portal and the catalog pages
	_, portal := admin.get("/portal")
	for _, re := range []string{`href="(/portal/township/[0-9a-z-]{20,36})"><span class="bi"><span class="mn" lang="mn-Mong">[^<]*</span><span class="zh" lang="zh-Hans">天山镇<`, `href="(/portal/topic/[^"]+)"`, `href="(/portal/department/[0-9a-z-]{20,36})"`, `href="(/portal/bundle/[0-9a-z-]{20,36})"`} {
		m := regexp.MustCompile(re).FindStringSubmatch(portal)
		if m == nil {
			t.Fatalf("the portal has no link like %s", re)
		}
		pages = append(pages, m[1])
	}
	_, township := admin.get(pages[len(pages)-4])
	village := regexp.MustCompile(`href="(/portal/township/[0-9a-z-]{20,36}\?village=[0-9a-z-]{20,36})"`).FindStringSubmatch(township)
	guide := regexp.MustCompile(`href="(/portal/guide/[0-9a-z-]{20,36})\?at=([0-9a-z-]{20,36})"`).FindStringSubmatch(township)
	if village == nil || guide == nil {
		t.Fatalf("the township page %s lists no village column or no guide:\n%s", pages[len(pages)-4], township)
	}
	_, catalogPage := admin.get("/catalog")
	item := regexp.MustCompile(`href="(/catalog/[0-9a-z-]{20,36})"`).FindStringSubmatch(catalogPage)
	townshipID := strings.TrimPrefix(pages[len(pages)-4], "/portal/township/")
	dibao, _ := r.Service.Search(t.Context(), "最低生活保障", 1)
	applicantID := strings.TrimPrefix(strings.Split(loc, "?")[0], "/applicants/")
	kase, err := r.Service.Receive(t.Context(), access.System, service.ReceiveInput{ItemID: dibao[0].Card.ID, ApplicantID: applicantID, ReceivingOrg: townshipID}, "")
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, "/cases", "/cases/new", "/cases/"+kase.ID, "/track?no="+kase.No+"&phone4=5678")
	pages = append(pages, "/orgs/"+townshipID+"/items", "/portal", "/portal/search?q=低保", village[1], guide[1], guide[1]+"?at="+guide[2], guide[1]+"/history", "/catalog", item[1])
	pages = append(pages, "/translate", "/translate?pending=1&q=低保", "/translate/string?key=i:nav.home", "/translate/coverage", "/translate/import", "/translate/propose?zh=宝力嘎查")
	for _, lang := range []string{"zh", "mn"} {
		admin.rendersIn(lang, pages)
		anon := newClient(t, r.URL)
		anon.lang(lang)
		for _, p := range []string{"/", "/login", "/portal", "/portal/search?q=dibao", guide[1], "/results", "/track"} {
			if code, body := anon.get(p); code != http.StatusOK || unknownKey.MatchString(body) {
				t.Errorf("%s %s: %d %s", lang, p, code, unknownKey.FindString(body))
			}
		}
	}
	// every template was reached by some page above, the error page by a refusal
	agent := newClient(t, r.URL)
	agent.login("xishuangshan.agent")
	if code, body := agent.get(strings.Split(loc, "?")[0]); code != http.StatusForbidden || !strings.Contains(body, "无权") {
		t.Errorf("an agent of another village reads the applicant: %d", code)
	}
}

// A form with bad input comes back with the field named, in the user's language, keeping what was typed,
// and nothing is written.
func TestFormErrorsInTheUsersLanguage(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := newClient(t, r.URL)
	c.login("yangshulin.agent")
	_, form := c.get("/applicants/new")
	org := regexp.MustCompile(`<option value="([0-9a-z-]{20,36})"`).FindStringSubmatch(form)[1]
	cat := r.Service.Catalog
	for _, lang := range []string{"zh", "mn"} {
		c.lang(lang)
		before, _ := r.DB.CountApplicants(t.Context())
		code, body, _ := c.post("/applicants", url.Values{"kind": {"resident"}, "name": {"其木格"}, "id_number": {"150421198001010011"}, "org": {org}})
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", lang, code)
		}
		l := map[string]string{"zh": "zh", "mn": "mn"}[lang]
		// the message names the check character the first 17 digits call for and the one typed
		msg := cat.T(i18n.Lang(l), "err.idnumber.check_char", "expected", "X", "found", "1")
		label, _ := cat.Get("field.id_number")
		want := map[string][2]string{"zh": {msg, label.Zh}, "mn": {msg, label.Mn}}[l]
		if !strings.Contains(body, want[0]) || !strings.Contains(body, want[1]) {
			t.Errorf("%s: the page does not say %q about %q", lang, want[0], want[1])
		}
		if !strings.Contains(body, `value="其木格"`) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: typed values lost or field not marked", lang)
		}
		if after, _ := r.DB.CountApplicants(t.Context()); after != before {
			t.Errorf("%s: a refused form wrote an applicant", lang)
		}
	}
}

func TestFormsNeedTheSessionToken(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := newClient(t, r.URL)
	c.login("tianshan.clerk")
	code, _, _ := c.post("/account/password", url.Values{"csrf": {"forged"}, "old_password": {demo.Password}, "new_password": {"another-password"}, "confirm_password": {"another-password"}})
	if code != http.StatusForbidden {
		t.Fatalf("a forged token: %d", code)
	}
	// a cross-site browser request is refused before it reaches the form
	req, _ := http.NewRequest("POST", r.URL+"/logout", strings.NewReader("csrf="+c.csrf))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", resp.StatusCode)
	}
}

func TestAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	call := func(method, path, token string, body any, hdr ...string) (int, map[string]any, []any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		}
		req, _ := http.NewRequest(method, r.URL+path, rd)
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
	code, _, _ := call("GET", "/api/v1/me", "", nil)
	if code != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", code)
	}
	code, sess, _ := call("POST", "/api/v1/session", "", map[string]string{"username": "yangshulin.agent", "password": demo.Password})
	if code != http.StatusCreated {
		t.Fatalf("login: %d %v", code, sess)
	}
	token := sess["token"].(string)
	staff := sess["staff"].(map[string]any)
	village := staff["org_id"].(string)
	in := map[string]string{"kind": "resident", "name": "斯琴", "id_number": "11010519491231002X", "phone": "13712345678", "org_id": village}
	code, a1, _ := call("POST", "/api/v1/applicants", token, in, "Idempotency-Key", "k-1")
	code2, a2, _ := call("POST", "/api/v1/applicants", token, in, "Idempotency-Key", "k-1")
	if code != http.StatusCreated || code2 != http.StatusCreated || a1["id"] != a2["id"] {
		t.Fatalf("idempotent create: %d %v / %d %v", code, a1, code2, a2)
	}
	if a1["id_number"] != "11010519491231002X" {
		t.Errorf("the village agent sees the full number: %v", a1["id_number"])
	}
	in["id_number"] = "110105194912310021"
	code, e, _ := call("POST", "/api/v1/applicants", token, in, "Accept-Language", "mn")
	fields, _ := e["error"].(map[string]any)["fields"].([]any)
	if code != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["field"] != "id_number" {
		t.Fatalf("bad number: %d %v", code, e)
	}
	if msg := fields[0].(map[string]any)["message"].(string); !strings.ContainsRune(msg, 'ᠰ') {
		t.Errorf("the message is not in Mongolian: %q", msg)
	}
	code, _, list := call("GET", "/api/v1/orgs", token, nil)
	if code != http.StatusOK || len(list) != 2 { // the village and its station
		t.Fatalf("an agent's organisations: %d %d", code, len(list))
	}
	banner, _ := r.DB.OrgByCode(t.Context(), "150421")
	if code, _, _ := call("GET", "/api/v1/orgs/"+banner.ID, token, nil); code != http.StatusForbidden {
		t.Fatalf("an agent reads the banner: %d", code)
	}
	code, doc, _ := call("GET", "/api/openapi.json", "", nil)
	paths, _ := doc["paths"].(map[string]any)
	if code != http.StatusOK || doc["openapi"] != "3.1.0" || paths["/api/v1/applicants"] == nil || paths["/api/v1/orgs/{id}"] == nil {
		t.Fatalf("openapi: %d %v", code, doc["paths"])
	}
	// a case through the API: the same Idempotency-Key makes one case; a stale version is a conflict
	code, k1, _ := call("POST", "/api/v1/cases", token, map[string]string{"item_id": "", "applicant_id": a1["id"].(string)}, "Idempotency-Key", "case-1")
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("a case without an item: %d %v", code, k1)
	}
	_, _, list0 := call("GET", "/api/v1/items?q=dibao", "", nil)
	itemID := list0[0].(map[string]any)["id"].(string)
	caseIn := map[string]string{"item_id": itemID, "applicant_id": a1["id"].(string), "authorisation": "书面委托"}
	code, k1, _ = call("POST", "/api/v1/cases", token, caseIn, "Idempotency-Key", "case-1")
	code2, k2, _ := call("POST", "/api/v1/cases", token, caseIn, "Idempotency-Key", "case-1")
	if code != http.StatusCreated || code2 != http.StatusCreated || k1["id"] != k2["id"] {
		t.Fatalf("idempotent receive: %d %v / %d %v", code, k1, code2, k2)
	}
	caseID := k1["id"].(string)
	// every row is chosen (行政许可法 第32条: the one notice names everything missing)
	move := map[string]any{"version": 1, "action": "ask_correction", "input": map[string]any{"materials": []map[string]any{{"name": "最低生活保障申请表", "check": "original"},
		{"name": "居民身份证", "required": true, "check": "missing"}, {"name": "居民户口簿", "check": "copy"}, {"name": "家庭收入和财产状况声明", "check": "original"},
		{"name": "本人银行卡或一卡通", "check": "copy"}, {"name": "授权委托书及代办人身份证", "check": "original"}}}}
	if code, body, _ := call("POST", "/api/v1/cases/"+caseID+"/moves", token, move); code != http.StatusCreated {
		t.Fatalf("move: %d %v", code, body)
	}
	if code, body, _ := call("POST", "/api/v1/cases/"+caseID+"/moves", token, move); code != http.StatusConflict {
		t.Fatalf("a stale version: %d %v", code, body)
	}
	code, _, items := call("GET", "/api/v1/items?q=dibao", "", nil)
	if code != http.StatusOK || len(items) == 0 || items[0].(map[string]any)["name_zh"] != "最低生活保障" {
		t.Fatalf("search API: %d %v", code, items)
	}
	code, item, _ := call("GET", "/api/v1/items/"+items[0].(map[string]any)["id"].(string), "", nil)
	if code != http.StatusOK || item["legal_limit"].(map[string]any)["value"] != 30.0 {
		t.Fatalf("item API: %d %v", code, item)
	}
	if code, _, _ := call("DELETE", "/api/v1/session", token, nil); code != http.StatusOK {
		t.Fatal("logout")
	}
	if code, _, _ := call("GET", "/api/v1/me", token, nil); code != http.StatusUnauthorized {
		t.Fatal("the token outlived its logout")
	}
}

func TestSafeBack(t *testing.T) {
	for in, want := range map[string]string{
		"/desk": "/desk", "/orgs/x?ok=1": "/orgs/x?ok=1", "//evil.example": "/desk", "/\t/evil.example": "/desk",
		"/\\evil.example": "/desk", "https://evil.example": "/desk", "evil": "/desk", "": "/desk", "/%2F%2Fevil": "/desk",
	} {
		if got := web.SafeBackForTest(in); got != want {
			t.Errorf("safeBack(%q) = %q, want %q", in, got, want)
		}
	}
}

// The API takes Bearer tokens only; a signed-in browser's cookie does not reach it.
func TestAPIIgnoresCookies(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := newClient(t, r.URL)
	c.login("admin")
	resp, err := c.http.Get(r.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("cookie on the API: %d", resp.StatusCode)
	}
}

// An account whose password an administrator chose can do nothing but change it.
func TestMustChangePassword(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	dir := newClient(t, r.URL)
	dir.login("tianshan.director")
	_, form := dir.get("/staff/new")
	org := regexp.MustCompile(`<option value="([0-9a-z-]{20,36})"[^>]*>天山镇`).FindStringSubmatch(form)
	if org == nil {
		t.Fatal("no 天山镇 in the form")
	}
	code, body, _ := dir.post("/staff", url.Values{"username": {"new.clerk"}, "name": {"新受理员"}, "role": {"clerk"}, "org": {org[1]}, "lang": {"zh"}, "password": {"chosen-by-director"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", code, body)
	}
	c := newClient(t, r.URL)
	code, _, loc := c.post("/login", url.Values{"username": {"new.clerk"}, "password": {"chosen-by-director"}, "back": {"/desk"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/account/password") {
		t.Fatalf("login: %d %s", code, loc)
	}
	if code, _ := c.get("/applicants"); code != http.StatusSeeOther {
		t.Fatalf("other pages before the change: %d", code)
	}
	c.get("/account/password")
	code, _, loc = c.post("/account/password", url.Values{"old_password": {"chosen-by-director"}, "new_password": {"my-own-password"}, "confirm_password": {"my-own-password"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/desk") {
		t.Fatalf("change: %d %s", code, loc)
	}
	if code, _ := c.get("/applicants"); code != http.StatusOK {
		t.Fatalf("after the change: %d", code)
	}
}

// Department staff see and edit their own department's items only; drafts stay off the portal.
func TestCatalogScope(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := newClient(t, r.URL)
	c.login("minzheng")
	_, list := c.get("/catalog")
	if !strings.Contains(list, "最低生活保障") || strings.Contains(list, "残疾人证申领") {
		t.Fatal("民政局 staff should list their items and not 残联's")
	}
	items, _ := r.Service.Search(t.Context(), "残疾人证申领", 1)
	if code, _ := c.get("/catalog/" + items[0].Card.ID); code != http.StatusForbidden {
		t.Fatalf("another department's item: %d", code)
	}
	if code, _ := c.get("/catalog/export/json"); code != http.StatusOK {
		t.Fatalf("export: %d", code)
	}
}

// Next year's schedule: the desk warns while it is missing; an administrator loads it; a bad file is refused
// with the field named.
func TestCalendarYears(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	r.DB.Now = func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }
	c := newClient(t, r.URL)
	c.login("admin")
	if _, body := c.get("/desk"); !strings.Contains(body, "尚未载入 2027 年") {
		t.Fatal("no warning about 2027 on the desk")
	}
	upload := func(doc string) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", c.csrf)
		fw, _ := mw.CreateFormFile("file", "2027.json")
		fw.Write([]byte(doc))
		mw.Close()
		resp, err := c.http.Post(r.URL+"/admin/calendar", mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	c.get("/admin/calendar")
	code, body := upload(`{"year": 2027, "notice": "x", "holidays": [], "workdays": ["2027-02-03"]}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "调休上班日应是周六或周日") || !strings.Contains(body, "调休上班日第1项") || strings.Contains(body, "workdays[0]") {
		t.Fatalf("a make-up day on a Wednesday: %d\n%s", code, body)
	}
	full := `{"year": 2027, "notice": "国务院办公厅关于2027年部分节假日安排的通知", "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
		{"name": "春节", "from": "2027-02-05", "to": "2027-02-13"}, {"name": "清明节", "from": "2027-04-03", "to": "2027-04-05"},
		{"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"}, {"name": "端午节", "from": "2027-06-09", "to": "2027-06-09"},
		{"name": "中秋节", "from": "2027-09-15", "to": "2027-09-15"}, {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}], "workdays": []}`
	// a period without its start is named by the holiday, never by another form's "to"; a statutory day left out is named
	code, body = upload(strings.Replace(strings.Replace(full, `"from": "2027-02-05", `, "", 1), `"to": "2027-10-07"`, `"to": "2027-10-02"`, 1))
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "放假安排「春节」") || !strings.Contains(body, "缺少放假的开始日期") ||
		strings.Contains(body, "接收单位") || !strings.Contains(body, "缺少法定节假日国庆节（2027-10-03）") {
		t.Fatalf("a period without its start, 10/3 left out: %d\n%s", code, body)
	}
	code, _ = upload(full)
	if code != http.StatusSeeOther {
		t.Fatalf("load 2027: %d", code)
	}
	if _, body := c.get("/desk"); strings.Contains(body, "尚未载入") {
		t.Fatal("the warning outlived the load")
	}
	cal, _ := r.Service.Calendar(t.Context())
	if cal.IsWorkingDay(clock.MustDate("2027-01-01")) || !cal.Covers(2027) {
		t.Fatal("2027 not in the calendar")
	}
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	if _, err := r.Service.LoadCalendarYear(t.Context(), clerkActor(t, r), strings.NewReader(`{"year":2028}`)); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("a clerk loads a calendar: %v", err)
	}
}

func clerkActor(t *testing.T, r *testkit.Running) access.Actor {
	c, err := r.DB.CredentialsByUsername(t.Context(), "tianshan.clerk")
	if err != nil {
		t.Fatal(err)
	}
	return c.Staff.Actor()
}
