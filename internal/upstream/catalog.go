package upstream

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"bianmin/internal/catalog"
	"bianmin/internal/people"
)

// The catalog comes down: the upper platform's 实施清单 in the fields of the national exchange tables
// (up_task_general_basic, up_task_general_extend, up_task_general_material; FACTS.md §1.4), one row of
// basic information per item, its extension and its materials joined by task_code. Bianmin keeps the three
// codes as the platform gives them (FACTS.md §1.8: opaque strings synced from the 内蒙古 platform) and checks
// only their layout.

// TaskFile is a file of the upper platform's 实施清单 (JSON).
type TaskFile struct {
	Basic    []TaskBasic    `json:"up_task_general_basic"`
	Extend   []TaskExtend   `json:"up_task_general_extend"`
	Material []TaskMaterial `json:"up_task_general_material"`
}

// TaskBasic is a row of up_task_general_basic (the fields Bianmin maps; others are kept in Source.Unmapped).
type TaskBasic struct {
	TaskCode        string `json:"task_code"`
	CatalogCode     string `json:"catalog_code"`
	TaskHandleItem  string `json:"task_handle_item"`
	TaskName        string `json:"task_name"`
	TaskType        string `json:"task_type"`    // A.1
	UseLevel        string `json:"use_level"`    // A.2
	DeptName        string `json:"dept_name"`    // 实施主体
	DeptCode        string `json:"dept_code"`    // 实施主体编码 (统一社会信用代码)
	DeptType        string `json:"dept_type"`    // A.3
	ProjectType     string `json:"project_type"` // A.6
	ByLaw           string `json:"by_law"`
	AcceptCondition string `json:"accept_condition"`
	AnticipateDay   string `json:"anticipate_day"`
	AnticipateType  string `json:"anticipate_type"` // 1 工作日, 2 自然日
	PromiseDay      string `json:"promise_day"`
	PromiseType     string `json:"promise_type"`
	IsFee           string `json:"is_fee"` // 1 是, 0 否
	FeeBasis        string `json:"fee_basis"`
	TransactAddr    string `json:"transact_addr"`
	TransactTime    string `json:"transact_time"`
	LinkWay         string `json:"link_way"`
	SuperviseWay    string `json:"supervise_way"`
	LimitSceneNum   string `json:"limit_scene_num"`
	LinkAddr        string `json:"link_addr"`
	TaskVersion     string `json:"task_version"`
	TaskState       string `json:"task_state"`
}

// TaskExtend is a row of up_task_general_extend.
type TaskExtend struct {
	TaskCode          string `json:"task_code"`
	HandleArea        string `json:"handle_area"` // 通办范围
	OnlineHandleDepth string `json:"online_handle_depth"`
	ResultName        string `json:"result_name"`
	ResultType        string `json:"result_type"`
	IsSchedule        string `json:"is_schedule"`
	LimitSceneExplain string `json:"limit_scene_explain"`
}

// TaskMaterial is a row of up_task_general_material.
type TaskMaterial struct {
	TaskCode       string `json:"task_code"`
	MaterialName   string `json:"material_name"`
	MaterialFormat string `json:"material_format"` // 纸质, 电子化, 纸质+电子化
	IsNeed         string `json:"is_need"`         // 必要, 非必要, 容缺后补
	SourceType     string `json:"source_type"`
	PageNum        string `json:"page_num"`
	FillExplain    string `json:"fill_explain"`
	AcceptStand    string `json:"accept_stand"`
	OrderNum       string `json:"order_num"`
}

// CodeProblem is something wrong with an item's codes.
type CodeProblem struct {
	Field, Problem string
	Warning        bool // the layout is recalled, not verified (FACTS.md §1.8): say so, do not refuse
}

