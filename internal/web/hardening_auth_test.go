package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/i18n"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// an electronic result issued through the service, for the API to read
func electronicCase(t *testing.T, r *testkit.Running) cases.Case {
	t.Helper()
	c, seen := dibaoCase(t, r, "13912345678")
	return actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}}, caseMove{cases.Pass, cases.Input{}}, caseMove{cases.Pass, cases.Input{}},
		caseMove{cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}}, caseMove{cases.Issue, cases.Input{Method: "electronic"}})
}

func rawCall(t *testing.T, base, method, path, token string, body []byte, hdr ...string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// Findings 3, 4, 5 and 10 through the API, on both databases.
func TestHardeningThroughTheAPI(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			cat := i18n.MustLoad()
			code, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
			if code != http.StatusCreated {
				t.Fatalf("login: %d %v", code, sess)
			}
			token := sess["token"].(string)

			// 3: no reader of the case sees the code's hash, nor its notices or its trail
			c := electronicCase(t, r)
			for _, path := range []string{"/api/v1/cases/" + c.ID, "/api/v1/cases/" + c.ID + "/notices", "/api/v1/cases"} {
				code, body := rawCall(t, r.URL, "GET", path, token, nil)
				if code != http.StatusOK || bytes.Contains(body, []byte("code_hash")) || bytes.Contains(body, []byte("argon2")) {
					t.Fatalf("%s: %d %.400s", path, code, body)
				}
			}
			code, page := newClientLoggedIn(t, r.URL, "tianshan.clerk").get("/cases/" + c.ID)
			if code != http.StatusOK || strings.Contains(page, "code_hash") || strings.Contains(page, "argon2") || !strings.Contains(page, `action="/cases/`+c.ID+`/result-code"`) {
				t.Fatalf("case page: %d, or no resend button", code)
			}

			// 4: a 9 MiB refusal reason is refused whole, and nothing is stored
			c2, err := r.Service.Receive(t.Context(), clerkActor(t, r), service.ReceiveInput{ItemID: c.ItemID, ApplicantID: c.ApplicantID}, "")
			if err != nil {
				t.Fatal(err)
			}
			entries, _ := r.DB.CountAudit(t.Context())
			for _, n := range []int{9 << 20, cases.MaxReason + 1} {
				reason := strings.Repeat("拒", n) // characters
				if n > 1<<20 {
					reason = strings.Repeat("x", n) // 9 MiB
				}
				for _, lang := range []i18n.Lang{i18n.Zh, i18n.Mn} {
					body, _ := json.Marshal(map[string]any{"version": c2.Version, "action": "refuse", "input": map[string]string{"reason": reason}})
					req, _ := http.NewRequest("POST", r.URL+"/api/v1/cases/"+c2.ID+"/moves", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Accept-Language", string(lang))
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					var out map[string]any
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if json.Unmarshal(raw, &out) != nil || out["error"] == nil {
						t.Fatalf("%d chars (%s): %d %.300s", n, lang, resp.StatusCode, raw)
					}
					if n > 1<<20 { // the edge refuses the whole body, saying the cap (413)
						if msg := out["error"].(map[string]any)["message"]; resp.StatusCode != http.StatusRequestEntityTooLarge || msg != cat.T(lang, "err.edge.too_large", "mib", "1") {
							t.Errorf("%d chars (%s): %d %v", n, lang, resp.StatusCode, out)
						}
						continue
					}
					fields, _ := out["error"].(map[string]any)["fields"].([]any)
					if resp.StatusCode != http.StatusUnprocessableEntity || len(fields) != 1 {
						t.Fatalf("%d chars (%s): %d %v", n, lang, resp.StatusCode, out)
					}
					f := fields[0].(map[string]any)
					want := map[string]any{"field": "reason", "label": cat.T(lang, "field.reason"), "message": cat.T(lang, "err.too_long", "max", "2000")}
					if !reflect.DeepEqual(f, want) {
						t.Errorf("%d chars (%s): %v, want %v", n, lang, f, want)
					}
				}
			}
			cur, _ := r.DB.Case(t.Context(), c2.ID)
			if after, _ := r.DB.CountAudit(t.Context()); after != entries || cur.Version != c2.Version || cur.State != cases.Received {
				t.Fatalf("a refused reason changed something: %d entries, version %d, %s", after-entries, cur.Version, cur.State)
			}

			// 5: the same reply for an unknown user, a wrong password and a waiting address
			reply := func(user, pw string) (int, string) {
				resp, err := http.Post(r.URL+"/api/v1/session", "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+pw+`"}`))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			uc, ub := reply("no.such.person", "wrong-password-1")
			wc, wb := reply("tianshan.director", "wrong-password-1")
			if uc != http.StatusUnauthorized || uc != wc || ub != wb {
				t.Fatalf("unknown user %d %s, wrong password %d %s", uc, ub, wc, wb)
			}
			for range 6 {
				reply("tianshan.director", "wrong-password-1")
			}
			bc, bb := reply("tianshan.director", demo.Password)
			if bc != wc || bb != wb {
				t.Fatalf("waiting: %d %s", bc, bb)
			}

			// 10: the same key with another body is refused; the same body returns the first result
			base := "15042119900707123"
			in := map[string]string{"kind": "resident", "name": "斯琴", "id_number": base + string(people.IDCheckChar(base)), "org_id": c.Receiving}
			code, a1, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, in, "Idempotency-Key", "idem-1")
			code2, a2, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, in, "Idempotency-Key", "idem-1")
			if code != http.StatusCreated || code != code2 || a1["id"] != a2["id"] {
				t.Fatalf("same key, same body: %d %v / %d %v", code, a1, code2, a2)
			}
			in["name"] = "其他人"
			for _, lang := range []i18n.Lang{i18n.Zh, i18n.Mn} {
				code3, a3, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, in, "Idempotency-Key", "idem-1", "Accept-Language", string(lang))
				fields, _ := a3["error"].(map[string]any)["fields"].([]any)
				if code3 != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["message"] != cat.T(lang, "err.idempotency.reused") {
					t.Fatalf("same key, other body (%s): %d %v", lang, code3, a3)
				}
			}
		})
	}
}

func newClientLoggedIn(t *testing.T, base, user string) *client {
	c := newClient(t, base)
	c.login(user)
	return c
}

// The resend button on the case page sends a new code; the message carries it.
func TestResendCodeFromTheCasePage(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := electronicCase(t, r)
	before, _ := r.Service.Messages(t.Context(), c.ID)
	cl := newClientLoggedIn(t, r.URL, "tianshan.clerk")
	cl.get("/cases/" + c.ID)
	code, _, loc := cl.post("/cases/"+c.ID+"/result-code", url.Values{})
	if code != http.StatusSeeOther || !strings.Contains(loc, "ok=code_sent") {
		t.Fatalf("resend: %d %s", code, loc)
	}
	after, _ := r.Service.Messages(t.Context(), c.ID)
	if len(after) != len(before)+1 || !regexp.MustCompile(`验证码\d{6}`).MatchString(after[len(after)-1].Body) {
		t.Fatalf("no new code sent: %+v", after)
	}
}
