package catalog

import (
	"testing"
)

func TestTerms(t *testing.T) {
	it := Item{NameZh: "最低生活保障", Aliases: []string{"低保"}, NameMn: "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ ᠪᠠᠲᠤᠯᠠᠭᠠᠵᠢ", Materials: []Material{{Name: "居民户口簿"}}}
	terms := Terms(it)
	for _, want := range []string{"zh:低保", "zh:户口", "py:dibao", "pi:db", "py:zuidishenghuobaozhang", "pi:zdshbz", "mn:ᠠᠮᠢᠳᠤᠷᠠᠯ", "zh:最低"} {
		if terms[want] == 0 {
			t.Errorf("no term %s", want)
		}
	}
	if terms["zh:低保"] != WeightAlias || terms["zh:户口"] != WeightMaterial || terms["zh:最低"] != WeightName {
		t.Errorf("weights: %d %d %d", terms["zh:低保"], terms["zh:户口"], terms["zh:最低"])
	}
}

func TestQuery(t *testing.T) {
	cases := map[string]int{"户口": 1, "户口簿": 2, "证": 1, "dibao": 1, "DB": 1, "低保 申请": 2, "ᠠᠮᠢᠳᠤᠷᠠᠯ ᠤᠨ": 2, "": 0}
	for q, n := range cases {
		if got := len(Query(q)); got != n {
			t.Errorf("Query(%q): %d groups, want %d", q, got, n)
		}
	}
}
