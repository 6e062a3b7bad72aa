package service_test

import (
	"bytes"
	"cmp"
	"reflect"
	"slices"
	"sync"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/catalogfile"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// importFile writes items and records as a catalog file of name, reads it back as the page does and imports
// it as actor.
func importFile(t *testing.T, w *world, actor access.Actor, name string, items []catalog.Item, dels []catalogfile.Delegation) (service.ImportReport, error) {
	t.Helper()
	var buf bytes.Buffer
	if err := catalogfile.WriteWith(name, &buf, items, dels); err != nil {
		t.Fatal(err)
	}
	got, err := catalogfile.Read(name, buf.Bytes(), "")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := catalogfile.ReadDelegations(name, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return w.svc.ImportItemsWith(ctx, actor, got, service.ImportOptions{Delegations: recs, Source: name})
}

func licenceRecord() catalogfile.Delegation {
	return catalogfile.Delegation{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "item", Townships: []string{"天山镇", "150421105"},
		DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2020-10-01", Note: "首批下放"}
}

func fieldsOf(err error) []string {
	var out []string
	for _, e := range errs.All(err) {
		out = append(out, e.Field+" "+e.Key)
	}
	return out
}

func countProposals(t *testing.T, db *store.DB) int {
	t.Helper()
	list, err := db.Proposals(ctx, store.ProposalQuery{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// Imported delegation records (issue 14 point 1): each is matched within the importer's catalog (the
// department by name or code, the item by name or 实施编码 among the file's items first, the townships by name
// or division code) and stored as a proposal with the items; one that does not match refuses the whole file,
// each refusal naming its record's row and field, and nothing changes.
func TestDelegationImportMatching(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		ziran := w.actors["ziran"]
		itemsBefore, err := w.svc.Items(ctx, w.actors["admin"])
		if err != nil {
			t.Fatal(err)
		}
		bad := []catalogfile.Delegation{licenceRecord(), licenceRecord(), licenceRecord(), licenceRecord(), licenceRecord(), licenceRecord()}
		bad[1].Department = "不存在局"
		bad[2].Item = "没有这个事项"
		bad[3].Townships = []string{"天山镇", "不存在镇", "天山镇"}
		bad[4].Department = "民政局" // another department than the importer's
		bad[5].Item = "最低生活保障"    // 民政局's item, not 自然资源局's
		for _, c := range []struct {
			name string
			want []string
		}{
			{"c.json", []string{"delegations[1].upward_department err.deleg2.import_unmatched", "delegations[2].item_id err.deleg2.import_unmatched",
				"delegations[3].deleg_townships err.deleg2.import_unmatched", "delegations[3].deleg_townships err.deleg2.import_twice",
				"delegations[4].upward_department err.deleg2.import_scope", "delegations[5].item_id err.deleg2.import_unmatched"}},
			{"c.xlsx", []string{"赋权!3 下放部门 err.deleg2.import_unmatched", "赋权!4 事项名称 err.deleg2.import_unmatched",
				"赋权!5 承接乡镇（苏木） err.deleg2.import_unmatched", "赋权!5 承接乡镇（苏木） err.deleg2.import_twice",
				"赋权!6 下放部门 err.deleg2.import_scope", "赋权!7 事项名称 err.deleg2.import_unmatched"}},
		} {
			newItem := demo.DemoItems()[0]
			newItem.NameZh, newItem.Department = "新导入事项", "自然资源局"
			_, err := importFile(t, w, ziran, c.name, []catalog.Item{newItem}, bad)
			if got := fieldsOf(err); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: %v\nwant %v", c.name, got, c.want)
			}
		}
		itemsAfter, _ := w.svc.Items(ctx, w.actors["admin"])
		if n := countProposals(t, db); n != 0 || len(itemsAfter) != len(itemsBefore) {
			t.Fatalf("a refused file left %d proposals and %d items (of %d)", n, len(itemsAfter), len(itemsBefore))
		}
		// a good file: one record of a catalog item (townships by name and by code), one of the file's own item by
		// its 实施编码
		newItem := demo.DemoItems()[0]
		newItem.NameZh, newItem.Department, newItem.ImplCode = "农村宅基地审批（试点）", "自然资源局", "11150421MB0000001X000"
		second := licenceRecord()
		second.Item, second.Scope, second.Townships = newItem.ImplCode, "decision", []string{"绍根镇"}
		rep, err := importFile(t, w, ziran, "c.xlsx", []catalog.Item{newItem}, []catalogfile.Delegation{licenceRecord(), second})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Proposals != 2 || rep.Created != 1 {
			t.Fatalf("report %+v", rep)
		}
		page, err := w.svc.DelegationProposals(ctx, ziran, "", "", "")
		if err != nil || len(page.List) != 2 {
			t.Fatalf("ziran's proposals: %+v %v", page, err)
		}
		byItem := map[string]delegation.Proposal{}
		for _, p := range page.List {
			byItem[p.ItemName] = p
		}
		lic, own := byItem["乡村建设规划许可证核发"], byItem[newItem.NameZh]
		want := []delegation.ProposalTown{{OrgID: w.targets["T1"].ID, Name: "天山镇"}, {OrgID: w.targets["T2"].ID, Name: "绍根镇"}}
		if lic.ItemID != licenceItem(t, w) || !reflect.DeepEqual(lic.Townships, want) || lic.Scope != delegation.WholeItem || lic.State != delegation.Proposed ||
			lic.DocNo != "阿政发〔2020〕52号" || lic.Start != "2020-10-01" || lic.Source != "c.xlsx 赋权!2" || lic.Note != "首批下放" || lic.CreatedBy != ziran.ID {
			t.Errorf("the licence's proposal: %+v", lic)
		}
		if own.ItemID != rep.Items[0].ID || own.Scope != delegation.DecisionStep || len(own.Townships) != 1 {
			t.Errorf("the file's own item's proposal: %+v (item %s)", own, rep.Items[0].ID)
		}
		// the list: searched, by state, paged; another department and a township see none of them
		if p, _ := w.svc.DelegationProposals(ctx, ziran, "宅基地", "", ""); len(p.List) != 1 {
			t.Errorf("search: %d", len(p.List))
		}
		if p, _ := w.svc.DelegationProposals(ctx, ziran, "", "refused", ""); len(p.List) != 0 {
			t.Errorf("refused: %d", len(p.List))
		}
		if _, err := w.svc.DelegationProposals(ctx, ziran, "", "maybe", ""); fieldsOf(err)[0] != "state err.find.choice" {
			t.Errorf("a state not in the list: %v", err)
		}
		for _, who := range []string{"minzheng", "tianshan.director"} {
			if p, err := w.svc.DelegationProposals(ctx, w.actors[who], "", "", ""); err != nil || len(p.List) != 0 {
				t.Errorf("%s sees %d of 自然资源局's proposals (%v)", who, len(p.List), err)
			}
		}
		if p, _ := w.svc.DelegationProposals(ctx, w.actors["admin"], "", "", ""); len(p.List) != 2 {
			t.Errorf("the banner's administrator sees %d", len(p.List))
		}
		if _, err := w.svc.DelegationProposals(ctx, w.actors["yangshulin.agent"], "", "", ""); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a village agent lists proposals: %v", err)
		}
	})
}

// The department confirms a proposal: the delegation is made as the form makes it (the same checks, here a
// document dated after today, and the same audit), once; another department, a township and a second
// confirmation (in turn or at the same moment) are refused and make nothing. A refusal needs its reasons.
func TestDelegationProposalDecisions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		ziran := w.actors["ziran"]
		future := licenceRecord()
		future.DocDate, future.Start, future.DocNo = "2999-01-01", "2999-02-01", "未来文号"
		refused := licenceRecord()
		refused.DocNo = "退回文号"
		if _, err := importFile(t, w, w.actors["admin"], "c.json", nil, []catalogfile.Delegation{licenceRecord(), future, refused}); err != nil {
			t.Fatal(err)
		}
		page, err := w.svc.DelegationProposals(ctx, ziran, "", "proposed", "")
		if err != nil || len(page.List) != 3 {
			t.Fatalf("%+v %v", page, err)
		}
		byDoc := map[string]delegation.Proposal{}
		for _, p := range page.List {
			byDoc[p.DocNo] = p
		}
		p := byDoc["阿政发〔2020〕52号"]
		for _, who := range []string{"minzheng", "minzheng.head", "tianshan.director", "supervisor"} {
			if _, err := w.svc.ConfirmProposal(ctx, w.actors[who], p.ID, p.Version); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s confirms 自然资源局's proposal: %v", who, err)
			}
			if _, err := w.svc.RefuseProposal(ctx, w.actors[who], p.ID, p.Version, "不同意"); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s refuses 自然资源局's proposal: %v", who, err)
			}
		}
		if _, err := w.svc.ConfirmProposal(ctx, ziran, p.ID, p.Version+1); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a version not read: %v", err)
		}
		// two confirmations at the same moment: one delegation
		var wg sync.WaitGroup
		results := make([]error, 2)
		made := make([]delegation.Delegation, 2)
		for i := range 2 {
			wg.Go(func() { made[i], results[i] = w.svc.ConfirmProposal(ctx, ziran, p.ID, p.Version) })
		}
		wg.Wait()
		ok := slices.IndexFunc(results, func(e error) bool { return e == nil })
		if ok < 0 || errs.CodeOf(results[1-ok]) != errs.Conflict {
			t.Fatalf("two confirmations at once: %v", results)
		}
		d := made[ok]
		if d.DeptID != p.DeptID || d.ItemID != licenceItem(t, w) || d.DocNo != p.DocNo || d.Start().String() != "2020-10-01" || len(d.Townships) != 2 ||
			d.CreatedBy != ziran.ID || d.State != delegation.Active {
			t.Errorf("the delegation made: %+v", d)
		}
		again, err := db.Proposal(ctx, p.ID)
		if err != nil || again.State != delegation.Confirmed || again.DelegationID != d.ID || again.DecidedBy != ziran.ID {
			t.Errorf("the proposal after: %+v %v", again, err)
		}
		if _, err := w.svc.ConfirmProposal(ctx, ziran, p.ID, again.Version); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a confirmation of a confirmed proposal: %v", err)
		}
		if _, err := w.svc.RefuseProposal(ctx, ziran, p.ID, again.Version, "晚了"); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a refusal of a confirmed proposal: %v", err)
		}
		dels, _ := db.DelegationsOfItem(ctx, d.ItemID)
		if len(dels) != 1 {
			t.Errorf("%d delegations of the item after the confirmations, want 1", len(dels))
		}
		trail, err := db.AuditOf(ctx, "delegation", d.ID, 10)
		if err != nil || len(trail) != 1 || trail[0].Action != "delegation.create" || trail[0].ActorID != ziran.ID {
			t.Errorf("the delegation's audit: %+v %v", trail, err)
		}
		// the same checks as the form: a document dated after today
		f := byDoc["未来文号"]
		if _, err := w.svc.ConfirmProposal(ctx, ziran, f.ID, f.Version); !slices.Contains(fieldsOf(err), "deleg_doc_date err.deleg.future") {
			t.Errorf("a document dated after today: %v", err)
		}
		if f, _ = db.Proposal(ctx, f.ID); f.State != delegation.Proposed {
			t.Errorf("a refused confirmation changed the proposal: %+v", f)
		}
		// refused with reasons, not without
		r := byDoc["退回文号"]
		if _, err := w.svc.RefuseProposal(ctx, ziran, r.ID, r.Version, "  "); !slices.Contains(fieldsOf(err), "reason err.required") {
			t.Errorf("a refusal without reasons: %v", err)
		}
		r, err = w.svc.RefuseProposal(ctx, ziran, r.ID, r.Version, "文号有误")
		if err != nil || r.State != delegation.Declined || r.Reason != "文号有误" {
			t.Errorf("refused: %+v %v", r, err)
		}
		if _, err := w.svc.ConfirmProposal(ctx, ziran, r.ID, r.Version); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a confirmation of a refused proposal: %v", err)
		}
	})
}

