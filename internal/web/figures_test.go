package web_test

import (
	"net/http"
	"strings"
	"testing"

	"bianmin/internal/testkit"
)

// The per-person figures open for a banner's supervisor and administrator on a township of theirs, with the
// others to choose; a township's director sees their own without a choice.
func TestPeopleFiguresForTheBanner(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	for user, choose := range map[string]bool{"supervisor": true, "admin": true, "tianshan.director": false} {
		c := newClient(t, r.URL)
		c.login(user)
		code, body := c.get("/people/figures")
		if code != http.StatusOK || strings.Contains(body, `id="f-township"`) != choose {
			t.Errorf("%s: %d, a township to choose: %v, want %v", user, code, strings.Contains(body, `id="f-township"`), choose)
		}
	}
}
