package store

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/errs"
)

// Audit records one entry of the trail in the transaction that makes the change, so that a change and its
// entry are committed or lost together. before and after are kept as JSON of the fields that changed
// (audit.Changes); nil means "none", and keeps the other side whole. The
// entry goes on the chain of the organisation the change belongs to (orgID; "" is the main chain).
//
// Entries are chained when the transaction is about to commit (appendAudit), not here: the head of a chain
// is then locked only for the few statements that append to it, rather than from the first change of the
// transaction to its end, and a transaction that writes to several chains locks their heads in one order.
func (tx *Tx) Audit(actor access.Actor, action, entity, entityID, orgID string, before, after any) error {
	b, a := audit.Changes(before, after)
	tx.audits = append(tx.audits, audit.Entry{
		At: tx.now, ActorID: actor.ID, ActorName: actor.Name, OrgID: orgID, Chain: tx.db.chainOf(orgID, entityID),
		Action: action, Entity: entity, EntityID: entityID,
		Before: b, After: a,
	})
	return nil
}

// AuditFirst says that the transaction will record an entry of orgID about entityID (Audit), before its
// first write. On PostgreSQL the head of a chain of orgID is then locked and read in the batch of the
// first write (pgtx.go) instead of in a round trip of its own just before the commit: a move's transaction
// is a handful of round trips, and each costs both processes a wake-up. The head is held from the first
// write rather than from the append: longer by what the transaction does between them, which for a move is
// making its entry, no statement. Elsewhere, or after the first write, it does nothing. A transaction that
// writes to several chains may lock this one out of their order (appendAudit); a deadlock that makes is
// PostgreSQL's to find and Write's to run again.
//
// With lanes, the transaction first takes a lane of orgID that no other transaction of the process holds
// (lanes.go): when the process knows its head, nothing is read at all, and the audit insert's statement
// guards that head; else that lane's head is locked and read as above. When the process holds every lane,
// it waits for one (a lane taken unread is not locked in the database, so going to another would make its
// holder run again); a transaction whose context ends meanwhile reads nothing early, and fails with its
// context. The transaction's entries of orgID all go on the lane it holds (appendAudit).
func (tx *Tx) AuditFirst(orgID, entityID string) {
	if tx.pg == nil || tx.pg.begun || tx.conn != nil {
		return
	}
	org, lane := audit.SplitLane(tx.db.chainOf(orgID, entityID))
	if lanes := tx.db.AuditLanes; lanes > 1 && orgID != "" && tx.lease == nil {
		l := tx.db.lanes.take(tx.ctx, org, lanes)
		if l == nil {
			return // its context ended
		}
		tx.lease, lane = l, l.lane
		if l.head.Chain != "" && !tx.plain {
			h := l.head
			tx.held, tx.unread = &h, true
			return
		}
	}
	tx.pg.early = &earlyRead{
		q:    tx.d.q(auditHeadLock + tx.d.forUpdate),
		args: []any{org, lane},
		scan: func(r pgx.Row) error {
			var h AuditHead
			err := r.Scan(&h.Seq, &h.Hash, &h.KeyedFrom)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // a chain without a head yet: appendAudit makes it
			}
			if err != nil {
				return errs.Wrap(err, "audit head")
			}
			h.Chain = audit.LaneChain(org, lane)
			tx.held = &h
			return nil
		},
	}
}

// chainOf is the chain an entry of orgID about entityID goes on: its organisation's lane for the entity
// (audit.LaneOf) among AuditLanes.
func (db *DB) chainOf(orgID, entityID string) string {
	return audit.LaneChain(orgID, audit.LaneOf(orgID, entityID, db.AuditLanes))
}

// auditMany records entries already built (a bulk load's), each on its organisation's chain, as Audit does;
// an entry with no time or actor of its own is the transaction's, by actor.
func (tx *Tx) auditMany(actor access.Actor, entries []audit.Entry) {
	for _, e := range entries {
		e.Chain = tx.db.chainOf(e.OrgID, e.EntityID)
		if e.At.IsZero() {
			e.At = tx.now
		}
		if e.ActorID == "" {
			e.ActorID, e.ActorName = actor.ID, actor.Name
		}
		tx.audits = append(tx.audits, e)
	}
}

