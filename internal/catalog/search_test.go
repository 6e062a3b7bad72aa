package catalog

import (
	"testing"

	"bianmin/internal/errs"
)

func TestTerms(t *testing.T) {
	it := Item{NameZh: "最低生活保障", Aliases: []string{"低保"}, NameMn: "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠪᠠᠲᠤᠯᠠᠭᠠᠵᠢ", Materials: []Material{{Name: "居民户口簿"}}}
	terms := Terms(it)
	for _, want := range []string{"zh:低保", "zh:户口", "py:dibao", "pi:db", "py:zuidishenghuobaozhang", "pi:zdshbz", "mn:ᠠᠮᠢᠳᠤᠷᠠᠯ", "zh:最低"} {
		if terms[want] == 0 {
			t.Errorf("no term %s", want)
		}
	}
	if terms["zh:低保"] != WeightAlias || terms["zh:户口"] != WeightMaterial || terms["zh:最低"] != WeightName {
		t.Errorf("weights: %d %d %d", terms["zh:低保"], terms["zh:户口"], terms["zh:最低"])
	}
}

func TestQuery(t *testing.T) {
	cases := map[string]int{"户口": 1, "户口簿": 2, "证": 1, "dibao": 1, "DB": 1, "低保 申请": 2, "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ": 2, "": 0}
	for q, n := range cases {
		if got := len(Query(q)); got != n {
			t.Errorf("Query(%q): %d groups, want %d", q, got, n)
		}
	}
}

func TestMergeMaterials(t *testing.T) {
	a := Item{NameZh: "甲", Materials: []Material{{Name: "居民身份证", Originals: 1, Necessity: Required}, {Name: "户口本", Copies: 1, Necessity: Optional}}}
	b := Item{NameZh: "乙", Materials: []Material{{Name: "身份证", Copies: 2, Necessity: Required}, {Name: "居民户口簿", Originals: 1, Necessity: Required}, {Name: "残疾人证", Necessity: Required}}}
	m := MergeMaterials([]Item{a, b})
	if len(m) != 3 {
		t.Fatalf("%d merged materials: %+v", len(m), m)
	}
	if m[0].Originals != 1 || m[0].Copies != 2 || len(m[0].For) != 2 {
		t.Errorf("身份证: %+v", m[0])
	}
	if m[1].Necessity != Required || m[1].Originals != 1 || m[1].Copies != 1 {
		t.Errorf("户口簿 becomes required with the larger counts: %+v", m[1])
	}
}

func TestCheckNamesEveryRule(t *testing.T) {
	it := Item{NameZh: "测试", Department: "民政局", TypeCode: "05", Level: 5,
		LegalLimit: Limit{Value: 10, Unit: WorkingDays}, PromisedLimit: Limit{Value: 15, Unit: WorkingDays}, CaseKind: InstantCase,
		Steps:        []Step{{Name: "受理", Limit: Limit{Value: 20, Unit: WorkingDays}}},
		ConsultPhone: "0476-1", ComplaintPhone: "0476-1", Visits: 0, OnlineDepth: 4, HandlingForms: []int{AtWindow},
		ResultName: "证书", Free: true, OnlinePayment: true}
	want := []string{"err.item.instant_kind", "err.item.promised_over_legal", "err.item.steps_over_promised", "err.item.same_phones",
		"err.item.zero_visits", "err.item.result_sample", "err.item.free_payment"}
	got := map[string]bool{}
	for _, e := range errsAll(it.Check()) {
		got[e] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no %s in %v", w, got)
		}
	}
	it.Visits = 1
	it.VisitReason = "核验原件"
	found := false
	for _, e := range errsAll(it.Check()) {
		found = found || e == "err.item.depth4_visits"
	}
	if !found {
		t.Error("depth IV with a visit")
	}
}

func errsAll(err error) []string {
	var out []string
	for _, e := range errs.All(err) {
		out = append(out, e.Key)
	}
	return out
}
