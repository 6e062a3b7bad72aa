package cases

import (
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
