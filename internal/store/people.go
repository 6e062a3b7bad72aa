package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/oversight"
	"bianmin/internal/people"
	"bianmin/internal/roster"
)

// The people of the hall (issue 11; rules in internal/roster): staff records, rosters, leave, attendance,
// coverage alerts, recusal declarations. Migrations 027, 028, 029, 031.

// StaffRecord is an account with what the hall keeps of its person.
type StaffRecord struct {
	people.Staff
	Title, StaffNo, Duties string
	Seats, Domains         []string
	Photo                  string // the photo's SHA-256, "" when none
}

// Person is the record as the roster's rules see it.
func (r StaffRecord) Person() roster.Person {
	return roster.Person{ID: r.ID, Name: r.Name, Role: r.Role, Active: r.Active, Seats: r.Seats, Domains: r.Domains}
}

const recordCols = staffCols + `, s.title, s.staff_no, s.duties, s.seats, s.domains, s.photo_sha256`

func scanRecord(r interface{ Scan(...any) error }) (StaffRecord, error) {
	var s StaffRecord
	var seats, domains string
	err := r.Scan(&s.ID, &s.Username, &s.Name, &s.Phone, &s.Role, &s.OrgID, &s.OrgPath, &s.Lang, &s.Active, &s.MustChangePassword, &s.Version, &s.Created,
		&s.Title, &s.StaffNo, &s.Duties, &seats, &domains, &s.Photo)
	s.Seats, s.Domains = splitList(seats), splitList(domains)
	return s, err
}

// StaffRecord reads one account with its record.
func (db *DB) StaffRecord(ctx context.Context, id string) (StaffRecord, error) {
	s, err := scanRecord(db.queryRow(ctx, `SELECT `+recordCols+` FROM staff s JOIN orgs o ON o.id = s.org_id WHERE s.id = ?`, id))
	return s, notFoundOrNil(err, "staff")
}

// StaffRecordsIn lists the records of a subtree, by organisation then username.
func (db *DB) StaffRecordsIn(ctx context.Context, rootPath string) ([]StaffRecord, error) {
	lo, hi := subtreeRange(rootPath)
	rows, err := db.query(ctx, `SELECT `+recordCols+` FROM staff s JOIN orgs o ON o.id = s.org_id WHERE o.path >= ? AND o.path < ? ORDER BY o.path, s.username`, lo, hi)
	return collect(rows, err, scanRecord)
}

// recordAudit is what the trail keeps of a record (never the password hash, nor the photo's bytes).
type recordAudit struct {
	staffAudit
	Title, StaffNo, Duties, Seats, Domains, Photo string
}

func auditRecord(r StaffRecord) recordAudit {
	return recordAudit{auditStaff(r.Staff), r.Title, r.StaffNo, r.Duties, strings.Join(r.Seats, ","), strings.Join(r.Domains, ","), r.Photo}
}

