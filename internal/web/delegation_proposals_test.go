package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/catalogfile"
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
	m := regexp.MustCompile(`action="/delegation-proposals/([0-9a-f-]{36})".*?name="version" value="(\d+)"`).FindStringSubmatch(body)
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
}
