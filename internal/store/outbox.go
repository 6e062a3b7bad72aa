package store

import (
	"context"
	"errors"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Message is one message in the outbox. A message queued since migration 074 keeps what it says (Args, the
// service's JSON of a catalog key and its arguments) and no Body; the service renders the text in Lang when
// it sends or shows it. One queued before keeps its rendered Body and no Args.
type Message struct {
	ID       string
	CaseID   string
	Phone    string
	Lang     string
	Template string
	Args     string
	Body     string
	Attempts int
	Receipt  string // what the sender recorded when it went out ("" until then)
}

// Enqueue adds a message to an applicant (channel sms) in the transaction of the move that causes it.
func (tx *Tx) Enqueue(m Message) error {
	err := tx.execLater(nil, `INSERT INTO outbox (id, case_id, phone, lang, template, args, body, attempts, next_at, created_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'sms')`,
		ids.New(), nullIfEmpty(m.CaseID), m.Phone, m.Lang, m.Template, nullIfEmpty(m.Args), m.Body, tx.now, tx.now)
	tx.wake("sms")
	return errs.Wrap(err, "enqueue")
}

// The outbox's senders poll every interval for what another instance wrote, but what this instance writes
// wakes its own sender as the transaction commits: a move's record leaves in milliseconds, not at the next
// poll (issue 15: the push's lag from move to receipt).

// wake has the channel's sender woken once the transaction commits.
func (tx *Tx) wake(channel string) {
	if tx.woken == nil {
		tx.woken = map[string]bool{}
	}
	if tx.woken[channel] {
		return
	}
	tx.woken[channel] = true
	tx.afterCommit = append(tx.afterCommit, func() {
		select {
		case tx.db.wakes(channel) <- struct{}{}:
		default: // a wake is pending already: the sender will see this record too
		}
	})
}

// Woken is signalled when a transaction of this instance committed a record of the channel.
func (db *DB) Woken(channel string) <-chan struct{} { return db.wakes(channel) }

func (db *DB) wakes(channel string) chan struct{} {
	c, _ := db.wake.LoadOrStore(channel, make(chan struct{}, 1))
	return c.(chan struct{})
}

const messageCols = `id, COALESCE(case_id, ''), phone, lang, template, COALESCE(args, ''), body, attempts, receipt`

func (db *DB) messages(ctx context.Context, q string, args ...any) ([]Message, error) {
	rows, err := db.query(ctx, q, args...)
	return collect(rows, err, func(row interface{ Scan(...any) error }) (Message, error) {
		var m Message
		err := row.Scan(&m.ID, &m.CaseID, &m.Phone, &m.Lang, &m.Template, &m.Args, &m.Body, &m.Attempts, &m.Receipt)
		return m, err
	})
}

// Messages lists a case's messages, as kept: the service renders their text (Service.Messages).
func (db *DB) Messages(ctx context.Context, caseID string) ([]Message, error) {
	return db.messages(ctx, `SELECT `+messageCols+` FROM outbox WHERE case_id = ? AND channel = 'sms' ORDER BY created_at, id`, caseID)
}

// UnsentCount counts messages to applicants not yet delivered.
func (db *DB) UnsentCount(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND channel = 'sms'`).Scan(&n)
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
// never repeat. A notice that says word for word what another notice of the case says (same names it, the
// 告知承诺书 beside its 受理通知书) keeps no doc of its own but refers to that one's (migration 075): it is
// read with that doc, and a notice once issued never changes.
func (tx *Tx) IssueNotice(c cases.Case, kind, prefix string, year int, doc string, same Notice) (Notice, error) {
	series := NoticeSeries(prefix, kind, year)
	_, no, err := tx.Take(series)
	if err != nil {
		return Notice{}, err
	}
	nt := Notice{ID: ids.New(), CaseID: c.ID, Kind: kind, No: no, Code: ids.Token(10), Issued: tx.now, Doc: doc}
	own, paperOf := doc, any(nil)
	if same.ID != "" {
		if same.CaseID != c.ID || same.Doc != doc {
			return Notice{}, errs.Wrap(errors.New("a notice refers to a paper it does not say"), "notice")
		}
		own, paperOf = "", same.ID
	} else if own, err = tx.db.leavePaper(tx.queryRow, c, doc); err != nil {
		return Notice{}, err
	}
	// written with the transaction's next statement (later.go): a number in use comes back from there
	err = tx.execLater(func(err error) error { return tx.refusedNumber(series, err) },
		`INSERT INTO notices (id, case_id, kind, notice_no, verify_code, issued_at, doc, paper_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		nt.ID, nt.CaseID, nt.Kind, nt.No, nt.Code, nt.Issued, tx.d.packJSON(own), paperOf)
	return nt, errs.Wrap(err, "notice")
}

// kindShort is the part of a notice number that names its kind (机关简称 + 文书性质 + 〔年份〕 + 顺序号).
var kindShort = map[string]string{"correction": "补正", "accept": "受理", "accept_owed": "容缺", "refuse": "不予受理", "grant": "准予", "deny": "不予", "delivery": "送达", "extension": "延期",
	"pledge": "承诺", "revoke": "撤销"}

// noticeCols read a notice with its doc, the doc of the notice it refers to when it keeps none (paper_of).
const noticeCols = `n.id, n.case_id, n.kind, n.notice_no, n.verify_code, n.issued_at, COALESCE(p.doc, n.doc) FROM notices n LEFT JOIN notices p ON p.id = n.paper_of`

func scanNotice(row interface{ Scan(...any) error }) (Notice, error) {
	var n Notice
	err := row.Scan(&n.ID, &n.CaseID, &n.Kind, &n.No, &n.Code, &n.Issued, unpacked{&n.Doc})
	return n, err
}

// whole is the notice with what it says read whole (fillPaper: its materials from its case's item version).
func (db *DB) whole(ctx context.Context, n Notice, err error) (Notice, error) {
	if err != nil {
		return Notice{}, notFoundOrNil(err, "notice")
	}
	row := db.rowsOn(ctx)
	n.Doc, err = db.fillPaper(row, caseItem(row, n.CaseID), n.Doc)
	return n, err
}

// NoticeByCode finds a notice by its verification code.
func (db *DB) NoticeByCode(ctx context.Context, code string) (Notice, error) {
	n, err := scanNotice(db.queryRow(ctx, `SELECT `+noticeCols+` WHERE n.verify_code = ?`, code))
	return db.whole(ctx, n, err)
}

// NoticeByID reads one notice.
func (db *DB) NoticeByID(ctx context.Context, id string) (Notice, error) {
	n, err := scanNotice(db.queryRow(ctx, `SELECT `+noticeCols+` WHERE n.id = ?`, id))
	return db.whole(ctx, n, err)
}

// NoticeList lists a case's notices, oldest first, without what they say (Doc empty): what a case's page and
// the API list, each notice being read on its own (NoticeByID). It neither unpacks nor fills the papers.
func (db *DB) NoticeList(ctx context.Context, caseID string) ([]Notice, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, kind, notice_no, verify_code, issued_at FROM notices WHERE case_id = ? ORDER BY issued_at, notice_no`, caseID)
	return collect(rows, err, func(row interface{ Scan(...any) error }) (Notice, error) {
		var n Notice
		err := row.Scan(&n.ID, &n.CaseID, &n.Kind, &n.No, &n.Code, &n.Issued)
		return n, err
	})
}

// NoticesOf lists a case's notices, oldest first, each with what it says read whole (for tools and tests;
// the pages list NoticeList and read each notice on its own).
func (db *DB) NoticesOf(ctx context.Context, caseID string) ([]Notice, error) {
	rows, err := db.query(ctx, `SELECT `+noticeCols+` WHERE n.case_id = ? ORDER BY n.issued_at, n.notice_no`, caseID)
	list, err := collect(rows, err, scanNotice)
	if err != nil {
		return nil, err
	}
	row := db.rowsOn(ctx)
	item := caseItem(row, caseID) // one case: its item version read once, and only if a notice needs it
	for i := range list {
		if list[i].Doc, err = db.fillPaper(row, item, list[i].Doc); err != nil {
			return nil, err
		}
	}
	return list, nil
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
	return db.messages(ctx, `SELECT `+messageCols+` FROM outbox WHERE case_id IS NULL AND phone = ? AND channel = 'sms' ORDER BY created_at, id`, phone)
}
