package catalogfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"bianmin/internal/catalog"
	"bianmin/internal/errs"
)

// text is a scalar field of a guide: a string, or a number or a boolean written without quotes (gathered
// guides are not consistent about it). Anything else (an object, a list) is malformed.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*t = ""
	case string:
		*t = text(x)
	case float64, bool:
		*t = text(strings.TrimSpace(string(b)))
	default:
		return fmt.Errorf("a text, number or boolean, not %s", bytes.TrimSpace(b)[:1])
	}
	return nil
}

// texts is a list of texts, or a single text standing for a list of one.
type texts []string

func (t *texts) UnmarshalJSON(b []byte) error {
	var one text
	if err := json.Unmarshal(b, &one); err == nil {
		*t = nil
		if s := strings.TrimSpace(string(one)); s != "" {
			*t = texts{s}
		}
		return nil
	}
	var list []text
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("a list of texts")
	}
	*t = nil
	for _, s := range list {
		if s := strings.TrimSpace(string(s)); s != "" {
			*t = append(*t, s)
		}
	}
	return nil
}

// GuideMaterial is one material of a published guide.
type GuideMaterial struct {
	Name     text `json:"name"`
	Form     text `json:"form"`
	Copies   text `json:"copies"`
	Required text `json:"required"`
	Source   text `json:"source"`
	Notes    text `json:"notes"`
}

// Guide is one published township guide as gathered from government sites (shared/fixtures/
// service-guides-sample.json): incomplete and inconsistent, as real guides are.
type Guide struct {
	Name                 text            `json:"name"`
	NameMn               text            `json:"name_mn"` // the item's name in Mongolian, where a bilingual region's guide gives it
	ItemType             text            `json:"item_type"`
	Codes                json.RawMessage `json:"codes"`
	ImplementingBody     text            `json:"implementing_body"`
	Level                text            `json:"level"`
	LegalBasis           texts           `json:"legal_basis"`
	LegalTimeLimit       text            `json:"legal_time_limit"`
	PromisedTimeLimit    text            `json:"promised_time_limit"`
	IsInstant            text            `json:"is_instant"`
	AcceptanceConditions text            `json:"acceptance_conditions"`
	Materials            []GuideMaterial `json:"materials"`
	ProcessSteps         texts           `json:"process_steps"`
	Fees                 text            `json:"fees"`
	Location             text            `json:"location"`
	OfficeHours          text            `json:"office_hours"`
	ConsultPhone         text            `json:"consult_phone"`
	ComplaintPhone       text            `json:"complaint_phone"`
	VisitsRequired       text            `json:"visits_required"`
	Online               text            `json:"online"`
	Scope                text            `json:"scope"`
	ResultName           text            `json:"result_name"`
	ResultType           text            `json:"result_type"`
	Delivery             text            `json:"delivery"`
	HandlingType         text            `json:"handling_type_as_shown"`
	HandlingForm         text            `json:"handling_form"`
	SubjectCategory      text            `json:"subject_category"`
	ServiceObject        text            `json:"service_object"`
	SourceURL            text            `json:"source_url"`
	SourceRegion         text            `json:"source_region"`
	SourceTitle          text            `json:"source_title"`
	PublishDate          text            `json:"publish_date"`
	LegalLimitNote       text            `json:"legal_time_limit_note"`
	ExtensionUnit        text            `json:"extension_unit"` // 延长期限计算单位, where a guide states it
	BenefitStandard      text            `json:"benefit_standard"`
	Notes                text            `json:"notes"`

	// Other holds the fields this format does not know, as their source text: they are kept on the item
	// (source.unmapped), never dropped.
	Other map[string]string `json:"-"`
}

// knownFields are the JSON names of Guide's fields.
var knownFields = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeOf(Guide{})
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag != "" && tag != "-" {
			m[tag] = true
		}
	}
	return m
}()

func (t text) s() string { return strings.TrimSpace(string(t)) }

