package store

import (
	"errors"
	"fmt"
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
// audit_heads) writes what is kept first. SQLite's statements are calls inside the process: there a write is
// run at once.

// laterWrite is a kept write: an INSERT or UPDATE with ? marks and no RETURNING, and what a refusal of the
// statement that carries it means for it (refused; nil: the error as it is).
type laterWrite struct {
	q       string
	args    []any
	refused func(error) error
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

// laterWith takes the kept writes as WITH clauses ("l0 AS (...), l1 AS (...)") and their arguments, in
// order; the writes are no longer kept. PostgreSQL runs every data-modifying WITH clause exactly once, read
// or not, on the statement's snapshot: the kept writes are new rows of their own (or rows no other clause of
// the statement touches), so their order among themselves does not matter.
func (tx *Tx) laterWith() (string, []any, []laterWrite) {
	kept := tx.later
	tx.later = nil
	var b strings.Builder
	var args []any
	for i, l := range kept {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "l%d AS (%s)", i, l.q)
		args = append(args, l.args...)
	}
	return b.String(), args, kept
}

// flushLater writes the kept writes in one statement (the last one as its body, the others in its WITH). Its
// refusal is kept too (laterErr): the transaction ends with it, whatever its caller makes of it.
func (tx *Tx) flushLater() error {
	if len(tx.later) == 0 {
		return nil
	}
	last := tx.later[len(tx.later)-1]
	tx.later = tx.later[:len(tx.later)-1]
	with, args, kept := tx.laterWith()
	q := last.q
	if with != "" {
		q = "WITH " + with + " " + q
	}
	_, err := tx.execNow(tx.d.q(q), append(args, last.args...))
	if err != nil {
		err = errs.Wrap(laterRefused(append(kept, last), err), "write")
		if tx.laterErr == nil {
			tx.laterErr = err
		}
	}
	return err
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
