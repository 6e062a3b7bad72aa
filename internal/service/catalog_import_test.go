package service_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/catalogfile"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// Published guides import item by item: drafts with their gaps and contradictions listed, the one guide
// without a name refused with its reason, nothing published that has a gap; and the same file as a
// Bianmin catalog (all or nothing) is refused whole.
func TestImportGuidesItemByItem(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		b, err := os.ReadFile("../catalogfile/testdata/guides-with-gaps.json")
		if err != nil {
			t.Fatal(err)
		}
		if !catalogfile.IsGuides("guides.json", b) {
			t.Fatal("a list of guides is not recognised")
		}
		items, err := catalogfile.ReadGuides(bytes.NewReader(b), "民政局")
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountItems(ctx)
		if _, err := svc.ImportItems(ctx, access.System, items, true); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("all or nothing: %v", err)
		}
		if n, _ := db.CountItems(ctx); n != before {
			t.Fatalf("a refused import wrote %d items", n-before)
		}
		rep, err := svc.ImportItemsWith(ctx, access.System, items, service.ImportOptions{Publish: true, PerItem: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 3 || rep.Published != 0 || rep.Drafts != 3 || rep.Refused != 1 || len(rep.Items) != 4 {
			t.Fatalf("report: %+v", rep)
		}
		reasons := func(i int) map[string]string {
			m := map[string]string{}
			for _, e := range rep.Items[i].Reasons {
				m[e.Field] = e.Key
			}
			return m
		}
		if r := reasons(3); rep.Items[3].Status != "" || r["name_zh"] != "err.required" {
			t.Errorf("the nameless guide: %+v %v", rep.Items[3], r)
		}
		if r := reasons(0); rep.Items[0].Status != catalog.Draft || r["visit_reason"] != catalog.GapMissing || r["materials[2].originals"] != catalog.GapCountUnstated {
			t.Errorf("低保's reasons: %v", r)
		}
		if r := reasons(1); r["complaint_phone"] != "err.item.same_phones" || r["legal_limit"] != catalog.GapUnitUnstated || r["visits"] != "err.item.offline_materials" {
			t.Errorf("优待证's reasons: %v", r)
		}
		if n, _ := db.CountItems(ctx); n != before+3 {
			t.Fatalf("%d items written", n-before)
		}
	})
}

// A gap is computed from the item at each check: once filled, it is no longer listed and no longer blocks
// publishing, whatever stale list of missing elements the edit carries.
func TestFilledGapsPublish(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		b, _ := os.ReadFile("../catalogfile/testdata/guides-with-gaps.json")
		items, err := catalogfile.ReadGuides(bytes.NewReader(b), "民政局")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.ImportItemsWith(ctx, access.System, items[:1], service.ImportOptions{PerItem: true})
		if err != nil || rep.Drafts != 1 {
			t.Fatalf("%+v %v", rep, err)
		}
		all, _ := db.AllItems(ctx)
		var it catalog.Item
		for _, x := range all {
			if x.NameZh == "农村低保申请" {
				it = x
			}
		}
		if len(it.Missing) == 0 || svc.SetItemStatus(ctx, access.System, it.ID, it.Version, catalog.Published) == nil {
			t.Fatalf("a draft with gaps: %v", it.Missing)
		}
		stale := slices.Clone(it.Missing)
		it.VisitReason = "需核验户口簿原件"
		it.HandlingForms = []int{catalog.AtWindow}
		it.NameMn = "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠬᠠᠮᠤᠭ ᠤᠨ ᠪᠠᠭ᠎ᠠ ᠪᠠᠲᠤᠯᠠᠭᠠᠵᠢ"
		it.Materials[2].Necessity, it.Materials[2].Originals, it.Materials[2].Copies = catalog.Required, 1, 0
		it.Missing = stale // what the editor sends back
		row, _ := db.Item(ctx, it.ID)
		saved, err := svc.SaveItem(ctx, access.System, it, row.RowVersion)
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.Missing) != 0 || len(catalog.Gaps(saved)) != 0 {
			t.Fatalf("filled gaps still listed: %v", saved.Missing)
		}
		if err := svc.SetItemStatus(ctx, access.System, saved.ID, saved.Version, catalog.Published); err != nil {
			t.Fatalf("a filled draft cannot be published: %v", err)
		}
	})
}

// Finding 14: publishing an item that promises 0 visits, or 全程网办, while a material must be brought on paper
// or shown as an original is refused, naming the field, in Chinese and Mongolian.
func TestPublishRefusesAnOnlinePromiseNotKept(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		res, _ := svc.Search(ctx, "异地就医备案", 1)
		row, _ := db.Item(ctx, res[0].Card.ID)
		it, _ := db.ItemVersion(ctx, row.ID, row.Published)
		if it.Status != catalog.Published || it.Visits != 1 || it.OnlineDepth == 4 {
			t.Fatalf("the demo item: %+v", it)
		}
		it.Visits, it.VisitReason, it.OnlineDepth = 0, "", 4
		it.HandlingForms = []int{catalog.OnlinePC, catalog.Mobile}
		saved, err := svc.SaveItem(ctx, access.System, it, row.RowVersion)
		if err != nil {
			t.Fatalf("a draft promises nothing yet: %v", err)
		}
		err = svc.SetItemStatus(ctx, access.System, saved.ID, saved.Version, catalog.Published)
		var found []*errs.Error
		for _, e := range errs.All(err) {
			if e.Key == "err.item.offline_materials" {
				found = append(found, e)
			}
		}
		if len(found) != 2 || found[0].Field != "visits" || found[1].Field != "online_depth" {
			t.Fatalf("publishing 全程网办 with a paper ID card: %v", err)
		}
		args := []string{"materials", found[0].Args["materials"], "n", found[0].Args["n"]}
		zh, mn := svc.Catalog.T(i18n.Zh, found[0].Key, args...), svc.Catalog.T(i18n.Mn, found[0].Key, args...)
		if !strings.Contains(zh, "居民身份证") || !strings.Contains(zh, "全程网办") || !strings.Contains(mn, "居民身份证") || zh == mn {
			t.Errorf("messages: %q / %q", zh, mn)
		}
		// the published version still stands
		if cur, _ := svc.PublicItem(ctx, row.ID, 0); cur.Version != row.Published {
			t.Errorf("the portal shows version %d", cur.Version)
		}
	})
}

