package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// CalendarYears reads the schedules administrators loaded.
func (db *DB) CalendarYears(ctx context.Context) ([]clock.Year, error) {
	rows, err := db.query(ctx, `SELECT doc FROM calendar_years ORDER BY year`)
	return readYears(rows, err)
}

// CalendarYearsToSave reads the loaded schedules in a transaction that will save one, holding the table
// against another such transaction (PostgreSQL; SQLite's one writer holds it already): a schedule is checked
// against the others as they stand when it is saved (clock.CheckAgainst), not as they stood a moment before.
func (tx *Tx) CalendarYearsToSave() ([]clock.Year, error) {
	if tx.d.name == "postgres" {
		if _, err := tx.exec(`LOCK TABLE calendar_years IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return nil, errs.Wrap(err, "calendar")
		}
	}
	rows, err := tx.query(`SELECT doc FROM calendar_years ORDER BY year`)
	return readYears(rows, err)
}

func readYears(rows *sql.Rows, err error) ([]clock.Year, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []clock.Year
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var y clock.Year
		if err := json.Unmarshal([]byte(doc), &y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// SaveCalendarYear stores (or replaces) one year's schedule.
func (tx *Tx) SaveCalendarYear(actor access.Actor, y clock.Year) error {
	doc, _ := json.Marshal(y)
	var before string
	err := tx.queryRow(`SELECT doc FROM calendar_years WHERE year = ?`+tx.d.forUpdate, y.Year).Scan(&before)
	if err == nil {
		_, err = tx.exec(`UPDATE calendar_years SET doc = ?, updated_by = ?, updated_at = ? WHERE year = ?`, string(doc), actor.ID, tx.now, y.Year)
	} else {
		_, err = tx.exec(`INSERT INTO calendar_years (year, doc, updated_by, updated_at) VALUES (?, ?, ?, ?)`, y.Year, string(doc), actor.ID, tx.now)
	}
	if tx.d.isUnique(err) {
		return errs.New(errs.Conflict, "err.conflict")
	}
	if err != nil {
		return errs.Wrap(err, "calendar")
	}
	if err := tx.Changed(CacheCalendar); err != nil {
		return err
	}
	var b any
	if before != "" {
		b = json.RawMessage(before)
	}
	return tx.Audit(actor, "calendar.save", "calendar", strconv.Itoa(y.Year), actor.OrgID, b, y)
}

// OpenCasesDueFrom lists a batch of the open cases (the clock running or standing) whose due day, as last
// computed, is on or after the given yyyymmdd day, or was never computed: the cases a year's schedule may
// move. Batches follow the case id (after: the last of the batch before, "" first), so that the tens of
// thousands of open cases of a busy year are never held at once.
func (db *DB) OpenCasesDueFrom(ctx context.Context, from int, after string, limit int) ([]cases.Case, error) {
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM case_clock k JOIN cases c ON c.id = k.case_id
		WHERE k.running > 0 AND (k.due_on >= ? OR k.due_on = 0) AND k.case_id > ? ORDER BY k.case_id LIMIT ?`, from, after, limit)
}
