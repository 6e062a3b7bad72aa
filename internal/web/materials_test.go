package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// The window's material check through the API, on both databases: each refusal of 行政许可法 第32条 (one
// notice), 不适用, 容缺 (FACTS.md §5.4) and 告知承诺 (国办发〔2020〕42号) names the field and the material, in
// Chinese and in Mongolian; the 告知承诺书 is a numbered notice of its own.
func TestMaterialRefusalsAPI(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			call := func(method, path, token string, body any, hdr ...string) (int, map[string]any) {
				t.Helper()
				code, obj, _ := apiCall(t, r.URL, method, path, token, body, hdr...)
				return code, obj
			}
			code, sess := call("POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
			if code != http.StatusCreated {
				t.Fatalf("login: %d %v", code, sess)
			}
			token := sess["token"].(string)
			tok := token // who makes the moves
			home := sess["staff"].(map[string]any)["org_id"].(string)
			_, a := call("POST", "/api/v1/applicants", token, map[string]string{"kind": "resident", "name": "其木格", "id_number": "11010519491231002X",
				"phone": "13712345678", "org_id": home}, "Idempotency-Key", "a-1")
			find := func(name string) string {
				res, err := r.Service.Search(t.Context(), name, 1)
				if err != nil || len(res) == 0 {
					t.Fatalf("%s: %v", name, err)
				}
				return res[0].Card.ID
			}
			receive := func(item string) (string, int) {
				t.Helper()
				code, c := call("POST", "/api/v1/cases", token, map[string]string{"item_id": item, "applicant_id": a["id"].(string)}, "Idempotency-Key", time.Now().String())
				if code != http.StatusCreated {
					t.Fatalf("receive: %d %v", code, c)
				}
				return c["id"].(string), int(c["version"].(float64))
			}
			// move makes a move; a refusal is checked for its field, the material it names and both languages
			move := func(id string, version *int, action string, input map[string]any, field, name string) {
				t.Helper()
				for _, lang := range []string{"zh", "mn"} {
					code, out := call("POST", "/api/v1/cases/"+id+"/moves", tok, map[string]any{"version": *version, "action": action, "input": input}, "Accept-Language", lang)
					if field == "" {
						if code != http.StatusCreated {
							t.Fatalf("%s: %d %v", action, code, out)
						}
						*version = int(out["version"].(float64))
						return
					}
					fields, _ := out["error"].(map[string]any)["fields"].([]any)
					var msg string
					for _, f := range fields {
						if f := f.(map[string]any); f["field"] == field {
							msg = f["message"].(string)
						}
					}
					mongolian := strings.ContainsFunc(msg, func(r rune) bool { return r >= 0x1800 && r <= 0x18AF })
					if code != http.StatusUnprocessableEntity || msg == "" || !strings.Contains(msg, name) || (lang == "mn") != mongolian {
						t.Errorf("%s (%s): want %s naming %q, got %d %v", action, lang, field, name, code, out)
					}
				}
			}
			row := func(checks ...string) []map[string]any {
				names := []string{"最低生活保障申请表", "居民身份证", "居民户口簿", "家庭收入和财产状况声明", "本人银行卡或一卡通", "授权委托书及代办人身份证"}
				out := make([]map[string]any, len(names))
				for i, n := range names {
					out[i] = map[string]any{"name": n, "check": checks[i]}
				}
				return out
			}
			later := time.Now().AddDate(0, 0, 10).Format("2006-01-02")

			// 低保 allows 告知承诺 for the income statement and 容缺 for the bank card
			dibao := find("最低生活保障")
			id, v := receive(dibao)
			move(id, &v, "accept", map[string]any{"materials": row("original", "original", "copy", "original", "copy", "")}, "materials[5]", "授权委托书及代办人身份证")
			move(id, &v, "accept", map[string]any{"materials": row("original", "original", "na", "original", "copy", "na")}, "materials[2]", "居民户口簿")
			move(id, &v, "accept_owed", map[string]any{"materials": row("owed", "owed", "owed", "original", "owed", "na"), "owed_by": later}, "materials[0]", "最低生活保障申请表")
			move(id, &v, "accept_owed", map[string]any{"materials": row("original", "owed", "copy", "original", "owed", "na"), "owed_by": later}, "materials[1]", "居民身份证")
			// owed for ever: the owed-by day is within a year (cases/owed.go)
			move(id, &v, "accept_owed", map[string]any{"materials": row("original", "original", "copy", "original", "owed", "na"), "owed_by": "9999-12-31"}, "owed_by", time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 366).Format("2006-01-02"))
			move(id, &v, "accept", map[string]any{"materials": row("original", "pledged", "copy", "original", "copy", "na"), "check_by": later}, "materials[1]", "居民身份证")
			move(id, &v, "accept", map[string]any{"materials": row("pledged", "original", "copy", "original", "copy", "na"), "check_by": later}, "materials[0]", "最低生活保障申请表")
			// the one-time notice, then a further one only of what it named
			move(id, &v, "ask_correction", map[string]any{"materials": row("original", "original", "copy", "missing", "copy", "na")}, "", "")
			move(id, &v, "resubmit", nil, "", "")
			move(id, &v, "ask_correction", map[string]any{"materials": row("original", "missing", "copy", "defective", "copy", "na")}, "materials[1]", "居民身份证")
			move(id, &v, "ask_correction", map[string]any{"materials": []map[string]any{{"name": "家庭收入和财产状况声明", "check": "defective"}}}, "", "")
			move(id, &v, "resubmit", nil, "", "")
			move(id, &v, "accept", map[string]any{"materials": []map[string]any{{"name": "家庭收入和财产状况声明", "check": "pledged"}}, "check_by": later}, "", "")
			code, _, notices := apiCall(t, r.URL, "GET", "/api/v1/cases/"+id+"/notices", token, nil)
			var kinds []string
			for _, n := range notices {
				kinds = append(kinds, n.(map[string]any)["kind"].(string))
			}
			if code != http.StatusOK || strings.Join(kinds, " ") != "correction correction accept pledge" {
				t.Errorf("notices: %d %v", code, kinds)
			}
			// the head of 民政局, which decides 低保, records the check: the pledge was false; then revokes, with
			// reasons and remedies (行政许可法 第69条: the organ that decides)
			_, dsess := call("POST", "/api/v1/session", "", map[string]string{"username": "minzheng.head", "password": demo.Password})
			tok = dsess["token"].(string)
			move(id, &v, "revoke", map[string]any{"reason": "虚假承诺"}, "result", "")
			move(id, &v, "pledge_checked", map[string]any{"result": "false"}, "reason", "")
			move(id, &v, "pledge_checked", map[string]any{"result": "false", "reason": "入户核查：家庭经营商铺一间，收入声明不实"}, "", "")
			move(id, &v, "revoke", map[string]any{"reason": "申请人以虚假承诺申请，依据国办发〔2020〕42号终止办理"}, "", "")
			tok = token
			_, _, notices = apiCall(t, r.URL, "GET", "/api/v1/cases/"+id+"/notices", token, nil)
			web := newClient(t, r.URL)
			web.login("tianshan.clerk")
			for _, n := range notices {
				n := n.(map[string]any)
				want := map[string][]string{
					"pledge": {"告知承诺书", "天山承诺〔", "家庭收入和财产状况声明", "不实承诺的法律责任", later, "申请人承诺签名"},
					"revoke": {"终止办理", "阿民撤销〔", "收入声明不实", "依据国办发〔2020〕42号终止办理", "行政复议", "行政诉讼"},
				}[n["kind"].(string)]
				if want == nil {
					continue
				}
				code, page := web.get("/cases/" + id + "/notices/" + n["id"].(string))
				for _, s := range want {
					if code != http.StatusOK || !strings.Contains(page, s) {
						t.Errorf("the %s notice does not say %q (%d)", n["kind"], s, code)
					}
				}
			}
			code, page := web.get("/cases/" + id)
			for _, s := range []string{"告知承诺核查", "核查发现承诺不实", "已撤销", "二次补正"} {
				if code != http.StatusOK || !strings.Contains(page, s) {
					t.Errorf("the case page does not say %q", s)
				}
			}

			// 社会保障卡挂失与补换 asks for the form and the ID card: nothing may be owed, nothing pledged
			card := find("社会保障卡挂失与补换")
			id, v = receive(card)
			move(id, &v, "accept_owed", map[string]any{"materials": []map[string]any{{"name": "居民身份证", "check": "owed"}}, "owed_by": later}, "materials[1]", "居民身份证")
			move(id, &v, "accept", map[string]any{"materials": []map[string]any{{"name": "社会保障卡挂失与补换申请表", "check": "original"}, {"name": "居民身份证", "check": "pledged"}}, "check_by": later}, "materials[1]", "居民身份证")
		})
	}
}
