package catalog

import (
	"strconv"
	"strings"

	"bianmin/internal/errs"
)

// Gap is an element an item lacks, or holds in a form that someone must confirm before it is published:
// Field is its path ("legal_limit", "materials[2].originals"), Key the message that says why.
type Gap struct {
	Field string `json:"field"`
	Key   string `json:"key"`
}

// Gap reasons.
const (
	GapMissing       = "err.item.missing"        // the element is empty
	GapUnitUnstated  = "err.item.unit_unstated"  // a limit in 天/日: working or natural days not said
	GapCountUnstated = "err.item.count_unstated" // how many originals or copies of a material is not said
)

// GapsOf lists what an item lacks, computed from its content alone: an element filled in stops being a gap
// at once. Real published guides often lack many elements; an import leaves them empty and listed here
// rather than inventing values. (Item.Missing is only a copy of this list as of the last save.)
func GapsOf(it Item) []Gap {
	var g []Gap
	add := func(cond bool, field, key string) {
		if cond {
			g = append(g, Gap{field, key})
		}
	}
	missing := func(cond bool, field string) { add(cond, field, GapMissing) }
	missing(it.TypeCode == "", "type_code")
	missing(it.Level == 0, "level")
	missing(it.LegalLimit.Unit == "", "legal_limit")
	add(it.LegalLimit.Unit == StatedDays, "legal_limit", GapUnitUnstated)
	missing(it.PromisedLimit.Unit == "", "promised_limit")
	add(it.PromisedLimit.Unit == StatedDays, "promised_limit", GapUnitUnstated)
	missing(it.CaseKind == 0, "case_kind")
	missing(len(it.LegalBasis) == 0, "legal_basis")
	missing(strings.TrimSpace(it.Conditions) == "", "conditions")
	missing(len(it.Steps) == 0, "steps")
	for i, s := range it.Steps {
		add(s.Limit.Unit == StatedDays, "steps["+strconv.Itoa(i)+"].limit", GapUnitUnstated)
	}
	missing(len(it.Materials) == 0, "materials")
	missing(!it.Free && len(it.Fees) == 0, "fees")
	missing(strings.TrimSpace(it.Place) == "", "place")
	missing(strings.TrimSpace(it.Hours) == "", "hours")
	missing(strings.TrimSpace(it.ConsultPhone) == "", "consult_phone")
	missing(strings.TrimSpace(it.ComplaintPhone) == "", "complaint_phone")
	missing(it.Visits < 0, "visits")
	// 到办事现场次数 not zero needs its reason (FACTS.md §1.7): a guide that states the number without it has a gap.
	missing(it.Visits > 0 && strings.TrimSpace(it.VisitReason) == "", "visit_reason")
	missing(len(it.HandlingForms) == 0, "handling_forms")
	missing(strings.TrimSpace(it.NameMn) == "", "name_mn")
	missing(it.ResultName != "" && it.ResultSample == "", "result_sample")
	for i, m := range it.Materials {
		f := "materials[" + strconv.Itoa(i) + "]"
		missing(m.Necessity == "", f+".necessity")
		add(m.Originals == UnknownCount, f+".originals", GapCountUnstated)
		add(m.Copies == UnknownCount, f+".copies", GapCountUnstated)
	}
	return g
}

// Gaps lists the paths of the elements an item lacks (GapsOf without the reasons).
func Gaps(it Item) []string {
	gaps := GapsOf(it)
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Field
	}
	return out
}

// CheckPublish is what a version must pass to be published: every consistency rule, and no gaps.
func (it Item) CheckPublish() error {
	var l errs.List
	gaps := map[string]bool{}
	for _, g := range GapsOf(it) {
		l.Add(errs.Field(g.Field, g.Key))
		gaps[g.Field] = true
	}
	for _, e := range errs.All(it.Check()) {
		if !gaps[e.Field] { // a field with a gap is named once, by its gap
			l.Add(e)
		}
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

// Conflicts are the consistency rules between elements (FACTS.md §1.7, and the online promise): on a draft
// imported from a published guide they say where the source contradicts itself, to be settled before
// publishing, rather than refusing the guide. The other rules are about single values (code sets, ranges).
var Conflicts = map[string]bool{
	"err.item.instant_kind": true, "err.item.promised_over_legal": true, "err.item.steps_over_promised": true,
	"err.item.same_phones": true, "err.item.zero_visits": true, "err.item.depth4_visits": true,
	"err.item.free_payment": true, "err.item.offline_materials": true,
}

// CheckDraft is Check for an item that may still have gaps: what is present must be valid and consistent,
// what is missing is reported by Gaps instead. Name and department are always required. The online promise
// (checkOnlinePromise) is judged at publishing only: a draft promises nothing to anyone.
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
		if gaps[base] || gaps[e.Field] || (e.Field == "visit_reason" && it.Visits <= 0) || e.Key == "err.item.offline_materials" {
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
