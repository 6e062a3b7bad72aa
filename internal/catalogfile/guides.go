package catalogfile

import (
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"

	"bianmin/internal/catalog"
	"bianmin/internal/errs"
)

// Guide is one published township guide as gathered from government sites (shared/fixtures/
// service-guides-sample.json): incomplete and inconsistent, as real guides are.
type Guide struct {
	Name                 string          `json:"name"`
	ItemType             *string         `json:"item_type"`
	Codes                json.RawMessage `json:"codes"`
	ImplementingBody     *string         `json:"implementing_body"`
	Level                *string         `json:"level"`
	LegalBasis           []string        `json:"legal_basis"`
	LegalTimeLimit       *string         `json:"legal_time_limit"`
	PromisedTimeLimit    *string         `json:"promised_time_limit"`
	IsInstant            *bool           `json:"is_instant"`
	AcceptanceConditions *string         `json:"acceptance_conditions"`
	Materials            []struct {
		Name     string  `json:"name"`
		Form     *string `json:"form"`
		Copies   *string `json:"copies"`
		Required *string `json:"required"`
		Source   *string `json:"source"`
		Notes    *string `json:"notes"`
	} `json:"materials"`
	ProcessSteps    []string `json:"process_steps"`
	Fees            *string  `json:"fees"`
	Location        *string  `json:"location"`
	OfficeHours     *string  `json:"office_hours"`
	ConsultPhone    *string  `json:"consult_phone"`
	ComplaintPhone  *string  `json:"complaint_phone"`
	VisitsRequired  *string  `json:"visits_required"`
	Online          *string  `json:"online"`
	Scope           *string  `json:"scope"`
	ResultName      *string  `json:"result_name"`
	ResultType      *string  `json:"result_type"`
	Delivery        *string  `json:"delivery"`
	HandlingType    *string  `json:"handling_type_as_shown"`
	HandlingForm    *string  `json:"handling_form"`
	SubjectCategory *string  `json:"subject_category"`
	ServiceObject   *string  `json:"service_object"`
	SourceURL       string   `json:"source_url"`
	SourceRegion    string   `json:"source_region"`
	SourceTitle     string   `json:"source_title"`
	PublishDate     string   `json:"publish_date"`
	LegalLimitNote  *string  `json:"legal_time_limit_note"`
	BenefitStandard *string  `json:"benefit_standard"`
	Notes           *string  `json:"notes"`
}

var (
	daysRE  = regexp.MustCompile(`^(\d+)\s*个?\s*(工作日|自然日|天|日)$`)
	levelRE = regexp.MustCompile(`^(乡镇|镇|乡|苏木|街道)级?(发布)?$`)
)

func s(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

// parseLimit understands "24工作日", "1个工作日" and "即时办结"; anything else is not a limit it can trust.
func parseLimit(v string) (catalog.Limit, bool) {
	switch v {
	case "即时办结", "即办", "当场办结":
		return catalog.Limit{Unit: catalog.Instant}, true
	}
	if m := daysRE.FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[1])
		u := catalog.WorkingDays
		if m[2] != "工作日" {
			u = catalog.NaturalDays
		}
		return catalog.Limit{Value: n, Unit: u}, true
	}
	return catalog.Limit{}, false
}

// ReadGuides maps published guides onto items. The mapping, field by field:
//
//	name → name_zh; implementing_body → implementer; legal_basis → legal_basis;
//	item_type → type_code when it is a GB/T 39046 type name (行政给付 → 05, 公共服务 → 20 ...);
//	level → level 5 when it names the township level (乡镇级, 镇级 ...);
//	legal/promised_time_limit → limits when they read "N工作日", "N个工作日" or "即时办结";
//	is_instant or handling_type_as_shown (即办件/承诺件) → case_kind; acceptance_conditions → conditions;
//	materials → materials (name; 必要/非必要/容缺后补 → necessity; source; notes);
//	process_steps → steps (names only: no guide gives step limits); fees 不收费/免费/否 → free;
//	location → place; office_hours → hours; consult/complaint_phone → phones; visits_required → visits;
//	handling_form (窗口办理、网上办理) → handling_forms; result_name/result_type → result;
//	subject_category → topics; source_* and publish_date → source.
//
// Everything else, and every value the mapping cannot read, is kept as text in source.unmapped. Nothing is
// guessed: what a guide lacks is left empty and listed by catalog.Gaps. The department, which guides do not
// state in a form Bianmin can match, is the importer's choice.
func ReadGuides(r io.Reader, department string) ([]catalog.Item, error) {
	var guides []Guide
	if err := json.NewDecoder(r).Decode(&guides); err != nil {
		return nil, errs.Field("file", "err.import.json").With("detail", err.Error())
	}
	out := make([]catalog.Item, 0, len(guides))
	for _, g := range guides {
		out = append(out, MapGuide(g, department))
	}
	return out, nil
}

