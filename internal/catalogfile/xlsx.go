package catalogfile

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/catalog"
	"bianmin/internal/errs"
)

// The Excel template has three sheets. 事项 has a row per item; 申请材料 and 办理流程 a row per material and
// per step, tied to their item by 事项序号. Column headers are the element names of GB/T 39046-2020 表4.
// Two more keep where an imported item came from, so that an export of imported drafts loses nothing:
// 来源 (a row per item with a source: address, region, title, date) and 来源原文 (a row per source field no
// element holds, with its text). Files without them are read as before.
const (
	SheetItems     = "事项"
	SheetMaterials = "申请材料"
	SheetSteps     = "办理流程"
	SheetSources   = "来源"
	SheetUnmapped  = "来源原文"
)

type column struct {
	header string
	field  string // the catalog.Item field it fills, as Check names it
	get    func(*catalog.Item) string
	set    func(*catalog.Item, string) error
}

func str(p func(*catalog.Item) *string) (func(*catalog.Item) string, func(*catalog.Item, string) error) {
	return func(it *catalog.Item) string { return *p(it) },
		func(it *catalog.Item, v string) error { *p(it) = v; return nil }
}

func num(p func(*catalog.Item) *int, blank int) (func(*catalog.Item) string, func(*catalog.Item, string) error) {
	return func(it *catalog.Item) string {
			if *p(it) == blank {
				return ""
			}
			return strconv.Itoa(*p(it))
		}, func(it *catalog.Item, v string) error {
			if v == "" {
				*p(it) = blank
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return errs.New(errs.Invalid, "err.import.number")
			}
			*p(it) = n
			return nil
		}
}

func list(p func(*catalog.Item) *[]string) (func(*catalog.Item) string, func(*catalog.Item, string) error) {
	return func(it *catalog.Item) string { return strings.Join(*p(it), "；") },
		func(it *catalog.Item, v string) error { *p(it) = splitList(v); return nil }
}