// appendAudit chains the transaction's entries and writes them with their heads, last thing before the
// commit. The chains' heads are locked in the order of their names: two transactions that touch the same
// two organisations take their heads in the same order, so neither can hold one while waiting for the
// other's. Entries of one chain keep the order they were recorded in.
func (tx *Tx) appendAudit() error {
	es := tx.audits
	if len(es) == 0 {
		return nil
	}
	tx.audits = nil
	const cols = 14
	if tx.pg != nil && len(tx.later) > 0 && (tx.pg.early != nil || len(es) > rowsPerInsert(cols) && tx.keepsGuarded()) {
		// a head to lock and read, and writes kept: they go first and the read with them, as with a first
		// write sent at once (a kept guarded write: execGuarded). Or entries for several statements, which a
		// guard cannot hold together.
		if err := tx.flushLater(); err != nil {
			return err
		}
	}
	// the head the process knows goes unread only into one statement with the insert, which it guards; else
	// auditHead locks and reads the lane, which stays this transaction's
	unread := tx.unread && tx.pg != nil && tx.conn == nil && len(es) <= rowsPerInsert(cols)
	// the organisation's entries go on the lane the transaction holds (AuditFirst): the process's own, read
	// or not, or the one locked in the database
	held := ""
	if tx.lease != nil {
		held = audit.LaneChain(tx.lease.org, tx.lease.lane)
	} else if tx.held != nil {
		held = tx.held.Chain
	}
	if held != "" {
		org, _ := audit.SplitLane(held)
		for i := range es {
			if audit.ChainOf(es[i].OrgID) == org {
				es[i].Chain = held
			}
		}
	}
	byChain := map[string][]int{}
	for i := range es {
		byChain[es[i].Chain] = append(byChain[es[i].Chain], i)
	}
	chains := make([]string, 0, len(byChain))
	for c := range byChain {
		chains = append(chains, c)
	}
	slices.Sort(chains)
	// the heads' updates go with the entries' insert where the dialect lets a WITH hold them (a round trip
	// fewer for every audited write); else each on its own, before it
	var with strings.Builder
	var withArgs []any
	var guards []string // what the insert's statement must have found for it to write (guardedSeq)
	for n, c := range chains {
		at := byChain[c]
		var head audit.Entry
		var keyedFrom int64
		var err error
		known := tx.held != nil && tx.held.Chain == c && unread
		if known {
			tx.db.headsUnread.Add(1)
			head = audit.Entry{Chain: c, Seq: tx.held.Seq, Hash: tx.held.Hash}
			keyedFrom, err = tx.keyedFrom(head.Seq, tx.held.KeyedFrom, int64(len(at)))
		} else {
			head, keyedFrom, err = tx.auditHead(c, int64(len(at)))
		}
		if err != nil {
			return err
		}
		prev := &head
		if head.Seq == 0 {
			prev = nil
		}
		for _, i := range at {
			es[i].SealKeyed(prev, tx.db.AuditKey, keyedFrom)
			prev = &es[i]
		}
		org, lane := audit.SplitLane(c)
		if tx.lease != nil && tx.lease.org == org && tx.lease.lane == lane {
			tx.leftHead = AuditHead{Chain: c, Seq: prev.Seq, Hash: prev.Hash, KeyedFrom: keyedFrom} // given back with the lane
		}
		if !tx.d.writesInWith || tx.conn != nil {
			if _, err := tx.exec(auditHeadUpdate, prev.Seq, prev.Hash, keyedFrom, org, lane); err != nil {
				return errs.Wrap(err, "audit head update")
			}
			continue
		}
		if n == 0 {
			with.WriteString("WITH ")
		} else {
			with.WriteString(", ")
		}
		upd, uargs := auditHeadUpdate, []any{prev.Seq, prev.Hash, keyedFrom, org, lane}
		if known {
			// the head moves only from the one the process knows; finding another, the insert refuses
			upd, uargs = upd+auditHeadWas, append(uargs, head.Seq, head.Hash, tx.held.KeyedFrom)
			guards = append(guards, fmt.Sprintf("EXISTS (SELECT 1 FROM h%d)", n))
		}
		fmt.Fprintf(&with, "h%d AS (%s RETURNING 1)", n, upd)
		withArgs = append(withArgs, uargs...)
	}
	// the writes nobody waited for (a move's notices and messages: later.go) ride in the same WITH
	var kept []laterWrite
	if len(tx.later) > 0 {
		if with.Len() == 0 {
			with.WriteString("WITH ")
		} else {
			with.WriteString(", ")
		}
		lw, la, k, g := tx.laterWith()
		with.WriteString(lw)
		withArgs, kept, guards = append(withArgs, la...), k, append(guards, g...)
	}
	if with.Len() > 0 {
		with.WriteString(" ")
	}
	row := func(i int) []any {
		e := es[i]
		org, lane := audit.SplitLane(e.Chain)
		return []any{org, lane, e.Seq, e.ID, e.At, e.ActorID, e.ActorName, storedOrg(e), e.Action, e.Entity, e.EntityID, tx.d.packJSON(e.Before), tx.d.packJSON(e.After), hashBytes(e.Hash)}
	}
	refused := func(err error) error {
		if len(guards) > 0 && guardRefused(err) {
			return errors.Join(errRetry, errGuard, err)
		}
		return errs.Wrap(laterRefused(kept, err), "audit insert")
	}
	if tx.pg != nil && len(es) <= rowsPerInsert(cols) {
		// the transaction's last write: it goes with the COMMIT (pgtx.go), and its refusal comes back from there
		q, args := insertRows(with.String(), withArgs, auditInsert, cols, 0, len(es), row)
		if len(guards) > 0 {
			q = guardedSeq(q, with.Len()+len(auditInsert), guards)
		}
		tx.pg.final = &laterWrite{q: tx.d.q(q), args: args, refused: refused}
	} else if err := bulkInsertAfter(tx, with.String(), withArgs, auditInsert, cols, len(es), row); err != nil {
		return refused(err)
	}
	for _, e := range es {
		tx.linkRequest(e)
	}
	return nil
}

