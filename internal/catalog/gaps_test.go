package catalog

import (
	"slices"
	"testing"
)

func complete() Item {
	return Item{NameZh: "测试事项", NameMn: "ᠲᠧᠰᠲ", Department: "民政局", TypeCode: "05", Level: 5,
		LegalBasis: []string{"依据"}, Conditions: "条件", LegalLimit: Limit{Value: 20, Unit: WorkingDays},
		PromisedLimit: Limit{Value: 10, Unit: WorkingDays}, CaseKind: PromisedCase,
		Steps:     []Step{{Name: "受理", Limit: Limit{Value: 1, Unit: WorkingDays}}},
		Materials: []Material{{Name: "身份证", Form: "paper", Originals: 1, Copies: 1, Necessity: Required}},
		Free:      true, Place: "便民服务中心1号窗口", Hours: "工作日 8:30-17:30", ConsultPhone: "0476-1", ComplaintPhone: "0476-2",
		Visits: 1, VisitReason: "核验原件", HandlingForms: []int{AtWindow}}
}

// Gaps come from the item's content at each check: a stale stored list neither adds nor keeps one, and
// filling an element clears its gap at once.
func TestGapsFromContent(t *testing.T) {
	if g := GapsOf(complete()); len(g) != 0 {
		t.Fatalf("a complete item has gaps: %v", g)
	}
	if err := complete().CheckPublish(); err != nil {
		t.Fatalf("a complete item cannot be published: %v", err)
	}
	for _, c := range []struct {
		name string
		edit func(*Item)
		want Gap
	}{
		{"visits not stated", func(it *Item) { it.Visits = -1 }, Gap{"visits", GapMissing}},
		{"a visit without its reason", func(it *Item) { it.VisitReason = "" }, Gap{"visit_reason", GapMissing}},
		{"originals not stated", func(it *Item) { it.Materials[0].Originals = UnknownCount }, Gap{"materials[0].originals", GapCountUnstated}},
		{"copies not stated", func(it *Item) { it.Materials[0].Copies = UnknownCount }, Gap{"materials[0].copies", GapCountUnstated}},
		{"legal limit in 天", func(it *Item) { it.LegalLimit = Limit{Value: 20, Unit: StatedDays} }, Gap{"legal_limit", GapUnitUnstated}},
		{"promised limit in 日", func(it *Item) { it.PromisedLimit = Limit{Value: 10, Unit: StatedDays} }, Gap{"promised_limit", GapUnitUnstated}},
		{"a step limit in 天", func(it *Item) { it.Steps[0].Limit = Limit{Value: 1, Unit: StatedDays} }, Gap{"steps[0].limit", GapUnitUnstated}},
		{"no complaint phone", func(it *Item) { it.ComplaintPhone = "" }, Gap{"complaint_phone", GapMissing}},
		{"fees not said", func(it *Item) { it.Free = false }, Gap{"fees", GapMissing}},
	} {
		it := complete()
		it.Materials = slices.Clone(it.Materials)
		it.Steps = slices.Clone(it.Steps)
		c.edit(&it)
		if g := GapsOf(it); !slices.Contains(g, c.want) {
			t.Errorf("%s: gaps %v, want %v", c.name, g, c.want)
		}
		if err := it.CheckDraft(); err != nil {
			t.Errorf("%s: a draft with this gap is refused: %v", c.name, err)
		}
		pub := map[string]bool{}
		for _, e := range errsAll(it.CheckPublish()) {
			pub[e] = true
		}
		if !pub[c.want.Key] {
			t.Errorf("%s: publishing is not refused for the gap: %v", c.name, pub)
		}
	}
	// The stored list of missing elements is not the truth: a stale entry neither blocks nor shows.
	it := complete()
	it.Missing = []string{"complaint_phone", "steps"}
	if g := Gaps(it); len(g) != 0 {
		t.Errorf("a stale Missing list shows as gaps: %v", g)
	}
	if err := it.CheckPublish(); err != nil {
		t.Errorf("a filled gap still blocks publishing: %v", err)
	}
}
