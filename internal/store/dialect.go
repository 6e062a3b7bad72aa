package store

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect is the seam between SQLite and PostgreSQL: placeholders, row locks and error classes. Queries are
// written once, with ? placeholders.
type dialect struct {
	name      string
	dollar    bool   // PostgreSQL numbers its placeholders: $1, $2 ...
	forUpdate string // row lock suffix; SQLite needs none, its write transactions are exclusive
	// skipLocked locks the rows read and passes over rows another transaction holds (the outbox's senders
	// on several instances); SQLite's one writer needs none.
	skipLocked string
	// byCode orders text by code point on both engines (PostgreSQL would otherwise use the server's locale),
	// so that lists come out in the same order everywhere.
	byCode string
	// numbersApart: a number (case, notice, hand-off list) is taken by its own short autocommitted statement
	// outside the transaction that uses it (counterAdd). On PostgreSQL a counter row held to the end of each
	// case's transaction made every window of a township wait for the others; SQLite has one writer anyway,
	// and takes the number inside the transaction (a transaction that fails gives its number back).
	numbersApart bool
	// noBytes is the empty value of a packed column (packJSON): SQLite keeps the '' its text column held
	// (and SQL compares with ''); PostgreSQL's bytea takes no text through COPY, and a nil slice is NULL.
	noBytes any
	// writesInWith: a WITH clause may hold UPDATEs run with the statement that follows it (PostgreSQL), so
	// that two writes whose results nobody waits for cost one round trip; SQLite's WITH holds only SELECTs.
	writesInWith bool
	// pipelines: a write transaction sends its BEGIN with its first write and its COMMIT with its last
	// (pgtx.go); SQLite's statements are calls inside the process, with nothing to pipeline.
	pipelines bool
	// auditLanes is DB.AuditLanes at Open: on PostgreSQL each lane's head is a row concurrent transactions of
	// an organisation wait for, so it takes eight; SQLite's one writer never has two transactions at a head.
	auditLanes int
}

var (
	sqlite   = dialect{name: "sqlite", noBytes: "", auditLanes: 1}
	postgres = dialect{name: "postgres", dollar: true, forUpdate: " FOR UPDATE", skipLocked: " FOR UPDATE SKIP LOCKED", byCode: ` COLLATE "C"`, numbersApart: true,
		noBytes: []byte{}, writesInWith: true, pipelines: true, auditLanes: 8}
)

// EngineOf names the engine a database address is for, as DB.Dialect does once it is open: "postgres" for
// a postgres:// or postgresql:// URL, "sqlite" for anything else (a file, or the data directory's).
func EngineOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.name
	}
	return sqlite.name
}

// q rewrites ? placeholders to $n for PostgreSQL, leaving quoted text alone. A statement's text is one of
// the store's literals or built from a few of them (an IN list of so many), so each is rewritten once and
// kept: every statement of every move passes here (measured: 2.6% of the server's processor before).
func (d dialect) q(s string) string {
	if !d.dollar || !strings.Contains(s, "?") {
		return s
	}
	if v, ok := rewritten.Load(s); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	n, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	// bounded, so that texts made of values (none should be) could not grow it without end
	if rewrittenN.Load() < maxRewritten {
		if _, loaded := rewritten.LoadOrStore(s, out); !loaded {
			rewrittenN.Add(1)
		}
	}
	return out
}

// rewritten keeps q's results by statement text, at most maxRewritten of them.
var (
	rewritten  sync.Map
	rewrittenN atomic.Int64
)

const maxRewritten = 8192

// isUnique reports a unique-constraint violation.
func (d dialect) isUnique(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// retryable reports errors after which the whole transaction may simply be run again.
func (d dialect) retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	return strings.Contains(err.Error(), "SQLITE_BUSY")
}

// inSelect is "col IN (sub)". PostgreSQL gets "col = ANY (ARRAY(sub))": the subquery runs once first, so
// that an OR of such terms still combines their indexes (an IN over a subquery becomes a hashed subplan,
// and the whole OR a scan of the table).
func (d dialect) inSelect(col, sub string) string {
	if d.dollar {
		return col + " = ANY (ARRAY(" + sub + "))"
	}
	return col + " IN (" + sub + ")"
}
