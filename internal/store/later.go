package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"bianmin/internal/errs"
)

// Writes nobody waits for. A move's notices and messages are INSERTs of new rows whose results the move
// never reads; on PostgreSQL each was a round trip of its own, and round trips are what a move's transaction
// spends its time on (its backend idles in the transaction while the server and the network carry each
// statement). So on PostgreSQL such a write is kept (execLater) and rides in a WITH clause of the
// transaction's audit insert (appendAudit), or, when another statement of the transaction comes first, all
// kept writes go together in one statement before it (flushLater). Nothing of the transaction reads a kept
// write's table before it is written: every statement but the chain head's lock (auditHead, which reads only
// audit_heads) writes what is kept first. A write whose rows must be counted (a case's move, refused when its
// version moved) is kept too, guarded (execGuarded): with the audit insert, whose statement then writes
// nothing unless it changed as many as it must (lanes.go), or, another statement coming first, as the body of
// a statement of its own. SQLite's statements are calls inside the process: there a write is run at once.

// laterWrite is a kept write: an INSERT or UPDATE with ? marks and no RETURNING, and what a refusal of the
// statement that carries it means for it (refused; nil: the error as it is).
type laterWrite struct {
	q       string
	args    []any
	refused func(error) error
	// want > 0 makes it a guarded write (execGuarded): an UPDATE that must change exactly want rows, else the
	// transaction ends with mismatch
	want     int64
	mismatch error
}

// execLater runs a write nobody waits for: on PostgreSQL with the transaction's next statement, elsewhere
// at once. An error of a kept write comes back from the statement that carries it, through refused.
func (tx *Tx) execLater(refused func(error) error, q string, args ...any) error {
	if !tx.d.writesInWith || tx.conn != nil {
		_, err := tx.exec(q, args...)
		if refused != nil {
			err = refused(err)
		}
		return err
	}
	tx.later = append(tx.later, laterWrite{q: q, args: args, refused: refused})
	return nil
}

// execGuarded keeps an UPDATE that must change exactly want rows (a case's move, refused when another move
// came first: optimistic locking), where it may be kept (PostgreSQL, and not a transaction run plain after a
// guard refused it: lanes.go); else it runs it at once. A kept one is counted where it is written: as the
// body of its own statement when another statement comes first (flushLater), or in the audit insert's WITH,
// whose insert then refuses to write unless it changed want rows (guardedSeq). mismatch is the error when it
// did not; a refused audit insert runs the transaction again plain, where the UPDATE runs at once and tells.
func (tx *Tx) execGuarded(mismatch error, want int64, q string, args ...any) error {
	if !tx.d.writesInWith || tx.conn != nil {
		res, err := tx.exec(q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != want {
			return mismatch
		}
		return nil
	}
	tx.later = append(tx.later, laterWrite{q: q, args: args, want: want, mismatch: mismatch})
	if tx.plain {
		return tx.flushLater() // now, with the writes kept before it in its WITH
	}
	return nil
}

// keepsGuarded reports whether a guarded write is kept (execGuarded).
func (tx *Tx) keepsGuarded() bool {
	return slices.ContainsFunc(tx.later, func(l laterWrite) bool { return l.want > 0 })
}

// laterWith takes the kept writes as WITH clauses ("l0 AS (...), l1 AS (...)") and their arguments, in
// order; the writes are no longer kept. PostgreSQL runs every data-modifying WITH clause exactly once, read
// or not, on the statement's snapshot: the kept writes are new rows of their own (or rows no other clause of
// the statement touches), so their order among themselves does not matter. A guarded write returns a row
// for each it changed, and guards says what its count must be ("(SELECT count(*) FROM l1) = 1").
func (tx *Tx) laterWith() (with string, args []any, kept []laterWrite, guards []string) {
	kept = tx.later
	tx.later = nil
	var b strings.Builder
	for i, l := range kept {
		if i > 0 {
			b.WriteString(", ")
		}
		if l.want > 0 {
			fmt.Fprintf(&b, "l%d AS (%s RETURNING 1)", i, l.q)
			guards = append(guards, fmt.Sprintf("(SELECT count(*) FROM l%d) = %d", i, l.want))
		} else {
			fmt.Fprintf(&b, "l%d AS (%s)", i, l.q)
		}
		args = append(args, l.args...)
	}
	return b.String(), args, kept, guards
}

// flushLater writes the kept writes before another statement: the first guarded write as the body of a
// statement whose WITH holds the writes kept before it, its rows counted; then the rest the same way, the
// last one as the body when none is guarded. A refusal is kept too (laterErr): the transaction ends with
// it, whatever its caller makes of it.
func (tx *Tx) flushLater() error {
	for len(tx.later) > 0 {
		body := len(tx.later) - 1
		for i, l := range tx.later {
			if l.want > 0 {
				body = i
				break
			}
		}
		last, rest := tx.later[body], slices.Clone(tx.later[body+1:])
		tx.later = tx.later[:body]
		with, args, kept, _ := tx.laterWith()
		tx.later = rest
		q := last.q
		if with != "" {
			q = "WITH " + with + " " + q
		}
		res, err := tx.execNow(tx.d.q(q), append(args, last.args...))
		if err != nil {
			err = errs.Wrap(laterRefused(append(kept, last), err), "write")
		} else if n, _ := res.RowsAffected(); last.want > 0 && n != last.want {
			err = last.mismatch
		}
		if err != nil {
			tx.later = nil
			if tx.laterErr == nil {
				tx.laterErr = err
			}
			return err
		}
	}
	return nil
}

// laterRefused is what err, the refusal of a statement that carried the kept writes, means: each write's
// refused hook is told (a number's unique index marks its series, refusedNumber), and the transaction runs
// again when any asks it to (errRetry).
func laterRefused(kept []laterWrite, err error) error {
	out := err
	for _, l := range kept {
		if l.refused == nil {
			continue
		}
		if e := l.refused(err); errors.Is(e, errRetry) {
			out = e
		}
	}
	return out
}