func yes(p func(*catalog.Item) *bool) (func(*catalog.Item) string, func(*catalog.Item, string) error) {
	return func(it *catalog.Item) string { return yesNo(*p(it)) },
		func(it *catalog.Item, v string) error { *p(it) = v == "是"; return nil }
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == '；' || r == ';' || r == '\n' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var units = map[catalog.Unit]string{catalog.WorkingDays: "工作日", catalog.NaturalDays: "自然日", catalog.Instant: "即办", catalog.StatedDays: "天"}

func unitName(u catalog.Unit) string { return units[u] }

func unitOf(s string) catalog.Unit {
	if s == "日" {
		return catalog.StatedDays
	}
	for u, n := range units {
		if n == s {
			return u
		}
	}
	return catalog.Unit(s) // unknown text stays, and the check names it
}

var deliveries = map[string]string{"window": "窗口", "post": "邮寄", "electronic": "电子送达"}
var villages = map[string]string{catalog.VillageProxy: "代办", catalog.VillageHandle: "办理"}
var necessities = map[string]string{catalog.Required: "必要", catalog.Deferrable: "容缺后补", catalog.Optional: "非必要"}
var forms = map[string]string{"paper": "纸质", "electronic": "电子", "both": "纸质和电子"}

func name(m map[string]string, k string) string { return m[k] }

func key(m map[string]string, v string) string {
	for k, n := range m {
		if n == v {
			return k
		}
	}
	return v
}

func limitCols(prefix, field string, p func(*catalog.Item) *catalog.Limit) []column {
	return []column{
		{prefix + "办结时限", field, func(it *catalog.Item) string {
			if p(it).Unit == catalog.Instant || p(it).Unit == "" {
				return ""
			}
			return strconv.Itoa(p(it).Value)
		}, func(it *catalog.Item, v string) error {
			if v == "" {
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return errs.New(errs.Invalid, "err.import.number")
			}
			p(it).Value = n
			return nil
		}},
		{prefix + "办结时限单位", field, func(it *catalog.Item) string { return unitName(p(it).Unit) },
			func(it *catalog.Item, v string) error {
				if v != "" {
					p(it).Unit = unitOf(v)
				}
				return nil
			}},
		{prefix + "办结时限说明", field, func(it *catalog.Item) string { return p(it).Note },
			func(it *catalog.Item, v string) error { p(it).Note = v; return nil }},
	}
}

func itemColumns() []column {
	var c []column
	add := func(header, field string, g func(*catalog.Item) string, s func(*catalog.Item, string) error) {
		c = append(c, column{header, field, g, s})
	}
	g, s := str(func(it *catalog.Item) *string { return &it.NameZh })
	add("事项名称", "name_zh", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.NameMn })
	add("事项名称（蒙古文）", "name_mn", g, s)
	g, s = list(func(it *catalog.Item) *[]string { return &it.Aliases })
	add("别名", "aliases", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.BaseCode })
	add("基本编码", "base_code", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ImplCode })
	add("实施编码", "impl_code", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.HandlingCode })
	add("业务办理项编码", "handling_code", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.TypeCode })
	add("事项类型代码", "type_code", g, s)
	g, s = num(func(it *catalog.Item) *int { return &it.Level }, 0)
	add("行使层级代码", "level", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.Department })
	add("主管部门", "department", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.Implementer })
	add("实施主体", "implementer", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ImplementerCode })
	add("实施主体编码", "implementer_code", g, s)
	g, s = num(func(it *catalog.Item) *int { return &it.ImplementerNature }, 0)
	add("实施主体性质代码", "implementer_nature", g, s)
	g, s = list(func(it *catalog.Item) *[]string { return &it.LegalBasis })
	add("设定依据", "legal_basis", g, s)
	c = append(c, limitCols("法定", "legal_limit", func(it *catalog.Item) *catalog.Limit { return &it.LegalLimit })...)
	c = append(c, limitCols("承诺", "promised_limit", func(it *catalog.Item) *catalog.Limit { return &it.PromisedLimit })...)
	g, s = num(func(it *catalog.Item) *int { return &it.CaseKind }, 0)
	add("办件类型代码", "case_kind", g, s)
	// 行政许可 extensions are working days by law (行政许可法 第82条); other items say their unit here, blank
	// meaning working days (catalog.Item.ExtensionIn).
	add("延长期限计算单位", "extension_unit", func(it *catalog.Item) string { return unitName(it.ExtensionUnit) },
		func(it *catalog.Item, v string) error {
			if v != "" {
				it.ExtensionUnit = unitOf(v)
			}
			return nil
		})
	g, s = str(func(it *catalog.Item) *string { return &it.Conditions })
	add("受理条件", "conditions", g, s)
	add("是否收费", "fees", func(it *catalog.Item) string { return yesNo(!it.Free) }, func(it *catalog.Item, v string) error { it.Free = v == "否"; return nil })
	add("收费项目", "fees", func(it *catalog.Item) string {
		var parts []string
		for _, f := range it.Fees {
			parts = append(parts, f.Name+"|"+f.Amount+"|"+f.Basis)
		}
		return strings.Join(parts, "；")
	}, func(it *catalog.Item, v string) error {
		for _, p := range splitList(v) {
			f := strings.SplitN(p, "|", 3)
			for len(f) < 3 {
				f = append(f, "")
			}
			it.Fees = append(it.Fees, catalog.Fee{Name: f[0], Amount: f[1], Basis: f[2]})
		}
		return nil
	})
	g, s = yes(func(it *catalog.Item) *bool { return &it.OnlinePayment })
	add("是否支持网上支付", "online_payment", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.Place })
	add("办理地点", "place", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.Hours })
	add("办理时间", "hours", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ConsultPhone })
	add("咨询电话", "consult_phone", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ComplaintPhone })
	add("监督电话", "complaint_phone", g, s)
	g, s = num(func(it *catalog.Item) *int { return &it.Visits }, -1)
	add("到办事现场次数", "visits", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.VisitReason })
	add("必须现场办理原因说明", "visit_reason", g, s)
	add("办理形式代码", "handling_forms", func(it *catalog.Item) string {
		var p []string
		for _, f := range it.HandlingForms {
			p = append(p, strconv.Itoa(f))
		}
		return strings.Join(p, "；")
	}, func(it *catalog.Item, v string) error {
		for _, p := range splitList(strings.ReplaceAll(v, ",", "；")) {
			n, err := strconv.Atoi(p)
			if err != nil {
				return errs.New(errs.Invalid, "err.import.number")
			}
			it.HandlingForms = append(it.HandlingForms, n)
		}
		return nil
	})
	g, s = num(func(it *catalog.Item) *int { return &it.OnlineDepth }, 0)
	add("网上办理深度", "online_depth", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.OnlineURL })
	add("网办地址", "online_url", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.Scope })
	add("通办范围", "scope", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ResultName })
	add("结果名称", "result_name", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ResultType })
	add("结果类型", "result_type", g, s)
	g, s = str(func(it *catalog.Item) *string { return &it.ResultSample })
	add("结果样本", "result_sample", g, s)
	add("送达方式", "delivery", func(it *catalog.Item) string {
		var p []string
		for _, d := range it.Delivery {
			p = append(p, name(deliveries, d))
		}
		return strings.Join(p, "；")
	}, func(it *catalog.Item, v string) error {
		for _, p := range splitList(v) {
			it.Delivery = append(it.Delivery, key(deliveries, p))
		}
		return nil
	})
	g, s = yes(func(it *catalog.Item) *bool { return &it.Appointment })
	add("是否支持预约办理", "appointment", g, s)
	add("嘎查村办理方式", "village", func(it *catalog.Item) string { return name(villages, it.Village) },
		func(it *catalog.Item, v string) error { it.Village = key(villages, v); return nil })
	g, s = yes(func(it *catalog.Item) *bool { return &it.PledgeAllowed })
	add("是否可告知承诺", "pledge_allowed", g, s)
	g, s = list(func(it *catalog.Item) *[]string { return &it.Topics })
	add("服务主题", "topics", g, s)
	g, s = list(func(it *catalog.Item) *[]string { return &it.Missing })
	add("缺失要素", "missing", g, s)
	g, s = yes(func(it *catalog.Item) *bool { return &it.MnReview })
	add("蒙古文待审校", "mn_review", g, s)
	return c
}

