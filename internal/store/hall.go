package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/hours"
	"bianmin/internal/ids"
)

// The hall's tables (migration 030): opening hours, tickets, window sign-ons, appointments.

// TicketSeries is a center's ticket numbers of a day and a category: A001, A002 ... from 1 each day. Its key
// (center/day/A001) is unique, so that the shared allocator can find a number taken behind its back.
func TicketSeries(center, day string, c hall.Category) Series {
	return Series{Scope: fmt.Sprintf("ticket/%s/%s/%s", center, day, c.Letter()), table: "hall_tickets", col: "ticket_key",
		Head: center + "/" + day + "/" + c.Letter(), Pad: 3}
}

// Hours reads an organisation's opening hours and their version; a hall that never set them has the
// default hours at version 0.
func (db *DB) Hours(ctx context.Context, orgID string) (hours.Hours, int, error) {
	return readHours(db.queryRow(ctx, `SELECT doc, version FROM hall_hours WHERE org_id = ?`, orgID))
}

// Hours is the same read inside a transaction.
func (tx *Tx) Hours(orgID string) (hours.Hours, int, error) {
	return readHours(tx.queryRow(`SELECT doc, version FROM hall_hours WHERE org_id = ?`, orgID))
}

func readHours(row *sql.Row) (hours.Hours, int, error) {
	var doc string
	var v int
	if err := row.Scan(&doc, &v); err == sql.ErrNoRows {
		return hours.Default(), 0, nil
	} else if err != nil {
		return hours.Hours{}, 0, errs.Wrap(err, "hours")
	}
	var h hours.Hours
	if err := json.Unmarshal([]byte(doc), &h); err != nil {
		return hours.Hours{}, 0, errs.Wrap(err, "hours doc")
	}
	return h, v, nil
}

// SaveHours stores an organisation's hours if they are still at version (optimistic locking) and audits it.
func (tx *Tx) SaveHours(actor access.Actor, orgID string, h hours.Hours, version int) error {
	before, v, err := tx.Hours(orgID)
	if err != nil {
		return err
	}
	if v != version {
		return errs.New(errs.Conflict, "err.conflict")
	}
	doc, _ := json.Marshal(h)
	if v == 0 {
		_, err = tx.exec(`INSERT INTO hall_hours (org_id, doc, version, updated_at) VALUES (?, ?, 1, ?)`, orgID, string(doc), tx.now)
		if tx.d.isUnique(err) {
			return errs.New(errs.Conflict, "err.conflict")
		}
	} else {
		var res sql.Result
		res, err = tx.exec(`UPDATE hall_hours SET doc = ?, version = version + 1, updated_at = ? WHERE org_id = ? AND version = ?`, string(doc), tx.now, orgID, version)
		if n, _ := rowsOf(res); err == nil && n != 1 {
			return errs.New(errs.Conflict, "err.conflict")
		}
	}
	if err != nil {
		return errs.Wrap(err, "save hours")
	}
	return tx.Audit(actor, "hours.save", "org", orgID, orgID, before, h)
}

func rowsOf(res sql.Result) (int64, error) {
	if res == nil {
		return 0, nil
	}
	return res.RowsAffected()
}

const ticketCols = `id, center_id, day, category, seq, ticket_no, state, source, appointment_id, slot_start, applicant_id, issued_at,
	first_called_at, called_at, finished_at, window_id, window_name, called_by, target_window, calls, case_id, enquiry_id, version`

func scanTicket(row interface{ Scan(...any) error }) (hall.Ticket, error) {
	var t hall.Ticket
	var appt, applicant, caseID, enq sql.NullString
	var first, called, fin sql.NullTime
	err := row.Scan(&t.ID, &t.Center, &t.Day, &t.Category, &t.Seq, &t.No, &t.State, &t.Source, &appt, &t.SlotStart, &applicant, &t.Issued,
		&first, &called, &fin, &t.Window, &t.WindowName, &t.CalledBy, &t.TargetWindow, &t.Calls, &caseID, &enq, &t.Version)
	t.AppointmentID, t.ApplicantID, t.CaseID, t.EnquiryID = appt.String, applicant.String, caseID.String, enq.String
	t.FirstCalled, t.Called, t.Finished = first.Time, called.Time, fin.Time
	return t, err
}

