package cases

import (
	"encoding/json"
	"reflect"
	"testing"
)

// A material list is left to its item version only when it is exactly the version's (names, order, what is
// asked of each), and reads back whole.
func TestLeaveMaterials(t *testing.T) {
	asked := []MaterialCheck{{Name: "申请表", Required: true}, {Name: "身份证", Required: true}, {Name: "收入声明", Required: true, Pledgeable: true}, {Name: "银行卡", Deferrable: true}}
	checked := func(change func([]MaterialCheck)) []MaterialCheck {
		ms := make([]MaterialCheck, len(asked))
		copy(ms, asked)
		for i := range ms {
			ms[i].Check = SeenOriginal
		}
		if change != nil {
			change(ms)
		}
		return ms
	}
	for _, tc := range []struct {
		name string
		ms   []MaterialCheck
		kept string // "" when the list cannot be left
	}{
		{"the version's, checked", checked(nil), `["original","original","original","original"]`},
		{"with a note and files", checked(func(ms []MaterialCheck) { ms[1].Note, ms[1].Files = "复印", []string{"f1"}; ms[2].Check = Pledged }),
			`["original",{"check":"original","note":"复印","files":["f1"]},"pledged","original"]`},
		{"not yet checked", checked(func(ms []MaterialCheck) { ms[0].Check = "" }), `["","original","original","original"]`},
		{"none", nil, ""},
		{"one fewer", checked(nil)[:3], ""},
		{"renamed", checked(func(ms []MaterialCheck) { ms[0].Name = "申请审批表" }), ""},
		{"reordered", checked(func(ms []MaterialCheck) { ms[0], ms[1] = ms[1], ms[0] }), ""},
		{"required where the version is not", checked(func(ms []MaterialCheck) { ms[3].Required = true }), ""},
		{"not deferrable where the version is", checked(func(ms []MaterialCheck) { ms[3].Deferrable = false }), ""},
		{"pledgeable where the version is not", checked(func(ms []MaterialCheck) { ms[0].Pledgeable = true }), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, ok := LeaveMaterials(asked, tc.ms)
			if ok != (tc.kept != "") {
				t.Fatalf("left: %v, want %v", ok, tc.kept != "")
			}
			if !ok {
				return
			}
			b, err := json.Marshal(kept)
			if err != nil || string(b) != tc.kept {
				t.Fatalf("kept %s (%v), want %s", b, err, tc.kept)
			}
			var back []KeptCheck
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			whole, err := FillMaterials(asked, back)
			if err != nil || !reflect.DeepEqual(whole, tc.ms) {
				t.Fatalf("filled %+v (%v), want %+v", whole, err, tc.ms)
			}
		})
	}
	if _, err := FillMaterials(asked, make([]KeptCheck, 3)); err == nil {
		t.Error("three checks filled against a version of four materials")
	}
	var k KeptCheck
	if err := json.Unmarshal([]byte(`{"check":1}`), &k); err == nil {
		t.Error("a check of the wrong type read")
	}
}
