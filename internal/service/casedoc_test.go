package service_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A case's row leaves out steps that are exactly its item version's and reads them back from that version
// (issue 18), so a case keeps the steps in force on the day it was received: a later version of the item
// does not change them, steps of its own (a delegation's, a move's) stay in its row, and its receive entry in
// the audit trail names the version as the row does.
func TestCaseStepsFromItemVersion(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		id := dibaoItem(t, w)
		row, err := db.Item(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		v1, err := db.ItemVersion(ctx, id, row.Published)
		if err != nil {
			t.Fatal(err)
		}
		rawDoc := func(caseID string) map[string]json.RawMessage {
			t.Helper()
			var doc string
			if err := db.QueryRowRaw(ctx, `SELECT doc FROM cases WHERE id = ?`, caseID).Scan(&doc); err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
		old, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: id, ApplicantID: w.seeded["T1"]}, "steps-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, kept := rawDoc(old.ID)["steps"]; kept {
			t.Fatal("the row keeps a copy of the item version's steps")
		}
		got, err := db.Case(ctx, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := cases.StepsOf(v1.Steps); len(want) == 0 || !reflect.DeepEqual(got.Steps, want) || !reflect.DeepEqual(old.Steps, want) {
			t.Fatalf("steps read back %+v, received %+v, want the version's %+v", got.Steps, old.Steps, want)
		}
		entries, err := db.AuditOf(ctx, "case", old.ID, 10)
		if err != nil || len(entries) != 1 || strings.Contains(entries[0].After, `"steps"`) || !strings.Contains(entries[0].After, `"item_version":`) {
			t.Fatalf("receive entry: %+v %v", entries, err)
		}

		// a new version with a shorter second step: the case received before keeps its steps
		v2 := v1
		v2.Steps = append([]catalog.Step(nil), v1.Steps...)
		v2.Steps[1].Limit.Value = v1.Steps[1].Limit.Value - 2
		saved, err := w.svc.SaveItem(ctx, access.System, v2, row.RowVersion)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetItemStatus(ctx, access.System, id, saved.Version, catalog.Published); err != nil {
			t.Fatal(err)
		}
		if got, err = db.Case(ctx, old.ID); err != nil || !reflect.DeepEqual(got.Steps, cases.StepsOf(v1.Steps)) {
			t.Fatalf("after a new version the old case reads %+v (%v)", got.Steps, err)
		}
		later, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: id, ApplicantID: w.seeded["T1"]}, "steps-2")
		if err != nil {
			t.Fatal(err)
		}
		if later.ItemVersion != saved.Version || later.Steps[1].Days != v1.Steps[1].Limit.Value-2 {
			t.Fatalf("a case received under the new version: version %d, steps %+v", later.ItemVersion, later.Steps)
		}
		if _, kept := rawDoc(later.ID)["steps"]; kept {
			t.Fatal("the row keeps a copy of the new version's steps")
		}

		// steps of the case's own (as a delegation hands down) stay in its row and read back as they are
		own := got
		own.Steps = append([]cases.Step(nil), got.Steps...)
		own.Steps[0].Level, own.Steps[0].Unit, own.Steps[0].Days = 4, clock.WorkingDays, 9
		own.Version = got.Version + 1
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.SaveCase(access.System, own, got.Version, got, cases.Event{Action: "note", At: db.Now()}, own.Handling)
		}); err != nil {
			t.Fatal(err)
		}
		if _, kept := rawDoc(old.ID)["steps"]; !kept {
			t.Fatal("steps of the case's own are not in its row")
		}
		if back, err := db.Case(ctx, old.ID); err != nil || !reflect.DeepEqual(back.Steps, own.Steps) {
			t.Fatalf("own steps read back %+v (%v), want %+v", back.Steps, err, own.Steps)
		}
		list, err := db.CasesByNos(ctx, []string{old.No, later.No})
		if err != nil || len(list) != 2 || !reflect.DeepEqual(list[1].Steps, own.Steps) || !reflect.DeepEqual(list[0].Steps, later.Steps) {
			t.Fatalf("a list reads %+v (%v)", list, err)
		}
	})
}

// A case's row leaves out of its document the row's own columns (issue 18) and reads them from the row: the
// case reads back as received, its receive entry in the trail still names them all, a document stored
// before (with them) still reads, its own values first (a row of before migration 006 had empty place
// columns), and a document of the new kind reads a column the row changed (a hand-over's handling_org).
func TestCaseDocLeavesRowColumns(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "cols-1")
		if err != nil {
			t.Fatal(err)
		}
		var doc string
		if err := db.QueryRowRaw(ctx, `SELECT doc FROM cases WHERE id = ?`, c.ID).Scan(&doc); err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		cols := []string{"id", "no", "item_id", "item_version", "applicant_id", "receiving", "handling", "state", "step", "version", "channel", "department", "received_by", "receiving_township", "item_name", "item_name_mn"}
		for _, k := range cols {
			if _, ok := m[k]; ok {
				t.Errorf("the document repeats its row's %s", k)
			}
		}
		same := func(label string, got cases.Case, want cases.Case) {
			t.Helper()
			g := []any{got.ID, got.No, got.ItemID, got.ItemVersion, got.ApplicantID, got.Receiving, got.Handling, got.Bundle, got.State, got.Step, got.Version, got.Channel, got.Department, got.ReceivedBy, got.ReceivingTownship, got.ItemName, len(got.Materials)}
			x := []any{want.ID, want.No, want.ItemID, want.ItemVersion, want.ApplicantID, want.Receiving, want.Handling, want.Bundle, want.State, want.Step, want.Version, want.Channel, want.Department, want.ReceivedBy, want.ReceivingTownship, want.ItemName, len(want.Materials)}
			if !reflect.DeepEqual(g, x) {
				t.Fatalf("%s: read %v, want %v", label, g, x)
			}
		}
		got, err := db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Department == "" || c.ReceivedBy == "" || c.ReceivingTownship == "" {
			t.Fatalf("received without its place: %+v", c)
		}
		same("read back", got, c)
		entries, err := db.AuditOf(ctx, "case", c.ID, 10)
		if err != nil || len(entries) != 1 {
			t.Fatal(entries, err)
		}
		var entry map[string]json.RawMessage
		json.Unmarshal([]byte(entries[0].After), &entry)
		for _, k := range cols {
			if _, ok := entry[k]; !ok {
				t.Errorf("the receive entry lacks %s", k)
			}
		}

		// a document as stored before: the receive entry's, every column in it; the row's place columns empty
		if err := db.ExecRaw(ctx, `UPDATE cases SET doc = ?, department = '', received_by = '', receiving_township = '' WHERE id = ?`, entries[0].After, c.ID); err != nil {
			t.Fatal(err)
		}
		got, err = db.Case(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		same("a document of before", got, c)
		if list, err := db.CasesOfApplicant(ctx, c.ApplicantID, 10); err != nil || len(list) == 0 {
			t.Fatal(list, err)
		} else {
			same("a document of before, in a list", list[0], c)
		}

		// the row's handling_org changed under a document of the new kind: the row's is read
		moved := got
		moved.Version++
		if err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.MoveCase(c.ID, w.targets["T2"].ID); err != nil {
				return err
			}
			return tx.SaveCase(access.System, moved, got.Version, got, cases.Event{Action: "note", From: got.State, To: got.State, At: got.Received}, "")
		}); err != nil {
			t.Fatal(err)
		}
		if got, err = db.Case(ctx, c.ID); err != nil || got.Handling != w.targets["T2"].ID || got.Department != c.Department {
			t.Fatalf("after a move: %+v %v", got, err)
		}
	})
}
