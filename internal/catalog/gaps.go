package catalog

import (
	"strconv"
	"strings"

	"bianmin/internal/errs"
)

// Gaps lists the elements an item lacks. Real published guides often lack many; an import keeps them
// flagged here rather than inventing values.
func Gaps(it Item) []string {
	var g []string
	add := func(cond bool, name string) {
		if cond {
			g = append(g, name)
		}
	}
	add(it.TypeCode == "", "type_code")
	add(it.Level == 0, "level")
	add(it.LegalLimit.Unit == "", "legal_limit")
	add(it.PromisedLimit.Unit == "", "promised_limit")
	add(it.CaseKind == 0, "case_kind")
	add(len(it.LegalBasis) == 0, "legal_basis")
	add(strings.TrimSpace(it.Conditions) == "", "conditions")
	add(len(it.Steps) == 0, "steps")
	add(len(it.Materials) == 0, "materials")
	add(!it.Free && len(it.Fees) == 0, "fees")
	add(strings.TrimSpace(it.Place) == "", "place")
	add(strings.TrimSpace(it.Hours) == "", "hours")
	add(strings.TrimSpace(it.ConsultPhone) == "", "consult_phone")
	add(strings.TrimSpace(it.ComplaintPhone) == "", "complaint_phone")
	add(it.Visits < 0, "visits")
	add(len(it.HandlingForms) == 0, "handling_forms")
	add(strings.TrimSpace(it.NameMn) == "", "name_mn")
	add(it.ResultName != "" && it.ResultSample == "", "result_sample")
	for i, m := range it.Materials {
		add(m.Necessity == "", "materials["+strconv.Itoa(i)+"].necessity")
	}
	for _, m := range it.Missing {
		if !contains(g, m) {
			g = append(g, m)
		}
	}
	return g
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// CheckPublish is what a version must pass to be published: every consistency rule, and no gaps.
func (it Item) CheckPublish() error {
	l := errs.List(errs.All(it.Check()))
	for _, g := range Gaps(it) {
		l.Add(errs.Field(g, "err.item.missing"))
	}
	return l.Err()
}

// depends says which gaps silence which consistency rule: a rule about a missing element cannot be judged.
var depends = map[string][]string{
	"err.item.zero_visits":         {"visits", "handling_forms"},
	"err.item.instant_kind":        {"case_kind", "promised_limit"},
	"err.item.promised_over_legal": {"legal_limit", "promised_limit"},
	"err.item.steps_over_promised": {"promised_limit", "steps"},
	"err.item.depth4_visits":       {"visits"},
}

// CheckDraft is Check for an item that may still have gaps: what is present must be valid and consistent,
// what is missing is reported by Gaps instead. Name and department are always required.
func (it Item) CheckDraft() error {
	gaps := map[string]bool{}
	for _, g := range Gaps(it) {
		gaps[g] = true
	}
	var l errs.List
	for _, e := range errs.All(it.Check()) {
		base := e.Field
		if i := strings.IndexAny(base, ".["); i >= 0 {
			base = base[:i]
		}
		if gaps[base] || gaps[e.Field] || (e.Field == "visit_reason" && it.Visits <= 0) {
			continue
		}
		silenced := false
		for _, d := range depends[e.Key] {
			silenced = silenced || gaps[d]
		}
		if !silenced {
			l.Add(e)
		}
	}
	return l.Err()
}
