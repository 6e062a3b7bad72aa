package web_test

import (
	"net/http"
	"strings"
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/rating"
	"bianmin/internal/service"
	"bianmin/internal/testkit"
)

// The API of 好差评 and the register: staff type in paper forms only (marked, idempotent); another
// township, a wrong role and a stranger are refused; no answer carries the rater.
func TestRatingAPIRefusals(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c, seen := dibaoCase(t, r, "13800001234")
	c = actAll(t, r, c, caseMove{cases.Accept, cases.Input{Materials: seen}}, caseMove{cases.Pass, cases.Input{}}, caseMove{cases.Pass, cases.Input{}},
		caseMove{cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}}, caseMove{cases.Issue, cases.Input{Method: "window"}}, caseMove{cases.Deliver, cases.Input{}})
	clerk, other, reviewer := apiLogin(t, r, "tianshan.clerk"), apiLogin(t, r, "shaogen.clerk"), apiLogin(t, r, "tianshan.reviewer")
	form := map[string]any{"case_id": c.ID, "level": 4, "indicators": map[string]int{"service_attitude": 4}, "text": "态度生硬"}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/ratings/paper", reviewer, form); code != http.StatusForbidden {
		t.Fatalf("a reviewer typed in a rating: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/ratings/paper", other, form); code != http.StatusForbidden {
		t.Fatalf("another township typed in a rating: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/ratings/paper", "", form); code != http.StatusUnauthorized {
		t.Fatalf("a stranger typed in a rating: %d", code)
	}
	code, rt, _ := apiCall(t, r.URL, "POST", "/api/v1/ratings/paper", clerk, form, "Idempotency-Key", "paper-1")
	if code != http.StatusCreated || rt["channel"] != "paper" || rt["entered_by"] == "" {
		t.Fatalf("%d %v", code, rt)
	}
	if code, again, _ := apiCall(t, r.URL, "POST", "/api/v1/ratings/paper", clerk, form, "Idempotency-Key", "paper-1"); code != http.StatusCreated || again["id"] != rt["id"] {
		t.Fatalf("the same form twice: %d %v", code, again)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/ratings/paper", clerk, form, "Idempotency-Key", "paper-2"); code != http.StatusConflict {
		t.Fatalf("a second paper rating of the case: %d", code)
	}
	id := rt["id"].(string)
	code, got, _ := apiCall(t, r.URL, "GET", "/api/v1/ratings/"+id, clerk, nil)
	if code != http.StatusOK || got["Rectification"] == nil {
		t.Fatalf("%d %v", code, got)
	}
	for _, leak := range []string{"其其格", "13800001234", "11010519491231002X"} {
		if b := strings.Join(strings.Fields(stringify(got)), ""); strings.Contains(b, leak) {
			t.Fatalf("the rating carries %s", leak)
		}
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/ratings/"+id, other, nil); code != http.StatusForbidden {
		t.Fatalf("another township read the rating: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "GET", "/api/v1/ratings/"+id, "", nil); code != http.StatusUnauthorized {
		t.Fatalf("a stranger read the rating: %d", code)
	}
	// the tablet's token takes a rating; the same request from a browser with a staff session is refused whole
	actor := staffActor(t, r, "tianshan.clerk")
	pair, err := r.Service.StartPairing(t.Context(), actor, "1号窗口")
	if err != nil {
		t.Fatal(err)
	}
	device, _, err := r.Service.CompletePairing(t.Context(), pair.Code, "test")
	if err != nil {
		t.Fatal(err)
	}
	enq, err := r.Service.RecordEnquiry(t.Context(), actor, service.EnquiryInput{Question: "社保卡补办去哪里？", Told: "到乡镇社保窗口"}, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Service.PromptRating(t.Context(), actor, pair.DeviceID, rating.Subject{EnquiryID: enq.ID})
	if err != nil {
		t.Fatal(err)
	}
	rate := func(cookies ...*http.Cookie) int {
		req, _ := http.NewRequest("POST", r.URL+"/evaluator/rate", strings.NewReader("prompt="+p.ID+"&level=2"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	stored := func() int {
		var n int
		r.DB.QueryRowRaw(t.Context(), `SELECT count(*) FROM ratings WHERE enquiry_id = ?`, enq.ID).Scan(&n)
		return n
	}
	if code := rate(&http.Cookie{Name: "bm_session", Value: clerk}, &http.Cookie{Name: "bm_evaluator", Value: device}); code != http.StatusForbidden || stored() != 0 {
		t.Fatalf("the clerk's session rated for the applicant: %d, %d stored", code, stored())
	}
	if code := rate(&http.Cookie{Name: "bm_evaluator", Value: "d_forged"}); code != http.StatusForbidden || stored() != 0 {
		t.Fatalf("a forged tablet rated: %d", code)
	}
	if code := rate(&http.Cookie{Name: "bm_evaluator", Value: device}); code != http.StatusOK || stored() != 1 {
		t.Fatalf("the tablet: %d, %d stored", code, stored())
	}
	if code := rate(&http.Cookie{Name: "bm_evaluator", Value: device}); code != http.StatusConflict || stored() != 1 {
		t.Fatalf("the prompt rated twice: %d, %d stored", code, stored())
	}
	code, _, rows := apiCall(t, r.URL, "GET", "/api/v1/ratings/export", clerk, nil)
	if code != http.StatusOK || len(rows) != 2 || rows[0].(map[string]any)["办件编号"] != c.No || rows[0].(map[string]any)["评价人"] != "" {
		t.Fatalf("export: %d %v", code, rows)
	}
	code, _, _ = apiCall(t, r.URL, "GET", "/api/v1/enquiries", other, nil)
	if code != http.StatusOK {
		t.Fatalf("the register: %d", code)
	}
	if code, _, _ := apiCall(t, r.URL, "POST", "/api/v1/enquiries", reviewer, map[string]string{"question": "q"}); code != http.StatusForbidden {
		t.Fatalf("a reviewer recorded an enquiry: %d", code)
	}
}

// apiLogin signs a demo account in to the API and returns its token.
func apiLogin(t testing.TB, r *testkit.Running, user string) string {
	t.Helper()
	code, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": user, "password": demo.Password})
	if code != http.StatusCreated {
		t.Fatalf("login %s: %d", user, code)
	}
	return sess["token"].(string)
}

func stringify(v any) string {
	switch x := v.(type) {
	case map[string]any:
		var b strings.Builder
		for k, e := range x {
			b.WriteString(k + "=" + stringify(e) + " ")
		}
		return b.String()
	case []any:
		var b strings.Builder
		for _, e := range x {
			b.WriteString(stringify(e) + " ")
		}
		return b.String()
	case string:
		return x
	}
	return ""
}
