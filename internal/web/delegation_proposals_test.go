package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/catalog"
	"bianmin/internal/catalogfile"
	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// The 赋权清单 of a catalog file through the pages (issue 14): 自然资源局 imports a file whose sheet 赋权 names
// one of its items and two townships; the report says a proposal waits; /delegation-proposals lists it (in
// Chinese and Mongolian) with its forms; 民政局 may not confirm it (the page and the API); a refusal without
// reasons is refused naming the field; the confirmation makes the delegation and a second one is a conflict;
// the catalog export carries the delegation back out.
func TestDelegationProposalPages(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	l := licence(t, r)
	l.setDay(l.today)
	ziran, minzheng := newClient(t, r.URL), newClient(t, r.URL)
	ziran.login("ziran")
	minzheng.login("minzheng")
	rec := catalogfile.Delegation{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "item", Townships: []string{"天山镇", "绍根镇"},
		DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2020-10-01"}
	var file bytes.Buffer
	if err := catalogfile.WriteWith("c.xlsx", &file, nil, []catalogfile.Delegation{rec}); err != nil {
		t.Fatal(err)
	}
	ziran.get("/catalog")
	code, body, _ := ziran.postFiles("/catalog/import", nil, map[string][2]any{"file": {"c.xlsx", file.Bytes()}})
	if code != http.StatusOK || !strings.Contains(body, `id="import-proposals"`) {
		t.Fatalf("import: %d %s", code, body)
	}
	code, body = ziran.get("/delegation-proposals")
	m := regexp.MustCompile(`action="/delegation-proposals/([0-9a-z-]{20,36})".*?name="version" value="(\d+)"`).FindStringSubmatch(body)
	if code != http.StatusOK || m == nil || !strings.Contains(body, "乡村建设规划许可证核发") || !strings.Contains(body, "天山镇、绍根镇") || !strings.Contains(body, "c.xlsx 赋权!2") {
		t.Fatalf("the proposals page: %d %s", code, body)
	}
	id, version := m[1], m[2]
	ziran.rendersIn("mn", []string{"/delegation-proposals", "/delegation-proposals?state="})
	ziran.lang("zh")
	// another department: no list, no confirmation
	if code, _, _ := minzheng.post("/delegation-proposals/"+id, url.Values{"op": {"confirm"}, "version": {version}}); code != http.StatusForbidden {
		t.Errorf("民政局 confirms on the page: %d", code)
	}
	mz, zr := apiLogin(t, r, "minzheng"), apiLogin(t, r, "ziran")
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/delegation-proposals/"+id+"/confirm", mz, map[string]any{"version": 1}); code != http.StatusForbidden {
		t.Errorf("民政局 confirms through the API: %d", code)
	}
	if code, page, _ := apiCall(t, r.URL, "GET", "/api/v1/delegation-proposals", mz, nil); code != http.StatusOK || len(page["proposals"].([]any)) != 0 {
		t.Errorf("民政局's list: %d %v", code, page)
	}
	if code, page, _ := apiCall(t, r.URL, "GET", "/api/v1/delegation-proposals?q=天山", zr, nil); code != http.StatusOK || len(page["proposals"].([]any)) != 1 {
		t.Errorf("自然资源局's list: %d %v", code, page)
	}
	// a refusal without reasons names the field; the confirmation makes the delegation, once
	if code, body, _ := ziran.post("/delegation-proposals/"+id, url.Values{"op": {"refuse"}, "version": {version}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="errors"`) || !strings.Contains(body, "必须填写") {
		t.Errorf("a refusal without reasons: %d", code)
	}
	code, _, loc := ziran.post("/delegation-proposals/"+id, url.Values{"op": {"confirm"}, "version": {version}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/delegations/") {
		t.Fatalf("confirm: %d %s", code, loc)
	}
	if code, _, _ := ziran.post("/delegation-proposals/"+id, url.Values{"op": {"confirm"}, "version": {version}}); code != http.StatusConflict {
		t.Errorf("confirmed twice: %d", code)
	}
	if code, body := ziran.get(strings.Split(loc, "?")[0]); code != http.StatusOK || !strings.Contains(body, "阿政发〔2020〕52号") {
		t.Errorf("the delegation made: %d", code)
	}
	// the export writes it back out as the sheet's record
	code, body = ziran.get("/catalog/export/json")
	if code != http.StatusOK || !strings.Contains(body, `"delegations"`) || !strings.Contains(body, `"doc_no": "阿政发〔2020〕52号"`) {
		t.Errorf("the export: %d %.300s", code, body)
	}
	// the same file again: nothing proposed, the report says it is delegated already
	code, body, _ = ziran.postFiles("/catalog/import", nil, map[string][2]any{"file": {"c.xlsx", file.Bytes()}})
	if code != http.StatusOK || strings.Contains(body, `id="import-proposals"`) || !strings.Contains(body, `id="import-already"`) || !strings.Contains(body, "赋权!2：“乡村建设规划许可证核发”已按相同文件赋权下放") {
		t.Errorf("the same file again: %d %s", code, body)
	}
	proposalRows(t, ziran)
}

// The proposals page with several rows (issue 14): a proposal of a draft item says where the item stands and
// offers no confirmation (the API's says to publish it first, naming it); a refusal without reasons comes
// back with the summary's link on that row's reason field, every id on the page once.
func proposalRows(t *testing.T, ziran *client) {
	t.Helper()
	draft := demo.DemoItems()[0]
	draft.NameZh, draft.Department = "临时用地审批（草稿）", "自然资源局"
	recs := []catalogfile.Delegation{{Department: "自然资源局", Item: draft.NameZh, Scope: "item", Townships: []string{"天山镇"}, DocNo: "阿政发〔2021〕8号", DocDate: "2021-01-04", Start: "2021-02-01"},
		{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "item", Townships: []string{"绍根镇"}, DocNo: "阿政发〔2021〕9号", DocDate: "2021-01-04", Start: "2021-02-01"}}
	var file bytes.Buffer
	if err := catalogfile.WriteWith("d.xlsx", &file, []catalog.Item{draft}, recs); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := ziran.postFiles("/catalog/import", nil, map[string][2]any{"file": {"d.xlsx", file.Bytes()}}); code != http.StatusOK || !strings.Contains(body, `id="import-proposals"`) {
		t.Fatalf("import: %d %s", code, body)
	}
	_, body := ziran.get("/delegation-proposals")
	rows := map[string]string{} // item → proposal
	for _, m := range regexp.MustCompile(`<tr id="proposal-([0-9a-z-]{20,36})"><td>([^<]*)`).FindAllStringSubmatch(body, -1) {
		rows[m[2]] = m[1]
	}
	drafted, lic := rows[draft.NameZh], rows["乡村建设规划许可证核发"]
	if drafted == "" || lic == "" || !strings.Contains(body, `id="item-state-`+drafted+`"`) || strings.Contains(body, `id="item-state-`+lic+`"`) {
		t.Fatalf("the rows: %v\n%s", rows, body)
	}
	if row := body[strings.Index(body, `id="proposal-`+drafted):]; !strings.Contains(row[:strings.Index(row, "</tr>")], "草稿") || strings.Contains(row[:strings.Index(row, "</tr>")], `name="confirm"`) {
		t.Errorf("the draft's row: %s", row[:strings.Index(row, "</tr>")])
	}
	code, body, _ := ziran.post("/delegation-proposals/"+drafted, url.Values{"op": {"confirm"}, "version": {"1"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "事项“临时用地审批（草稿）”尚未发布，须先发布该事项") || !strings.Contains(body, `href="#proposal-`+drafted+`"`) {
		t.Errorf("confirming the draft's proposal: %d", code)
	}
	code, body, _ = ziran.post("/delegation-proposals/"+lic, url.Values{"op": {"refuse"}, "version": {"1"}, "reason": {" "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#f-reason-`+lic+`">`) ||
		!regexp.MustCompile(`<input id="f-reason-`+lic+`"[^>]*aria-invalid="true" aria-describedby="e-reason-`+lic+`"`).MatchString(body) {
		t.Errorf("a refusal without reasons on the second row: %d %s", code, body)
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("id %s twice on the page", m[1])
		}
		seen[m[1]] = true
	}
	ziran.rendersIn("mn", []string{"/delegation-proposals"})
	ziran.lang("zh")
}
