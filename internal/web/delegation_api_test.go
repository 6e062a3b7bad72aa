package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// The delegated powers' API (issue 14, second round): the moves the pages make, through the same service
// calls: 自然资源局 delegates (idempotently), sets the checklist, 天山镇's director confirms readiness, the
// hand-over, the pair; a reviewer asks from the case, the counterpart answers and promotes the answer to the
// item's FAQ, comments on the case; a round with a finding rectified and accepted; the assessment; the lists
// searched and paged by cursor. Another department, another township and a stranger are refused.
func TestDelegationAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	bg := t.Context()
	l := licence(t, r)
	today, item, town := l.today, l.item, l.tianshan.ID
	l.setDay(today)
	shaogen, _ := r.DB.OrgsByName(bg, org.Township, "绍根镇")
	if len(shaogen) != 1 {
		t.Fatal(shaogen)
	}
	ziran, minzheng, director := apiLogin(t, r, "ziran"), apiLogin(t, r, "minzheng"), apiLogin(t, r, "tianshan.director")
	reviewer, other := apiLogin(t, r, "tianshan.reviewer"), apiLogin(t, r, "shaogen.director")

	in := map[string]any{"item_id": item, "scope": "item", "doc_no": "阿政发〔2020〕52号", "doc_date": "2020-09-01", "start": today.String(), "townships": []string{town, shaogen[0].ID}}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations", minzheng, in); code != http.StatusForbidden {
		t.Errorf("民政局 delegates 自然资源局's item: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations", "", in); code != http.StatusUnauthorized {
		t.Errorf("a stranger delegates: %d", code)
	}
	bad := map[string]any{"item_id": item, "scope": "item", "doc_no": "", "doc_date": "2020-09-01", "start": today.String()}
	if code, e, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations", ziran, bad); code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || !strings.Contains(stringify(e), "deleg_doc_no") {
		t.Errorf("a delegation without its document number: %d %v", code, e)
	}
	code, d, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations", ziran, in, "Idempotency-Key", "deleg-1")
	if code != http.StatusCreated || d["item_id"] != item {
		t.Fatalf("delegate: %d %v", code, d)
	}
	id := d["id"].(string)
	if code, again, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations", ziran, in, "Idempotency-Key", "deleg-1"); code != http.StatusCreated || again["id"] != id {
		t.Errorf("the same delegation twice: %d %v", code, again)
	}
	path := "/api/v1/delegations/" + id + "/townships/" + town
	code, d, _ = apiCall(t, r.URL, "POST", path+"/checklist", ziran, map[string]any{"version": 1, "materials": true, "templates": true, "system_access": true, "trained_staff": "天山镇审办员"})
	if code != http.StatusCreated {
		t.Fatalf("checklist: %d %v", code, d)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", path+"/ready", other, map[string]any{"version": 2}); code != http.StatusForbidden {
		t.Errorf("another township's director confirms readiness: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", path+"/ready", director, map[string]any{"version": 1}); code != http.StatusConflict {
		t.Errorf("readiness on a version not read: %d", code)
	}
	if code, d, _ = apiCall(t, r.URL, "POST", path+"/ready", director, map[string]any{"version": 2}); code != http.StatusCreated {
		t.Fatalf("ready: %d %v", code, d)
	}
	if code, d, _ = apiCall(t, r.URL, "POST", path+"/handover", ziran, map[string]any{"version": 3, "handed_by": "王局长", "received_by": "李主任"}); code != http.StatusCreated {
		t.Fatalf("hand-over: %d %v", code, d)
	}
	reviewerActor, ziranActor := staffActor(t, r, "tianshan.reviewer"), staffActor(t, r, "ziran")
	if code, p, _ := apiCall(t, r.URL, "POST", "/api/v1/pairs", ziran, map[string]any{"item_id": item, "township_staff": reviewerActor.ID, "dept_staff": ziranActor.ID}); code != http.StatusCreated {
		t.Fatalf("pair: %d %v", code, p)
	}
	if code, _, pairs := apiCall(t, r.URL, "GET", "/api/v1/pairs", reviewer, nil); code != http.StatusOK || len(pairs) != 1 {
		t.Errorf("the township's pairs: %d %v", code, pairs)
	}
	// the list: searched by township and document, paged by cursor
	if code, l, _ := apiCall(t, r.URL, "GET", "/api/v1/delegations?q=绍根", ziran, nil); code != http.StatusOK || len(l["delegations"].([]any)) != 1 {
		t.Errorf("search by township: %d %v", code, l)
	}
	if code, l, _ := apiCall(t, r.URL, "GET", "/api/v1/delegations?q=民政", ziran, nil); code != http.StatusOK || len(l["delegations"].([]any)) != 0 {
		t.Errorf("a search that finds nothing: %d %v", code, l)
	}
	if code, l, _ := apiCall(t, r.URL, "GET", "/api/v1/delegations", minzheng, nil); code != http.StatusOK || len(l["delegations"].([]any)) != 0 {
		t.Errorf("民政局 lists 自然资源局's delegations: %d %v", code, l)
	}

	// help from a case received under the delegation, answered, promoted to the FAQ
	a, err := r.Service.CreateApplicant(bg, access.System, service.ApplicantInput{Kind: "resident", Name: "宝音", IDNumber: "11010519491231002X", Phone: "13800001234", OrgID: town}, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Service.Receive(bg, access.System, service.ReceiveInput{ItemID: item, ApplicantID: a.ID, ReceivingOrg: town}, "")
	if err != nil || c.Delegation != id {
		t.Fatalf("a case under the delegation: %v %q", err, c.Delegation)
	}
	code, h, _ := apiCall(t, r.URL, "POST", "/api/v1/help-requests", reviewer, map[string]any{"case_id": c.ID, "subject": "四至证明", "question": "四至不清的如何审查？"}, "Idempotency-Key", "help-1")
	if code != http.StatusCreated || h["counterpart_id"] != ziranActor.ID {
		t.Fatalf("ask: %d %v", code, h)
	}
	hid := h["id"].(string)
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/help-requests/"+hid, minzheng, nil); code != http.StatusForbidden {
		t.Errorf("another department reads the request: %d", code)
	}
	if code, h, _ = apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/posts", ziran, map[string]any{"version": 1, "body": "以村委会出具的四至证明为准"}); code != http.StatusCreated {
		t.Fatalf("answer: %d %v", code, h)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/faq", reviewer, map[string]any{"version": 2, "post": 1}); code == http.StatusCreated {
		t.Errorf("the asker promotes an answer to the FAQ")
	}
	if code, h, _ = apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/faq", ziran, map[string]any{"version": 2, "post": 1}); code != http.StatusCreated {
		t.Fatalf("to the FAQ: %d %v", code, h)
	}
	if code, _, faq := apiCall(t, r.URL, "GET", "/api/v1/items/"+item+"/faq", apiLogin(t, r, "shaogen.reviewer"), nil); code != http.StatusOK || len(faq) != 1 || !strings.Contains(stringify(faq), "四至证明为准") {
		t.Errorf("the item's FAQ for another township's handler: %d %v", code, faq)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/items/"+item+"/faq", "", nil); code != http.StatusUnauthorized {
		t.Errorf("the public reads the internal FAQ: %d", code)
	}
	if code, _, g := apiCall(t, r.URL, "GET", "/api/v1/items/"+item+"/guidance", ziran, nil); code != http.StatusOK || len(g) != 1 ||
		g[0].(map[string]any)["figures"].(map[string]any)["cases"] != 1.0 || g[0].(map[string]any)["figures"].(map[string]any)["help"] != 1.0 {
		t.Errorf("the item's guidance figures: %d %v", code, g)
	}
	if code, _, g := apiCall(t, r.URL, "GET", "/api/v1/items/"+item+"/guidance", other, nil); code != http.StatusOK || len(g) != 0 {
		t.Errorf("another township reads 天山镇's guidance figures: %d %v", code, g)
	}
	if code, hl, _ := apiCall(t, r.URL, "GET", "/api/v1/help-requests?q=四至", ziran, nil); code != http.StatusOK || len(hl["requests"].([]any)) != 1 {
		t.Errorf("the department's requests: %d %v", code, hl)
	}
	// an attachment to the request and the delegation's document, through internal/files: checked, hashed,
	// read by either side, refused to another department
	pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	b64 := base64.StdEncoding.EncodeToString
	if code, e, _ := apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/files", reviewer, map[string]any{"name": "四至.pdf", "base64": b64([]byte("MZ\x90\x00 program"))}); code != http.StatusUnprocessableEntity || !strings.Contains(stringify(e), "deleg2_help_file") {
		t.Errorf("an executable attached: %d %v", code, e)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/files", minzheng, map[string]any{"name": "x.pdf", "base64": b64([]byte(pdf))}); code != http.StatusForbidden {
		t.Errorf("another department attaches: %d", code)
	}
	code, file, _ := apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/files", reviewer, map[string]any{"name": "四至.pdf", "base64": b64([]byte(pdf))})
	if code != http.StatusCreated || file["sha256"] == "" || file["owner_id"] != hid {
		t.Fatalf("attach: %d %v", code, file)
	}
	if code, _, list := apiCall(t, r.URL, "GET", "/api/v1/help-requests/"+hid+"/files", ziran, nil); code != http.StatusOK || len(list) != 1 {
		t.Errorf("the counterpart lists the attachments: %d %v", code, list)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/help-requests/"+hid+"/files", minzheng, nil); code != http.StatusForbidden {
		t.Errorf("another department lists the attachments: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations/"+id+"/files", director, map[string]any{"name": "文件.pdf", "base64": b64([]byte(pdf))}); code != http.StatusForbidden {
		t.Errorf("a township hands in the department's document: %d", code)
	}
	if code, f, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations/"+id+"/files", ziran, map[string]any{"name": "阿政发〔2020〕52号.pdf", "base64": b64([]byte(pdf))}); code != http.StatusCreated || f["type"] != "application/pdf" {
		t.Errorf("the delegation's document: %d %v", code, f)
	}
	if code, _, list := apiCall(t, r.URL, "GET", "/api/v1/delegations/"+id+"/files", director, nil); code != http.StatusOK || len(list) != 1 {
		t.Errorf("the township reads the document's file: %d %v", code, list)
	}
	if code, h, _ = apiCall(t, r.URL, "POST", "/api/v1/help-requests/"+hid+"/resolve", reviewer, map[string]any{"version": 3}); code != http.StatusCreated || h["resolved_at"] == nil {
		t.Errorf("resolve: %d %v", code, h)
	}
	// guidance comments
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/cases/"+c.ID+"/comments", minzheng, map[string]any{"body": "x"}); code != http.StatusForbidden {
		t.Errorf("another department comments: %d", code)
	}
	if code, cm, _ := apiCall(t, r.URL, "POST", "/api/v1/cases/"+c.ID+"/comments", ziran, map[string]any{"body": "注意核对四至"}); code != http.StatusCreated {
		t.Errorf("comment: %d %v", code, cm)
	}
	if code, _, list := apiCall(t, r.URL, "GET", "/api/v1/cases/"+c.ID+"/comments", reviewer, nil); code != http.StatusOK || len(list) != 1 {
		t.Errorf("the comments: %d %v", code, list)
	}

	// an inspection round, its finding rectified and accepted; the list searched and paged
	for i := range 26 {
		if code, x, _ := apiCall(t, r.URL, "POST", "/api/v1/inspections", ziran, map[string]any{"township_id": town, "area": fmt.Sprintf("北片%02d", i), "planned": today.AddDays(i).String()},
			"Idempotency-Key", fmt.Sprintf("round-%d", i)); code != http.StatusCreated {
			t.Fatalf("plan: %d %v", code, x)
		}
	}
	code, page, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections", ziran, nil)
	if code != http.StatusOK || len(page["rounds"].([]any)) != 25 || page["next"] == nil {
		t.Fatalf("the first page: %d %v", code, page["next"])
	}
	code, page2, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections?cursor="+page["next"].(string), ziran, nil)
	if rounds, _ := page2["rounds"].([]any); code != http.StatusOK || len(rounds) != 1 || page2["next"] != nil || rounds[0].(map[string]any)["area"] != "北片00" {
		t.Fatalf("the second page: %d %v", code, page2)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections?cursor=nonsense", ziran, nil); code == http.StatusOK || code >= 500 {
		t.Errorf("a cursor that is no cursor: %d", code)
	}
	code, found, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections?q=北片07", ziran, nil)
	if code != http.StatusOK || len(found["rounds"].([]any)) != 1 {
		t.Fatalf("search: %d %v", code, found)
	}
	rid := found["rounds"].([]any)[0].(map[string]any)["id"].(string)
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections/"+rid, other, nil); code != http.StatusForbidden {
		t.Errorf("another township reads the round: %d", code)
	}
	if code, l, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections", other, nil); code != http.StatusOK || len(l["rounds"].([]any)) != 0 {
		t.Errorf("another township lists the rounds: %d %v", code, l)
	}
	code, x, _ := apiCall(t, r.URL, "POST", "/api/v1/inspections/"+rid+"/visit", ziran, map[string]any{"version": 1, "items_handled": 3, "files_sampled": 2,
		"findings": []string{"缺少现场勘查记录"}, "due": today.AddDays(30).String()})
	if code != http.StatusCreated {
		t.Fatalf("visit: %d %v", code, x)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/inspections/"+rid+"/findings/0/moves", other, map[string]any{"version": 2, "move": "rectify", "text": "x"}); code != http.StatusForbidden {
		t.Errorf("another township rectifies: %d", code)
	}
	if code, x, _ = apiCall(t, r.URL, "POST", "/api/v1/inspections/"+rid+"/findings/0/moves", director, map[string]any{"version": 2, "move": "rectify", "text": "已补充勘查记录"}); code != http.StatusCreated {
		t.Fatalf("rectify: %d %v", code, x)
	}
	if code, x, _ = apiCall(t, r.URL, "POST", "/api/v1/inspections/"+rid+"/findings/0/moves", ziran, map[string]any{"version": 3, "move": "accept"}); code != http.StatusCreated ||
		!strings.Contains(stringify(x), "accepted") {
		t.Fatalf("accept: %d %v", code, x)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/inspections?q=已补充", ziran, nil); code != http.StatusOK {
		t.Errorf("search by the fix: %d", code)
	}

	// the assessment: supervisors only
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/assessment", director, nil); code != http.StatusForbidden {
		t.Errorf("a township's director reads the assessment: %d", code)
	}
	code, _, rows := apiCall(t, r.URL, "GET", fmt.Sprintf("/api/v1/assessment?year=%d", today.Y), apiLogin(t, r, "supervisor"), nil)
	if code != http.StatusOK || len(rows) != 1 {
		t.Fatalf("assessment: %d %v", code, rows)
	}
	f := rows[0].(map[string]any)["figures"].(map[string]any)
	if f["items"] != 1.0 || f["handovers"] != 1.0 || f["help"] != 1.0 || f["rectified"] != 1.0 || f["findings"] != 1.0 {
		t.Errorf("the figures: %v", f)
	}
	// the pages: the item's page with the guidance period's figures and the FAQ, the help request with the
	// FAQ, the lists searched and paged, the assessment's rating columns, the monthly report's line; both
	// languages; the public guide never shows the internal FAQ
	web := newClient(t, r.URL)
	web.login("ziran")
	_, body := web.get("/delegations/items/" + item)
	if !strings.Contains(body, `id="period-`+town+`"`) || !strings.Contains(body, "四至证明为准") || !strings.Contains(body, `<td class="cases">1</td>`) || !strings.Contains(body, `<td class="help">1</td>`) {
		t.Errorf("the item's page:\n%s", body)
	}
	if _, body := web.get("/help/" + hid); !strings.Contains(body, `id="faq"`) || !strings.Contains(body, "/help/"+hid+"/files/"+file["id"].(string)) {
		t.Errorf("the request's page has no FAQ or attachment")
	}
	if code, body := web.get("/help/" + hid + "/files/" + file["id"].(string)); code != http.StatusOK || body != pdf {
		t.Errorf("the attachment's bytes: %d", code)
	}
	if code, _ := newClientLoggedIn(t, r.URL, "minzheng").get("/help/" + hid + "/files/" + file["id"].(string)); code != http.StatusForbidden {
		t.Errorf("another department reads the attachment: %d", code)
	}
	// the document's file handed in from the delegation's page; a file that is not one is refused on the form
	web.get("/delegations/" + id) // the form's token
	if code, body, _ := web.postFiles("/delegations/"+id+"/files", nil, map[string][2]any{"deleg2_doc_file": {"文件.pdf", []byte("not a pdf")}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "下放文件（扫描件）") {
		t.Errorf("a file that is no document: %d", code)
	}
	if code, _, loc := web.postFiles("/delegations/"+id+"/files", nil, map[string][2]any{"deleg2_doc_file": {"文件2.pdf", []byte(pdf)}}); code != http.StatusSeeOther || !strings.Contains(loc, "ok=file") {
		t.Errorf("the document from the page: %d %s", code, loc)
	}
	if _, dpage := web.get("/delegations/" + id); strings.Count(dpage, "/delegations/"+id+"/files/") != 2 {
		t.Errorf("the delegation's page lists %d files", strings.Count(dpage, "/delegations/"+id+"/files/"))
	}
	if _, body := web.get("/delegations?q=" + url.QueryEscape("绍根")); !strings.Contains(body, "/delegations/"+id) {
		t.Errorf("/delegations searched by township")
	}
	if _, body := web.get("/delegations?q=" + url.QueryEscape("民政")); strings.Contains(body, "/delegations/"+id+`"`) {
		t.Errorf("/delegations searched for nothing shows the delegation")
	}
	if _, body := web.get("/inspections"); !strings.Contains(body, `rel="next"`) || strings.Count(body, `href="/inspections/`) != 25 {
		t.Errorf("/inspections' first page: %d rounds", strings.Count(body, `href="/inspections/`))
	}
	if _, body := web.get("/inspections?q=" + url.QueryEscape("北片07")); strings.Count(body, `href="/inspections/`) != 1 {
		t.Errorf("/inspections searched")
	}
	if _, body := web.get("/portal/guide/" + item); strings.Contains(body, "四至证明为准") {
		t.Errorf("the public guide shows the internal FAQ")
	}
	web.rendersIn("mn", []string{"/delegations/items/" + item, "/delegations/" + id, "/help/" + hid, "/delegations", "/inspections"})
	sup := newClient(t, r.URL)
	sup.login("supervisor")
	if _, body := sup.get(fmt.Sprintf("/assessment?year=%d", today.Y)); !strings.Contains(body, "好评数") || !strings.Contains(body, "差评数") {
		t.Errorf("the assessment's rating columns")
	}
	banner, _ := r.DB.OrgByCode(bg, "150421")
	month := supervision.Month{Y: today.Y, M: today.M}
	if err := r.Service.MakeReports(bg, banner, month); err != nil {
		t.Fatal(err)
	}
	// the banner's report (a township's is made for the townships with tallied cases, which today's are not yet)
	if _, body := newClient(t, r.URL).get("/reports/" + month.String() + "/" + banner.ID); !strings.Contains(body, `id="report-delegated"`) || !strings.Contains(body, "收件 1 件") || !strings.Contains(body, "求助 1 次") {
		t.Errorf("the monthly report has no line on delegated items:\n%s", body)
	}

	// the operations are in the OpenAPI document
	_, doc, _ := apiCall(t, r.URL, "GET", "/api/openapi.json", "", nil)
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/delegations", "/api/v1/delegations/{id}/townships/{township}/handover", "/api/v1/help-requests/{id}/faq", "/api/v1/inspections/{id}/findings/{n}/moves", "/api/v1/assessment"} {
		if paths[p] == nil {
			t.Errorf("no %s in the OpenAPI document", p)
		}
	}
}