// ReadGuides maps published guides onto items. The mapping, field by field:
//
//	name → name_zh; name_mn → name_mn (a bilingual region's guide; elsewhere translators add it, and until then
//	  it is the one gap between a complete guide and publishing); implementing_body → implementer;
//	legal_basis → legal_basis;
//	item_type → type_code when it is a GB/T 39046 type name (行政给付 → 05, 公共服务 → 20 ...);
//	level → level 5 when it names the township level (乡镇级, 苏木乡镇级, 乡级, 镇(街) ...);
//	legal/promised_time_limit → limits (readLimit: "N个工作日", "20个工作日。", "…内办结", "即时办结"; "N天/N日"
//	  kept as stated and flagged for review);
//	extension_unit → extension_unit when it says 工作日 or 自然日 (readExtensionUnit; few guides state it, and
//	  unstated it stays empty: working days, the law's unit, catalog.Item.ExtensionIn);
//	is_instant or handling_type_as_shown (即办件/承诺件) → case_kind; acceptance_conditions → conditions;
//	materials → materials (name; 必要/非必要/容缺后补 → necessity; 纸质/电子 → form; counts read by readCounts,
//	  unknown where not stated; source; notes, with the form and count text as the guide gave them);
//	process_steps → steps (names only: no guide gives step limits); fees → free when it says none (readFree);
//	location → place; office_hours → hours; consult/complaint_phone → phones (full-width digits folded to ASCII,
//	  catalog.Item.FoldPhones); visits_required → visits and a
//	  stated reason (readVisits); handling_form (窗口、网上、掌上、邮寄) → handling_forms; scope → scope when it is
//	  one of GB/T 39046's values; result_name/result_type → result; subject_category → topics; source_* and
//	  publish_date → source.
//
// Everything else, every field the format does not know, and every value the mapping cannot read, is kept
// as text in source.unmapped. Nothing is guessed: what a guide lacks is left empty and listed by
// catalog.GapsOf. The department, which guides do not state in a form Bianmin can match, is the importer's
// choice. Only malformed data refuses the file (not JSON, not a list of guides, a field of the wrong type);
// a guide that lacks elements is a draft with gaps.
func ReadGuides(r io.Reader, department string) ([]catalog.Item, error) {
	var raw []json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, errs.Field("file", "err.import.json").With("detail", err.Error())
	}
	var l errs.List
	out := make([]catalog.Item, 0, len(raw))
	for i, b := range raw {
		g, err := decodeGuide(b)
		if err != nil {
			l.Add(errs.Field(fmt.Sprintf("guides[%d]", i), "err.import.json").With("detail", err.Error()))
			continue
		}
		out = append(out, MapGuide(g, department))
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeGuide(b []byte) (Guide, error) {
	var g Guide
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return g, fmt.Errorf("a guide is an object of fields")
	}
	if err := json.Unmarshal(b, &g); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeError(err, &te); ok {
			return g, fmt.Errorf("%s: %s", te.Field, te.Value)
		}
		return g, err
	}
	for k, v := range fields {
		if knownFields[k] {
			continue
		}
		if s := rawText(v); s != "" {
			if g.Other == nil {
				g.Other = map[string]string{}
			}
			g.Other[k] = s
		}
	}
	return g, nil
}

func asTypeError(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

// rawText is a JSON value as text: a string unquoted, anything else compact JSON; null is empty.
func rawText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return strings.TrimSpace(s)
	}
	var c bytes.Buffer
	if json.Compact(&c, v) != nil || c.String() == "null" {
		return ""
	}
	return c.String()
}

