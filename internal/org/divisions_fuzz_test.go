package org

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParseDivisions: no division file panics the reader; a plan it makes lists parents before children,
// every organisation but a root has a parent, and every administrative one its code checked.
func FuzzParseDivisions(f *testing.F) {
	b, err := os.ReadFile("../demo/data/divisions-150421.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"region":{"code":"150000","name":"内蒙古自治区"},"city":{"code":"150400","name":"赤峰市"},"banner":{"code":"150421","name":"阿鲁科尔沁旗"},"townships":[{"code9":"150421100","code12":"150421100000","name":"天山镇","type":"镇"}]}`))
	f.Add([]byte(`{"townships":[{}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := ParseDivisions(bytes.NewReader(body))
		if err != nil {
			if p != nil {
				t.Fatal("a refused file gives no plan")
			}
			return
		}
		if len(p.Parents) != len(p.Orgs) {
			t.Fatalf("%d parents for %d organisations", len(p.Parents), len(p.Orgs))
		}
		for i, parent := range p.Parents {
			if parent >= i || parent < -1 {
				t.Fatalf("organisation %d has parent %d: parents come first", i, parent)
			}
			if p.Orgs[i].NameZh == "" {
				t.Fatalf("organisation %d has no name", i)
			}
		}
	})
}
