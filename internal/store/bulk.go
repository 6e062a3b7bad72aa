package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/ids"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/people"
)

// Bulk loads are for the dataset generator (bianmin gen): many rows per statement, one transaction per
// call, no audit entry per row (the generator records one for the whole load).

// GenBatch is one whole batch of a bulk load: the cases, the applicants made for them (each one applies in
// at least one case of the batch), the cases' timelines, their numbers' series and an audit entry for each
// case. It is written in one transaction with the counters it moves, so that a load stopped at any moment
// leaves whole batches and counters at or above every number in use.
type GenBatch struct {
	Applicants []people.Applicant
	Cases      []cases.Case
	Events     [][]CaseEvent
	Series     []Series // the number series of each case, in the order of the cases
	// Notices are the notices each case's moves issued, in the order of the cases, each in its own order.
	Notices [][]GenNotice
	// Moves are each case's moves after its receipt, for their audit entries, in the order of the cases.
	Moves [][]GenMove
	// Summary goes into the batch's own audit entry (the load's seed and batch).
	Summary map[string]any

	prep *genPrepared // PrepareGenBatch's, or made by WriteGenBatch
}

// genPrepared is what a batch's rows are made of that does not depend on its numbers, which are taken in its
// transaction: the cases' documents and packed timelines, the audit entries of their moves after receipt
// (what each changed: most of a batch's processor time), and the notices' docs as stored. A load prepares
// batches (PrepareGenBatch) on every processor while the one before them is written.
type genPrepared struct {
	docs      []string
	timelines []any
	moves     [][]audit.Entry
	papers    [][]any // each notice's doc as stored, packed; nil when it refers to the paper before it
}

// PrepareGenBatch makes what WriteGenBatch would make first of the batch, outside its transaction, reading
// item versions as they stand (a generated case's version is published, and a published version never
// changes).
func (db *DB) PrepareGenBatch(ctx context.Context, b *GenBatch) error {
	row := db.rowsOn(ctx)
	p := &genPrepared{docs: make([]string, len(b.Cases)), timelines: make([]any, len(b.Cases)),
		moves: make([][]audit.Entry, len(b.Cases)), papers: make([][]any, len(b.Cases))}
	for i, c := range b.Cases {
		var err error
		if p.docs[i], err = db.caseDoc(row, c); err != nil {
			return err
		}
		var evs []CaseEvent
		if i < len(b.Events) {
			evs = b.Events[i]
		}
		if p.timelines[i], err = db.d.packTimeline(evs); err != nil {
			return err
		}
		if i < len(b.Moves) {
			if p.moves[i], err = db.moveEntries(row, c.ID, b.Moves[i]); err != nil {
				return err
			}
		}
		if i < len(b.Notices) {
			ns := b.Notices[i]
			p.papers[i] = make([]any, len(ns))
			for j, n := range ns {
				if refersBack(ns, j) {
					continue
				}
				doc, err := db.leavePaper(row, c, n.Doc)
				if err != nil {
					return err
				}
				p.papers[i][j] = db.d.packJSON(doc)
			}
		}
	}
	b.prep = p
	return nil
}

// refersBack tells a notice that says what the one before it of the same move says (the 告知承诺书 beside its
// 受理通知书): it refers to that one's paper, as a move through the service keeps them (IssueNotice).
func refersBack(ns []GenNotice, j int) bool {
	return j > 0 && ns[j-1].Doc == ns[j].Doc && ns[j-1].Issued.Equal(ns[j].Issued)
}

// GenMove is a move of a generated case, with the case before and after it (cases.Case.Apply changes a
// copy, so the two share nothing a later move changes) and who made it.
type GenMove struct {
	Action             string // as the service's audit entry names it ("case.accept")
	At                 time.Time
	Before, After      cases.Case
	ActorID, ActorName string // "" for Bianmin itself
}

