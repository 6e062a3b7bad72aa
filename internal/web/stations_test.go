package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

var locID = regexp.MustCompile(`^/[a-z]+/([0-9a-z-]{20,36})`)

// A home visit from request to record through the pages (issue 13, item 7): 杨树林村's agent marks a resident
// as needing help (with consent), asks for a visit from the resident's page, schedules it, records it with
// the materials collected; the station's pages, the visit, the standing authorisation and the lists render
// in both languages without a missing translation; another village's agent, another township's clerk and a
// stranger are refused each of them; the township's portal page shows the station as a column.
func TestStationPages(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	cst := time.FixedZone("CST", 8*3600)
	r.DB.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, cst) }
	a, item := stationResident(t, r, "阿拉坦", "15042119450101006")
	agent := newClient(t, r.URL)
	agent.login("yangshulin.agent")

	// 帮办 mark: refused without consent, then recorded
	code, body, _ := agent.post("/applicants/"+a.ID+"/needs", url.Values{"needs": {"elderly"}, "consent_by": {"本人"}, "version": {"0"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "单独同意") {
		t.Fatalf("a mark without consent: %d", code)
	}
	if code, _, loc := agent.post("/applicants/"+a.ID+"/needs", url.Values{"needs": {"elderly", "disabled"}, "consent": {"1"}, "consent_by": {"本人"}, "version": {"0"}}); code != http.StatusSeeOther {
		t.Fatalf("the mark: %d %s", code, loc)
	}
	if _, page := agent.get("/applicants/" + a.ID); !strings.Contains(page, `id="needs-now"`) || !strings.Contains(page, "残疾人") {
		t.Fatal("the applicant's page does not show the mark")
	}

	// the visit: requested, scheduled, carried out and recorded
	code, body, loc := agent.post("/visits", url.Values{"applicant": {a.ID}, "item": {item}, "reason": {"卧床，需上门收取低保申请材料"}, "idem": {"v-1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("request: %d %s", code, body)
	}
	visit := locID.FindStringSubmatch(loc)[1]
	version := func() string {
		_, page := agent.get("/visits/" + visit)
		return regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	}
	if code, body, _ := agent.post("/visits/"+visit, url.Values{"move": {"schedule"}, "version": {version()}, "at": {"2026-03-02T14:00"}, "visitors": {"杨树林村代办员"}}); code != http.StatusSeeOther {
		t.Fatalf("schedule: %d %s", code, body)
	}
	if code, _, _ := agent.post("/visits/"+visit, url.Values{"move": {"record"}, "version": {version()}, "at": {"2026-01-01T10:00"}}); code != http.StatusUnprocessableEntity {
		t.Fatalf("a record without what was done: %d", code)
	}
	r.DB.Now = func() time.Time { return time.Date(2026, 3, 2, 18, 0, 0, 0, cst) }
	if code, body, _ := agent.post("/visits/"+visit, url.Values{"move": {"record"}, "version": {version()}, "at": {"2026-03-02T16:15"},
		"record": {"上门核实家庭情况，收取材料并由本人签字"}, "materials": {"居民身份证复印件\n家庭收入和财产状况声明"}}); code != http.StatusSeeOther {
		t.Fatalf("record: %d %s", code, body)
	}
	if _, page := agent.get("/visits/" + visit); !strings.Contains(page, "已上门并记录") || !strings.Contains(page, "家庭收入和财产状况声明") {
		t.Fatal("the visit page does not show the record")
	}

	// a standing authorisation through its form
	code, body, loc = agent.post("/standing", url.Values{"applicant": {a.ID}, "items": {item}, "from": {"2026-03-03"}, "until": {"2026-06-30"}, "reason": {"长期卧床"}, "signed_ref": {"原件存站"}, "idem": {"s-1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("standing: %d %s", code, body)
	}
	standing := locID.FindStringSubmatch(loc)[1]

	pages := []string{"/station", "/visits", "/visits?state=done", "/visits/" + visit, "/visits?applicant=" + a.ID, "/standing/" + standing,
		"/standing/new?applicant=" + a.ID, "/applicants/" + a.ID, "/cases/new?id_number=" + a.IDNumber + "&item=" + item, "/cases"}
	for _, lang := range []string{"zh", "mn"} {
		agent.rendersIn(lang, pages)
	}
	// the resident's case, received now, comes first at the station's desk and the township's
	c, err := r.Service.Receive(t.Context(), staffActor(t, r, "yangshulin.agent"), service.ReceiveInput{ItemID: item, ApplicantID: a.ID, Mode: "assisted"}, "")
	if err != nil || !c.Helped {
		t.Fatalf("the assisted case: %v", err)
	}
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	for _, cl := range []*client{agent, clerk} {
		if _, page := cl.get("/cases"); !strings.Contains(page, `id="assisted"`) || !strings.Contains(page[strings.Index(page, `id="assisted"`):], c.No) {
			t.Error("the assisted case is not first on the queue")
		}
	}

	// refusals: another village's agent, another township's clerk, a stranger
	others := map[string]*client{"xishuangshan.agent": newClient(t, r.URL), "shaogen.clerk": newClient(t, r.URL)}
	for who, c := range others {
		c.login(who)
		for _, p := range []string{"/visits/" + visit, "/standing/" + standing} {
			if code, _ := c.get(p); code != http.StatusForbidden {
				t.Errorf("%s reads %s: %d", who, p, code)
			}
		}
		if code, _, _ := c.post("/visits/"+visit, url.Values{"move": {"cancel"}, "version": {"9"}, "reason": {"x"}}); code != http.StatusForbidden {
			t.Errorf("%s moves the visit: %d", who, code)
		}
		if code, _, _ := c.post("/applicants/"+a.ID+"/needs", url.Values{"needs": {"elderly"}, "consent": {"1"}, "consent_by": {"x"}, "version": {"1"}}); code != http.StatusForbidden {
			t.Errorf("%s marks the resident: %d", who, code)
		}
		if _, page := c.get("/applicants/" + a.ID); strings.Contains(page, `id="needs"`) {
			t.Errorf("%s sees the mark", who)
		}
	}
	stranger := newClient(t, r.URL)
	for _, p := range []string{"/station", "/visits/" + visit, "/standing/" + standing} {
		if code, _ := stranger.get(p); code != http.StatusSeeOther {
			t.Errorf("a stranger gets %s: %d", p, code)
		}
	}

	// the portal: the station as a column of its township
	v, _ := r.DB.OrgsByName(t.Context(), org.Village, "杨树林村")
	tw, _ := r.DB.Org(t.Context(), v[0].ParentID)
	for tw.Kind != org.Township {
		tw, _ = r.DB.Org(t.Context(), tw.ParentID)
	}
	public := newClient(t, r.URL)
	code, page := public.get("/portal/township/" + tw.ID + "?village=" + v[0].ID)
	if code != http.StatusOK || !strings.Contains(page, `id="station"`) || !strings.Contains(page, "杨树林村代办员") ||
		!strings.Contains(page, "城乡居民基本养老保险参保登记") || !strings.Contains(page, "最低生活保障") {
		t.Fatalf("the station column: %d", code)
	}
	handles := page[strings.Index(page, `id="station-handles"`):strings.Index(page, `id="station-forwards"`)]
	if !strings.Contains(handles, "城乡居民基本养老保险参保登记") || strings.Contains(handles, "最低生活保障") {
		t.Error("the items the station concludes are not apart from those it forwards")
	}
}

// apiDo sends a JSON request with a bearer token ("" for none) and returns the status and body.
func apiDo(t *testing.T, method, u, token, body string) (int, string) {
	t.Helper()
	code, b := rawCall(t, "", method, u, token, []byte(body))
	return code, string(b)
}

// The station's API rows refuse as the pages do: a standing authorisation made by 杨树林村's agent is read by
// it and refused to another village's agent, another township's clerk and a caller without a token; the 帮办
// mark likewise; a 代理 past its expiry is refused at intake through the API too.
func TestStationAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	cst := time.FixedZone("CST", 8*3600)
	r.DB.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, cst) }
	a, item := stationResident(t, r, "萨仁", "15042119480101007")
	agent := apiToken(t, r.URL, "yangshulin.agent")
	code, body := apiDo(t, "POST", r.URL+"/api/v1/standing", agent, `{"applicant_id":"`+a.ID+`","items":["`+item+`"],"from":"2026-03-02","until":"2026-03-31","reason":"卧床","signed_ref":"原件存站"}`)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(body)[1]
	if code, body := apiDo(t, "GET", r.URL+"/api/v1/standing/"+id, agent, ""); code != http.StatusOK || !strings.Contains(body, `"holds":true`) {
		t.Fatalf("read: %d %s", code, body)
	}
	if code, body := apiDo(t, "PUT", r.URL+"/api/v1/applicants/"+a.ID+"/needs", agent, `{"needs":["elderly"],"consent":true,"consent_by":"本人","version":0}`); code != http.StatusOK {
		t.Fatalf("mark: %d %s", code, body)
	}
	for _, who := range []string{"xishuangshan.agent", "shaogen.clerk", ""} {
		token, want := "", http.StatusUnauthorized
		if who != "" {
			token, want = apiToken(t, r.URL, who), http.StatusForbidden
		}
		for _, u := range []string{"/api/v1/standing/" + id, "/api/v1/applicants/" + a.ID + "/needs"} {
			if code, _ := apiDo(t, "GET", r.URL+u, token, ""); code != want {
				t.Errorf("%q reads %s: %d", who, u, code)
			}
		}
	}
	// past its last day, an intake under it is refused naming the field
	r.DB.Now = func() time.Time { return time.Date(2026, 4, 1, 10, 0, 0, 0, cst) }
	agent = apiToken(t, r.URL, "yangshulin.agent")
	code, body = apiDo(t, "POST", r.URL+"/api/v1/cases", agent, `{"item_id":"`+item+`","applicant_id":"`+a.ID+`","proxy_mode":"standing","standing_id":"`+id+`"}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"standing"`) || !strings.Contains(body, "2026-03-31") {
		t.Fatalf("an intake past the expiry: %d %s", code, body)
	}
}
