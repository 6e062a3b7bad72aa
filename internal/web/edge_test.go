package web_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"bianmin/internal/demo"
	"bianmin/internal/testkit"
	"bianmin/internal/web"
)

// mongolian reports whether a text has traditional Mongolian letters.
func mongolian(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x1820 && r <= 0x18AF })
}

// send makes a request with a raw body and returns the status and the answer's body.
func send(t *testing.T, hc *http.Client, method, url, ctype string, body []byte, hdr ...string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// multipartBody is a form with fields and one file of n bytes.
func multipartBody(fields map[string]string, file string, n int) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("f", file)
	fw.Write(bytes.Repeat([]byte("x"), n))
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// spooled lists what uploads left in the temporary directory.
func spooled(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "multipart-") || strings.HasPrefix(e.Name(), "excelize-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// Nobody fills the disk through a form: a public form takes no files, bodies are capped by route (413, in
// the reader's language), and the files an upload route spools are removed when the request ends.
func TestUploadsLeaveNothingBehind(t *testing.T) {
	testkit.Alone(t) // it sets TMPDIR
	r := testkit.Start(t, testkit.SQLite(t))
	spool := t.TempDir()
	t.Setenv("TMPDIR", spool) // where net/http's multipart reader and excelize put their temporary files

	// a file posted to the public result form: refused, not parsed
	body, ctype := multipartBody(map[string]string{"no": "x"}, "big.bin", 100<<10)
	code, page, _ := send(t, nil, "POST", r.URL+"/results", ctype, body)
	if code != http.StatusBadRequest || !strings.Contains(page, "此表单不接收文件") {
		t.Errorf("a file to /results: %d\n%s", code, page)
	}
	// a body over the form cap, whatever it holds: 413, before anything is spooled (net/http would have
	// written a file this large to disk)
	body, ctype = multipartBody(map[string]string{"no": "x"}, "big.bin", 40<<20)
	code, page, _ = send(t, nil, "POST", r.URL+"/results", ctype, body)
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "提交的内容过大，最多 0.25 MiB") {
		t.Errorf("40 MiB to /results: %d\n%s", code, page)
	}
	form := []byte(url.Values{"username": {strings.Repeat("a", 300<<10)}, "password": {"x"}}.Encode())
	code, page, _ = send(t, nil, "POST", r.URL+"/login", "application/x-www-form-urlencoded", form, "Accept-Language", "mn")
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "ᠬᠡᠲᠦ ᠶᠡᠬᠡ") || !strings.Contains(page, "0.25 MiB") {
		t.Errorf("300 KiB to /login in Mongolian: %d\n%s", code, page)
	}
	// a body sent without a length is cut at the cap just the same
	req, _ := http.NewRequest("POST", r.URL+"/results", io.MultiReader(strings.NewReader("no="), strings.NewReader(strings.Repeat("a", 1<<20))))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = -1
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("1 MiB chunked to /results: %d", resp.StatusCode)
		}
	}
	// an upload route spools a large file and removes it when the request ends
	admin := newClient(t, r.URL)
	admin.login("admin")
	admin.get("/catalog")
	body, ctype = multipartBody(map[string]string{"csrf": admin.csrf}, "catalog.xlsx", 3<<20)
	body = bytes.Replace(body, []byte(`name="f"`), []byte(`name="file"`), 1)
	code, page, _ = send(t, admin.http, "POST", r.URL+"/catalog/import", ctype, body)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "文件应为 JSON 或 Excel") {
		t.Errorf("3 MiB of nothing as catalog.xlsx: %d\n%s", code, page)
	}
	admin.get("/desk") // the same connection: the upload's request has ended
	if left := spooled(t, spool); len(left) > 0 {
		t.Errorf("uploads left %v in the temporary directory", left)
	}
}

