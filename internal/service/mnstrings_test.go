package service_test

import (
	"bytes"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/translation"
)

func errKey(err error) string {
	if es := errs.All(err); len(es) > 0 {
		return es[0].Key
	}
	return ""
}

func findMn(t *testing.T, svc *service.Service, actor access.Actor, q service.MnQuery, pred func(translation.String) bool) translation.String {
	t.Helper()
	for {
		list, _, err := svc.MnQueue(ctx, actor, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if pred(s) {
				return s
			}
		}
		if len(list) < service.MnQueuePage {
			t.Fatalf("no string for %+v", q)
		}
		q.After = list[len(list)-1].Key
	}
}

// The workflow on both databases: a village's name and a material's note corrected, reviewed, reverted;
// who may do what; the coverage report equal to plain counts; an import refused whole for one bad row.
func TestMnWorkflow(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		fanyi, town := w.actors["fanyi"], w.actors["tianshan.fanyi"]
		v1, v3 := w.targets["V1"], w.targets["V3"]

		// a village of 天山镇: its translator may correct its name; 绍根镇's village is not theirs
		vs := findMn(t, w.svc, town, service.MnQuery{Kind: translation.Orgs}, func(s translation.String) bool { return s.Key == translation.OrgKey(v1.ID) })
		after, err := w.svc.ChangeMn(ctx, town, translation.Change{Key: vs.Key, Action: translation.Correct, Mn: "ᠶᠠᠩ ᠱᠦ ᠯᠢᠨ ᠭᠠᠴᠠᠭ᠎ᠠ", Version: vs.Version})
		if err != nil || after.Status != translation.Reviewed {
			t.Fatalf("township translator corrects its village: %v %v", after.Status, err)
		}
		o, _ := db.Org(ctx, v1.ID)
		if o.NameMn != "ᠶᠠᠩ ᠱᠦ ᠯᠢᠨ ᠭᠠᠴᠠᠭ᠎ᠠ" || o.MnReview {
			t.Fatalf("the organisation's name: %q review=%v", o.NameMn, o.MnReview)
		}
		other, _, err := db.MnString(ctx, translation.OrgKey(v3.ID))
		if err != nil {
			t.Fatal(err)
		}
		for name, a := range map[string]access.Actor{"another township's translator": town, "a clerk": w.actors["tianshan.clerk"], "a supervisor": w.actors["supervisor"]} {
			_, err := w.svc.ChangeMn(ctx, a, translation.Change{Key: other.Key, Action: translation.Correct, Mn: "ᠠ", Version: other.Version})
			if errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s on 绍根镇's village: %v", name, err)
			}
		}
		// a township translator does not reach the shared strings
		if _, err := w.svc.ChangeMn(ctx, town, translation.Change{Key: translation.InterfaceKey("nav.home"), Action: translation.Comment, Comment: "x"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("township translator on the interface: %v", err)
		}
		if _, err := w.svc.Coverage(ctx, town); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("township translator on the coverage report: %v", err)
		}

		// a material's note: the banner's translator corrects it; a stale version is refused
		note := findMn(t, w.svc, fanyi, service.MnQuery{Kind: translation.Content, Q: "户口簿"}, func(s translation.String) bool { return strings.Contains(s.Where, "notes") || s.Zh == "户口簿" })
		if _, err := w.svc.ChangeMn(ctx, fanyi, translation.Change{Key: note.Key, Action: translation.Correct, Mn: "ᠡᠷᠦᠬᠡ ᠶᠢᠨ ᠳᠡᠪᠲᠡᠷ", Version: note.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ChangeMn(ctx, fanyi, translation.Change{Key: note.Key, Action: translation.Correct, Mn: "ᠡᠷᠦᠬᠡ", Version: note.Version}); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("stale version: %v", err)
		}
		if got := w.svc.MnText(note.Zh); got != "ᠡᠷᠦᠬᠡ\u202Fᠶᠢᠨ ᠳᠡᠪᠲᠡᠷ" {
			t.Fatalf("pages read %q", got)
		}
		// a look-alike is refused and changes nothing
		d, _ := w.svc.MnString(ctx, fanyi, note.Key)
		if _, err := w.svc.ChangeMn(ctx, fanyi, translation.Change{Key: note.Key, Action: translation.Correct, Mn: "ᠡᠷᠦᠬᠡ ᠶᠢᠨ ᠳᠡᠪтᠡᠷ", Version: d.Version}); errKey(err) != "err.mn.cyrillic" {
			t.Fatalf("cyrillic: %v", err)
		}
		// revert the correction: back to what it had, itself in the history
		d, _ = w.svc.MnString(ctx, fanyi, note.Key)
		if len(d.History) != 1 {
			t.Fatalf("history: %d", len(d.History))
		}
		back, err := w.svc.RevertMn(ctx, fanyi, note.Key, d.History[0].Seq, d.Version)
		if err != nil || back.Mn != note.Mn || back.Status != note.Status {
			t.Fatalf("revert: %+v %v", back, err)
		}
		d, _ = w.svc.MnString(ctx, fanyi, note.Key)
		if len(d.History) != 2 || d.History[0].Action != translation.Revert {
			t.Fatalf("history after revert: %+v", d.History)
		}

		// the coverage report equals plain counts
		if _, err := w.svc.Coverage(ctx, fanyi); err != nil {
			t.Fatal(err)
		}
		cov, err := w.svc.Coverage(ctx, access.System) // the whole table, as the plain count reads it
		if err != nil {
			t.Fatal(err)
		}
		counts, err := db.MnCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range translation.Kinds {
			for _, st := range translation.Statuses {
				if got, want := cov.ByKind[k].Of(st), counts[k][st]; got != want {
					t.Errorf("%s %s: report %d, count %d", k, st, got, want)
				}
			}
		}
		var orgsInTowns int
		for _, tc := range cov.Townships {
			orgsInTowns += tc.Tally.Total()
		}
		var n int
		if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM mn_strings WHERE kind = 'orgs' AND township_id <> ''`).Scan(&n); err != nil || n != orgsInTowns || n == 0 {
			t.Errorf("townships: report %d, count %d (%v)", orgsInTowns, n, err)
		}

		// exchange: export, change two rows, one of them bad: refused whole, named by cell; then good
		var buf bytes.Buffer
		if err := w.svc.ExportMn(ctx, fanyi, "xlsx", false, translation.Orgs, &buf); err != nil {
			t.Fatal(err)
		}
		rows, err := translation.ReadXLSX(buf.Bytes())
		if err != nil || len(rows) < 2 {
			t.Fatalf("export: %d rows %v", len(rows), err)
		}
		rows[0].Mn, rows[1].Mn = "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ", "ᠰᠢᠨ᠎ᠡ nᠡᠷ᠎ᠡ"
		if _, err := translation.Compare(rows, map[string]translation.String{}); err == nil {
			t.Fatal("unknown keys must be refused")
		}
		body := rewriteXLSX(t, rows)
		if _, _, err := w.svc.PrepareMnImport(ctx, fanyi, "xlsx", body); errKey(err) != "err.mn.latin" || !strings.HasPrefix(errs.All(err)[0].Field, "译文!D3") {
			t.Fatalf("bad row: %v", err)
		}
		rows[1].Mn = ""
		id, diff, err := w.svc.PrepareMnImport(ctx, fanyi, "xlsx", rewriteXLSX(t, rows))
		if err != nil || len(diff) != 1 {
			t.Fatalf("prepare: %v %v", diff, err)
		}
		if _, err := w.svc.ApplyMnImport(ctx, town, id); err == nil {
			t.Fatal("another person applied my import")
		}
		if n, err := w.svc.ApplyMnImport(ctx, fanyi, id); err != nil || n != 1 {
			t.Fatalf("apply: %d %v", n, err)
		}
		if _, err := w.svc.ApplyMnImport(ctx, fanyi, id); err == nil {
			t.Fatal("applied twice")
		}
		s, _, _ := db.MnString(ctx, diff[0].Key)
		if s.Mn != "ᠰᠢᠨ᠎ᠡ ᠨᠡᠷ᠎ᠡ" || s.Status != translation.Composed {
			t.Fatalf("imported: %+v", s)
		}

		// the transliteration aid proposes, never saves
		p, err := w.svc.ProposeMn(ctx, fanyi, "宝力嘎查")
		if err != nil || p.Status != translation.Composed || !strings.Contains(p.Mn, "ᠭᠠᠴᠠᠭ") {
			t.Fatalf("proposal: %+v %v", p, err)
		}
		if _, err := w.svc.ProposeMn(ctx, w.actors["tianshan.clerk"], "宝力嘎查"); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a clerk asked for a proposal: %v", err)
		}
		_ = org.Village
	})
}

// rewriteXLSX writes the exported strings again with the rows' Mongolian, as a translator returns the file.
func rewriteXLSX(t *testing.T, rows []translation.Row) []byte {
	t.Helper()
	out := make([]translation.String, len(rows))
	for i, r := range rows {
		out[i] = translation.String{Key: r.Key, Zh: r.Zh, Mn: r.Mn, Status: translation.Status(r.Status), Version: r.Version}
	}
	var buf bytes.Buffer
	if err := translation.WriteXLSX(&buf, out); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
