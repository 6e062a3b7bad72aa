package app_test

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/app"
	"bianmin/internal/audit"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Backup under write load, on both engines: intakes run at every township while `backup` copies the
// database; the copy restores into a fresh data directory (SQLite) or an empty schema (PostgreSQL), every
// intake acknowledged before the backup began is in it, nothing half-written is (each case has its audit
// entry), and the audit chain verifies under the key kept apart from the backup.
func TestBackupRestoreUnderLoad(t *testing.T) {
	ctx := context.Background()
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			dir := t.TempDir()
			m, err := app.Open(ctx, app.Config{DB: e.URL, DataDir: dir, Service: testkit.FastConfig(), Log: quiet})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if _, err := demo.Load(ctx, m.Service); err != nil {
				t.Fatal(err)
			}
			ts, _ := m.DB.Subtree(ctx, "", org.Township)
			res, _ := m.Service.Search(ctx, "最低生活保障", 1)
			var applicant string
			m.DB.QueryRowRaw(ctx, `SELECT id FROM applicants ORDER BY id LIMIT 1`).Scan(&applicant)
			if len(ts) == 0 || len(res) == 0 || applicant == "" {
				t.Fatal("no demo world")
			}
			var mu sync.Mutex
			var acked []string
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						c, err := m.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: res[0].Card.ID, ApplicantID: applicant, ReceivingOrg: ts[i%len(ts)].ID}, "")
						if err != nil {
							t.Errorf("intake: %v", err)
							return
						}
						mu.Lock()
						acked = append(acked, c.ID)
						mu.Unlock()
					}
				}()
			}
			// let the load run, then back up in the middle of it
			for {
				mu.Lock()
				n := len(acked)
				mu.Unlock()
				if n >= 40 {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			mu.Lock()
			before := slices.Clone(acked)
			mu.Unlock()
			file := filepath.Join(t.TempDir(), app.BackupName(e.Name, time.Now()))
			var lines []string
			if err := m.DB.Backup(ctx, file, func(s string) { lines = append(lines, s) }); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			during := len(acked) - len(before)
			mu.Unlock()
			close(stop)
			wg.Wait()
			if len(lines) == 0 {
				t.Fatal("no progress lines")
			}
			t.Logf("backup: %d intakes acknowledged before it, %d while it ran; %d progress lines", len(before), during, len(lines))

			// restore into a fresh place, with the audit key copied from the original's data directory
			fresh := t.TempDir()
			target := testkit.Engine{Name: e.Name}
			if e.Name == "postgres" {
				for _, f := range testkit.Engines(t) {
					if f.Name == "postgres" {
						target = f
					}
				}
			}
			key, _ := os.ReadFile(filepath.Join(dir, app.AuditKeyFile))
			os.WriteFile(filepath.Join(fresh, app.AuditKeyFile), key, 0o600)
			r, err := app.Restore(ctx, app.Config{DB: target.URL, DataDir: fresh, Log: quiet}, file, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Entries == 0 {
				t.Fatal("restored an empty trail")
			}
			// a restore does not go over a database that holds data
			if _, err := app.Restore(ctx, app.Config{DB: target.URL, DataDir: fresh, Log: quiet}, file, nil); err == nil {
				t.Fatal("a restore over a restored database was accepted")
			}
			rm, err := app.Open(ctx, app.Config{DB: target.URL, DataDir: fresh, Service: testkit.FastConfig(), Log: quiet})
			if err != nil {
				t.Fatal(err)
			}
			defer rm.Close()
			for _, id := range before {
				var n int
				rm.DB.QueryRowRaw(ctx, `SELECT count(*) FROM cases WHERE id = ?`, id).Scan(&n)
				if n != 1 {
					t.Fatalf("acknowledged case %s is not in the restored database", id)
				}
			}
			var restored, withAudit int
			rm.DB.QueryRowRaw(ctx, `SELECT count(*) FROM cases`).Scan(&restored)
			rm.DB.QueryRowRaw(ctx, `SELECT count(DISTINCT entity_id) FROM audit_log WHERE entity = 'case'`).Scan(&withAudit)
			if restored < len(before) || restored != withAudit {
				t.Fatalf("restored %d cases (%d acknowledged before the backup), %d with audit entries", restored, len(before), withAudit)
			}
			if n, err := rm.DB.VerifyAudit(ctx); err != nil || n != r.Entries {
				t.Fatalf("audit verify after restore: %d, %v (restore said %d)", n, err, r.Entries)
			}
			// the restored Bianmin takes intakes on the restored chain
			if _, err := rm.Service.Receive(ctx, access.System, service.ReceiveInput{ItemID: res[0].Card.ID, ApplicantID: applicant, ReceivingOrg: ts[0].ID}, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := rm.DB.VerifyAudit(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A restore without the audit key cannot judge the keyed trail and says so; a backup cut short is refused
// whole (PostgreSQL's logical format has a trailer).
func TestRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			dir := t.TempDir()
			m, err := app.Open(ctx, app.Config{DB: e.URL, DataDir: dir, Service: testkit.FastConfig(), Log: quiet})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if _, err := m.Service.ImportDivisions(ctx, access.System, divisions(t)); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "b")
			if err := m.DB.Backup(ctx, file, nil); err != nil {
				t.Fatal(err)
			}
			target := func() string {
				if e.Name == "sqlite" {
					return ""
				}
				for _, f := range testkit.Engines(t) {
					if f.Name == "postgres" {
						return f.URL
					}
				}
				return ""
			}
			_, err = app.Restore(ctx, app.Config{DB: target(), DataDir: t.TempDir(), Log: quiet}, file, nil)
			if err == nil || !strings.Contains(err.Error(), "audit.key") {
				t.Fatalf("restore without the key: %v", err)
			}
			if e.Name == "postgres" {
				cut := cutShort(t, file)
				fresh := t.TempDir()
				key, _ := os.ReadFile(filepath.Join(dir, app.AuditKeyFile))
				os.WriteFile(filepath.Join(fresh, app.AuditKeyFile), key, 0o600)
				if _, err := app.Restore(ctx, app.Config{DB: target(), DataDir: fresh, Log: quiet}, cut, nil); err == nil {
					t.Fatal("a backup cut short was restored")
				}
			}
			// and with another key, the restored trail does not verify
			fresh := t.TempDir()
			os.WriteFile(filepath.Join(fresh, app.AuditKeyFile), []byte(strings.Repeat("k", 32)), 0o600)
			_, err = app.Restore(ctx, app.Config{DB: target(), DataDir: fresh, Log: quiet}, file, nil)
			var b *audit.Break
			if !errors.As(err, &b) {
				t.Fatalf("restore under another key: %v", err)
			}
		})
	}
}

