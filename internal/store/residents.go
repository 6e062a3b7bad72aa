package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
)

// Residents' own accounts (the online channel): their own table and their own sessions, never the staff's.

const residentCols = `r.id, r.id_number, r.name, r.phone, r.org_id, o.path, r.applicant_id, r.lang, r.version, r.created_at, r.identity`

func scanResident(row interface{ Scan(...any) error }, extra ...any) (people.ResidentAccount, error) {
	var r people.ResidentAccount
	err := row.Scan(append([]any{&r.ID, &r.IDNumber, &r.Name, &r.Phone, &r.OrgID, &r.OrgPath, &r.ApplicantID, &r.Lang, &r.Version, &r.Created, &r.Identity}, extra...)...)
	return r, err
}

// residentAudit is what the trail keeps of an account: never the password hash.
type residentAudit struct {
	IDNumber, Name, Phone, OrgID, ApplicantID, Identity string
}

// ApplicantByIDNumber finds the applicant record of an ID number, inside the transaction.
func (tx *Tx) ApplicantByIDNumber(idNumber string) (people.Applicant, error) {
	a, err := scanApplicant(tx.queryRow(`SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE a.id_number = ?`, idNumber))
	if err != nil {
		return a, notFound(err, "applicant")
	}
	return a, nil
}

// CreateResident inserts a validated account with an already hashed password. r.ApplicantID must be set.
func (tx *Tx) CreateResident(r *people.ResidentAccount, passwordHash string) error {
	if r.ID == "" {
		r.ID = ids.New()
	}
	o, err := tx.Org(r.OrgID)
	if err != nil {
		return errs.Field("org", "err.not_found").With("what", "org")
	}
	r.OrgPath, r.Version, r.Created = o.Path, 1, tx.now
	if r.Identity == "" {
		r.Identity = people.IdentityUnverified
	}
	_, err = tx.exec(`INSERT INTO residents (id, id_number, name, phone, org_id, applicant_id, password_hash, lang, version, created_at, updated_at, identity)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.IDNumber, r.Name, r.Phone, r.OrgID, r.ApplicantID, passwordHash, r.Lang, 1, tx.now, tx.now, r.Identity)
	if tx.d.isUnique(err) {
		return errs.Field("id_number", "err.resident.taken")
	}
	if err != nil {
		return errs.Wrap(err, "insert resident")
	}
	return tx.Audit(r.Actor(), "resident.register", "resident", r.ID, r.OrgID, nil, residentAudit{r.IDNumber, r.Name, r.Phone, r.OrgID, r.ApplicantID, r.Identity})
}

// Resident reads one account.
func (db *DB) Resident(ctx context.Context, id string) (people.ResidentAccount, error) {
	r, err := scanResident(db.queryRow(ctx, `SELECT `+residentCols+` FROM residents r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?`, id))
	if err != nil {
		return r, notFound(err, "resident")
	}
	return r, nil
}

// ResidentCredentials is what a resident's login needs to know about the account.
type ResidentCredentials struct {
	Resident     people.ResidentAccount
	PasswordHash string
	LockedUntil  time.Time
}

// ResidentCredentialsByIDNumber reads the account behind a login attempt.
func (db *DB) ResidentCredentialsByIDNumber(ctx context.Context, idNumber string) (ResidentCredentials, error) {
	var c ResidentCredentials
	var locked sql.NullTime
	r, err := scanResident(db.queryRow(ctx, `SELECT `+residentCols+`, r.password_hash, r.locked_until FROM residents r JOIN orgs o ON o.id = r.org_id WHERE r.id_number = ?`, idNumber),
		&c.PasswordHash, &locked)
	if err != nil {
		return c, notFound(err, "resident")
	}
	c.Resident = r
	if locked.Valid {
		c.LockedUntil = locked.Time
	}
	return c, nil
}

// StartResidentSession clears the failure count of a successful login and opens a resident session. Its token
// starts with ResidentTokenPrefix, so that a request says which kind of session it carries.
func (tx *Tx) StartResidentSession(r people.ResidentAccount, ttl time.Duration) (Session, error) {
	sess := Session{Token: ResidentTokenPrefix + ids.Token(32), StaffID: "", CSRF: ids.Token(16), Expires: tx.now.Add(ttl), Seen: tx.now}
	if _, err := tx.exec(`UPDATE residents SET failed_logins = 0, locked_until = NULL WHERE id = ?`, r.ID); err != nil {
		return sess, errs.Wrap(err, "login reset")
	}
	if _, err := tx.exec(`INSERT INTO resident_sessions (token_hash, resident_id, csrf, created_at, expires_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
		hashToken(sess.Token), r.ID, sess.CSRF, tx.now, sess.Expires, tx.now); err != nil {
		return sess, errs.Wrap(err, "insert session")
	}
	return sess, tx.Audit(r.Actor(), "resident.session.start", "resident", r.ID, r.OrgID, nil, nil)
}

// ResidentTokenPrefix marks a resident's session token.
const ResidentTokenPrefix = "r_"

// SessionResident resolves a resident session token; expired sessions are refused.
func (db *DB) SessionResident(ctx context.Context, token string) (people.ResidentAccount, Session, error) {
	var sess Session
	var seen sql.NullTime
	r, err := scanResident(db.queryRow(ctx, `SELECT `+residentCols+`, x.csrf, x.expires_at, x.seen_at FROM resident_sessions x JOIN residents r ON r.id = x.resident_id
		JOIN orgs o ON o.id = r.org_id WHERE x.token_hash = ?`, hashToken(token)), &sess.CSRF, &sess.Expires, &seen)
	if err != nil {
		if err == sql.ErrNoRows {
			return r, sess, errs.New(errs.Unauthenticated, "err.session")
		}
		return r, sess, errs.Wrap(err, "session")
	}
	if db.Now().After(sess.Expires) {
		return r, sess, errs.New(errs.Unauthenticated, "err.session")
	}
	sess.Seen = seen.Time
	if !seen.Valid { // a session from before migration 022: counted as used now
		sess.Seen = db.Now()
	}
	return r, sess, nil
}

// EndResidentSession deletes a resident session (logout).
func (tx *Tx) EndResidentSession(token string) error {
	_, err := tx.exec(`DELETE FROM resident_sessions WHERE token_hash = ?`, hashToken(token))
	return errs.Wrap(err, "end session")
}

// LinkResidentCase records that a resident handed a case in online.
func (tx *Tx) LinkResidentCase(residentID, caseID string) error {
	_, err := tx.exec(`INSERT INTO resident_cases (resident_id, case_id, created_at) VALUES (?, ?, ?)`, residentID, caseID, tx.now)
	return errs.Wrap(err, "resident case")
}

// ResidentCases lists the cases a resident handed in online, newest first.
func (db *DB) ResidentCases(ctx context.Context, residentID string, limit int) ([]cases.Case, error) {
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM resident_cases x JOIN cases c ON c.id = x.case_id
		WHERE x.resident_id = ? ORDER BY c.received_at DESC, c.case_no DESC LIMIT ?`, residentID, limit)
}

// ResidentHasCase reports whether a resident handed a case in.
func (db *DB) ResidentHasCase(ctx context.Context, residentID, caseID string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM resident_cases WHERE resident_id = ? AND case_id = ?`, residentID, caseID).Scan(&n)
	return n > 0, err
}

