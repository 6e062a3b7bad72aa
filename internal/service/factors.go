package service

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Second factor for privileged accounts (等保 2.0 三级, GB/T 22239-2019 8.1.4.1 c: two kinds of authentication
// for administrators). The password opens a challenge; the TOTP code (or a recovery code) answers it.

// SecondFactorNeeded is Login's answer when the password was right and the account has a second factor: the
// page asks for the code and sends it back with Challenge.
type SecondFactorNeeded struct{ Challenge string }

func (e *SecondFactorNeeded) Error() string { return "second factor needed" }

const (
	// challengeTTL is how long the code may take after the password.
	challengeTTL = 5 * time.Minute
	// challengeTries is how many wrong codes a challenge takes before the password must be given again.
	challengeTries = 5
	issuer         = "Bianmin"
)

// derivedKey is a key for one purpose derived from the key kept outside the database.
func (s *Service) derivedKey(purpose string) []byte {
	m := hmac.New(sha256.New, s.cfg.CodeKey)
	m.Write([]byte("bianmin " + purpose))
	return m.Sum(nil)
}

// sealSecret encrypts a TOTP secret (AES-256-GCM) with the account's id bound in: a copy of the database
// alone gives no secret, nor may a sealed secret be moved to another account.
func (s *Service) sealSecret(staffID string, secret []byte) (string, error) {
	block, err := aes.NewCipher(s.derivedKey("totp secret"))
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, secret, []byte(staffID))), nil
}

func (s *Service) openSecret(staffID, sealed string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(s.derivedKey("totp secret"))
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(b) < gcm.NonceSize() {
		return nil, errors.New("sealed secret too short")
	}
	return gcm.Open(nil, b[:gcm.NonceSize()], b[gcm.NonceSize():], []byte(staffID))
}

// recoveryHash is the stored form of a recovery code: keyed, so that the database alone cannot test codes.
func (s *Service) recoveryHash(staffID, code string) string {
	m := hmac.New(sha256.New, s.derivedKey("recovery code"))
	m.Write([]byte(staffID + "/" + people.NormalizeRecoveryCode(code)))
	return hex.EncodeToString(m.Sum(nil))
}

// RequiresSecondFactor tells whether the configuration makes this account enrol before anything else.
func (s *Service) RequiresSecondFactor(st people.Staff) bool {
	return s.cfg.Require2FA && people.NeedsSecondFactor(st.Role)
}

// Enrolment is what the enrolment page shows: a new secret, as text and as an otpauth:// address for the QR.
type Enrolment struct {
	Secret string // base32
	URI    string
}

// NewEnrolment makes a fresh secret for the signed-in account. Nothing is stored until a code from it is
// confirmed (Enrol).
func (s *Service) NewEnrolment(me people.Staff) (Enrolment, error) {
	secret := make([]byte, people.TOTPSecretBytes)
	if _, err := rand.Read(secret); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: people.EncodeTOTPSecret(secret), URI: people.TOTPURI(issuer, me.Username, secret)}, nil
}

// Enrol confirms a secret with a code computed from it, stores it sealed with fresh recovery codes, and
// returns the codes: shown this once, kept only as keyed hashes. A second enrolment replaces the first (and
// its recovery codes). Audited.
func (s *Service) Enrol(ctx context.Context, me people.Staff, token, secretB32, code string) ([]string, error) {
	secret, err := people.DecodeTOTPSecret(secretB32)
	if err != nil || len(secret) != people.TOTPSecretBytes {
		return nil, errs.Field("secret", "err.2fa.secret")
	}
	step, ok := people.CheckTOTP(secret, code, s.DB.Now(), 0)
	if !ok {
		return nil, errs.Field("totp", "err.2fa.code")
	}
	sealed, err := s.sealSecret(me.ID, secret)
	if err != nil {
		return nil, errs.Wrap(err, "seal")
	}
	codes := make([]string, people.RecoveryCodes)
	hashes := make([]string, people.RecoveryCodes)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = s.recoveryHash(me.ID, codes[i])
	}
	defer s.forgetSessions(me.ID)
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		return tx.EnrolSecondFactor(me.Actor(), me.ID, sealed, step, hashes, token)
	})
	return codes, err
}

