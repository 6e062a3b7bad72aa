package web_test

import (
	"testing"

	"bianmin/internal/testkit"
)

// BenchmarkPages is the server time of two pages over loopback HTTP: the desk (one organisation) and the
// organisation tree of a whole banner (about 300 rows), as an administrator sees them.
func BenchmarkPages(b *testing.B) {
	r := testkit.Start(b, testkit.SQLite(b))
	c := newClient(b, r.URL)
	c.login("admin")
	for _, p := range []string{"/desk", "/orgs"} {
		b.Run(p[1:], func(b *testing.B) {
			for b.Loop() {
				if code, _ := c.get(p); code != 200 {
					b.Fatal(code)
				}
			}
		})
	}
}