const auditInsert = `INSERT INTO audit_log (chain, lane, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash) VALUES `

// auditHeadLock reads a chain's head; with the dialect's row lock it is the lock appends take (auditHead,
// AuditFirst).
const auditHeadLock = `SELECT seq, hash, keyed_from FROM audit_heads WHERE chain = ? AND lane = ?`

const auditHeadUpdate = `UPDATE audit_heads SET seq = ?, hash = ?, keyed_from = ? WHERE chain = ? AND lane = ?`

// auditHeadWas narrows auditHeadUpdate to the head the process knows (lanes.go).
const auditHeadWas = ` AND seq = ? AND hash = ? AND keyed_from = ?`

// guardedSeq makes the first row of an audit insert (q; its rows begin at rows) write its seq only when
// every guard holds, and NULL otherwise, which the column refuses (guardRefused): the whole statement, and
// the transaction with it, is rolled back. A data-modifying WITH clause cannot stop its statement by itself;
// this is how the clauses' findings (the head the process knew, a case's version: lanes.go) stop it.
func guardedSeq(q string, rows int, guards []string) string {
	const first = "(?, ?, ?"
	if !strings.HasPrefix(q[rows:], first) {
		panic("store: guardedSeq on a statement that is no audit insert")
	}
	return q[:rows] + "(?, ?, (SELECT ?::bigint WHERE " + strings.Join(guards, " AND ") + ")" + q[rows+len(first):]
}

// guardRefused reports a guarded audit insert's refusal: its seq NULL (guardedSeq).
func guardRefused(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23502" && pg.TableName == "audit_log" && pg.ColumnName == "seq"
}

// keyedFrom is from which entry a chain whose head is at seq, keyed from was (0: not keyed), is keyed when
// next entries are appended (auditHead).
func (tx *Tx) keyedFrom(seq, was, next int64) (int64, error) {
	switch {
	case len(tx.db.AuditKey) > 0 && was == 0:
		return seq + next, nil
	case len(tx.db.AuditKey) == 0 && was > 0:
		return 0, errs.Wrap(audit.ErrNoKey, "audit append")
	}
	return was, nil
}

