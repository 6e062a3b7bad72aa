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

// 行政许可法 第42条: an extension is approved by the head of the organ that decides (本行政机关负责人). Every
// department that decides a demo item at its own step has a head among the demo accounts, so that an
// extension of any demo case can be approved in the demo; and the logins printed at start list them.
func TestDemoHasTheHeadOfEveryDecidingDepartment(t *testing.T) {
	heads := map[string]bool{}
	for _, p := range demoPeople {
		if p.role == "director" {
			heads[p.unit] = true
		}
	}
	printed := map[string]bool{}
	for _, l := range Logins() {
		if l.Role == "director" {
			printed[l.Where] = true
		}
	}
	for _, it := range DemoItems() {
		n := len(it.Steps)
		if n == 0 || it.Steps[n-1].Level < 1 || it.Steps[n-1].Level > 4 {
			continue // decided by the township, whose center director approves
		}
		if !heads[it.Department] || !printed[it.Department] {
			t.Errorf("%s is decided by %s, which has no head among the demo logins", it.NameZh, it.Department)
		}
	}
}
