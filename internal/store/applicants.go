package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
	"bianmin/internal/stations"
)

const applicantCols = `a.id, a.kind, a.name, a.id_number, a.credit_code, a.credit_override, a.phone, a.address, a.org_id, o.path, a.version, a.created_at`

func scanApplicant(r interface{ Scan(...any) error }) (people.Applicant, error) {
	return scanApplicantWith(r)
}

// scanApplicantWith scans applicantCols and then the columns after them into more.
func scanApplicantWith(r interface{ Scan(...any) error }, more ...any) (people.Applicant, error) {
	var a people.Applicant
	err := r.Scan(append([]any{&a.ID, &a.Kind, &a.Name, &a.IDNumber, &a.CreditCode, &a.CreditOverride, &a.Phone, &a.Address, &a.OrgID, &a.OrgPath, &a.Version, &a.Created}, more...)...)
	return a, err
}

// Idempotent runs create at most once per key: a second call with the same key (a double click, a request
// retried after a dropped link) returns the id the first call made. The key is claimed first, inside the
// same transaction as the creation: a concurrent request with the same key waits on it, then finds it taken
// and the whole transaction runs again, this time returning the first request's result. A failed creation
// rolls back and leaves the key free.
func (tx *Tx) Idempotent(key, scope, actorID string, create func() (string, error)) (id string, replay bool, err error) {
	return tx.IdempotentFor(key, scope, actorID, "", create)
}

// IdempotentFor is Idempotent for a request whose content has a fingerprint (a hash of what it asked): the
// same key with another fingerprint is refused (a client reusing a key for a different request would
// otherwise silently get the first request's result). A key stored before fingerprints were kept, or used
// without one, matches any. The key keeps the fingerprint's first 32 characters (128 bits tell one actor's
// requests apart as well as 256 do, in half the room), and one kept whole before matches as it did.
func (tx *Tx) IdempotentFor(key, scope, actorID, fingerprint string, create func() (string, error)) (id string, replay bool, err error) {
	if key == "" {
		id, err = create()
		return id, false, err
	}
	if len(key) > 100 {
		return "", false, errs.Field("idempotency_key", "err.too_long").With("max", "100")
	}
	short := fingerprint // as the key keeps it
	if len(short) > fingerprintKept {
		short = short[:fingerprintKept]
	}
	// The claim comes first and looks only when it finds the key taken: a new key, nearly every request,
	// costs one statement (on PostgreSQL the one its transaction's BEGIN rides with, pgtx.go). A key held
	// by a transaction still running makes the claim wait for it; committed, the key is taken, and the look
	// after the claim (a new snapshot on PostgreSQL: READ COMMITTED) sees the first request's result.
	res, err := tx.exec(`INSERT INTO idempotency (scope, actor_id, key, result_id, created_at, fingerprint) VALUES (?, ?, ?, '', ?, ?) ON CONFLICT DO NOTHING`, scope, actorID, key, tx.now, short)
	if err != nil {
		return "", false, errs.Wrap(err, "idempotency claim")
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		var was string
		if err := tx.queryRow(`SELECT result_id, fingerprint FROM idempotency WHERE scope = ? AND actor_id = ? AND key = ?`, scope, actorID, key).Scan(&id, &was); err != nil {
			return "", false, errs.Wrap(err, "idempotency")
		}
		if was != "" && fingerprint != "" && !strings.HasPrefix(fingerprint, was) {
			return "", false, errs.Field("idempotency_key", "err.idempotency.reused")
		}
		return id, true, nil
	}
	if id, err = create(); err != nil {
		return "", false, err
	}
	// the key's row was written by a statement before: its update can ride with a later one (later.go)
	err = tx.execLater(nil, `UPDATE idempotency SET result_id = ? WHERE scope = ? AND actor_id = ? AND key = ?`, id, scope, actorID, key)
	return id, false, errs.Wrap(err, "idempotency result")
}

const fingerprintKept = 32

