package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"bianmin/internal/testkit"
)

// Published guides uploaded at /catalog/import: the page counts what was published, left as draft and not
// imported, with each one's reasons, in the reader's language.
func TestCatalogImportReport(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	c := newClient(t, r.URL)
	c.login("admin")
	c.get("/catalog")
	doc, err := os.ReadFile("../catalogfile/testdata/guides-with-gaps.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	mw.WriteField("department", "民政局")
	mw.WriteField("publish", "1")
	fw, _ := mw.CreateFormFile("file", "guides.json")
	fw.Write(doc)
	mw.Close()
	resp, err := c.http.Post(r.URL+"/catalog/import", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{"发布 0 项，草稿 3 项，未导入 1 项", "未导入 4", "中文名称", "草稿 2 老年人优待证",
		"咨询电话与监督投诉电话不能相同", "未注明工作日还是自然日", "来源未注明原件或复印件份数"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
