package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"bianmin/internal/audit"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// A move reads its case, decides in the server and writes. On PostgreSQL that was three round trips: the
// case's read; BEGIN with the case's update and its audit chain's head; the audit insert with the COMMIT. A
// move's read can begin the transaction it writes in instead (CaseToMove): BEGIN, the case's row read FOR
// UPDATE and the head of its chain locked go in one batch, and since nobody moves a held row, the case's
// update cannot miss the version it was decided on and rides with the audit insert and the COMMIT (later.go).
// Two round trips a move. The row and the head are held while the server decides (the checks of Act: reads
// of memory and of the pool, no statement of this transaction), which a move held the head through before
// too, from its update on.
//
// A move that holds a transaction must not wait for another write of its own: a write of the same chain
// would wait for the head it holds, where PostgreSQL sees no deadlock (the holder is idle, not waiting). So
// a move closes its Moving before any other write (a recusal's record, a bundle's issue), and at most half
// the pool's connections are held so (db.moving): the reads a held move waits for always find one.

// movingHeld is how many moves may hold a transaction at once: half of the pool (connect).
const movingHeld = 16

// Moving is a move's transaction begun by the read of its case (CaseToMove), until WriteMoving commits it
// or Close rolls it back. A nil Moving is none: the move reads apart and writes in a transaction of its own.
type Moving struct {
	db      *DB
	pg      *pgTx
	caseID  string
	version int                  // the case's version read, its row held at it
	heads   map[string]AuditHead // the head of the case's chain, locked with the read
	once    sync.Once
}

// caseRead is the read of a case with its timeline and its applicant's phone (DB.Case, CaseToMove).
const caseRead = `SELECT ` + caseCols + `, c.events, (SELECT a.phone FROM applicants a WHERE a.id = c.applicant_id) FROM cases c WHERE id = ?`

// moveHeadLock locks the head of the chain a case's entries go on, named by the case's row: its handling
// organisation's lane for the case (DB.chainOf).
const moveHeadLock = `SELECT seq, hash, keyed_from FROM audit_heads WHERE chain = (SELECT handling_org FROM cases WHERE id = ?) AND lane = ?`

// CaseToMove reads a case for a move. On PostgreSQL, when fewer than movingHeld moves hold one, the read
// begins the move's transaction, holding the case's row and its chain's head (above); elsewhere it is
// DB.Case and the Moving is nil. The caller closes the Moving (Close; nil-safe) when it does not write.
func (db *DB) CaseToMove(ctx context.Context, id string) (cases.Case, *Moving, error) {
	if db.moving == nil {
		c, err := db.Case(ctx, id)
		return c, nil, err
	}
	select {
	case db.moving <- struct{}{}:
	default:
		c, err := db.Case(ctx, id) // as many moves hold transactions as may: this one reads apart
		return c, nil, err
	}
	m := &Moving{db: db, caseID: id}
	pg, err := db.beginPG(ctx)
	if err != nil {
		<-db.moving
		return cases.Case{}, nil, errs.Wrap(err, "begin")
	}
	m.pg = pg
	var r caseRow
	var events []byte
	var phone sql.NullString
	var head AuditHead
	headFound := false
	err = pg.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		b := &pgx.Batch{}
		b.Queue("begin")
		b.Queue(db.d.q(caseRead+db.d.forUpdate), id) // the case's row: the applicant's is not locked
		b.Queue(db.d.q(moveHeadLock+db.d.forUpdate), id, audit.EntityLane(id, db.AuditLanes))
		br := sc.Conn().SendBatch(ctx, b)
		_, err := br.Exec()
		if err == nil {
			err = br.QueryRow().Scan(append(r.dest(), &events, &phone)...)
		}
		if err == nil {
			err = br.QueryRow().Scan(&head.Seq, &head.Hash, &head.KeyedFrom)
			headFound = err == nil
			if errors.Is(err, pgx.ErrNoRows) {
				err = nil // a chain without a head yet: appendAudit makes it
			}
		}
		if e := br.Close(); err == nil {
			err = e
		}
		return err
	})
	pg.begun = true
	if err != nil {
		m.Close(ctx)
		if errors.Is(err, pgx.ErrNoRows) {
			err = sql.ErrNoRows
		}
		return cases.Case{}, nil, notFound(err, "case")
	}
	m.version = r.row.Version
	db.timelines.put(id, r.row.Version, events, phone.String) // for the move's SaveCase (timelineMemo)
	c, err := db.readCase(db.rowsOn(ctx), r)
	if err != nil {
		m.Close(ctx)
		return c, nil, err
	}
	if headFound {
		m.heads = map[string]AuditHead{db.chainOf(c.Handling, id): head}
	}
	return c, m, nil
}

// Close rolls the move's transaction back, when WriteMoving did not take it, and lets another move hold
// one. It is safe on a nil Moving and more than once.
func (m *Moving) Close(ctx context.Context) {
	if m == nil {
		return
	}
	m.once.Do(func() {
		m.pg.rollback(ctx)
		<-m.db.moving
	})
}

// WriteMoving is Write for a move that read its case with CaseToMove: fn runs first in the move's
// transaction, where the case's row and its chain's head are held already. Should that transaction end in a
// serialization failure or a deadlock, fn runs again as Write runs it, in a transaction of its own, where
// the case's update checks its version itself.
func (db *DB) WriteMoving(ctx context.Context, m *Moving, fn func(*Tx) error) error {
	taken := false
	if m != nil {
		m.once.Do(func() { taken = true })
	}
	if !taken {
		return db.Write(ctx, fn)
	}
	tx := &Tx{pg: m.pg, d: db.d, ctx: ctx, now: db.Now().UTC().Truncate(time.Microsecond), db: db,
		heads: m.heads, held: heldCase{id: m.caseID, version: m.version}}
	err := db.finish(ctx, tx, fn) // commits or rolls back, and gives the connection back
	<-db.moving
	if err == nil || !(errors.Is(err, errRetry) || db.d.retryable(err)) {
		return err
	}
	db.retries.Add(1)
	return db.Write(ctx, fn)
}

// heldCase is the case whose row a move's transaction holds (CaseToMove), at its version.
type heldCase struct {
	id      string
	version int
}
