package cases

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestNoticeHelpers(t *testing.T) {
	c := Case{State: Suspended, Materials: []MaterialCheck{{Name: "申请表", Check: SeenOriginal}, {Name: "身份证", Check: SeenOriginal},
		{Name: "户口簿", Check: SeenCopy}, {Name: "声明", Check: Missing}, {Name: "证明", Check: Owed}, {Name: "照片", Check: Defective}},
		Suspensions: []Suspension{{Reason: "一"}, {Reason: "二"}}}
	if got := c.Originals(); !slices.Equal(got, []string{"申请表", "身份证"}) {
		t.Errorf("originals %v", got)
	}
	if got := c.LackingMaterials(); len(got) != 2 || got[0].Name != "声明" || got[1].Name != "照片" {
		t.Errorf("lacking %v", got)
	}
	if got := c.WithCheck(Owed); len(got) != 1 || got[0].Name != "证明" {
		t.Errorf("owed %v", got)
	}
	if s := c.Current(); s == nil || s.Reason != "二" {
		t.Errorf("current suspension %v", s)
	}
	if c.State = Accepted; c.Current() != nil {
		t.Error("an accepted case has no suspension in force")
	}
	codes := SuspendKindCodes()
	if len(codes) != len(SuspendKinds) || slices.Contains(codes, "") || SuspendKindCode("鉴定") != "appraisal" || SuspendKindCode("别的") != "other" {
		t.Errorf("suspension codes %v", codes)
	}
	for _, k := range NoticeKinds {
		if Remedies(k) != (k == NoticeRefuse || k == NoticeDeny || k == NoticeRevoke) {
			t.Errorf("remedies on %s", k)
		}
	}
	c.ItemName, c.ItemNameMn = "最低生活保障", "ᠠᠮᠢᠳᠤᠷᠠᠯ"
	if c.ItemNameIn("mn") != "ᠠᠮᠢᠳᠤᠷᠠᠯ" || c.ItemNameIn("zh") != "最低生活保障" {
		t.Error("item names")
	}
	if c.ItemNameMn = ""; c.ItemNameIn("mn") != "最低生活保障" {
		t.Error("no Mongolian name: the Chinese one")
	}
}

// keepByMaps is how Paper.Keep was first written, decoding into maps: Keep must write what it wrote.
func keepByMaps(p Paper, kind string) []byte {
	full, _ := json.Marshal(p.Case)
	var all map[string]json.RawMessage
	json.Unmarshal(full, &all)
	kept := map[string]json.RawMessage{}
	for _, f := range PaperFields(kind) {
		if v, ok := all[f]; ok {
			kept[f] = v
		}
	}
	doc, _ := json.Marshal(p)
	var out map[string]json.RawMessage
	json.Unmarshal(doc, &out)
	out["case"], _ = json.Marshal(kept)
	b, _ := json.Marshal(out)
	return b
}

// Every kind's paper over a case at several points of its life, with names that need escapes.
func TestKeepAsMaps(t *testing.T) {
	c := dibao()
	c.Materials = materials(true)
	c.ItemName = `最低生活保障 <"特困">`
	papers := []Paper{{Case: c}, {Case: c, Reason: "材料不全 & 需补正", By: "综合受理员", Issuer: "org-1"}}
	acc := c
	acc.State, acc.Step, acc.Version = Accepted, 1, 2
	acc.Decision = &Decision{Grant: true, Reasons: "符合条件"}
	papers = append(papers, Paper{Case: acc, DueProvisional: true, By: "审核人"})
	for _, p := range papers {
		for _, k := range NoticeKinds {
			got, err := p.Keep(k)
			if err != nil {
				t.Fatal(err)
			}
			if want := keepByMaps(p, k); string(got) != string(want) {
				t.Errorf("%s:\n got %s\nwant %s", k, got, want)
			}
		}
	}
}
