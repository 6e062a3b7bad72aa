package translation

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"bianmin/internal/errs"
)

// The exchange sheet: one row a string. 键 round-trips; 版本 tells a string changed in Bianmin since the
// export (the import refuses it rather than overwrite someone's work).
const Sheet = "译文"

var headers = []string{"键", "类别", "中文", "蒙古文", "出处", "状态", "版本"}

const (
	colKey = iota
	colKind
	colZh
	colMn
	colWhere
	colStatus
	colVersion
)

// Limits of an exchange file: the whole banner's strings are a few thousand.
const (
	MaxFileBytes = 8 << 20
	MaxRows      = 20000
)

// Row is one string as a file brings it back, with the place of each of its cells for error messages.
type Row struct {
	Key, Zh, Mn string
	Status      string
	Version     int
	place       func(col int) string
}

// Place names a cell of the row: "译文!D5 蒙古文" (sheet, cell, column), or a unit of an XLIFF file.
func (r Row) Place(col int) string {
	if r.place == nil {
		return r.Key
	}
	return r.place(col)
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col+1, row)
	return n
}

// WriteXLSX writes strings to the exchange sheet.
func WriteXLSX(w io.Writer, strs []String) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return err
	}
	for i, h := range headers {
		f.SetCellStr(Sheet, cellName(i, 1), h)
	}
	for n, s := range strs {
		row := n + 2
		for i, v := range []string{s.Key, string(s.Kind), s.Zh, s.Mn, s.Where + " " + s.Context, string(s.Status), strconv.Itoa(s.Version)} {
			f.SetCellStr(Sheet, cellName(i, row), strings.TrimSpace(v))
		}
	}
	f.SetColWidth(Sheet, "C", "D", 40)
	return f.Write(w)
}

