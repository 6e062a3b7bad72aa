package catalog

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
)

// Change is one element that differs between two versions.
type Change struct {
	Field  string
	Before string
	After  string
}

// Diff lists the elements that differ between two versions of an item, in element order of the JSON form.
// Bookkeeping (id, version, status, dates, gaps) is left out.
func Diff(a, b Item) []Change {
	ma, mb := asMap(a), asMap(b)
	var out []Change
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		switch k {
		case "id", "version", "status", "effective_from", "missing":
			continue
		}
		if !reflect.DeepEqual(ma[k], mb[k]) {
			out = append(out, Change{Field: k, Before: render(ma[k]), After: render(mb[k])})
		}
	}
	return out
}

func asMap(it Item) map[string]any {
	b, _ := json.Marshal(it)
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

func render(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
