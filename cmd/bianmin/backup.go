package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"bianmin/internal/app"
	"bianmin/internal/store"
)

// backup writes an online copy of the database to FILE, printing a line per step. Ctrl-C stops it and
// leaves no file (the copy is written beside FILE and renamed when whole).
func backup(ctx context.Context, cfg app.Config, files []string, out io.Writer) error {
	if len(files) != 1 {
		return errors.New("backup: give the file to write")
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	started := time.Now()
	fmt.Fprintf(out, "backing up the %s database to %s (online: Bianmin may go on serving) ...\n", db.Dialect(), files[0])
	if err := db.Backup(ctx, files[0], func(s string) { fmt.Fprintln(out, s) }); err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{"backup stopped: no backup written (the partial copy was removed)"}
		}
		return err
	}
	fmt.Fprintf(out, "backup written: %s in %s\n", files[0], time.Since(started).Round(time.Millisecond))
	fmt.Fprintln(out, "the audit key and the result-code key are not in the backup: keep copies of them apart from it")
	return nil
}

// restore loads a backup into a fresh data directory or database and verifies the audit chain.
func restore(ctx context.Context, cfg app.Config, files []string, out io.Writer) error {
	if len(files) != 1 {
		return errors.New("restore: give the backup file")
	}
	res, err := app.Restore(ctx, cfg, files[0], func(s string) { fmt.Fprintln(out, s) })
	if err != nil {
		if stoppedBy(ctx, err) {
			return &stopped{"restore stopped: nothing restored (the copy or the load's one transaction was abandoned); start again into a fresh data directory or database"}
		}
		return err
	}
	fmt.Fprintf(out, "restored; audit trail intact: %d entries (a first checkpoint signed)\n", res.Entries)
	return nil
}
