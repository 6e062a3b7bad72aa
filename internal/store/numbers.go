package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
)

// Human numbers (case numbers, notice numbers, hand-off lists) are a counter's serial written into a head and
// a tail: 天山2026000042, 天山受理〔2026〕42号. A counter must stand at or above every number of its series in
// use. Everything that writes numbered records moves the counter in the same transaction; and when a number
// is found taken all the same (written behind the counter's back: a bulk load from before counters moved with
// it, a restored copy, a hand edit), the allocator moves the counter past the highest number of the series in
// use and takes the next, logging and auditing that once. It never fails a write for it, and the same number
// is never met twice. A case or notice number is found taken by its insert (Series.refused), which runs the
// transaction again; other series look before they give.
//
// Gaps: on PostgreSQL a number is taken outside the transaction that uses it (dialect.numbersApart), so a
// transaction that takes a number and then fails leaves that number unused, and it is not given again: the
// series has a gap. Nothing in the rules Bianmin follows asks for gapless numbers (README, "The law in
// Bianmin": 受理编号 and 文书编号 must be unique and traceable); a gap is explained by the failed request's
// log and audit, and `bianmin check` lists the gaps of every series beside its findings, not as one. Numbers
// taken in blocks (numberblocks.go, a setting) add the gaps of blocks not used up in time.

// Series is one run of numbers kept by one counter.
type Series struct {
	Scope string // the counter's name
	table string
	col   string
	Head  string // what comes before the serial
	Tail  string // what comes after it
	Pad   int    // zero-padded width of the serial (0: none)
	// refused: the column's unique index refuses a number taken already, at the insert that follows the
	// Take in its transaction (refusedNumber), so a number is not looked up before it is given; the
	// refusal marks the series and runs the transaction again, which looks and heals. Case and notice
	// numbers, a statement fewer on every intake and notice.
	refused bool
}

// CaseSeries is the case numbers of a printed prefix and year: prefix, year, a six-digit serial.
func CaseSeries(prefix string, year int) Series {
	return Series{Scope: fmt.Sprintf("case/%s/%d", prefix, year), table: "cases", col: "case_no", Head: fmt.Sprintf("%s%d", prefix, year), Pad: 6, refused: true}
}

// NoticeSeries is the notice numbers of a printed prefix, a kind and a year (机关简称 + 文书性质 + 〔年份〕 + 顺序号).
func NoticeSeries(prefix, kind string, year int) Series {
	return Series{Scope: fmt.Sprintf("notice/%s/%s/%d", prefix, kind, year), table: "notices", col: "notice_no",
		Head: fmt.Sprintf("%s%s〔%d〕", prefix, kindShort[kind], year), Tail: "号", refused: true}
}

// HandoffSeries is the transfer lists of a sending township's prefix and a year.
func HandoffSeries(prefix string, year int) Series {
	return Series{Scope: fmt.Sprintf("handoff/%s/%d", prefix, year), table: "handoffs", col: "list_no", Head: fmt.Sprintf("%s移交〔%d〕", prefix, year), Tail: "号"}
}

// Format writes serial n as a number of the series.
func (s Series) Format(n int64) string {
	return fmt.Sprintf("%s%0*d%s", s.Head, s.Pad, n, s.Tail)
}

