package catalog

import (
	"strconv"
	"strings"

	"bianmin/internal/errs"
)

// The catalog's rules for what a window may do with a material besides seeing it: 容缺后补 (FACTS.md §5.4)
// and 告知承诺 (国办发〔2020〕42号, FACTS.md §5.3).

// notPledgeable are words that mark a material as the applicant's identity or the application itself: 42号
// lets a written pledge replace a proof (证明事项), never who the applicant is nor what they apply for.
var notPledgeable = []string{"身份证", "户口簿", "户口本", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "居住证件",
	"申请表", "申请书", "登记表", "审批表"}

// NeverPledged reports a material whose name marks the applicant's identity or the application form: no
// pledge may replace it, whatever its flag says.
func NeverPledged(name string) bool {
	for _, w := range notPledgeable {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// Pledgeable reports whether 告知承诺 may replace the material: marked a proof (证明事项) and not identity
// nor the application form.
func (m Material) Pledgeable() bool { return m.Pledge && !NeverPledged(m.Name) }

// Deferral reports whether the item allows 容缺受理: it marks at least one material deferrable (材料必要性
// 容缺后补); only those may be owed.
func (it Item) Deferral() bool {
	for _, m := range it.Materials {
		if m.Necessity == Deferrable {
			return true
		}
	}
	return false
}

// checkMaterialRules: a material flagged for 告知承诺 must not be identity or the application form (42号).
func checkMaterialRules(l *errs.List, it Item) {
	for i, m := range it.Materials {
		if m.Pledge && NeverPledged(m.Name) {
			l.Add(errs.Field("materials["+strconv.Itoa(i)+"].pledge", "err.item.pledge_identity").With("name", m.Name))
		}
	}
}
