package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"bianmin/internal/apiload"
)

// Townships of the lifecycle load (-townships N): a region's sixteen busy clerks sit in sixteen townships,
// not one, and each township's cases chain on its own audit head (issue 18). The first township is 天山镇
// with the demo's accounts; for each further one the admin makes a clerk and a reviewer once (bench.<code>
// .clerk, .reviewer), who change their first password as a person would, and each works with an applicant
// of its own township. Clients are dealt to the townships in turn.

const (
	benchFirstPassword = "Bench-first-2026"
	benchPassword      = "Bench-load-2026-x"
)

// township is what the load reads of an organisation (the API's OrgJSON).
type township struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
}

func townshipLifecycles(c *http.Client, base, password string, n int, first *lifecycler) ([]*apiload.Lifecycle, error) {
	out := []*apiload.Lifecycle{&first.Lifecycle}
	if n <= 1 {
		return out, nil
	}
	admin, err := apiload.Token(c, base, "admin", password)
	if err != nil {
		return nil, err
	}
	b, code, err := get(c, base+"/api/v1/orgs?kind=township", admin)
	if err != nil || code != 200 {
		return nil, fmt.Errorf("townships: %d %v", code, err)
	}
	var towns []township
	if err := json.Unmarshal(b, &towns); err != nil {
		return nil, err
	}
	slices.SortFunc(towns, func(a, b township) int { return strings.Compare(a.Code, b.Code) })
	for _, t := range towns {
		if len(out) == n {
			break
		}
		if t.NameZh == "天山镇" {
			continue
		}
		l := first.Lifecycle // the department, the item, the hooks
		if l.Clerk, err = benchAccount(c, base, admin, t.ID, "bench."+t.Code+".clerk", "clerk"); err != nil {
			return nil, err
		}
		if l.Reviewer, err = benchAccount(c, base, admin, t.ID, "bench."+t.Code+".reviewer", "reviewer"); err != nil {
			return nil, err
		}
		b, code, err := get(c, base+"/api/v1/applicants?limit=1", l.Clerk)
		if err != nil || code != 200 {
			return nil, fmt.Errorf("applicants of %s: %d %v", t.NameZh, code, err)
		}
		var page struct{ Applicants []struct{ ID string } }
		if err := json.Unmarshal(b, &page); err != nil || len(page.Applicants) == 0 {
			continue // a township without applicants yet: the next one
		}
		l.Applicant = page.Applicants[0].ID
		out = append(out, &l)
	}
	if len(out) < n {
		return nil, fmt.Errorf("-townships %d: only %d townships have applicants", n, len(out))
	}
	return out, nil
}

// benchAccount signs in a load account, making it first when there is none.
func benchAccount(c *http.Client, base, admin, orgID, user, role string) (string, error) {
	if tok, err := apiload.Token(c, base, user, benchPassword); err == nil {
		return tok, nil
	}
	if code, err := post(c, base+"/api/v1/staff", admin, map[string]string{"username": user, "name": "压测" + role, "role": role,
		"org_id": orgID, "password": benchFirstPassword}); err != nil || code/100 != 2 {
		return "", fmt.Errorf("create %s: %d %v", user, code, err)
	}
	tok, err := apiload.Token(c, base, user, benchFirstPassword)
	if err != nil {
		return "", err
	}
	if code, err := post(c, base+"/api/v1/me/password", tok, map[string]string{"old_password": benchFirstPassword,
		"new_password": benchPassword, "confirm_password": benchPassword}); err != nil || code/100 != 2 {
		return "", fmt.Errorf("first password of %s: %d %v", user, code, err)
	}
	return apiload.Token(c, base, user, benchPassword)
}

func post(c *http.Client, u, token string, in any) (int, error) {
	return send(c, "POST", u, token, in, nil)
}

// send makes one JSON call as token and decodes the answer into out (nil: read nothing).
func send(c *http.Client, method, u, token string, in, out any) (int, error) {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode/100 == 2 {
		err = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, err
}