var materialHeaders = []string{"事项序号", "材料名称", "材料形式", "原件份数", "复印件份数", "材料必要性", "来源渠道", "空白表格", "示例样表", "填报须知", "受理标准", "可告知承诺"}
var materialFields = []string{"", "name", "form", "copies", "copies", "necessity", "source", "blank_form", "sample", "notes", "standard", "pledge"}
var sourceHeaders = []string{"事项序号", "来源地址", "来源地区", "来源标题", "发布日期"}
var unmappedHeaders = []string{"事项序号", "来源字段", "原文"}
var stepHeaders = []string{"事项序号", "环节名称", "办理角色", "行使层级代码", "环节时限", "环节时限单位", "特别程序", "联合办理"}

// stepJoint is a step's 并联审批 and 会签 in the template's last column, as JSON (catalog.StepParallel,
// catalog.StepCountersign); blank for the usual step.
type stepJoint struct {
	Parallel    *catalog.StepParallel    `json:"parallel,omitempty"`
	Countersign *catalog.StepCountersign `json:"countersign,omitempty"`
}

func jointCell(s catalog.Step) string {
	if s.Parallel == nil && s.Countersign == nil {
		return ""
	}
	b, _ := json.Marshal(stepJoint{s.Parallel, s.Countersign})
	return string(b)
}

var stepFields = []string{"", "name", "role", "level", "limit", "limit", "special"}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// WriteXLSX writes items into the template.
func WriteXLSX(w io.Writer, items []catalog.Item) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", SheetItems)
	f.NewSheet(SheetMaterials)
	f.NewSheet(SheetSteps)
	f.NewSheet(SheetSources)
	f.NewSheet(SheetUnmapped)
	f.NewSheet(SheetForm)
	cols := itemColumns()
	f.SetCellValue(SheetItems, cell(1, 1), "序号")
	for i, c := range cols {
		f.SetCellValue(SheetItems, cell(i+2, 1), c.header)
	}
	for i, h := range materialHeaders {
		f.SetCellValue(SheetMaterials, cell(i+1, 1), h)
	}
	for i, h := range stepHeaders {
		f.SetCellValue(SheetSteps, cell(i+1, 1), h)
	}
	for i, h := range sourceHeaders {
		f.SetCellValue(SheetSources, cell(i+1, 1), h)
	}
	for i, h := range unmappedHeaders {
		f.SetCellValue(SheetUnmapped, cell(i+1, 1), h)
	}
	for i, h := range formHeaders {
		f.SetCellValue(SheetForm, cell(i+1, 1), h)
	}
	mrow, srow, orow, urow, frow := 2, 2, 2, 2, 2
	put := func(sheet string, r *int, vals ...any) {
		for i, v := range vals {
			if s, ok := v.(string); ok {
				f.SetCellStr(sheet, cell(i+1, *r), s) // a date or a number written as text stays text
			} else {
				f.SetCellValue(sheet, cell(i+1, *r), v)
			}
		}
		*r++
	}
	for n, it := range items {
		it := it
		row := n + 2
		f.SetCellValue(SheetItems, cell(1, row), n+1)
		for i, c := range cols {
			if v := c.get(&it); v != "" {
				f.SetCellStr(SheetItems, cell(i+2, row), v)
			}
		}
		for _, m := range it.Materials {
			put(SheetMaterials, &mrow, n+1, m.Name, name(forms, m.Form), count(m.Originals), count(m.Copies), name(necessities, m.Necessity), m.Source, m.BlankForm, m.Sample, m.Notes, m.Standard, yesNo(m.Pledge))
		}
		for _, ff := range it.Form {
			put(SheetForm, &frow, append([]any{n + 1}, formRow(ff)...)...)
		}
		if src := it.Source; src != nil {
			put(SheetSources, &orow, n+1, src.URL, src.Region, src.Title, src.Published)
			keys := make([]string, 0, len(src.Unmapped))
			for k := range src.Unmapped {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				put(SheetUnmapped, &urow, n+1, k, src.Unmapped[k])
			}
		}
		for _, s := range it.Steps {
			lv := ""
			if s.Limit.Unit != catalog.Instant && s.Limit.Unit != "" {
				lv = strconv.Itoa(s.Limit.Value)
			}
			vals := []any{n + 1, s.Name, s.Role, s.Level, lv, unitName(s.Limit.Unit), s.Special, jointCell(s)}
			for i, v := range vals {
				f.SetCellValue(SheetSteps, cell(i+1, srow), v)
			}
			srow++
		}
	}
	return f.Write(w)
}

