package catalogfile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"bianmin/internal/catalog"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
)

// Delegation records travel with the catalog (issue 14 point 1): written into the JSON file and the
// template's sheet 赋权, read back equal, and beside the items, which read as before.
func TestDelegationsRoundTrip(t *testing.T) {
	dels := []Delegation{
		{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "item", Townships: []string{"天山镇", "绍根镇"}, DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2020-10-01"},
		{Department: "民政局", Item: "15042100000000001", Scope: "decision", Townships: []string{"150421100"}, DocNo: "阿民发〔2024〕3号", DocDate: "2024-01-05", Start: "2024-01-05", Note: "决定环节下放"},
	}
	items := []catalog.Item{demo.DemoItems()[0]}
	for _, name := range []string{"catalog.json", "catalog.xlsx"} {
		var buf bytes.Buffer
		if err := WriteWith(name, &buf, items, dels); err != nil {
			t.Fatal(err)
		}
		got, err := ReadDelegations(name, buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range got {
			if got[i].Position == "" {
				t.Errorf("%s: record %d has no position", name, i)
			}
			got[i].Position = ""
		}
		if !reflect.DeepEqual(got, dels) {
			t.Errorf("%s: read back\n%+v\nwant\n%+v", name, got, dels)
		}
		back, err := Read(name, buf.Bytes(), "")
		if err != nil || len(back) != 1 || back[0].NameZh != items[0].NameZh {
			t.Errorf("%s: the items beside the delegations: %d %v", name, len(back), err)
		}
	}
	// a catalog without delegations has none, and published guides carry none
	var buf bytes.Buffer
	if err := Write("c.xlsx", &buf, items); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadDelegations("c.xlsx", buf.Bytes()); err != nil || got != nil {
		t.Errorf("a template without the sheet: %v %v", got, err)
	}
	if got, err := ReadDelegations("guides.json", []byte(`[{"title": "x"}]`)); err != nil || got != nil {
		t.Errorf("guides: %v %v", got, err)
	}
}

// A record in error is refused naming each field: in JSON by its place in the list, in the template by its
// cell and column; the whole file at once.
func TestDelegationsRefused(t *testing.T) {
	bad := []Delegation{
		{Department: "自然资源局", Item: "乡村建设规划许可证核发", Scope: "item", Townships: []string{"天山镇"}, DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2020-10-01"},
		{Department: "", Item: "x", Scope: "all", DocNo: strings.Repeat("号", 101), DocDate: "2020-13-01", Start: "2020-10-01"},
		{Department: "民政局", Item: "y", Scope: "decision", Townships: []string{"天山镇"}, DocNo: "1", DocDate: "2020-09-01", Start: "2020-08-01"},
	}
	for _, c := range []struct {
		name string
		want []string
	}{
		{"c.json", []string{"delegations[1].upward_department", "delegations[1].deleg_scope", "delegations[1].deleg_townships", "delegations[1].deleg_doc_no", "delegations[1].deleg_doc_date", "delegations[2].deleg_start"}},
		{"c.xlsx", []string{"赋权!B3 下放部门", "赋权!D3 下放范围", "赋权!E3 承接乡镇（苏木）", "赋权!F3 赋权文件文号", "赋权!G3 赋权文件日期", "赋权!H4 起始日期"}},
	} {
		var buf bytes.Buffer
		if err := WriteWith(c.name, &buf, []catalog.Item{demo.DemoItems()[0]}, bad); err != nil {
			t.Fatal(err)
		}
		_, err := ReadDelegations(c.name, buf.Bytes())
		var got []string
		for _, e := range errs.All(err) {
			got = append(got, e.Field)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v\nwant %v", c.name, got, c.want)
		}
	}
}
