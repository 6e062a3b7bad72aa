package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"bianmin/internal/catalog"
	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// A bundle's case that waits for another (一件事: the subsidies of 残疾人服务 wait for the 残疾人证) says so on
// its page, in the queue and through the API, with the item it waits for and that case's state, in both
// languages; once the certificate is granted it says it may be accepted.
func TestBundleCaseShowsWhatItWaitsFor(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	call := func(method, path, token string, body any, hdr ...string) (int, map[string]any, []any) {
		t.Helper()
		return apiCall(t, r.URL, method, path, token, body, hdr...)
	}
	login := func(user string) string {
		t.Helper()
		code, sess, _ := call("POST", "/api/v1/session", "", map[string]string{"username": user, "password": demo.Password})
		if code != http.StatusCreated {
			t.Fatalf("login %s: %d %v", user, code, sess)
		}
		return sess["token"].(string)
	}
	clerk := login("tianshan.clerk")
	_, me, _ := call("GET", "/api/v1/me", clerk, nil)
	home := me["org_id"].(string)
	_, a, _ := call("POST", "/api/v1/applicants", clerk, map[string]string{"kind": "resident", "name": "巴雅尔", "id_number": "11010519491231002X",
		"phone": "13712345678", "org_id": home}, "Idempotency-Key", "a-1")
	bundles, err := r.DB.Bundles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(bundles, func(b catalog.Bundle) bool { return b.NameZh == "残疾人服务一件事" })
	if i < 0 {
		t.Fatal("no 残疾人服务一件事")
	}
	code, _, list := call("POST", "/api/v1/bundles/"+bundles[i].ID+"/cases", clerk, map[string]string{"applicant_id": a["id"].(string)}, "Idempotency-Key", "b-1")
	if code != http.StatusCreated || len(list) != 3 {
		t.Fatalf("bundle: %d %v", code, list)
	}
	cert := list[0].(map[string]any)
	sub := list[1].(map[string]any)
	if cert["item_name"] != "残疾人证申领" || sub["waits_for"] != cert["id"] {
		t.Fatalf("the bundle's cases: %v", list)
	}
	subID := sub["id"].(string)

	web := newClient(t, r.URL)
	web.login("tianshan.clerk")
	shows := func(state, zh, mn string) {
		t.Helper()
		_, page := web.get("/cases/" + subID)
		if !strings.Contains(page, `class="awaits"`) || !strings.Contains(page, zh) || !strings.Contains(page, cert["no"].(string)) || !strings.Contains(page, state) {
			t.Errorf("the case page does not say %q, %s (%s)", zh, cert["no"], state)
		}
		_, queue := web.get("/cases")
		if !strings.Contains(queue, `class="awaits"`) || !strings.Contains(queue, zh) {
			t.Errorf("the queue does not say %q", zh)
		}
		web.lang("mn")
		_, page = web.get("/cases/" + subID)
		if m := regexp.MustCompile(`class="awaits">([^<]*)`).FindStringSubmatch(page); m == nil || !strings.Contains(m[1], mn) || strings.Contains(m[1], "等待") {
			t.Errorf("the Mongolian case page: %v", m)
		}
		web.lang("zh")
	}
	shows("收件核验中", "等待“残疾人证申领”的决定", "ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠠᠢᠨ᠎ᠠ")
	_, got, _ := call("GET", "/api/v1/cases/"+subID, clerk, nil)
	if aw, _ := got["awaits"].(map[string]any); aw == nil || aw["id"] != cert["id"] || aw["item_name"] != "残疾人证申领" || aw["state"] != "received" || aw["await"] != "pending" {
		t.Errorf("the API: %v", got["awaits"])
	}

	// the certificate is accepted and granted: the subsidy may now be accepted, and says so
	materials := func(id string) []map[string]any {
		_, c, _ := call("GET", "/api/v1/cases/"+id, clerk, nil)
		cs := c["case"].(map[string]any)
		var out []map[string]any
		item, err := r.DB.ItemVersion(ctx, cs["item_id"].(string), int(cs["item_version"].(float64)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range item.Materials {
			check := "original"
			if m.Necessity == catalog.Optional {
				check = "na"
			}
			out = append(out, map[string]any{"name": m.Name, "check": check})
		}
		return out
	}
	move := func(token, id, action string, input map[string]any) {
		t.Helper()
		_, c, _ := call("GET", "/api/v1/cases/"+id, token, nil)
		v := c["case"].(map[string]any)["version"]
		if code, out, _ := call("POST", "/api/v1/cases/"+id+"/moves", token, map[string]any{"version": v, "action": action, "input": input}); code != http.StatusCreated {
			t.Fatalf("%s: %d %v", action, code, out)
		}
	}
	move(clerk, cert["id"].(string), "accept", map[string]any{"materials": materials(cert["id"].(string))})
	shows("已受理，办理中", "等待“残疾人证申领”的决定", "ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠠᠢᠨ᠎ᠠ")
	reviewer := login("tianshan.reviewer")
	move(reviewer, cert["id"].(string), "decide", map[string]any{"grant": true, "reason": "经评定为二级肢体残疾"})
	shows("已办结，待出件", "所等待的“残疾人证申领”已准予，本事项可以受理", "ᠪᠣᠯᠤᠨ᠎ᠠ")
	move(clerk, subID, "accept", map[string]any{"materials": materials(subID)})
	if _, page := web.get("/cases/" + subID); strings.Contains(page, `class="awaits"`) {
		t.Error("an accepted case still shows what it waited for")
	}
}

// The unit of extensions is an element of the item shown where the item is edited and on its guide: a
// 行政许可's are working days by 行政许可法 第82条, and saving one in natural days is refused, naming the
// field in both languages; another item's unit is saved and shown.
func TestExtensionUnitEditedAndShown(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := t.Context()
	find := func(name string) string {
		res, err := r.Service.Search(ctx, name, 1)
		if err != nil || len(res) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		return res[0].Card.ID
	}
	license, other := find("乡村建设规划许可证核发"), find("临时救助")
	admin := newClient(t, r.URL)
	admin.login("admin")
	doc := regexp.MustCompile(`(?s)<textarea id="f-doc" name="doc"[^>]*>(.*?)</textarea>`)
	rowRE := regexp.MustCompile(`name="row" value="(\d+)"`)
	edit := func(id string) (string, string, string) {
		t.Helper()
		code, page := admin.get("/catalog/" + id)
		d, row := doc.FindStringSubmatch(page), rowRE.FindStringSubmatch(page)
		if code != http.StatusOK || d == nil || row == nil {
			t.Fatalf("the edit page: %d", code)
		}
		return page, html.UnescapeString(d[1]), row[1]
	}
	page, d, row := edit(license)
	if !strings.Contains(page, "延长期限计算单位") || !strings.Contains(page, "工作日（行政许可，行政许可法第八十二条）") || !strings.Contains(d, `"extension_unit": ""`) {
		t.Errorf("the licence's edit page does not show its extension unit: %s", d)
	}
	for _, lang := range []string{"zh", "mn"} {
		admin.lang(lang)
		code, body, _ := admin.post("/catalog/"+license, url.Values{"row": {row}, "doc": {strings.Replace(d, `"extension_unit": ""`, `"extension_unit": "natural_days"`, 1)}})
		errs := regexp.MustCompile(`(?s)id="errors">(.*?)</div>`).FindStringSubmatch(body)
		mongolian := errs != nil && strings.ContainsFunc(errs[1], func(r rune) bool { return r >= 0x1800 && r <= 0x18AF })
		if code != http.StatusUnprocessableEntity || errs == nil || (lang == "zh") != strings.Contains(errs[1], "行政许可的延长期限以工作日计算") || (lang == "mn") != mongolian {
			t.Errorf("a licence extending in natural days (%s): %d %v", lang, code, errs)
		}
	}
	admin.lang("zh")
	if _, page := admin.get("/portal/guide/" + license); !strings.Contains(page, "工作日（行政许可，行政许可法第八十二条）") {
		t.Error("the licence's guide does not say its extensions are working days")
	}
	_, d, row = edit(other)
	if code, body, _ := admin.post("/catalog/"+other, url.Values{"row": {row}, "doc": {strings.Replace(d, `"extension_unit": ""`, `"extension_unit": "natural_days"`, 1)}}); code != http.StatusSeeOther {
		t.Fatalf("saving 临时救助 in natural days: %d %s", code, body)
	}
	page, _, _ = edit(other)
	if m := regexp.MustCompile(`class="extension-unit">([^<]*)`).FindStringSubmatch(page); m == nil || m[1] != "自然日" {
		t.Errorf("the saved unit: %v", m)
	}
}
