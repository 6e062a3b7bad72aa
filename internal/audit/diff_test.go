package audit

import "testing"

func TestChanges(t *testing.T) {
	type doc struct {
		State    string            `json:"state"`
		Step     int               `json:"step"`
		Steps    []string          `json:"steps,omitempty"`
		Decision map[string]any    `json:"decision,omitempty"`
		Pledge   map[string]string `json:"pledge,omitempty"`
	}
	steps := []string{"受理", "初审", "公示", "审核"}
	for _, tc := range []struct {
		name          string
		before, after any
		wantB, wantA  string
	}{
		{"created: the whole record", nil, doc{State: "received"}, ``, `{"state":"received","step":0}`},
		{"removed: the whole record", doc{State: "received"}, nil, `{"state":"received","step":0}`, ``},
		{"nothing at all", nil, nil, ``, ``},
		{"one field changed, the unchanged long list left out",
			doc{State: "accepted", Step: 1, Steps: steps}, doc{State: "accepted", Step: 2, Steps: steps},
			`{"step":1}`, `{"step":2}`},
		{"fields changed are sorted by name",
			doc{State: "accepted", Step: 3, Steps: steps}, doc{State: "decided", Step: 0, Steps: steps},
			`{"state":"accepted","step":3}`, `{"state":"decided","step":0}`},
		{"a field added is null before",
			doc{State: "accepted"}, doc{State: "decided", Decision: map[string]any{"grant": true}},
			`{"decision":null,"state":"accepted"}`, `{"decision":{"grant":true},"state":"decided"}`},
		{"a field dropped is null after",
			doc{State: "accepted", Pledge: map[string]string{"due": "2026-12-11"}}, doc{State: "accepted"},
			`{"pledge":{"due":"2026-12-11"}}`, `{"pledge":null}`},
		{"a nested object keeps only its changed fields",
			doc{Pledge: map[string]string{"due": "2026-12-11", "materials": "声明"}}, doc{Pledge: map[string]string{"due": "2026-12-11", "materials": "声明", "note": "不实"}},
			`{"pledge":{"note":null}}`, `{"pledge":{"note":"不实"}}`},
		{"a list that changed is kept whole",
			doc{Steps: steps[:2]}, doc{Steps: steps},
			`{"steps":["受理","初审"]}`, `{"steps":["受理","初审","公示","审核"]}`},
		{"no change: empty objects", doc{State: "issued"}, doc{State: "issued"}, `{}`, `{}`},
		{"not objects: whole values", "旧名", "新名", `"旧名"`, `"新名"`},
		{"an object against a list: whole values", map[string]int{"a": 1}, []int{1}, `{"a":1}`, `[1]`},
	} {
		b, a := Changes(tc.before, tc.after)
		if b != tc.wantB || a != tc.wantA {
			t.Errorf("%s:\n got %s → %s\nwant %s → %s", tc.name, b, a, tc.wantB, tc.wantA)
		}
	}
}
