package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"bianmin/internal/audit"
	"bianmin/internal/store"
)

// AuditKeyFile is where the audit chain's key lives when no other file is named: in the data directory,
// not in any database. With PostgreSQL, every instance must be given the same file (-audit-key); a backup
// of the database alone does not carry it, and without it a keyed trail cannot be verified or continued.
const AuditKeyFile = "audit.key"

// MaxAuditLanes bounds Config.AuditLanes: every lane is a chain the checkpoints sign and verify walks, and
// past the connections that write at once more lanes take no more waits away.
const MaxAuditLanes = 64

// OpenAudit gives a store opened outside Open (a command's own) its audit key and checkpoints log, as Open
// does: a command that writes audited rows needs the key of a keyed chain.
func OpenAudit(ctx context.Context, db *store.DB, cfg Config) error {
	if cfg.Log == nil {
		cfg.Log = discardLog()
	}
	return openAudit(ctx, db, &cfg)
}

// openAudit gives the store its audit key and checkpoint log, and turns the chain keyed when it is not yet
// (publishing a checkpoint that records from which entry on). A keyed chain whose key file is missing is
// an error: a new key would make every keyed entry look forged.
func openAudit(ctx context.Context, db *store.DB, cfg *Config) error {
	keyPath := cfg.AuditKeyFile
	if keyPath == "" {
		keyPath = filepath.Join(cfg.DataDir, AuditKeyFile)
	}
	cpPath := cfg.CheckpointFile
	if cpPath == "" {
		cpPath = filepath.Join(cfg.DataDir, audit.CheckpointFile)
	}
	keyed, err := db.AnyChainKeyed(ctx)
	if err != nil {
		return err
	}
	if keyed {
		if _, err := os.Stat(keyPath); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("audit key: the audit trail is keyed and its key file %s is missing (give it with -audit-key)", keyPath)
		}
	}
	key, err := loadKey(keyPath)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	db.AuditKey, db.CheckpointFile = key, cpPath
	switch {
	case cfg.AuditLanes < 0 || cfg.AuditLanes > MaxAuditLanes:
		return fmt.Errorf("audit lanes: %d is not between 1 and %d (0: the engine's default)", cfg.AuditLanes, MaxAuditLanes)
	case cfg.AuditLanes > 0:
		db.AuditLanes = cfg.AuditLanes
	}
	turned, err := db.KeyChains(ctx)
	if err != nil {
		return fmt.Errorf("audit key: %w", err)
	}
	if turned == 0 {
		return nil
	}
	// the entries before the key are checked once, and the switch is published with them
	if _, err := db.WriteCheckpoint(ctx); err != nil {
		if ctx.Err() != nil {
			// stopped while checking (Ctrl-C at start): the chains stay keyed, and the next checkpoint,
			// which records where the keyed chain begins, publishes the switch
			return ctx.Err()
		}
		cfg.Log.Error("audit chains keyed, but the entries before the key do not verify: no checkpoint signed", "chains", turned, "err", err)
	}
	return nil
}

// runCheckpoints signs a checkpoint of the audit chains' heads every CheckpointEvery while heads move, and
// once more at the end.
func (m *Main) runCheckpoints(ctx context.Context) {
	every := m.Config.CheckpointEvery
	if every <= 0 {
		every = 10 * time.Minute
	}
	var signed int64 = -1
	sign := func(ctx context.Context) {
		moved, err := m.DB.AuditMoved(ctx)
		if err != nil || moved == signed {
			return
		}
		cp, err := m.DB.WriteCheckpoint(ctx)
		if err != nil {
			m.Config.Log.Error("audit checkpoint not signed", "err", err)
			return
		}
		signed = moved
		m.Config.Log.Debug("audit checkpoint signed", "heads", len(cp.Heads))
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			last, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			sign(last)
			cancel()
			return
		case <-t.C:
			sign(ctx)
		}
	}
}