// auditHead locks and reads a chain's head (making it when the chain has no entry yet), and says from which
// entry the chain is keyed. With a key and a chain not keyed yet, the chain turns keyed at the next entry
// (next: the number of entries about to be appended is at least one); a chain begun with a key is keyed
// from its first entry. Without a key, a keyed chain cannot be continued.
func (tx *Tx) auditHead(chain string, next int64) (audit.Entry, int64, error) {
	head := audit.Entry{Chain: chain}
	var keyedFrom int64
	// Locking the head row serialises appends to this chain on PostgreSQL, which keeps it a single line.
	// It reads audit_heads alone: the writes kept for later (later.go) wait for the audit insert.
	org, lane := audit.SplitLane(chain)
	lock := auditHeadLock + tx.d.forUpdate
	var err error
	if h := tx.held; h != nil && h.Chain == chain && !tx.unread {
		head.Seq, head.Hash, keyedFrom = h.Seq, h.Hash, h.KeyedFrom // locked with the first write (AuditFirst)
		tx.db.headsEarly.Add(1)
	} else {
		err = tx.queryRowKeeping(lock, org, lane).Scan(&head.Seq, &head.Hash, &keyedFrom)
	}
	if errors.Is(err, sql.ErrNoRows) {
		var from int64
		if len(tx.db.AuditKey) > 0 {
			from = 1
		}
		if _, err = tx.exec(`INSERT INTO audit_heads (chain, lane, seq, hash, keyed_from) VALUES (?, ?, 0, ?, ?) ON CONFLICT (chain, lane) DO NOTHING`, org, lane, audit.Genesis, from); err != nil {
			return head, 0, errs.Wrap(err, "audit head")
		}
		err = tx.queryRow(lock, org, lane).Scan(&head.Seq, &head.Hash, &keyedFrom)
	}
	if err != nil {
		return head, 0, errs.Wrap(err, "audit head")
	}
	keyedFrom, err = tx.keyedFrom(head.Seq, keyedFrom, next)
	return head, keyedFrom, err
}

