package service_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
	"bianmin/internal/upstream"
)

// Issue 15, must show: the catalog sync of a file in the upper platform's shape (up_task_general_basic,
// extend, material) produces reviewable diffs: the local 最低生活保障 gets a draft of a new version with its
// codes and the platform's limits and materials, the difference listed field by field, while the published
// version stays what the public reads until the department publishes; a new item comes as a draft; an
// item whose 实施编码 breaks the layout is refused; a second sync of the same file changes nothing.
func TestCatalogSync(t *testing.T) {
	raw, err := os.ReadFile("../upstream/testdata/task-general.json")
	if err != nil {
		t.Fatal(err)
	}
	var f upstream.TaskFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		dept := w.actors["minzheng"]
		if _, err := w.svc.SyncCatalog(ctx, w.actors["tianshan.clerk"], f, ""); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a clerk syncs the catalog: %v", err)
		}
		item := dibaoItem(t, w)
		before, _ := w.svc.PublicItem(ctx, item, 0)
		rep, err := w.svc.SyncCatalog(ctx, dept, f, "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Changed != 1 || rep.New != 1 || rep.Refused != 1 || len(rep.Entries) != 3 {
			t.Fatalf("report: %+v", rep)
		}
		dibao, fresh, bad := rep.Entries[0], rep.Entries[1], rep.Entries[2]
		fields := map[string]catalog.Change{}
		for _, c := range dibao.Changes {
			fields[c.Field] = c
		}
		if dibao.ItemID != item || dibao.Outcome != "changed" || dibao.Version != before.Version+1 ||
			fields["impl_code"].After != "11150421MB1234567X400001234500" || fields["impl_code"].Before != "" {
			t.Fatalf("最低生活保障: %+v", dibao)
		}
		if !slices.ContainsFunc(dibao.Changes, func(c catalog.Change) bool { return c.Field == "result_name" && strings.Contains(c.After, "领取证") }) {
			t.Errorf("the result's new name is not listed: %+v", dibao.Changes)
		}
		if bad.Outcome != "refused" || len(bad.Problems) == 0 || bad.Problems[0].Field != "task_code" {
			t.Errorf("a code out of layout: %+v", bad)
		}
		if fresh.Outcome != "new" || fresh.ItemID == "" {
			t.Errorf("a new item: %+v", fresh)
		}
		// nothing is public before the department publishes the draft
		if now, _ := w.svc.PublicItem(ctx, item, 0); now.Version != before.Version || now.ImplCode != "" {
			t.Fatalf("the sync published: %+v", now.Version)
		}
		draft, _ := db.ItemVersion(ctx, item, dibao.Version)
		if draft.Status != catalog.Draft || draft.NameMn != before.NameMn || len(draft.Steps) != len(before.Steps) {
			t.Errorf("the draft keeps Bianmin's own (Mongolian name, steps): %+v", draft)
		}
		if err := w.svc.SetItemStatus(ctx, access.System, item, dibao.Version, catalog.Published); err != nil {
			t.Fatalf("publishing the synced draft: %v", err)
		}
		if now, _ := w.svc.PublicItem(ctx, item, 0); now.ImplCode != "11150421MB1234567X400001234500" || now.BaseCode != "000123456000" {
			t.Errorf("published: %+v", now.ImplCode)
		}
		again, err := w.svc.SyncCatalog(ctx, dept, f, "")
		if err != nil || again.Unchanged != 2 || again.Changed != 0 || again.New != 0 {
			t.Fatalf("a second sync: %+v %v", again, err)
		}
	})
}
