package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// Outgoing is one row of the outbox as its senders see it: an SMS (channel sms, no receiver, no order), a
// record for the upper platform (channel upstream) or a webhook delivery (channel webhook), in the order of
// its key for its receiver.
type Outgoing struct {
	ID         string    `json:"id"`
	Channel    string    `json:"channel"`
	ReceiverID string    `json:"receiver_id,omitempty"`
	Key        string    `json:"key,omitempty"`
	Seq        int       `json:"seq,omitempty"`
	OrgID      string    `json:"org_id,omitempty"`
	CaseID     string    `json:"case_id,omitempty"`
	Kind       string    `json:"kind"` // SMS: the template; upstream: the exchange table; webhook: the event kind
	Phone      string    `json:"-"`
	Lang       string    `json:"-"` // SMS: the languages its text is rendered in
	Args       string    `json:"-"` // SMS: what it says (Message.Args); "" when Body is its text
	Body       string    `json:"body"`
	Attempts   int       `json:"attempts"`
	Created    time.Time `json:"created"`
	Next       time.Time `json:"next"`
	Sent       time.Time `json:"sent,omitzero"`
	Parked     time.Time `json:"parked,omitzero"`
	ParkReason string    `json:"park_reason,omitempty"`
	Receipt    string    `json:"receipt,omitempty"`
	LastError  string    `json:"last_error,omitempty"`
}

const outgoingCols = `id, channel, receiver_id, order_key, seq, org_id, COALESCE(case_id, ''), template, phone, lang, COALESCE(args, ''), body, attempts, created_at, next_at, sent_at, parked_at, park_reason, receipt, last_error`

func scanOutgoing(row interface{ Scan(...any) error }) (Outgoing, error) {
	var o Outgoing
	var sent, parked sql.NullTime
	err := row.Scan(&o.ID, &o.Channel, &o.ReceiverID, &o.Key, &o.Seq, &o.OrgID, &o.CaseID, &o.Kind, &o.Phone, &o.Lang, &o.Args, &o.Body, &o.Attempts, &o.Created, &o.Next,
		&sent, &parked, &o.ParkReason, &o.Receipt, &o.LastError)
	o.Sent, o.Parked = sent.Time, parked.Time
	return o, err
}

// The lookups by key repeat the outbox_order index's condition (order_key <> ''): a partial index serves a
// query only when the query says its condition itself (PostgreSQL's generic plans, SQLite).

// Push adds a record for a receiver in the transaction of what causes it, after every earlier record of
// its key for that receiver. Moves of one case are serialised by the case's version, so two pushes never
// race for one place; the unique index of migration 051 would refuse the second if they did.
// body makes the body once the record has its id and place.
func (tx *Tx) Push(o Outgoing, body func(Outgoing) string) (Outgoing, error) {
	if o.ID == "" {
		o.ID = ids.New()
	}
	if o.Key != "" {
		var last int
		if err := tx.queryRow(`SELECT COALESCE(MAX(seq), 0) FROM outbox WHERE receiver_id = ? AND order_key = ? AND order_key <> ''`, o.ReceiverID, o.Key).Scan(&last); err != nil {
			return o, errs.Wrap(err, "push")
		}
		o.Seq = last + 1
	}
	o.Created, o.Next = tx.now, tx.now
	o.Body = body(o)
	err := tx.execLater(nil, `INSERT INTO outbox (id, channel, receiver_id, order_key, seq, org_id, case_id, template, phone, lang, body, attempts, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, 0, ?, ?)`,
		o.ID, o.Channel, o.ReceiverID, o.Key, o.Seq, o.OrgID, nullIfEmpty(o.CaseID), o.Kind, o.Body, tx.now, tx.now)
	tx.wake(o.Channel)
	return o, errs.Wrap(err, "push")
}

