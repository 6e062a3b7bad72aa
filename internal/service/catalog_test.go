package service_test

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/catalogfile"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

func TestSearchRelevance(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		first := func(q string) catalog.Card {
			t.Helper()
			res, err := svc.Search(ctx, q, 10)
			if err != nil || len(res) == 0 {
				t.Fatalf("%q: %v, %d results", q, err, len(res))
			}
			return res[0].Card
		}
		// 户口 finds household-registration items first (公安 户籍), though 居民户口簿 is a material of most items.
		res, _ := svc.Search(ctx, "户口", 10)
		if len(res) < 5 {
			t.Fatalf("户口: %d results", len(res))
		}
		for _, r := range res[:2] {
			if !slices.Contains(r.Card.Topics, "户籍") {
				t.Errorf("户口 ranks %s (%v) among the first", r.Card.NameZh, r.Card.Topics)
			}
		}
		for _, q := range []string{"低保", "dibao", "db", "DiBao", "最低生活"} {
			if it := first(q); it.NameZh != "最低生活保障" {
				t.Errorf("%q finds %s first", q, it.NameZh)
			}
		}
		if it := first("社保卡"); !strings.HasPrefix(it.NameZh, "社会保障卡") {
			t.Errorf("社保卡 finds %s first", it.NameZh)
		}
		// by its Mongolian name, whole or one word of it
		if it := first("ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠬᠠᠮᠤᠭ ᠤᠨ ᠪᠠᠭ᠎ᠠ ᠪᠠᠲᠤᠯᠠᠭᠠᠵᠢ"); it.NameZh != "最低生活保障" {
			t.Errorf("the Mongolian name finds %s", it.NameZh)
		}
		if it := first("ᠵᠡᠮᠳᠡᠭᠴᠦᠳ ᠦᠨ ᠦᠨᠡᠮᠯᠡᠯ"); it.NameZh != "残疾人证申领" {
			t.Errorf("Mongolian 残疾人证 finds %s", it.NameZh)
		}
		if res, _ := svc.Search(ctx, "火星移民", 10); len(res) != 0 {
			t.Errorf("nonsense finds %d items", len(res))
		}
	})
}

// Publishing a new version leaves what refers to the old one unchanged.
func TestVersionsKeepWhatReferencesThem(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		published := func() catalog.Item {
			t.Helper()
			res, _ := svc.Search(ctx, "临时救助", 1)
			row, _ := db.Item(ctx, res[0].Card.ID)
			it, err := db.ItemVersion(ctx, row.ID, row.Published)
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		v1 := published()
		var ref string
		if err := db.Write(ctx, func(tx *store.Tx) error {
			var err error
			ref, err = tx.PinItemVersion(access.System, v1.ID, v1.Version, "受理时的版本")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		row, _ := db.Item(ctx, v1.ID)
		edit := v1
		edit.PromisedLimit.Value = 12
		edit.Steps[3].Limit.Value = 12 - 1 - edit.Steps[1].Limit.Value
		edit.Materials = append(edit.Materials, catalog.Material{Name: "村委会证明", Originals: 1, Necessity: catalog.Optional})
		saved, err := svc.SaveItem(ctx, access.System, edit, row.RowVersion)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Version != 2 || saved.Status != catalog.Draft {
			t.Fatalf("editing a published item makes draft 2: %d %s", saved.Version, saved.Status)
		}
		// a stale row version is refused
		if _, err := svc.SaveItem(ctx, access.System, edit, row.RowVersion); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("stale save: %v", err)
		}
		if err := svc.SetItemStatus(ctx, access.System, v1.ID, 2, catalog.Published); err != nil {
			t.Fatal(err)
		}
		pinned, err := db.ItemRef(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if pinned.Version != 1 || pinned.PromisedLimit.Value != 15 || len(pinned.Materials) != len(v1.Materials) || pinned.Status != catalog.Superseded {
			t.Fatalf("the pinned version changed: %+v", pinned)
		}
		v2 := published()
		if v2.Version != 2 || v2.PromisedLimit.Value != 12 {
			t.Fatalf("the portal shows version %d", v2.Version)
		}
		diff := catalog.Diff(pinned, v2)
		fields := map[string]bool{}
		for _, c := range diff {
			fields[c.Field] = true
		}
		if !fields["promised_limit"] || !fields["materials"] || !fields["steps"] || len(diff) != 3 {
			t.Fatalf("diff: %+v", diff)
		}
	})
}

// The real, incomplete guides import as drafts with their gaps listed, and cannot be published until the
// gaps are filled; a file with one bad item imports nothing.
func TestImportGuidesAndAllOrNothing(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		b, err := os.ReadFile("../catalogfile/testdata/service-guides-sample.json")
		if err != nil {
			t.Fatal(err)
		}
		items, err := catalogfile.ReadGuides(bytes.NewReader(b), "民政局")
		if err != nil {
			t.Fatal(err)
		}
		before, _ := db.CountItems(ctx)
		rep, err := svc.ImportItems(ctx, access.System, items, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 9 || len(rep.Gaps) != 9 || !slices.Contains(rep.Gaps["临时救助"], "promised_limit") {
			t.Fatalf("report: %+v", rep)
		}
		all, _ := db.AllItems(ctx)
		for _, it := range all {
			if it.NameZh == "临时救助" && it.Department == "民政局" && it.Source != nil {
				if it.Status != catalog.Draft {
					t.Errorf("an item with gaps was published")
				}
				if err := svc.SetItemStatus(ctx, access.System, it.ID, it.Version, catalog.Published); errs.CodeOf(err) != errs.Invalid {
					t.Errorf("publishing an item with gaps: %v", err)
				}
			}
		}
		after, _ := db.CountItems(ctx)
		if after != before+9 {
			t.Fatalf("%d new items", after-before)
		}
		// one bad item among good ones: nothing is imported, and the bad one is named
		good := items[:2]
		bad := items[1]
		bad.TypeCode = "99"
		_, err = svc.ImportItems(ctx, access.System, append(good, bad), false)
		if e := errs.All(err); len(e) == 0 || e[0].Field != "items[2].type_code" {
			t.Fatalf("bad item: %v", err)
		}
		if n, _ := db.CountItems(ctx); n != after {
			t.Fatalf("a refused import wrote %d items", n-after)
		}
		// a township clerk may not import at all
		clerk, _ := db.CredentialsByUsername(ctx, "tianshan.clerk")
		if _, err := svc.ImportItems(ctx, clerk.Staff.Actor(), good, false); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a clerk imports: %v", err)
		}
	})
}