// ReadXLSX reads an exchange sheet back. Faults of the file itself (not a workbook, no sheet, a missing
// column) are errors of the file; faults of a row's cells are named by sheet, cell and column.
func ReadXLSX(body []byte) ([]Row, error) {
	if len(body) > MaxFileBytes {
		return nil, errs.Field("file", "err.mn.too_large").With("max", "8 MiB")
	}
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, errs.Field("file", "err.mn.format")
	}
	defer f.Close()
	rows, err := f.GetRows(Sheet)
	if err != nil || len(rows) == 0 {
		return nil, errs.Field("file", "err.import.sheet").With("sheet", Sheet)
	}
	if len(rows) > MaxRows+1 {
		return nil, errs.Field("file", "err.import.rows").With("n", strconv.Itoa(MaxRows))
	}
	index := map[string]int{}
	for i, h := range rows[0] {
		index[strings.TrimSpace(h)] = i
	}
	var l errs.List
	for _, h := range []string{headers[colKey], headers[colZh], headers[colMn], headers[colVersion]} {
		if _, ok := index[h]; !ok {
			l.Add(errs.Field("file", "err.mn.column").With("column", h))
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	var out []Row
	for r := 1; r < len(rows); r++ {
		vals := rows[r]
		get := func(col int) string {
			if i, ok := index[headers[col]]; ok && i < len(vals) {
				return vals[i]
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(vals, "")) == "" {
			continue
		}
		line := r + 1
		row := Row{Key: strings.TrimSpace(get(colKey)), Zh: strings.TrimSpace(get(colZh)), Mn: get(colMn), Status: strings.TrimSpace(get(colStatus)),
			place: func(col int) string {
				return fmt.Sprintf("%s!%s %s", Sheet, cellName(index[headers[col]], line), headers[col])
			}}
		if v := strings.TrimSpace(get(colVersion)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				l.Add(errs.Field(row.Place(colVersion), "err.import.number"))
				continue
			}
			row.Version = n
		}
		out = append(out, row)
	}
	return out, l.Err()
}

// Columns of a row, for the service's cell errors.
const (
	ColKey     = colKey
	ColZh      = colZh
	ColMn      = colMn
	ColVersion = colVersion
)

// Diff is one string an import would change.
type Diff struct {
	Key, Zh, Where string
	Before, After  string
	Version        int
}

// Compare checks rows brought back against the strings as they stand, all or nothing: a row with an unknown
// key, a Chinese that is not the string's (the file belongs to another string, or the Chinese changed since
// the export), a version other than the current one (someone changed the string since), or a Mongolian that
// Normalize refuses makes the whole file refused, each fault named by its cell. A row with an empty
// Mongolian is left out (not translated yet); a row whose Mongolian equals the current one changes nothing.
func Compare(rows []Row, current map[string]String) ([]Diff, error) {
	var l errs.List
	var out []Diff
	seen := map[string]string{}
	for _, r := range rows {
		cur, ok := current[r.Key]
		if !ok {
			l.Add(errs.Field(r.Place(colKey), "err.mn.unknown_key").With("key", r.Key))
			continue
		}
		if prev, dup := seen[r.Key]; dup {
			l.Add(errs.Field(r.Place(colKey), "err.mn.duplicate_key").With("key", r.Key).With("cell", prev))
			continue
		}
		seen[r.Key] = r.Place(colKey)
		if r.Zh != "" && strings.TrimSpace(r.Zh) != strings.TrimSpace(cur.Zh) {
			l.Add(errs.Field(r.Place(colZh), "err.mn.zh_changed"))
			continue
		}
		if strings.TrimSpace(r.Mn) == "" {
			continue
		}
		mn, err := Normalize(r.Place(colMn), r.Mn)
		if e, ok := err.(*errs.Error); ok {
			l.Add(e)
			continue
		}
		if !HasMongolian(mn) {
			l.Add(errs.Field(r.Place(colMn), "err.name_mn.script"))
			continue
		}
		// The stored text may predate normalisation (a plain space before a suffix): the same words typed
		// back are no change.
		if normCur, _ := Normalize("mn", cur.Mn); mn == cur.Mn || mn == normCur {
			continue
		}
		if r.Version != cur.Version {
			l.Add(errs.Field(r.Place(colVersion), "err.mn.stale").With("version", strconv.Itoa(cur.Version)))
			continue
		}
		out = append(out, Diff{Key: r.Key, Zh: cur.Zh, Where: cur.Where, Before: cur.Mn, After: mn, Version: cur.Version})
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// XLIFF 2.0 (OASIS, 2014): one <unit> a string, its id the key; the Chinese is the source, the Mongolian
// the target; the segment's state carries the status (initial = missing, translated = composed, reviewed,
// final = attested) and a note the version, so that the file round-trips like the sheet.
type xliffDoc struct {
	XMLName xml.Name  `xml:"urn:oasis:names:tc:xliff:document:2.0 xliff"`
	Version string    `xml:"version,attr"`
	SrcLang string    `xml:"srcLang,attr"`
	TrgLang string    `xml:"trgLang,attr"`
	File    xliffFile `xml:"file"`
}

type xliffFile struct {
	ID    string      `xml:"id,attr"`
	Units []xliffUnit `xml:"unit"`
}

type xliffUnit struct {
	ID      string       `xml:"id,attr"`
	Notes   []xliffNote  `xml:"notes>note"`
	Segment xliffSegment `xml:"segment"`
}

type xliffNote struct {
	Category string `xml:"category,attr"`
	Text     string `xml:",chardata"`
}

type xliffSegment struct {
	State  string `xml:"state,attr,omitempty"`
	Source string `xml:"source"`
	Target string `xml:"target"`
}

var xliffStates = map[Status]string{Missing: "initial", Composed: "translated", Reviewed: "reviewed", Attested: "final"}

// WriteXLIFF writes strings as an XLIFF 2.0 document, Chinese to Mongolian.
func WriteXLIFF(w io.Writer, strs []String) error {
	doc := xliffDoc{Version: "2.0", SrcLang: "zh-Hans", TrgLang: "mn-Mong", File: xliffFile{ID: "bianmin"}}
	for _, s := range strs {
		doc.File.Units = append(doc.File.Units, xliffUnit{ID: s.Key,
			Notes:   []xliffNote{{Category: "context", Text: strings.TrimSpace(s.Where + " " + s.Context)}, {Category: "version", Text: strconv.Itoa(s.Version)}},
			Segment: xliffSegment{State: xliffStates[s.Status], Source: s.Zh, Target: s.Mn}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(doc)
}

// ReadXLIFF reads an XLIFF 2.0 document back into rows; a fault is named by the unit's id and the element.
func ReadXLIFF(body []byte) ([]Row, error) {
	if len(body) > MaxFileBytes {
		return nil, errs.Field("file", "err.mn.too_large").With("max", "8 MiB")
	}
	var doc xliffDoc
	dec := xml.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&doc); err != nil || doc.Version != "2.0" {
		return nil, errs.Field("file", "err.mn.format")
	}
	if len(doc.File.Units) > MaxRows {
		return nil, errs.Field("file", "err.import.rows").With("n", strconv.Itoa(MaxRows))
	}
	var l errs.List
	var out []Row
	for i, u := range doc.File.Units {
		n := i + 1
		id := u.ID
		row := Row{Key: strings.TrimSpace(u.ID), Zh: strings.TrimSpace(u.Segment.Source), Mn: u.Segment.Target, Status: u.Segment.State,
			place: func(col int) string {
				el := map[int]string{colKey: "id", colZh: "source", colMn: "target", colVersion: "note[version]"}[col]
				return fmt.Sprintf("unit %d (%s) %s", n, id, el)
			}}
		for _, note := range u.Notes {
			if note.Category == "version" {
				v, err := strconv.Atoi(strings.TrimSpace(note.Text))
				if err != nil || v < 0 {
					l.Add(errs.Field(row.Place(colVersion), "err.import.number"))
				}
				row.Version = v
			}
		}
		out = append(out, row)
	}
	return out, l.Err()
}