// Pushed reports whether a receiver was ever given a record of a key (a supervision card is pushed once).
func (tx *Tx) Pushed(receiverID, key string) (bool, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM outbox WHERE receiver_id = ? AND order_key = ? AND order_key <> ''`, receiverID, key).Scan(&n)
	return n > 0, errs.Wrap(err, "pushed")
}

// Claim takes up to limit records of a channel that are due, for one sender: each the first unsent record of
// its key (a record waits for every earlier one of its key, a parked one included), and at most one per key.
// Taking a record moves its next attempt a lease ahead, so no other sender takes it meanwhile; on PostgreSQL
// the rows are read FOR UPDATE SKIP LOCKED, so that several instances claiming at once each get rows of
// their own; SQLite has one writer.
func (db *DB) Claim(ctx context.Context, channel string, limit int, lease time.Duration) ([]Outgoing, error) {
	var out []Outgoing
	err := db.Write(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+outgoingCols+` FROM outbox o WHERE o.channel = ? AND o.sent_at IS NULL AND o.parked_at IS NULL AND o.next_at <= ?
			AND (o.order_key = '' OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.receiver_id = o.receiver_id AND p.order_key = o.order_key AND p.order_key <> '' AND p.seq < o.seq AND p.sent_at IS NULL))
			ORDER BY o.next_at, o.seq LIMIT ?`+tx.d.skipLocked, channel, tx.now, limit)
		list, err := collect(rows, err, scanOutgoing)
		if err != nil {
			return errs.Wrap(err, "claim")
		}
		out = list
		if len(list) == 0 {
			return nil
		}
		args := []any{tx.now.Add(lease)}
		for i := range out {
			out[i].Next = tx.now.Add(lease)
			args = append(args, out[i].ID)
		}
		_, err = tx.exec(`UPDATE outbox SET next_at = ? WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(out)), ",")+`)`, args...)
		return errs.Wrap(err, "claim")
	})
	return out, err
}

// Outcome is what became of one sending: a receipt (done), a refusal (parked with its reason), or a failure
// to try again after a wait.
type Outcome struct {
	ID      string
	Receipt string        // done, with the receiver's receipt
	Park    string        // refused: the reason
	Failed  string        // not done: the error
	Wait    time.Duration // when failed: until the next attempt
}

// Settle records what became of a batch, in one transaction, with one audit entry naming the receiver and
// the records it received (issue 15 point 7: each push is audited with its receiver). receiverID "" (SMS)
// writes no entry: messages are the applicant's own, each audited with its move.
func (db *DB) Settle(ctx context.Context, receiverID, orgID string, list []Outcome) error {
	return db.Write(ctx, func(tx *Tx) error {
		var done, parked []string
		var sent []Outcome
		for _, o := range list {
			var err error
			switch {
			case o.Park != "":
				_, err = tx.exec(`UPDATE outbox SET attempts = attempts + 1, parked_at = ?, park_reason = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`, tx.now, o.Park, o.Park, o.ID)
				parked = append(parked, o.ID)
			case o.Failed != "":
				_, err = tx.exec(`UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`, tx.now.Add(o.Wait), o.Failed, o.ID)
			default:
				sent = append(sent, o)
				done = append(done, o.ID)
			}
			if err != nil {
				return errs.Wrap(err, "settle")
			}
		}
		if err := tx.settleSent(sent); err != nil {
			return err
		}
		if receiverID == "" || len(done)+len(parked) == 0 {
			return nil
		}
		return tx.Audit(access.System, "outbox.push", "receiver", receiverID, orgID, nil, map[string]any{"received": done, "refused": parked})
	})
}

// settleSent marks sent records done, each with its receipt, in one statement (per 400): a sender's round
// settles in one round trip.
func (tx *Tx) settleSent(sent []Outcome) error {
	for part := range slices.Chunk(sent, 400) {
		args := make([]any, 0, 1+3*len(part))
		args = append(args, tx.now)
		for _, o := range part {
			args = append(args, o.ID, o.Receipt)
		}
		for _, o := range part {
			args = append(args, o.ID)
		}
		if _, err := tx.exec(`UPDATE outbox SET attempts = attempts + 1, sent_at = ?, receipt = CASE id`+strings.Repeat(" WHEN ? THEN ?", len(part))+` END, last_error = ''
			WHERE id IN (`+marks(len(part))+`) AND sent_at IS NULL`, args...); err != nil {
			return errs.Wrap(err, "settle")
		}
	}
	return nil
}

// Resend puts a parked record back in line, with its body corrected when body is not "" (the operator's
// fix), audited with the record before and after.
func (tx *Tx) Resend(actor access.Actor, id, body, orgID string) (Outgoing, error) {
	before, err := scanOutgoing(tx.queryRow(`SELECT `+outgoingCols+` FROM outbox WHERE id = ?`+tx.d.forUpdate, id))
	if err != nil {
		return before, notFoundOrNil(err, "outbox")
	}
	if before.Parked.IsZero() {
		return before, errs.New(errs.Conflict, "up.err.not_parked")
	}
	after := before
	if body != "" {
		after.Body = body
	}
	after.Parked, after.ParkReason, after.Next = time.Time{}, "", tx.now
	if _, err := tx.exec(`UPDATE outbox SET body = ?, parked_at = NULL, park_reason = '', next_at = ? WHERE id = ?`, after.Body, tx.now, id); err != nil {
		return before, errs.Wrap(err, "resend")
	}
	return after, tx.Audit(actor, "outbox.resend", "outbox", id, orgID, before, after)
}

