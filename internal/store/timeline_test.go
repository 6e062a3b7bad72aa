package store_test

import (
	"testing"
	"time"

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
				exec(t, db, `INSERT INTO case_events (case_id, seq, at, action, from_state, to_state, step, desk, org_id, note) VALUES ('c-old', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					w.seq, w.at, w.action, w.from, w.to, w.step, w.desk, w.org, w.note)
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
