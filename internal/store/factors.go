package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
)

// Second factor, sign-in challenges, password history and idle sessions (migration 022).

// SecondFactor is an account's enrolled TOTP secret, as stored (sealed), and the last step used.
type SecondFactor struct {
	Sealed   string
	LastStep uint64
	Enrolled time.Time
}

// SecondFactor reads an account's second factor; ok is false when it has none.
func (db *DB) SecondFactor(ctx context.Context, staffID string) (SecondFactor, bool, error) {
	var f SecondFactor
	var step int64
	err := db.queryRow(ctx, `SELECT secret, last_step, enrolled_at FROM second_factors WHERE staff_id = ?`, staffID).Scan(&f.Sealed, &step, &f.Enrolled)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	f.LastStep = uint64(step)
	return f, err == nil, errs.Wrap(err, "second factor")
}

// EnrolSecondFactor stores a confirmed secret and the recovery codes' hashes (replacing earlier ones), marks the
// enrolling session as opened with a second factor, and audits the enrolment (never the secret or codes).
func (tx *Tx) EnrolSecondFactor(actor access.Actor, staffID, sealed string, step uint64, codeHashes []string, token string) error {
	if _, err := tx.exec(`DELETE FROM second_factors WHERE staff_id = ?`, staffID); err != nil {
		return errs.Wrap(err, "second factor")
	}
	if _, err := tx.exec(`DELETE FROM recovery_codes WHERE staff_id = ?`, staffID); err != nil {
		return errs.Wrap(err, "recovery codes")
	}
	if _, err := tx.exec(`INSERT INTO second_factors (staff_id, secret, last_step, enrolled_at) VALUES (?, ?, ?, ?)`, staffID, sealed, int64(step), tx.now); err != nil {
		return errs.Wrap(err, "second factor")
	}
	for _, h := range codeHashes {
		if _, err := tx.exec(`INSERT INTO recovery_codes (staff_id, code_hash) VALUES (?, ?)`, staffID, h); err != nil {
			return errs.Wrap(err, "recovery codes")
		}
	}
	if _, err := tx.exec(`UPDATE sessions SET second_factor = ? WHERE token_hash = ?`, true, hashToken(token)); err != nil {
		return errs.Wrap(err, "session")
	}
	if err := tx.Changed(CacheSessions); err != nil {
		return err
	}
	return tx.Audit(actor, "staff.2fa.enrol", "staff", staffID, actor.OrgID, nil, map[string]any{"method": "totp", "recovery_codes": len(codeHashes)})
}

// RemoveSecondFactor deletes an account's second factor and recovery codes and ends its sessions: an
// administrator's answer to a lost phone. Audited.
func (tx *Tx) RemoveSecondFactor(actor access.Actor, st people.Staff) error {
	for _, q := range []string{`DELETE FROM second_factors WHERE staff_id = ?`, `DELETE FROM recovery_codes WHERE staff_id = ?`,
		`DELETE FROM signin_challenges WHERE staff_id = ?`, `DELETE FROM sessions WHERE staff_id = ?`} {
		if _, err := tx.exec(q, st.ID); err != nil {
			return errs.Wrap(err, "remove second factor")
		}
	}
	if err := tx.Changed(CacheSessions); err != nil {
		return err
	}
	return tx.Audit(actor, "staff.2fa.remove", "staff", st.ID, st.OrgID, nil, map[string]string{"username": st.Username})
}

