package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"bianmin/internal/errs"
)

// A PostgreSQL write transaction pipelines its BEGIN with its first write and its COMMIT with its last: each
// pair goes in one network write and comes back in one wait, where database/sql's transaction makes a round
// trip of BEGIN and of COMMIT. A move's transaction was otherwise three or four statements, so these were a
// third of its round trips, and a round trip is what a move spends (issue 18: Bianmin and PostgreSQL share
// the processors, and every statement costs both a wake-up). A transaction whose one statement is its final
// write sends neither (commit; a move, lanes.go). The pipeline is one extended-protocol batch
// ending in one Sync: when its first statement fails, PostgreSQL skips the rest (the COMMIT too) and the
// transaction is rolled back. SQLite's transactions stay database/sql's: its statements are calls inside
// the process.

// pgTx is a PostgreSQL transaction on a connection of its own.
type pgTx struct {
	conn  *sql.Conn
	begun bool // BEGIN has been sent
	// final is the transaction's last write (the audit insert, with the writes kept for it), sent with the
	// COMMIT; refused says what its error means
	final *laterWrite
	// early is a row read sent with the transaction's first write, after it (an audit chain's head: audit.go)
	early *earlyRead
}

// earlyRead is a one-row read that rides in the batch of the transaction's first write rather than costing a
// round trip of its own. scan is given the row (pgx.ErrNoRows when there is none).
type earlyRead struct {
	q    string
	args []any
	scan func(pgx.Row) error
}

// beginPG takes a connection for a transaction; BEGIN waits for its first statement.
func (db *DB) beginPG(ctx context.Context) (*pgTx, error) {
	c, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &pgTx{conn: c}, nil
}

// result is a pipelined write's sql.Result: its command tag's count of rows.
type result int64

func (r result) LastInsertId() (int64, error) {
	return 0, errors.New("no insert id on PostgreSQL")
}
func (r result) RowsAffected() (int64, error) { return int64(r), nil }

// pipeline sends stmts in one batch and returns the rows each changed; the first error ends it.
func (p *pgTx) pipeline(ctx context.Context, stmts ...laterWrite) ([]int64, error) {
	return p.pipelineRead(ctx, nil, stmts...)
}

// pipelineRead is pipeline with a read after the writes (nil: none), in the same batch.
func (p *pgTx) pipelineRead(ctx context.Context, read *earlyRead, stmts ...laterWrite) ([]int64, error) {
	var counts []int64
	var err error
	rawErr := p.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			err = errors.New("not a pgx connection")
			return nil
		}
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.q, s.args...)
		}
		if read != nil {
			b.Queue(read.q, read.args...)
		}
		br := sc.Conn().SendBatch(ctx, b)
		for range stmts {
			tag, e := br.Exec()
			if e != nil {
				err = e
				break
			}
			counts = append(counts, tag.RowsAffected())
		}
		if err == nil && read != nil {
			err = read.scan(br.QueryRow())
		}
		if e := br.Close(); err == nil {
			err = e
		}
		return nil
	})
	if err == nil {
		err = rawErr
	}
	return counts, err
}

// exec runs a write, with BEGIN before it when it is the transaction's first statement.
func (p *pgTx) exec(ctx context.Context, q string, args []any) (sql.Result, error) {
	if p.begun {
		return p.conn.ExecContext(ctx, q, args...)
	}
	p.begun = true
	read := p.early
	p.early = nil
	n, err := p.pipelineRead(ctx, read, laterWrite{q: "begin"}, laterWrite{q: q, args: args})
	if err != nil {
		return nil, err
	}
	return result(n[1]), nil
}

// begin sends BEGIN on its own, before a read (whose rows database/sql must hand back: it cannot ride in a
// batch). A read asked to ride with the first write is not sent: its asker reads for itself.
func (p *pgTx) begin(ctx context.Context) error {
	if p.begun {
		return nil
	}
	p.begun = true
	p.early = nil
	_, err := p.conn.ExecContext(ctx, "begin")
	return errs.Wrap(err, "begin")
}

// commit sends the final write, if any, with the COMMIT, and gives the connection back. A transaction that
// sent nothing has nothing to commit; one whose final write is all it sends sends it alone, without BEGIN
// and COMMIT: a batch's statements up to its Sync are one transaction (an implicit one), committed at the
// Sync when none failed and rolled back whole when one did. A move is such a transaction (lanes.go): two
// statements fewer for PostgreSQL to run.
func (p *pgTx) commit(ctx context.Context) error {
	var stmts []laterWrite
	switch {
	case p.final == nil && !p.begun:
		return p.conn.Close()
	case p.final == nil:
		stmts = []laterWrite{{q: "commit"}}
	case !p.begun:
		stmts = []laterWrite{*p.final}
	default:
		stmts = []laterWrite{*p.final, {q: "commit"}}
	}
	n, err := p.pipeline(ctx, stmts...)
	if err != nil {
		// the final write did not answer: it failed; else it was the COMMIT
		if p.final != nil && len(n) == 0 && p.final.refused != nil {
			err = p.final.refused(err)
		} else {
			err = errs.Wrap(err, "commit")
		}
		p.rollback(ctx)
		return err
	}
	return p.conn.Close()
}

// rollback ends the transaction, even when its context has ended, and gives the connection back; a
// connection whose rollback failed is closed rather than given to another transaction in an unknown state.
func (p *pgTx) rollback(ctx context.Context) {
	if p.begun {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		// after a COMMIT that failed there is no transaction left: PostgreSQL warns, and that is no error
		if _, err := p.conn.ExecContext(rctx, "rollback"); err != nil {
			p.conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	p.conn.Close()
}