// licenceWorld is what the delegation's web tests start from: the clock, today, 天山镇 and the 乡村建设规划许可证核发
// (自然资源局's item), and a way to set the server's day (9:00 of it).
type licenceWorld struct {
	clk      clock.Clock
	today    clock.Date
	tianshan org.Org
	item     string
	setDay   func(clock.Date)
}

func licence(t *testing.T, r *testkit.Running) licenceWorld {
	t.Helper()
	clk, err := r.Service.Clock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tianshan, _ := r.DB.OrgsByName(t.Context(), org.Township, "天山镇")
	res, err := r.Service.Search(t.Context(), "乡村建设规划许可证核发", 1)
	if err != nil || len(res) == 0 || len(tianshan) != 1 {
		t.Fatal(err)
	}
	return licenceWorld{clk: clk, today: clock.DateOf(time.Now().In(clk.Rules.Location)), tianshan: tianshan[0], item: res[0].Card.ID,
		setDay: func(d clock.Date) {
			at := time.Date(d.Y, d.M, d.D, 9, 0, 0, 0, clk.Rules.Location)
			r.DB.Now = func() time.Time { return at }
		}}
}

// A delegation's legal document over a village link that drops (issue 14): the resumable upload of a case's
// files, through the API: the start, half the file, the link gone, the state asked (GET /api/v1/uploads/{id}),
// the rest from the held offset, the file among the delegation's; another department is refused the start.
// The delegation's page offers the upload to its script (data-upload).
func TestDelegationUploadResumed(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	l := licence(t, r)
	l.setDay(l.today)
	ziran, minzheng := apiLogin(t, r, "ziran"), apiLogin(t, r, "minzheng")
	in := map[string]any{"item_id": l.item, "scope": "item", "doc_no": "阿政发〔2020〕52号", "doc_date": "2020-09-01", "start": l.today.String(), "townships": []string{l.tianshan.ID}}
	code, d, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations", ziran, in)
	if code != http.StatusCreated {
		t.Fatalf("delegate: %d %v", code, d)
	}
	id := d["id"].(string)
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	start := map[string]any{"name": "阿政发〔2020〕52号.pdf", "size": len(pdf)}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations/"+id+"/uploads", minzheng, start); code != http.StatusForbidden {
		t.Errorf("another department starts the document's upload: %d", code)
	}
	code, u, _ := apiCall(t, r.URL, "POST", "/api/v1/delegations/"+id+"/uploads", ziran, start, "Idempotency-Key", "doc-1")
	if code != http.StatusCreated || u["owner"] != "delegation" {
		t.Fatalf("start: %d %v", code, u)
	}
	up := "/api/v1/uploads/" + u["id"].(string)
	patch := func(offset int, body []byte) (int, map[string]any) {
		code, b := rawCall(t, r.URL, "PATCH", up, ziran, body, "Upload-Offset", strconv.Itoa(offset))
		var out map[string]any
		json.Unmarshal(b, &out)
		return code, out
	}
	half := len(pdf) / 2
	// a chunk without a readable offset is refused naming the header, never with a blank for the bytes held
	if code, b := rawCall(t, r.URL, "PATCH", up, ziran, pdf[:half], "Upload-Offset", "abc"); code != http.StatusUnprocessableEntity ||
		!strings.Contains(string(b), "Upload-Offset") || strings.Contains(string(b), "?") {
		t.Errorf("an unreadable offset: %d %s", code, b)
	}
	if code, st := patch(0, pdf[:half]); code != http.StatusOK || st["offset"] != float64(half) {
		t.Fatalf("the first half: %d %v", code, st)
	}
	code, st, _ := apiCall(t, r.URL, "GET", up, ziran, nil)
	if code != http.StatusOK || st["offset"] != float64(half) || st["file"] != nil {
		t.Fatalf("after the drop: %d %v", code, st)
	}
	if code, st := patch(half, pdf[half:]); code != http.StatusOK || st["file"] == nil {
		t.Fatalf("the rest: %d %v", code, st)
	}
	if code, st, _ := apiCall(t, r.URL, "GET", up, ziran, nil); code != http.StatusOK || st["file"] == nil {
		t.Errorf("the finished upload names no file: %d %v", code, st)
	}
	if code, _, list := apiCall(t, r.URL, "GET", "/api/v1/delegations/"+id+"/files", ziran, nil); code != http.StatusOK || len(list) != 1 {
		t.Errorf("the delegation's files: %d %v", code, list)
	}
	page := newClient(t, r.URL)
	page.login("ziran")
	if _, body := page.get("/delegations/" + id); !strings.Contains(body, `data-upload="/api/v1/delegations/`+id+`"`) || !strings.Contains(body, "/static/uploads.js") {
		t.Error("the delegation's page does not hand its file to the resumable upload")
	}
}