// A route that takes files reads nothing of a caller who is not signed in as the route's kind of user: it
// sends them to sign in before the body is parsed, so no stranger's upload reaches the temporary directory.
// TMPDIR points at a directory that does not exist, where any spooling fails: the signed-in control shows
// that the route would have parsed (and failed), the strangers that it did not try.
func TestUploadsNeedASessionFirst(t *testing.T) {
	testkit.Alone(t) // it sets TMPDIR
	r := testkit.Start(t, testkit.SQLite(t))
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body, ctype := multipartBody(map[string]string{"csrf": "x"}, "photo.jpg", 1<<20+16<<10) // over what is kept in memory, under every route's cap
	resident := map[string]bool{"/portal/guide/x/apply": true, "/my/cases/x/files": true}
	for _, path := range []string{"/portal/guide/x/apply", "/my/cases/x/files", "/cases/x/files", "/help/x/files", "/delegations/x/files",
		"/staff/x/photo", "/catalog/import", "/catalog/sync", "/admin/import", "/admin/calendar", "/translate/import"} {
		code, _, hdr := send(t, noFollow, "POST", r.URL+path, ctype, body)
		want := "/login?back="
		if resident[path] {
			want = "/resident/login?back="
		}
		if code != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), want) {
			t.Errorf("%s without a session: %d %s", path, code, hdr.Get("Location"))
		}
	}
	// a member of staff on a resident's route is no resident either
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	clerk.http.CheckRedirect = noFollow.CheckRedirect
	if code, _, hdr := send(t, clerk.http, "POST", r.URL+"/my/cases/x/files", ctype, body); code != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/resident/login") {
		t.Errorf("staff on a resident's upload: %d %s", code, hdr.Get("Location"))
	}
	// the control: signed in, the body is parsed, and spooling into the missing directory fails
	if code, _, _ := send(t, clerk.http, "POST", r.URL+"/cases/x/files", ctype, body); code != http.StatusBadRequest {
		t.Errorf("signed in, the upload was not parsed: %d", code)
	}
}

// Small things an outside probe found: the static folder lists nothing (its files still load); a report that
// is not there is said in words, in both languages, never as a message key.
func TestNothingSaidAsAKey(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	for path, want := range map[string]int{"/static/": http.StatusNotFound, "/static/app.css": http.StatusOK} {
		if code, _, _ := send(t, nil, "GET", r.URL+path, "", nil); code != want {
			t.Errorf("%s: %d, want %d", path, code, want)
		}
	}
	for _, lang := range []string{"zh", "mn"} {
		code, out, _ := apiCall(t, r.URL, "GET", "/api/v1/reports/x/2026-01", "", nil, "Accept-Language", lang)
		e, _ := out["error"].(map[string]any)
		msg := fmt.Sprint(e["message"])
		if code != http.StatusNotFound || strings.Contains(msg, "[") || strings.Contains(msg, "what.") || mongolian(msg) != (lang == "mn") {
			t.Errorf("a missing report (%s): %d %s", lang, code, msg)
		}
	}
}

