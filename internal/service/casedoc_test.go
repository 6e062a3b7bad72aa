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
// case reads back as received, its receive entry in the trail still names them all (the item by id and
// version alone), a document stored before (with them) still reads, its own values first (a row of before
// migration 006 had empty place columns), and a document of the new kind reads a column the row changed (a
// hand-over's handling_org).
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
		// it names the item by its id and version, as the row does, not by the version's names again
		for _, k := range cols[:14] {
			if _, ok := entry[k]; !ok {
				t.Errorf("the receive entry lacks %s", k)
			}
		}
		if _, ok := entry["item_name_mn"]; ok || string(entry["item_name"]) != `""` {
			t.Errorf("the receive entry repeats the item version's names: %s", entries[0].After)
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

// A case's material list, when it is exactly its fixed item version's, is kept as its checks alone (issue 18)
// in its row, its acceptance's audit entry and its 受理通知书, and reads back whole from the version: the
// notice prints the same names and checks after a new version of the item. A list the version does not
// give (an earlier Bianmin's document, or one that differs) is kept and read as it stands.
func TestCaseMaterialsFromItemVersion(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		id := dibaoItem(t, w)
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: id, ApplicantID: w.seeded["T1"]}, "mats-1")
		if err != nil {
			t.Fatal(err)
		}
		in := mats(false)
		in[2].Note = "复印件加盖村委会章"
		if c, err = w.svc.Act(ctx, clerk, c.ID, c.Version, cases.Accept, cases.Input{Materials: in}); err != nil {
			t.Fatal(err)
		}
		if len(c.Materials) != 6 || c.Materials[0].Name != "最低生活保障申请表" || !c.Materials[0].Required || c.Materials[2].Note == "" {
			t.Fatalf("accepted with %+v", c.Materials)
		}
		keys := func(q string, args ...any) map[string]json.RawMessage {
			t.Helper()
			var raw []byte
			if err := db.QueryRowRaw(ctx, q, args...).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			doc, err := store.UnpackJSON(raw) // a notice's doc is stored packed
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatal(err, doc)
			}
			if inner, ok := m["case"]; ok { // a notice's doc: its case
				m = nil
				json.Unmarshal(inner, &m)
			}
			return m
		}
		leftOut := func(label string, m map[string]json.RawMessage) {
			t.Helper()
			if _, ok := m["materials"]; ok {
				t.Errorf("%s keeps the version's materials", label)
			}
			if string(m["checks"]) != `["original","original",{"check":"copy","note":"复印件加盖村委会章"},"original","copy","na"]` {
				t.Errorf("%s keeps checks %s", label, m["checks"])
			}
		}
		leftOut("the row", keys(`SELECT doc FROM cases WHERE id = ?`, c.ID))
		got, err := db.Case(ctx, c.ID)
		if err != nil || !reflect.DeepEqual(got.Materials, c.Materials) {
			t.Fatalf("read back %+v (%v), want %+v", got.Materials, err, c.Materials)
		}
		entries, err := db.AuditOf(ctx, "case", c.ID, 10)
		if err != nil || len(entries) != 2 {
			t.Fatal(entries, err)
		}
		var after map[string]json.RawMessage
		json.Unmarshal([]byte(entries[0].After), &after) // newest first
		leftOut("the acceptance's audit entry", after)
		ns, err := db.NoticesOf(ctx, c.ID)
		if err != nil || len(ns) == 0 || ns[0].Kind != cases.NoticeAccept {
			t.Fatal(ns, err)
		}
		leftOut("the 受理通知书", keys(`SELECT doc FROM notices WHERE id = ?`, ns[0].ID))

		// a new version renames a material: the notice and the case still print what was checked
		row, err := db.Item(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := db.ItemVersion(ctx, id, row.Published)
		if err != nil {
			t.Fatal(err)
		}
		v2.Materials = append([]catalog.Material(nil), v2.Materials...)
		v2.Materials[0].Name = "最低生活保障申请审批表"
		saved, err := w.svc.SaveItem(ctx, access.System, v2, row.RowVersion)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetItemStatus(ctx, access.System, id, saved.Version, catalog.Published); err != nil {
			t.Fatal(err)
		}
		v, err := w.svc.Notice(ctx, clerk, c.ID, ns[0].ID)
		if err != nil || !reflect.DeepEqual(v.Paper.Case.Materials, c.Materials) {
			t.Fatalf("the notice prints %+v (%v), want %+v", v.Paper.Case.Materials, err, c.Materials)
		}
		if got, err = db.Case(ctx, c.ID); err != nil || !reflect.DeepEqual(got.Materials, c.Materials) {
			t.Fatalf("after a new version the case reads %+v (%v)", got.Materials, err)
		}

		// a list that is not the version's (a material renamed in the case) is kept whole and reads as kept
		own := got
		own.Materials = append([]cases.MaterialCheck(nil), got.Materials...)
		own.Materials[5].Name = "代办人身份证"
		own.Version = got.Version + 1
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.SaveCase(access.System, own, got.Version, got, cases.Event{Action: "note", From: got.State, To: got.State, At: db.Now()}, own.Handling)
		}); err != nil {
			t.Fatal(err)
		}
		if m := keys(`SELECT doc FROM cases WHERE id = ?`, c.ID); m["materials"] == nil || m["checks"] != nil {
			t.Fatalf("a list of the case's own: %v", m)
		}
		if back, err := db.Case(ctx, c.ID); err != nil || !reflect.DeepEqual(back.Materials, own.Materials) {
			t.Fatalf("a list of the case's own reads %+v (%v)", back.Materials, err)
		}

		// a document of an earlier Bianmin, with the whole list, reads as it stands
		var doc string
		if err := db.QueryRowRaw(ctx, `SELECT doc FROM cases WHERE id = ?`, c.ID).Scan(&doc); err != nil {
			t.Fatal(err)
		}
		whole, err := db.NoticeByID(ctx, ns[0].ID)
		if err != nil || !strings.Contains(whole.Doc, `"materials":[{"name":"最低生活保障申请表"`) {
			t.Fatalf("the notice reads %v (%v)", whole.Doc, err)
		}
		old := strings.Replace(whole.Doc, "最低生活保障申请表", "旧名", 1)
		if err := db.ExecRaw(ctx, `UPDATE notices SET doc = ? WHERE id = ?`, []byte(old), ns[0].ID); err != nil {
			t.Fatal(err)
		}
		if v, err := w.svc.Notice(ctx, clerk, c.ID, ns[0].ID); err != nil || len(v.Paper.Case.Materials) != 6 || v.Paper.Case.Materials[0].Name != "旧名" {
			t.Fatalf("a notice of before prints %+v (%v)", v.Paper.Case.Materials, err)
		}
	})
}

