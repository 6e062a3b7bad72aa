// Package app wires Bianmin together: store, catalog, service and web server, and owns their lifetime.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"bianmin/internal/i18n"
	"bianmin/internal/logs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/web"
)

// Config is everything Bianmin needs to start; nothing is read from globals.
type Config struct {
	Addr    string // listen address, e.g. 127.0.0.1:8080 (":0" picks a free port)
	DataDir string // where the SQLite file lives
	DB      string // database URL: "" for SQLite in DataDir, postgres://... for PostgreSQL
	SMSURL  string // SMS gateway; "" writes messages to the log
	Log     *slog.Logger
	Service service.Config
	// CodeKeyFile holds the key of the result codes' hash, outside the database ("": CodeKeyFile in DataDir).
	CodeKeyFile string
	// AuditKeyFile holds the key of the audit chain's HMAC, outside the database ("": AuditKeyFile in DataDir).
	AuditKeyFile string
	// CheckpointFile is the append-only log of signed audit checkpoints ("": audit.CheckpointFile in DataDir).
	CheckpointFile string
	// AuditLanes is how many chains an organisation's audit trail runs in (store.DB.AuditLanes; 0: the
	// engine's default: 8 on PostgreSQL, 1 on SQLite).
	AuditLanes int
	// WriteSlots is how many PostgreSQL write transactions run at once (store.DB.SetWriteSlots; 0: the
	// default, store.DefaultWriteSlots).
	WriteSlots int
	// NumberBlocks is the largest block of a case or notice series' numbers an instance takes at once on
	// PostgreSQL under load (store.DB.SetNumberBlocks; 0 or 1: each number by itself).
	NumberBlocks int
	// CheckpointEvery is how often the running server signs a checkpoint of the audit chain's head (0: 10 min).
	CheckpointEvery time.Duration
	// BackupEvery, BackupKeep and BackupDir: a scheduled backup every BackupEvery (0: none) into BackupDir
	// ("": backups in DataDir), keeping the newest BackupKeep (0: 7).
	BackupEvery time.Duration
	BackupKeep  int
	BackupDir   string
	// TrustedProxy is the address of a reverse proxy whose X-Forwarded-For names the client ("": none; the
	// connection's address is the client's).
	TrustedProxy string
	// PublicURL is the address people reach Bianmin at (https://bianmin.example.gov.cn), printed in QR codes;
	// "" takes the listen address.
	PublicURL string
	// MetricsAddr is the operator's listener: /metrics (Prometheus), /healthz, /readyz ("": none). The site's
	// own listener serves /healthz and /readyz but never /metrics.
	MetricsAddr string
	// TLSCert and TLSKey are PEM files: when both are set Bianmin serves HTTPS itself, and its cookies are
	// Secure and its answers carry Strict-Transport-Security. Behind a TLS-terminating proxy, set
	// TrustedProxy instead: its X-Forwarded-Proto: https does the same.
	TLSCert, TLSKey string
	// FilesDir keeps the bytes of electronic materials as files under this directory (PostgreSQL only; ""
	// keeps them in the database, the only way on SQLite).
	FilesDir string
	// Several instances on one PostgreSQL (instances.go): DBRead is a streaming replica's URL ("": none) whose
	// reads are trusted while it lags at most ReplicaLag (0: 5s); LeaderEvery how often an instance that does
	// not lead asks to (0: 2s); CachePoll how often each instance reads the caches' versions (0: 500ms);
	// SweepEvery how often the leader runs the supervision job (0: a minute); Instance names this instance
	// in job_runs ("": host and process id).
	DBRead      string
	ReplicaLag  time.Duration
	LeaderEvery time.Duration
	CachePoll   time.Duration
	SweepEvery  time.Duration
	Instance    string
}

// Main is a running Bianmin.
type Main struct {
	Config  Config
	DB      *store.DB
	Service *service.Service
	Web     *web.Server
	ln      net.Listener
	srv     *http.Server
	opLn    net.Listener // the operator's listener (MetricsAddr), nil when none
	opSrv   *http.Server
}

