package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	msqlite "modernc.org/sqlite" // the driver "sqlite", pure Go; its functions API registers bianmin_micros
)

// SQLite keeps times as integers, microseconds since 1970 in UTC (issue 18, what a case costs to keep): the
// driver wrote them as Go's text of a time, 39 characters ("2026-12-01 13:44:58.268640473 +0000 UTC"), in
// every row and again in each index over one, where an integer takes 8 bytes. Microseconds are what
// PostgreSQL keeps, and what the audit hash covers (audit.Time), so both engines now read back the same
// instant. The driver writes and reads them so (sqliteTimeParams); migration 085 turns the texts an earlier
// Bianmin kept into integers (integerTimes), since SQLite orders every integer before every text and a
// column holding both would compare wrong.

// sqliteTimeParams are the driver's settings for it: times bound as integers of microseconds, and integers
// in columns declared TIMESTAMP read back as times.
var sqliteTimeParams = map[string]string{"_time_integer_format": "unix_micro", "_inttotime": "1"}

// timeLayouts are the texts of a time Bianmin's engines wrote: time.Time.String (the SQLite driver's default
// before 085), RFC 3339 (Bianmin's JSON, PostgreSQL's JSON of a timestamptz), and the rest of
// modernc.org/sqlite's parseTimeFormats.
var timeLayouts = []string{"2006-01-02 15:04:05.999999999 -0700 MST", time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"}

// parseTimeText reads a time kept as text (timeLayouts).
func parseTimeText(s string) (time.Time, error) {
	s, _, _ = strings.Cut(s, " m=") // a time with its monotonic clock reading, as time.String gives it
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("a time kept as %q is in none of the forms Bianmin's engines wrote", s)
}

func init() {
	msqlite.MustRegisterFunction("bianmin_micros", &msqlite.FunctionImpl{NArgs: 1, Deterministic: true, Scalar: textMicros})
}

// textMicros is SQL's bianmin_micros(v): a time kept as text, as microseconds since 1970 in UTC; any other
// value as it is.
func textMicros(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	s, ok := args[0].(string)
	if !ok {
		return args[0], nil
	}
	t, err := parseTimeText(s)
	if err != nil {
		return nil, err
	}
	return t.UnixMicro(), nil
}

// integerTimes turns every time kept as text in a TIMESTAMP column into its integer, inside the migration's
// transaction. A table's triggers are set aside while its rows change and made again as they were: the
// audit trail's refuse any UPDATE, and this one changes how an instant is written, not which.
func integerTimes(ctx context.Context, tx *sql.Tx) error {
	tables, err := sqliteStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return err
	}
	for _, t := range tables {
		cols, err := sqliteStrings(ctx, tx, `SELECT name FROM pragma_table_info(?) WHERE upper(type) = 'TIMESTAMP'`, t)
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			continue
		}
		sets, texts := make([]string, len(cols)), make([]string, len(cols))
		for i, c := range cols {
			sets[i] = fmt.Sprintf("%q = bianmin_micros(%q)", c, c)
			texts[i] = fmt.Sprintf("typeof(%q) = 'text'", c)
		}
		rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name`, t)
		triggers, err := collect(rows, err, func(r interface{ Scan(...any) error }) ([2]string, error) {
			var nameDef [2]string
			return nameDef, r.Scan(&nameDef[0], &nameDef[1])
		})
		if err != nil {
			return err
		}
		for _, tr := range triggers {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DROP TRIGGER %q`, tr[0])); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %q SET %s WHERE %s`, t, strings.Join(sets, ", "), strings.Join(texts, " OR "))); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		for _, tr := range triggers {
			if _, err := tx.ExecContext(ctx, tr[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// sqliteStrings reads a column of strings in the migration's transaction.
func sqliteStrings(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	return collect(rows, err, func(r interface{ Scan(...any) error }) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}