// UseTOTPStep records a step as used, only when it is newer than the last one used: of two sign-ins with the
// same code (a replay, or a race) one wins.
func (tx *Tx) UseTOTPStep(staffID string, step uint64) (bool, error) {
	res, err := tx.exec(`UPDATE second_factors SET last_step = ? WHERE staff_id = ? AND last_step < ?`, int64(step), staffID, int64(step))
	if err != nil {
		return false, errs.Wrap(err, "use step")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// UseRecoveryCode spends a recovery code; false when it is unknown or already spent.
func (tx *Tx) UseRecoveryCode(staffID, codeHash string) (bool, error) {
	res, err := tx.exec(`UPDATE recovery_codes SET used_at = ? WHERE staff_id = ? AND code_hash = ? AND used_at IS NULL`, tx.now, staffID, codeHash)
	if err != nil {
		return false, errs.Wrap(err, "recovery code")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecoveryCodesLeft counts an account's unspent recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, staffID string) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE staff_id = ? AND used_at IS NULL`, staffID).Scan(&n)
	return n, errs.Wrap(err, "recovery codes")
}

// Challenge is a sign-in whose password was right, waiting for its second factor.
type Challenge struct {
	StaffID  string
	Failures int
	Expires  time.Time
}

// StartChallenge opens a challenge for an account (dropping expired ones) and returns its token.
func (tx *Tx) StartChallenge(staffID string, ttl time.Duration) (string, error) {
	if _, err := tx.exec(`DELETE FROM signin_challenges WHERE expires_at < ?`, tx.now); err != nil {
		return "", errs.Wrap(err, "challenge")
	}
	token := ids.Token(32)
	_, err := tx.exec(`INSERT INTO signin_challenges (token_hash, staff_id, failures, expires_at) VALUES (?, ?, 0, ?)`, hashToken(token), staffID, tx.now.Add(ttl))
	return token, errs.Wrap(err, "challenge")
}

// Challenge reads an open challenge; NotFound when it is unknown or expired.
func (db *DB) Challenge(ctx context.Context, token string) (Challenge, error) {
	var c Challenge
	err := db.queryRow(ctx, `SELECT staff_id, failures, expires_at FROM signin_challenges WHERE token_hash = ?`, hashToken(token)).Scan(&c.StaffID, &c.Failures, &c.Expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && db.Now().After(c.Expires)) {
		return c, errs.New(errs.NotFound, "err.not_found").With("what", "challenge")
	}
	return c, errs.Wrap(err, "challenge")
}

// ChallengeFailed counts a wrong code; at max failures the challenge ends (the password must be given again).
func (tx *Tx) ChallengeFailed(token string, max int) error {
	if _, err := tx.exec(`UPDATE signin_challenges SET failures = failures + 1 WHERE token_hash = ?`, hashToken(token)); err != nil {
		return errs.Wrap(err, "challenge")
	}
	_, err := tx.exec(`DELETE FROM signin_challenges WHERE token_hash = ? AND failures >= ?`, hashToken(token), max)
	return errs.Wrap(err, "challenge")
}

// EndChallenge deletes a challenge once it has been answered.
func (tx *Tx) EndChallenge(token string) error {
	_, err := tx.exec(`DELETE FROM signin_challenges WHERE token_hash = ?`, hashToken(token))
	return errs.Wrap(err, "challenge")
}

// PasswordHistory reads the hashes of an account's last n passwords, newest first.
func (db *DB) PasswordHistory(ctx context.Context, account string, n int) ([]string, error) {
	out, err := db.queryStrings(ctx, `SELECT hash FROM password_history WHERE account = ? ORDER BY n DESC LIMIT ?`, account, n)
	return out, errs.Wrap(err, "password history")
}

// AddPasswordHistory remembers a password's hash and forgets all but the account's newest keep.
func (tx *Tx) AddPasswordHistory(account, hash string, keep int) error {
	var last int64
	if err := tx.queryRow(`SELECT COALESCE(MAX(n), 0) FROM password_history WHERE account = ?`, account).Scan(&last); err != nil {
		return errs.Wrap(err, "password history")
	}
	if _, err := tx.exec(`INSERT INTO password_history (account, n, hash, set_at) VALUES (?, ?, ?, ?)`, account, last+1, hash, tx.now); err != nil {
		return errs.Wrap(err, "password history")
	}
	_, err := tx.exec(`DELETE FROM password_history WHERE account = ? AND n <= ?`, account, last+1-int64(keep))
	return errs.Wrap(err, "password history")
}

// TouchSession records a session's use now (idle timeout).
func (tx *Tx) TouchSession(token string) error {
	_, err := tx.exec(`UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, tx.now, hashToken(token))
	return errs.Wrap(err, "touch session")
}

// TouchResidentSession records a resident session's use now.
func (tx *Tx) TouchResidentSession(token string) error {
	_, err := tx.exec(`UPDATE resident_sessions SET seen_at = ? WHERE token_hash = ?`, tx.now, hashToken(token))
	return errs.Wrap(err, "touch session")
}
