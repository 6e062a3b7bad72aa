package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// The Mongolian workflow's API: a translator lists pending strings and corrects one; a clerk is refused; a
// bad Mongolian is refused naming the field; the coverage report answers the banner's translator only.
func TestMnAPI(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	call := func(method, path, token string, body any) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		}
		req, _ := http.NewRequest(method, r.URL+path, rd)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var obj map[string]any
		json.NewDecoder(resp.Body).Decode(&obj)
		return resp.StatusCode, obj
	}
	login := func(user string) string {
		code, sess := call("POST", "/api/v1/session", "", map[string]string{"username": user, "password": demo.Password})
		if code != http.StatusCreated {
			t.Fatalf("login %s: %d", user, code)
		}
		return sess["token"].(string)
	}
	fanyi, town, clerk := login("fanyi"), login("tianshan.fanyi"), login("tianshan.clerk")
	code, page := call("GET", "/api/v1/mn/strings?kind=orgs&pending=1", fanyi, nil)
	list, _ := page["strings"].([]any)
	if code != http.StatusOK || len(list) == 0 || page["next"] == "" {
		t.Fatalf("list: %d %v", code, page)
	}
	first := list[0].(map[string]any)
	if code, _ := call("GET", "/api/v1/mn/strings", clerk, nil); code != http.StatusForbidden {
		t.Errorf("a clerk lists strings: %d", code)
	}
	in := map[string]any{"key": first["key"], "action": "correct", "mn": "ᠰᠢᠨ\u180Eᠡ ᠨᠡᠷ᠎ᠡ", "version": first["version"]}
	if code, out := call("POST", "/api/v1/mn/strings", fanyi, in); code != http.StatusCreated || out["status"] != "reviewed" || out["version"].(float64) != first["version"].(float64)+1 {
		t.Fatalf("correct: %d %v", code, out)
	}
	in["version"], in["mn"] = first["version"].(float64)+1, "ᠰᠢᠨ᠎ᠡ nᠡᠷ᠎ᠡ"
	code, out := call("POST", "/api/v1/mn/strings", fanyi, in)
	fields, _ := out["error"].(map[string]any)["fields"].([]any)
	if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || len(fields) != 1 || fields[0].(map[string]any)["field"] != "mn" {
		t.Errorf("a Latin look-alike: %d %v", code, out)
	}
	if code, cov := call("GET", "/api/v1/mn/coverage", fanyi, nil); code != http.StatusOK || cov["total"].(map[string]any)["total"].(float64) < 1000 {
		t.Errorf("coverage: %d %v", code, cov)
	}
	if code, _ := call("GET", "/api/v1/mn/coverage", town, nil); code != http.StatusForbidden {
		t.Errorf("a township's translator reads the banner's coverage: %d", code)
	}
}
