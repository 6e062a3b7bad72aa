package catalogfile

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/catalog"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
)

func TestGuidesFixtureMapsWithGapsNotInventions(t *testing.T) {
	b, err := os.ReadFile("../../../shared/fixtures/service-guides-sample.json")
	if err != nil {
		b, err = os.ReadFile("testdata/service-guides-sample.json")
	}
	if err != nil {
		t.Fatal(err)
	}
	items, err := ReadGuides(bytes.NewReader(b), "民政局")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 9 {
		t.Fatalf("%d items", len(items))
	}
	byName := map[string]catalog.Item{}
	for _, it := range items {
		byName[it.NameZh] = it
		if err := it.CheckDraft(); err != nil {
			t.Errorf("%s: %v", it.NameZh, err)
		}
	}
	two := byName["困难残疾人生活补贴和重度残疾人护理补贴"]
	if two.TypeCode != "05" || two.LegalLimit != (catalog.Limit{Value: 24, Unit: catalog.WorkingDays}) || two.PromisedLimit.Value != 4 || two.CaseKind != catalog.PromisedCase || !two.Free {
		t.Errorf("两项补贴: %+v", two)
	}
	if gaps := catalog.Gaps(two); !slices.Contains(gaps, "steps") || slices.Contains(gaps, "complaint_phone") {
		t.Errorf("两项补贴 gaps: %v", gaps)
	}
	tmp := byName["临时救助"]
	gaps := catalog.Gaps(tmp)
	for _, g := range []string{"type_code", "legal_limit", "promised_limit", "case_kind", "complaint_phone", "fees", "name_mn"} {
		if !slices.Contains(gaps, g) {
			t.Errorf("临时救助 should lack %s: %v", g, gaps)
		}
	}
	if tmp.TypeCode != "" || tmp.PromisedLimit.Unit != "" || tmp.ComplaintPhone != "" {
		t.Errorf("临时救助 got invented values: %+v", tmp)
	}
	if len(tmp.Steps) != 8 || tmp.Steps[0].Name != "申请(个人或委托他人)" {
		t.Errorf("临时救助 steps: %+v", tmp.Steps)
	}
	if u := byName["失业登记"].Source.Unmapped["item_type"]; !strings.Contains(u, "网办类") {
		t.Errorf("an unreadable type is kept as text: %q", u)
	}
}

// Export then import gives back the same catalog, in JSON and in Excel.
func TestRoundTrip(t *testing.T) {
	items := demo.DemoItems()
	natural := 0 // an item other than a 行政许可 that extends in natural days keeps its unit both ways
	for i := range items {
		if items[i].TypeCode != catalog.License && natural < 2 {
			items[i].ExtensionUnit = catalog.NaturalDays
			natural++
		}
	}
	if natural == 0 {
		t.Fatal("no item to extend in natural days")
	}
	// the application form's sheet (申请表) goes both ways too: choices in both languages and a condition
	if !slices.ContainsFunc(items, func(it catalog.Item) bool {
		return slices.ContainsFunc(it.Form, func(f catalog.FormField) bool { return f.When != nil }) &&
			slices.ContainsFunc(it.Form, func(f catalog.FormField) bool { return len(f.Choices) > 1 && f.Choices[0].Mn != "" })
	}) {
		t.Fatal("no demo item has a form with a condition and bilingual choices")
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, items); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&js)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, items) {
		t.Fatal("JSON round trip changed the catalog")
	}
	var xl bytes.Buffer
	if err := WriteXLSX(&xl, items); err != nil {
		t.Fatal(err)
	}
	back, err = ReadXLSX(&xl)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(items) {
		t.Fatalf("%d items back", len(back))
	}
	for i := range items {
		if !reflect.DeepEqual(back[i], items[i]) {
			t.Errorf("Excel round trip changed %s:\n%+v\n%+v", items[i].NameZh, back[i], items[i])
		}
	}
}

// A sheet with a bad type code, a promised limit above the legal one and a missing name imports nothing,
// and each error names its row and column.
func TestXLSXErrorsByCell(t *testing.T) {
	items := demo.DemoItems()[:3]
	var xl bytes.Buffer
	if err := WriteXLSX(&xl, items); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xl)
	if err != nil {
		t.Fatal(err)
	}
	col := func(h string) string {
		rows, _ := f.GetRows(SheetItems)
		for i, x := range rows[0] {
			if x == h {
				name, _ := excelize.ColumnNumberToName(i + 1)
				return name
			}
		}
		t.Fatalf("no column %s", h)
		return ""
	}
	f.SetCellStr(SheetItems, col("事项类型代码")+"2", "99")
	f.SetCellStr(SheetItems, col("承诺办结时限")+"3", "45") // legal is 30
	f.SetCellStr(SheetItems, col("事项名称")+"4", "")
	var out bytes.Buffer
	f.Write(&out)
	got, err := ReadXLSX(&out)
	if got != nil {
		t.Fatal("a sheet with errors must yield nothing")
	}
	want := map[string]string{
		"事项!" + col("事项类型代码") + "2 事项类型代码": "err.item.type_code",
		"事项!" + col("承诺办结时限") + "3 承诺办结时限": "err.item.promised_over_legal",
		"事项!" + col("事项名称") + "4 事项名称":     "err.required",
	}
	found := map[string]bool{}
	for _, e := range errs.All(err) {
		if want[e.Field] == e.Key {
			found[e.Field] = true
		}
	}
	for f := range want {
		if !found[f] {
			t.Errorf("no error at %s; got %v", f, err)
		}
	}
}

// The extension unit is a column of the template: read as written, and a 行政许可 that says 自然日 is refused
// at its cell (行政许可法 第82条: a licence's periods are working days).
func TestXLSXExtensionUnit(t *testing.T) {
	var license, other catalog.Item
	for _, it := range demo.DemoItems() {
		switch {
		case it.TypeCode == catalog.License && license.NameZh == "":
			license = it
		case it.TypeCode != catalog.License && other.NameZh == "":
			other = it
		}
	}
	other.ExtensionUnit = catalog.NaturalDays
	var xl bytes.Buffer
	if err := WriteXLSX(&xl, []catalog.Item{other, license}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xl.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(SheetItems)
	col := slices.Index(rows[0], "延长期限计算单位")
	if col < 0 || rows[1][col] != "自然日" || len(rows[2]) > col && rows[2][col] != "" {
		t.Fatalf("the column: %d %v", col, rows)
	}
	back, err := ReadXLSX(bytes.NewReader(xl.Bytes()))
	if err != nil || back[0].ExtensionUnit != catalog.NaturalDays || back[1].ExtensionUnit != "" || back[1].ExtensionIn() != catalog.WorkingDays {
		t.Fatalf("read back: %v %+v", err, back)
	}
	name, _ := excelize.ColumnNumberToName(col + 1)
	f.SetCellStr(SheetItems, name+"3", "自然日")
	var out bytes.Buffer
	f.Write(&out)
	_, err = ReadXLSX(&out)
	want := "事项!" + name + "3 延长期限计算单位"
	if e := errs.All(err); len(e) != 1 || e[0].Field != want || e[0].Key != "err.item.extension_unit_license" {
		t.Errorf("a licence extending in natural days: %v", err)
	}
}