// NUL bytes and invalid UTF-8 are refused at the edge, on both databases: 400 naming the field, in Chinese
// and Mongolian, never a 500, and nothing stored.
func TestNulAndInvalidUTF8Refused(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			audited := func() int64 {
				n, err := r.DB.VerifyAudit(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			// refused checks a JSON refusal in both languages
			refused := func(what string, do func(lang string) (int, map[string]any), field string) {
				t.Helper()
				for _, lang := range []string{"zh", "mn"} {
					code, out := do(lang)
					e, _ := out["error"].(map[string]any)
					fields, _ := e["fields"].([]any)
					var msg string
					for _, f := range fields {
						if f := f.(map[string]any); f["field"] == field {
							msg = f["message"].(string)
						}
					}
					if code != http.StatusBadRequest || msg == "" || mongolian(msg) != (lang == "mn") {
						t.Errorf("%s (%s): want 400 naming %s, got %d %v", what, lang, field, code, out)
					}
				}
			}
			refused("a NUL in the username", func(lang string) (int, map[string]any) {
				code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "ad\x00min", "password": demo.Password}, "Accept-Language", lang)
				return code, out
			}, "username")
			refused("invalid UTF-8 in a JSON body", func(lang string) (int, map[string]any) {
				code, out := rawJSON(t, r.URL+"/api/v1/session", "", []byte("{\"username\":\"ad\xffmin\",\"password\":\"x\"}"), lang)
				return code, out
			}, "body")
			refused("a NUL in a query", func(lang string) (int, map[string]any) {
				code, out, _ := apiCall(t, r.URL, "GET", "/api/v1/items?q=a%00b", "", nil, "Accept-Language", lang)
				return code, out
			}, "q")

			// pages: the path, a form field
			for _, lang := range []string{"zh", "mn"} {
				code, page, _ := send(t, nil, "GET", r.URL+"/portal/guide/a%00b", "", nil, "Accept-Language", lang)
				want := map[string]string{"zh": "网址</a>：含有不能接受的字符", "mn": "ᠬᠠᠶᠢᠭ</a>"}[lang]
				if code != http.StatusBadRequest || !strings.Contains(page, want) || (lang == "mn" && !strings.Contains(page, "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠦᠭᠡᠢ")) {
					t.Errorf("/portal/guide/a%%00b (%s): %d\n%s", lang, code, page)
				}
				code, page, _ = send(t, nil, "POST", r.URL+"/login", "application/x-www-form-urlencoded", []byte("username=ad%FFmin&password=x"), "Accept-Language", lang)
				if code != http.StatusBadRequest || !strings.Contains(page, map[string]string{"zh": "含有不能接受的字符", "mn": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠦᠭᠡᠢ"}[lang]) {
					t.Errorf("invalid UTF-8 in a form field (%s): %d\n%s", lang, code, page)
				}
			}
			clerk := newClient(t, r.URL)
			clerk.login("tianshan.clerk")
			clerk.get("/applicants/new")
			code, page, _ := clerk.post("/applicants", url.Values{"kind": {"resident"}, "name": {"其木\x00格"}, "id_number": {"11010519491231002X"}, "phone": {"13712345678"}})
			if code != http.StatusBadRequest || !strings.Contains(page, "含有不能接受的字符") {
				t.Errorf("a NUL in an applicant's name: %d\n%s", code, page)
			}

			// a case move whose reason holds \u0000: refused by the API and by the case page; the case stays
			_, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
			token := sess["token"].(string)
			home := sess["staff"].(map[string]any)["org_id"].(string)
			_, a, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, map[string]string{"kind": "resident", "name": "其木格", "id_number": "11010519491231002X",
				"phone": "13712345678", "org_id": home}, "Idempotency-Key", "nul-1")
			dibao, _ := r.Service.Search(t.Context(), "最低生活保障", 1)
			code, c, _ := apiCall(t, r.URL, "POST", "/api/v1/cases", token, map[string]string{"item_id": dibao[0].Card.ID, "applicant_id": a["id"].(string)}, "Idempotency-Key", "nul-2")
			if code != http.StatusCreated {
				t.Fatalf("receive: %d %v", code, c)
			}
			id, version := c["id"].(string), c["version"].(float64)
			before := audited()
			refused("a NUL in a move's reason", func(lang string) (int, map[string]any) {
				code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/cases/"+id+"/moves", token,
					map[string]any{"version": version, "action": "refuse", "input": map[string]any{"reason": "不属于\x00本机关"}}, "Accept-Language", lang)
				return code, out
			}, "input.reason")
			clerk.get("/cases/" + id)
			code, page, _ = clerk.post("/cases/"+id, url.Values{"version": {"1"}, "action": {"refuse"}, "reason": {"不属于\x00本机关"}})
			if code != http.StatusBadRequest || !strings.Contains(page, "含有不能接受的字符") {
				t.Errorf("a NUL in a move's reason on the case page: %d\n%s", code, page)
			}
			if _, now, _ := apiCall(t, r.URL, "GET", "/api/v1/cases/"+id, token, nil); now["case"].(map[string]any)["version"].(float64) != version ||
				now["case"].(map[string]any)["state"] != c["state"] {
				t.Errorf("the case changed: %v", now["case"])
			}
			if after := audited(); after != before {
				t.Errorf("audit entries %d → %d: something was stored", before, after)
			}
			// the case table still reads whole on either engine
			if code, q, _ := apiCall(t, r.URL, "GET", "/api/v1/cases", token, nil); code != http.StatusOK {
				t.Errorf("queue: %d %v", code, q)
			}
		})
	}
}

// rawJSON posts raw bytes as JSON (json.Marshal would mend invalid UTF-8).
func rawJSON(t *testing.T, url, token string, body []byte, lang string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", lang)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// bomb is a small zip that unzips to size bytes of blanks.
func bomb(t *testing.T, size int) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	blank := bytes.Repeat([]byte(" "), 1<<20)
	for range size >> 20 {
		w.Write(blank)
	}
	zw.Close()
	return out.Bytes()
}

