package store_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/audit"
	"bianmin/internal/cases"
	"bianmin/internal/testkit"
)

// A case's events kept as rows of case_events by an older Bianmin move into its row with migration 084, in
// their order, with their times as each engine wrote them, notes in Chinese and Mongolian included; a case
// with none keeps none.
func TestCaseTimelineMigration(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := migratedBefore(t, e, "084")
			at := time.Date(2026, 3, 2, 8, 1, 2, 123456000, time.UTC)
			if db.Dialect() == "sqlite" {
				exec(t, db, `PRAGMA foreign_keys = OFF`)
			} else {
				exec(t, db, `ALTER TABLE cases DISABLE TRIGGER ALL`)
			}
			for _, id := range []string{"c-old", "c-none"} {
				exec(t, db, `INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, state, step, version, doc, received_at, updated_at)
					VALUES (?, ?, 'org-a', 'org-a', 'item-a', 1, 'app-a', 'accepted', 1, 3, '{}', ?, ?)`, id, "旧〔2026〕"+id, at, at)
			}
			want := []struct {
				seq       int
				at        time.Time
				action    cases.Action
				from, to  cases.State
				step      int
				desk, org string
				note      string
			}{
				{1, at, "receive", "", cases.Received, 0, "front", "org-a", ""},
				{2, at.Add(90 * time.Minute), cases.Accept, cases.Received, cases.Accepted, 1, "front", "org-a", ""},
				{3, at.Add(26 * time.Hour).In(time.FixedZone("CST", 8*3600)), cases.Return, cases.Accepted, cases.Accepted, 0, "back", "org-b", "缺四至图 ᠳᠦᠷᠪᠡᠨ \"x\""},
			}
			for _, i := range []int{2, 0, 1} { // stored out of order
				w := want[i]
				var at any = w.at
				if db.Dialect() == "sqlite" {
					at = w.at.String() // as the driver wrote it before migration 085 (sqlitetimes.go)
				}
				exec(t, db, `INSERT INTO case_events (case_id, seq, at, action, from_state, to_state, step, desk, org_id, note) VALUES ('c-old', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					w.seq, at, w.action, w.from, w.to, w.step, w.desk, w.org, w.note)
			}
			if db.Dialect() == "sqlite" {
				exec(t, db, `PRAGMA foreign_keys = ON`)
			} else {
				exec(t, db, `ALTER TABLE cases ENABLE TRIGGER ALL`)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := db.CaseEvents(ctx, "c-old")
			if err != nil || len(got) != len(want) {
				t.Fatalf("%d events, %v", len(got), err)
			}
			for i, w := range want {
				g := got[i]
				if g.Seq != w.seq || !g.At.Equal(w.at) || g.Action != w.action || g.From != w.from || g.To != w.to || g.Step != w.step || string(g.Desk) != w.desk || g.OrgID != w.org || g.Note != w.note {
					t.Errorf("event %d read back as %+v, want %+v", i+1, g, w)
				}
			}
			if got, err := db.CaseEvents(ctx, "c-none"); err != nil || len(got) != 0 {
				t.Fatalf("a case without events: %+v %v", got, err)
			}
			if got, err := db.CaseEvents(ctx, "no-such-case"); err != nil || len(got) != 0 {
				t.Fatalf("no case: %+v %v", got, err)
			}
		})
	}
}

// Times an older Bianmin kept as text on SQLite become integers with migration 085, in every TIMESTAMP
// column: the audit trail's too, whose entries read back as they were (to the microsecond its hash covers)
// and still verify, its guard against UPDATE made again; a message's times compare with new ones.
func TestIntegerTimesMigration(t *testing.T) {
	e := testkit.SQLite(t)
	db := migratedBefore(t, e, "085")
	at := time.Date(2026, 3, 2, 8, 1, 2, 123456789, time.UTC)
	cst := time.FixedZone("CST", 8*3600)
	var prev *audit.Entry
	var old []audit.Entry
	for i := range 3 {
		en := audit.Entry{At: at.Add(time.Duration(i) * time.Hour), Chain: "org-a", OrgID: "org-a", ActorID: "x", ActorName: "旧版", Action: "note.add", Entity: "note", EntityID: fmt.Sprint(i), After: `{"n":1}`}
		en.Seal(prev)
		// as the driver wrote it: Go's text of the time, in the zone it had
		exec(t, db, `INSERT INTO audit_log (chain, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash)
			VALUES (?, ?, '', ?, ?, ?, '', ?, ?, ?, '', ?, ?)`, en.Chain, en.Seq, en.At.In(cst).String(), en.ActorID, en.ActorName, en.Action, en.Entity, en.EntityID, en.After, unhex(en.Hash))
		old = append(old, en)
		prev = &en
	}
	exec(t, db, `INSERT INTO audit_heads (chain, seq, hash, keyed_from) VALUES ('org-a', ?, ?, 0)`, prev.Seq, prev.Hash)
	// an SMS due an hour ago, kept as text: after the migration it is due, before a new one due in an hour
	exec(t, db, `INSERT INTO outbox (id, phone, lang, template, body, next_at, created_at) VALUES ('m-old', '13800000000', 'zh', 't', 'b', ?, ?)`,
		time.Now().Add(-time.Hour).UTC().String(), time.Now().Add(-2*time.Hour).UTC().String())
	exec(t, db, `INSERT INTO outbox (id, phone, lang, template, body, next_at, created_at) VALUES ('m-new', '13800000000', 'zh', 't', 'b', ?, ?)`,
		time.Now().Add(time.Hour).UTC().String(), time.Now().UTC().String())
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var texts int
	if err := db.QueryRowRaw(ctx, `SELECT (SELECT count(*) FROM audit_log WHERE typeof(at) <> 'integer') + (SELECT count(*) FROM outbox WHERE typeof(next_at) <> 'integer' OR typeof(created_at) <> 'integer')`).Scan(&texts); err != nil || texts != 0 {
		t.Fatalf("%d times left as text, %v", texts, err)
	}
	got := entries(t, db, "org-a")
	for i, w := range old {
		if !got[i].At.Equal(audit.Time(w.At)) {
			t.Errorf("entry %d at %v, kept at %v", w.Seq, got[i].At, w.At)
		}
	}
	if n, err := db.VerifyAudit(ctx); err != nil || n != 3 {
		t.Fatalf("the trail after the migration: %d %v", n, err)
	}
	if err := db.ExecRaw(ctx, `UPDATE audit_log SET actor_name = 'x' WHERE chain = 'org-a'`); err == nil {
		t.Fatal("the audit trail's guard against UPDATE is gone")
	}
	var due []string
	rows, err := db.QueryRaw(ctx, `SELECT id FROM outbox WHERE next_at <= ? ORDER BY next_at`, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		due = append(due, id)
	}
	rows.Close()
	if len(due) != 1 || due[0] != "m-old" {
		t.Fatalf("due after the migration: %v", due)
	}
}