// KeyChains turns every chain not keyed yet keyed from its next entry on (when a key is set) and returns
// how many it turned. Bianmin calls it at start, then publishes a checkpoint recording it.
func (db *DB) KeyChains(ctx context.Context) (int64, error) {
	if len(db.AuditKey) == 0 {
		return 0, nil
	}
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE audit_heads SET keyed_from = seq + 1 WHERE keyed_from = 0`)
		if err != nil {
			return errs.Wrap(err, "audit head")
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// auditCols is an entry as stored (migration 076): its hash as 32 bytes, no PrevHash (the hash of the entry
// before it, which the verifier holds: audit.Verifier.Next), and org_id only where it is not the chain's own
// organisation (entries written on 'main' before the trail was chained per organisation).
const auditCols = `seq, chain, lane, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash`

// auditColsPrev is auditCols of audit_log a, with the hash of the entry before it (p, joined by
// joinPrev) for an entry checked on its own.
const (
	auditColsPrev = `a.seq, a.chain, a.lane, a.id, a.at, a.actor_id, a.actor_name, a.org_id, a.action, a.entity, a.entity_id, a.before_json, a.after_json, a.hash, p.hash`
	joinPrev      = ` LEFT JOIN audit_log p ON p.chain = a.chain AND p.lane = a.lane AND p.seq = a.seq - 1`
)

func scanAudit(rows interface{ Scan(...any) error }) (audit.Entry, error) {
	return scanAuditRow(rows, nil)
}

// scanAuditPrev reads an entry of auditColsPrev: with the hash of the entry before it.
func scanAuditPrev(rows interface{ Scan(...any) error }) (audit.Entry, error) {
	var prev []byte
	e, err := scanAuditRow(rows, &prev)
	switch {
	case e.Seq == 1:
		e.PrevHash = audit.Genesis
	case prev == nil:
		e.PrevHash = "" // the entry before it was removed: the entry's hash cannot match
	default:
		e.PrevHash = hex.EncodeToString(prev)
	}
	return e, err
}

// scanAuditRow reads auditCols, and the previous entry's hash into prev when it is not nil. The chain's
// name is audit's (audit.LaneChain) of the two columns that store it (migration 090).
func scanAuditRow(rows interface{ Scan(...any) error }, prev *[]byte) (audit.Entry, error) {
	var e audit.Entry
	var hash []byte
	var lane int
	dest := []any{&e.Seq, &e.Chain, &lane, &e.ID, &e.At, &e.ActorID, &e.ActorName, &e.OrgID, &e.Action, &e.Entity, &e.EntityID, unpacked{&e.Before}, unpacked{&e.After}, &hash}
	if prev != nil {
		dest = append(dest, prev)
	}
	err := rows.Scan(dest...)
	e.Chain = audit.LaneChain(e.Chain, lane)
	e.At = audit.Time(e.At)
	e.Hash = hex.EncodeToString(hash)
	if e.OrgID == "" {
		e.OrgID = audit.OrgOfChain(e.Chain)
	}
	return e, err
}

// storedOrg is what the entry keeps of its organisation: nothing when it is its chain's (auditCols).
func storedOrg(e audit.Entry) string {
	if audit.OrgOfChain(e.Chain) == e.OrgID { // read back from the chain (scanAuditRow)
		return ""
	}
	return e.OrgID
}

// hashBytes is a hash as stored: its 32 bytes.
func hashBytes(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		return []byte(h) // not made by audit: kept as it is, and it fails verification
	}
	return b
}

// AuditHead is a chain's head as the database records it.
type AuditHead struct {
	Chain     string
	Seq       int64
	Hash      string
	KeyedFrom int64
}

// AuditHeads reads the heads of every chain (chain ""), or of one: an organisation's chain names all its
// lanes, a lane's name (audit.LaneChain) that lane alone.
func (db *DB) AuditHeads(ctx context.Context, chain string) (map[string]AuditHead, error) {
	q, args := `SELECT chain, lane, seq, hash, keyed_from FROM audit_heads`, []any{}
	if org, lane := audit.SplitLane(chain); lane > 0 {
		q, args = q+` WHERE chain = ? AND lane = ?`, append(args, org, lane)
	} else if chain != "" {
		q, args = q+` WHERE chain = ?`, append(args, chain)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "audit heads")
	}
	defer rows.Close()
	out := map[string]AuditHead{}
	for rows.Next() {
		var h AuditHead
		var lane int
		if err := rows.Scan(&h.Chain, &lane, &h.Seq, &h.Hash, &h.KeyedFrom); err != nil {
			return nil, err
		}
		h.Chain = audit.LaneChain(h.Chain, lane)
		out[h.Chain] = h
	}
	return out, rows.Err()
}

// AuditMoved is a figure that changes whenever any chain's head moves (heads only move forward): the sum of
// the chains' entries. The checkpoint job signs only when it changed.
func (db *DB) AuditMoved(ctx context.Context) (int64, error) {
	var n int64
	err := db.queryRow(ctx, `SELECT coalesce(sum(seq), 0) FROM audit_heads`).Scan(&n)
	return n, errs.Wrap(err, "audit heads")
}

// AnyChainKeyed reports whether any chain is keyed: then the key file must be there.
func (db *DB) AnyChainKeyed(ctx context.Context) (bool, error) {
	var n int64
	err := db.queryRow(ctx, `SELECT count(*) FROM audit_heads WHERE keyed_from > 0`).Scan(&n)
	return n > 0, errs.Wrap(err, "audit heads")
}

// ChainCheck is what verifying one chain found.
type ChainCheck struct {
	Chain string
	Count int64        // entries in the intact chain (up to its break)
	From  int64        // entries taken as verified at the newest signed checkpoint (incremental checks)
	Break *audit.Break // nil: the chain holds
}

// Broken returns the first break among checks (in the order of the chains' names), nil when none.
func Broken(checks []ChainCheck) *audit.Break {
	for _, c := range checks {
		if c.Break != nil {
			return c.Break
		}
	}
	return nil
}

// VerifyAudit walks every chain from its first entry and checks it and its head, keyed hashes under
// AuditKey, and the chains against the newest signed checkpoint in CheckpointFile (when there is one). It
// returns the number of entries checked in all and, when a chain is broken, an *audit.Break naming the
// first broken entry (of the first broken chain).
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	checks, err := db.VerifyChains(ctx, "")
	var n int64
	for _, c := range checks {
		n += c.Count
	}
	if err != nil {
		return n, err
	}
	if b := Broken(checks); b != nil {
		return n, b
	}
	return n, nil
}

// VerifyChains walks every chain (chain "") or one from its first entry, as VerifyAudit does, and reports
// each chain. The error is for what stops the walk (no key for a keyed trail, an unreadable checkpoints
// log, the database); a broken chain is reported in its ChainCheck. Every chain named by a head, by a
// signed checkpoint, or by an entry is walked: a chain removed whole (entries and head) is named by the
// checkpoint, entries left without their head by themselves.
func (db *DB) VerifyChains(ctx context.Context, chain string) ([]ChainCheck, error) {
	signed, err := db.signedHeads()
	if err != nil {
		return nil, err
	}
	heads, err := db.AuditHeads(ctx, chain)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for c := range heads {
		names[c] = true
	}
	if org, lane := audit.SplitLane(chain); chain != "" {
		// an organisation's chain is all its lanes: those with a head, those with entries (a head removed)
		// and those a signed checkpoint names (a lane removed whole)
		q, args := `SELECT DISTINCT chain, lane FROM audit_log WHERE chain = ?`, []any{org}
		if lane > 0 {
			q, args = q+` AND lane = ?`, append(args, lane)
		}
		logged, err := db.chainsLogged(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for _, c := range logged {
			names[c] = true
		}
		for c := range signed.Heads {
			if o, l := audit.SplitLane(c); o == org && (lane == 0 || l == lane) {
				names[c] = true
			}
		}
		if len(names) == 0 {
			names[chain] = true // nothing of it anywhere: reported as the chain named
		}
	} else {
		for c := range signed.Heads {
			names[c] = true
		}
		logged, err := db.chainsLogged(ctx, `SELECT DISTINCT chain, lane FROM audit_log`)
		if err != nil {
			return nil, err
		}
		for _, c := range logged {
			names[c] = true
		}
	}
	order := make([]string, 0, len(names))
	for c := range names {
		order = append(order, c)
	}
	slices.Sort(order)
	out := make([]ChainCheck, 0, len(order))
	for _, c := range order {
		h, cp := chainAt(c, heads, signed)
		res, err := db.verifyChain(ctx, c, h, cp, signed.At, false)
		if err != nil {
			return out, err
		}
		if res.Count == 0 && res.Break == nil && h != nil && h.Seq == 0 && chain == "" {
			continue // the main chain of a new database: nothing written yet
		}
		out = append(out, res)
	}
	return out, nil
}

// chainsLogged names the chains (audit.LaneChain) of the (chain, lane) pairs a query lists.
func (db *DB) chainsLogged(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := db.query(ctx, q, args...)
	return collect(rows, err, func(r interface{ Scan(...any) error }) (string, error) {
		var chain string
		var lane int
		err := r.Scan(&chain, &lane)
		return audit.LaneChain(chain, lane), err
	})
}

// chainAt is a chain's head in the database and its newest signed head (nil where there is none).
func chainAt(chain string, heads map[string]AuditHead, signed audit.Signed) (*AuditHead, *audit.Head) {
	var h *AuditHead
	if x, ok := heads[chain]; ok {
		h = &x
	}
	var cp *audit.Head
	if x, ok := signed.Heads[chain]; ok {
		cp = &x
	}
	return h, cp
}

func (db *DB) signedHeads() (audit.Signed, error) {
	if db.CheckpointFile == "" {
		return audit.Signed{Heads: map[string]audit.Head{}}, nil
	}
	if len(db.AuditKey) == 0 {
		return audit.Signed{}, audit.ErrNoKey
	}
	return audit.ReadCheckpoints(db.CheckpointFile, db.AuditKey)
}

// verifyChain checks one chain against its head (nil: the database has none) and its newest signed
// checkpoint (nil: none). fromCheckpoint reads only the entries after the checkpoint's (whose own entry is
// checked to carry the checkpoint's hash), which is what a new checkpoint needs.
func (db *DB) verifyChain(ctx context.Context, chain string, head *AuditHead, cp *audit.Head, cpAt time.Time, fromCheckpoint bool) (ChainCheck, error) {
	res := ChainCheck{Chain: chain}
	org, lane := audit.SplitLane(chain)
	brk := func(seq int64, id, reason string) (ChainCheck, error) {
		res.Break = &audit.Break{Chain: chain, Seq: seq, ID: id, Reason: reason}
		return res, nil
	}
	signedAt := cpAt.Format(time.RFC3339)
	if head == nil {
		if cp != nil {
			return brk(1, "head", fmt.Sprintf("the chain has no head; the signed checkpoint of %s records %d entries of it: the chain was removed", signedAt, cp.Seq))
		}
		return brk(1, "head", "the chain has entries and no head: its head was removed")
	}
	v := audit.Verifier{Chain: chain, Key: db.AuditKey, KeyedFrom: head.KeyedFrom}
	if cp != nil && cp.KeyedFrom > 0 && head.KeyedFrom != cp.KeyedFrom {
		// The checkpoint, not the database, says where the keyed chain begins: a head whose keyed_from was
		// moved (to pass rewritten entries off as written before the key) is caught here.
		return brk(cp.KeyedFrom, "head", fmt.Sprintf("the head says the chain is keyed from entry %d; the signed checkpoint of %s says from %d",
			head.KeyedFrom, signedAt, cp.KeyedFrom))
	}
	var after int64
	var atCheckpoint string
	var cpPrev string // the hash the checkpoint's own entry links to
	if cp != nil && fromCheckpoint && cp.Seq > 0 {
		after = cp.Seq - 1
		res.From = cp.Seq
		var err error
		if cpPrev, err = db.hashAt(ctx, chain, cp.Seq-1); err != nil {
			return res, err
		}
	}
	upTo := head.Seq
	if cp != nil {
		upTo = max(upTo, cp.Seq)
	}
	var last audit.Entry
	for {
		// Pages by seq keep memory flat however long the chain is. Entries appended after the head was read
		// are left for the next check (the head is read first: what it records was committed with it).
		rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE chain = ? AND lane = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT 5000`, org, lane, after, upTo)
		if err != nil {
			return res, err
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if errors.Is(err, errPacked) {
				// packed bytes that do not unpack were changed: the entry is broken (its seq and id, read
				// before them, name it)
				rows.Close()
				res.Count = v.Count
				return brk(e.Seq, e.ID, "its before or after does not read: "+err.Error())
			}
			if err != nil {
				rows.Close()
				return res, err
			}
			if cp != nil && fromCheckpoint && e.Seq == cp.Seq && v.Count == 0 {
				// the checkpoint's own entry: it must be the one signed, unchanged since, and the chain goes on
				// from it
				e.PrevHash = cpPrev
				if e.Hash != e.Want(db.AuditKey, head.KeyedFrom) {
					rows.Close()
					res.Count = v.Count
					return brk(e.Seq, e.ID, "the entry of the newest checkpoint was changed since it was signed")
				}
				atCheckpoint = e.Hash
				v.StartAfter(cp.Seq, cp.Hash)
			} else if err := v.Next(e); err != nil {
				rows.Close()
				res.Count = v.Count
				var b *audit.Break
				if errors.As(err, &b) {
					res.Break = b
					return res, nil
				}
				return res, err
			}
			if cp != nil && e.Seq == cp.Seq {
				atCheckpoint = e.Hash
			}
			after, last = e.Seq, e
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return res, err
		}
		if n == 0 {
			break
		}
	}
	res.Count = v.Count
	if cp != nil && cp.Seq > 0 {
		switch {
		case last.Seq < cp.Seq:
			return brk(last.Seq+1, "checkpoint", fmt.Sprintf("the signed checkpoint of %s records %d entries; the chain holds %d: entries were removed (and the head rolled back)",
				signedAt, cp.Seq, last.Seq))
		case atCheckpoint != cp.Hash:
			return brk(cp.Seq, "checkpoint", fmt.Sprintf("entry %d is not the one the signed checkpoint of %s recorded: the chain was rewritten", cp.Seq, signedAt))
		}
	}
	if head.Seq != last.Seq || (head.Seq > 0 && head.Hash != last.Hash) {
		return brk(head.Seq, "head", "the newest entries are missing: the head records a later entry than the chain holds")
	}
	return res, nil
}

