package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/ids"
)

// Delegated powers (issue 14): delegations, pairs, help requests, guidance comments and inspection rounds,
// each a document with the columns lists read (migrations 037-039); edits carry a version and each change
// its audit entry.

// delegationSearch is what the list's search reads of a delegation: its item's names, the document's number,
// the state and the townships' names (read from the organisations).
func (tx *Tx) delegationSearch(d delegation.Delegation) (string, error) {
	parts := []string{d.ItemName, d.ItemNameMn, d.DocNo, string(d.State)}
	for _, t := range d.Townships {
		var zh, mn string
		if err := tx.queryRow(`SELECT name_zh, name_mn FROM orgs WHERE id = ?`, t.OrgID).Scan(&zh, &mn); err != nil {
			return "", errs.Wrap(err, "township of a delegation")
		}
		parts = append(parts, zh, mn)
	}
	return strings.ToLower(strings.Join(parts, "\n")), nil
}

// CreateDelegation stores a delegation and its townships (paths by id), with its audit entry.
func (tx *Tx) CreateDelegation(actor access.Actor, d *delegation.Delegation, townPaths map[string]string) error {
	d.ID, d.CreatedBy, d.CreatedAt, d.Version = ids.New(), actor.ID, tx.now, 1
	doc, _ := json.Marshal(d)
	search, err := tx.delegationSearch(*d)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO delegations (id, dept_id, dept_path, item_id, start_on, created_at, version, search, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.DeptID, d.DeptPath, d.ItemID, d.Start().Int(), tx.now, d.Version, search, string(doc)); err != nil {
		return errs.Wrap(err, "insert delegation")
	}
	if err := tx.Changed(CacheDelegations); err != nil {
		return err
	}
	for _, t := range d.Townships {
		if _, err := tx.exec(`INSERT INTO delegation_towns (delegation_id, township_id, township_path) VALUES (?, ?, ?)`, d.ID, t.OrgID, townPaths[t.OrgID]); err != nil {
			return errs.Wrap(err, "insert delegation township")
		}
	}
	return tx.Audit(actor, "delegation.create", "delegation", d.ID, d.DeptID, nil, d)
}

// SaveDelegation stores an edited delegation if nobody changed it since before was read.
func (tx *Tx) SaveDelegation(actor access.Actor, before, after delegation.Delegation, action, orgID string) (delegation.Delegation, error) {
	after.Version = before.Version + 1
	doc, _ := json.Marshal(after)
	search, err := tx.delegationSearch(after)
	if err != nil {
		return before, err
	}
	if err := updated(tx.exec(`UPDATE delegations SET version = ?, search = ?, doc = ? WHERE id = ? AND version = ?`, after.Version, search, string(doc), before.ID, before.Version)); err != nil {
		return before, err
	}
	if err := tx.Changed(CacheDelegations); err != nil {
		return before, err
	}
	return after, tx.Audit(actor, action, "delegation", before.ID, orgID, before, after)
}

// Delegation reads one delegation.
func (db *DB) Delegation(ctx context.Context, id string) (delegation.Delegation, error) {
	var d delegation.Delegation
	return d, readDoc(db.queryRow(ctx, `SELECT doc FROM delegations WHERE id = ?`, id), "delegation", &d)
}

// DelegationsOfItem lists every delegation of an item (a handful: intake reads them to find the one in force),
// kept in memory: every intake asks, and delegations change a few times a year. A change made here is seen
// at its commit, one made on another instance within the caches' poll (CacheDelegations). What is kept is
// read as committed, never through the transaction: a change of its own that the transaction then rolls back
// is not kept.
func (tx *Tx) DelegationsOfItem(itemID string) ([]delegation.Delegation, error) {
	list, err := tx.db.delegations.get(itemID, func() ([]delegation.Delegation, error) {
		return tx.db.DelegationsOfItem(tx.ctx, itemID)
	})
	return slices.Clone(list), err
}

// DelegationsOfItem lists every delegation of an item.
func (db *DB) DelegationsOfItem(ctx context.Context, itemID string) ([]delegation.Delegation, error) {
	return readDocs[delegation.Delegation](db.query(ctx, `SELECT doc FROM delegations WHERE item_id = ? ORDER BY id`, itemID))
}

