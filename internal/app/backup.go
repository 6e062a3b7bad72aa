package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"bianmin/internal/store"
)

// Restored is what a restore did.
type Restored struct {
	Entries int64 // audit entries, verified
}

// Restore loads the backup at file into the fresh database cfg names (an SQLite file in cfg.DataDir that
// does not exist yet, or an empty PostgreSQL database or schema), then verifies the audit chain under the
// audit key (cfg.AuditKeyFile, or audit.key in cfg.DataDir: copy it there or name it) and signs a first
// checkpoint. A chain that does not verify is reported as an *audit.Break.
func Restore(ctx context.Context, cfg Config, file string, progress func(string)) (Restored, error) {
	var res Restored
	if progress == nil {
		progress = func(string) {}
	}
	isSQLite, err := store.IsSQLiteBackup(file)
	if err != nil {
		return res, err
	}
	pg := store.EngineOf(cfg.DB) == "postgres"
	if isSQLite {
		if pg {
			return res, errors.New("restore: an SQLite backup restores into SQLite (leave -db empty, or give an SQLite file)")
		}
		target := strings.TrimPrefix(cfg.DB, "sqlite://")
		if target == "" {
			target = filepath.Join(cfg.DataDir, "bianmin.db")
		}
		if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("restore: %s exists: restore into a fresh data directory", target)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
			return res, err
		}
		progress(fmt.Sprintf("copying %s to %s ...", file, target))
		if err := copyFile(ctx, file, target); err != nil {
			return res, err
		}
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return res, fmt.Errorf("migrate: %w", err)
	}
	if !isSQLite {
		f, err := os.Open(file)
		if err != nil {
			return res, err
		}
		defer f.Close()
		progress("loading the tables (one transaction: all or nothing) ...")
		if err := db.RestoreLogical(ctx, f, progress); err != nil {
			return res, err
		}
	}
	if cfg.Log == nil {
		cfg.Log = discardLog()
	}
	progress("verifying the audit chain ...")
	if err := openAudit(ctx, db, &cfg); err != nil {
		return res, err
	}
	res.Entries, err = db.VerifyAudit(ctx)
	if err != nil {
		return res, err
	}
	if _, err := db.WriteCheckpoint(ctx); err != nil {
		return res, err
	}
	return res, nil
}

func copyFile(ctx context.Context, from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	part := to + ".part"
	dst, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for {
		if ctx.Err() != nil {
			dst.Close()
			os.Remove(part)
			return ctx.Err()
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				dst.Close()
				os.Remove(part)
				return err
			}
		}
		if rerr != nil {
			break
		}
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(part)
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Rename(part, to)
}

// BackupName is the file name of a scheduled backup taken at t: sortable by time.
func BackupName(dialect string, t time.Time) string {
	ext := ".db"
	if dialect == "postgres" {
		ext = ".bmbak"
	}
	return "bianmin-" + t.UTC().Format("20060102T150405Z") + ext
}

// ScheduledBackup takes one backup into dir and removes the oldest scheduled backups beyond keep.
func (m *Main) ScheduledBackup(ctx context.Context, dir string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, BackupName(m.DB.Dialect(), m.DB.Now()))
	if err := m.DB.Backup(ctx, path, nil); err != nil {
		return "", err
	}
	return path, Prune(dir, keep)
}

// Prune keeps the newest keep scheduled backups in dir (by their names) and removes the others.
func Prune(dir string, keep int) error {
	if keep <= 0 {
		keep = 7
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "bianmin-") && (strings.HasSuffix(n, ".db") || strings.HasSuffix(n, ".bmbak")) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

// runBackups takes a backup every BackupEvery while the server runs.
func (m *Main) runBackups(ctx context.Context) {
	dir := m.Config.BackupDir
	if dir == "" {
		dir = filepath.Join(m.Config.DataDir, "backups")
	}
	t := time.NewTicker(m.Config.BackupEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			path, err := m.ScheduledBackup(ctx, dir, m.Config.BackupKeep)
			if err != nil {
				if ctx.Err() == nil {
					m.Config.Log.Error("scheduled backup failed", "err", err)
				}
				continue
			}
			m.Config.Log.Info("scheduled backup written", "file", path)
		}
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