// hashAt is the hash of a chain's entry seq (Genesis for 0, before the first; "" when there is no such
// entry, which no entry after it can link to).
func (db *DB) hashAt(ctx context.Context, chain string, seq int64) (string, error) {
	if seq == 0 {
		return audit.Genesis, nil
	}
	var h []byte
	org, lane := audit.SplitLane(chain)
	err := db.queryRow(ctx, `SELECT hash FROM audit_log WHERE chain = ? AND lane = ? AND seq = ?`, org, lane, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return hex.EncodeToString(h), errs.Wrap(err, "audit entry")
}

// verifySince checks every chain from its newest signed checkpoint on: a chain whose head has not moved
// since is taken as verified (its head is compared with the checkpoint's); a chain that moved is walked from
// the checkpoint's own entry on. A chain the checkpoints name and the database no longer has is a break.
func (db *DB) verifySince(ctx context.Context, signed audit.Signed) ([]ChainCheck, map[string]AuditHead, error) {
	heads, err := db.AuditHeads(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(heads))
	for c := range heads {
		names = append(names, c)
	}
	for c := range signed.Heads {
		if _, ok := heads[c]; !ok {
			names = append(names, c)
		}
	}
	slices.Sort(names)
	// The newest entry of every chain, in one read: a chain that has not moved since its checkpoint is
	// checked by its head entry alone (still there, unchanged, the one signed).
	atHead := map[string]audit.Entry{}
	rows, err := db.query(ctx, `SELECT `+auditColsPrev+` FROM audit_heads h JOIN audit_log a ON a.chain = h.chain AND a.lane = h.lane AND a.seq = h.seq`+joinPrev)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		e, err := scanAuditPrev(rows)
		if errors.Is(err, errPacked) {
			continue // left out: its chain is walked, which names the entry
		}
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		atHead[e.Chain] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var out []ChainCheck
	for _, c := range names {
		h, cp := chainAt(c, heads, signed)
		if h != nil && h.Seq == 0 {
			continue
		}
		if h != nil && cp != nil && h.Seq == cp.Seq && h.Hash == cp.Hash && h.KeyedFrom == cp.KeyedFrom {
			if e, ok := atHead[c]; ok && e.Hash == cp.Hash && hmac.Equal([]byte(e.Want(db.AuditKey, h.KeyedFrom)), []byte(e.Hash)) {
				out = append(out, ChainCheck{Chain: c, Count: cp.Seq, From: cp.Seq})
				continue
			}
		}
		res, err := db.verifyChain(ctx, c, h, cp, signed.At, true)
		if err != nil {
			return out, heads, err
		}
		out = append(out, res)
	}
	return out, heads, nil
}

// WriteCheckpoint checks the entries written since the newest checkpoint (all of them when there is none),
// then appends a checkpoint of the heads that moved since, signed with AuditKey, to CheckpointFile. A trail
// that does not verify is not signed: the error says where it breaks.
func (db *DB) WriteCheckpoint(ctx context.Context) (audit.Checkpoint, error) {
	if db.CheckpointFile == "" || len(db.AuditKey) == 0 {
		return audit.Checkpoint{}, errors.New("audit checkpoint: no checkpoint file or no audit key")
	}
	signed, err := db.signedHeads()
	if err != nil {
		return audit.Checkpoint{}, err
	}
	checks, heads, err := db.verifySince(ctx, signed)
	if err != nil {
		return audit.Checkpoint{}, err
	}
	if b := Broken(checks); b != nil {
		return audit.Checkpoint{}, b
	}
	c := audit.Checkpoint{At: db.Now()}
	for _, ch := range checks {
		h := heads[ch.Chain]
		if cp, ok := signed.Heads[ch.Chain]; ok && cp.Seq == h.Seq && cp.Hash == h.Hash && cp.KeyedFrom == h.KeyedFrom {
			continue
		}
		c.Heads = append(c.Heads, audit.Head{Chain: h.Chain, Seq: h.Seq, Hash: h.Hash, KeyedFrom: h.KeyedFrom})
	}
	if len(c.Heads) == 0 && len(signed.Heads) > 0 {
		return c, nil // nothing moved: the newest checkpoint still says it all
	}
	c.Sign(db.AuditKey)
	return c, audit.AppendCheckpoint(db.CheckpointFile, c)
}

// AuditOf lists the trail of one entity, newest first. An entity's entries may lie on several chains (a
// case handed to another township): they are ordered by time, and within a chain by number.
func (db *DB) AuditOf(ctx context.Context, entity, entityID string, limit int) ([]audit.Entry, error) {
	rows, err := db.query(ctx, `SELECT `+auditCols+` FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY at DESC, chain, lane, seq DESC LIMIT ?`, entity, entityID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
