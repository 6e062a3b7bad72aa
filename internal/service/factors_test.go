package service_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"bianmin/internal/demo"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// factorService is a service over a demo world with a clock the test turns.
func factorService(t *testing.T, db *store.DB, mod func(*service.Config)) (*service.Service, *time.Time) {
	t.Helper()
	testkit.Demo(t, db)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	cfg := testkit.FastConfig()
	if mod != nil {
		mod(&cfg)
	}
	svc, err := service.New(db, i18n.MustLoad(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc, &now
}

// The second factor (等保 2.0 三级 身份鉴别, two kinds of authentication for privileged accounts): enrolment
// confirmed by a code, sign-in asks for the code after the password, a code is good once, recovery codes are
// good once, wrong codes end the challenge, an administrator removes it, every step audited.
func TestSecondFactor(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := factorService(t, db, nil)
		const client = "203.0.113.9"
		me, sess, err := svc.Login(ctx, "supervisor", demo.Password, client)
		if err != nil {
			t.Fatal(err)
		}
		if sess.SecondFactor {
			t.Error("a session without a second factor says it had one")
		}
		en, err := svc.NewEnrolment(me)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(en.URI, "otpauth://totp/") || !strings.Contains(en.URI, "secret="+en.Secret) {
			t.Errorf("enrolment address %s", en.URI)
		}
		secret, _ := people.DecodeTOTPSecret(en.Secret)
		// a wrong code does not enrol
		wrong := people.HOTP(secret, people.TOTPStepAt(*now)+5, 6)
		if _, err := svc.Enrol(ctx, me, sess.Token, en.Secret, wrong); errs.All(err) == nil || errs.All(err)[0].Field != "totp" {
			t.Fatalf("a wrong code enrolled: %v", err)
		}
		if has, _ := svc.HasSecondFactor(ctx, me.ID); has {
			t.Fatal("enrolled after a wrong code")
		}
		codes, err := svc.Enrol(ctx, me, sess.Token, en.Secret, people.TOTP(secret, *now))
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != people.RecoveryCodes {
			t.Fatalf("%d recovery codes", len(codes))
		}
		// the enrolling session now counts as opened with a second factor
		if _, s2, err := svc.Authenticate(ctx, sess.Token); err != nil || !s2.SecondFactor {
			t.Errorf("enrolling session: %+v %v", s2, err)
		}
		// neither the secret nor a recovery code is in the database as such
		var stored string
		if err := db.QueryRowRaw(ctx, `SELECT secret FROM second_factors WHERE staff_id = ?`, me.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, en.Secret) || strings.Contains(stored, string(secret)) {
			t.Error("the secret is stored readable")
		}
		var n int
		if err := db.QueryRowRaw(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE code_hash = ? OR code_hash = ?`, codes[0], people.NormalizeRecoveryCode(codes[0])).Scan(&n); err != nil || n != 0 {
			t.Errorf("a recovery code is stored as such: %d %v", n, err)
		}

		// the password alone now opens a challenge, not a session
		login := func() string {
			t.Helper()
			_, s, err := svc.Login(ctx, "supervisor", demo.Password, client)
			var need *service.SecondFactorNeeded
			if !errors.As(err, &need) || s.Token != "" {
				t.Fatalf("password alone: %+v %v", s, err)
			}
			return need.Challenge
		}
		// the code of the step used at enrolment is spent
		if _, _, err := svc.CompleteLogin(ctx, login(), people.TOTP(secret, *now), client); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("the enrolment's code signed in again: %v", err)
		}
		*now = now.Add(30 * time.Second)
		code := people.TOTP(secret, *now)
		st, s3, err := svc.CompleteLogin(ctx, login(), code, client)
		if err != nil || st.Username != "supervisor" || !s3.SecondFactor {
			t.Fatalf("sign-in with the code: %+v %+v %v", st, s3, err)
		}
		// replay: the same code never signs in twice
		if _, _, err := svc.CompleteLogin(ctx, login(), code, client); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("a used code signed in again: %v", err)
		}
		// a recovery code, typed loosely, once
		loose := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
		if _, _, err := svc.CompleteLogin(ctx, login(), loose, client); err != nil {
			t.Errorf("recovery code: %v", err)
		}
		if _, _, err := svc.CompleteLogin(ctx, login(), codes[3], client); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("a spent recovery code signed in again: %v", err)
		}
		// five wrong codes end the challenge: the right code after them does not sign in
		ch := login()
		for i := range 5 {
			if _, _, err := svc.CompleteLogin(ctx, ch, "00000"+string(rune('0'+i)), client); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		*now = now.Add(30 * time.Minute) // past the backoff the failures caused
		if _, _, err := svc.CompleteLogin(ctx, ch, people.TOTP(secret, *now), client); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("a spent challenge signed in: %v", err)
		}
		// the API's one call: without the code the refusal names the field
		_, _, err = svc.LoginWithCode(ctx, "supervisor", demo.Password, "", client)
		if l := errs.All(err); len(l) != 1 || l[0].Field != "totp" || l[0].Key != "err.2fa.needed" {
			t.Errorf("API login without a code: %v", err)
		}
		*now = now.Add(30 * time.Second)
		if _, _, err := svc.LoginWithCode(ctx, "supervisor", demo.Password, people.TOTP(secret, *now), client); err != nil {
			t.Errorf("API login with the code: %v", err)
		}
		// audited: the enrolment and each use, never the secret
		entries, err := db.AuditOf(ctx, "staff", me.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range entries {
			seen[e.Action]++
			if strings.Contains(e.After, en.Secret) || strings.Contains(e.After, codes[0]) {
				t.Errorf("audit %s holds the secret or a code", e.Action)
			}
		}
		if seen["staff.2fa.enrol"] != 1 || seen["staff.2fa.use"] != 3 {
			t.Errorf("audit: %v", seen)
		}
		// the administrator removes it (a lost phone): the supervisor's sessions end, the password alone signs in
		admin, _, err := svc.Login(ctx, "admin", demo.Password, client)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.RemoveSecondFactor(ctx, me.Actor(), admin.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a supervisor removed the administrator's factor: %v", err)
		}
		if err := svc.RemoveSecondFactor(ctx, admin.Actor(), me.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, s3.Token); err == nil {
			t.Error("a session lived on after its account's factor was removed")
		}
		if _, _, err := svc.Login(ctx, "supervisor", demo.Password, client); err != nil {
			t.Errorf("after removal: %v", err)
		}
	})
}

// -require-2fa applies to administrators, supervisors and directors only.
func TestRequiresSecondFactor(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := factorService(t, db, func(c *service.Config) { c.Require2FA = true })
		for user, want := range map[string]bool{"admin": true, "supervisor": true, "tianshan.director": true, "tianshan.clerk": false, "tianshan.reviewer": false, "yangshulin.agent": false} {
			me, _, err := svc.Login(ctx, user, demo.Password, "203.0.113.1")
			if err != nil {
				t.Fatal(err)
			}
			if got := svc.RequiresSecondFactor(me); got != want {
				t.Errorf("%s: %v, want %v", user, got, want)
			}
		}
	})
}

// The idle timeout (等保 2.0 三级: 登录连接超时自动退出): a session used within the limit lives on, one unused
// for longer ends, for staff and residents alike.
func TestIdleTimeout(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc, now := factorService(t, db, func(c *service.Config) { c.Idle = 30 * time.Minute })
		_, sess, err := svc.Login(ctx, "tianshan.clerk", demo.Password, "203.0.113.2")
		if err != nil {
			t.Fatal(err)
		}
		_, rs, err := svc.ResidentLogin(ctx, demo.Resident.IDNumber, demo.Password, "203.0.113.2")
		if err != nil {
			t.Fatal(err)
		}
		for i, step := range []time.Duration{29 * time.Minute, 29 * time.Minute, 29 * time.Minute} {
			*now = now.Add(step)
			if _, _, err := svc.Authenticate(ctx, sess.Token); err != nil {
				t.Fatalf("staff, use %d within the idle limit: %v", i, err)
			}
			if _, _, err := svc.AuthenticateResident(ctx, rs.Token); err != nil {
				t.Fatalf("resident, use %d within the idle limit: %v", i, err)
			}
		}
		*now = now.Add(31 * time.Minute)
		if _, _, err := svc.Authenticate(ctx, sess.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("staff session idle 31 minutes: %v", err)
		}
		if _, _, err := svc.AuthenticateResident(ctx, rs.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Errorf("resident session idle 31 minutes: %v", err)
		}
	})
}

// The password policy on a change: the common list, and none of the last five passwords (the current one
// included); the sixth back may come again.
func TestPasswordPolicy(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc, _ := factorService(t, db, nil)
		me, sess, err := svc.Login(ctx, "tianshan.clerk", demo.Password, "203.0.113.3")
		if err != nil {
			t.Fatal(err)
		}
		refused := func(old, pw, key string) {
			t.Helper()
			err := svc.ChangePassword(ctx, me, sess.Token, old, pw, pw)
			l := errs.All(err)
			if len(l) != 1 || l[0].Field != "new_password" || l[0].Key != key {
				t.Errorf("%q: %v, want %s on new_password", pw, err, key)
			}
		}
		refused(demo.Password, "Password2026", "err.password.common")
		refused(demo.Password, demo.Password, "err.password.reused")
		pws := []string{demo.Password, "Grass-wind-01", "Grass-wind-02", "Grass-wind-03", "Grass-wind-04", "Grass-wind-05"}
		for i := 1; i < len(pws); i++ {
			if err := svc.ChangePassword(ctx, me, sess.Token, pws[i-1], pws[i], pws[i]); err != nil {
				t.Fatalf("change %d: %v", i, err)
			}
		}
		// now current: Grass-wind-05; the last five are 01..05
		for _, old := range pws[1:] {
			refused("Grass-wind-05", old, "err.password.reused")
		}
		// the first is six back: allowed again
		if err := svc.ChangePassword(ctx, me, sess.Token, "Grass-wind-05", demo.Password, demo.Password); err != nil {
			t.Errorf("the sixth password back: %v", err)
		}
		// the message names the number, in both languages
		cat := i18n.MustLoad()
		for _, lang := range []i18n.Lang{i18n.Zh, i18n.Mn} {
			if m := cat.T(lang, "err.password.reused", "n", "5"); !strings.Contains(m, "5") {
				t.Errorf("%s: %q", lang, m)
			}
		}
		// registration refuses common passwords too
		_, _, err = svc.RegisterResident(ctx, service.RegisterInput{Name: "乌兰", IDNumber: "11010519491231002X", Phone: "13912345678",
			OrgID: me.OrgID, Password: "woaini1314", Confirm: "woaini1314"}, "203.0.113.3")
		if l := errs.All(err); len(l) == 0 || l[0].Field != "password" || l[0].Key != "err.password.common" {
			t.Errorf("a resident registered with a common password: %v", err)
		}
	})
}