// genAudit makes the audit entries a generated case would have made through the service: its receipt with
// the case as it was received (numbered: so in the transaction that numbers it), then each move with what it
// changed (moveEntries, prepared), at the moments they were made and by who made them, on the handling
// organisation's chain.
func (tx *Tx) genAudit(list []cases.Case, moves [][]GenMove, made [][]audit.Entry) ([]audit.Entry, error) {
	entries := make([]audit.Entry, 0, len(list)*6+1)
	for i, c := range list {
		var ms []GenMove
		if i < len(moves) {
			ms = moves[i]
		}
		received, by, byName := c, access.System.ID, access.System.Name
		if len(ms) > 0 {
			received, by, byName = ms[0].Before, ms[0].ActorID, ms[0].ActorName
		}
		received.No = c.No // numbered when the batch is written
		full, err := tx.db.auditDoc(tx.queryRow, received)
		if err != nil {
			return nil, err
		}
		entries = append(entries, audit.Entry{At: c.Received, ActorID: by, ActorName: byName, Action: "case.receive", Entity: "case", EntityID: c.ID,
			OrgID: received.Handling, After: string(full)})
		entries = append(entries, made[i]...)
	}
	return entries, nil
}

// moveEntries are the audit entries of a generated case's moves after its receipt: what each changed.
func (db *DB) moveEntries(row rowFunc, caseID string, ms []GenMove) ([]audit.Entry, error) {
	entries := make([]audit.Entry, 0, len(ms))
	var last audit.Marshalled // the case after the move before: a move's case before it (life.move)
	for k, m := range ms {
		b := last
		if k == 0 {
			var err error
			if b, err = db.auditDoc(row, m.Before); err != nil {
				return nil, err
			}
		}
		a, err := db.auditDoc(row, m.After)
		if err != nil {
			return nil, err
		}
		e := audit.Entry{At: m.At, ActorID: m.ActorID, ActorName: m.ActorName, Action: m.Action, Entity: "case", EntityID: caseID, OrgID: m.After.Handling}
		e.Before, e.After = audit.Changes(b, a)
		entries = append(entries, e)
		last = a
	}
	return entries, nil
}

// GenNotice is a notice a generated case's move issued: numbered in its series when the batch is written.
type GenNotice struct {
	Kind, Prefix string // its kind, and the number prefix of the organisation it is issued in the name of
	Year         int    // the year of its number
	Issued       time.Time
	Doc          string // what it keeps (cases.Paper.Keep)
}

// WriteGenBatch numbers the batch's cases from their counters (in order: numbers rise with the cases), and
// stores everything with the audit entries.
func (db *DB) WriteGenBatch(ctx context.Context, b GenBatch) error {
	if b.prep == nil {
		if err := db.PrepareGenBatch(ctx, &b); err != nil {
			return err
		}
	}
	return db.writeBulk(ctx, func(tx *Tx) error {
		next, err := tx.reserveBlocks(b.Series)
		if err != nil {
			return err
		}
		list := slices.Clone(b.Cases)
		for i := range list {
			s := b.Series[i]
			list[i].No = s.Format(next[s.Scope])
			next[s.Scope]++
		}
		if err := bulkInsert(tx, `INSERT INTO applicants (id, kind, name, id_number, credit_code, credit_override, phone, address, org_id, version, created_at, updated_at, name_key, id_tail, phone_tail, terms_of) VALUES `,
			16, len(b.Applicants), func(i int) []any {
				a := b.Applicants[i]
				return append(append([]any{a.ID, a.Kind, a.Name, a.IDNumber, a.CreditCode, a.CreditOverride, a.Phone, a.Address, a.OrgID, 1, a.Created, a.Created}, findKeys(a)...), 1)
			}); err != nil {
			return err
		}
		var terms [][3]string
		for _, a := range b.Applicants {
			for _, t := range nameTerms(a.Name) {
				terms = append(terms, [3]string{t, a.OrgID, a.ID})
			}
		}
		if err := bulkInsert(tx, `INSERT INTO applicant_terms (term, org_id, applicant_id) VALUES `, 3, len(terms), func(i int) []any {
			return []any{terms[i][0], terms[i][1], terms[i][2]}
		}); err != nil {
			return err
		}
		if err := bulkCases(tx, list, b.Events, b.prep); err != nil {
			return err
		}
		if err := bulkNotices(tx, list, b.Notices, b.prep); err != nil {
			return err
		}
		entries, err := tx.genAudit(list, b.Moves, b.prep.moves)
		if err != nil {
			return err
		}
		entries = append(entries, audit.Entry{Action: "gen.batch", Entity: "dataset", EntityID: ids.New(), After: audit.Snapshot(b.Summary)})
		tx.auditMany(access.System, entries)
		// the numbers now in the documents are the ones stored
		copy(b.Cases, list)
		return nil
	})
}

