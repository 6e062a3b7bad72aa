package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// A backup is an online, consistent copy of Bianmin's database, taken while it serves:
//   - SQLite: the file as VACUUM INTO writes it (one read transaction; a plain SQLite file).
//   - PostgreSQL: a logical export of Bianmin's own tables, read in one REPEATABLE READ transaction (one
//     snapshot), written as gzip'd JSON lines: a header, then per table a line {"table","rows"} followed by
//     that many rows (row_to_json), then a trailer. Restore reads it back with json_populate_recordset, so
//     that no pg_dump of the server's own version is needed.
//
// Neither carries the keys kept outside the database (audit.key, result-code.key) nor the checkpoints log:
// keep copies of the keys apart from the backups.

// SQLiteMagic opens every SQLite file.
const SQLiteMagic = "SQLite format 3\x00"

type backupHeader struct {
	Format     string    `json:"format"` // "bianmin-backup"
	Version    int       `json:"version"`
	Dialect    string    `json:"dialect"`
	At         time.Time `json:"at"`
	Migrations []string  `json:"migrations"`
}

type backupTable struct {
	Table string `json:"table,omitempty"`
	Rows  int64  `json:"rows"`
	End   bool   `json:"end,omitempty"`
}

// Backup writes an online, consistent copy of the database to path: written beside it and renamed when
// whole, so that a stopped backup leaves no file that looks like one. progress gets a line per step.
func (db *DB) Backup(ctx context.Context, path string, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	part := path + ".part"
	os.Remove(part)
	var err error
	if db.d.name == "sqlite" {
		err = db.backupSQLite(ctx, part, progress)
	} else {
		err = db.backupLogical(ctx, part, progress)
	}
	if err == nil {
		err = os.Rename(part, path)
	}
	if err != nil {
		os.Remove(part)
		return err
	}
	return nil
}

func (db *DB) backupSQLite(ctx context.Context, part string, progress func(string)) error {
	// its own connection: the readers are query-only and the writer must go on taking writes
	c, err := sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer c.Close()
	progress("copying the SQLite database (VACUUM INTO, one read transaction) ...")
	if _, err := c.ExecContext(ctx, `VACUUM INTO ?`, part); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("backup: %w", err)
	}
	f, err := os.Open(part)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return err
	}
	st, _ := f.Stat()
	progress(fmt.Sprintf("  %d bytes", st.Size()))
	return nil
}

// tables lists Bianmin's tables in an order that inserts parents before children (foreign keys).
func pgTables(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	deps := map[string][]string{}
	rows, err = q.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
		JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		if child != parent {
			deps[child] = append(deps[child], parent)
		}
	}
	rows.Close()
	var out []string
	done := map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		for _, p := range deps[n] {
			visit(p)
		}
		out = append(out, n)
	}
	for _, n := range names {
		visit(n)
	}
	return out, nil
}

// rowOrder orders the rows of a table that refers to itself: parents first.
var rowOrder = map[string]string{"orgs": " ORDER BY length(path), path"}

