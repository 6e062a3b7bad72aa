package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/app"
	"bianmin/internal/audit"
	"bianmin/internal/clock"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// dataDirs keeps one data directory per database, as an installation has: the keys kept outside the
// database (audit.key, result-code.key) live there, and a keyed audit trail needs its key at every command.
var dataDirs sync.Map // engine URL -> directory

func cli(t *testing.T, e testkit.Engine, args ...string) (string, error) {
	t.Helper()
	dir, _ := dataDirs.LoadOrStore(e.URL, t.TempDir())
	var out bytes.Buffer
	err := run(context.Background(), append(args, "-db", e.URL, "-data", dir.(string)), strings.NewReader(""), &out)
	return out.String(), err
}

// keyedStore opens the database the commands work on with its audit key, as a tool writing beside them must.
func keyedStore(t *testing.T, e testkit.Engine) *store.DB {
	t.Helper()
	db := testkit.Open(t, e)
	dir, _ := dataDirs.LoadOrStore(e.URL, t.TempDir())
	key, err := os.ReadFile(filepath.Join(dir.(string), app.AuditKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	db.AuditKey = key
	return db
}

func fixture(t *testing.T) string {
	for _, p := range []string{"../../../shared/fixtures/divisions-150421.json", "../../internal/demo/data/divisions-150421.json"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("no fixture")
	return ""
}

// The administration path of a fresh install: import divisions, create the first administrator, verify the
// trail; then someone edits one audit row in the database and verify names it.
func TestCommands(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			out, err := cli(t, e, "import", "divisions", fixture(t))
			if err != nil || !strings.Contains(out, "17 townships, 94 villages") {
				t.Fatalf("import: %q %v", out, err)
			}
			bad := filepath.Join(t.TempDir(), "bad.json")
			os.WriteFile(bad, []byte(`{"region":{"code":"150000","name":"内蒙古自治区"},"city":{"code":"150400","name":"赤峰市"},"banner":{"code":"150421","name":"阿鲁科尔沁旗"},"townships":[{"code9":"15042110","name":"坏镇"}]}`), 0o600)
			if _, err := cli(t, e, "import", "divisions", bad); err == nil || !strings.Contains(err.Error(), "townships[0].code") || !strings.Contains(err.Error(), "区划代码位数不对") {
				t.Fatalf("a bad file: %v", err)
			}
			if _, err := cli(t, e, "admin", "create", "-org", "150421", "-username", "root.admin", "-password", "short"); err == nil || !strings.Contains(err.Error(), "密码至少") {
				t.Fatalf("a short password: %v", err)
			}
			out, err = cli(t, e, "admin", "create", "-org", "150421", "-username", "root.admin", "-name", "管理员", "-password", "a-long-password")
			if err != nil || !strings.Contains(out, "root.admin") {
				t.Fatalf("admin create: %q %v", out, err)
			}
			out, err = cli(t, e, "audit", "verify")
			if err != nil || !strings.Contains(out, "intact") {
				t.Fatalf("verify: %q %v", out, err)
			}
			db := testkit.Open(t, e)
			if db.Dialect() == "sqlite" {
				db.ExecRaw(t.Context(), `DROP TRIGGER audit_log_no_update`)
			} else {
				db.ExecRaw(t.Context(), `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`)
			}
			// the banner's own chain: its creation, then its first administrator
			var banner string
			if err := db.QueryRowRaw(t.Context(), `SELECT id FROM orgs WHERE code = '150421'`).Scan(&banner); err != nil {
				t.Fatal(err)
			}
			// (on PostgreSQL in the lanes its two entries took: every line names the banner)
			out, err = cli(t, e, "audit", "verify", "-chain", "150421")
			if err != nil || !strings.Contains(out, "150421 阿鲁科尔沁旗 "+banner) || !strings.Contains(out, "audit trail intact: 2 entries in") {
				t.Fatalf("verify one chain: %q %v", out, err)
			}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if !strings.HasPrefix(line, "audit trail") && !strings.HasPrefix(line, "chain 150421 阿鲁科尔沁旗 "+banner) {
					t.Fatalf("verify one chain: %q", line)
				}
			}
			var lane, seq int64
			if err := db.QueryRowRaw(t.Context(), `SELECT lane, seq FROM audit_log WHERE chain = ? ORDER BY lane DESC, seq DESC LIMIT 1`, banner).Scan(&lane, &seq); err != nil {
				t.Fatal(err)
			}
			if err := db.ExecRaw(t.Context(), `UPDATE audit_log SET actor_name = 'someone else' WHERE chain = ? AND lane = ? AND seq = ?`, banner, lane, seq); err != nil {
				t.Fatal(err)
			}
			out, err = cli(t, e, "audit", "verify")
			var b *audit.Break
			if !errors.As(err, &b) || b.Chain != audit.LaneChain(banner, int(lane)) || b.Seq != seq || !strings.Contains(err.Error(), fmt.Sprintf("entry %d", seq)) || !strings.Contains(out, "BROKEN") {
				t.Fatalf("verify after tampering: %q %v", out, err)
			}
		})
	}
}