// reserveBlocks takes, in the transaction, one block of numbers per series for a bulk load, as many as the
// list names it, and returns the first serial of each block by the series' scope. The counters are taken in
// the order of their names: the same order of counter locks in every writer.
func (tx *Tx) reserveBlocks(list []Series) (map[string]int64, error) {
	count := map[string]int{}
	byScope := map[string]Series{}
	for _, s := range list {
		count[s.Scope]++
		byScope[s.Scope] = s
	}
	next := map[string]int64{}
	for _, sc := range slices.Sorted(maps.Keys(count)) {
		first, err := tx.Reserve(byScope[sc], count[sc])
		if err != nil {
			return nil, err
		}
		next[sc] = first
	}
	return next, nil
}

// bulkNotices numbers and stores the batch's notices with their prepared docs: a block of numbers per series
// (reserveBlocks, as the cases'), given in the order of the cases. A notice that refers back (refersBack)
// keeps no doc of its own and names the paper before it.
func bulkNotices(tx *Tx, list []cases.Case, notices [][]GenNotice, prep *genPrepared) error {
	var all []Series
	for _, ns := range notices {
		for _, n := range ns {
			all = append(all, NoticeSeries(n.Prefix, n.Kind, n.Year))
		}
	}
	if len(all) == 0 {
		return nil
	}
	next, err := tx.reserveBlocks(all)
	if err != nil {
		return err
	}
	type row struct {
		caseID, id, no, code, kind string
		issued                     time.Time
		doc, paperOf               any
	}
	var rows []row
	for i, ns := range notices {
		for j, n := range ns {
			s := NoticeSeries(n.Prefix, n.Kind, n.Year)
			r := row{caseID: list[i].ID, id: ids.New(), no: s.Format(next[s.Scope]), code: ids.Token(10), doc: prep.papers[i][j], kind: n.Kind, issued: n.Issued}
			next[s.Scope]++
			if refersBack(ns, j) {
				r.doc, r.paperOf = tx.d.packJSON(""), rows[len(rows)-1].id
			}
			rows = append(rows, r)
		}
	}
	return bulkInsert(tx, `INSERT INTO notices (id, case_id, kind, notice_no, verify_code, issued_at, doc, paper_of) VALUES `, 8, len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.id, r.caseID, r.kind, r.no, r.code, r.issued, r.doc, r.paperOf}
	})
}

// bulkCases stores cases with their standing, prepared documents and timelines.
func bulkCases(tx *Tx, list []cases.Case, events [][]CaseEvent, prep *genPrepared) error {
	docs, timelines := prep.docs, prep.timelines
	err := bulkInsert(tx, `INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, bundle, state, step, version, doc, events, received_at, updated_at, `+placeCols+`, `+factCols+`, no_digits) VALUES `,
		30, len(list), func(i int) []any {
			c, doc := list[i], docs[i]
			updated := c.Received
			if i < len(events) && len(events[i]) > 0 { // as PrepareGenBatch: a case may come without a timeline
				updated = events[i][len(events[i])-1].At
			}
			return append(append([]any{c.ID, c.No, c.Handling, c.Receiving, c.ItemID, c.ItemVersion, c.ApplicantID, c.Bundle, c.State, c.Step, c.Version, doc, timelines[i], c.Received, updated},
				placeArgs(c)...), append(factArgs(c), noDigits(c.No))...)
		})
	if err != nil {
		return err
	}
	err = bulkInsert(tx, `INSERT INTO case_clock (`+clockCols+`) VALUES `, 24, len(list), func(i int) []any {
		c := list[i]
		return clockRow(c, max(c.Standing.ReceivedOn, 1))
	})
	if err != nil {
		return err
	}
	for _, c := range list { // a case left at a joint step waits for its bodies (only such cases write a row)
		if err := tx.setAwaits(c); err != nil {
			return err
		}
	}
	return nil
}