// DelegationQuery is a list of delegations: made by departments within Dept (a path), or delegated to
// townships within Town; matching Text (item, document number, township); newest first by keyset (After: the
// last id of the page before).
type DelegationQuery struct {
	Dept, Town string
	All        bool
	Text       string
	Year       int // start date's year, 0 for any
	After      string
	Limit      int
}

// Delegations lists delegations, newest first.
func (db *DB) Delegations(ctx context.Context, q DelegationQuery) ([]delegation.Delegation, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	switch {
	case q.All:
	case q.Dept != "":
		lo, hi := subtreeRange(q.Dept)
		where, args = where+` AND d.dept_path >= ? AND d.dept_path < ?`, append(args, lo, hi)
	default:
		lo, hi := subtreeRange(q.Town)
		where, args = where+` AND d.id IN (SELECT delegation_id FROM delegation_towns WHERE township_path >= ? AND township_path < ?)`, append(args, lo, hi)
	}
	if q.Text != "" {
		where, args = where+` AND d.search LIKE ? ESCAPE '\'`, append(args, "%"+likeEscape(strings.ToLower(q.Text))+"%")
	}
	if q.Year > 0 {
		where, args = where+` AND d.start_on >= ? AND d.start_on < ?`, append(args, q.Year*10000, (q.Year+1)*10000)
	}
	if q.After != "" {
		where, args = where+` AND d.id < ?`, append(args, q.After)
	}
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	return readDocs[delegation.Delegation](db.query(ctx, `SELECT d.doc FROM delegations d`+where+` ORDER BY d.id DESC LIMIT ?`, append(args, q.Limit)...))
}

