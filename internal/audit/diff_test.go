package audit

import (
	"bytes"
	"encoding/json"
	"testing"
)

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

// diffByMaps is how diffObjects was written first, decoding both sides into maps: the scanner must say what
// it said.
func diffByMaps(b, a []byte) (ob, oa []byte, ok bool) {
	var mb, ma map[string]json.RawMessage
	if json.Unmarshal(b, &mb) != nil || json.Unmarshal(a, &ma) != nil || mb == nil || ma == nil {
		return nil, nil, false
	}
	db, da := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	null := json.RawMessage("null")
	for k, vb := range mb {
		va, in := ma[k]
		switch {
		case !in:
			db[k], da[k] = vb, null
		case bytes.Equal(vb, va):
		default:
			if nb, na, ok := diffByMaps(vb, va); ok {
				db[k], da[k] = nb, na
			} else {
				db[k], da[k] = vb, va
			}
		}
	}
	for k, va := range ma {
		if _, in := mb[k]; !in {
			db[k], da[k] = null, va
		}
	}
	ob, _ = json.Marshal(db)
	oa, _ = json.Marshal(da)
	return ob, oa, true
}

// The scanner against the maps on what Snapshot gives: names needing escapes, strings holding brackets,
// quotes and commas, nested objects, lists, numbers and literals, a name given twice, spaces.
func TestDiffObjectsAsMaps(t *testing.T) {
	pairs := [][2]string{
		{`{"a":1,"b":"x"}`, `{"a":2,"b":"x"}`},
		{`{"a":{"b":{"c":[1,{"d":"}"}]}},"e":true}`, `{"a":{"b":{"c":[1,{"d":"]"}]}},"e":false,"f":null}`},
		{`{"q\"uote":"a,b","<tag>":"\u003c","ü":1,"\u2028":2}`, `{"q\"uote":"a,b}","<tag>":"\u003e","ü":1.5e3,"\u2028":2}`},
		{`{"s":"back\\slash\"","n":-0.5}`, `{"s":"back\\slash","n":-0.5}`},
		{`{"dup":1,"dup":2}`, `{"dup":3}`},
		{` { "sp" : [ 1 , 2 ] , "x" : { } } `, `{"sp":[1,2],"x":{"y":1}}`},
		{`{}`, `{"a":[]}`},
		{`{"a":1}`, `[1]`},
		{`"s"`, `{"a":1}`},
		{`{"a":1`, `{"a":1}`},
		{`{"a" 1}`, `{"a":1}`},
		{`null`, `{}`},
	}
	for _, p := range pairs {
		wb, wa, wok := diffByMaps([]byte(p[0]), []byte(p[1]))
		gb, ga, gok := diffObjects([]byte(p[0]), []byte(p[1]))
		if gok { // values are kept as written: Snapshot's are compact, these spaced ones are not
			var cb, ca bytes.Buffer
			json.Compact(&cb, gb)
			json.Compact(&ca, ga)
			gb, ga = cb.Bytes(), ca.Bytes()
		}
		if wok != gok || string(wb) != string(gb) || string(wa) != string(ga) {
			t.Errorf("%s → %s:\n scanner %s → %s (%v)\n maps    %s → %s (%v)", p[0], p[1], gb, ga, gok, wb, wa, wok)
		}
	}
}

func FuzzChanges(f *testing.F) {
	f.Add(`{"a":1,"b":{"c":"x"}}`, `{"a":2,"b":{"c":"y","d":[1]}}`)
	f.Add(`{"q\"":"<,>"}`, `{"q\"":"&"}`)
	f.Fuzz(func(t *testing.T, x, y string) {
		var vx, vy any
		if json.Unmarshal([]byte(x), &vx) != nil || json.Unmarshal([]byte(y), &vy) != nil {
			return
		}
		b, a := Snapshot(vx), Snapshot(vy)
		wb, wa, wok := diffByMaps([]byte(b), []byte(a))
		gb, ga, gok := diffObjects([]byte(b), []byte(a))
		if wok != gok || string(wb) != string(gb) || string(wa) != string(ga) {
			t.Fatalf("%s → %s:\n scanner %s → %s (%v)\n maps    %s → %s (%v)", b, a, gb, ga, gok, wb, wa, wok)
		}
	})
}
