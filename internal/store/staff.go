package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
)

const staffCols = `s.id, s.username, s.name, s.phone, s.role, s.org_id, o.path, s.lang, s.active, s.must_change, s.version, s.created_at`

func scanStaff(r interface{ Scan(...any) error }) (people.Staff, error) {
	var s people.Staff
	err := r.Scan(&s.ID, &s.Username, &s.Name, &s.Phone, &s.Role, &s.OrgID, &s.OrgPath, &s.Lang, &s.Active, &s.MustChangePassword, &s.Version, &s.Created)
	return s, err
}

// staffAudit is what the trail keeps of an account: never the password hash.
type staffAudit struct {
	Username, Name, Phone, Role, OrgID, Lang string
	Active, MustChange                       bool
	Version                                  int
}

func auditStaff(s people.Staff) staffAudit {
	return staffAudit{s.Username, s.Name, s.Phone, string(s.Role), s.OrgID, s.Lang, s.Active, s.MustChangePassword, s.Version}
}

// CreateStaff inserts an account with an already hashed password.
func (tx *Tx) CreateStaff(actor access.Actor, s *people.Staff, passwordHash string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.ID == "" {
		s.ID = ids.New()
	}
	o, err := tx.Org(s.OrgID)
	if err != nil {
		return errs.Field("org", "err.not_found").With("what", "org")
	}
	s.OrgPath, s.Version, s.Created, s.Active = o.Path, 1, tx.now, true
	_, err = tx.exec(`INSERT INTO staff (id, username, name, phone, role, org_id, password_hash, lang, active, must_change, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Username, s.Name, s.Phone, s.Role, s.OrgID, passwordHash, s.Lang, true, s.MustChangePassword, 1, tx.now, tx.now)
	if tx.d.isUnique(err) {
		return errs.Field("username", "err.username.taken")
	}
	if err != nil {
		return errs.Wrap(err, "insert staff")
	}
	return tx.Audit(actor, "staff.create", "staff", s.ID, s.OrgID, nil, auditStaff(*s))
}

// Staff reads one account.
func (db *DB) Staff(ctx context.Context, id string) (people.Staff, error) {
	s, err := scanStaff(db.queryRow(ctx, `SELECT `+staffCols+` FROM staff s JOIN orgs o ON o.id = s.org_id WHERE s.id = ?`, id))
	if err != nil {
		return s, notFound(err, "staff")
	}
	return s, nil
}

// StaffIn lists the accounts of a subtree, by organisation then username.
func (db *DB) StaffIn(ctx context.Context, rootPath string) ([]people.Staff, error) {
	lo, hi := subtreeRange(rootPath)
	rows, err := db.query(ctx, `SELECT `+staffCols+` FROM staff s JOIN orgs o ON o.id = s.org_id WHERE o.path >= ? AND o.path < ? ORDER BY o.path, s.username`, lo, hi)
	return collect(rows, err, scanStaff)
}

// Credentials is what a login needs to know about an account.
type Credentials struct {
	Staff        people.Staff
	PasswordHash string
	Failed       int
	LockedUntil  time.Time
}

// CredentialsByUsername reads the account behind a login attempt.
func (db *DB) CredentialsByUsername(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	var locked sql.NullTime
	row := db.queryRow(ctx, `SELECT `+staffCols+`, s.password_hash, s.failed_logins, s.locked_until FROM staff s JOIN orgs o ON o.id = s.org_id WHERE s.username = ?`, username)
	err := row.Scan(&c.Staff.ID, &c.Staff.Username, &c.Staff.Name, &c.Staff.Phone, &c.Staff.Role, &c.Staff.OrgID, &c.Staff.OrgPath, &c.Staff.Lang, &c.Staff.Active, &c.Staff.MustChangePassword, &c.Staff.Version, &c.Staff.Created, &c.PasswordHash, &c.Failed, &locked)
	if err != nil {
		return c, notFound(err, "staff")
	}
	if locked.Valid {
		c.LockedUntil = locked.Time
	}
	return c, nil
}

// PasswordHash reads the hash of one account (for a password change).
func (db *DB) PasswordHash(ctx context.Context, staffID string) (string, error) {
	var h string
	err := db.queryRow(ctx, `SELECT password_hash FROM staff WHERE id = ?`, staffID).Scan(&h)
	return h, notFoundOrNil(err, "staff")
}

func notFoundOrNil(err error, what string) error {
	if err == nil {
		return nil
	}
	return notFound(err, what)
}

// Session is a server-side login session. Only the hash of its token is stored.
type Session struct {
	Token   string // only known at creation
	StaffID string
	CSRF    string
	Expires time.Time
	// SecondFactor says the session was opened (or its account enrolled) with a second factor.
	SecondFactor bool
	// Seen is the session's last recorded use (idle timeout); its start when never touched.
	Seen time.Time
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// StartSession clears the failure count of a successful login and opens a session.
func (tx *Tx) StartSession(s people.Staff, ttl time.Duration) (Session, error) {
	return tx.StartSessionWith(s, ttl, false)
}

// StartSessionWith opens a session, saying whether the sign-in gave a second factor.
func (tx *Tx) StartSessionWith(s people.Staff, ttl time.Duration, secondFactor bool) (Session, error) {
	sess := Session{Token: ids.Token(32), StaffID: s.ID, CSRF: ids.Token(16), Expires: tx.now.Add(ttl), SecondFactor: secondFactor, Seen: tx.now}
	if _, err := tx.exec(`UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = ?`, s.ID); err != nil {
		return sess, errs.Wrap(err, "login reset")
	}
	if _, err := tx.exec(`INSERT INTO sessions (token_hash, staff_id, csrf, created_at, expires_at, second_factor, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		hashToken(sess.Token), s.ID, sess.CSRF, tx.now, sess.Expires, secondFactor, tx.now); err != nil {
		return sess, errs.Wrap(err, "insert session")
	}
	return sess, tx.Audit(s.Actor(), "session.start", "staff", s.ID, s.OrgID, nil, nil)
}

// SessionStaff resolves a session token to its account; expired sessions and inactive accounts are refused.
func (db *DB) SessionStaff(ctx context.Context, token string) (people.Staff, Session, error) {
	var sess Session
	var s people.Staff
	var seen sql.NullTime
	row := db.queryRow(ctx, `SELECT `+staffCols+`, x.csrf, x.expires_at, x.second_factor, x.seen_at FROM sessions x JOIN staff s ON s.id = x.staff_id JOIN orgs o ON o.id = s.org_id WHERE x.token_hash = ?`, hashToken(token))
	err := row.Scan(&s.ID, &s.Username, &s.Name, &s.Phone, &s.Role, &s.OrgID, &s.OrgPath, &s.Lang, &s.Active, &s.MustChangePassword, &s.Version, &s.Created, &sess.CSRF, &sess.Expires, &sess.SecondFactor, &seen)
	if err != nil {
		if err == sql.ErrNoRows {
			return s, sess, errs.New(errs.Unauthenticated, "err.session")
		}
		return s, sess, errs.Wrap(err, "session")
	}
	if !s.Active || db.Now().After(sess.Expires) {
		return s, sess, errs.New(errs.Unauthenticated, "err.session")
	}
	sess.StaffID = s.ID
	sess.Seen = seen.Time // a session from before migration 022 was never touched: counted as used now
	if !seen.Valid {
		sess.Seen = db.Now()
	}
	return s, sess, nil
}

// EndSession deletes a session (logout).
func (tx *Tx) EndSession(token string) error {
	if _, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ?`, hashToken(token)); err != nil {
		return errs.Wrap(err, "end session")
	}
	return tx.Changed(CacheSessions) // other instances forget the session they may hold
}

// SetPassword replaces the hash, ends every other session of the account, and audits the change (without
// the hash).
func (tx *Tx) SetPassword(actor access.Actor, staffID, hash, keepToken string) error {
	res, err := tx.exec(`UPDATE staff SET password_hash = ?, must_change = ?, version = version + 1, updated_at = ? WHERE id = ?`, hash, false, tx.now, staffID)
	if err != nil {
		return errs.Wrap(err, "set password")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.NotFound, "err.not_found").With("what", "staff")
	}
	if _, err := tx.exec(`DELETE FROM sessions WHERE staff_id = ? AND token_hash <> ?`, staffID, hashToken(keepToken)); err != nil {
		return errs.Wrap(err, "end sessions")
	}
	if err := tx.Changed(CacheSessions); err != nil {
		return err
	}
	return tx.Audit(actor, "staff.password", "staff", staffID, actor.OrgID, nil, map[string]string{"password": "changed"})
}

// SetLang stores an account's preferred language.
func (tx *Tx) SetLang(actor access.Actor, lang string) error {
	if _, err := tx.exec(`UPDATE staff SET lang = ? WHERE id = ?`, lang, actor.ID); err != nil {
		return errs.Wrap(err, "set lang")
	}
	if err := tx.Changed(CacheSessions); err != nil {
		return err
	}
	return tx.Audit(actor, "staff.lang", "staff", actor.ID, actor.OrgID, nil, map[string]string{"lang": lang})
}

// CountStaff counts accounts (for "is there an administrator yet").
func (db *DB) CountStaff(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM staff`).Scan(&n)
	return n, err
}
