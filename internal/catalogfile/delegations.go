package catalogfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
)

// Delegations in the catalog files (issue 14 point 1: "UI, API and the catalog import formats"): a banner's
// list of delegated items (赋权清单) travels with its catalog, in the JSON file's "delegations" and in the
// template's sheet 赋权, one row per delegation. A record names what another catalog can find again, not its
// ids: the department and the townships by name (or division code), the item by its name (or 实施编码). The
// file only carries them; the service makes each a proposal its department confirms, as a delegation typed
// on the page is its department's.

// SheetDelegations is the template's sheet of delegations; a file without it has none.
const SheetDelegations = "赋权"

// Delegation is one record of the 赋权清单.
type Delegation struct {
	Department string   `json:"department"`         // 下放部门: the banner department that hands it down
	Item       string   `json:"item"`               // 事项名称, or its 实施编码
	Scope      string   `json:"scope"`              // item (整项下放) or decision (决定环节下放)
	Townships  []string `json:"townships"`          // 承接乡镇（苏木）
	DocNo      string   `json:"doc_no"`             // 赋权文件文号
	DocDate    string   `json:"doc_date"`           // 赋权文件日期, 2020-09-01
	Start      string   `json:"start"`              // 起始日期: in force from this day for new cases
	Note       string   `json:"note,omitempty"`     // 备注
	Position   string   `json:"position,omitempty"` // where the record stands in its file (set by the readers)
}

// delegationHeaders are the sheet's columns; delegationFields the fields Check names, column by column.
var (
	delegationHeaders = []string{"序号", "下放部门", "事项名称", "下放范围", "承接乡镇（苏木）", "赋权文件文号", "赋权文件日期", "起始日期", "备注"}
	delegationFields  = []string{"", "upward_department", "item_id", "deleg_scope", "deleg_townships", "deleg_doc_no", "deleg_doc_date", "deleg_start", "note"}
	scopeNames        = map[string]string{string(delegation.WholeItem): "整项下放", string(delegation.DecisionStep): "决定环节下放"}
)

// MaxDelegationNote is the longest note a record keeps.
const MaxDelegationNote = 500

// Check reads a record as far as a file can: each field present, within its length, a scope from the list,
// real dates, a start not before the document. Every field in error is named (the form's names, so that the
// page's labels name them); whether the department, item and townships exist, and whether the document's
// date is past, the service decides against the catalog it imports into.
func (d Delegation) Check() error {
	var l errs.List
	l.Add(delegation.Text("upward_department", d.Department, 100))
	l.Add(delegation.Text("item_id", d.Item, 200))
	if !slices.Contains(delegation.Scopes, delegation.Scope(d.Scope)) {
		l.Add(errs.Field("deleg_scope", "err.find.choice"))
	}
	if len(d.Townships) == 0 {
		l.Add(errs.Field("deleg_townships", "err.required"))
	}
	for _, t := range d.Townships {
		if e := delegation.Text("deleg_townships", t, 100); e != nil {
			l.Add(e)
			break
		}
	}
	l.Add(delegation.Text("deleg_doc_no", d.DocNo, delegation.MaxDocNo))
	doc, docErr := dateField("deleg_doc_date", d.DocDate)
	l.Add(docErr)
	start, startErr := dateField("deleg_start", d.Start)
	if startErr == nil && docErr == nil && start.Before(doc) {
		startErr = errs.Field("deleg_start", "err.deleg.start_before_doc")
	}
	l.Add(startErr)
	if len([]rune(d.Note)) > MaxDelegationNote {
		l.Add(errs.Field("note", "err.too_long").With("max", fmt.Sprint(MaxDelegationNote)))
	}
	return l.Err()
}

func dateField(field, v string) (clock.Date, *errs.Error) {
	if strings.TrimSpace(v) == "" {
		return clock.Date{}, errs.Field(field, "err.required")
	}
	d, err := clock.ParseDate(strings.TrimSpace(v))
	if err != nil {
		return d, errs.Field(field, "err.find.date")
	}
	return d, nil
}

// checkAll checks every record, each error's field prefixed by where the record stands ("delegations[2].
// deleg_doc_no", or the sheet's cell), all of them at once: a file is imported whole or not at all.
func checkAll(dels []Delegation, at func(i int, field string) string) error {
	var l errs.List
	for i, d := range dels {
		for _, e := range errs.All(d.Check()) {
			e.Field = at(i, e.Field)
			l.Add(e)
		}
	}
	return l.Err()
}