// UpdateStaffRecord writes an edited record if the account is still at before's version; a deactivation
// ends the account's sessions.
func (tx *Tx) UpdateStaffRecord(actor access.Actor, action string, before, after StaffRecord) error {
	res, err := tx.exec(`UPDATE staff SET name = ?, phone = ?, role = ?, active = ?, title = ?, staff_no = ?, duties = ?, seats = ?, domains = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, after.Name, after.Phone, after.Role, after.Active, after.Title, after.StaffNo, after.Duties,
		strings.Join(after.Seats, ","), strings.Join(after.Domains, ","), tx.now, before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "update staff")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.people.staff_conflict")
	}
	if !after.Active {
		if _, err := tx.exec(`DELETE FROM sessions WHERE staff_id = ?`, before.ID); err != nil {
			return errs.Wrap(err, "end sessions")
		}
	}
	// a session holds its account (role, organisation, whether active): other instances read it again
	if err := tx.Changed(CacheSessions); err != nil {
		return err
	}
	after.Version = before.Version + 1
	return tx.Audit(actor, action, "staff", before.ID, before.OrgID, auditRecord(before), auditRecord(after))
}

// SetStaffPhoto keeps a record's photo (already resized) under its hash.
func (tx *Tx) SetStaffPhoto(actor access.Actor, r StaffRecord, sha string, body []byte) error {
	if _, err := tx.exec(`DELETE FROM staff_photos WHERE staff_id = ?`, r.ID); err != nil {
		return errs.Wrap(err, "photo")
	}
	if _, err := tx.exec(`INSERT INTO staff_photos (staff_id, sha256, body, updated_at) VALUES (?, ?, ?, ?)`, r.ID, sha, body, tx.now); err != nil {
		return errs.Wrap(err, "photo")
	}
	if _, err := tx.exec(`UPDATE staff SET photo_sha256 = ? WHERE id = ?`, sha, r.ID); err != nil {
		return errs.Wrap(err, "photo")
	}
	return tx.Audit(actor, "staff.photo", "staff", r.ID, r.OrgID, map[string]string{"photo": r.Photo}, map[string]string{"photo": sha})
}

// StaffPhoto reads a record's photo and its hash.
func (db *DB) StaffPhoto(ctx context.Context, staffID string) ([]byte, string, error) {
	var b []byte
	var sha string
	err := db.queryRow(ctx, `SELECT body, sha256 FROM staff_photos WHERE staff_id = ?`, staffID).Scan(&b, &sha)
	return b, sha, notFoundOrNil(err, "file")
}

// ClaimedCases are the open cases a member of staff has taken (承办) and not released: their open work.
func (db *DB) ClaimedCases(ctx context.Context, staffID string) ([]cases.Case, error) {
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM case_clock k JOIN cases c ON c.id = k.case_id WHERE k.queue_due > 0 AND c.doc LIKE ? ORDER BY c.id`,
		`%"assignee":"`+staffID+`"%`)
}

// --- rosters

func scanEntry(r interface{ Scan(...any) error }) (roster.Entry, error) {
	var e roster.Entry
	var day int
	err := r.Scan(&day, &e.Half, &e.Seat, &e.Staff)
	e.Day = clock.DateFromInt(day)
	return e, err
}