// OutgoingByID reads one record.
func (db *DB) OutgoingByID(ctx context.Context, id string) (Outgoing, error) {
	o, err := scanOutgoing(db.queryRow(ctx, `SELECT `+outgoingCols+` FROM outbox WHERE id = ?`, id))
	return o, notFoundOrNil(err, "outbox")
}

// Deliveries lists a receiver's records, newest first, from before the cursor (the id of the last one read,
// "" for the first page): the delivery log. parkedOnly lists only the parked ones.
func (db *DB) Deliveries(ctx context.Context, receiverID string, parkedOnly bool, after string, limit int) ([]Outgoing, error) {
	q := `SELECT ` + outgoingCols + ` FROM outbox WHERE receiver_id = ?`
	args := []any{receiverID}
	if parkedOnly {
		q += ` AND parked_at IS NOT NULL`
	}
	if after != "" {
		q += ` AND id < ?`
		args = append(args, after)
	}
	rows, err := db.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	return collect(rows, err, scanOutgoing)
}

// OutboxCounts counts a receiver's records by where they stand.
type OutboxCounts struct {
	Pending int `json:"pending"` // not yet received, not parked
	Blocked int `json:"blocked"` // of those, waiting behind a parked record of their key
	Parked  int `json:"parked"`
	Sent    int `json:"sent"`
}

// CountOutbox counts a receiver's records.
func (db *DB) CountOutbox(ctx context.Context, receiverID string) (OutboxCounts, error) {
	var c OutboxCounts
	err := db.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND parked_at IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN parked_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM outbox WHERE receiver_id = ?`, receiverID).Scan(&c.Pending, &c.Parked, &c.Sent)
	if err != nil || c.Parked == 0 {
		return c, err
	}
	err = db.queryRow(ctx, `SELECT count(*) FROM outbox o WHERE o.receiver_id = ? AND o.sent_at IS NULL AND o.parked_at IS NULL AND o.order_key <> ''
		AND EXISTS (SELECT 1 FROM outbox p WHERE p.receiver_id = o.receiver_id AND p.order_key = o.order_key AND p.order_key <> '' AND p.seq < o.seq AND p.parked_at IS NOT NULL)`, receiverID).Scan(&c.Blocked)
	return c, err
}

// Receiver is where records go: an upper platform or a local system's webhook, set up by an organisation
// for its subtree (migration 052).
type Receiver struct {
	ID       string    `json:"id"`
	OrgID    string    `json:"org_id"`
	OrgPath  string    `json:"-"`
	Channel  string    `json:"channel"` // upstream, webhook
	Name     string    `json:"name"`
	URL      string    `json:"url"`
	Secret   string    `json:"-"` // sealed
	Events   []string  `json:"events"`
	Withheld []string  `json:"withheld"`
	Active   bool      `json:"active"`
	Version  int       `json:"version"`
	Created  time.Time `json:"created"`
}

const receiverCols = `r.id, r.org_id, g.path, r.channel, r.name, r.url, r.secret, r.events, r.withheld, r.active, r.version, r.created_at`

func scanReceiver(row interface{ Scan(...any) error }) (Receiver, error) {
	var r Receiver
	var events, withheld string
	var active int
	err := row.Scan(&r.ID, &r.OrgID, &r.OrgPath, &r.Channel, &r.Name, &r.URL, &r.Secret, &events, &withheld, &active, &r.Version, &r.Created)
	r.Events, r.Withheld, r.Active = splitList(events), splitList(withheld), active == 1
	return r, err
}

// splitList reads a comma-joined list column (never nil: an empty list is [] in JSON).
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// CreateReceiver adds a receiver, audited (without its secret).
func (tx *Tx) CreateReceiver(actor access.Actor, r Receiver) error {
	_, err := tx.exec(`INSERT INTO receivers (id, org_id, channel, name, url, secret, events, withheld, active, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
		r.ID, r.OrgID, r.Channel, r.Name, r.URL, r.Secret, strings.Join(r.Events, ","), strings.Join(r.Withheld, ","), b2i(r.Active), tx.now)
	if err != nil {
		return errs.Wrap(err, "receiver")
	}
	if err := tx.Changed(CacheReceivers); err != nil {
		return errs.Wrap(err, "receiver")
	}
	r.Secret = ""
	return tx.Audit(actor, "receiver.create", "receiver", r.ID, r.OrgID, nil, r)
}