// Scheduled backups keep the newest N by their names.
func TestPrune(t *testing.T) {
	for _, c := range []struct{ files, keep, left int }{{0, 7, 0}, {3, 7, 3}, {10, 7, 7}, {10, 1, 1}, {5, 0, 5}} {
		dir := t.TempDir()
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var names []string
		for i := 0; i < c.files; i++ {
			n := app.BackupName("sqlite", at.Add(time.Duration(i)*24*time.Hour))
			names = append(names, n)
			os.WriteFile(filepath.Join(dir, n), nil, 0o600)
		}
		os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o600) // not a backup: left alone
		if err := app.Prune(dir, c.keep); err != nil {
			t.Fatal(err)
		}
		left, _ := os.ReadDir(dir)
		if len(left) != c.left+1 {
			t.Fatalf("%d files, keep %d: %d left, want %d", c.files, c.keep, len(left)-1, c.left)
		}
		for _, n := range names[len(names)-c.left:] {
			if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
				t.Fatalf("the newest %s was removed", n)
			}
		}
	}
}

// The scheduled job writes backups into the directory and keeps the newest.
func TestScheduledBackup(t *testing.T) {
	ctx := context.Background()
	e := testkit.SQLite(t)
	dir := t.TempDir()
	m, err := app.Open(ctx, app.Config{DB: e.URL, DataDir: dir, Service: testkit.FastConfig(), Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	bdir := filepath.Join(dir, "backups")
	for i := 0; i < 3; i++ {
		at := time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)
		m.DB.Now = func() time.Time { return at }
		if _, err := m.ScheduledBackup(ctx, bdir, 2); err != nil {
			t.Fatal(err)
		}
	}
	left, _ := os.ReadDir(bdir)
	if len(left) != 2 || left[0].Name() != app.BackupName("sqlite", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("left: %v", left)
	}
	if ok, _ := store.IsSQLiteBackup(filepath.Join(bdir, left[1].Name())); !ok {
		t.Fatal("a scheduled backup is not an SQLite file")
	}
}

func divisions(t *testing.T) io.Reader {
	f, err := os.Open("../demo/data/divisions-150421.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// cutShort writes a copy of a logical backup without its last lines (the trailer).
func cutShort(t *testing.T, file string) string {
	f, _ := os.Open(file)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	lines := strings.Split(strings.TrimRight(string(body), "\n"), "\n")
	out := filepath.Join(t.TempDir(), "cut")
	g, _ := os.Create(out)
	zw := gzip.NewWriter(g)
	zw.Write([]byte(strings.Join(lines[:len(lines)-2], "\n") + "\n"))
	zw.Close()
	g.Close()
	return out
}
