package org

import (
	"os"
	"strings"
	"testing"

	"bianmin/internal/errs"
)

// The fixture is kept in the repository (internal/demo/data) and also read from shared/fixtures when the
// checkout sits beside it, so that a change to either is noticed.
func fixture(t *testing.T) []byte {
	for _, p := range []string{"../../../shared/fixtures/divisions-150421.json", "../demo/data/divisions-150421.json"} {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	t.Fatal("division fixture not found")
	return nil
}

func TestParseDivisionsFixture(t *testing.T) {
	p, err := ParseDivisions(strings.NewReader(string(fixture(t))))
	if err != nil {
		t.Fatal(err)
	}
	// 14 苏木乡镇 + 2 街道 with NBS codes, plus the older 天山街道 that the village lists still use.
	if got := p.Count(Township); got != 17 {
		t.Errorf("townships: %d", got)
	}
	if got := p.Count(Village); got != 6+32+16+27+13 {
		t.Errorf("villages: %d", got)
	}
	byName := map[string]Org{}
	for _, o := range p.Orgs {
		byName[o.NameZh] = o
	}
	if o := byName["天山镇"]; o.Code != "150421100" || o.Subtype != "镇" {
		t.Errorf("天山镇: %+v", o)
	}
	if o := byName["先锋乡"]; len(o.Aliases) != 1 || o.Aliases[0] != "先峰乡" {
		t.Errorf("先锋乡 keeps its variant: %+v", o.Aliases)
	}
	if o := byName["天山街道"]; o.Code != "" || o.Note == "" {
		t.Errorf("天山街道 is uncoded and says why: %+v", o)
	}
	if o := byName["杨树林村"]; o.Code != "150421100200" || o.Subtype != "村" {
		t.Errorf("杨树林村: %+v", o)
	}
	if o := byName["绍根社区"]; o.Subtype != "社区" {
		t.Errorf("绍根社区: %+v", o)
	}
	if o := byName["阿鲁科尔沁旗"]; o.Kind != Banner || o.NameMn == "" {
		t.Errorf("banner: %+v", o)
	}
}

func TestParseDivisionsRefusesBadFilesWhole(t *testing.T) {
	good := `{"region":{"code":"150000","name":"内蒙古自治区"},"city":{"code":"150400","name":"赤峰市"},
	"banner":{"code":"150421","name":"阿鲁科尔沁旗"},
	"townships":[%s],"villages":{%s}}`
	cases := map[string]struct {
		townships, villages string
		field, key          string
	}{
		"wrong prefix":     {`{"code9":"150422100","name":"甲镇"}`, ``, "townships[0].code", "err.code.prefix"},
		"letters in code":  {`{"code9":"15042110A","name":"甲镇"}`, ``, "townships[0].code", "err.code.digits"},
		"code12 mismatch":  {`{"code9":"150421100","code12":"150421101000","name":"甲镇"}`, ``, "townships[0].code12", "err.import.code12"},
		"duplicate code":   {`{"code9":"150421100","name":"甲镇"},{"code9":"150421100","name":"乙镇"}`, ``, "townships[1].code9", "err.import.duplicate"},
		"empty name":       {`{"code9":"150421100","name":""}`, ``, "townships[0].name_zh", "err.required"},
		"unknown township": {`{"code9":"150421100","name":"甲镇"}`, `"丙镇":{"list":[{"name":"一村"}]}`, "villages.丙镇", "err.import.unknown_township"},
		"village elsewhere": {`{"code9":"150421100","name":"甲镇"}`, `"甲镇":{"list":[{"name":"一村","code12":"150421101200"}]}`,
			"villages.甲镇.list[0].code", "err.code.prefix"},
		"village range": {`{"code9":"150421100","name":"甲镇"}`, `"甲镇":{"list":[{"name":"一村","code12":"150421100000"}]}`,
			"villages.甲镇.list[0].code", "err.code.village_range"},
		// FACTS.md §7: the 12-digit form is the 9-digit code, and the three digits say the kind
		"duplicate as 12 digits": {`{"code9":"150421100","name":"甲镇"},{"code12":"150421100000","name":"乙镇"}`, ``, "townships[1].code9", "err.import.duplicate"},
		"镇 in the 乡 range":       {`{"code9":"150421200","name":"甲镇","type":"镇"}`, ``, "townships[0].code", "err.code.township_kind"},
		"街道 in the 镇 range":      {`{"code9":"150421100","name":"甲街道"}`, ``, "townships[0].code", "err.code.township_kind"},
		"苏木 in the 街道 range":     {`{"code9":"150421010","name":"甲苏木","type":"苏木"}`, ``, "townships[0].code", "err.code.township_kind"},
		"township 000":           {`{"code9":"150421000","name":"甲镇"}`, ``, "townships[0].code", "err.code.township_range"},
		"township 700":           {`{"code9":"150421700","name":"甲镇"}`, ``, "townships[0].code", "err.code.township_range"},
		"社区 in the 村 range": {`{"code9":"150421100","name":"甲镇"}`, `"甲镇":{"list":[{"name":"一社区","code12":"150421100200"}]}`,
			"villages.甲镇.list[0].code", "err.code.village_kind"},
		"嘎查 in the 社区 range": {`{"code9":"150421100","name":"甲镇"}`, `"甲镇":{"list":[{"name":"一嘎查","code12":"150421100005"}]}`,
			"villages.甲镇.list[0].code", "err.code.village_kind"},
		"village of another banner under an uncoded township": {`{"code9":"150421100","name":"甲镇"}`, `"丙镇":{"note":"2019年撤并","list":[{"name":"一村","code12":"150422100200"}]}`,
			"villages.丙镇.list[0].code", "err.code.prefix"},
		"农牧场's 类似居委会 as a 村": {`{"code9":"150421400","name":"甲农场"}`, `"甲农场":{"list":[{"name":"一村","code12":"150421400401"}]}`,
			"villages.甲农场.list[0].code", "err.code.village_kind"},
		"village 600": {`{"code9":"150421100","name":"甲镇"}`, `"甲镇":{"list":[{"name":"一村","code12":"150421100600"}]}`,
			"villages.甲镇.list[0].code", "err.code.village_range"},
		"a 12-digit code in code9 beside its 9": {`{"code9":"150421100","name":"甲镇"},{"code9":"150421100000","name":"乙镇"}`, ``, "townships[1].code9", "err.import.duplicate"},
		"a type no code list has":               {`{"code9":"150421150","name":"甲镇","type":"town"}`, ``, "townships[0].type", "err.import.township_type"},
		"a farm's unit under a 镇": {`{"code9":"150421100","name":"甲镇"}`, `"甲镇":{"list":[{"name":"一分场","code12":"150421100550"}]}`,
			"villages.甲镇.list[0].code", "err.code.village_range"},
		"a number for a code": {`{"code9":150421100,"name":"甲镇"}`, ``, "townships.code9", "err.json.type"},
		"a misspelt field":    {`{"code9":"150421100","name":"甲镇","code_12":"150421100000"}`, ``, "file", "err.import.unknown_field"},
		"no townships":        {``, ``, "townships", "err.required"},
	}
	for name, c := range cases {
		doc := strings.Replace(strings.Replace(good, "%s", c.townships, 1), "%s", c.villages, 1)
		p, err := ParseDivisions(strings.NewReader(doc))
		if p != nil {
			t.Errorf("%s: a bad file must yield no plan", name)
		}
		found := false
		for _, e := range errs.All(err) {
			if e.Field == c.field && e.Key == c.key {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want %s %s, got %v", name, c.field, c.key, err)
		}
	}
	if _, err := ParseDivisions(strings.NewReader(`{"region": [`)); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("malformed JSON: %v", err)
	}
	// GB/T 2260's forms of the upper codes, and one file holding one object
	ok := strings.Replace(strings.Replace(good, "%s", `{"code9":"150421100","name":"甲镇"}`, 1), "%s", "", 1)
	for name, c := range map[string]struct{ from, to, field, key string }{
		"region not XX0000":           {`"150000"`, `"150100"`, "region.code", "err.code.region_form"},
		"city not XXYY00":             {`"150400"`, `"150401"`, "city.code", "err.code.city_form"},
		"banner XXYY00":               {`"code":"150421"`, `"code":"150400"`, "banner.code", "err.code.banner_form"},
		"two objects":                 {`}}`, `}}{}`, "file", "err.import.trailing"},
		"a township's villages twice": {`"villages":{}`, `"villages":{"甲镇":{"list":[{"name":"一村"}]},"甲镇":{"list":[]}}`, "file", "err.import.repeated_key"},
	} {
		doc := strings.Replace(ok, c.from, c.to, 1)
		if doc == ok {
			t.Fatalf("%s: the change did not apply", name)
		}
		_, err := ParseDivisions(strings.NewReader(doc))
		found := false
		for _, e := range errs.All(err) {
			found = found || (e.Field == c.field && e.Key == c.key)
		}
		if !found {
			t.Errorf("%s: want %s %s, got %v", name, c.field, c.key, err)
		}
	}
	if _, err := ParseDivisions(strings.NewReader(ok)); err != nil {
		t.Errorf("the good file: %v", err)
	}
	// a 农牧场 coded 4xx with its 类似居委会 (4xx) and 类似村委会 (5xx), as the code list has them (654203511400)
	farm := strings.Replace(strings.Replace(good, "%s", `{"code9":"150421400","name":"甲农场"}`, 1), "%s",
		`"甲农场":{"list":[{"name":"场部社区","code12":"150421400400"},{"name":"一分场","code12":"150421400501"}]}`, 1)
	if _, err := ParseDivisions(strings.NewReader(farm)); err != nil {
		t.Errorf("a farm's units: %v", err)
	}
	// a rename keeps the code: a 村 made a 社区 before the code list follows is still valid as it stands
	v := Org{Kind: Village, Code: "150421100200", NameZh: "杨树林社区", Subtype: "社区"}
	parent := &Org{Kind: Township, Code: "150421100"}
	if err := v.Validate(parent); err != nil {
		t.Errorf("a renamed village: %v", err)
	}
	if err := v.ValidateNew(parent); err == nil {
		t.Error("a new 社区 in the 村 range was taken")
	}
}

func TestCanHangAndSubtree(t *testing.T) {
	if !CanHang(Village, Township) || CanHang(Village, Banner) || !CanHang(Window, Center) || !CanHang(Region, "") || CanHang(City, "") {
		t.Error("tree shape rules")
	}
	if !InSubtree("/a/b/", "/a/b/c/") || !InSubtree("/a/b/", "/a/b/") || InSubtree("/a/b/", "/a/bc/") || InSubtree("", "/a/") {
		t.Error("subtree by path")
	}
}

func TestHoldsTownships(t *testing.T) {
	want := map[Kind]bool{Region: true, City: true, Banner: true, Township: true}
	for _, k := range Kinds {
		if got := k.HoldsTownships(); got != want[k] {
			t.Errorf("%s: HoldsTownships %v", k, got)
		}
	}
}