// A catalog import is refused for want of permission before its file is read, and a decompression bomb
// uploaded by someone who may import is refused by its size, in the reader's language.
func TestCatalogImportGuards(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	file := bomb(t, 1<<30)
	upload := func(c *client, fields map[string]string, lang string) (int, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", c.csrf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", "catalog.xlsx")
		fw.Write(file)
		mw.Close()
		code, page, _ := send(t, c.http, "POST", r.URL+"/catalog/import", mw.FormDataContentType(), buf.Bytes(), "Accept-Language", lang)
		return code, page
	}
	dept := newClient(t, r.URL)
	dept.login("minzheng")
	dept.get("/catalog")
	// a department account asking to publish, or importing into another department: 403, where reading the
	// file would have answered 422 (too large unzipped)
	for _, fields := range []map[string]string{{"publish": "1"}, {"department": "卫生健康委员会"}} {
		if code, page := upload(dept, fields, "zh"); code != http.StatusForbidden {
			t.Errorf("%v by 民政局: %d\n%s", fields, code, page)
		}
	}
	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	clerk.get("/desk")
	if code, _ := upload(clerk, nil, "zh"); code != http.StatusForbidden {
		t.Errorf("a clerk's import: %d", code)
	}
	admin := newClient(t, r.URL)
	admin.login("admin")
	admin.get("/catalog")
	for lang, want := range map[string]string{"zh": "表格解压后超过 128 MiB", "mn": "128 MiB ᠡᠴᠡ ᠬᠡᠲᠦᠷᠡᠪᠡ"} {
		admin.http.Jar.SetCookies(mustURL(r.URL), []*http.Cookie{{Name: "bm_lang", Value: lang, Path: "/"}})
		if code, page := upload(admin, nil, lang); code != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
			t.Errorf("a bomb by the administrator (%s): %d\n%s", lang, code, page)
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// The smaller findings at the web edge: QR codes print the configured address whatever the Host header, and
// none is drawn for an address that is not a notice's; pages with full ID numbers are not stored; the form
// token comes from the form only; a link does not change the account's language, the header's form does.
func TestEdgeSmallFindings(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	get := func(path string, hdr ...string) (int, []byte, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", r.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			if hdr[i] == "Host" {
				req.Host = hdr[i+1]
			} else {
				req.Header.Set(hdr[i], hdr[i+1])
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b, resp.Header
	}
	qr := func(content string) []byte {
		png, err := qrcode.Encode(content, qrcode.Medium, 256)
		if err != nil {
			t.Fatal(err)
		}
		return png
	}

	// a notice to verify: the one-time correction notice of a case
	_, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": "tianshan.clerk", "password": demo.Password})
	token := sess["token"].(string)
	home := sess["staff"].(map[string]any)["org_id"].(string)
	_, a, _ := apiCall(t, r.URL, "POST", "/api/v1/applicants", token, map[string]string{"kind": "resident", "name": "其木格", "id_number": "11010519491231002X",
		"phone": "13712345678", "org_id": home}, "Idempotency-Key", "edge-1")
	dibao, _ := r.Service.Search(t.Context(), "最低生活保障", 1)
	_, c, _ := apiCall(t, r.URL, "POST", "/api/v1/cases", token, map[string]string{"item_id": dibao[0].Card.ID, "applicant_id": a["id"].(string)}, "Idempotency-Key", "edge-2")
	id := c["id"].(string)
	checks := []map[string]any{}
	for i, n := range []string{"最低生活保障申请表", "居民身份证", "居民户口簿", "家庭收入和财产状况声明", "本人银行卡或一卡通", "授权委托书及代办人身份证"} {
		checks = append(checks, map[string]any{"name": n, "check": []string{"original", "original", "copy", "missing", "copy", "na"}[i]})
	}
	if code, out, _ := apiCall(t, r.URL, "POST", "/api/v1/cases/"+id+"/moves", token, map[string]any{"version": c["version"], "action": "ask_correction", "input": map[string]any{"materials": checks}}); code != http.StatusCreated {
		t.Fatalf("ask_correction: %d %v", code, out)
	}
	_, _, notices := apiCall(t, r.URL, "GET", "/api/v1/cases/"+id+"/notices", token, nil)
	verify := notices[0].(map[string]any)["verify"].(string)

	if code, png, _ := get(verify+"/qr.png", "Host", "evil.example"); code != http.StatusOK || !bytes.Equal(png, qr(r.URL+verify)) {
		t.Errorf("the notice's QR code with Host evil.example: %d, not the code of %s", code, r.URL+verify)
	}
	if code, png, _ := get("/portal/guide/"+dibao[0].Card.ID+"/qr.png", "Host", "evil.example"); code != http.StatusOK || !bytes.Equal(png, qr(r.URL+"/portal/guide/"+dibao[0].Card.ID)) {
		t.Errorf("the guide's QR code with Host evil.example: %d", code)
	}
	for _, code := range []string{strings.Repeat("a", 2400), "0123456789abcdef0123"} {
		if status, _, _ := get("/verify/" + code + "/qr.png"); status != http.StatusNotFound {
			t.Errorf("/verify/<%d chars>/qr.png: %d", len(code), status)
		}
	}

	clerk := newClient(t, r.URL)
	clerk.login("tianshan.clerk")
	for _, p := range []string{"/applicants/" + a["id"].(string), "/cases/" + id, "/cases"} {
		resp, err := clerk.http.Get(r.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", p, resp.Header.Get("Cache-Control"))
		}
		if p == "/applicants/"+a["id"].(string) && !strings.Contains(string(b), "11010519491231002X") {
			t.Errorf("%s does not show the full ID number to its front desk", p)
		}
	}
	if _, _, h := get("/track"); h.Get("Cache-Control") != "no-store" {
		t.Errorf("/track: Cache-Control %q", h.Get("Cache-Control"))
	}

	// the form token in the address is not the form's
	clerk.get("/applicants/new")
	resp, err := clerk.http.PostForm(r.URL+"/applicants?csrf="+clerk.csrf, url.Values{"kind": {"resident"}, "name": {"乌云"}, "id_number": {"150421198503152018"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form token in the query string: %d", resp.StatusCode)
	}

	// the language: a link sets this device only; the header's form (with the session's token) the account
	lang := func() string {
		_, me, _ := apiCall(t, r.URL, "GET", "/api/v1/me", token, nil)
		return me["lang"].(string)
	}
	start := lang()
	other := map[string]string{"zh": "mn", "mn": "zh"}[start]
	if code, _ := clerk.get("/lang/" + other + "?back=/desk"); code != http.StatusSeeOther || lang() != start {
		t.Errorf("GET /lang/%s: %d, the account's language %s → %s", other, code, start, lang())
	}
	if code, _, _ := clerk.post("/lang/"+other, url.Values{"back": {"/desk"}, "csrf": {"forged"}}); code != http.StatusForbidden || lang() != start {
		t.Errorf("POST /lang/%s with a forged token: %d, the account's language %s", other, code, lang())
	}
	_, desk := clerk.get("/desk")
	if !strings.Contains(desk, `<form method="post" action="/lang/`) {
		t.Error("the header has no language form")
	}
	if code, _, loc := clerk.post("/lang/"+other, url.Values{"back": {"/desk"}}); code != http.StatusSeeOther || loc != "/desk" || lang() != other {
		t.Errorf("POST /lang/%s: %d %s, the account's language %s", other, code, loc, lang())
	}
}

// The public address printed in QR codes: configured, or the listen address.
func TestPublicURL(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{"https://bianmin.example.gov.cn/", "https://bianmin.example.gov.cn"},
		{"http://10.0.0.5:8080", "http://10.0.0.5:8080"},
		{"https://example.gov.cn/bianmin", "https://example.gov.cn/bianmin"},
		{"ftp://example.gov.cn", ""},
		{"example.gov.cn", ""},
		{"https://example.gov.cn/?x=1", ""},
	} {
		got, err := web.CheckPublicURL(tc.in)
		if got != tc.out || (err != nil) != (tc.out == "") {
			t.Errorf("%q: %q %v", tc.in, got, err)
		}
	}
	for in, out := range map[string]string{"127.0.0.1:8080": "http://127.0.0.1:8080", "0.0.0.0:80": "http://localhost:80", "[::]:8080": "http://localhost:8080", ":8080": "http://localhost:8080"} {
		if got := web.DefaultPublicURL(in); got != out {
			t.Errorf("%q: %q", in, got)
		}
	}
}
