package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bianmin/internal/testkit"
)

// bianmin backup, restore and audit checkpoint from the command line, on both engines; and Ctrl-C in the
// middle of a backup leaves no file.
func TestBackupCommands(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			if _, err := cli(t, e, "import", "divisions", fixture(t)); err != nil {
				t.Fatal(err)
			}
			out, err := cli(t, e, "audit", "checkpoint")
			if err != nil || !strings.Contains(out, "audit checkpoint signed: 114 entries") {
				t.Fatalf("checkpoint: %q %v", out, err)
			}
			file := filepath.Join(t.TempDir(), "bianmin.bak")
			out, err = cli(t, e, "backup", file)
			if err != nil || !strings.Contains(out, "backup written") || !strings.Contains(out, "are not in the backup") {
				t.Fatalf("backup: %q %v", out, err)
			}
			// restore into a fresh data directory (and, on PostgreSQL, a fresh schema), given the key
			fresh := testkit.Engine{Name: e.Name}
			if e.Name == "postgres" {
				fresh = testkit.Engines(t)[1]
			}
			dir, _ := dataDirs.Load(e.URL)
			var buf bytes.Buffer
			err = run(context.Background(), []string{"restore", file, "-db", fresh.URL, "-data", t.TempDir(), "-audit-key", filepath.Join(dir.(string), "audit.key")}, nil, &buf)
			if err != nil || !strings.Contains(buf.String(), "audit trail intact: 114 entries") {
				t.Fatalf("restore: %q %v", buf.String(), err)
			}

			// Ctrl-C during the backup: the command stops with a message and no file is left
			ctx, cancel := context.WithCancel(context.Background())
			stopAt := "SQLite"
			if e.Name == "postgres" {
				stopAt = "rows"
			}
			w := &cancelOn{word: stopAt, cancel: cancel}
			stoppedFile := filepath.Join(t.TempDir(), "stopped.bak")
			err = run(ctx, []string{"backup", stoppedFile, "-db", e.URL, "-data", dir.(string)}, nil, w)
			var st *stopped
			if !errors.As(err, &st) || !strings.Contains(err.Error(), "no backup written") {
				t.Fatalf("Ctrl-C: %v\n%s", err, w.String())
			}
			left, _ := os.ReadDir(filepath.Dir(stoppedFile))
			if len(left) != 0 {
				t.Fatalf("a stopped backup left %v", left)
			}
		})
	}
}

// cancelOn cancels once a line with word is printed (Ctrl-C at a known point).
type cancelOn struct {
	bytes.Buffer
	word   string
	cancel func()
}

func (c *cancelOn) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(c.word)) {
		c.cancel()
	}
	return c.Buffer.Write(p)
}