// PendingRegistration is a registration waiting for the SMS code sent to the phone on record, in the client
// holding its ticket (only the ticket's hash is kept).
type PendingRegistration struct {
	IDNumber   string
	TicketHash string
	CodeHash   string
	Doc        string // JSON: what was typed, the password only as its hash
	Failures   int
	Expires    time.Time
}

// SetPendingRegistration stores a pending registration beside any other of the same ID number: each client's
// attempt waits for its own code, and none replaces another's.
func (tx *Tx) SetPendingRegistration(p PendingRegistration) error {
	if _, err := tx.exec(`DELETE FROM registration_codes WHERE expires_at < ?`, tx.now); err != nil {
		return errs.Wrap(err, "registration code")
	}
	_, err := tx.exec(`INSERT INTO registration_codes (id_number, ticket_hash, code_hash, doc, failures, expires_at) VALUES (?, ?, ?, ?, 0, ?)`,
		p.IDNumber, p.TicketHash, p.CodeHash, p.Doc, p.Expires)
	return errs.Wrap(err, "registration code")
}

// PendingRegistrationToTry reads, in the transaction that tries its code, the pending registration of an ID
// number started by the client holding the ticket, the row held to the transaction's end (PostgreSQL; SQLite's
// one writer holds it already); NotFound when none, expired, or out of tries.
func (tx *Tx) PendingRegistrationToTry(idNumber, ticketHash string, max int) (PendingRegistration, error) {
	p := PendingRegistration{IDNumber: idNumber, TicketHash: ticketHash}
	err := tx.queryRow(`SELECT code_hash, doc, failures, expires_at FROM registration_codes WHERE id_number = ? AND ticket_hash = ?`+tx.d.forUpdate,
		idNumber, ticketHash).Scan(&p.CodeHash, &p.Doc, &p.Failures, &p.Expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (tx.now.After(p.Expires) || p.Failures >= max)) {
		return p, errs.New(errs.NotFound, "err.not_found").With("what", "registration")
	}
	return p, errs.Wrap(err, "registration code")
}

// PendingRegistrationFailed counts a wrong code; at max the pending registration ends.
func (tx *Tx) PendingRegistrationFailed(p PendingRegistration, max int) error {
	if _, err := tx.exec(`UPDATE registration_codes SET failures = failures + 1 WHERE id_number = ? AND ticket_hash = ?`, p.IDNumber, p.TicketHash); err != nil {
		return errs.Wrap(err, "registration code")
	}
	_, err := tx.exec(`DELETE FROM registration_codes WHERE id_number = ? AND ticket_hash = ? AND failures >= ?`, p.IDNumber, p.TicketHash, max)
	return errs.Wrap(err, "registration code")
}