func TestSearchWordsApart(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	svc := testkit.Demo(t, db)
	res, err := svc.Search(ctx, "残疾人补贴", 5)
	if err != nil || len(res) < 2 {
		t.Fatalf("%v %d", err, len(res))
	}
	for _, r := range res[:2] {
		if !strings.Contains(r.Card.NameZh, "残疾人") || !strings.Contains(r.Card.NameZh, "补贴") {
			t.Errorf("残疾人补贴 finds %s", r.Card.NameZh)
		}
	}
}

// An item that passes every rule but lacks an element cannot be published.
func TestPublishNeedsNoGaps(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	svc := testkit.Demo(t, db)
	res, _ := svc.Search(ctx, "高龄津贴", 1)
	row, _ := db.Item(ctx, res[0].Card.ID)
	it, _ := db.ItemVersion(ctx, row.ID, row.Published)
	it.Conditions, it.LegalBasis = "", nil
	if err := it.Check(); err != nil {
		t.Fatalf("the rules themselves pass: %v", err)
	}
	saved, err := svc.SaveItem(ctx, access.System, it, row.RowVersion)
	if err != nil {
		t.Fatal(err)
	}
	err = svc.SetItemStatus(ctx, access.System, saved.ID, saved.Version, catalog.Published)
	fields := map[string]string{}
	for _, e := range errs.All(err) {
		fields[e.Field] = e.Key
	}
	if fields["conditions"] != "err.item.missing" || fields["legal_basis"] != "err.item.missing" {
		t.Fatalf("publishing with gaps: %v", err)
	}
}

// A township's director sets its local details, which override the banner's on its guides; nobody else
// may, and the delegation record stays as the department made it.
func TestLocalDetails(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		t1 := w.targets["T1"]
		res, _ := w.svc.Search(ctx, "乡村建设规划许可证核发", 1)
		item := res[0].Card.ID
		clk, _ := w.svc.Clock(ctx)
		delegateLicence(t, w, clock.DateOf(time.Now().In(clk.Rules.Location)), "T1")
		im := store.Implementation{ItemID: item, OrgID: t1.ID, Window: "3号综合窗口", Hours: "周一至周五 8:00-17:00", ConsultPhone: "0476-7810001", ComplaintPhone: "0476-7810002"}
		for _, who := range []string{"tianshan.clerk", "shaogen.director", "yangshulin.agent"} {
			if err := w.svc.SetImplementation(ctx, w.actors[who], im); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s sets 天山镇's details: %v", who, err)
			}
		}
		bad := im
		bad.ComplaintPhone = bad.ConsultPhone
		if err := w.svc.SetImplementation(ctx, w.actors["tianshan.director"], bad); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("same phones: %v", err)
		}
		if err := w.svc.SetImplementation(ctx, w.actors["tianshan.director"], im); err != nil {
			t.Fatal(err)
		}
		local, err := w.svc.ImplementationsAt(ctx, w.actors["tianshan.clerk"], t1.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range local {
			if l.Item.ID != item {
				continue
			}
			got := service.Localize(l.Item, l.Implementation)
			if got.Hours != im.Hours || got.ConsultPhone != im.ConsultPhone || got.Place != "3号综合窗口" {
				t.Errorf("localized: %+v", got)
			}
			if l.Implementation.DelegatedFrom == "" || !strings.Contains(l.Implementation.Basis, "阿政发") || l.Implementation.DelegatedAt.IsZero() {
				t.Errorf("the delegation record was lost: %+v", l.Implementation)
			}
			return
		}
		t.Fatal("the item is not implemented at 天山镇")
	})
}