func TestImportCalendar(t *testing.T) {
	e := testkit.SQLite(t)
	f := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(f, []byte(year2027), 0o600)
	if out, err := cli(t, e, "import", "calendar", f); err != nil || !strings.Contains(out, "calendar 2027 loaded") {
		t.Fatalf("%q %v", out, err)
	}
	// a file past the limit is refused before it is read whole (one was 53 MB, and took 672 MB to load)
	big := filepath.Join(t.TempDir(), "big.json")
	os.WriteFile(big, append([]byte(year2027[:len(year2027)-1]+`, "x": "`), bytes.Repeat([]byte("a"), clock.MaxYearBytes)...), 0o600)
	if out, err := cli(t, e, "import", "calendar", big); err == nil || !strings.Contains(out+err.Error(), "KiB") {
		t.Fatalf("a file over the limit: %q %v", out, err)
	}
}

func TestVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, nil, &out); err != nil || !strings.HasPrefix(out.String(), "bianmin ") {
		t.Fatal(out.String(), err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"frobnicate"}, nil, &out); err == nil {
		t.Fatal("an unknown command must fail")
	}
}

func TestCatalogCommands(t *testing.T) {
	e := testkit.SQLite(t)
	if _, err := cli(t, e, "import", "divisions", fixture(t)); err != nil {
		t.Fatal(err)
	}
	guides := "../../internal/catalogfile/testdata/service-guides-sample.json"
	if _, err := cli(t, e, "import", "catalog", guides); err == nil || !strings.Contains(err.Error(), "必须填写") {
		t.Fatalf("guides without a department: %v", err)
	}
	db := keyedStore(t, e)
	banner, _ := db.OrgByCode(t.Context(), "150421")
	testkit.Service(t, db).CreateOrg(t.Context(), access.System, service.OrgInput{ParentID: banner.ID, Kind: "department", NameZh: "民政局"})
	out, err := cli(t, e, "import", "catalog", "-department", "民政局", "-publish", guides)
	// every guide lacks something: nine drafts, each with its reasons named in Chinese
	if err != nil || !strings.Contains(out, "imported 9 of 9 items: 0 published, 9 draft, 0 refused") ||
		!strings.Contains(out, "draft 1 临时救助:") || !strings.Contains(out, "承诺办结时限: 缺少该要素，发布前须补齐") {
		t.Fatalf("import guides: %q %v", out, err)
	}
	x := filepath.Join(t.TempDir(), "catalog.xlsx")
	if out, err := cli(t, e, "export", "catalog", x); err != nil || !strings.Contains(out, "exported 9 items") {
		t.Fatalf("export: %q %v", out, err)
	}
	if _, err := os.Stat(x); err != nil {
		t.Fatal(err)
	}
}

// The delegated powers' clocks are settings: a help clock or guidance period out of its range is refused at
// start, naming the flags.
func TestDelegationFlags(t *testing.T) {
	for _, args := range [][]string{{"-help-answer-hours", "0"}, {"-help-resolve-days", "0"}, {"-guidance-months", "0"}, {"-guidance-months", "99"}} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"version"}, args...), nil, &out)
		if err == nil || !strings.Contains(err.Error(), "-guidance-months") {
			t.Errorf("%v: %v", args, err)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version", "-help-answer-hours", "4", "-help-resolve-days", "3", "-guidance-months", "6"}, nil, &out); err != nil {
		t.Errorf("settings in range: %v", err)
	}
}

// The sender named upward is a division code: anything else is refused at start, naming the flag; so is a
// late-sign-in grace out of its range.
func TestUpstreamFromAndGraceFlags(t *testing.T) {
	for _, args := range [][]string{{"-upstream-from", "15042"}, {"-upstream-from", "15042110A"}, {"-late-grace", "3h"}} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"version"}, args...), nil, &out)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v", args, err)
		}
	}
	for _, code := range []string{"150421", "150421100", "150421100201"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"version", "-upstream-from", code}, nil, &out); err != nil {
			t.Errorf("%s: %v", code, err)
		}
	}
}