// The same guides imported again make nothing new: unchanged items are reported so, whatever staff added
// that the guides do not say; a guide whose text changed is laid over its item as the next draft version,
// keeping the Mongolian a translator gave it; a version under review is left alone; one item twice in a
// file is refused the second time; a guide's own name_mn is taken, and full-width digits in its phones are
// folded (０４７７ → 0477).
func TestImportGuidesAgain(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		b, _ := os.ReadFile("../catalogfile/testdata/guides-with-gaps.json")
		read := func() []catalog.Item {
			items, err := catalogfile.ReadGuides(bytes.NewReader(b), "民政局")
			if err != nil {
				t.Fatal(err)
			}
			return items
		}
		opt := service.ImportOptions{PerItem: true}
		first, err := svc.ImportItemsWith(ctx, access.System, read(), opt)
		if err != nil || first.Created != 3 {
			t.Fatalf("first: %+v %v", first, err)
		}
		before, _ := db.CountItems(ctx)
		again, err := svc.ImportItemsWith(ctx, access.System, read(), opt)
		if err != nil || again.Created != 0 || again.Unchanged != 3 || again.Updated != 0 || again.Items[0].ID != first.Items[0].ID {
			t.Fatalf("again: %+v %v", again, err)
		}
		if n, _ := db.CountItems(ctx); n != before {
			t.Fatalf("the same file made %d items more", n-before)
		}

		// a translator names the first item in Mongolian; the guide then changes its consult phone (full-width)
		it, row, _, err := svc.ItemForEdit(ctx, access.System, first.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		it.NameMn = "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠪᠠᠲᠤᠯᠠᠭᠠᠵᠢ"
		it.VisitReason = "需核验户口簿原件" // staff complete what the guide does not say, its 实施编码 among it
		it.ImplCode = "11150421MB0000001X009"
		if _, err := svc.SaveItem(ctx, access.System, it, row.RowVersion); err != nil {
			t.Fatal(err)
		}
		// the same file again: what staff added stays, and nothing is new
		if same, err := svc.ImportItemsWith(ctx, access.System, read(), opt); err != nil || same.Unchanged != 3 || same.Updated != 0 {
			t.Fatalf("the same file over staff's work: %+v %v", same, err)
		}
		// the third item goes to review: a file does not change it
		third3, _, _, _ := svc.ItemForEdit(ctx, access.System, first.Items[2].ID)
		if err := svc.SetItemStatus(ctx, access.System, third3.ID, third3.Version, catalog.Review); err != nil {
			t.Fatal(err)
		}
		items := read()
		items[2].Conditions = "改过的受理条件"
		items[0].ConsultPhone = "０４７７－８８８８８８８（工作日）"
		items[1].NameMn = "ᠲᠤᠰᠬᠠᠢ ᠪᠢᠴᠢᠭ"
		third, err := svc.ImportItemsWith(ctx, access.System, items, opt)
		if err != nil || third.Created != 0 || third.Updated != 2 || third.Unchanged != 1 { // the one under review is left
			t.Fatalf("changed: %+v %v", third, err)
		}
		if n, _ := db.CountItems(ctx); n != before {
			t.Fatalf("a changed guide made %d items more", n-before)
		}
		got, _, _, _ := svc.ItemForEdit(ctx, access.System, first.Items[0].ID)
		if got.ConsultPhone != "0477-8888888（工作日）" || got.NameMn != it.NameMn || got.VisitReason != it.VisitReason || slices.Contains(got.Missing, "name_mn") {
			t.Fatalf("the changed item: phone %q, Mongolian %q, visit reason %q, missing %v", got.ConsultPhone, got.NameMn, got.VisitReason, got.Missing)
		}
		if r := third.Items[2].Reasons; len(r) != 1 || r[0].Key != "err.import.in_review" {
			t.Fatalf("the item under review: %+v", third.Items[2])
		}
		if inReview, _, _, _ := svc.ItemForEdit(ctx, access.System, first.Items[2].ID); inReview.Conditions == "改过的受理条件" {
			t.Fatal("a file changed a version under review")
		}
		// one item twice in a file: the second row is refused, the first imported
		twice := read()[:1]
		twice = append(twice, twice[0])
		twice[0].NameZh, twice[1].NameZh = "新事项甲", "新事项甲"
		rep, err := svc.ImportItemsWith(ctx, access.System, twice, opt)
		if err != nil || rep.Created != 1 || rep.Refused != 1 || rep.Items[1].Reasons[0].Key != "err.import.duplicate" {
			t.Fatalf("one item twice: %+v %v", rep, err)
		}
		second, _, _, _ := svc.ItemForEdit(ctx, access.System, first.Items[1].ID)
		if second.NameMn != "ᠲᠤᠰᠬᠠᠢ ᠪᠢᠴᠢᠭ" {
			t.Fatalf("the guide's own Mongolian: %q", second.NameMn)
		}
	})
}