// SaveRoster replaces a center's roster of the days from..to (inclusive) with entries.
func (tx *Tx) SaveRoster(actor access.Actor, centerID string, from, to clock.Date, entries []roster.Entry) error {
	if _, err := tx.exec(`DELETE FROM roster WHERE center_id = ? AND day >= ? AND day <= ?`, centerID, from.Int(), to.Int()); err != nil {
		return errs.Wrap(err, "roster")
	}
	for _, e := range entries {
		if _, err := tx.exec(`INSERT INTO roster (center_id, day, half, seat_id, staff_id, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			centerID, e.Day.Int(), string(e.Half), e.Seat, e.Staff, actor.ID, tx.now); err != nil {
			return errs.Wrap(err, "roster")
		}
	}
	return tx.Audit(actor, "roster.save", "org", centerID, centerID, map[string]string{"from": from.String(), "to": to.String()}, entries)
}

// Roster reads a center's roster of the days from..to, by day, half and seat.
func (db *DB) Roster(ctx context.Context, centerID string, from, to clock.Date) ([]roster.Entry, error) {
	rows, err := db.query(ctx, `SELECT day, half, seat_id, staff_id FROM roster WHERE center_id = ? AND day >= ? AND day <= ? ORDER BY day, half, seat_id`,
		centerID, from.Int(), to.Int())
	return collect(rows, err, scanEntry)
}

// RosterOf is a person's roster lines from..to: their rotation's history (轮岗).
func (db *DB) RosterOf(ctx context.Context, staffID string, from, to clock.Date) ([]roster.Entry, error) {
	rows, err := db.query(ctx, `SELECT day, half, seat_id, staff_id FROM roster WHERE staff_id = ? AND day >= ? AND day <= ? ORDER BY day, half`, staffID, from.Int(), to.Int())
	return collect(rows, err, scanEntry)
}

// --- leave

const leaveCols = `l.id, l.staff_id, s.name, l.center_id, l.from_day, l.to_day, l.substitute_id, coalesce(b.name, ''), l.reason, l.state, l.requested_at,
	l.decided_by, l.decider_name, l.decided_at, l.note, l.returned_on, l.version`

const leaveFrom = ` FROM leaves l JOIN staff s ON s.id = l.staff_id LEFT JOIN staff b ON b.id = l.substitute_id`

func scanLeave(r interface{ Scan(...any) error }) (roster.Leave, error) {
	var l roster.Leave
	var from, to, ret int
	var decided sql.NullTime
	err := r.Scan(&l.ID, &l.Staff, &l.StaffName, &l.Center, &from, &to, &l.Substitute, &l.SubName, &l.Reason, &l.State, &l.Requested,
		&l.DecidedBy, &l.DeciderNm, &decided, &l.Note, &ret, &l.Version)
	l.From, l.To = clock.DateFromInt(from), clock.DateFromInt(to)
	if ret > 0 {
		l.ReturnedOn = clock.DateFromInt(ret)
	}
	if decided.Valid {
		l.Decided = decided.Time
	}
	return l, err
}

// CreateLeave stores a request.
func (tx *Tx) CreateLeave(actor access.Actor, l *roster.Leave, centerPath string) error {
	l.ID, l.Requested, l.Version = ids.New(), tx.now, 1
	if _, err := tx.exec(`INSERT INTO leaves (id, staff_id, center_id, center_path, from_day, to_day, substitute_id, reason, state, requested_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, l.ID, l.Staff, l.Center, centerPath, l.From.Int(), l.To.Int(), l.Substitute, l.Reason, string(l.State), l.Requested); err != nil {
		return errs.Wrap(err, "insert leave")
	}
	return tx.Audit(actor, "leave.request", "leave", l.ID, l.Center, nil, l)
}

// UpdateLeave writes a decision or a return if the leave is still at before's version.
func (tx *Tx) UpdateLeave(actor access.Actor, action string, before, after roster.Leave) error {
	var decided any
	if !after.Decided.IsZero() {
		decided = after.Decided
	}
	ret := 0
	if !after.ReturnedOn.IsZero() {
		ret = after.ReturnedOn.Int()
	}
	res, err := tx.exec(`UPDATE leaves SET state = ?, decided_by = ?, decider_name = ?, decided_at = ?, note = ?, returned_on = ?, version = version + 1
		WHERE id = ? AND version = ?`, string(after.State), after.DecidedBy, after.DeciderNm, decided, after.Note, ret, before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "update leave")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.people.leave_conflict")
	}
	return tx.Audit(actor, action, "leave", before.ID, before.Center, before, after)
}

// Leave reads one leave.
func (db *DB) Leave(ctx context.Context, id string) (roster.Leave, error) {
	l, err := scanLeave(db.queryRow(ctx, `SELECT `+leaveCols+leaveFrom+` WHERE l.id = ?`, id))
	return l, notFoundOrNil(err, "leave")
}

// LeavesOver are a center's leaves in the given states that touch the days from..to.
func (db *DB) LeavesOver(ctx context.Context, centerID string, from, to clock.Date, states ...roster.LeaveState) ([]roster.Leave, error) {
	rows, err := db.query(ctx, `SELECT `+leaveCols+leaveFrom+` WHERE l.center_id = ? AND l.to_day >= ? AND l.from_day <= ? ORDER BY l.from_day, l.id`,
		centerID, from.Int(), to.Int())
	list, err := collect(rows, err, scanLeave)
	if len(states) == 0 {
		return list, err
	}
	out := list[:0]
	for _, l := range list {
		for _, s := range states {
			if l.State == s {
				out = append(out, l)
				break
			}
		}
	}
	return out, err
}

// LeaveQuery is a page of leaves, newest first by keyset: a center's (or a subtree's), or one person's.
type LeaveQuery struct {
	Root  string // centers' subtree
	Staff string // or one person's own
	After string
	Limit int
}

// Leaves lists leaves newest first (ids sort by when they were made: internal/ids).
func (db *DB) Leaves(ctx context.Context, q LeaveQuery) ([]roster.Leave, error) {
	where, args := ` WHERE l.staff_id = ?`, []any{q.Staff}
	if q.Staff == "" {
		lo, hi := subtreeRange(q.Root)
		where, args = ` WHERE l.center_path >= ? AND l.center_path < ?`, []any{lo, hi}
	}
	if q.After != "" {
		where += ` AND l.id < ?`
		args = append(args, q.After)
	}
	rows, err := db.query(ctx, `SELECT `+leaveCols+leaveFrom+where+` ORDER BY l.id DESC LIMIT ?`, append(args, q.Limit)...)
	return collect(rows, err, scanLeave)
}

// --- attendance

func scanAttendance(r interface{ Scan(...any) error }) (roster.Attendance, error) {
	var a roster.Attendance
	var day int
	var out sql.NullTime
	err := r.Scan(&a.Staff, &a.StaffName, &a.Center, &day, &a.In, &a.InAddr, &out, &a.OutAddr)
	a.Day = clock.DateFromInt(day)
	if out.Valid {
		a.Out = out.Time
	}
	return a, err
}

const attendanceSel = `SELECT a.staff_id, s.name, a.center_id, a.day, a.in_at, a.in_addr, a.out_at, a.out_addr FROM attendance a JOIN staff s ON s.id = a.staff_id`

// SignIn records the first sign-in of a person's day (a second one keeps the first); signing in again after
// a sign-out opens the day again.
func (tx *Tx) SignIn(actor access.Actor, centerID string, day clock.Date, addr string) error {
	res, err := tx.exec(`UPDATE attendance SET out_at = NULL, out_addr = '' WHERE staff_id = ? AND day = ?`, actor.ID, day.Int())
	if err != nil {
		return errs.Wrap(err, "sign in")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.exec(`INSERT INTO attendance (staff_id, day, center_id, in_at, in_addr) VALUES (?, ?, ?, ?, ?)`, actor.ID, day.Int(), centerID, tx.now, addr); err != nil {
			return errs.Wrap(err, "sign in")
		}
	}
	return tx.Audit(actor, "attendance.in", "staff", actor.ID, centerID, nil, map[string]string{"day": day.String(), "addr": addr})
}

// SignOut records the sign-out of a person's day.
func (tx *Tx) SignOut(actor access.Actor, day clock.Date, addr string) error {
	res, err := tx.exec(`UPDATE attendance SET out_at = ?, out_addr = ? WHERE staff_id = ? AND day = ?`, tx.now, addr, actor.ID, day.Int())
	if err != nil {
		return errs.Wrap(err, "sign out")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "err.people.not_signed_in")
	}
	return tx.Audit(actor, "attendance.out", "staff", actor.ID, actor.OrgID, nil, map[string]string{"day": day.String(), "addr": addr})
}