// UpdateReceiver changes a receiver's name, address, events, withheld classes and whether it is active, if
// version is still the one read (optimistic locking); audited before and after.
func (tx *Tx) UpdateReceiver(actor access.Actor, before, r Receiver, version int) error {
	res, err := tx.exec(`UPDATE receivers SET name = ?, url = ?, events = ?, withheld = ?, active = ?, version = version + 1 WHERE id = ? AND version = ?`,
		r.Name, r.URL, strings.Join(r.Events, ","), strings.Join(r.Withheld, ","), b2i(r.Active), r.ID, version)
	if err != nil {
		return errs.Wrap(err, "receiver")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	if err := tx.Changed(CacheReceivers); err != nil {
		return errs.Wrap(err, "receiver")
	}
	before.Secret, r.Secret = "", ""
	return tx.Audit(actor, "receiver.update", "receiver", r.ID, r.OrgID, before, r)
}

// Receiver reads one receiver.
func (db *DB) Receiver(ctx context.Context, id string) (Receiver, error) {
	r, err := scanReceiver(db.queryRow(ctx, `SELECT `+receiverCols+` FROM receivers r JOIN orgs g ON g.id = r.org_id WHERE r.id = ?`, id))
	return r, notFoundOrNil(err, "receiver")
}

// Receivers lists the receivers set up within a subtree, by name.
func (db *DB) Receivers(ctx context.Context, rootPath string) ([]Receiver, error) {
	lo, hi := subtreeRange(rootPath)
	rows, err := db.query(ctx, `SELECT `+receiverCols+` FROM receivers r JOIN orgs g ON g.id = r.org_id WHERE g.path >= ? AND g.path < ? ORDER BY r.name, r.id`, lo, hi)
	return collect(rows, err, scanReceiver)
}

// The active receivers (DB.receivers) are read by every move and seldom changed by an administrator: they
// are kept as the organisations are (CacheReceivers; their paths too, so an organisation's change drops them).

// ActiveReceivers lists, in the transaction of a move, the active receivers: kept, or read (in the
// transaction) and kept; a transaction that changed receivers reads them and keeps nothing.
func (tx *Tx) ActiveReceivers() ([]Receiver, error) {
	read := func() ([]Receiver, error) {
		rows, err := tx.query(`SELECT ` + receiverCols + ` FROM receivers r JOIN orgs g ON g.id = r.org_id WHERE r.active = 1 ORDER BY r.id`)
		return collect(rows, err, scanReceiver)
	}
	if tx.receiversChanged {
		return read()
	}
	return tx.db.receivers.get(read)
}

// CardRow is a running case whose card or step card stands yellow or red.
type CardRow struct {
	CaseID, CaseNo, HandlingOrg string
	Card, StepCard              string
}

// CardsToPush lists up to limit running cases with a yellow or red card (of the case or of its step) that
// was not yet pushed to the receiver: the cards the sweep turned without a move (issue 15 point 4).
func (db *DB) CardsToPush(ctx context.Context, receiverID string, limit int) ([]CardRow, error) {
	rows, err := db.query(ctx, `SELECT k.case_id, c.case_no, k.handling_org, k.card, k.step_card FROM case_clock k JOIN cases c ON c.id = k.case_id
		WHERE k.running > 0 AND (
		  (k.card IN ('yellow', 'red') AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.receiver_id = ? AND o.order_key <> '' AND o.order_key = 'sv:' || k.case_id || ':case.' || k.card))
		  OR (k.step_card IN ('yellow', 'red') AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.receiver_id = ? AND o.order_key <> '' AND o.order_key = 'sv:' || k.case_id || ':step.' || k.step_card)))
		LIMIT ?`, receiverID, receiverID, limit)
	return collect(rows, err, func(row interface{ Scan(...any) error }) (CardRow, error) {
		var r CardRow
		err := row.Scan(&r.CaseID, &r.CaseNo, &r.HandlingOrg, &r.Card, &r.StepCard)
		return r, err
	})
}