// The catalog export writes the delegations beside the items (JSON delegations, the sheet 赋权), and an
// import of the export reads them back: the same records, and proposals for the same department, item (the
// file's own, imported with it), townships, scope, document and start. An item is written by its 实施编码
// and a township by its division code where they have one, so that of a department's two items of one name
// the delegated one comes back.
func TestCatalogExportRoundTrip(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		ziran := w.actors["ziran"]
		t1, t2 := w.targets["T1"], w.targets["T2"]
		if t1.Code == "" || t2.Code == "" {
			t.Fatalf("the demo's townships have no division codes: %+v %+v", t1, t2)
		}
		// two published items of one name, told apart by their 实施编码
		all, _ := w.svc.Items(ctx, ziran)
		twin := all[slices.IndexFunc(all, func(it catalog.Item) bool { return it.NameZh == "乡村建设规划许可证核发" })]
		twin.NameZh = "同名事项"
		twins := []catalog.Item{twin, twin}
		twins[0].ImplCode, twins[1].ImplCode = "11150421MB0000001X001", "11150421MB0000001X002"
		made, err := w.svc.ImportItemsWith(ctx, w.actors["admin"], twins, service.ImportOptions{Publish: true})
		if err != nil || made.Published != 2 {
			t.Fatalf("the twins: %+v %v", made, err)
		}
		d, err := w.svc.CreateDelegation(ctx, ziran, delegation.Input{ItemID: licenceItem(t, w), Scope: "decision", DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01",
			Start: "2020-10-01", Townships: []string{t1.ID, t2.ID}}, "")
		if err != nil {
			t.Fatal(err)
		}
		d2, err := w.svc.CreateDelegation(ctx, ziran, delegation.Input{ItemID: made.Items[1].ID, Scope: "item", DocNo: "阿政发〔2020〕53号", DocDate: "2020-09-01",
			Start: "2020-10-01", Townships: []string{t1.ID}}, "")
		if err != nil {
			t.Fatal(err)
		}
		items, recs, err := w.svc.CatalogExport(ctx, ziran)
		if err != nil {
			t.Fatal(err)
		}
		want := []catalogfile.Delegation{{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "decision", Townships: []string{t1.Code, t2.Code},
			DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2020-10-01"},
			{Department: "自然资源局", Item: "11150421MB0000001X002", Scope: "item", Townships: []string{t1.Code}, DocNo: "阿政发〔2020〕53号", DocDate: "2020-09-01", Start: "2020-10-01"}}
		if !reflect.DeepEqual(recs, want) {
			t.Fatalf("exported %+v", recs)
		}
		if _, other, _ := w.svc.CatalogExport(ctx, w.actors["minzheng"]); len(other) != 0 {
			t.Errorf("民政局's export carries %d of 自然资源局's delegations", len(other))
		}
		for _, name := range []string{"catalog.json", "catalog.xlsx"} {
			var buf bytes.Buffer
			if err := catalogfile.WriteWith(name, &buf, items, recs); err != nil {
				t.Fatal(err)
			}
			back, err := catalogfile.ReadDelegations(name, buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			for i := range back {
				back[i].Position = ""
			}
			if !reflect.DeepEqual(back, want) {
				t.Errorf("%s read back %+v", name, back)
			}
		}
		rep, err := importFile(t, w, ziran, "catalog.xlsx", items, recs)
		if err != nil {
			t.Fatal(err)
		}
		page, err := w.svc.DelegationProposals(ctx, ziran, "", "", "")
		if err != nil || len(page.List) != 2 || rep.Proposals != 2 {
			t.Fatalf("%+v %v", page, err)
		}
		fileItem := map[string]string{} // the file's items made by the import, by name or 实施编码
		for i, o := range rep.Items {
			fileItem[cmp.Or(items[i].ImplCode, o.Name)] = o.ID
		}
		for _, c := range []struct {
			d    delegation.Delegation
			item string
		}{{d, fileItem["乡村建设规划许可证核发"]}, {d2, fileItem["11150421MB0000001X002"]}} {
			i := slices.IndexFunc(page.List, func(p delegation.Proposal) bool { return p.DocNo == c.d.DocNo })
			if i < 0 {
				t.Fatalf("no proposal of %s", c.d.DocNo)
			}
			p := page.List[i]
			if p.DeptID != c.d.DeptID || p.ItemID != c.item || c.item == "" || p.Scope != c.d.Scope || p.DocDate != "2020-09-01" || p.Start != "2020-10-01" ||
				len(p.Townships) != len(c.d.Townships) || p.Townships[0].OrgID != c.d.Townships[0].OrgID || p.Townships[len(p.Townships)-1].OrgID != c.d.Townships[len(p.Townships)-1].OrgID {
				t.Errorf("the proposal of the round trip: %+v\nthe delegation: %+v", p, c.d)
			}
		}
		// a paused delegation is not exported (it would come back as a proposal to delegate)
		for _, x := range []delegation.Delegation{d, d2} {
			if _, err := w.svc.StopDelegation(ctx, ziran, x.ID, x.Version, "revoked", dayAfterTomorrow(t, w), "收回"); err != nil {
				t.Fatal(err)
			}
		}
		if _, recs, _ := w.svc.CatalogExport(ctx, ziran); len(recs) != 0 {
			t.Errorf("a revoked delegation exported: %+v", recs)
		}
	})
}

