package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// FuzzFormDecoding: a submitted form (fields, or multipart where files are taken) is read within its cap
// and cleaned as the edge does. Nothing panics; a refusal is a 400 or a 413, never an internal error; a form
// the edge lets through holds no NUL and no invalid UTF-8 in any name or value.
func FuzzFormDecoding(f *testing.F) {
	f.Add([]byte("action=accept&version=3&m0_name=居民身份证&m0_check=seen_original&m0_required=1"), "application/x-www-form-urlencoded", false)
	f.Add([]byte("reason=%E4%B8%8D%00&csrf=x"), "application/x-www-form-urlencoded", false)
	f.Add([]byte("name=%FF%FE"), "application/x-www-form-urlencoded; charset=utf-8", false)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"no\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\nabc\r\n--b--\r\n"), "multipart/form-data; boundary=b", true)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"no\"\r\n\r\nx\r\n--b--\r\n"), "multipart/form-data; boundary=b", false)
	f.Fuzz(func(t *testing.T, body []byte, contentType string, files bool) {
		const limit = 64 << 10
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/cases/x", bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err := parseForm(r, files, limit)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err == nil {
			for k, vs := range r.Form {
				if err = cleanValues(k, vs); err != nil {
					break
				}
			}
		}
		if err != nil {
			if c := errs.CodeOf(err); c != errs.BadRequest && c != errs.TooLarge {
				t.Fatalf("a bad form is refused as %s: %v", c, err)
			}
			return
		}
		for k, vs := range r.Form {
			for _, v := range append(vs, k) {
				if strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v) {
					t.Fatalf("let through: %q=%q", k, v)
				}
			}
		}
	})
}

// FuzzMoveJSON: a case move's JSON body (the API's POST /api/v1/cases/{id}/moves) is decoded as the API
// does. Nothing panics; a body it takes holds no NUL in any text, and its input encodes and decodes again.
func FuzzMoveJSON(f *testing.F) {
	f.Add([]byte(`{"version":1,"action":"accept","input":{"materials":[{"name":"居民身份证","required":true,"check":"seen_original"}]}}`))
	f.Add([]byte(`{"version":2,"action":"refuse","input":{"reason":"不属于\u0000本机关"}}`))
	f.Add([]byte(`{"version":2,"action":"accept_owed","input":{"owed_by":"2026-03-20","materials":[{"name":"银行卡","check":"owed"}]}}`))
	f.Add([]byte(`{"version":2,"action":"request_extension","input":{"days":5,"reason":"复杂"},"extra":1}`))
	f.Add([]byte(`{"version":1,"action":"accept","input":{"owed_by":"9999-12-31","check_by":"x"}}`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/cases/x/moves", bytes.NewReader(body))
		var in MoveInput
		err := decodeJSON(r, &in)
		if err != nil {
			if c := errs.CodeOf(err); c != errs.BadRequest && c != errs.Invalid {
				t.Fatalf("a bad body is refused as %s: %v", c, err)
			}
			return
		}
		texts := []string{in.Action, in.Input.Reason, in.Input.Kind, in.Input.Method, in.Input.Tracking, in.Input.Assignee, in.Input.Result}
		for _, m := range in.Input.Materials {
			texts = append(texts, m.Name, m.Note, string(m.Check))
		}
		for _, s := range texts {
			if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
				t.Fatalf("let through: %q", s)
			}
		}
		b, err := json.Marshal(in.Input)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		var again cases.Input
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("decode again %s: %v", b, err)
		}
	})
}

// decodeJSON's refusals, each named: a body must be one JSON value with no NUL in any string, whether or
// not it holds the escape that makes one.
func TestDecodeJSONRefusals(t *testing.T) {
	for _, c := range []struct {
		body, field string
		code        errs.Code // "" : decoded
	}{
		{`{"version":1,"action":"accept"}`, "", ""},
		{"{\"version\":1,\"action\":\"accept\"} \n", "", ""},
		{`{"version":1,"action":"accept"}0`, "body", errs.Invalid},
		{`{"version":1} {"version":2}`, "body", errs.Invalid},
		{`{"version":1,"action":"accept"}}`, "body", errs.Invalid},
		{`{"version":1,"action":"\u0000"}0`, "body", errs.Invalid},
		{`{"version":2,"input":{"reason":"不\u0000"}}`, "input.reason", errs.BadRequest},
		{`{"version":2,"action":"a\\u0000"}`, "", ""}, // an escaped backslash, then text: no NUL
		{`{"version":1,"extra":1}`, "body", errs.Invalid},
		{`{"version":"1","action":"accept"}`, "version", errs.Invalid}, // the field's, not the body's
	} {
		var in MoveInput
		err := decodeJSON(httptest.NewRequest(http.MethodPost, "/api/v1/cases/x/moves", strings.NewReader(c.body)), &in)
		if c.code == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", c.body, err)
			}
			continue
		}
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != c.code || e.Field != c.field {
			t.Errorf("%s: want %s on %q, got %v", c.body, c.code, c.field, err)
		}
	}
}
