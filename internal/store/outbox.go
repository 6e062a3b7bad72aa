package store

import (
	"context"
	"fmt"
	"time"

	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Message is one message in the outbox.
type Message struct {
	ID       string
	CaseID   string
	Phone    string
	Lang     string
	Template string
	Body     string
	Attempts int
}

// Enqueue adds a message in the transaction of the move that causes it.
func (tx *Tx) Enqueue(m Message) error {
	_, err := tx.exec(`INSERT INTO outbox (id, case_id, phone, lang, template, body, attempts, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		ids.New(), nullIfEmpty(m.CaseID), m.Phone, m.Lang, m.Template, m.Body, tx.now, tx.now)
	return errs.Wrap(err, "enqueue")
}

// DueMessages lists unsent messages whose next attempt is due.
func (db *DB) DueMessages(ctx context.Context, limit int) ([]Message, error) {
	return db.messages(ctx, `SELECT `+messageCols+` FROM outbox WHERE sent_at IS NULL AND next_at <= ? ORDER BY next_at LIMIT ?`, db.Now().UTC(), limit)
}

const messageCols = `id, COALESCE(case_id, ''), phone, lang, template, body, attempts`

func (db *DB) messages(ctx context.Context, q string, args ...any) ([]Message, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.CaseID, &m.Phone, &m.Lang, &m.Template, &m.Body, &m.Attempts); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ClaimMessage takes a due message for sending by moving its next attempt a lease ahead, if no other sender
// took it first.
func (db *DB) ClaimMessage(ctx context.Context, id string, lease time.Duration) (bool, error) {
	var claimed bool
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE outbox SET next_at = ? WHERE id = ? AND sent_at IS NULL AND next_at <= ?`, tx.now.Add(lease), id, tx.now)
		if err != nil {
			return errs.Wrap(err, "claim")
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		return nil
	})
	return claimed, err
}

// MarkSent records a delivered message.
func (db *DB) MarkSent(ctx context.Context, id string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`, tx.now, id)
		return errs.Wrap(err, "mark sent")
	})
}

// MarkFailed records a failed attempt and when to try again.
func (db *DB) MarkFailed(ctx context.Context, id string, cause error, retryIn time.Duration) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?`, tx.now.Add(retryIn), fmt.Sprint(cause), id)
		return errs.Wrap(err, "mark failed")
	})
}

// Messages lists a case's messages (tests and the case page).
func (db *DB) Messages(ctx context.Context, caseID string) ([]Message, error) {
	return db.messages(ctx, `SELECT `+messageCols+` FROM outbox WHERE case_id = ? ORDER BY created_at, id`, caseID)
}

// UnsentCount counts messages not yet delivered.
func (db *DB) UnsentCount(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n)
	return n, err
}

// Notice is an issued notice. Doc is what it says (a cases.Paper as JSON), fixed when it was issued; empty
// for notices issued before notices kept it.
type Notice struct {
	ID, CaseID, Kind, No, Code string
	Issued                     time.Time
	Doc                        string
}

// IssueNotice numbers a notice (the township's prefix, the kind, 〔year〕 and a serial), gives it a
// verification code and keeps what it says. The counter is kept per printed prefix and kind, so numbers
// never repeat.
func (tx *Tx) IssueNotice(caseID, kind, prefix string, year int, doc string) (Notice, error) {
	_, no, err := tx.Take(NoticeSeries(prefix, kind, year))
	if err != nil {
		return Notice{}, err
	}
	nt := Notice{ID: ids.New(), CaseID: caseID, Kind: kind, No: no, Code: ids.Token(10), Issued: tx.now, Doc: doc}
	_, err = tx.exec(`INSERT INTO notices (id, case_id, kind, notice_no, verify_code, issued_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`, nt.ID, nt.CaseID, nt.Kind, nt.No, nt.Code, nt.Issued, nt.Doc)
	return nt, errs.Wrap(err, "notice")
}

// kindShort is the part of a notice number that names its kind (机关简称 + 文书性质 + 〔年份〕 + 顺序号).
var kindShort = map[string]string{"correction": "补正", "accept": "受理", "accept_owed": "容缺", "refuse": "不予受理", "grant": "准予", "deny": "不予", "delivery": "送达", "extension": "延期",
	"pledge": "承诺", "revoke": "撤销"}

const noticeCols = `id, case_id, kind, notice_no, verify_code, issued_at, doc`

func scanNotice(row interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	err := row.Scan(&n.ID, &n.CaseID, &n.Kind, &n.No, &n.Code, &n.Issued, &n.Doc)
	return n, err
}

// NoticeByCode finds a notice by its verification code.
func (db *DB) NoticeByCode(ctx context.Context, code string) (Notice, error) {
	n, err := scanNotice(db.queryRow(ctx, `SELECT `+noticeCols+` FROM notices WHERE verify_code = ?`, code))
	return n, notFoundOrNil(err, "notice")
}

// NoticeByID reads one notice.
func (db *DB) NoticeByID(ctx context.Context, id string) (Notice, error) {
	n, err := scanNotice(db.queryRow(ctx, `SELECT `+noticeCols+` FROM notices WHERE id = ?`, id))
	return n, notFoundOrNil(err, "notice")
}

// NoticesOf lists a case's notices, oldest first.
func (db *DB) NoticesOf(ctx context.Context, caseID string) ([]Notice, error) {
	rows, err := db.query(ctx, `SELECT `+noticeCols+` FROM notices WHERE case_id = ? ORDER BY issued_at, notice_no`, caseID)
	return collect(rows, err, scanNotice)
}

// nullIfEmpty stores "" as NULL: a message about an account (a registration code) belongs to no case.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AccountMessages lists the messages sent to a phone that belong to no case (registration codes), newest
// last: for tests and for the window that helps a resident.
func (db *DB) AccountMessages(ctx context.Context, phone string) ([]Message, error) {
	return db.messages(ctx, `SELECT `+messageCols+` FROM outbox WHERE case_id IS NULL AND phone = ? ORDER BY created_at, id`, phone)
}
