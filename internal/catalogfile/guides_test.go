package catalogfile

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"bianmin/internal/catalog"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
)

func readFile(t *testing.T, name string) []catalog.Item {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	items, err := ReadGuides(bytes.NewReader(b), "民政局")
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func gapSet(it catalog.Item) map[catalog.Gap]bool {
	m := map[catalog.Gap]bool{}
	for _, g := range catalog.GapsOf(it) {
		m[g] = true
	}
	return m
}

// Several guides with gaps: what they say is read, what they lack is a gap, what Bianmin does not know is
// kept as their text; nothing is invented.
func TestGuidesWithGaps(t *testing.T) {
	items := readFile(t, "guides-with-gaps.json")
	if len(items) != 4 {
		t.Fatalf("%d items", len(items))
	}
	dibao, elder, card, nameless := items[0], items[1], items[2], items[3]

	if dibao.TypeCode != "07" || dibao.Level != 5 || !slices.Equal(dibao.LegalBasis, []string{"《社会救助暂行办法》第十一条"}) ||
		dibao.LegalLimit != (catalog.Limit{Value: 30, Unit: catalog.WorkingDays}) || dibao.PromisedLimit != (catalog.Limit{Value: 20, Unit: catalog.WorkingDays}) ||
		dibao.CaseKind != catalog.PromisedCase || !dibao.Free || dibao.Visits != 1 || dibao.VisitReason != "" || dibao.Scope != "跨乡" ||
		!slices.Equal(dibao.Delivery, []string{"window"}) || len(dibao.HandlingForms) != 0 {
		t.Errorf("低保: %+v", dibao)
	}
	m := dibao.Materials
	if m[0].Originals != 4 || m[0].Copies != 0 || m[0].Form != "paper" || m[0].Necessity != catalog.Required ||
		m[1].Originals != 1 || m[1].Copies != 1 || m[2].Originals != catalog.UnknownCount || m[2].Copies != catalog.UnknownCount || m[2].Necessity != "" {
		t.Errorf("低保 materials: %+v", m)
	}
	g := gapSet(dibao)
	for _, want := range []catalog.Gap{{Field: "visit_reason", Key: catalog.GapMissing}, {Field: "handling_forms", Key: catalog.GapMissing}, {Field: "materials[2].necessity", Key: catalog.GapMissing},
		{Field: "materials[2].originals", Key: catalog.GapCountUnstated}, {Field: "materials[2].copies", Key: catalog.GapCountUnstated}} {
		if !g[want] {
			t.Errorf("低保 lacks no %v: %v", want, g)
		}
	}
	if g[catalog.Gap{Field: "fees", Key: catalog.GapMissing}] || g[catalog.Gap{Field: "legal_limit", Key: catalog.GapMissing}] || g[catalog.Gap{Field: "level", Key: catalog.GapMissing}] {
		t.Errorf("低保: a wording that was stated is flagged: %v", g)
	}
	u := dibao.Source.Unmapped
	if u["window_no"] != "2号窗口" || !strings.Contains(u["service_channel"], "蒙速办") || u["online"] != "网上办理深度：Ⅱ级" {
		t.Errorf("fields the format does not know are dropped: %v", u)
	}
	if dibao.Source.URL != "https://example.gov.cn/guide/1" || dibao.Source.Published != "2024-05-06" || dibao.Source.Title != "农村低保申请办事指南" {
		t.Errorf("provenance: %+v", dibao.Source)
	}
	if err := dibao.CheckDraft(); err != nil {
		t.Errorf("低保 as a draft: %v", err)
	}

	// 20天 is kept as stated and flagged, not taken for working days; 0次 is read; the two phones are the same
	if elder.LegalLimit.Unit != catalog.StatedDays || elder.LegalLimit.Value != 20 || elder.PromisedLimit != (catalog.Limit{Value: 5, Unit: catalog.WorkingDays}) ||
		elder.Visits != 0 || elder.CaseKind != catalog.PromisedCase || elder.Level != 5 {
		t.Errorf("优待证: %+v", elder)
	}
	if !gapSet(elder)[catalog.Gap{Field: "legal_limit", Key: catalog.GapUnitUnstated}] {
		t.Errorf("优待证: 20天 not flagged for review: %v", catalog.GapsOf(elder))
	}
	if elder.Materials[0].Originals != 1 || elder.Materials[0].Copies != 0 || elder.Materials[1].Originals != catalog.UnknownCount {
		t.Errorf("优待证 materials: %+v", elder.Materials)
	}
	keys := map[string]bool{}
	for _, e := range errs.All(elder.CheckDraft()) {
		keys[e.Key] = true
	}
	if !keys["err.item.same_phones"] || len(keys) != 1 {
		t.Errorf("优待证's contradiction: %v", keys)
	}
	pub := map[string]string{}
	for _, e := range errs.All(elder.CheckPublish()) {
		pub[e.Field] = e.Key
	}
	if pub["visits"] != "err.item.offline_materials" {
		t.Errorf("优待证 promises 0 visits with an original to be seen: %v", pub)
	}

	// what is unreadable stays text, and a material without a name is kept, not invented
	if card.Level != 0 || card.LegalLimit.Unit != "" || card.Free || card.CaseKind != catalog.InstantCase || card.Visits != 1 ||
		card.Source.Unmapped["level"] != "团场级(相当于乡镇级)" || card.Source.Unmapped["legal_time_limit"] != "视情况而定" ||
		card.Source.Unmapped["fees"] != "工本费按规定收取" || !strings.Contains(card.Source.Unmapped["materials[0]"], "原件") {
		t.Errorf("残疾人证: %+v %v", card, card.Source.Unmapped)
	}
	if len(card.Materials) != 1 || card.Materials[0].Copies != 2 || card.Materials[0].Originals != catalog.UnknownCount {
		t.Errorf("残疾人证 materials: %+v", card.Materials)
	}
	if err := card.CheckDraft(); err != nil {
		t.Errorf("残疾人证 as a draft: %v", err)
	}
	if nameless.NameZh != "" || nameless.CheckDraft() == nil {
		t.Error("a guide without a name is not a valid item")
	}
}

// Only malformed data refuses a file: not JSON, not a list of guides, a field of the wrong type.
func TestMalformedGuides(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":                `[{"name": "临时救助",`,
		"not a list":              `{"name": "临时救助"}`,
		"a guide not an object":   `["临时救助"]`,
		"a list for a text":       `[{"name": ["临时救助"]}]`,
		"an object for materials": `[{"name": "临时救助", "materials": {"name": "身份证"}}]`,
	} {
		if items, err := ReadGuides(strings.NewReader(body), "民政局"); err == nil || items != nil {
			t.Errorf("%s: read %v", name, items)
		} else if e := errs.All(err); e[0].Key != "err.import.json" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// numbers and booleans where texts are expected, and a single text for a list, are read
	items, err := ReadGuides(strings.NewReader(`[{"name": "临时救助", "visits_required": 0, "is_instant": "否", "legal_basis": "《社会救助暂行办法》", "process_steps": null}]`), "民政局")
	if err != nil || items[0].Visits != 0 || items[0].CaseKind != catalog.PromisedCase || len(items[0].LegalBasis) != 1 {
		t.Errorf("lenient scalars: %+v %v", items, err)
	}
}

// Excel export and import keep each imported item's provenance, its unknown counts and its 天 limits. (The
// Excel template is Bianmin's own format and stays all or nothing: a draft whose phones contradict each other
// is refused by cell until they are set right, so the 优待证 guide is set right here first.)
func TestXLSXRoundTripsImportedGuides(t *testing.T) {
	withGaps := readFile(t, "guides-with-gaps.json")[:3]
	withGaps[1].ComplaintPhone = "0476-12345"
	items := append(readFile(t, "service-guides-sample.json"), withGaps...)
	for i := range items {
		items[i].Missing = catalog.Gaps(items[i])
	}
	var xl bytes.Buffer
	if err := WriteXLSX(&xl, items); err != nil {
		t.Fatal(err)
	}
	back, err := ReadXLSX(&xl)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(items) {
		t.Fatalf("%d items back of %d", len(back), len(items))
	}
	for i := range items {
		if !reflect.DeepEqual(back[i], items[i]) {
			t.Errorf("Excel round trip changed %s:\n%+v\n%+v\nsource %+v\n       %+v", items[i].NameZh, back[i], items[i], back[i].Source, items[i].Source)
		}
	}
}

// The demo catalog publishes: every item passes every rule, the online promise included.
func TestDemoItemsPublishable(t *testing.T) {
	for _, it := range demo.DemoItems() {
		if err := it.CheckPublish(); err != nil {
			t.Errorf("%s: %v", it.NameZh, err)
		}
	}
}

// Four published guides of townships in other provinces (海南 加乐镇, 安徽 酉华镇 twice, 河南 郑州路街道), as
// gathered: what they state is read, what they lack stays a gap, nothing is invented.
func TestGuidesOfOtherTownships(t *testing.T) {
	items := readFile(t, "guides-other-townships.json")
	if len(items) != 4 {
		t.Fatalf("%d items", len(items))
	}
	elder, card, dibao, disab := items[0], items[1], items[2], items[3]
	for _, it := range items {
		if it.TypeCode != "" || it.Level != 0 || it.CaseKind != 0 || it.LegalLimit.Unit != "" || it.Visits != -1 || it.ExtensionUnit != "" {
			t.Errorf("%s: an element its guide does not state was filled: %+v", it.NameZh, it)
		}
		if err := it.CheckDraft(); err != nil {
			t.Errorf("%s is not a valid draft: %v", it.NameZh, err)
		}
	}
	// 办理时限 without 法定 or 承诺 is kept as the guide's text, not taken for either
	if elder.PromisedLimit.Unit != "" || elder.Source.Unmapped["time_limit_as_shown"] != "20工作日" || !elder.Free || elder.ComplaintPhone == "" {
		t.Errorf("长寿老人补贴: %+v", elder)
	}
	m := elder.Materials
	if m[0].Copies != catalog.UnknownCount || m[1].Originals != 1 || m[1].Copies != 2 || m[2].Originals != catalog.UnknownCount {
		t.Errorf("长寿老人补贴 materials: %+v", m)
	}
	if card.PromisedLimit.Unit != catalog.Instant || card.Implementer != "县民政局" || !card.Free || card.Steps[1].Name != "填写6070)周岁老年人优待证" {
		t.Errorf("老年优待证换发: %+v", card)
	}
	if dibao.PromisedLimit.Unit != "" || dibao.Source.Unmapped["promised_time_limit"] != "15个工作日内上报材料" {
		t.Errorf("农村低保初审及转报: the township's time to forward is not a promised limit: %+v", dibao.PromisedLimit)
	}
	if disab.Free || disab.ConsultPhone != "0379-64275483" || disab.Materials[3].Originals != 1 || disab.Materials[2].Copies != catalog.UnknownCount || disab.Source.Published != "" {
		t.Errorf("残疾人两项补贴: %+v", disab)
	}
}
