package web_test

import (
	"net/http"
	"strings"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/i18n"
	"bianmin/internal/testkit"
)

// Identity numbers through the API on both databases: an ID number typed in full-width digits with spaces
// and a lowercase x is stored in its normal form (GB 11643), and a credit code whose first two characters
// are outside GB 32100's code table is refused, naming the field and the prefix, in Chinese and Mongolian,
// though its final check character is right.
func TestIdentityNumbersThroughTheAPI(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			cat := i18n.MustLoad()
			code, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "yangshulin.agent", "password": demo.Password})
			if code != http.StatusCreated {
				t.Fatalf("login: %d %v", code, sess)
			}
			token := sess["token"].(string)
			village := sess["staff"].(map[string]any)["org_id"].(string)

			in := map[string]string{"kind": "resident", "name": "斯琴", "id_number": "１１０１０５ １９４９１２３１－００２ｘ", "org_id": village}
			code, a, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, in)
			if code != http.StatusCreated || a["id_number"] != "11010519491231002X" {
				t.Fatalf("full-width ID: %d %v", code, a)
			}
			stored, err := r.DB.Applicant(t.Context(), a["id"].(string))
			if err != nil || stored.IDNumber != "11010519491231002X" {
				t.Fatalf("stored %q, %v", stored.IDNumber, err)
			}
			// the same person typed in ASCII is the same number: the duplicate is found
			in["id_number"] = "11010519491231002X"
			code, dup, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, in)
			if fields, _ := dup["error"].(map[string]any)["fields"].([]any); code != http.StatusUnprocessableEntity || len(fields) != 1 ||
				fields[0].(map[string]any)["message"] != cat.T(i18n.Zh, "err.idnumber.taken") {
				t.Fatalf("the ASCII form of a stored number is not found taken: %d %v", code, dup)
			}

			before, _ := r.DB.CountApplicants(t.Context())
			for _, bad := range []struct{ code, key, prefix, allowed string }{
				{"9Y150421MA0N12340E", "err.creditcode.category", "9Y", "91、92、93"},
				{"01150421MA0N12340H", "err.creditcode.department", "0", "1、2、3、4、5、6、7、8、9、A、N、Y"},
			} {
				for _, lang := range []i18n.Lang{i18n.Zh, i18n.Mn} {
					org := map[string]string{"kind": "organisation", "name": "某合作社", "credit_code": bad.code, "org_id": village}
					code, resp, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, org, "Accept-Language", string(lang))
					if code != http.StatusUnprocessableEntity {
						t.Fatalf("%s %s: %d %v", bad.code, lang, code, resp)
					}
					fields, _ := resp["error"].(map[string]any)["fields"].([]any)
					if len(fields) != 1 {
						t.Fatalf("%s %s: fields %v", bad.code, lang, resp)
					}
					f := fields[0].(map[string]any)
					arg := "prefix"
					if bad.key == "err.creditcode.department" {
						arg = "char"
					}
					wantMsg := cat.T(lang, bad.key, arg, bad.prefix, "allowed", bad.allowed)
					if f["field"] != "credit_code" || f["label"] != cat.T(lang, "field.credit_code") || f["message"] != wantMsg {
						t.Errorf("%s %s: got %v, want label %q message %q", bad.code, lang, f, cat.T(lang, "field.credit_code"), wantMsg)
					}
					if !strings.Contains(f["message"].(string), bad.prefix) {
						t.Errorf("%s %s: the message does not name %s: %q", bad.code, lang, bad.prefix, f["message"])
					}
				}
			}
			if after, _ := r.DB.CountApplicants(t.Context()); after != before {
				t.Errorf("a refused code wrote %d applicants", after-before)
			}
		})
	}
}
