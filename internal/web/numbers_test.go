package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// A case number taken behind the counter's back (a bulk load that died before it moved the counter, a
// restored copy, a hand edit) costs the next intake one more read and no 500: the allocator moves the
// counter past the highest number of the series in use, takes the next, and records that once; the intake
// after it meets nothing. On both databases.
func TestTakenCaseNumberHeals(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			ctx := t.Context()
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
			home := sess["staff"].(map[string]any)["org_id"].(string)
			_, a := call("POST", "/api/v1/applicants", token, map[string]string{"kind": "resident", "name": "其木格", "id_number": "11010519491231002X",
				"phone": "13712345678", "org_id": home}, "Idempotency-Key", "a-1")
			res, err := r.Service.Search(ctx, "最低生活保障", 1)
			if err != nil || len(res) == 0 {
				t.Fatal(err)
			}
			receive := func(key string) map[string]any {
				t.Helper()
				code, c := call("POST", "/api/v1/cases", token, map[string]string{"item_id": res[0].Card.ID, "applicant_id": a["id"].(string)}, "Idempotency-Key", key)
				if code != http.StatusCreated {
					t.Fatalf("receive %s: %d %v", key, code, c)
				}
				return c
			}
			heals := func() int {
				var n int
				if err := r.DB.QueryRowRaw(ctx, `SELECT count(*) FROM audit_log WHERE action = 'counter.heal'`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			first := receive("c-1")
			no := first["no"].(string)
			head, serial := no[:len(no)-6], no[len(no)-6:]
			n, _ := strconv.Atoi(serial)
			num := func(k int) string { return head + pad6(k) }
			// numbers n+1, n+2 and n+5 are written past the counter
			for i, k := range []int{n + 1, n + 2, n + 5} {
				if err := r.DB.ExecRaw(ctx, `INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, state, step, version, doc, received_at, updated_at)
					SELECT ?, ?, handling_org, receiving_org, item_id, item_version, applicant_id, state, step, version, doc, received_at, updated_at FROM cases WHERE id = ?`,
					"0190aaaa-0000-7000-8000-00000000000"+strconv.Itoa(i), num(k), first["id"]); err != nil {
					t.Fatal(err)
				}
			}
			if heals() != 0 {
				t.Fatal("a heal before any number was taken")
			}
			second := receive("c-2")
			if second["no"] != num(n+6) || heals() != 1 {
				t.Fatalf("after the taken numbers: got %v (want %s), %d heal entries (want 1)", second["no"], num(n+6), heals())
			}
			third := receive("c-3")
			if third["no"] != num(n+7) || heals() != 1 {
				t.Fatalf("the next intake: got %v (want %s), %d heal entries (want still 1)", third["no"], num(n+7), heals())
			}
		})
	}
}

func pad6(k int) string {
	s := strconv.Itoa(k)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}