// newRecoveryCode is ten characters of an alphabet without look-alikes (50 bits), shown as xxxxx-xxxxx.
func newRecoveryCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // 31 letters and digits, no i l o 0 1
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i == 5 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}

// HasSecondFactor tells whether an account has enrolled.
func (s *Service) HasSecondFactor(ctx context.Context, staffID string) (bool, error) {
	_, ok, err := s.DB.SecondFactor(ctx, staffID)
	return ok, err
}

// CompleteLogin answers a challenge with a TOTP code or a recovery code and opens a session marked as
// opened with a second factor. A code is good once (its step is remembered), a recovery code once; wrong
// codes count on the challenge and on the (account, address) pair's backoff, and get the one common reply.
// The use is audited (with which kind of code).
func (s *Service) CompleteLogin(ctx context.Context, challenge, code, client string) (people.Staff, store.Session, error) {
	var none store.Session
	if challenge == "" || code == "" || len(code) > 64 {
		return people.Staff{}, none, errSignIn()
	}
	ch, err := s.DB.Challenge(ctx, challenge)
	if errs.CodeOf(err) == errs.NotFound {
		return people.Staff{}, none, errSignIn()
	} else if err != nil {
		return people.Staff{}, none, err
	}
	st, err := s.DB.Staff(ctx, ch.StaffID)
	if err != nil {
		return people.Staff{}, none, err
	}
	f, ok, err := s.DB.SecondFactor(ctx, st.ID)
	if err != nil || !ok {
		return people.Staff{}, none, errSignIn()
	}
	secret, err := s.openSecret(st.ID, f.Sealed)
	if err != nil {
		return people.Staff{}, none, errs.Wrap(err, "open secret")
	}
	account := "staff:" + strings.ToLower(st.Username)
	var sess store.Session
	accepted := false
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		method := "totp"
		if step, match := people.CheckTOTP(secret, code, s.DB.Now(), f.LastStep); match {
			if accepted, err = tx.UseTOTPStep(st.ID, step); err != nil {
				return err
			}
		} else if people.NormalizeRecoveryCode(code) != "" && len(people.NormalizeRecoveryCode(code)) == 10 {
			method = "recovery_code"
			if accepted, err = tx.UseRecoveryCode(st.ID, s.recoveryHash(st.ID, code)); err != nil {
				return err
			}
		}
		if !accepted {
			return tx.ChallengeFailed(challenge, challengeTries)
		}
		if err := tx.EndChallenge(challenge); err != nil {
			return err
		}
		if err := tx.ClearLoginBackoff(account, client); err != nil {
			return err
		}
		if err := tx.Audit(st.Actor(), "staff.2fa.use", "staff", st.ID, st.OrgID, nil, map[string]string{"method": method}); err != nil {
			return err
		}
		sess, err = tx.StartSessionWith(st, s.cfg.SessionTTL, true)
		return err
	})
	if err != nil {
		return people.Staff{}, none, err
	}
	if !accepted {
		s.countFailure(ctx, account, client)
		return people.Staff{}, none, errSignIn()
	}
	return st, sess, nil
}

// countFailure records a failed sign-in step against the (account, address) pair's backoff.
func (s *Service) countFailure(ctx context.Context, account, client string) {
	now := s.DB.Now()
	b, err := s.DB.LoginBackoff(ctx, account, client)
	if err != nil {
		return
	}
	_ = s.recordFailure(ctx, account, client, b, now)
}

// RemoveSecondFactor lets whoever manages an account's organisation remove its second factor (a lost phone);
// the account's sessions end and its owner enrols again at the next sign-in. Audited.
func (s *Service) RemoveSecondFactor(ctx context.Context, actor access.Actor, staffID string) error {
	st, err := s.DB.Staff(ctx, staffID)
	if err != nil {
		return err
	}
	if err := actor.Check(access.StaffManage, st.OrgPath); err != nil {
		return err
	}
	defer s.forgetSessions(st.ID)
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.RemoveSecondFactor(actor, st) })
}
