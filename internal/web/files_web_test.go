package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/testkit"
)

// postFiles sends a multipart form with files (input name → file name and bytes).
func (c *client) postFiles(path string, fields map[string]string, files map[string][2]any) (int, string, string) {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if fields["csrf"] == "" {
		w.WriteField("csrf", c.csrf)
	}
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for field, f := range files {
		fw, _ := w.CreateFormFile(field, f[0].(string))
		fw.Write(f[1].([]byte))
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.base+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// On both databases, with the pages and the API: an application's files that are not what they claim (a
// renamed executable), malformed (a photo cut short) or oversized are refused with a message naming the
// material, in Chinese and Mongolian, and nothing is made; the files of a case handed in online are shown
// to its resident, its township's front desk and back office, and refused to a stranger, another township's
// clerk and another resident.
func TestCaseFilesRefusals(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			r := testkit.Start(t, e)
			res, _ := r.Service.Search(t.Context(), "独生子女父母奖励", 1)
			apply := "/portal/guide/" + res[0].Card.ID + "/apply"
			resident := newClient(t, r.URL)
			if code, body, _ := resident.post("/resident/login", url.Values{"id_number": {demo.Resident.IDNumber}, "password": {demo.Password}}); code != http.StatusSeeOther {
				t.Fatalf("resident login: %d %s", code, body)
			}
			_, page := resident.get(apply)
			idem := regexp.MustCompile(`name="idem" value="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
			fields := map[string]string{"idem": idem, "page": "apply", "f_name": demo.Resident.Name, "f_id_number": demo.Resident.IDNumber, "f_phone": demo.Resident.Phone,
				"f_child_name": "巴雅尔", "f_child_born": "2001-09-01", "f_marriage": "divorced"}
			photo := phoneJPEG(t)
			for _, c := range []struct {
				name  string
				files map[string][2]any
				want  []string
			}{
				{"renamed executable and malformed image", map[string][2]any{"m1_file": {"身份证.jpg", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00PE\x00\x00 program")}, "m2_file": {"结婚证.jpg", photo[:len(photo)/2]}},
					[]string{"居民身份证（正反面照片）", "不是 JPEG、PNG 或 PDF", "结婚证（照片）", "已损坏"}},
				{"a PNG named .jpg", map[string][2]any{"m1_file": {"身份证.jpg", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")}}, []string{"与扩展名 .jpg 不符"}},
				{"oversized", map[string][2]any{"m1_file": {"身份证.jpg", append([]byte("\xFF\xD8\xFF\xE0"), make([]byte, 21<<20)...)}}, []string{"居民身份证（正反面照片）", "文件过大，最多 20 MB"}},
			} {
				code, body, _ := resident.postFiles(apply, fields, c.files)
				if code != http.StatusUnprocessableEntity {
					t.Fatalf("%s: %d", c.name, code)
				}
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: the page does not say %q", c.name, w)
					}
				}
			}
			// in Mongolian too
			resident.get("/lang/mn?back=/my")
			if _, body, _ := resident.postFiles(apply, fields, map[string][2]any{"m2_file": {"结婚证.jpg", photo[:len(photo)/2]}}); !strings.Contains(body, "ᠡᠪᠳᠡᠷᠡᠭᠰᠡᠨ") || !strings.Contains(body, "结婚证（照片）") {
				t.Errorf("the Mongolian page does not name the fault")
			}
			resident.get("/lang/zh?back=/my")
			if _, my := resident.get("/my"); strings.Contains(my, "open-case") {
				t.Fatal("a refused application made a case")
			}
			code, body, loc := resident.postFiles(apply, fields, map[string][2]any{"m1_file": {"id.jpg", photo}, "m2_file": {"m.jpg", photo}})
			if code != http.StatusSeeOther || loc != "/my?ok=applied" {
				t.Fatalf("apply: %d %s", code, body)
			}
			_, my := resident.get("/my")
			caseID := regexp.MustCompile(`href="/my/cases/([0-9a-z-]{20,36})"`).FindStringSubmatch(my)[1]
			_, mine := resident.get("/my/cases/" + caseID)
			fid := regexp.MustCompile(`/my/cases/` + caseID + `/files/([0-9a-z-]{20,36})`).FindStringSubmatch(mine)[1]
			pagePath, apiPath := "/cases/"+caseID+"/files/"+fid, "/api/v1/cases/"+caseID+"/files/"+fid
			if code, _ := resident.get("/my/cases/" + caseID + "/files/" + fid); code != http.StatusOK {
				t.Errorf("the resident's own file: %d", code)
			}
			// a stranger
			stranger := newClient(t, r.URL)
			if code, _ := stranger.get(pagePath); code != http.StatusSeeOther {
				t.Errorf("a stranger's page: %d", code)
			}
			if code, _ := stranger.get("/my/cases/" + caseID + "/files/" + fid); code != http.StatusSeeOther {
				t.Errorf("a stranger's resident page: %d", code)
			}
			if code, _ := rawCall(t, r.URL, "GET", apiPath, "", nil); code != http.StatusUnauthorized {
				t.Errorf("a stranger's API: %d", code)
			}
			token := func(user string) string {
				_, s, _ := apiCall(t, r.URL, "POST", "/api/v1/session", "", map[string]string{"username": user, "password": demo.Password})
				return s["token"].(string)
			}
			// another township's clerk
			other := newClient(t, r.URL)
			other.login("shaogen.clerk")
			if code, _ := other.get(pagePath); code != http.StatusForbidden {
				t.Errorf("another township's clerk's page: %d", code)
			}
			if code, _ := rawCall(t, r.URL, "GET", apiPath, token("shaogen.clerk"), nil); code != http.StatusForbidden {
				t.Errorf("another township's clerk's API: %d", code)
			}
			// another resident
			village, _ := r.DB.OrgsByName(t.Context(), org.Village, "杨树林村")
			code, sess, _ := apiCall(t, r.URL, "POST", "/api/v1/residents", "", map[string]string{"name": "萨仁", "id_number": "11010519491231002X", "phone": "13904769876",
				"org_id": village[0].ID, "password": "Saren-2026-caoyuan", "confirm_password": "Saren-2026-caoyuan"})
			rtoken, _ := sess["token"].(string)
			if code != http.StatusCreated || rtoken == "" {
				t.Fatalf("another resident: %d %v", code, sess)
			}
			if code, _ := rawCall(t, r.URL, "GET", "/api/v1/resident/cases/"+caseID+"/files/"+fid, rtoken, nil); code != http.StatusNotFound {
				t.Errorf("another resident's API: %d", code)
			}
			another := newClient(t, r.URL)
			u, _ := url.Parse(r.URL)
			another.http.Jar.SetCookies(u, []*http.Cookie{{Name: "bm_resident", Value: rtoken, Path: "/"}})
			if code, _ := another.get("/my/cases/" + caseID + "/files/" + fid); code != http.StatusNotFound {
				t.Errorf("another resident's page: %d", code)
			}
			// the township's back office sees it, by page and API
			back := newClient(t, r.URL)
			back.login("tianshan.reviewer")
			if code, body := back.get(pagePath); code != http.StatusOK || !strings.HasPrefix(body, "\xFF\xD8\xFF") {
				t.Errorf("the back office's page: %d", code)
			}
			if code, b := rawCall(t, r.URL, "GET", apiPath, token("tianshan.reviewer"), nil); code != http.StatusOK || !bytes.HasPrefix(b, []byte("\xFF\xD8\xFF")) {
				t.Errorf("the back office's API: %d", code)
			}
			_, _, list := apiCall(t, r.URL, "GET", "/api/v1/cases/"+caseID+"/files", token("tianshan.reviewer"), nil)
			if len(list) != 2 || list[0].(map[string]any)["name"] != "" {
				t.Errorf("the back office's list: %v", list)
			}
		})
	}
}

// phoneJPEG is a small photo that decodes.
func phoneJPEG(t *testing.T) []byte {
	t.Helper()
	p := t.TempDir() + "/p.jpg"
	phonePhoto(t, p, 400, 300, 85)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
