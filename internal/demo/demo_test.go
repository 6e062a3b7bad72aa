package demo

import (
	"testing"

	"bianmin/internal/catalog"
)

// Every demo item is complete and passes every consistency rule, so that it can be published.
func TestDemoItemsAreConsistent(t *testing.T) {
	items := DemoItems()
	if len(items) < 40 {
		t.Fatalf("%d demo items", len(items))
	}
	depts := map[string]bool{}
	for _, it := range items {
		if err := it.Check(); err != nil {
			t.Errorf("%s: %v", it.NameZh, err)
		}
		if gaps := catalog.Gaps(it); len(gaps) > 0 {
			t.Errorf("%s lacks %v", it.NameZh, gaps)
		}
		depts[it.Department] = true
	}
	for _, d := range []string{"民政局", "人力资源和社会保障局", "医疗保障局", "卫生健康委员会", "自然资源局", "农牧局", "残疾人联合会", "退役军人事务局", "公安局", "司法局", "市场监督管理局", "税务局"} {
		if !depts[d] {
			t.Errorf("no item of %s", d)
		}
	}
}