// MapGuide maps one guide; see ReadGuides.
func MapGuide(g Guide, department string) catalog.Item {
	it := catalog.Item{NameZh: strings.TrimSpace(g.Name), Department: department, Implementer: s(g.ImplementingBody),
		LegalBasis: g.LegalBasis, Conditions: s(g.AcceptanceConditions), Place: s(g.Location), Hours: s(g.OfficeHours),
		ConsultPhone: s(g.ConsultPhone), ComplaintPhone: s(g.ComplaintPhone), ResultName: s(g.ResultName), ResultType: s(g.ResultType),
		Visits: -1,
		Source: &catalog.Source{URL: g.SourceURL, Region: g.SourceRegion, Title: g.SourceTitle, Published: g.PublishDate, Unmapped: map[string]string{}}}
	keep := func(field, v string) {
		if v != "" {
			it.Source.Unmapped[field] = v
		}
	}
	if t := s(g.ItemType); t != "" {
		for code, name := range catalog.ItemTypes {
			if name == t {
				it.TypeCode = code
			}
		}
		if it.TypeCode == "" {
			keep("item_type", t)
		}
	}
	if lv := s(g.Level); lv != "" {
		if levelRE.MatchString(lv) {
			it.Level = 5
		} else {
			keep("level", lv)
		}
	}
	if lim, ok := parseLimit(s(g.LegalTimeLimit)); ok {
		it.LegalLimit = lim
	} else {
		keep("legal_time_limit", s(g.LegalTimeLimit))
	}
	if lim, ok := parseLimit(s(g.PromisedTimeLimit)); ok {
		it.PromisedLimit = lim
	} else {
		keep("promised_time_limit", s(g.PromisedTimeLimit))
	}
	switch {
	case g.IsInstant != nil && *g.IsInstant, s(g.HandlingType) == "即办件":
		it.CaseKind = catalog.InstantCase
	case g.IsInstant != nil && !*g.IsInstant, s(g.HandlingType) == "承诺件":
		it.CaseKind = catalog.PromisedCase
	}
	for _, m := range g.Materials {
		mat := catalog.Material{Name: strings.TrimSpace(m.Name), Source: s(m.Source), Notes: s(m.Notes)}
		switch s(m.Required) {
		case "必要", "是":
			mat.Necessity = catalog.Required
		case "非必要", "否":
			mat.Necessity = catalog.Optional
		case "容缺后补":
			mat.Necessity = catalog.Deferrable
		}
		if f := s(m.Form); f != "" {
			mat.Notes = strings.TrimSpace(mat.Notes + " 材料形式：" + f)
		}
		if c := s(m.Copies); c != "" {
			mat.Notes = strings.TrimSpace(mat.Notes + " 份数：" + c)
		}
		it.Materials = append(it.Materials, mat)
	}
	for _, st := range g.ProcessSteps {
		it.Steps = append(it.Steps, catalog.Step{Name: strings.TrimSpace(st)})
	}
	switch f := s(g.Fees); f {
	case "不收费", "免费", "否":
		it.Free = true
	default:
		keep("fees", f)
	}
	if v := s(g.VisitsRequired); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			it.Visits = n
		} else {
			keep("visits_required", v)
		}
	}
	if hf := s(g.HandlingForm); hf != "" {
		if strings.Contains(hf, "窗口") {
			it.HandlingForms = append(it.HandlingForms, catalog.AtWindow)
		}
		if strings.Contains(hf, "网上") {
			it.HandlingForms = append(it.HandlingForms, catalog.OnlinePC)
		}
	}
	if t := s(g.SubjectCategory); t != "" {
		it.Topics = []string{t}
	}
	keep("codes", strings.Trim(string(g.Codes), `"`))
	if string(g.Codes) == "null" {
		delete(it.Source.Unmapped, "codes")
	}
	for k, v := range map[string]string{"online": s(g.Online), "scope": s(g.Scope), "delivery": s(g.Delivery), "service_object": s(g.ServiceObject),
		"legal_time_limit_note": s(g.LegalLimitNote), "benefit_standard": s(g.BenefitStandard), "notes": s(g.Notes), "handling_form": s(g.HandlingForm)} {
		keep(k, v)
	}
	if len(it.Source.Unmapped) == 0 {
		it.Source.Unmapped = nil
	}
	return it
}
