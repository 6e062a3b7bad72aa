package catalog

import (
	"slices"
	"testing"

	"bianmin/internal/errs"
)

// 国办发〔2020〕42号: a pledge replaces proofs, never identity or the application itself.
func TestPledgeRules(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pledge   bool
		refused  bool // by the consistency rule
		pledgeOK bool // may a window take a pledge for it
	}{
		{"家庭收入和财产状况声明", true, false, true},
		{"居住证明", true, false, true},
		{"居民身份证", true, true, false},
		{"居民户口簿", true, true, false},
		{"户口本首页", true, true, false},
		{"最低生活保障申请表", true, true, false},
		{"法律援助申请书", true, true, false},
		{"授权委托书及代办人身份证", false, false, false},
		{"无犯罪记录证明", false, false, false},
	} {
		it := Item{Materials: []Material{{Name: tc.name, Necessity: Required, Pledge: tc.pledge}}}
		var l errs.List
		checkMaterialRules(&l, it)
		refused := slices.ContainsFunc(errs.All(l.Err()), func(e *errs.Error) bool {
			return e.Field == "materials[0].pledge" && e.Key == "err.item.pledge_identity" && e.Args["name"] == tc.name
		})
		if refused != tc.refused || it.Materials[0].Pledgeable() != tc.pledgeOK {
			t.Errorf("%s: refused %v, pledgeable %v", tc.name, refused, it.Materials[0].Pledgeable())
		}
	}
}

// 容缺 where the item marks a material deferrable, and only then.
func TestDeferral(t *testing.T) {
	for _, tc := range []struct {
		necessities []string
		want        bool
	}{
		{nil, false},
		{[]string{Required, Optional}, false},
		{[]string{Required, Deferrable}, true},
	} {
		var it Item
		for _, n := range tc.necessities {
			it.Materials = append(it.Materials, Material{Name: "x", Necessity: n})
		}
		if it.Deferral() != tc.want {
			t.Errorf("%v: %v", tc.necessities, !tc.want)
		}
	}
}
