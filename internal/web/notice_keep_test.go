package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"bianmin/internal/cases"
)

// A notice keeps only what its kind prints of the case and reads the rest from the case (issue 18), and it
// prints word for word what it printed when it kept a whole copy of the case: for every kind of notice and
// both languages, the printed notice is compared with the same notice whose kept case is put back whole, as
// the move left it.
func TestNoticeKeptPrintsTheSame(t *testing.T) {
	w := newNoticeWorld(t)
	w.finish(t)
	clerk := newClient(t, w.r.URL)
	clerk.login("shaogen.clerk")
	article := func(url string) string {
		t.Helper()
		code, body := clerk.get(url)
		i, j := strings.Index(body, `<article class="notice-doc`), strings.Index(body, `</article>`)
		if code != 200 || i < 0 || j < i {
			t.Fatalf("%s: %d, no notice", url, code)
		}
		return body[i:j]
	}
	seen := map[string]bool{}
	for _, c := range []cases.Case{w.a, w.b, w.c, w.p} {
		list, err := w.r.DB.NoticesOf(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range list {
			seen[n.Kind] = true
			var kept struct {
				Case struct {
					Version int `json:"version"`
				} `json:"case"`
			}
			var doc map[string]json.RawMessage
			if json.Unmarshal([]byte(n.Doc), &kept) != nil || json.Unmarshal([]byte(n.Doc), &doc) != nil {
				t.Fatalf("%s: %s", n.Kind, n.Doc)
			}
			whole, ok := w.moved[movedKey(c.ID, kept.Case.Version)]
			if !ok {
				t.Fatalf("%s: no case at version %d", n.Kind, kept.Case.Version)
			}
			if len(n.Doc) > 1000 { // a whole case was over 2,000
				t.Errorf("%s keeps %d bytes: %s", n.Kind, len(n.Doc), n.Doc)
			}
			url := "/cases/" + c.ID + "/notices/" + n.ID
			now := map[string]string{}
			for _, lang := range []string{"zh", "mn"} {
				clerk.lang(lang)
				now[lang] = article(url)
			}
			doc["case"], _ = json.Marshal(whole)
			old, _ := json.Marshal(doc)
			if err := w.r.DB.ExecRaw(t.Context(), `UPDATE notices SET doc = ? WHERE id = ?`, string(old), n.ID); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"zh", "mn"} {
				clerk.lang(lang)
				if was := article(url); was != now[lang] {
					t.Errorf("the %s notice (%s) prints differently from what it kept:\nkept:  %s\nwhole: %s", n.Kind, lang, now[lang], was)
				}
			}
		}
	}
	for _, k := range cases.NoticeKinds {
		if !seen[k] {
			t.Errorf("no %s notice was compared", k)
		}
	}
}
