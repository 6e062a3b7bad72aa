package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/cases"
	"bianmin/internal/ids"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// An older Bianmin's audit entries and notices, kept as plain JSON text, read the same after migration 083
// (PostgreSQL's columns turned bytea) and the trail verifies; new ones are packed beside them, the chain
// goes on across both, a notice refers to a packed paper as to a plain one, and packed bytes cut short are a
// break of their entry.
func TestPackedJSONMigration(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := migratedBefore(t, e, "083")
			db.AuditLanes = 1 // one chain an organisation: the cases below name it (lanes: audit_lanes_test.go)
			// what the conversion must keep: Chinese, Mongolian, JSON's escapes, empty sides
			texts := [][2]string{
				{"", `{"NameZh":"天山镇","NameMn":"ᠲᠢᠶᠠᠨ ᠱᠠᠨ","Note":"\u003cb\u003e \\ \"x\""}`},
				{`{"state":"received","step":0}`, `{"state":"accepted","step":1}`},
				{`{"k":null}`, ""},
			}
			var prev *audit.Entry
			var old []audit.Entry
			for i, x := range texts {
				en := audit.Entry{ID: ids.New(), At: db.Now(), Chain: "org-a", OrgID: "org-a", ActorID: "x", ActorName: "旧版", Action: "note.add", Entity: "note", EntityID: fmt.Sprint(i), Before: x[0], After: x[1]}
				en.Seal(prev)
				exec(t, db, `INSERT INTO audit_log (chain, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash)
					VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)`, en.Chain, en.Seq, en.ID, en.At, en.ActorID, en.ActorName, en.Action, en.Entity, en.EntityID, en.Before, en.After, unhex(en.Hash))
				old = append(old, en)
				prev = &en
			}
			exec(t, db, `INSERT INTO audit_heads (chain, seq, hash, keyed_from) VALUES ('org-a', ?, ?, 0)`, prev.Seq, prev.Hash)
			// two notices of a case, the second referring to the first's paper (migration 075); the case
			// itself is not needed here, and its foreign key is set aside
			paper := `{"by":"综合受理员","case":{"accepted":"2026-03-02T08:00:00Z","state":"accepted","step":1,"version":2},"due":"2026-04-01","issuer":"org-a"}`
			at := db.Now()
			noCaseKey(t, db, func() {
				exec(t, db, `INSERT INTO notices (id, case_id, kind, notice_no, verify_code, issued_at, doc, paper_of) VALUES
					('n-old', 'c-old', 'accept', '旧受理〔2026〕1号', 'old-code-1', ?, ?, NULL),
					('n-old-ref', 'c-old', 'pledge', '旧承诺〔2026〕1号', 'old-code-2', ?, '', 'n-old')`, at, paper, at)
			})
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			if n, err := db.VerifyAudit(ctx); err != nil || n != 3 {
				t.Fatalf("the old trail after the migration: %d %v", n, err)
			}
			got := entries(t, db, "org-a")
			for i, w := range old {
				if got[i].Before != w.Before || got[i].After != w.After {
					t.Fatalf("old entry %d read back as %q %q, written %q %q", w.Seq, got[i].Before, got[i].After, w.Before, w.After)
				}
			}
			for _, id := range []string{"n-old", "n-old-ref"} {
				if n, err := db.NoticeByID(ctx, id); err != nil || n.Doc != paper {
					t.Fatalf("old notice %s read as %q, %v", id, n.Doc, err)
				}
			}

			// new entries and notices are packed; the chain goes on from the plain entries
			big := map[string]any{"state": "accepted", "step": 1, "step_since": "2026-03-02T08:00:00Z", "version": 2,
				"materials": []map[string]any{{"name": "居民身份证", "required": true, "check": "original"}, {"name": "居民户口簿", "required": true, "check": "copy"}}}
			if err := db.Write(ctx, func(tx *store.Tx) error {
				return tx.Audit(access.System, "case.accept", "case", "c-new", "org-a", map[string]any{"state": "received", "step": 0, "version": 1}, big)
			}); err != nil {
				t.Fatal(err)
			}
			notes(t, db, "org-a", 1)
			var accept, pledge store.Notice
			noCaseKey(t, db, func() {
				if err := db.Write(ctx, func(tx *store.Tx) error {
					var err error
					if accept, err = tx.IssueNotice(cases.Case{ID: "c-old"}, "accept", "新", 2026, paper, store.Notice{}); err != nil {
						return err
					}
					pledge, err = tx.IssueNotice(cases.Case{ID: "c-old"}, "pledge", "新", 2026, paper, accept)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			})
			if n, err := db.VerifyAudit(ctx); err != nil || n != 5 {
				t.Fatalf("the trail with new entries: %d %v", n, err)
			}
			got = entries(t, db, "org-a")
			if len(got) != 5 || got[3].PrevHash != old[2].Hash || !strings.Contains(got[3].After, "居民户口簿") || got[4].After != `{"n":0}` {
				t.Fatalf("the new entries: %+v", got[3:])
			}
			for _, n := range []store.Notice{accept, pledge} {
				if r, err := db.NoticeByID(ctx, n.ID); err != nil || r.Doc != paper {
					t.Fatalf("new notice %s read as %q, %v", n.Kind, r.Doc, err)
				}
			}
			if list, err := db.NoticesOf(ctx, "c-old"); err != nil || len(list) != 4 {
				t.Fatalf("the case's notices: %d %v", len(list), err)
			}
			stored := func(q string, args ...any) []byte {
				t.Helper()
				var b []byte
				if err := db.QueryRowRaw(ctx, q, args...).Scan(&b); err != nil {
					t.Fatal(err)
				}
				return b
			}
			if b := stored(`SELECT after_json FROM audit_log WHERE chain = 'org-a' AND seq = 4`); b[0] != 1 || len(b) >= len(got[3].After)/2 {
				t.Errorf("a new entry's after: %d bytes of %d, first byte %#x", len(b), len(got[3].After), b[0])
			}
			if b := stored(`SELECT after_json FROM audit_log WHERE chain = 'org-a' AND seq = 2`); string(b) != old[1].After {
				t.Errorf("an old entry's after is kept as %q", b)
			}
			if b := stored(`SELECT doc FROM notices WHERE id = ?`, accept.ID); b[0] != 1 {
				t.Errorf("a new notice's doc: %q", b)
			}
			if b := stored(`SELECT doc FROM notices WHERE id = ?`, pledge.ID); b == nil || len(b) != 0 {
				t.Errorf("a notice referring to another's paper keeps %#v", b)
			}

			// packed bytes cut short: the entry is broken, and named
			b := stored(`SELECT after_json FROM audit_log WHERE chain = 'org-a' AND seq = 4`)
			unguardAll(t, db)
			exec(t, db, `UPDATE audit_log SET after_json = ? WHERE chain = 'org-a' AND seq = 4`, b[:len(b)/2])
			var brk *audit.Break
			if n, err := db.VerifyAudit(ctx); !errors.As(err, &brk) || brk.Seq != 4 || n != 3 || !strings.Contains(brk.Reason, "does not read") {
				t.Fatalf("packed bytes cut short: %d %v", n, err)
			}
		})
	}
}

// noCaseKey runs fn with the notices' foreign key to their case set aside (on SQLite's one writing
// connection, on PostgreSQL's table).
func noCaseKey(t *testing.T, db *store.DB, fn func()) {
	t.Helper()
	if db.Dialect() == "sqlite" {
		exec(t, db, `PRAGMA foreign_keys = OFF`)
		defer exec(t, db, `PRAGMA foreign_keys = ON`)
	} else {
		exec(t, db, `ALTER TABLE notices DISABLE TRIGGER ALL`)
		defer exec(t, db, `ALTER TABLE notices ENABLE TRIGGER ALL`)
	}
	fn()
}
