package delegation

import (
	"fmt"
	"slices"
	"strings"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Records of the 赋权清单 (issue 14 point 1: "UI, API and the catalog import formats"): a banner's list of
// delegated items travels with its catalog, in the JSON file's "delegations" and in the template's sheet
// 赋权, one record per delegation (internal/catalogfile reads and writes them). A record names what another
// catalog can find again, not its ids: the department and the townships by name (or division code), the item
// by its name (or 实施编码). The file only carries them; an import makes each a proposal its department
// confirms (proposal.go), as a delegation typed on the page is its department's.

// RecordSheet is the template's sheet of records; a file without it has none.
const RecordSheet = "赋权"

// Record is one record of the 赋权清单.
type Record struct {
	Department string   `json:"department"`         // 下放部门: the banner department that hands it down
	Item       string   `json:"item"`               // 事项名称, or its 实施编码
	Scope      string   `json:"scope"`              // item (整项下放) or decision (决定环节下放)
	Townships  []string `json:"townships"`          // 承接乡镇（苏木）
	DocNo      string   `json:"doc_no"`             // 赋权文件文号
	DocDate    string   `json:"doc_date"`           // 赋权文件日期, 2020-09-01
	Start      string   `json:"start"`              // 起始日期: in force from this day for new cases
	Note       string   `json:"note,omitempty"`     // 备注
	Position   string   `json:"position,omitempty"` // where the record stands in its file: "delegations[2]", "赋权!3"
}

// RecordColumns are the template's columns of a record, in order: the header a person sees, and the field
// (the form's name, which the page labels) each fills; "" for the row's number.
var RecordColumns = []struct{ Header, Field string }{
	{"序号", ""}, {"下放部门", "upward_department"}, {"事项名称", "item_id"}, {"下放范围", "deleg_scope"}, {"承接乡镇（苏木）", "deleg_townships"},
	{"赋权文件文号", "deleg_doc_no"}, {"赋权文件日期", "deleg_doc_date"}, {"起始日期", "deleg_start"}, {"备注", "note"},
}

// MaxRecordNote is the longest note a record keeps.
const MaxRecordNote = 500

// Check reads a record as far as a file can: each field present, within its length, a scope from the list,
// real dates, a start not before the document. Every field in error is named (the form's names, so that the
// page's labels name them); whether the department, item and townships exist, and whether the document's
// date is past, the service decides against the catalog it imports into (and, on confirmation, Input.Check).
func (r Record) Check() error {
	var l errs.List
	l.Add(Text("upward_department", r.Department, 100))
	l.Add(Text("item_id", r.Item, 200))
	if !slices.Contains(Scopes, Scope(r.Scope)) {
		l.Add(errs.Field("deleg_scope", "err.find.choice"))
	}
	if len(r.Townships) == 0 {
		l.Add(errs.Field("deleg_townships", "err.required"))
	}
	for _, t := range r.Townships {
		if e := Text("deleg_townships", t, 100); e != nil {
			l.Add(e)
			break
		}
	}
	l.Add(Text("deleg_doc_no", r.DocNo, MaxDocNo))
	doc, docErr := recordDate("deleg_doc_date", r.DocDate)
	l.Add(docErr)
	start, startErr := recordDate("deleg_start", r.Start)
	if startErr == nil && docErr == nil && start.Before(doc) {
		startErr = errs.Field("deleg_start", "err.deleg.start_before_doc")
	}
	l.Add(startErr)
	if len([]rune(r.Note)) > MaxRecordNote {
		l.Add(errs.Field("note", "err.too_long").With("max", fmt.Sprint(MaxRecordNote)))
	}
	return l.Err()
}

func recordDate(field, v string) (clock.Date, *errs.Error) {
	return date(field, strings.TrimSpace(v))
}

// At names a field of the record by where the record stands in its file, for the refusals only the
// catalog it is imported into can give (a department, item or township not found): "delegations[2].item_id"
// in JSON, "赋权!3 事项名称" (the sheet, the row and the column's header) in the template. A record of no
// file is named by the field alone.
func (r Record) At(field string) string {
	sheet, row, ok := strings.Cut(r.Position, "!")
	switch {
	case r.Position == "":
		return field
	case ok && sheet == RecordSheet:
		if col := slices.IndexFunc(RecordColumns, func(c struct{ Header, Field string }) bool { return c.Field == field }); col > 0 {
			return RecordSheet + "!" + row + " " + RecordColumns[col].Header
		}
		return r.Position
	}
	return r.Position + "." + field
}

// CheckRecords checks records as a whole file: each not yet placed is placed as the JSON file places it
// ("delegations[i]", records sent through the API), and every field in error of every record is named where
// it stands, all at once.
func CheckRecords(rs []Record) error {
	var l errs.List
	for i := range rs {
		if rs[i].Position == "" {
			rs[i].Position = fmt.Sprintf("delegations[%d]", i)
		}
		for _, e := range errs.All(rs[i].Check()) {
			e.Field = rs[i].At(e.Field)
			l.Add(e)
		}
	}
	return l.Err()
}
