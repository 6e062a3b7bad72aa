package people

import (
	"strings"
	"testing"
	"time"
)

var rfcSecret = []byte("12345678901234567890")

// RFC 4226 Appendix D: HOTP of counters 0..9, six digits.
func TestHOTPVectors(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := HOTP(rfcSecret, uint64(i), 6); got != w {
			t.Errorf("HOTP(%d) = %s, want %s", i, got, w)
		}
	}
}

// RFC 6238 Appendix B, SHA1 column (eight digits; the six-digit code is the same number mod 10^6).
func TestTOTPVectors(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		step uint64
		want string
	}{
		{59, 0x1, "94287082"},
		{1111111109, 0x23523EC, "07081804"},
		{1111111111, 0x23523ED, "14050471"},
		{1234567890, 0x273EF07, "89005924"},
		{2000000000, 0x3F940AA, "69279037"},
		{20000000000, 0x27BC86AA, "65353130"},
	} {
		at := time.Unix(tc.unix, 0)
		if s := TOTPStepAt(at); s != tc.step {
			t.Errorf("%d: step %x, want %x", tc.unix, s, tc.step)
		}
		if got := HOTP(rfcSecret, TOTPStepAt(at), 8); got != tc.want {
			t.Errorf("%d: %s, want %s", tc.unix, got, tc.want)
		}
		if got := TOTP(rfcSecret, at); got != tc.want[2:] {
			t.Errorf("%d: six digits %s, want %s", tc.unix, got, tc.want[2:])
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	now := time.Unix(1111111111, 0) // step 0x23523ED
	cur := TOTPStepAt(now)
	code := func(d int64) string { return HOTP(rfcSecret, uint64(int64(cur)+d), 6) }
	for _, tc := range []struct {
		name     string
		code     string
		lastUsed uint64
		ok       bool
		step     uint64
	}{
		{"the current code", code(0), 0, true, cur},
		{"one step behind (a slow phone)", code(-1), 0, true, cur - 1},
		{"one step ahead", code(1), 0, true, cur + 1},
		{"two steps behind", code(-2), 0, false, 0},
		{"two steps ahead", code(2), 0, false, 0},
		{"the current code once used", code(0), cur, false, 0},
		{"an older code after a newer was used", code(-1), cur, false, 0},
		{"a newer code after an older was used", code(1), cur, true, cur + 1},
		{"spaces around are forgiven", " " + code(0) + " ", 0, true, cur},
		{"too short", code(0)[:5], 0, false, 0},
		{"empty", "", 0, false, 0},
		{"letters", "abcdef", 0, false, 0},
	} {
		step, ok := CheckTOTP(rfcSecret, tc.code, now, tc.lastUsed)
		if ok != tc.ok || step != tc.step {
			t.Errorf("%s: (%d, %v), want (%d, %v)", tc.name, step, ok, tc.step, tc.ok)
		}
	}
}

func TestTOTPURIAndSecret(t *testing.T) {
	enc := EncodeTOTPSecret(rfcSecret)
	if enc != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Errorf("base32 %s", enc)
	}
	back, err := DecodeTOTPSecret(strings.ToLower(enc))
	if err != nil || string(back) != string(rfcSecret) {
		t.Errorf("decode: %q %v", back, err)
	}
	u := TOTPURI("便民", "admin", rfcSecret)
	for _, want := range []string{"otpauth://totp/", "secret=" + enc, "period=30", "digits=6", "algorithm=SHA1"} {
		if !strings.Contains(u, want) {
			t.Errorf("%s lacks %s", u, want)
		}
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	for in, want := range map[string]string{"abcd-2345": "abcd2345", " ABCD 2345 ": "abcd2345", "a-b-c": "abc"} {
		if got := NormalizeRecoveryCode(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// The password policy: length, not the username, not on the common list (in any case).
func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		pw, user, key string
	}{
		{"Bianmin-2026", "clerk", ""},
		{"short1", "clerk", "err.password.short"},
		{"clerk.tianshan", "clerk.tianshan", "err.password.username"},
		{"password123", "clerk", "err.password.common"},
		{"Password123", "clerk", "err.password.common"},
		{"1234567890", "clerk", "err.password.common"},
		{"qwertyuiop", "clerk", "err.password.common"},
		{"1qaz2wsx3edc", "clerk", "err.password.common"},
		{"woaini1314", "clerk", "err.password.common"},
		{"zhangwei2024", "clerk", "err.password.common"},
		{"Admin@2026", "clerk", "err.password.common"},
		{"sun-fox-river-42", "clerk", ""},
	} {
		e := CheckPassword("password", tc.pw, tc.user)
		got := ""
		if e != nil {
			got = e.Key
		}
		if got != tc.key {
			t.Errorf("%q: %q, want %q", tc.pw, got, tc.key)
		}
	}
	if n := len(commonPasswords()); n < 3000 {
		t.Errorf("the common list has %d passwords", n)
	}
}