// count writes a material's count: blank when its source did not state it.
func count(n int) any {
	if n == catalog.UnknownCount {
		return ""
	}
	return n
}

// place remembers where each item, material and step came from, to name the cell of an error.
type place struct {
	itemRow   []int
	materials [][]int
	steps     [][]int
	form      [][]int
}

// ReadXLSX reads the template. Cell-level faults (a number that is not one, a row tied to no item) and the
// items' own validity are reported together, each as "sheet!cell column-name".
func ReadXLSX(r io.Reader) ([]catalog.Item, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, errs.Field("file", "err.import.format")
	}
	return ReadXLSXWith(body, DefaultLimits)
}

// ReadXLSXWith reads the template within the limits (limits.go).
func ReadXLSXWith(body []byte, lim Limits) ([]catalog.Item, error) {
	f, err := lim.open(body)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := lim.budget()
	var l errs.List
	rows, err := b.sheet(f, SheetItems)
	if le, ok := err.(limitError); ok {
		return nil, le.err
	}
	if err != nil || len(rows) == 0 {
		return nil, errs.Field("file", "err.import.sheet").With("sheet", SheetItems)
	}
	cols := itemColumns()
	index := map[string]int{}
	for i, h := range rows[0] {
		index[strings.TrimSpace(h)] = i
	}
	var items []catalog.Item
	var pl place
	byRef := map[string]int{}
	for r := 1; r < len(rows); r++ {
		row := rows[r]
		if len(strings.Join(row, "")) == 0 {
			continue
		}
		get := func(h string) string {
			if i, ok := index[h]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		it := catalog.Item{Visits: -1}
		for _, c := range cols {
			if err := c.set(&it, get(c.header)); err != nil {
				e := errs.All(err)[0]
				l.Add(errs.Field(fmt.Sprintf("%s!%s %s", SheetItems, cell(index[c.header]+1, r+1), c.header), e.Key))
			}
		}
		ref := get("序号")
		if ref == "" {
			ref = strconv.Itoa(len(items) + 1)
		}
		byRef[ref] = len(items)
		items = append(items, it)
		pl.itemRow = append(pl.itemRow, r+1)
		pl.materials = append(pl.materials, nil)
		pl.steps = append(pl.steps, nil)
		pl.form = append(pl.form, nil)
	}
	var over error // a limit passed: the read stops there
	readSub := func(sheet string, headers []string, fn func(i int, vals []string, row int) error) {
		if over != nil {
			return
		}
		rows, err := b.sheet(f, sheet)
		if le, ok := err.(limitError); ok {
			over = le.err
			return
		}
		if err != nil {
			if sheet != SheetSources && sheet != SheetUnmapped && sheet != SheetForm { // provenance and forms are optional
				l.Add(errs.Field("file", "err.import.sheet").With("sheet", sheet))
			}
			return
		}
		for r := 1; r < len(rows); r++ {
			vals := make([]string, len(headers))
			for i := range headers {
				if i < len(rows[r]) {
					vals[i] = strings.TrimSpace(rows[r][i])
				}
			}
			if strings.Join(vals, "") == "" {
				continue
			}
			i, ok := byRef[vals[0]]
			if !ok {
				l.Add(errs.Field(fmt.Sprintf("%s!%s %s", sheet, cell(1, r+1), headers[0]), "err.import.row_ref").With("ref", vals[0]))
				continue
			}
			if err := fn(i, vals, r+1); err != nil {
				l.Add(errs.Field(fmt.Sprintf("%s!%s", sheet, cell(1, r+1)), "err.import.number"))
			}
		}
	}
	atoi := func(s string) (int, error) {
		if s == "" {
			return 0, nil
		}
		return strconv.Atoi(s)
	}
	counted := func(s string) (int, error) { // a blank count was not stated
		if s == "" {
			return catalog.UnknownCount, nil
		}
		return strconv.Atoi(s)
	}
	readSub(SheetMaterials, materialHeaders, func(i int, v []string, row int) error {
		o, err1 := counted(v[3])
		c, err2 := counted(v[4])
		if err1 != nil || err2 != nil {
			return errs.New(errs.Invalid, "err.import.number")
		}
		items[i].Materials = append(items[i].Materials, catalog.Material{Name: v[1], Form: key(forms, v[2]), Originals: o, Copies: c,
			Necessity: key(necessities, v[5]), Source: v[6], BlankForm: v[7], Sample: v[8], Notes: v[9], Standard: v[10], Pledge: v[11] == "是"})
		pl.materials[i] = append(pl.materials[i], row)
		return nil
	})
	readSub(SheetSteps, stepHeaders, func(i int, v []string, row int) error {
		lv, err1 := atoi(v[3])
		limit, err2 := atoi(v[4])
		if err1 != nil || err2 != nil {
			return errs.New(errs.Invalid, "err.import.number")
		}
		var j stepJoint
		if v[7] != "" && json.Unmarshal([]byte(v[7]), &j) != nil {
			return errs.New(errs.Invalid, "err.joint.import")
		}
		items[i].Steps = append(items[i].Steps, catalog.Step{Name: v[1], Role: v[2], Level: lv, Limit: catalog.Limit{Value: limit, Unit: unitOf(v[5])}, Special: v[6],
			Parallel: j.Parallel, Countersign: j.Countersign})
		pl.steps[i] = append(pl.steps[i], row)
		return nil
	})
	readSub(SheetForm, formHeaders, func(i int, v []string, row int) error {
		items[i].Form = append(items[i].Form, readFormRow(v))
		pl.form[i] = append(pl.form[i], row)
		return nil
	})
	source := func(i int) *catalog.Source {
		if items[i].Source == nil {
			items[i].Source = &catalog.Source{}
		}
		return items[i].Source
	}
	readSub(SheetSources, sourceHeaders, func(i int, v []string, row int) error {
		src := source(i)
		src.URL, src.Region, src.Title, src.Published = v[1], v[2], v[3], v[4]
		return nil
	})
	readSub(SheetUnmapped, unmappedHeaders, func(i int, v []string, row int) error {
		src := source(i)
		if src.Unmapped == nil {
			src.Unmapped = map[string]string{}
		}
		src.Unmapped[v[1]] = v[2]
		return nil
	})
	if over != nil {
		return nil, over
	}
	// The items' own rules, named by cell.
	for i, it := range items {
		for _, e := range errs.All(it.CheckDraft()) {
			c := *e
			c.Field = pl.cellOf(i, e.Field, index, cols)
			l.Add(&c)
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

// cellOf turns an element path from Check ("promised_limit", "materials[2].necessity") into the cell it
// came from.
func (pl place) cellOf(i int, field string, index map[string]int, cols []column) string {
	sub := func(prefix string, rows []int, headers, fields []string, sheet string) (string, bool) {
		if !strings.HasPrefix(field, prefix+"[") {
			return "", false
		}
		end := strings.Index(field, "]")
		n, _ := strconv.Atoi(field[len(prefix)+1 : end])
		rest := strings.TrimPrefix(field[end+1:], ".")
		col := slices.Index(fields, rest)
		if col < 0 {
			col = 1
		}
		if n < len(rows) {
			return fmt.Sprintf("%s!%s %s", sheet, cell(col+1, rows[n]), headers[col]), true
		}
		return sheet, true
	}
	if s, ok := sub("materials", pl.materials[i], materialHeaders, materialFields, SheetMaterials); ok {
		return s
	}
	if s, ok := sub("application_form", pl.form[i], formHeaders, formFields, SheetForm); ok {
		return s
	}
	if s, ok := sub("steps", pl.steps[i], stepHeaders, stepFields, SheetSteps); ok {
		return s
	}
	for _, c := range cols {
		if c.field == field {
			return fmt.Sprintf("%s!%s %s", SheetItems, cell(index[c.header]+1, pl.itemRow[i]), c.header)
		}
	}
	return fmt.Sprintf("%s!A%d %s", SheetItems, pl.itemRow[i], field)
}