// Open connects the database, applies migrations and prepares the web server.
func Open(ctx context.Context, cfg Config) (*Main, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	tuneRuntime()
	// Lines logged while serving a request name its id (X-Request-Id), the store's among them.
	cfg.Log = slog.New(logs.WithRequestID(cfg.Log.Handler()))
	if cfg.Service.Hash == nil {
		cfg.Service = service.DefaultConfig()
	}
	db, err := store.Open(ctx, cfg.DB, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	db.Log = cfg.Log
	switch {
	case cfg.WriteSlots < 0 || cfg.WriteSlots > store.MaxWriteSlots:
		db.Close()
		return nil, fmt.Errorf("write slots: %d is not between 1 and %d (0: the default)", cfg.WriteSlots, store.MaxWriteSlots)
	case cfg.WriteSlots > 0:
		db.SetWriteSlots(cfg.WriteSlots)
	}
	if cfg.NumberBlocks < 0 || cfg.NumberBlocks > store.MaxNumberBlock {
		db.Close()
		return nil, fmt.Errorf("number blocks: %d is not between 0 and %d", cfg.NumberBlocks, store.MaxNumberBlock)
	}
	db.SetNumberBlocks(cfg.NumberBlocks)
	if cfg.FilesDir != "" {
		if err := db.UseBlobDir(cfg.FilesDir); err != nil {
			db.Close()
			return nil, err
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	cfg.defaults()
	if off, err := db.Unvacuumed(ctx); err != nil {
		cfg.Log.Warn("could not ask PostgreSQL whether it vacuums by itself", "err", err)
	} else if len(off) > 0 {
		cfg.Log.Warn("PostgreSQL does not vacuum by itself what every move rewrites: dead rows pile up and moves slow down day by day; turn autovacuum on (README, Several instances)",
			"off", strings.Join(off, ", "))
	}
	if cfg.DBRead != "" {
		if err := db.UseReplica(ctx, cfg.DBRead, cfg.ReplicaLag, min(cfg.ReplicaLag/4, time.Second), cfg.Log); err != nil {
			db.Close()
			return nil, err
		}
	}
	if cfg.Service.Instance == "" {
		cfg.Service.Instance = cfg.Instance
	}
	cat, err := i18n.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(cfg.Service.CodeKey) == 0 {
		path := cfg.CodeKeyFile
		if path == "" {
			path = filepath.Join(cfg.DataDir, CodeKeyFile)
		}
		if cfg.Service.CodeKey, err = loadKey(path); err != nil {
			db.Close()
			return nil, fmt.Errorf("result code key: %w", err)
		}
	}
	if err := openAudit(ctx, db, &cfg); err != nil {
		db.Close()
		return nil, err
	}
	svc, err := service.New(db, cat, cfg.Service)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := svc.LoadTranslations(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The strings for Mongolian reviewers follow the interface catalog this binary ships (issue 17).
	if err := svc.SyncMn(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The search index is built before the first visitor, not by them.
	if err := svc.RebuildSearchIndex(ctx); err != nil {
		db.Close()
		return nil, err
	}
	w, err := web.New(svc, cfg.Log)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := w.TrustProxy(cfg.TrustedProxy); err != nil {
		db.Close()
		return nil, err
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		db.Close()
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	if cfg.PublicURL != "" {
		if w.PublicURL, err = web.CheckPublicURL(cfg.PublicURL); err != nil {
			db.Close()
			return nil, err
		}
	}
	return &Main{Config: cfg, DB: db, Service: svc, Web: w}, nil
}

// Listen opens the listening socket and returns the address it got.
func (m *Main) Listen() (string, error) {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return "", err
	}
	m.ln = ln
	if m.Config.MetricsAddr != "" && m.opLn == nil {
		if m.opLn, err = net.Listen("tcp", m.Config.MetricsAddr); err != nil {
			ln.Close()
			return "", fmt.Errorf("-metrics-addr: %w", err)
		}
	}
	if m.Web.PublicURL == "" {
		m.Web.PublicURL = web.DefaultPublicURL(ln.Addr().String())
		if m.Config.TLSCert != "" {
			m.Web.PublicURL = "https" + strings.TrimPrefix(m.Web.PublicURL, "http")
		}
		m.Config.Log.Debug("no public address set (-public-url): QR codes print the listen address", "url", m.Web.PublicURL)
	}
	m.Service.PublicURL = m.Web.PublicURL
	return ln.Addr().String(), nil
}

// OperatorAddr is the address the operator's listener got ("" when there is none); after Listen.
func (m *Main) OperatorAddr() string {
	if m.opLn == nil {
		return ""
	}
	return m.opLn.Addr().String()
}

// Run serves until ctx is cancelled, then lets requests in flight finish.
func (m *Main) Run(ctx context.Context) error {
	if m.ln == nil {
		if _, err := m.Listen(); err != nil {
			return err
		}
	}
	m.srv = &http.Server{
		Handler:           m.Web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second, // village links are slow; uploads of scans need time
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 2)
	if m.Config.TLSCert != "" {
		go func() { errc <- m.srv.ServeTLS(m.ln, m.Config.TLSCert, m.Config.TLSKey) }()
	} else {
		go func() { errc <- m.srv.Serve(m.ln) }()
	}
	if m.opLn != nil {
		m.opSrv = &http.Server{Handler: m.Web.OperatorHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go func() {
			if err := m.opSrv.Serve(m.opLn); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("operator listener: %w", err)
			}
		}()
		m.Config.Log.Info("operator listener: /metrics, /healthz, /readyz", "addr", m.opLn.Addr().String())
	}
	var sender service.Sender = service.LogSender{Log: m.Config.Log}
	if m.Config.SMSURL != "" {
		sender = service.HTTPSender{URL: m.Config.SMSURL}
	}
	// The background work stops with the server, before the database closes. The outbox runs on every
	// instance: each record is claimed by one sender (store.Claim, FOR UPDATE SKIP LOCKED), so none is sent
	// twice; so do the caches' watch. The jobs that must run once across instances run on the leader only.
	var jobs sync.WaitGroup
	defer jobs.Wait()
	jobs.Go(func() {
		// one outbox, three senders: SMS, the upper platform, webhooks (service/upstream.go)
		m.Service.RunOutboxes(ctx, sender, nil, 5*time.Second, m.Config.Log)
	})
	jobs.Go(func() { m.Service.WatchCaches(ctx, m.Config.CachePoll, m.Config.Log) })
	jobs.Go(func() { m.DB.Lead(ctx, m.Config.LeaderEvery, m.leaderJobs, m.Config.Log) })
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if m.opSrv != nil {
		m.opSrv.Shutdown(shut)
	}
	if err := m.srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// leaderJobs runs the jobs that run once across instances (the supervision job: card sweep, no-shows, order
// and coverage alerts, roll-ups, monthly reports; audit checkpoints; scheduled backups) until ctx ends: the
// server stops, or this instance stops leading.
func (m *Main) leaderJobs(ctx context.Context) {
	var jobs sync.WaitGroup
	jobs.Go(func() { m.Service.RunSupervision(ctx, m.Config.SweepEvery, m.Config.Log) })
	jobs.Go(func() { m.runCheckpoints(ctx) })
	if m.Config.BackupEvery > 0 {
		jobs.Go(func() { m.runBackups(ctx) })
	}
	jobs.Wait()
}

// defaults fills the settings of several instances left unset.
func (c *Config) defaults() {
	if c.ReplicaLag <= 0 {
		c.ReplicaLag = 5 * time.Second
	}
	if c.LeaderEvery <= 0 {
		c.LeaderEvery = 2 * time.Second
	}
	if c.CachePoll <= 0 {
		c.CachePoll = 500 * time.Millisecond
	}
	if c.SweepEvery <= 0 {
		c.SweepEvery = time.Minute
	}
	if c.Instance == "" {
		host, _ := os.Hostname()
		c.Instance = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
}

// Close releases the database.
func (m *Main) Close() error { return m.DB.Close() }
