package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bianmin/internal/i18n"
	"bianmin/internal/testkit"
)

// The tracking page refuses a query with neither a number nor an ID number and a short phone, naming both
// fields by their labels, in Chinese and in Mongolian; and the language switch returns to the same query.
func TestTrackRefusalAndSwitchBack(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	cat := r.Service.Catalog
	c := newClient(t, r.URL)
	for _, lang := range []i18n.Lang{i18n.Zh, i18n.Mn} {
		c.lang(string(lang))
		code, body := c.get("/track?no=&id_number=&phone4=12")
		body = html.UnescapeString(body)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", lang, code)
		}
		for _, want := range []string{cat.T(lang, "err.track.no_or_id"), cat.T(lang, "case.no"), cat.T(lang, "err.case.phone4"), cat.T(lang, "field.phone4")} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the refusal does not say %q", lang, want)
			}
		}
		// the language switch is a form (POST) carrying the page and its query; large text a link
		if !strings.Contains(body, `action="/lang/`) || !strings.Contains(body, `name="back" value="/track?no=&id_number=&phone4=12"`) ||
			!strings.Contains(body, "/view/large?back=%2ftrack%3fno%3d%26id_number%3d%26phone4%3d12") {
			t.Errorf("%s: the language switch does not return to the query", lang)
		}
	}
	// the switch itself goes back to the page and its query, and nowhere else
	for back, want := range map[string]string{"/track?no=1%26x&phone4=1234": "/track?no=1%26x&phone4=1234", "//evil.example/": "/desk"} {
		resp, err := c.http.Get(r.URL + "/lang/zh?back=" + url.QueryEscape(back))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("switch back to %q: %d %q", back, resp.StatusCode, loc)
		}
	}
}
