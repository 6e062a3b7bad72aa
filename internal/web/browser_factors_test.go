package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bianmin/internal/demo"
	"bianmin/internal/people"
	"bianmin/internal/testkit"
)

// The second factor in the browser: the administrator is warned, enrols by the QR page (the test plays the
// authenticator app, computing the code from the secret shown), sees the recovery codes once, and signs in
// again with the password and then the code.
func TestBrowserSecondFactor(t *testing.T) {
	r := testkit.Start(t, testkit.SQLite(t))
	ctx := browser(t)
	do(t, ctx,
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#no-2fa`)),
		chromedp.Click(chromedp.CSS(`#no-2fa a`)),
		chromedp.WaitVisible(chromedp.CSS(`#totp-secret`)),
	)
	audit(ctx, t, "enrolment")
	if !eval[bool](t, ctx, `document.querySelector("main img").src.startsWith("data:image/png;base64,") && document.querySelector("main img").naturalWidth > 0`) {
		t.Error("no QR code on the enrolment page")
	}
	secretB32 := eval[string](t, ctx, `document.querySelector("#totp-secret").textContent`)
	secret, err := people.DecodeTOTPSecret(secretB32)
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-totp`), people.TOTP(secret, r.DB.Now())),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.recovery-codes`)),
	)
	codes := eval[[]string](t, ctx, `[...document.querySelectorAll("ul.recovery-codes code")].map(c => c.textContent)`)
	if len(codes) != people.RecoveryCodes {
		t.Errorf("%d recovery codes shown", len(codes))
	}
	shot(ctx, t, "recovery-codes")
	// enrolled: no warning any more
	do(t, ctx, chromedp.Navigate(r.URL+"/desk"), chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)))
	if eval[bool](t, ctx, `!!document.querySelector("#no-2fa")`) {
		t.Error("the warning stays after enrolment")
	}
	// sign out, and in again: the password, then the code of a later step (the enrolment's is spent)
	r.DB.Now = func() time.Time { return time.Now().Add(35 * time.Second) }
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/login"]`)),
		chromedp.Navigate(r.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#f-username`)),
		chromedp.SendKeys(chromedp.CSS(`#f-username`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), demo.Password),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-totp`)),
	)
	audit(ctx, t, "login code")
	// a wrong code first: the page asks again, signed out
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-totp`), "000000"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors`)),
	)
	if eval[bool](t, ctx, `!!document.querySelector(".who")`) {
		t.Error("a wrong code signed in")
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-totp`), people.TOTP(secret, r.DB.Now())),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.tiles`)),
	)
	if who := eval[string](t, ctx, `document.querySelector(".who") ? document.querySelector(".who").textContent : ""`); !strings.Contains(who, "系统管理员") {
		t.Errorf("signed in as %q", who)
	}
}