// writeBulk is Write for a bulk load. On PostgreSQL the transaction runs on a connection of its own, so that
// bulkInsert can COPY its rows on that connection inside the transaction: the server then neither parses nor
// plans a statement per thousand rows, and the rows go over in binary.
func (db *DB) writeBulk(ctx context.Context, fn func(*Tx) error) error {
	if !db.d.dollar {
		return db.Write(ctx, fn)
	}
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = func() error {
			conn, err := db.w.Conn(ctx)
			if err != nil {
				return errs.Wrap(err, "connection")
			}
			defer conn.Close()
			sqlTx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return errs.Wrap(err, "begin")
			}
			return db.finish(ctx, &Tx{tx: sqlTx, d: db.d, ctx: ctx, now: db.Now().UTC().Truncate(time.Microsecond), db: db, conn: conn}, fn)
		}()
		if err == nil || !db.d.retryable(err) {
			return err
		}
		db.retries.Add(1)
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

// bulkInsert writes n rows of cols columns: by COPY in a bulk load's transaction on PostgreSQL (writeBulk),
// otherwise as many rows per statement as PostgreSQL's 65,535 parameters allow.
func bulkInsert(tx *Tx, head string, cols, n int, row func(i int) []any) error {
	return bulkInsertAfter(tx, "", nil, head, cols, n, row)
}

// bulkInsertAfter is bulkInsert with a WITH clause (with, its arguments withArgs) heading its first
// statement (dialect.writesInWith); not with COPY.
func bulkInsertAfter(tx *Tx, with string, withArgs []any, head string, cols, n int, row func(i int) []any) error {
	if tx.conn != nil {
		if with != "" {
			return errs.Wrap(errors.New("a WITH clause before COPY"), "bulk insert")
		}
		return tx.copyRows(head, n, row)
	}
	per := rowsPerInsert(cols)
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		if lo > 0 {
			with, withArgs = "", nil
		}
		q, args := insertRows(with, withArgs, head, cols, lo, hi, row)
		if _, err := tx.exec(q, args...); err != nil {
			return errs.Wrap(err, "bulk insert")
		}
	}
	return nil
}

// rowsPerInsert is how many rows of cols columns one INSERT takes (PostgreSQL takes 65,535 parameters).
func rowsPerInsert(cols int) int {
	return min(60000/cols, 1000)
}

// insertRows is one multi-row INSERT of rows lo to hi, after a WITH clause and its arguments.
func insertRows(with string, withArgs []any, head string, cols, lo, hi int, row func(i int) []any) (string, []any) {
	mark := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	var b strings.Builder
	args := make([]any, 0, (hi-lo)*cols+len(withArgs))
	b.WriteString(with)
	args = append(args, withArgs...)
	b.WriteString(head)
	for i := lo; i < hi; i++ {
		if i > lo {
			b.WriteString(", ")
		}
		b.WriteString(mark)
		args = append(args, row(i)...)
	}
	return b.String(), args
}

