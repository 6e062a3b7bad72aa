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
	"bianmin/internal/delegation"
	"bianmin/internal/errs"
)

// Delegations in the catalog files (issue 14 point 1: "UI, API and the catalog import formats"): the
// records of a banner's 赋权清单 (delegation.Record: what a record holds, its checks, where its fields stand)
// travel with its catalog, in the JSON file's "delegations" and in the template's sheet 赋权, one row per
// delegation. The file only carries them; the service makes each a proposal its department confirms.

// SheetDelegations is the template's sheet of delegations; a file without it has none.
const SheetDelegations = delegation.RecordSheet

// Delegation is one record of the 赋权清单.
type Delegation = delegation.Record

// delegationHeaders are the sheet's columns; delegationFields the fields Check names, column by column.
var (
	delegationHeaders, delegationFields = recordColumns()
	scopeNames                          = map[string]string{string(delegation.WholeItem): "整项下放", string(delegation.DecisionStep): "决定环节下放"}
)

func recordColumns() (headers, fields []string) {
	for _, c := range delegation.RecordColumns {
		headers, fields = append(headers, c.Header), append(fields, c.Field)
	}
	return headers, fields
}

// MaxDelegationNote is the longest note a record keeps.
const MaxDelegationNote = delegation.MaxRecordNote

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