func dayAfterTomorrow(t *testing.T, w *world) string {
	t.Helper()
	clk, err := w.svc.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return clock.DateOf(w.db.Now().In(clk.Rules.Location)).AddDays(2).String()
}

// A file imported again proposes nothing twice (issue 14): a record the same as a proposal still waiting
// (department, item, scope, townships in any order, document number) or as an active delegation is listed
// in the report as already proposed or already delegated, not refused; a second identical record of one file
// too; a record that differs, or one whose proposal was refused, is proposed.
func TestDelegationReimport(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		ziran := w.actors["ziran"]
		again := licenceRecord()
		again.Townships, again.Start, again.Note = []string{"150421105", "天山镇"}, "2020-11-01", "重发" // the same delegation
		other := licenceRecord()
		other.DocNo = "阿政发〔2021〕9号"
		imp := func(recs ...catalogfile.Delegation) service.ImportReport {
			t.Helper()
			rep, err := importFile(t, w, ziran, "c.xlsx", nil, recs)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		first := imp(licenceRecord())
		page, _ := w.svc.DelegationProposals(ctx, ziran, "", "proposed", "")
		if first.Proposals != 1 || len(first.Already) != 0 || len(page.List) != 1 {
			t.Fatalf("first import: %+v, %d waiting", first, len(page.List))
		}
		p := page.List[0]
		want := []service.ImportAlready{{Position: "赋权!2", Item: "乡村建设规划许可证核发", Why: delegation.AlreadyProposed, ID: p.ID},
			{Position: "赋权!4", Item: "乡村建设规划许可证核发", Why: delegation.AlreadyProposed}}
		if rep := imp(again, other, other); rep.Proposals != 1 || !reflect.DeepEqual(rep.Already, want) {
			t.Errorf("again while waiting: %d proposals, already %+v", rep.Proposals, rep.Already)
		}
		if _, err := w.svc.ConfirmProposal(ctx, ziran, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		d, _ := db.DelegationsOfItem(ctx, p.ItemID)
		want = []service.ImportAlready{{Position: "赋权!2", Item: "乡村建设规划许可证核发", Why: delegation.AlreadyDelegated, ID: d[0].ID},
			{Position: "赋权!3", Item: "乡村建设规划许可证核发", Why: delegation.AlreadyProposed}}
		if rep := imp(licenceRecord(), other); rep.Proposals != 0 || !reflect.DeepEqual(rep.Already[:1], want[:1]) || rep.Already[1].ID == "" {
			t.Errorf("again once delegated: %d proposals, already %+v", rep.Proposals, rep.Already)
		}
		// refused: the department may be asked again
		waiting, _ := w.svc.DelegationProposals(ctx, ziran, "2021", "proposed", "")
		if len(waiting.List) != 1 {
			t.Fatalf("%d waiting of 2021", len(waiting.List))
		}
		if _, err := w.svc.RefuseProposal(ctx, ziran, waiting.List[0].ID, waiting.List[0].Version, "文号有误"); err != nil {
			t.Fatal(err)
		}
		if rep := imp(other); rep.Proposals != 1 || len(rep.Already) != 0 {
			t.Errorf("again once refused: %+v", rep)
		}
		if n := countProposals(t, db); n != 3 {
			t.Errorf("%d proposals in all, want 3", n)
		}
	})
}

