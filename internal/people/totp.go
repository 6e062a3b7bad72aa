package people

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"

	"bianmin/internal/access"
)

// Second factor: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), HMAC-SHA1, 30-second steps,
// six digits, as every authenticator app speaks. 等保 2.0 三级, 身份鉴别 (GB/T 22239-2019 8.1.4.1 c): "应采用口令、
// 密码技术、生物技术等两种或两种以上组合的鉴别技术对用户进行身份鉴别".
const (
	TOTPStep   = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps either side of now a code is accepted: a phone's clock a little off.
	TOTPSkew = 1
	// TOTPSecretBytes is the secret's length: 160 bits, RFC 4226's recommendation.
	TOTPSecretBytes = 20
	// RecoveryCodes is how many recovery codes an enrolment gives, each good once.
	RecoveryCodes = 10
)

// HOTP is RFC 4226's one-time password of a counter, with the given number of digits.
func HOTP(secret []byte, counter uint64, digits int) string {
	m := hmac.New(sha1.New, secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPStepAt is the step number of an instant (RFC 6238: T = (now - T0) / X, T0 = 0).
func TOTPStepAt(t time.Time) uint64 { return uint64(t.Unix()) / uint64(TOTPStep/time.Second) }

// TOTP is the code of the step at t.
func TOTP(secret []byte, t time.Time) string { return HOTP(secret, TOTPStepAt(t), TOTPDigits) }

// CheckTOTP finds the step a code belongs to within TOTPSkew steps of now, only after lastUsed: a code once
// used (and every code older than it) never signs in again, so a code seen over a shoulder or replayed from
// a log is worthless. It returns the step to remember as the new lastUsed.
func CheckTOTP(secret []byte, code string, now time.Time, lastUsed uint64) (uint64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStepAt(now)
	for d := -TOTPSkew; d <= TOTPSkew; d++ {
		step := uint64(int64(cur) + int64(d))
		if step <= lastUsed {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(HOTP(secret, step, TOTPDigits)), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// EncodeTOTPSecret is the secret as authenticator apps take it typed in: base32 without padding.
func EncodeTOTPSecret(secret []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret)
}

// DecodeTOTPSecret reads EncodeTOTPSecret's form.
func DecodeTOTPSecret(s string) ([]byte, error) {
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimSpace(s)))
}

// TOTPURI is the otpauth:// address an enrolment's QR code carries (the Key Uri Format of Google
// Authenticator, which every authenticator app reads).
func TOTPURI(issuer, account string, secret []byte) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{"secret": {EncodeTOTPSecret(secret)}, "issuer": {issuer}, "algorithm": {"SHA1"},
		"digits": {fmt.Sprint(TOTPDigits)}, "period": {fmt.Sprint(int(TOTPStep / time.Second))}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// NeedsSecondFactor tells the roles that hold privileges over others' accounts, cases or the whole record:
// administrators, supervisors and center directors (等保 三级 expects two factors for privileged accounts).
func NeedsSecondFactor(r access.Role) bool {
	switch r {
	case access.Admin, access.Supervisor, access.Director:
		return true
	}
	return false
}

// NormalizeRecoveryCode makes a typed recovery code comparable: lower case, no spaces or dashes.
func NormalizeRecoveryCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, s)
}
