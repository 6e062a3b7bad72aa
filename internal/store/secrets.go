package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"bianmin/internal/errs"
)

// Secrets kept beside a case rather than in it (migration 016): the slow keyed hash of an electronic
// result's code and the wrong attempts made against it. The case document goes to every case reader, into
// notices and into the audit trail; these never do.

// SetResultCode keeps the hash of a newly sent code for a case; a former code and its count of wrong
// attempts are forgotten.
func (tx *Tx) SetResultCode(caseID, hash string) error {
	_, err := tx.exec(`INSERT INTO result_codes (case_id, hash, failures, issued_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (case_id) DO UPDATE SET hash = excluded.hash, failures = 0, issued_at = excluded.issued_at`, caseID, hash, tx.now)
	return errs.Wrap(err, "result code")
}

// ResultCode reads the hash of a case's code and how many wrong codes were tried since it was sent. A case
// without a code is not found.
func (db *DB) ResultCode(ctx context.Context, caseID string) (hash string, failures int, err error) {
	err = db.queryRow(ctx, `SELECT hash, failures FROM result_codes WHERE case_id = ?`, caseID).Scan(&hash, &failures)
	return hash, failures, notFound(err, "case")
}

// ResultCodeFailed counts one more wrong code against a case and returns the count.
func (tx *Tx) ResultCodeFailed(caseID string) (int, error) {
	var n int
	if err := tx.queryRow(`SELECT failures FROM result_codes WHERE case_id = ?`+tx.d.forUpdate, caseID).Scan(&n); err != nil {
		return 0, notFound(err, "case")
	}
	n++
	_, err := tx.exec(`UPDATE result_codes SET failures = ? WHERE case_id = ?`, n, caseID)
	return n, errs.Wrap(err, "result code failure")
}

// ResultCodeSucceeded forgets the wrong attempts made before the right code.
func (tx *Tx) ResultCodeSucceeded(caseID string) error {
	_, err := tx.exec(`UPDATE result_codes SET failures = 0 WHERE case_id = ? AND failures > 0`, caseID)
	return errs.Wrap(err, "result code")
}

// Backoff is the state of one (account, address) pair's failed sign-ins.
type Backoff struct {
	Failures int
	NextAt   time.Time // no attempt is checked before this instant
}

// LoginBackoff reads the pair's state; a pair never failed has none.
func (db *DB) LoginBackoff(ctx context.Context, account, client string) (Backoff, error) {
	var b Backoff
	err := db.queryRow(ctx, `SELECT failures, next_at FROM login_backoff WHERE account = ? AND client = ?`, account, client).Scan(&b.Failures, &b.NextAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Backoff{}, nil
	}
	return b, errs.Wrap(err, "login backoff")
}

// SetLoginBackoff records the pair's state after a failure. Pairs quiet for longer than forget are
// dropped at the same time, so that guessed names do not pile up.
func (tx *Tx) SetLoginBackoff(account, client string, b Backoff, forget time.Duration) error {
	if _, err := tx.exec(`DELETE FROM login_backoff WHERE next_at < ?`, tx.now.Add(-forget)); err != nil {
		return errs.Wrap(err, "login backoff")
	}
	_, err := tx.exec(`INSERT INTO login_backoff (account, client, failures, next_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account, client) DO UPDATE SET failures = excluded.failures, next_at = excluded.next_at`, account, client, b.Failures, b.NextAt)
	return errs.Wrap(err, "login backoff")
}

// ClearLoginBackoff forgets an account's failed sign-ins from every address (after a successful sign-in
// from one address, only that pair's).
func (tx *Tx) ClearLoginBackoff(account, client string) error {
	var err error
	if client == "" {
		_, err = tx.exec(`DELETE FROM login_backoff WHERE account = ?`, account)
	} else {
		_, err = tx.exec(`DELETE FROM login_backoff WHERE account = ? AND client = ?`, account, client)
	}
	return errs.Wrap(err, "login backoff")
}