// CheckCodes checks the codes' layout (FACTS.md §1.8): 实施编码 present and at most 36 characters, 基本编码
// at most 12, 业务办理项编码 at most 50 (the exchange schema's storage sizes; GB/T 39046's 10 and 24 are not
// enforced, as the 2018 and 2020 texts disagree); letters and digits only. A 实施编码 that begins with 18
// characters of a 统一社会信用代码 whose check character fails, or that does not hold its 基本编码, is a warning:
// that layout is recalled, not verified.
func CheckCodes(b TaskBasic) []CodeProblem {
	var out []CodeProblem
	for _, c := range []struct {
		field, v string
		max      int
		required bool
	}{{"task_code", b.TaskCode, 36, true}, {"catalog_code", b.CatalogCode, 12, false}, {"task_handle_item", b.TaskHandleItem, 50, false}} {
		switch {
		case c.v == "" && c.required:
			out = append(out, CodeProblem{Field: c.field, Problem: "required"})
		case utf8.RuneCountInString(c.v) > c.max:
			out = append(out, CodeProblem{Field: c.field, Problem: "longer than " + strconv.Itoa(c.max)})
		case strings.IndexFunc(c.v, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') }) >= 0:
			out = append(out, CodeProblem{Field: c.field, Problem: "letters and digits only"})
		}
	}
	if len(out) > 0 {
		return out
	}
	if len(b.TaskCode) >= 18 && people.CheckCreditCode("task_code", b.TaskCode[:18]) != nil {
		out = append(out, CodeProblem{Field: "task_code", Problem: "does not begin with a 统一社会信用代码", Warning: true})
	}
	if b.CatalogCode != "" && !strings.Contains(b.TaskCode, b.CatalogCode) {
		out = append(out, CodeProblem{Field: "task_code", Problem: "does not hold the 基本编码", Warning: true})
	}
	return out
}

// Blocking reports whether any problem is more than a warning.
func Blocking(ps []CodeProblem) bool {
	return slices.ContainsFunc(ps, func(p CodeProblem) bool { return !p.Warning })
}

// Tasks joins a file's rows by task_code, in the order of its basic rows.
func (f TaskFile) Tasks() []Task {
	ext := map[string]TaskExtend{}
	for _, e := range f.Extend {
		ext[e.TaskCode] = e
	}
	mats := map[string][]TaskMaterial{}
	for _, m := range f.Material {
		mats[m.TaskCode] = append(mats[m.TaskCode], m)
	}
	out := make([]Task, 0, len(f.Basic))
	for _, b := range f.Basic {
		ms := mats[b.TaskCode]
		slices.SortStableFunc(ms, func(a, b TaskMaterial) int { return atoi(a.OrderNum) - atoi(b.OrderNum) })
		out = append(out, Task{Basic: b, Extend: ext[b.TaskCode], Materials: ms})
	}
	return out
}

// Task is one item of the file with its extension and materials.
type Task struct {
	Basic     TaskBasic
	Extend    TaskExtend
	Materials []TaskMaterial
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func limitOf(day, typ string) catalog.Limit {
	day = strings.TrimSpace(day)
	if day == "即办" || (day == "0" && typ != "") {
		return catalog.Limit{Unit: catalog.Instant}
	}
	n, err := strconv.Atoi(day)
	if err != nil || day == "" {
		return catalog.Limit{Note: day}
	}
	u := catalog.WorkingDays
	if typ == "2" || typ == "自然日" {
		u = catalog.NaturalDays
	}
	return catalog.Limit{Value: n, Unit: u}
}

func withNote(l catalog.Limit, note string) catalog.Limit {
	if l.Note == "" {
		l.Note = note
	}
	return l
}

// Overlay writes what the upper platform keeps of an item onto it (a local item, or a new empty one):
// codes, name, type, level, implementer, legal basis, limits, conditions, fees, place, hours, phones,
// visits, result, and the materials (by name: a local material keeps what the platform does not say of
// it). What is Bianmin's own (Mongolian names, steps, the application form, topics, village handling) stays.
func Overlay(it catalog.Item, t Task) catalog.Item {
	b, e := t.Basic, t.Extend
	it.ImplCode, it.BaseCode, it.HandlingCode = b.TaskCode, b.CatalogCode, b.TaskHandleItem
	if b.TaskName != "" {
		it.NameZh = b.TaskName
	}
	if b.TaskType != "" {
		it.TypeCode = b.TaskType
		if len(it.TypeCode) == 1 {
			it.TypeCode = "0" + it.TypeCode
		}
	}
	if n := atoi(b.UseLevel); n > 0 {
		it.Level = n
	}
	if b.DeptName != "" {
		it.Implementer = b.DeptName
	}
	if b.DeptCode != "" {
		it.ImplementerCode = b.DeptCode
	}
	if n := atoi(b.DeptType); n > 0 {
		it.ImplementerNature = n
	}
	if n := atoi(b.ProjectType); n > 0 {
		it.CaseKind = n
	}
	if b.ByLaw != "" {
		it.LegalBasis = strings.FieldsFunc(b.ByLaw, func(r rune) bool { return r == '\n' || r == '；' })
	}
	// a limit the platform gives replaces the local one; the local note (公示期不计入 ...) stays unless the
	// platform has its own
	if b.AnticipateDay != "" {
		it.LegalLimit = withNote(limitOf(b.AnticipateDay, b.AnticipateType), it.LegalLimit.Note)
	}
	if b.PromiseDay != "" {
		it.PromisedLimit = withNote(limitOf(b.PromiseDay, b.PromiseType), it.PromisedLimit.Note)
	}
	if b.AcceptCondition != "" {
		it.Conditions = b.AcceptCondition
	}
	switch b.IsFee {
	case "0":
		it.Free, it.Fees = true, nil
	case "1":
		it.Free = false
		if b.FeeBasis != "" && len(it.Fees) == 0 {
			it.Fees = []catalog.Fee{{Name: it.NameZh, Basis: b.FeeBasis}}
		}
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&it.Place, b.TransactAddr)
	set(&it.Hours, b.TransactTime)
	set(&it.ConsultPhone, b.LinkWay)
	set(&it.ComplaintPhone, b.SuperviseWay)
	set(&it.OnlineURL, b.LinkAddr)
	set(&it.VisitReason, e.LimitSceneExplain)
	set(&it.ResultName, e.ResultName)
	set(&it.ResultType, e.ResultType)
	set(&it.Scope, e.HandleArea)
	if b.LimitSceneNum != "" {
		it.Visits = atoi(b.LimitSceneNum)
	}
	if n := atoi(e.OnlineHandleDepth); n > 0 && n <= 4 {
		it.OnlineDepth = n
	}
	if e.IsSchedule != "" {
		it.Appointment = e.IsSchedule == "1"
	}
	if len(t.Materials) > 0 {
		local := map[string]catalog.Material{}
		for _, m := range it.Materials {
			local[m.Name] = m
		}
		var ms []catalog.Material
		for _, tm := range t.Materials {
			m, ok := local[tm.MaterialName]
			if !ok {
				m = catalog.Material{Name: tm.MaterialName, Originals: catalog.UnknownCount, Copies: catalog.UnknownCount}
			}
			switch tm.IsNeed {
			case "必要", "1":
				m.Necessity = catalog.Required
			case "非必要", "0":
				m.Necessity = catalog.Optional
			case "容缺后补":
				m.Necessity = catalog.Deferrable
			}
			if m.Necessity == "" {
				m.Necessity = catalog.Required
			}
			switch tm.MaterialFormat {
			case "纸质":
				m.Form = "paper"
			case "电子化", "电子":
				m.Form = "electronic"
			case "纸质+电子化", "纸质和电子化":
				m.Form = "both"
			}
			if n, err := strconv.Atoi(tm.PageNum); err == nil {
				m.Originals = n
			}
			set(&m.Source, tm.SourceType)
			set(&m.Notes, tm.FillExplain)
			set(&m.Standard, tm.AcceptStand)
			ms = append(ms, m)
		}
		it.Materials = ms
	}
	return it
}