// EndPendingRegistration deletes the pending registrations of an ID number once one is confirmed: the number
// has its account, and the others' codes mean nothing now.
func (tx *Tx) EndPendingRegistration(idNumber string) error {
	_, err := tx.exec(`DELETE FROM registration_codes WHERE id_number = ?`, idNumber)
	return errs.Wrap(err, "registration code")
}

// UnaskedMessages counts the unasked messages sent to a phone since each of two instants (people.MayText),
// forgetting every phone's older than the earlier (the table holds a day of such messages, no more). The
// phone is held to the end of the transaction first (holdKey), so that requests arriving together from many
// addresses count one after the other.
func (tx *Tx) UnaskedMessages(phone string, hour, day time.Time) (lastHour, lastDay int, err error) {
	if err := tx.holdKey("bianmin.unasked", phone); err != nil {
		return 0, 0, errs.Wrap(err, "unasked messages")
	}
	if _, err := tx.exec(`DELETE FROM unasked_messages WHERE sent_at < ?`, day); err != nil {
		return 0, 0, errs.Wrap(err, "unasked messages")
	}
	err = tx.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN sent_at >= ? THEN 1 ELSE 0 END), 0) FROM unasked_messages WHERE phone = ?`, hour, phone).Scan(&lastDay, &lastHour)
	return lastHour, lastDay, errs.Wrap(err, "unasked messages")
}

// CountUnasked records an unasked message to a phone.
func (tx *Tx) CountUnasked(phone, template string) error {
	_, err := tx.exec(`INSERT INTO unasked_messages (phone, template, sent_at) VALUES (?, ?, ?)`, phone, template, tx.now)
	return errs.Wrap(err, "unasked messages")
}

// SetResidentIdentity records how an account's owner was shown to hold its ID number. Audited.
func (tx *Tx) SetResidentIdentity(actor access.Actor, r people.ResidentAccount, identity string) error {
	if _, err := tx.exec(`UPDATE residents SET identity = ?, version = version + 1, updated_at = ? WHERE id = ?`, identity, tx.now, r.ID); err != nil {
		return errs.Wrap(err, "resident identity")
	}
	return tx.Audit(actor, "resident.identity", "resident", r.ID, r.OrgID, map[string]string{"identity": r.Identity}, map[string]string{"identity": identity})
}

// ResidentByIDNumber reads the account that holds an ID number, inside the transaction.
func (tx *Tx) ResidentByIDNumber(idNumber string) (people.ResidentAccount, error) {
	r, err := scanResident(tx.queryRow(`SELECT `+residentCols+` FROM residents r JOIN orgs o ON o.id = r.org_id WHERE r.id_number = ?`, idNumber))
	if err != nil {
		return r, notFound(err, "resident")
	}
	return r, nil
}

// ResidentOfCase reads the account that handed a case in online; NotFound for a case taken in elsewhere.
func (db *DB) ResidentOfCase(ctx context.Context, caseID string) (people.ResidentAccount, error) {
	r, err := scanResident(db.queryRow(ctx, `SELECT `+residentCols+` FROM resident_cases x JOIN residents r ON r.id = x.resident_id JOIN orgs o ON o.id = r.org_id WHERE x.case_id = ?`, caseID))
	if err != nil {
		return r, notFound(err, "resident")
	}
	return r, nil
}

// CountResidentCases counts the cases an account handed in online.
func (db *DB) CountResidentCases(ctx context.Context, residentID string) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM resident_cases WHERE resident_id = ?`, residentID).Scan(&n)
	return n, errs.Wrap(err, "resident cases")
}

// ReclaimIDNumber takes an ID number back from the account that holds it (the owner, seen at a window, says it
// is not theirs): the account keeps its history under a retired number and can no longer sign in; its
// sessions end. The owner then registers, bound to the phone on record. Audited.
func (tx *Tx) ReclaimIDNumber(actor access.Actor, r people.ResidentAccount) error {
	retired := r.IDNumber + "#reclaimed-" + r.ID
	if _, err := tx.exec(`UPDATE residents SET id_number = ?, password_hash = '!', version = version + 1, updated_at = ? WHERE id = ?`, retired, tx.now, r.ID); err != nil {
		return errs.Wrap(err, "reclaim")
	}
	if _, err := tx.exec(`DELETE FROM resident_sessions WHERE resident_id = ?`, r.ID); err != nil {
		return errs.Wrap(err, "reclaim")
	}
	return tx.Audit(actor, "resident.reclaim", "resident", r.ID, r.OrgID, map[string]string{"id_number": r.IDNumber}, map[string]string{"id_number": retired})
}