// IdempotentResult reads what an earlier submission with the key made.
func (db *DB) IdempotentResult(ctx context.Context, key, scope, actorID string) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT result_id FROM idempotency WHERE scope = ? AND actor_id = ? AND key = ?`, scope, actorID, key).Scan(&id)
	return id, notFoundOrNil(err, "case")
}

// CreateApplicant inserts a validated applicant.
func (tx *Tx) CreateApplicant(actor access.Actor, a *people.Applicant) error {
	if a.ID == "" {
		a.ID = ids.New()
	}
	a.Version, a.Created = 1, tx.now
	_, err := tx.exec(`INSERT INTO applicants (id, kind, name, id_number, credit_code, credit_override, phone, address, org_id, version, created_at, updated_at, name_key, id_tail, phone_tail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{a.ID, a.Kind, a.Name, a.IDNumber, a.CreditCode, a.CreditOverride, a.Phone, a.Address, a.OrgID, 1, tx.now, tx.now}, findKeys(*a)...)...)
	if tx.d.isUnique(err) {
		if a.Kind == people.Resident {
			return errs.Field("id_number", "err.idnumber.taken")
		}
		return errs.Field("credit_code", "err.creditcode.taken")
	}
	if err != nil {
		return errs.Wrap(err, "insert applicant")
	}
	if err := tx.writeTerms(a.ID, a.OrgID, a.Name); err != nil {
		return err
	}
	action := "applicant.create"
	if a.CreditOverride != "" {
		action = "applicant.create.credit_override"
	}
	return tx.Audit(actor, action, "applicant", a.ID, a.OrgID, nil, a)
}

// UpdateApplicant changes contact details and name under optimistic locking.
func (tx *Tx) UpdateApplicant(actor access.Actor, a people.Applicant, version int) error {
	before, err := scanApplicant(tx.queryRow(`SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?`, a.ID))
	if err != nil {
		return notFound(err, "applicant")
	}
	if before.Version != version {
		return errs.New(errs.Conflict, "err.conflict")
	}
	keys := findKeys(people.Applicant{Name: a.Name, IDNumber: before.IDNumber, CreditCode: before.CreditCode, Phone: a.Phone})
	res, err := tx.exec(`UPDATE applicants SET name = ?, phone = ?, address = ?, version = version + 1, updated_at = ?, name_key = ?, id_tail = ?, phone_tail = ? WHERE id = ? AND version = ?`,
		a.Name, a.Phone, a.Address, tx.now, keys[0], keys[1], keys[2], a.ID, version)
	if err != nil {
		return errs.Wrap(err, "update applicant")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	if a.Name != before.Name {
		if err := tx.writeTerms(a.ID, before.OrgID, a.Name); err != nil {
			return err
		}
	}
	after := before
	after.Name, after.Phone, after.Address, after.Version = a.Name, a.Phone, a.Address, version+1
	return tx.Audit(actor, "applicant.update", "applicant", a.ID, a.OrgID, before, after)
}

// Applicant reads one applicant (unmasked: callers mask).
func (db *DB) Applicant(ctx context.Context, id string) (people.Applicant, error) {
	a, err := scanApplicant(db.queryRow(ctx, `SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?`, id))
	if err != nil {
		return a, notFound(err, "applicant")
	}
	return a, nil
}

// ApplicantAtIntake reads an applicant with their 帮办 mark (nil when they have none) in one statement: every
// intake asks for both.
func (db *DB) ApplicantAtIntake(ctx context.Context, id string) (people.Applicant, *stations.Mark, error) {
	var doc sql.NullString
	a, err := scanApplicantWith(db.queryRow(ctx, `SELECT `+applicantCols+`, (SELECT n.doc FROM applicant_needs n WHERE n.applicant_id = a.id) FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?`, id), &doc)
	if err != nil {
		return a, nil, notFound(err, "applicant")
	}
	if !doc.Valid {
		return a, nil, nil
	}
	var m stations.Mark
	return a, &m, errs.Wrap(json.Unmarshal([]byte(doc.String), &m), "needs doc")
}

// ApplicantsIn lists the applicants of a subtree, newest first.
func (db *DB) ApplicantsIn(ctx context.Context, rootPath string, limit int) ([]people.Applicant, error) {
	lo, hi := subtreeRange(rootPath)
	rows, err := db.query(ctx, `SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id WHERE o.path >= ? AND o.path < ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?`, lo, hi, limit)
	return collect(rows, err, scanApplicant)
}

// CountApplicants counts all applicants (tests: "nothing was written").
func (db *DB) CountApplicants(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM applicants`).Scan(&n)
	return n, err
}

// CountAudit counts trail entries.
func (db *DB) CountAudit(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n)
	return n, err
}
