package catalog

import (
	"testing"

	"bianmin/internal/errs"
)

func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	for _, e := range errs.All(err) {
		out[e.Field] = e.Key
	}
	return out
}

// 嘎查村可直接办理 means the station concludes the item: every step is one the window does on the spot. An item
// with a back-office step may only be 嘎查村可代办 (行政许可法 第32条: the organ accepts and decides).
func TestVillageModeMeansWhatThePortalSays(t *testing.T) {
	window := Step{Name: "受理并办结", Role: "clerk", Level: 5, Limit: Limit{Unit: Instant}}
	review := Step{Name: "审核决定", Role: "reviewer", Level: 5, Limit: Limit{Value: 2, Unit: WorkingDays}}
	banner := Step{Name: "旗局审核", Role: "department", Level: 4, Limit: Limit{Value: 2, Unit: WorkingDays}}
	for _, tc := range []struct {
		village string
		steps   []Step
		refused bool
	}{
		{VillageHandle, []Step{window}, false},
		{VillageHandle, []Step{window, review}, true},
		{VillageHandle, []Step{window, banner}, true},
		{VillageHandle, []Step{{Name: "受理", Limit: Limit{Unit: Instant}}}, true}, // who does it unknown: not promised
		{VillageProxy, []Step{window, review}, false},
		{VillageProxy, []Step{window, banner}, false},
		{VillageNone, []Step{window, banner}, false},
	} {
		it := Item{Village: tc.village, Steps: tc.steps}
		got := fieldKeys(it.Check())["village"] == "err.item.village_handle_steps"
		if got != tc.refused {
			t.Errorf("%q with %d steps: refused %v, want %v", tc.village, len(tc.steps), got, tc.refused)
		}
	}
}

// An item of a bundle waits only for an item listed before it in the same bundle: none waits for itself, for
// an item outside the bundle, or for one that waits for it.
func TestBundleWaitsFor(t *testing.T) {
	ids := []string{"cert", "living", "care"}
	for _, tc := range []struct {
		name    string
		waits   map[string]string
		refused bool
	}{
		{"none", nil, false},
		{"both subsidies wait for the certificate", map[string]string{"living": "cert", "care": "cert"}, false},
		{"a chain", map[string]string{"living": "cert", "care": "living"}, false},
		{"itself", map[string]string{"living": "living"}, true},
		{"a later item", map[string]string{"cert": "living"}, true},
		{"each other", map[string]string{"living": "care", "care": "living"}, true},
		{"outside the bundle", map[string]string{"living": "other"}, true},
		{"not in the bundle", map[string]string{"other": "cert"}, true},
	} {
		b := Bundle{NameZh: "残疾人服务一件事", Lead: "残疾人联合会", ItemIDs: ids, WaitsFor: tc.waits}
		got := fieldKeys(b.Check())["waits_for"] == "err.bundle.waits_for"
		if got != tc.refused {
			t.Errorf("%s: refused %v, want %v", tc.name, got, tc.refused)
		}
	}
}
