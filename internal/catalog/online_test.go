package catalog

import (
	"slices"
	"testing"

	"bianmin/internal/errs"
)

// Finding 14: 0 visits or 全程网办 only when every material can be handed in online.
func TestOnlinePromise(t *testing.T) {
	paper := Material{Name: "居民身份证", Form: "paper", Originals: 1, Copies: 1, Necessity: Required}
	elecOriginal := Material{Name: "电子证照", Form: "electronic", Originals: 1, Necessity: Required}
	elec := Material{Name: "申请表", Form: "electronic", Originals: 0, Copies: 0, Necessity: Required}
	both := Material{Name: "声明", Form: "both", Originals: 0, Copies: 1, Necessity: Required}
	noForm := Material{Name: "照片", Originals: 0, Copies: 1, Necessity: Required}
	unknown := Material{Name: "证明", Form: "electronic", Originals: UnknownCount, Copies: 0, Necessity: Required}
	paperApp := Material{Name: "独生子女父母奖励申请表", Form: "both", Originals: 1, Necessity: Required}
	for _, c := range []struct {
		name      string
		visits    int
		depth     int
		materials []Material
		want      []string // fields refused
		form      []FormField
	}{
		{"0 visits, all electronic", 0, 3, []Material{elec, both}, nil, nil},
		{"depth IV, all electronic", 0, 4, []Material{elec}, nil, nil},
		{"no materials", 0, 4, nil, nil, nil},
		{"0 visits, a paper original", 0, 3, []Material{elec, paper}, []string{"visits"}, nil},
		{"depth IV with 0 visits, a paper original", 0, 4, []Material{paper}, []string{"visits", "online_depth"}, nil},
		{"an electronic material whose original is seen", 0, 2, []Material{elecOriginal}, []string{"visits"}, nil},
		{"a material of no stated form", 0, 2, []Material{noForm}, []string{"visits"}, nil},
		{"originals not stated", 0, 2, []Material{unknown}, []string{"visits"}, nil},
		{"one visit: paper is fine", 1, 3, []Material{paper}, nil, nil},
		// issue 13: the application form on paper, but the item defines its form: filled online
		{"a paper application form the item defines", 0, 4, []Material{paperApp, elec}, nil, []FormField{{Key: "name", LabelZh: "姓名", Type: FieldText}}},
		{"a paper application form the item does not define", 0, 4, []Material{paperApp}, []string{"visits", "online_depth"}, nil},
		{"the form does not make other paper online", 0, 4, []Material{paperApp, paper}, []string{"visits", "online_depth"}, []FormField{{Key: "name", LabelZh: "姓名", Type: FieldText}}},
	} {
		it := Item{Visits: c.visits, OnlineDepth: c.depth, Materials: c.materials, VisitReason: "核验原件", Form: c.form}
		var l errs.List
		checkOnlinePromise(&l, it)
		var got []string
		for _, e := range l {
			got = append(got, e.Field)
			if e.Key != "err.item.offline_materials" || e.Args["materials"] == "" {
				t.Errorf("%s: %+v", c.name, e)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: refused %v, want %v", c.name, got, c.want)
		}
	}
	// A draft promises nothing: the rule is judged at publishing only.
	it := Item{NameZh: "测试", Department: "民政局", Visits: 0, HandlingForms: []int{OnlinePC}, Materials: []Material{paper}}
	if err := it.CheckDraft(); err != nil {
		for _, e := range errs.All(err) {
			if e.Key == "err.item.offline_materials" {
				t.Errorf("a draft refused for the online promise: %v", e)
			}
		}
	}
	found := false
	for _, e := range errs.All(it.CheckPublish()) {
		found = found || (e.Field == "visits" && e.Key == "err.item.offline_materials")
	}
	if !found {
		t.Error("publishing 0 visits with a paper original passes")
	}
}