// CreatePair closes the handler's standing pair for the item (if any) and opens the new one, with its audit
// entry: a change keeps the history.
func (tx *Tx) CreatePair(actor access.Actor, p *delegation.Pair, deptPath, townPath string) error {
	var old []delegation.Pair
	old, err := readDocs[delegation.Pair](tx.query(`SELECT doc FROM delegation_pairs WHERE township_staff = ? AND item_id = ? AND until_at IS NULL`, p.TownshipStaff, p.ItemID))
	if err != nil {
		return err
	}
	for _, o := range old {
		closed := o
		closed.Until = tx.now
		doc, _ := json.Marshal(closed)
		if _, err := tx.exec(`UPDATE delegation_pairs SET until_at = ?, doc = ? WHERE id = ?`, tx.now, string(doc), o.ID); err != nil {
			return errs.Wrap(err, "close pair")
		}
		if err := tx.Audit(actor, "pair.close", "pair", o.ID, p.DeptID, o, closed); err != nil {
			return err
		}
	}
	p.ID, p.Since, p.By = ids.New(), tx.now, actor.ID
	doc, _ := json.Marshal(p)
	if _, err := tx.exec(`INSERT INTO delegation_pairs (id, item_id, dept_id, dept_path, township_id, township_path, township_staff, dept_staff, since_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ItemID, p.DeptID, deptPath, p.TownshipID, townPath, p.TownshipStaff, p.DeptStaff, tx.now, string(doc)); err != nil {
		return errs.Wrap(err, "insert pair")
	}
	return tx.Audit(actor, "pair.create", "pair", p.ID, p.DeptID, nil, p)
}

// PairQuery lists pairs: of an item, of a department's subtree or a township's, of one person (either
// side); current only or with history.
type PairQuery struct {
	Item, Dept, Town, Staff string
	History                 bool
	Limit                   int
}

// Pairs lists pairs, newest first.
func (db *DB) Pairs(ctx context.Context, q PairQuery) ([]delegation.Pair, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	if q.Item != "" {
		where, args = where+` AND item_id = ?`, append(args, q.Item)
	}
	if q.Dept != "" {
		lo, hi := subtreeRange(q.Dept)
		where, args = where+` AND dept_path >= ? AND dept_path < ?`, append(args, lo, hi)
	}
	if q.Town != "" {
		lo, hi := subtreeRange(q.Town)
		where, args = where+` AND township_path >= ? AND township_path < ?`, append(args, lo, hi)
	}
	if q.Staff != "" {
		where, args = where+` AND (dept_staff = ? OR township_staff = ?)`, append(args, q.Staff, q.Staff)
	}
	if !q.History {
		where += ` AND until_at IS NULL`
	}
	if q.Limit <= 0 {
		q.Limit = 500
	}
	return readDocs[delegation.Pair](db.query(ctx, `SELECT doc FROM delegation_pairs`+where+` ORDER BY id DESC LIMIT ?`, append(args, q.Limit)...))
}

func helpSearch(h delegation.Help) string {
	var b strings.Builder
	b.WriteString(h.Subject + "\n" + h.Question + "\n" + h.ItemName + "\n" + h.CaseNo)
	for _, p := range h.Posts {
		b.WriteString("\n" + p.Body)
	}
	return strings.ToLower(b.String())
}

// CreateHelp stores a help request with its audit entry.
func (tx *Tx) CreateHelp(actor access.Actor, h *delegation.Help) error {
	h.ID, h.AskerID, h.AskerName, h.AskedAt, h.Version = ids.New(), actor.ID, actor.Name, tx.now, 1
	doc, _ := json.Marshal(h)
	if _, err := tx.exec(`INSERT INTO help_requests (id, dept_id, dept_path, township_id, township_path, item_id, case_id, asker_id, counterpart_id, asked_on, is_open, search, version, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`, h.ID, h.DeptID, h.DeptPath, h.TownshipID, h.TownshipPath, h.ItemID, h.CaseID, h.AskerID, h.CounterpartID,
		h.Day.Int(), helpSearch(*h), h.Version, string(doc)); err != nil {
		return errs.Wrap(err, "insert help request")
	}
	return tx.Audit(actor, "help.ask", "help", h.ID, h.TownshipID, nil, h)
}

// SaveHelp stores an edited request (a post, resolution, an FAQ mark) if nobody changed it since.
func (tx *Tx) SaveHelp(actor access.Actor, before, after delegation.Help, action string) (delegation.Help, error) {
	after.Version = before.Version + 1
	open := 1
	if after.Resolved() {
		open = 0
	}
	doc, _ := json.Marshal(after)
	if err := updated(tx.exec(`UPDATE help_requests SET is_open = ?, search = ?, version = ?, doc = ? WHERE id = ? AND version = ?`,
		open, helpSearch(after), after.Version, string(doc), before.ID, before.Version)); err != nil {
		return before, err
	}
	return after, tx.Audit(actor, action, "help", before.ID, before.DeptID, before, after)
}

// Help reads one help request.
func (db *DB) Help(ctx context.Context, id string) (delegation.Help, error) {
	var h delegation.Help
	return h, readDoc(db.queryRow(ctx, `SELECT doc FROM help_requests WHERE id = ?`, id), "help", &h)
}

// HelpQuery is a list of help requests: asked within a township subtree, or addressed to a department
// subtree, or of one item or case; matching a text; newest first by keyset.
type HelpQuery struct {
	Town, Dept, Item, Case string
	All                    bool
	Text                   string
	Open                   bool
	FAQ                    bool // only requests with an answer promoted to the item's FAQ
	Year                   int
	From, Until            int // asked on days in [From, Until), yyyymmdd; 0 for no bound
	After                  string
	Limit                  int
}

// Helps lists help requests, newest first.
func (db *DB) Helps(ctx context.Context, q HelpQuery) ([]delegation.Help, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	switch {
	case q.All:
	case q.Dept != "":
		lo, hi := subtreeRange(q.Dept)
		where, args = where+` AND dept_path >= ? AND dept_path < ?`, append(args, lo, hi)
	case q.Town != "":
		lo, hi := subtreeRange(q.Town)
		where, args = where+` AND township_path >= ? AND township_path < ?`, append(args, lo, hi)
	default:
		return nil, nil
	}
	if q.Item != "" {
		where, args = where+` AND item_id = ?`, append(args, q.Item)
	}
	if q.Case != "" {
		where, args = where+` AND case_id = ?`, append(args, q.Case)
	}
	if q.Text != "" {
		where, args = where+` AND search LIKE ? ESCAPE '\'`, append(args, "%"+likeEscape(strings.ToLower(q.Text))+"%")
	}
	if q.Open {
		where += ` AND is_open = 1`
	}
	if q.FAQ {
		where += ` AND doc LIKE '%"faq":true%'`
	}
	if q.Year > 0 {
		where, args = where+` AND asked_on >= ? AND asked_on < ?`, append(args, q.Year*10000, (q.Year+1)*10000)
	}
	if q.From > 0 {
		where, args = where+` AND asked_on >= ?`, append(args, q.From)
	}
	if q.Until > 0 {
		where, args = where+` AND asked_on < ?`, append(args, q.Until)
	}
	if q.After != "" {
		where, args = where+` AND id < ?`, append(args, q.After)
	}
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	return readDocs[delegation.Help](db.query(ctx, `SELECT doc FROM help_requests`+where+` ORDER BY id DESC LIMIT ?`, append(args, q.Limit)...))
}

// AddComment stores a guidance comment on a case with its audit entry.
func (tx *Tx) AddComment(actor access.Actor, c *delegation.CaseComment, orgID string) error {
	c.ID, c.By, c.Name, c.At = ids.New(), actor.ID, actor.Name, tx.now
	if _, err := tx.exec(`INSERT INTO case_comments (id, case_id, by_id, by_name, body, at) VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.CaseID, c.By, c.Name, c.Body, c.At); err != nil {
		return errs.Wrap(err, "insert comment")
	}
	return tx.Audit(actor, "case.comment", "case", c.CaseID, orgID, nil, c)
}

// CaseComments lists a case's guidance comments, oldest first.
func (db *DB) CaseComments(ctx context.Context, caseID string) ([]delegation.CaseComment, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, by_id, by_name, body, at FROM case_comments WHERE case_id = ? ORDER BY id`, caseID)
	return collect(rows, err, func(r interface{ Scan(...any) error }) (delegation.CaseComment, error) {
		var c delegation.CaseComment
		err := r.Scan(&c.ID, &c.CaseID, &c.By, &c.Name, &c.Body, &c.At)
		return c, err
	})
}

// roundSearch is what the list's search reads of a round: its area, inspector, township's names, notes and
// findings.
func (tx *Tx) roundSearch(r delegation.Round) (string, error) {
	var zh, mn string
	if err := tx.queryRow(`SELECT name_zh, name_mn FROM orgs WHERE id = ?`, r.TownshipID).Scan(&zh, &mn); err != nil {
		return "", errs.Wrap(err, "township of a round")
	}
	parts := []string{r.Area, r.InspectorName, zh, mn, r.Notes}
	for _, f := range r.Findings {
		parts = append(parts, f.Text, f.Fix)
	}
	return strings.ToLower(strings.Join(parts, "\n")), nil
}

// CreateRound stores an inspection round with its audit entry.
func (tx *Tx) CreateRound(actor access.Actor, r *delegation.Round) error {
	r.ID, r.Version = ids.New(), 1
	doc, _ := json.Marshal(r)
	search, err := tx.roundSearch(*r)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO inspection_rounds (id, dept_id, dept_path, township_id, township_path, planned_on, version, search, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.DeptID, r.DeptPath, r.TownshipID, r.TownshipPath, r.Planned.Int(), r.Version, search, string(doc)); err != nil {
		return errs.Wrap(err, "insert round")
	}
	return tx.Audit(actor, "inspection.plan", "inspection", r.ID, r.DeptID, nil, r)
}

// SaveRound stores an edited round if nobody changed it since.
func (tx *Tx) SaveRound(actor access.Actor, before, after delegation.Round, action string) (delegation.Round, error) {
	after.Version = before.Version + 1
	doc, _ := json.Marshal(after)
	search, err := tx.roundSearch(after)
	if err != nil {
		return before, err
	}
	if err := updated(tx.exec(`UPDATE inspection_rounds SET version = ?, search = ?, doc = ? WHERE id = ? AND version = ?`, after.Version, search, string(doc), before.ID, before.Version)); err != nil {
		return before, err
	}
	return after, tx.Audit(actor, action, "inspection", before.ID, before.TownshipID, before, after)
}

// Round reads one inspection round.
func (db *DB) Round(ctx context.Context, id string) (delegation.Round, error) {
	var r delegation.Round
	return r, readDoc(db.queryRow(ctx, `SELECT doc FROM inspection_rounds WHERE id = ?`, id), "inspection", &r)
}

// RoundQuery lists rounds of an inspecting subtree or of a township subtree, of a year, matching Text;
// After is the cursor of the page before (RoundCursor of its last round).
type RoundQuery struct {
	Dept, Town string
	All        bool
	Text       string
	Year       int
	After      string
	Limit      int
}

// RoundCursor is the key a page of rounds ends at: the planned day and the id (the list's order).
func RoundCursor(r delegation.Round) string { return strconv.Itoa(r.Planned.Int()) + "." + r.ID }

// Rounds lists rounds, by planned day, newest first.
func (db *DB) Rounds(ctx context.Context, q RoundQuery) ([]delegation.Round, error) {
	where, args := ` WHERE 1 = 1`, []any{}
	switch {
	case q.All:
	case q.Dept != "":
		lo, hi := subtreeRange(q.Dept)
		where, args = where+` AND dept_path >= ? AND dept_path < ?`, append(args, lo, hi)
	case q.Town != "":
		lo, hi := subtreeRange(q.Town)
		where, args = where+` AND township_path >= ? AND township_path < ?`, append(args, lo, hi)
	default:
		return nil, nil
	}
	if q.Year > 0 {
		where, args = where+` AND planned_on >= ? AND planned_on < ?`, append(args, q.Year*10000, (q.Year+1)*10000)
	}
	if q.Text != "" {
		where, args = where+` AND search LIKE ? ESCAPE '\'`, append(args, "%"+likeEscape(strings.ToLower(q.Text))+"%")
	}
	if q.After != "" {
		day, id, ok := strings.Cut(q.After, ".")
		n, err := strconv.Atoi(day)
		if !ok || err != nil {
			return nil, errs.Field("cursor", "err.find.cursor")
		}
		where, args = where+` AND (planned_on < ? OR (planned_on = ? AND id < ?))`, append(args, n, n, id)
	}
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	return readDocs[delegation.Round](db.query(ctx, `SELECT doc FROM inspection_rounds`+where+` ORDER BY planned_on DESC, id DESC LIMIT ?`, append(args, q.Limit)...))
}

// DelegatedCases reads, for the assessment, the cases received in a year whose steps a delegation handed
// down (their document names it).
func (db *DB) DelegatedCases(ctx context.Context, year int, loc *time.Location) ([]cases.Case, error) {
	return db.DelegatedCasesIn(ctx, time.Date(year, 1, 1, 0, 0, 0, 0, loc), time.Date(year+1, 1, 1, 0, 0, 0, 0, loc))
}

// DelegatedCasesIn reads the cases received in [from, to) whose steps a delegation handed down.
func (db *DB) DelegatedCasesIn(ctx context.Context, from, to time.Time) ([]cases.Case, error) {
	list, err := db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE received_at >= ? AND received_at < ? AND doc LIKE ?`, from, to, `%"delegation":"%`)
	out := list[:0]
	for _, c := range list {
		if c.Delegation != "" {
			out = append(out, c)
		}
	}
	return out, err
}

// MarkDelegated records on the item's implementation at the township that the department delegated it,
// from the start date, on the document: what the township's guide shows (guide.delegated).
func (tx *Tx) MarkDelegated(actor access.Actor, itemID, township, deptID string, start clock.Date, basis string) error {
	im := Implementation{ItemID: itemID, OrgID: township}
	var doc string
	var v int
	switch err := tx.queryRow(`SELECT doc, version FROM implementations WHERE item_id = ? AND org_id = ?`, itemID, township).Scan(&doc, &v); {
	case err == nil:
		if err := json.Unmarshal([]byte(doc), &im); err != nil {
			return errs.Wrap(err, "implementation doc")
		}
	case errors.Is(err, sql.ErrNoRows):
	default:
		return errs.Wrap(err, "implementation")
	}
	im.DelegatedFrom, im.DelegatedAt, im.Basis = deptID, time.Date(start.Y, start.M, start.D, 0, 0, 0, 0, time.UTC), basis
	return tx.SetImplementation(actor, im)
}

// GuidedCase is a case received under a delegation, with the back office's returns (退回) on it.
type GuidedCase struct {
	Case    cases.Case
	Returns int
}

// GuidedCases reads the cases of an item handled by a township and received in [from, until) under the
// delegation, each with its count of return moves: the guidance period's figures.
func (db *DB) GuidedCases(ctx context.Context, delegationID, itemID, township string, from, until time.Time) ([]GuidedCase, error) {
	rows, err := db.query(ctx, `SELECT c.events, `+caseCols+` FROM cases c
		WHERE c.item_id = ? AND c.handling_org = ? AND c.received_at >= ? AND c.received_at < ?`, itemID, township, from, until)
	list, err := collect(rows, err, func(r interface{ Scan(...any) error }) (GuidedCase, error) {
		var g GuidedCase
		var row caseRow
		var timeline []byte
		if err := r.Scan(append([]any{&timeline}, row.dest()...)...); err != nil {
			return g, err
		}
		events, err := readTimeline(timeline)
		if err != nil {
			return g, err
		}
		for _, e := range events {
			if e.Action == cases.Return {
				g.Returns++
			}
		}
		g.Case, err = db.readCase(db.rowsOn(ctx), row)
		return g, err
	})
	out := list[:0]
	for _, g := range list {
		if g.Case.Delegation == delegationID {
			out = append(out, g)
		}
	}
	return out, err
}

// DelegatedRatings reads the counted ratings (not excluded by an upheld appeal) of the cases received in a
// year whose steps a delegation handed down: their levels by case.
func (db *DB) DelegatedRatings(ctx context.Context, year int, loc *time.Location) (map[string][]int, error) {
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, loc), time.Date(year+1, 1, 1, 0, 0, 0, 0, loc)
	rows, err := db.query(ctx, `SELECT r.case_id, r.level FROM ratings r JOIN cases c ON c.id = r.case_id
		WHERE c.received_at >= ? AND c.received_at < ? AND c.doc LIKE ? AND r.excluded = 0`, from, to, `%"delegation":"%`)
	type pair struct {
		id    string
		level int
	}
	list, err := collect(rows, err, func(r interface{ Scan(...any) error }) (pair, error) {
		var p pair
		return p, r.Scan(&p.id, &p.level)
	})
	out := map[string][]int{}
	for _, p := range list {
		out[p.id] = append(out[p.id], p.level)
	}
	return out, err
}