// collectHall reads the rows of a hall query with its scanner.
func collectHall[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, errs.Wrap(err, "hall rows")
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, errs.Wrap(err, "hall row")
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func collectTickets(rows *sql.Rows, err error) ([]hall.Ticket, error) {
	return collectHall(rows, err, scanTicket)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// IssueTicket numbers a ticket in its center's series of the day and category, stores it and audits it.
func (tx *Tx) IssueTicket(actor access.Actor, t *hall.Ticket) error {
	seq, _, err := tx.Take(TicketSeries(t.Center, t.Day, t.Category))
	if err != nil {
		return err
	}
	t.ID, t.Seq, t.No, t.State, t.Issued, t.Version = ids.New(), int(seq), hall.Number(t.Category, int(seq)), hall.Waiting, tx.now, 1
	key := TicketSeries(t.Center, t.Day, t.Category).Format(seq)
	if _, err := tx.exec(`INSERT INTO hall_tickets (id, center_id, day, category, seq, ticket_no, ticket_key, state, source, appointment_id, slot_start,
		applicant_id, issued_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Center, t.Day, t.Category, t.Seq, t.No, key, t.State, t.Source, nullable(t.AppointmentID), t.SlotStart, nullable(t.ApplicantID), t.Issued, t.Version); err != nil {
		return errs.Wrap(err, "insert ticket")
	}
	return tx.Audit(actor, "ticket.issue", "ticket", t.ID, t.Center, nil, t)
}

// Ticket reads one ticket.
func (db *DB) Ticket(ctx context.Context, id string) (hall.Ticket, error) {
	t, err := scanTicket(db.queryRow(ctx, `SELECT `+ticketCols+` FROM hall_tickets WHERE id = ?`, id))
	return t, notFound(err, "ticket")
}

// Ticket reads one ticket inside a transaction.
func (tx *Tx) Ticket(id string) (hall.Ticket, error) {
	t, err := scanTicket(tx.queryRow(`SELECT `+ticketCols+` FROM hall_tickets WHERE id = ?`+tx.d.forUpdate, id))
	return t, notFound(err, "ticket")
}

// DayTickets lists a center's tickets of a day, in the order taken.
func (db *DB) DayTickets(ctx context.Context, center, day string) ([]hall.Ticket, error) {
	return collectTickets(db.query(ctx, `SELECT `+ticketCols+` FROM hall_tickets WHERE center_id = ? AND day = ? ORDER BY issued_at, ticket_no`, center, day))
}

// WaitingTickets lists a center's waiting tickets of a day (what is before a ticket, for its holder).
func (db *DB) WaitingTickets(ctx context.Context, center, day string) ([]hall.Ticket, error) {
	return collectTickets(db.query(ctx, `SELECT `+ticketCols+` FROM hall_tickets WHERE center_id = ? AND day = ? AND state = 'waiting'`, center, day))
}

func waitMS(t hall.Ticket) any {
	if t.FirstCalled.IsZero() {
		return nil
	}
	return t.Wait().Milliseconds()
}

// callCandidates selects, of a center's waiting tickets, the only ones hall.Next can pick for a window: the
// first walk-in of each category by the time taken (within a class the queue is first come first served),
// every appointment's ticket (they are ordered by their slots), and the first ticket transferred to the
// window. A day of thousands of tickets is read a handful at a time.
var callCandidates = func() string {
	first := func(where string) string {
		return `SELECT * FROM (SELECT ` + ticketCols + ` FROM hall_tickets WHERE center_id = ? AND day = ? AND state = 'waiting' AND ` + where +
			` ORDER BY issued_at, seq LIMIT 1) q`
	}
	// a window's id names its center: the transferred tickets are found by the window alone (its own index)
	parts := []string{`SELECT * FROM (SELECT ` + ticketCols + ` FROM hall_tickets WHERE target_window = ? AND state = 'waiting' AND day = ?
		ORDER BY issued_at, seq LIMIT 1) q`}
	for _, c := range hall.Categories {
		parts = append(parts, first(`category = '`+string(c)+`' AND target_window = '' AND slot_start = -1`))
	}
	parts = append(parts, `SELECT `+ticketCols+` FROM hall_tickets WHERE center_id = ? AND day = ? AND state = 'waiting' AND slot_start >= 0 AND target_window = ''`)
	return strings.Join(parts, " UNION ALL ")
}()

// CallCandidates reads the tickets a window may call next, inside the transaction that calls one.
func (tx *Tx) CallCandidates(center, day, window string) ([]hall.Ticket, error) {
	args := []any{window, day}
	for range hall.Categories {
		args = append(args, center, day)
	}
	args = append(args, center, day)
	return collectTickets(tx.query(callCandidates, args...))
}

// Calling lists a center's tickets being called on a day, the latest call first.
func (db *DB) Calling(ctx context.Context, center, day string, limit int) ([]hall.Ticket, error) {
	return collectTickets(db.query(ctx, `SELECT `+ticketCols+` FROM hall_tickets WHERE center_id = ? AND day = ? AND state = 'called' ORDER BY called_at DESC LIMIT ?`, center, day, limit))
}

// DayFigures counts a center's tickets of a day by category in the database: waiting now, called at least
// once, and their average wait (hall.Figures over the same tickets gives the same).
func (db *DB) DayFigures(ctx context.Context, center, day string) ([]hall.CategoryFigures, error) {
	rows, err := db.query(ctx, `SELECT category, sum(CASE WHEN state = 'waiting' THEN 1 ELSE 0 END), count(wait_ms), coalesce(sum(wait_ms), 0)
		FROM hall_tickets WHERE center_id = ? AND day = ? GROUP BY category`, center, day)
	if err != nil {
		return nil, errs.Wrap(err, "day figures")
	}
	defer rows.Close()
	out := make([]hall.CategoryFigures, len(hall.Categories))
	for i, c := range hall.Categories {
		out[i].Category = c
	}
	for rows.Next() {
		var c string
		var waiting, served int
		var sum int64
		if err := rows.Scan(&c, &waiting, &served, &sum); err != nil {
			return nil, err
		}
		if i := slices.Index(hall.Categories, hall.Category(c)); i >= 0 {
			out[i].Waiting, out[i].Served = waiting, served
			if served > 0 {
				out[i].AvgWait = time.Duration(sum/int64(served)) * time.Millisecond
			}
		}
	}
	return out, rows.Err()
}

// UpdateTicket writes a ticket moved from before (still at its version: otherwise another window moved it
// first, and the caller tries again) and audits the move.
func (tx *Tx) UpdateTicket(actor access.Actor, action string, before, after hall.Ticket) error {
	res, err := tx.exec(`UPDATE hall_tickets SET category = ?, state = ?, first_called_at = ?, called_at = ?, finished_at = ?, window_id = ?, window_name = ?,
		called_by = ?, target_window = ?, calls = ?, wait_ms = ?, case_id = ?, enquiry_id = ?, version = ? WHERE id = ? AND version = ?`,
		after.Category, after.State, nullTime(after.FirstCalled), nullTime(after.Called), nullTime(after.Finished), after.Window, after.WindowName,
		after.CalledBy, after.TargetWindow, after.Calls, waitMS(after), nullable(after.CaseID), nullable(after.EnquiryID), after.Version, before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "update ticket")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errRetry
	}
	return tx.Audit(actor, action, "ticket", before.ID, before.Center, before, after)
}

// LockCenter makes the calls of one center's windows take turns: twenty windows calling at once would all
// pick the same next ticket, and all but one lose the race again and again. On PostgreSQL it locks the
// center's organisation row for the transaction (a plain row lock, as distributed engines have it too);
// SQLite's one writer takes turns already.
func (tx *Tx) LockCenter(id string) error {
	if tx.d.forUpdate == "" {
		return nil
	}
	var x string
	return errs.Wrap(tx.queryRow(`SELECT id FROM orgs WHERE id = ?`+tx.d.forUpdate, id).Scan(&x), "lock center")
}

// CalledAt lists the tickets a window has called and not finished: what it is serving now.
func (tx *Tx) CalledAt(window, day string) ([]hall.Ticket, error) {
	return collectTickets(tx.query(`SELECT `+ticketCols+` FROM hall_tickets WHERE window_id = ? AND day = ? AND state = 'called'`, window, day))
}

// --- windows

const windowCols = `window_id, center_id, window_name, staff_id, staff_name, categories, paused, since, version`

func scanWindow(row interface{ Scan(...any) error }) (hall.WindowSession, error) {
	var w hall.WindowSession
	var cats string
	var paused int
	err := row.Scan(&w.Window, &w.Center, &w.WindowName, &w.Staff, &w.StaffName, &cats, &paused, &w.Since, &w.Version)
	for _, c := range strings.Split(cats, ",") {
		if c != "" {
			w.Categories = append(w.Categories, hall.Category(c))
		}
	}
	w.Paused = paused != 0
	return w, err
}

func joinCategories(cs []hall.Category) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ",")
}

// Windows lists the sessions of a center's windows.
func (db *DB) Windows(ctx context.Context, center string) ([]hall.WindowSession, error) {
	rows, err := db.query(ctx, `SELECT `+windowCols+` FROM hall_windows WHERE center_id = ? ORDER BY window_name`, center)
	return collectHall(rows, err, scanWindow)
}

// WindowOf reads the session of the staff member (false when they sit at no window).
func (tx *Tx) WindowOf(staffID string) (hall.WindowSession, bool, error) {
	w, err := scanWindow(tx.queryRow(`SELECT `+windowCols+` FROM hall_windows WHERE staff_id = ?`+tx.d.forUpdate, staffID))
	if err == sql.ErrNoRows {
		return w, false, nil
	}
	return w, err == nil, errs.Wrap(err, "window")
}

// WindowOf reads the session of the staff member outside a transaction.
func (db *DB) WindowOf(ctx context.Context, staffID string) (hall.WindowSession, bool, error) {
	w, err := scanWindow(db.queryRow(ctx, `SELECT `+windowCols+` FROM hall_windows WHERE staff_id = ?`, staffID))
	if err == sql.ErrNoRows {
		return w, false, nil
	}
	return w, err == nil, errs.Wrap(err, "window")
}

// SignOn seats a clerk at a window; a window somebody else holds is refused (they sign off first).
func (tx *Tx) SignOn(actor access.Actor, w hall.WindowSession) error {
	w.Since, w.Version = tx.now, 1
	_, err := tx.exec(`INSERT INTO hall_windows (`+windowCols+`) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 1)`,
		w.Window, w.Center, w.WindowName, w.Staff, w.StaffName, joinCategories(w.Categories), w.Since)
	if tx.d.isUnique(err) {
		return errs.Field("window", "err.hall.window_taken")
	}
	if err != nil {
		return errs.Wrap(err, "sign on")
	}
	return tx.Audit(actor, "window.sign_on", "window", w.Window, w.Center, nil, w)
}

// SignOff frees the actor's window.
func (tx *Tx) SignOff(actor access.Actor, w hall.WindowSession) error {
	if _, err := tx.exec(`DELETE FROM hall_windows WHERE window_id = ? AND staff_id = ?`, w.Window, w.Staff); err != nil {
		return errs.Wrap(err, "sign off")
	}
	return tx.Audit(actor, "window.sign_off", "window", w.Window, w.Center, w, nil)
}

// SetPaused pauses or resumes a window.
func (tx *Tx) SetPaused(actor access.Actor, w hall.WindowSession, paused bool) error {
	after := w
	after.Paused, after.Version = paused, w.Version+1
	p := 0
	if paused {
		p = 1
	}
	if _, err := tx.exec(`UPDATE hall_windows SET paused = ?, version = version + 1 WHERE window_id = ?`, p, w.Window); err != nil {
		return errs.Wrap(err, "pause")
	}
	return tx.Audit(actor, map[bool]string{true: "window.pause", false: "window.resume"}[paused], "window", w.Window, w.Center, w, after)
}

// --- appointments

const apptCols = `id, center_id, category, day, slot, slot_start, slot_end, code, state, channel, resident_id, applicant_id, name, phone, ticket_id, created_at, created_by, version`

func scanAppointment(row interface{ Scan(...any) error }) (hall.Appointment, error) {
	var a hall.Appointment
	var applicant, ticket sql.NullString
	err := row.Scan(&a.ID, &a.Center, &a.Category, &a.Day, &a.Slot, &a.SlotStart, &a.SlotEnd, &a.Code, &a.State, &a.Channel, &a.ResidentID,
		&applicant, &a.Name, &a.Phone, &ticket, &a.Created, &a.By, &a.Version)
	a.ApplicantID, a.TicketID = applicant.String, ticket.String
	return a, err
}

func collectAppointments(rows *sql.Rows, err error) ([]hall.Appointment, error) {
	return collectHall(rows, err, scanAppointment)
}

// Booked counts the live bookings (booked or checked in) of a slot and category.
func (tx *Tx) Booked(center, day, slot string, c hall.Category) (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM hall_appointments WHERE center_id = ? AND day = ? AND slot = ? AND category = ? AND state IN ('booked', 'checked_in')`,
		center, day, slot, c).Scan(&n)
	return n, errs.Wrap(err, "booked")
}

// BookedBy counts a resident's live bookings of a day (one a day is enough for anybody).
func (tx *Tx) BookedBy(residentID, day string) (int, error) {
	var n int
	err := tx.queryRow(`SELECT count(*) FROM hall_appointments WHERE resident_id = ? AND day = ? AND state = 'booked'`, residentID, day).Scan(&n)
	return n, errs.Wrap(err, "booked by")
}

// BookedCounts counts a center's live bookings of a day by slot and category ("09:00/general" -> n).
func (db *DB) BookedCounts(ctx context.Context, center, day string) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT slot, category, count(*) FROM hall_appointments WHERE center_id = ? AND day = ? AND state IN ('booked', 'checked_in') GROUP BY slot, category`, center, day)
	if err != nil {
		return nil, errs.Wrap(err, "booked counts")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var slot, cat string
		var n int
		if err := rows.Scan(&slot, &cat, &n); err != nil {
			return nil, err
		}
		out[slot+"/"+cat] = n
	}
	return out, rows.Err()
}

// CreateAppointment stores a booking with a fresh check-in code (unique for the center and day) and audits it.
func (tx *Tx) CreateAppointment(actor access.Actor, a *hall.Appointment) error {
	a.ID, a.State, a.Created, a.Version = ids.New(), hall.Booked, tx.now, 1
	for try := 0; ; try++ {
		a.Code = digits6()
		_, err := tx.exec(`INSERT INTO hall_appointments (`+apptCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Center, a.Category, a.Day, a.Slot, a.SlotStart, a.SlotEnd, a.Code, a.State, a.Channel, a.ResidentID, nullable(a.ApplicantID),
			a.Name, a.Phone, nil, a.Created, a.By, a.Version)
		if tx.d.isUnique(err) && try < 5 {
			continue
		}
		if err != nil {
			return errs.Wrap(err, "insert appointment")
		}
		break
	}
	return tx.Audit(actor, "appointment.book", "appointment", a.ID, a.Center, nil, a)
}

// digits6 is a six-digit check-in code.
func digits6() string {
	tok := ids.Token(4)
	var n uint64
	fmt.Sscanf(tok, "%x", &n)
	return fmt.Sprintf("%06d", n%1000000)
}

// Appointment reads one booking.
func (db *DB) Appointment(ctx context.Context, id string) (hall.Appointment, error) {
	a, err := scanAppointment(db.queryRow(ctx, `SELECT `+apptCols+` FROM hall_appointments WHERE id = ?`, id))
	return a, notFound(err, "appointment")
}

// Appointment reads one booking inside a transaction.
func (tx *Tx) Appointment(id string) (hall.Appointment, error) {
	a, err := scanAppointment(tx.queryRow(`SELECT `+apptCols+` FROM hall_appointments WHERE id = ?`+tx.d.forUpdate, id))
	return a, notFound(err, "appointment")
}

// AppointmentByCode finds a center's booking of a day by its check-in code.
func (tx *Tx) AppointmentByCode(center, day, code string) (hall.Appointment, error) {
	a, err := scanAppointment(tx.queryRow(`SELECT `+apptCols+` FROM hall_appointments WHERE center_id = ? AND day = ? AND code = ?`, center, day, code))
	return a, notFound(err, "appointment")
}

// AppointmentsOn lists a center's bookings of a day by slot.
func (db *DB) AppointmentsOn(ctx context.Context, center, day string) ([]hall.Appointment, error) {
	return collectAppointments(db.query(ctx, `SELECT `+apptCols+` FROM hall_appointments WHERE center_id = ? AND day = ? ORDER BY slot, created_at`, center, day))
}

// EndedBookings lists up to limit bookings still booked whose slot ended before the minute of the day
// (yyyy-mm-dd) given: the no-shows the day's sweep records.
func (db *DB) EndedBookings(ctx context.Context, day string, minute, limit int) ([]hall.Appointment, error) {
	return collectAppointments(db.query(ctx, `SELECT `+apptCols+` FROM hall_appointments
		WHERE state = ? AND (day < ? OR (day = ? AND slot_end <= ?)) ORDER BY day, slot_end LIMIT ?`, hall.Booked, day, day, minute, limit))
}

// ResidentAppointments lists a resident's bookings from a day on.
func (db *DB) ResidentAppointments(ctx context.Context, residentID, from string) ([]hall.Appointment, error) {
	return collectAppointments(db.query(ctx, `SELECT `+apptCols+` FROM hall_appointments WHERE resident_id = ? AND day >= ? ORDER BY day, slot`, residentID, from))
}

// UpdateAppointment writes a moved booking if still at its version, and audits the move.
func (tx *Tx) UpdateAppointment(actor access.Actor, action string, before, after hall.Appointment) error {
	res, err := tx.exec(`UPDATE hall_appointments SET state = ?, ticket_id = ?, version = ? WHERE id = ? AND version = ?`,
		after.State, nullable(after.TicketID), after.Version, before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "update appointment")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	return tx.Audit(actor, action, "appointment", before.ID, before.Center, before, after)
}