// Parse reads the serial out of a number of the series (false when the number is not of it).
func (s Series) Parse(no string) (int64, bool) {
	if !strings.HasPrefix(no, s.Head) || !strings.HasSuffix(no, s.Tail) || len(no) <= len(s.Head)+len(s.Tail) {
		return 0, false
	}
	mid := no[len(s.Head) : len(no)-len(s.Tail)]
	for _, c := range mid {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if s.Pad > 0 && len(mid) < s.Pad || s.Pad == 0 && len(mid) > 1 && mid[0] == '0' {
		return 0, false
	}
	n, err := strconv.ParseInt(mid, 10, 64)
	return n, err == nil
}

// Take gives the next number of a series, healing the counter when the number it would give is taken.
func (tx *Tx) Take(s Series) (int64, string, error) {
	first, err := tx.Reserve(s, 1)
	return first, s.Format(first), err
}

// TakeAhead takes, in one statement, the next number of each of several series that the transaction is
// about to take one number of each (a move that issues two notices: its 受理通知书 and 告知承诺书), where
// numbers are taken apart from the transaction (PostgreSQL): each take was a round trip of its own. The
// numbers wait in the transaction for its Takes; one it does not use is a gap, as the number of a failed
// transaction is (the gap policy above). The counters are moved in their names' order, so that two such
// statements never deadlock on each other's rows. Elsewhere it does nothing: SQLite's takes are calls inside
// the process.
func (tx *Tx) TakeAhead(ss ...Series) error {
	if !tx.d.numbersApart {
		return nil
	}
	var scopes []string
	for _, s := range ss {
		if _, ok := tx.ahead[s.Scope]; !ok && !slices.Contains(scopes, s.Scope) {
			scopes = append(scopes, s.Scope)
		}
	}
	if len(scopes) < 2 && !tx.db.blocks.on() {
		return nil // one is taken by its Take in as many round trips
	}
	slices.Sort(scopes)
	var taken map[string]int64
	var err error
	if tx.db.blocks.on() {
		taken, err = tx.db.blocks.take(tx.ctx, scopes, tx.db.moveCounters)
	} else {
		taken, err = tx.db.moveCounters(tx.ctx, scopes, nil)
	}
	if err != nil {
		return err
	}
	if tx.ahead == nil {
		tx.ahead = map[string]int64{}
	}
	for sc, v := range taken {
		tx.ahead[sc] = v
	}
	return nil
}

// moveCounters moves the counters of scopes (sorted, so that two such statements never deadlock on each
// other's rows) on by counts (nil: one each), apart from any transaction, in one statement, and returns
// each counter's new value.
func (db *DB) moveCounters(ctx context.Context, scopes []string, counts []int64) (map[string]int64, error) {
	db.counterStatements.Add(1)
	args := make([]any, 0, 2*len(scopes))
	for i, sc := range scopes {
		k := int64(1)
		if counts != nil {
			k = counts[i]
		}
		args = append(args, sc, k)
	}
	rows, err := db.numbers.QueryContext(ctx, db.d.q(`INSERT INTO counters (scope, value) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?), ", len(scopes)), ", ")+counterMoved), args...)
	return keyed[int64](rows, err, "serials")
}

// counterMoved ends the statements that move counters on, each by its count (making those not there yet at
// their count), and return each counter's scope and new value.
const counterMoved = ` ON CONFLICT (scope) DO UPDATE SET value = counters.value + excluded.value RETURNING scope, value`

// Reserve moves the counter of a series on by k and returns the first of the k serials it passed, all of
// them free. A bulk load (bianmin gen) reserves a batch's numbers in the batch's own transaction.
func (tx *Tx) Reserve(s Series, k int) (int64, error) {
	_, behind := tx.db.numbersBehind.LoadAndDelete(s.Scope)
	v, ahead := tx.ahead[s.Scope]
	var err error
	switch {
	case ahead && k == 1:
		delete(tx.ahead, s.Scope) // taken by TakeAhead
	case k == 1 && s.refused && !behind && tx.db.blocks.on():
		var got map[string]int64
		if got, err = tx.db.blocks.take(tx.ctx, []string{s.Scope}, tx.db.moveCounters); err != nil {
			return 0, errs.Wrap(err, "serial")
		}
		v = got[s.Scope]
	default:
		if behind {
			tx.db.blocks.drop(s.Scope)
		}
		if v, err = tx.counterAdd(s.Scope, int64(k)); err != nil {
			return 0, err
		}
	}
	first := v - int64(k) + 1
	if k == 1 && s.refused && !behind {
		return first, nil
	}
	taken, err := tx.anyTaken(s, first, v)
	if err != nil || !taken {
		return first, err
	}
	high, err := tx.Highest(s)
	if err != nil {
		return 0, err
	}
	// past the highest in use and past whatever others took meanwhile, in one statement
	healed, err := tx.counterStep(`UPDATE counters SET value = (CASE WHEN value < ? THEN ? ELSE value END) + ? WHERE scope = ? RETURNING value`, high, high, k, s.Scope)
	if err != nil {
		return 0, errs.Wrap(err, "heal counter")
	}
	tx.db.logger().Warn("number counter behind the numbers in use: moved past the highest",
		"counter", s.Scope, "was", first-1, "highest_in_use", high, "now", healed)
	err = tx.Audit(access.System, "counter.heal", "counter", s.Scope, "", map[string]int64{"value": first - 1}, map[string]int64{"value": healed, "highest_in_use": high})
	return healed - int64(k) + 1, err
}

// refusedNumber is what an insert that writes a number of s returns for err: when err is a unique index's
// refusal, the series is marked (so that the next Take looks before it gives) and the transaction runs
// again (errRetry); any other error as it is.
func (tx *Tx) refusedNumber(s Series, err error) error {
	if err == nil || !s.refused || !tx.d.isUnique(err) {
		return err
	}
	tx.db.numbersBehind.Store(s.Scope, true)
	return errors.Join(errRetry, err)
}

// counterAdd moves a counter on by k (making it at k) and returns its new value.
func (tx *Tx) counterAdd(scope string, k int64) (int64, error) {
	var v map[string]int64
	var err error
	if tx.d.numbersApart {
		v, err = tx.db.moveCounters(tx.ctx, []string{scope}, []int64{k})
	} else {
		rows, qerr := tx.query(`INSERT INTO counters (scope, value) VALUES (?, ?)`+counterMoved, scope, k)
		v, err = keyed[int64](rows, qerr, "serial")
	}
	return v[scope], err
}

// counterStep runs a statement that moves a counter and returns its value: where the dialect takes numbers
// apart, as its own autocommitted statement (the counter's row is locked for that statement alone, and what
// it took stays taken whatever becomes of the transaction); else inside the transaction.
func (tx *Tx) counterStep(q string, args ...any) (int64, error) {
	var v int64
	if !tx.d.numbersApart {
		err := tx.queryRow(q, args...).Scan(&v)
		return v, err
	}
	tx.db.counterStatements.Add(1)
	err := tx.db.numbers.QueryRowContext(tx.ctx, tx.d.q(q), args...).Scan(&v)
	return v, err
}

// anyTaken reports whether any serial from lo to hi is already used in the series.
func (tx *Tx) anyTaken(s Series, lo, hi int64) (bool, error) {
	for a := lo; a <= hi; a += 500 {
		b := min(a+499, hi)
		args := make([]any, 0, b-a+1)
		for n := a; n <= b; n++ {
			args = append(args, s.Format(n))
		}
		var c int
		q := `SELECT count(*) FROM ` + s.table + ` WHERE ` + s.col + ` IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + `)`
		if err := tx.queryRow(q, args...).Scan(&c); err != nil {
			return false, errs.Wrap(err, "numbers taken")
		}
		if c > 0 {
			return true, nil
		}
	}
	return false, nil
}

// Highest finds the highest serial of a series in use (0 when none): a scan of the series, on the rare
// path that heals a counter.
func (tx *Tx) Highest(s Series) (int64, error) {
	rows, err := tx.query(`SELECT `+s.col+` FROM `+s.table+` WHERE `+s.col+` LIKE ?`, likePrefix(s.Head))
	if err != nil {
		return 0, errs.Wrap(err, "highest number")
	}
	defer rows.Close()
	var high int64
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return 0, err
		}
		if n, ok := s.Parse(no); ok && n > high {
			high = n
		}
	}
	return high, rows.Err()
}

// likePrefix is a LIKE pattern for "starts with p" (the few wildcard characters matched loosely: Parse
// decides).
func likePrefix(p string) string {
	return strings.NewReplacer("%", "_", "\\", "_").Replace(p) + "%"
}

func (db *DB) logger() *slog.Logger {
	if db.Log != nil {
		return db.Log
	}
	return slog.Default()
}