// An intake reads its item's published version from memory once read (store.FixedItemVersion): a version in
// draft is read afresh each time (its text may still change), a published one is kept, and when the item
// publishes a new version intakes take the new one at once, the old one still reading as it was.
func TestFixedItemVersion(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		id := dibaoItem(t, w)
		row, err := db.Item(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		v1, err := db.FixedItemVersion(ctx, id, row.Published)
		if err != nil || v1.Version != row.Published || v1.Status != catalog.Published || len(v1.Steps) == 0 {
			t.Fatalf("the published version: %+v %v", v1, err)
		}
		draft, err := db.ItemVersion(ctx, id, row.Published) // a copy of its own to edit: the kept one is shared
		if err != nil {
			t.Fatal(err)
		}
		draft.NameZh = v1.NameZh + "（草稿）"
		saved, err := w.svc.SaveItem(ctx, access.System, draft, row.RowVersion)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.FixedItemVersion(ctx, id, saved.Version); err != nil || got.NameZh != draft.NameZh || got.Status != catalog.Draft {
			t.Fatalf("the draft reads %q %s (%v)", got.NameZh, got.Status, err)
		}
		draft.NameZh = v1.NameZh + "（改）"
		row, _ = db.Item(ctx, id)
		if saved, err = w.svc.SaveItem(ctx, access.System, draft, row.RowVersion); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FixedItemVersion(ctx, id, saved.Version); got.NameZh != draft.NameZh {
			t.Fatalf("the draft edited again reads %q, want %q: a draft must not be kept", got.NameZh, draft.NameZh)
		}
		if err := w.svc.SetItemStatus(ctx, access.System, id, saved.Version, catalog.Published); err != nil {
			t.Fatal(err)
		}
		c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: id, ApplicantID: w.seeded["T1"]}, "fixed-1")
		if err != nil || c.ItemVersion != saved.Version || c.ItemName != draft.NameZh {
			t.Fatalf("an intake after the new version: version %d %q (%v), want %d %q", c.ItemVersion, c.ItemName, err, saved.Version, draft.NameZh)
		}
		if old, err := db.FixedItemVersion(ctx, id, v1.Version); err != nil || old.NameZh != v1.NameZh {
			t.Fatalf("the old version reads %q (%v), want %q", old.NameZh, err, v1.NameZh)
		}
	})
}

// An intake answers with the cases it made as it wrote them, not read back (a round trip fewer each intake,
// issue 18): what it gives must be what a read of them gives, at the window, at a village station, for a
// bundle (一件事), online, and again when the submission is replayed.
func TestIntakeGivesWhatIsRead(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		same := func(how string, given []cases.Case) {
			t.Helper()
			if len(given) == 0 {
				t.Fatalf("%s: no case", how)
			}
			for _, g := range given {
				read, err := db.Case(ctx, g.ID)
				if err != nil {
					t.Fatal(err)
				}
				a, _ := json.Marshal(g)
				b, _ := json.Marshal(read)
				if string(a) != string(b) {
					t.Errorf("%s: the intake gave\n%s\na read gives\n%s", how, a, b)
				}
			}
		}
		receive := func(who, applicant, key string) []cases.Case {
			t.Helper()
			c, err := w.svc.Receive(ctx, w.actors[who], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded[applicant], Authorisation: "书面委托书（本人签字）"}, key)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			return []cases.Case{c}
		}
		same("at the window", receive("tianshan.clerk", "T1", "given-1"))
		same("at the window, replayed", receive("tianshan.clerk", "T1", "given-1"))
		same("at a village station", receive("yangshulin.agent", "V1", "given-2"))
		same("handed to another township (通办)", receive("tianshan.clerk", "T2", "given-3"))

		bundles, err := db.Bundles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bundle := ""
		for _, b := range bundles {
			if b.NameZh == "新生儿出生一件事" {
				bundle = b.ID
			}
		}
		if bundle == "" {
			t.Fatal("the demo's bundle 新生儿出生一件事 is missing")
		}
		list, err := w.svc.ReceiveBundle(ctx, w.actors["tianshan.clerk"], bundle, service.ReceiveInput{ApplicantID: w.seeded["T1"]}, "given-4")
		if err != nil {
			t.Fatal(err)
		}
		same("a bundle", list)

		r := register(t, w, "斯琴", idFor(972), "V1")
		c, err := w.svc.ApplyOnlineWith(ctx, r, onlineItem(t, w), "given-5", service.OnlineApplication{Form: onlineForm(idFor(972), "divorced", "")})
		if err != nil {
			t.Fatal(err)
		}
		same("online", []cases.Case{c})
	})
}