// AttendanceOn lists a center's attendance of a day.
func (db *DB) AttendanceOn(ctx context.Context, centerID string, day clock.Date) ([]roster.Attendance, error) {
	rows, err := db.query(ctx, attendanceSel+` WHERE a.center_id = ? AND a.day = ? ORDER BY a.in_at`, centerID, day.Int())
	return collect(rows, err, scanAttendance)
}

// AttendanceOf lists a person's attendance from..to.
func (db *DB) AttendanceOf(ctx context.Context, staffID string, from, to clock.Date) ([]roster.Attendance, error) {
	rows, err := db.query(ctx, attendanceSel+` WHERE a.staff_id = ? AND a.day >= ? AND a.day <= ? ORDER BY a.day`, staffID, from.Int(), to.Int())
	return collect(rows, err, scanAttendance)
}

// --- coverage alerts

// CoverageAlert is an empty window or seat during opening hours.
type CoverageAlert struct {
	Seat, Center, Staff string
	Day                 clock.Date
	Half                roster.Half
	State               roster.Cover
	Raised              time.Time
}

// RaiseAlert records an alert once per seat and half-day (audited the first time); it reports whether it is
// new.
func (tx *Tx) RaiseAlert(a CoverageAlert, centerPath string) (bool, error) {
	var n int
	if err := tx.queryRow(`SELECT count(*) FROM coverage_alerts WHERE seat_id = ? AND day = ? AND half = ?`, a.Seat, a.Day.Int(), string(a.Half)).Scan(&n); err != nil || n > 0 {
		return false, errs.Wrap(err, "alert")
	}
	if _, err := tx.exec(`INSERT INTO coverage_alerts (seat_id, day, half, center_id, center_path, state, staff_id, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Seat, a.Day.Int(), string(a.Half), a.Center, centerPath, string(a.State), a.Staff, tx.now); err != nil {
		return false, errs.Wrap(err, "alert")
	}
	return true, tx.Audit(access.System, "coverage.alert", "org", a.Seat, a.Center, nil, a)
}

// Alerts lists the alerts of a subtree's centers from..to, newest first, at most limit.
func (db *DB) Alerts(ctx context.Context, root string, from, to clock.Date, limit int) ([]CoverageAlert, error) {
	lo, hi := subtreeRange(root)
	rows, err := db.query(ctx, `SELECT seat_id, center_id, staff_id, day, half, state, raised_at FROM coverage_alerts
		WHERE center_path >= ? AND center_path < ? AND day >= ? AND day <= ? ORDER BY day DESC, raised_at DESC LIMIT ?`, lo, hi, from.Int(), to.Int(), limit)
	return collect(rows, err, func(r interface{ Scan(...any) error }) (CoverageAlert, error) {
		var a CoverageAlert
		var day int
		err := r.Scan(&a.Seat, &a.Center, &a.Staff, &day, &a.Half, &a.State, &a.Raised)
		a.Day = clock.DateFromInt(day)
		return a, err
	})
}

// --- recusal

func scanDeclaration(r interface{ Scan(...any) error }) (roster.Declaration, error) {
	var d roster.Declaration
	err := r.Scan(&d.ID, &d.Staff, &d.Relation, &d.Number, &d.Name, &d.Note, &d.Declared)
	return d, err
}

// Declare stores a declared relation.
func (tx *Tx) Declare(actor access.Actor, d *roster.Declaration) error {
	d.ID, d.Declared = ids.New(), tx.now
	if _, err := tx.exec(`INSERT INTO recusals (id, staff_id, relation, number, name, note, declared_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.Staff, string(d.Relation), d.Number, d.Name, d.Note, d.Declared); err != nil {
		return errs.Wrap(err, "declare")
	}
	if err := tx.Changed(CacheRecusals); err != nil {
		return errs.Wrap(err, "declare")
	}
	// the trail keeps the relation and name, and the number masked: it is a third person's
	return tx.Audit(actor, "recusal.declare", "staff", d.Staff, actor.OrgID, nil, map[string]string{"id": d.ID, "relation": string(d.Relation), "name": d.Name, "number": people.MaskIDNumber(d.Number)})
}

// Who has standing declarations (DB.declaring) is kept in memory: every move asks whether its actor has
// (回避), and few people ever declare. A declaration made here drops it at its commit, one made on another
// instance at the next poll of the caches' versions (CacheRecusals): a declaration refuses moves on every
// instance within -cache-poll of its commit.

// Declares reports whether a member of staff has standing declarations.
func (db *DB) Declares(ctx context.Context, staffID string) (bool, error) {
	return inKeptSet(ctx, db, &db.declaring, staffID, `SELECT DISTINCT staff_id FROM recusals WHERE withdrawn_at IS NULL`, "declarations")
}

// Declarations are a person's standing declarations, oldest first.
func (db *DB) Declarations(ctx context.Context, staffID string) ([]roster.Declaration, error) {
	rows, err := db.query(ctx, `SELECT id, staff_id, relation, number, name, note, declared_at FROM recusals WHERE staff_id = ? AND withdrawn_at IS NULL ORDER BY id`, staffID)
	return collect(rows, err, scanDeclaration)
}

// Recused audits a move refused for a declared relation (the refusal is on record, issue 11 point 7).
func (tx *Tx) Recused(actor access.Actor, c cases.Case, d roster.Declaration, move string) error {
	return tx.Audit(actor, "recusal.refuse", "case", c.ID, c.Handling, nil, map[string]string{"move": move, "declaration": d.ID, "relation": string(d.Relation)})
}

// --- the 六有 board's documents

// PublishDoc stores a new version of a center's document of its kind (the next number).
func (tx *Tx) PublishDoc(actor access.Actor, d *roster.Doc) error {
	if err := tx.queryRow(`SELECT coalesce(max(version), 0) + 1 FROM board_docs WHERE center_id = ? AND kind = ?`, d.Center, string(d.Kind)).Scan(&d.Version); err != nil {
		return errs.Wrap(err, "doc version")
	}
	d.ID, d.PublishedBy, d.Published = ids.New(), actor.ID, tx.now
	if _, err := tx.exec(`INSERT INTO board_docs (id, center_id, kind, version, title_zh, title_mn, body_zh, body_mn, effective_on, published_by, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Center, string(d.Kind), d.Version, d.TitleZh, d.TitleMn, d.BodyZh, d.BodyMn, d.Effective.Int(), actor.ID, tx.now); err != nil {
		if tx.d.isUnique(err) {
			return errs.New(errs.Conflict, "err.people.doc_conflict")
		}
		return errs.Wrap(err, "publish doc")
	}
	return tx.Audit(actor, "board.publish", "org", d.Center, d.Center, nil, d)
}

// BoardDocs are every version of a center's documents, newest first.
func (db *DB) BoardDocs(ctx context.Context, centerID string) ([]roster.Doc, error) {
	rows, err := db.query(ctx, `SELECT id, center_id, kind, version, title_zh, title_mn, body_zh, body_mn, effective_on, published_by, published_at
		FROM board_docs WHERE center_id = ? ORDER BY kind, version DESC`, centerID)
	return collect(rows, err, func(r interface{ Scan(...any) error }) (roster.Doc, error) {
		var d roster.Doc
		var eff int
		err := r.Scan(&d.ID, &d.Center, &d.Kind, &d.Version, &d.TitleZh, &d.TitleMn, &d.BodyZh, &d.BodyMn, &eff, &d.PublishedBy, &d.Published)
		d.Effective = clock.DateFromInt(eff)
		return d, err
	})
}

// OrdersAnswered counts, by who answered, the orders answered within a subtree from..to (督办 answered, for the
// per-person figures).
func (db *DB) OrdersAnswered(ctx context.Context, root string, from, to time.Time) (map[string]int, error) {
	lo, hi := subtreeRange(root)
	return db.countsBy(ctx, "orders answered", `SELECT answered_by, count(*) FROM orders WHERE org_path >= ? AND org_path < ? AND is_open = 0 AND answered_at >= ? AND answered_at < ? GROUP BY answered_by`,
		lo, hi, from, to)
}

// OrderToTell is an open order with the card its people were last told of.
type OrderToTell struct {
	oversight.Order
	Told string
}

// OpenOrdersToTell lists every open order with its told card.
func (db *DB) OpenOrdersToTell(ctx context.Context) ([]OrderToTell, error) {
	rows, err := db.query(ctx, `SELECT `+orderCols+`, o.told_card`+orderFrom+` WHERE o.is_open = 1 ORDER BY o.id`)
	return collect(rows, err, func(r interface{ Scan(...any) error }) (OrderToTell, error) {
		var t OrderToTell
		var err error
		t.Order, err = scanOrderWith(r, &t.Told)
		return t, err
	})
}

// TellOrder records the card told of an order and queues the messages that tell it, together.
func (tx *Tx) TellOrder(id, card string, msgs []Message) error {
	if _, err := tx.exec(`UPDATE orders SET told_card = ? WHERE id = ?`, card, id); err != nil {
		return errs.Wrap(err, "tell order")
	}
	for _, m := range msgs {
		if err := tx.Enqueue(m); err != nil {
			return err
		}
	}
	return nil
}

// AlertCounts counts the alerts of a subtree's centers from..to, by center.
func (db *DB) AlertCounts(ctx context.Context, root string, from, to clock.Date) (map[string]int, error) {
	lo, hi := subtreeRange(root)
	return db.countsBy(ctx, "alert counts", `SELECT center_id, count(*) FROM coverage_alerts WHERE center_path >= ? AND center_path < ? AND day >= ? AND day <= ? GROUP BY center_id`,
		lo, hi, from.Int(), to.Int())
}