// At names a field of the record by where the record stands in its file, for the refusals only the
// catalog it is imported into can give (a department, item or township not found): "delegations[2].item_id"
// in JSON, "赋权!3 事项名称" (the sheet, the row and the column's header) in the template. A record of no file
// (sent through the API) is named by the field alone.
func (d Delegation) At(field string) string {
	sheet, row, ok := strings.Cut(d.Position, "!")
	switch {
	case d.Position == "":
		return field
	case ok && sheet == SheetDelegations:
		if col := slices.Index(delegationFields, field); col > 0 {
			return SheetDelegations + "!" + row + " " + delegationHeaders[col]
		}
		return d.Position
	}
	return d.Position + "." + field
}

// CheckDelegations checks records that came without a file's reader (the API's JSON body): each is placed
// as the JSON file places it ("delegations[i]") and checked as ReadDelegations checks it, all at once.
func CheckDelegations(dels []Delegation) error {
	for i := range dels {
		if dels[i].Position == "" {
			dels[i].Position = fmt.Sprintf("delegations[%d]", i)
		}
	}
	var l errs.List
	for _, d := range dels {
		for _, e := range errs.All(d.Check()) {
			e.Field = d.At(e.Field)
			l.Add(e)
		}
	}
	return l.Err()
}

// ReadDelegations reads the delegation records of a catalog file (the template or a Bianmin JSON catalog;
// published guides have none), checked.
func ReadDelegations(name string, body []byte) ([]Delegation, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		return readDelegationsXLSX(body, DefaultLimits)
	case IsGuides(name, body):
		return nil, nil
	case strings.HasSuffix(lower, ".json"):
		var f struct {
			Delegations []Delegation `json:"delegations"`
		}
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&f); err != nil {
			return nil, errs.Field("file", "err.import.json").With("detail", err.Error())
		}
		for i := range f.Delegations {
			f.Delegations[i].Position = fmt.Sprintf("delegations[%d]", i)
		}
		return f.Delegations, checkAll(f.Delegations, func(i int, field string) string { return fmt.Sprintf("delegations[%d].%s", i, field) })
	}
	return nil, errs.Field("file", "err.import.format")
}

func readDelegationsXLSX(body []byte, lim Limits) ([]Delegation, error) {
	f, err := lim.open(body)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := lim.budget().sheet(f, SheetDelegations)
	if le, ok := err.(limitError); ok {
		return nil, le.err
	}
	if err != nil || len(rows) < 2 {
		return nil, nil // no sheet, or only its headers: no delegations
	}
	index := map[string]int{}
	for i, h := range rows[0] {
		index[strings.TrimSpace(h)] = i
	}
	val := func(row []string, col int) string {
		if i, ok := index[delegationHeaders[col]]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []Delegation
	var lines []int
	for r, row := range rows[1:] {
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		scope := val(row, 3)
		for k, v := range scopeNames {
			if scope == v {
				scope = k
			}
		}
		d := Delegation{Department: val(row, 1), Item: val(row, 2), Scope: scope, Townships: splitList(val(row, 4)),
			DocNo: val(row, 5), DocDate: val(row, 6), Start: val(row, 7), Note: val(row, 8), Position: fmt.Sprintf("%s!%d", SheetDelegations, r+2)}
		out = append(out, d)
		lines = append(lines, r+2)
	}
	return out, checkAll(out, func(i int, field string) string {
		col := slices.Index(delegationFields, field)
		if col < 0 {
			return SheetDelegations
		}
		c := col + 1
		if j, ok := index[delegationHeaders[col]]; ok {
			c = j + 1
		}
		return fmt.Sprintf("%s!%s %s", SheetDelegations, cell(c, lines[i]), delegationHeaders[col])
	})
}

// WriteWith writes items and delegation records as Excel or JSON, by the file name's ending; Write is
// WriteWith without delegations.
func WriteWith(name string, w io.Writer, items []catalog.Item, dels []Delegation) error {
	if !strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		out := File{Format: FormatName, Items: make([]catalog.Item, len(items)), Delegations: make([]Delegation, len(dels))}
		for i, it := range items {
			out.Items[i] = Portable(it)
		}
		for i, d := range dels {
			d.Position = ""
			out.Delegations[i] = d
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, items); err != nil {
		return err
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		return err
	}
	defer f.Close()
	f.NewSheet(SheetDelegations)
	for i, h := range delegationHeaders {
		f.SetCellValue(SheetDelegations, cell(i+1, 1), h)
	}
	for n, d := range dels {
		scope := d.Scope
		if v, ok := scopeNames[scope]; ok {
			scope = v
		}
		for i, v := range []string{fmt.Sprint(n + 1), d.Department, d.Item, scope, strings.Join(d.Townships, "；"), d.DocNo, d.DocDate, d.Start, d.Note} {
			f.SetCellStr(SheetDelegations, cell(i+1, n+2), v) // a date written as text stays text
		}
	}
	return f.Write(w)
}