// A proposal of an item still a draft cannot be confirmed: the refusal names the item and says it must be
// published first, and the list shows where the item stands; nothing is made.
func TestDelegationProposalDraftItem(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		ziran := w.actors["ziran"]
		draft := demo.DemoItems()[0]
		draft.NameZh, draft.Department = "临时用地审批（草稿）", "自然资源局"
		rec := licenceRecord()
		rec.Item = draft.NameZh
		if _, err := importFile(t, w, ziran, "c.json", []catalog.Item{draft}, []catalogfile.Delegation{rec, licenceRecord()}); err != nil {
			t.Fatal(err)
		}
		page, err := w.svc.DelegationProposals(ctx, ziran, "", "", "")
		if err != nil || len(page.List) != 2 {
			t.Fatalf("%+v %v", page, err)
		}
		states := map[string]string{}
		var p delegation.Proposal
		for _, q := range page.List {
			states[q.ItemName] = q.ItemStatus
			if q.ItemName == draft.NameZh {
				p = q
			}
		}
		if states[draft.NameZh] != "draft" || states["乡村建设规划许可证核发"] != "published" {
			t.Errorf("the items' states: %v", states)
		}
		_, err = w.svc.ConfirmProposal(ctx, ziran, p.ID, p.Version)
		l := errs.All(err)
		if len(l) != 1 || l[0].Field != "item_id" || l[0].Key != "err.deleg4.item_unpublished" || l[0].Args["name"] != draft.NameZh {
			t.Errorf("confirming a draft's proposal: %v", err)
		}
		if dels, _ := db.DelegationsOfItem(ctx, p.ItemID); len(dels) != 0 {
			t.Errorf("a draft delegated: %+v", dels)
		}
		if _, err := w.svc.ConfirmProposal(ctx, w.actors["minzheng"], p.ID, p.Version); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another department learns of the draft: %v", err)
		}
	})
}
