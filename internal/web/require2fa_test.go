package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"

	"bianmin/internal/app"
	"bianmin/internal/demo"
	"bianmin/internal/testkit"
)

// -require-2fa: a director who has not enrolled is sent to enrolment from every page; a clerk is not.
func TestRequireSecondFactor(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := testkit.FastConfig()
	cfg.Require2FA = true
	m, err := app.Open(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), DB: testkit.SQLite(t).URL, Service: cfg,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, m.Service); err != nil {
		t.Fatal(err)
	}
	addr, err := m.Listen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() { cancel(); <-done; m.Close() }()
	base := "http://" + addr
	for _, tc := range []struct {
		user, want string
	}{{"tianshan.director", "/account/2fa"}, {"admin", "/account/2fa"}, {"tianshan.clerk", "/desk"}} {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(base+"/login", url.Values{"username": {tc.user}, "password": {demo.Password}, "back": {"/desk"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); loc != tc.want {
			t.Errorf("%s signed in to %q, want %q", tc.user, loc, tc.want)
		}
		resp, err = c.Get(base + "/cases")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		enrol := resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/account/2fa"
		if enrol != (tc.want == "/account/2fa") {
			t.Errorf("%s on /cases: %d %s", tc.user, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}