// Files of delegated powers (migration 049): a delegation's legal document, a help request's attachments.
const (
	FilesOfDelegation = "delegation"
	FilesOfHelp       = "help"
)

const delegFileCols = `id, owner_id, name, type, size, original_size, pages, width, height, sha256, by_id, created_at`

// scanDelegFile reads a file's record into files.File (its CaseID holds the owner's id).
func scanDelegFile(row interface{ Scan(...any) error }) (files.File, error) {
	var f files.File
	err := row.Scan(&f.ID, &f.CaseID, &f.Name, &f.Type, &f.Size, &f.Original, &f.Pages, &f.Width, &f.Height, &f.SHA256, &f.By, &f.At)
	return f, err
}

// AddDelegFile stores a prepared file of a delegation or a help request (kind, owner), its bytes once by
// address, with the audit entry that carries the hash.
func (tx *Tx) AddDelegFile(actor access.Actor, kind, owner, orgID string, f *files.File, body []byte) error {
	if err := tx.db.BlobStore().Put(tx, f.SHA256, body); err != nil {
		return err
	}
	f.ID, f.At, f.CaseID, f.By = ids.New(), tx.now, owner, actor.ID
	if _, err := tx.exec(`INSERT INTO deleg_files (owner_kind, `+delegFileCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, f.ID, owner, f.Name, f.Type, f.Size, f.Original, f.Pages, f.Width, f.Height, f.SHA256, f.By, f.At); err != nil {
		return errs.Wrap(err, "insert file")
	}
	return tx.Audit(actor, kind+".file", kind, owner, orgID, nil, map[string]any{"file": f.ID, "name": f.Name, "sha256": f.SHA256, "bytes": f.Size, "type": f.Type})
}

// DelegFiles lists the files of a delegation or a help request, oldest first.
func (db *DB) DelegFiles(ctx context.Context, kind, owner string) ([]files.File, error) {
	rows, err := db.query(ctx, `SELECT `+delegFileCols+` FROM deleg_files WHERE owner_kind = ? AND owner_id = ? ORDER BY created_at, id`, kind, owner)
	return collect(rows, err, scanDelegFile)
}

// DelegFile reads one file's record of an owner: a file of another owner is not found under this one.
func (db *DB) DelegFile(ctx context.Context, kind, owner, id string) (files.File, error) {
	f, err := scanDelegFile(db.queryRow(ctx, `SELECT `+delegFileCols+` FROM deleg_files WHERE owner_kind = ? AND owner_id = ? AND id = ?`, kind, owner, id))
	return f, notFound(err, "file")
}