func (db *DB) backupLogical(ctx context.Context, part string, progress func(string)) error {
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := gzip.NewWriter(bw)
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	h := backupHeader{Format: "bianmin-backup", Version: 1, Dialect: db.d.name, At: time.Now().UTC()}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v string
		rows.Scan(&v)
		h.Migrations = append(h.Migrations, v)
	}
	rows.Close()
	tables, err := pgTables(ctx, tx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	if err := enc.Encode(h); err != nil {
		return err
	}
	var total int64
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return err
		}
		if err := enc.Encode(backupTable{Table: t, Rows: n}); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT row_to_json(t)::text FROM "`+t+`" t`+rowOrder[t])
		if err != nil {
			return err
		}
		var got int64
		var line []byte
		for rows.Next() {
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return err
			}
			zw.Write(line)
			if _, err := zw.Write([]byte{'\n'}); err != nil {
				rows.Close()
				return err
			}
			got++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if got != n {
			return fmt.Errorf("backup: %s: counted %d rows, read %d", t, n, got)
		}
		total += n
		progress(fmt.Sprintf("  %-24s %d rows", t, n))
	}
	if err := enc.Encode(backupTable{End: true, Rows: total}); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// IsSQLiteBackup reports whether the file at path is an SQLite database (a backup of an SQLite Bianmin).
func IsSQLiteBackup(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	b := make([]byte, len(SQLiteMagic))
	if _, err := io.ReadFull(f, b); err != nil {
		return false, nil
	}
	return string(b) == SQLiteMagic, nil
}

// ErrNotEmpty refuses a restore into a database that already holds Bianmin data.
var ErrNotEmpty = errors.New("restore: the target database is not empty (restore into a fresh data directory or database)")

// Empty reports whether the database holds no organisations and no audit entries (a fresh one, migrated).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var orgs, seq int64
	if err := db.queryRow(ctx, `SELECT count(*) FROM orgs`).Scan(&orgs); err != nil {
		return false, err
	}
	if err := db.queryRow(ctx, `SELECT coalesce(max(seq), 0) FROM audit_heads`).Scan(&seq); err != nil {
		return false, err
	}
	return orgs == 0 && seq == 0, nil
}

// RestoreLogical loads a logical backup (PostgreSQL) into this fresh, migrated database in one transaction:
// all or nothing. The backup's migrations must be the ones this Bianmin has applied.
func (db *DB) RestoreLogical(ctx context.Context, r io.Reader, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	if db.d.name != "postgres" {
		return errors.New("restore: a logical backup (of PostgreSQL) restores into PostgreSQL; give -db postgres://...")
	}
	if ok, err := db.Empty(ctx); err != nil {
		return err
	} else if !ok {
		return ErrNotEmpty
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("restore: not a Bianmin backup: %w", err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	if !sc.Scan() {
		return errors.New("restore: empty backup")
	}
	var h backupHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Format != "bianmin-backup" {
		return errors.New("restore: not a Bianmin backup")
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	if !slices.Equal(applied, h.Migrations) {
		return fmt.Errorf("restore: the backup was made at schema %s, this Bianmin is at %s: restore it with the version that made it",
			last(h.Migrations), last(applied))
	}
	tables, err := pgTables(ctx, db.r)
	if err != nil {
		return err
	}
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	if err := restoreRows(ctx, sqlTx, sc, tables, progress); err != nil {
		return err
	}
	return sqlTx.Commit()
}

func restoreRows(ctx context.Context, tx *sql.Tx, sc *bufio.Scanner, tables []string, progress func(string)) error {
	{
		// a fresh database holds the rows its migrations seed (the audit head, counters): the backup's replace them
		for i := len(tables) - 1; i >= 0; i-- {
			if _, err := tx.ExecContext(ctx, `DELETE FROM "`+tables[i]+`"`); err != nil {
				return fmt.Errorf("restore: clear %s: %w", tables[i], err)
			}
		}
		known := map[string]bool{}
		for _, t := range tables {
			known[t] = true
		}
		ended := false
		for !ended && sc.Scan() {
			var bt backupTable
			if err := json.Unmarshal(sc.Bytes(), &bt); err != nil {
				return fmt.Errorf("restore: broken backup: %w", err)
			}
			if bt.End {
				ended = true
				break
			}
			if !known[bt.Table] {
				return fmt.Errorf("restore: the backup has a table %q this schema does not", bt.Table)
			}
			var batch bytes.Buffer
			flush := func() error {
				if batch.Len() == 0 {
					return nil
				}
				batch.WriteByte(']')
				_, err := tx.ExecContext(ctx, `INSERT INTO "`+bt.Table+`" SELECT * FROM json_populate_recordset(NULL::"`+bt.Table+`", $1::json)`, batch.String())
				batch.Reset()
				return err
			}
			for i := int64(0); i < bt.Rows; i++ {
				if !sc.Scan() {
					return fmt.Errorf("restore: the backup ends inside table %s", bt.Table)
				}
				if batch.Len() == 0 {
					batch.WriteByte('[')
				} else {
					batch.WriteByte(',')
				}
				batch.Write(sc.Bytes())
				if batch.Len() > 4<<20 {
					if err := flush(); err != nil {
						return fmt.Errorf("restore: %s: %w", bt.Table, err)
					}
				}
			}
			if err := flush(); err != nil {
				return fmt.Errorf("restore: %s: %w", bt.Table, err)
			}
			progress(fmt.Sprintf("  %-24s %d rows", bt.Table, bt.Rows))
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if !ended {
			return errors.New("restore: the backup is cut short (no trailer): nothing restored")
		}
		return nil
	}
}

func (db *DB) appliedMigrations(ctx context.Context) ([]string, error) {
	return db.queryStrings(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
}

func last(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.TrimSuffix(s[len(s)-1], ".sql")
}