// Counter reads a named counter (0 when it was never counted).
func (db *DB) Counter(ctx context.Context, scope string) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT value FROM counters WHERE scope = ?`, scope).Scan(&v)
	if err != nil {
		return 0, nil
	}
	return v, nil
}

// RaiseCounter sets a counter to at least v, so that numbers handed out by a bulk load are never given again.
func (tx *Tx) RaiseCounter(scope string, v int64) error {
	_, err := tx.exec(`INSERT INTO counters (scope, value) VALUES (?, ?)
		ON CONFLICT (scope) DO UPDATE SET value = CASE WHEN counters.value < excluded.value THEN excluded.value ELSE counters.value END`, scope, v)
	return errs.Wrap(err, "counter")
}

// AfterBulkLoad gives the query planner what a bulk load took from it. PostgreSQL plans by its statistics and
// marks pages all-visible only when a table is vacuumed: straight after a million generated cases it had
// neither (autovacuum comes later, and meanwhile a clerk's case search took 27 s by a wrong plan, and the
// queue read the heap for rows its index holds). SQLite plans without statistics, as Bianmin's queries are
// written for.
func (db *DB) AfterBulkLoad(ctx context.Context) error {
	if !db.d.dollar {
		return nil
	}
	_, err := db.w.ExecContext(ctx, `VACUUM ANALYZE`)
	return errs.Wrap(err, "vacuum analyze")
}

// copyRows COPYs n rows into the table and columns an INSERT head names ("INSERT INTO t (a, b) VALUES "), on
// the bulk load's own connection, inside its transaction.
func (tx *Tx) copyRows(head string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	table, cols, err := insertTarget(head)
	if err != nil {
		return err
	}
	return errs.Wrap(tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: the connection is a %T, not pgx's", dc)
		}
		_, err := c.Conn().CopyFrom(tx.ctx, pgx.Identifier{table}, cols, &copySource{n: n, rowAt: row, i: -1})
		return err
	}), "copy into "+table)
}

// insertTarget reads the table and the columns out of an INSERT head.
func insertTarget(head string) (string, []string, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(head), "INSERT INTO ")
	table, list, ok2 := strings.Cut(rest, "(")
	list, _, ok3 := strings.Cut(list, ")")
	if !ok || !ok2 || !ok3 {
		return "", nil, fmt.Errorf("copy: %q is not an INSERT head", head)
	}
	var cols []string
	for c := range strings.SplitSeq(list, ",") {
		cols = append(cols, strings.TrimSpace(c))
	}
	return strings.TrimSpace(table), cols, nil
}

// copySource hands pgx the rows one by one as rowAt(i) makes them.
type copySource struct {
	n, i  int
	rowAt func(i int) []any
	cur   []any
}

func (s *copySource) Next() bool {
	s.i++
	if s.i >= s.n {
		return false
	}
	s.cur = s.rowAt(s.i)
	return true
}

func (s *copySource) Values() ([]any, error) { return s.cur, nil }
func (s *copySource) Err() error             { return nil }

// SetAsideIndexes drops the secondary indexes of the tables a bulk load fills (PostgreSQL), recording each one's
// definition first in the same transaction: a load into a database of millions of rows then writes its rows
// alone, and the indexes are built once at the end (MakeIndexes), by a sort rather than row by row. Constraint
// indexes (primary keys, unique) stay: they keep the load honest. A load stopped before it made them again has
// them made at the next start (Migrate). On SQLite it does nothing: its loads keep their indexes.
func (db *DB) SetAsideIndexes(ctx context.Context) (int, error) {
	if !db.d.dollar {
		return 0, nil
	}
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT i.indexname, i.indexdef FROM pg_indexes i
			WHERE i.schemaname = current_schema() AND i.tablename IN ('cases', 'case_clock', 'audit_log', 'applicants', 'applicant_terms', 'notices')
			AND i.indexdef NOT LIKE 'CREATE UNIQUE %'
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
			ORDER BY i.indexname`)
		if err != nil {
			return err
		}
		var names, defs []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return err
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, name := range names {
			if _, err := tx.exec(`INSERT INTO bulk_indexes (name, def) VALUES (?, ?)`, name, defs[i]); err != nil {
				return errs.Wrap(err, "bulk index")
			}
			if _, err := tx.exec(`DROP INDEX ` + pgx.Identifier{name}.Sanitize()); err != nil {
				return errs.Wrap(err, "drop index "+name)
			}
		}
		n = len(names)
		return nil
	})
	return n, err
}

// MakeIndexes builds again the indexes SetAsideIndexes dropped, one at a time, each in its own transaction
// with its record, so that a build stopped part way leaves the others to the next start. progress, when not
// nil, hears of each index built.
func (db *DB) MakeIndexes(ctx context.Context, progress func(done, total int)) (int, error) {
	var names, defs []string
	rows, err := db.w.QueryContext(ctx, `SELECT name, def FROM bulk_indexes ORDER BY name`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return 0, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for i, name := range names {
		err := db.Write(ctx, func(tx *Tx) error {
			// an index build sorts in memory up to maintenance_work_mem, then on disk: give it room
			if tx.d.dollar {
				if _, err := tx.exec(`SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
					return err
				}
			}
			if _, err := tx.exec(`CREATE INDEX IF NOT EXISTS ` + strings.TrimPrefix(defs[i], "CREATE INDEX ")); err != nil {
				return errs.Wrap(err, "make index "+name)
			}
			_, err := tx.exec(`DELETE FROM bulk_indexes WHERE name = ?`, name)
			return err
		})
		if err != nil {
			return i, err
		}
		if progress != nil {
			progress(i+1, len(names))
		}
	}
	return len(names), nil
}