// MapGuide maps one guide; see ReadGuides.
func MapGuide(g Guide, department string) catalog.Item {
	it := catalog.Item{NameZh: g.Name.s(), NameMn: g.NameMn.s(), Department: department, Implementer: g.ImplementingBody.s(),
		LegalBasis: g.LegalBasis, Conditions: g.AcceptanceConditions.s(), Place: g.Location.s(), Hours: g.OfficeHours.s(),
		ConsultPhone: g.ConsultPhone.s(), ComplaintPhone: g.ComplaintPhone.s(), ResultName: g.ResultName.s(), ResultType: g.ResultType.s(),
		Visits: -1,
		Source: &catalog.Source{URL: g.SourceURL.s(), Region: g.SourceRegion.s(), Title: g.SourceTitle.s(), Published: g.PublishDate.s(), Unmapped: map[string]string{}}}
	keep := func(field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			it.Source.Unmapped[field] = v
		}
	}
	if code, ok := readType(g.ItemType.s()); ok {
		it.TypeCode = code
	} else {
		keep("item_type", g.ItemType.s())
	}
	if lv, ok := readLevel(g.Level.s()); ok {
		it.Level = lv
	} else {
		keep("level", g.Level.s())
	}
	if lim, ok := readLimit(g.LegalTimeLimit.s()); ok {
		it.LegalLimit = lim
	} else {
		keep("legal_time_limit", g.LegalTimeLimit.s())
	}
	if lim, ok := readLimit(g.PromisedTimeLimit.s()); ok {
		it.PromisedLimit = lim
	} else {
		keep("promised_time_limit", g.PromisedTimeLimit.s())
	}
	if u, ok := readExtensionUnit(g.ExtensionUnit.s()); ok {
		it.ExtensionUnit = u
	} else {
		keep("extension_unit", g.ExtensionUnit.s())
	}
	// 即办件 or 承诺件, from either field; when they say different things, neither is taken.
	k1, ok1 := readCaseKind(g.IsInstant.s())
	k2, ok2 := readCaseKind(g.HandlingType.s())
	switch {
	case ok1 && ok2 && k1 != k2:
	case ok1:
		it.CaseKind = k1
	case ok2:
		it.CaseKind = k2
	}
	if !ok1 || it.CaseKind != k1 {
		keep("is_instant", g.IsInstant.s())
	}
	if !ok2 || it.CaseKind != k2 {
		keep("handling_type_as_shown", g.HandlingType.s())
	}
	for i, m := range g.Materials {
		name := m.Name.s()
		if name == "" {
			if m == (GuideMaterial{}) {
				continue
			}
			b, _ := json.Marshal(m)
			keep(fmt.Sprintf("materials[%d]", i), string(b))
			continue
		}
		mat := catalog.Material{Name: name, Source: m.Source.s(), Notes: m.Notes.s()}
		if short, cut := clip(name, 200); cut { // a material described at length: the name is its start, the notes its whole text
			mat.Name, mat.Notes = short, strings.TrimSpace("材料名称全文："+name+" "+mat.Notes)
		}
		if n, ok := readNecessity(m.Required.s()); ok {
			mat.Necessity = n
		} else if m.Required.s() != "" {
			mat.Notes = strings.TrimSpace(mat.Notes + " 必要性：" + m.Required.s())
		}
		mat.Form = readForm(m.Form.s())
		mat.Originals, mat.Copies = readCounts(m.Form.s(), m.Copies.s())
		if f := m.Form.s(); f != "" {
			mat.Notes = strings.TrimSpace(mat.Notes + " 材料形式：" + f)
		}
		if c := m.Copies.s(); c != "" {
			mat.Notes = strings.TrimSpace(mat.Notes + " 份数：" + c)
		}
		it.Materials = append(it.Materials, mat)
	}
	for i, st := range g.ProcessSteps {
		short, cut := clip(st, 500)
		if cut { // a step described at length: its start names it, its whole text is kept
			keep(fmt.Sprintf("process_steps[%d]", i), st)
		}
		it.Steps = append(it.Steps, catalog.Step{Name: short})
	}
	if readFree(g.Fees.s()) {
		it.Free = true
	} else {
		keep("fees", g.Fees.s())
	}
	if n, reason, ok := readVisits(g.VisitsRequired.s()); ok {
		it.Visits, it.VisitReason = n, reason
	} else {
		keep("visits_required", g.VisitsRequired.s())
	}
	if forms, ok := readHandlingForms(g.HandlingForm.s()); ok {
		it.HandlingForms = forms
	} else {
		keep("handling_form", g.HandlingForm.s())
	}
	if sc := g.Scope.s(); isScope(sc) {
		it.Scope = sc
	} else {
		keep("scope", sc)
	}
	if d, ok := readDelivery(g.Delivery.s()); ok {
		it.Delivery = d
	} else {
		keep("delivery", g.Delivery.s())
	}
	if t := g.SubjectCategory.s(); t != "" {
		it.Topics = []string{t}
	}
	keep("codes", rawText(g.Codes))
	for k, v := range map[string]string{"online": g.Online.s(), "service_object": g.ServiceObject.s(),
		"legal_time_limit_note": g.LegalLimitNote.s(), "benefit_standard": g.BenefitStandard.s(), "notes": g.Notes.s()} {
		keep(k, v)
	}
	others := make([]string, 0, len(g.Other))
	for k := range g.Other {
		others = append(others, k)
	}
	sort.Strings(others)
	for _, k := range others {
		keep(k, g.Other[k])
	}
	if len(it.Source.Unmapped) == 0 {
		it.Source.Unmapped = nil
	}
	return it
}

// clip shortens a text to at most max characters, ending it with "…" when it was cut.
func clip(s string, max int) (string, bool) {
	r := []rune(s)
	if len(r) <= max {
		return s, false
	}
	return string(r[:max-1]) + "…", true
}
