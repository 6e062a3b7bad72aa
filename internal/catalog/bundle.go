package catalog

import (
	"slices"
	"strings"

	"bianmin/internal/errs"
)

// Bundle is 一件事: several items applied for together, with one merged form, one set of materials and a
// lead department (国发〔2024〕3号; FACTS.md §5.1).
type Bundle struct {
	ID      string   `json:"id,omitempty"`
	NameZh  string   `json:"name_zh"`
	NameMn  string   `json:"name_mn,omitempty"`
	Lead    string   `json:"lead"` // lead department, by name
	ItemIDs []string `json:"item_ids"`
	// Form lists the fields of the one merged application form.
	Form []string `json:"form,omitempty"`
	// WaitsFor says which item waits for the result of another (item id → the id of the item it waits for):
	// the waiting item needs what the other grants (the subsidies of 残疾人服务 need its 残疾人证), so its case
	// is not accepted before the other's is granted, and ends when the other's is denied.
	WaitsFor map[string]string `json:"waits_for,omitempty"`
}

// Check validates a bundle.
func (b Bundle) Check() error {
	var l errs.List
	text(&l, "name_zh", b.NameZh, true, 100)
	text(&l, "lead", b.Lead, true, 100)
	if len(b.ItemIDs) < 2 {
		l.Add(errs.Field("item_ids", "err.bundle.items"))
	}
	// An item waits only for an item listed before it in the same bundle: so the one waited for is taken in
	// first, and no two items wait for each other.
	for item, on := range b.WaitsFor {
		i, j := slices.Index(b.ItemIDs, item), slices.Index(b.ItemIDs, on)
		if i < 0 || j < 0 || j >= i {
			l.Add(errs.Field("waits_for", "err.bundle.waits_for"))
		}
	}
	return l.Err()
}

// MergedMaterial is a material needed by one or more items of a bundle, listed once.
type MergedMaterial struct {
	Material
	For []string // names of the items that need it
}

// MergeMaterials lists the materials of several items once each: the same document, named the same after
// normalisation, is brought once, in the largest number of originals and copies any item asks for, and is
// required when any item requires it.
func MergeMaterials(items []Item) []MergedMaterial {
	var out []MergedMaterial
	index := map[string]int{}
	for _, it := range items {
		for _, m := range it.Materials {
			key := materialKey(m.Name)
			i, seen := index[key]
			if !seen {
				index[key] = len(out)
				out = append(out, MergedMaterial{Material: m, For: []string{it.NameZh}})
				continue
			}
			mm := &out[i]
			mm.Originals = max(mm.Originals, m.Originals)
			mm.Copies = max(mm.Copies, m.Copies)
			if m.Necessity == Required || (m.Necessity == Deferrable && mm.Necessity == Optional) {
				mm.Necessity = m.Necessity
			}
			mm.For = append(mm.For, it.NameZh)
		}
	}
	return out
}

// materialKey normalises a material name: 居民身份证 and 身份证 and "身份证（原件）" are the same document.
func materialKey(name string) string {
	n := strings.NewReplacer("（", "", "）", "", "(", "", ")", "", "原件", "", "复印件", "", " ", "", "居民", "", "申请人", "").Replace(name)
	switch n {
	case "户口本", "户口簿", "户籍证明":
		return "户口簿"
	case "身份证", "二代身份证":
		return "身份证"
	}
	return n
}
