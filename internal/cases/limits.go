package cases

import (
	"strconv"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// Limits on what a person may type into a move (issue 16: a 9 MiB refusal reason was stored five times,
// once in the append-only audit trail). A reason is printed on a notice (行政许可法 第38条: a denial gives its
// reasons; 第32条: a refusal at the window too), so it must fit on the paper and in the audit entry; a
// longer text is refused whole, naming the field and the limit, and nothing changes.
const (
	MaxReason        = 2000 // refuse, suspend, terminate, decide, request_extension, revoke: characters
	MaxNote          = 500  // the window's note on one material
	MaxMaterialName  = 200  // a material's name as the item lists it (catalog.Item's own limit)
	MaxMaterials     = 100  // material checks in one move
	MaxTracking      = 64   // a postal tracking number
	MaxAuthorisation = 500  // how a resident authorised a station's agent
	MaxWord          = 64   // values chosen from a list (kind, method, result, check) and identifiers
	MaxCaseNo        = 64   // a case number or a code typed on the public pages
)

// ResultCodeAttempts is how many wrong codes a case's electronic result takes before it refuses every code,
// the right one too, until the window sends a new one: six digits are a million values, and the download
// page is public.
const ResultCodeAttempts = 5

// TooLong reports a text over its limit in characters, or nil.
func TooLong(field, v string, max int) *errs.Error {
	if len(v) > max && utf8.RuneCountInString(v) > max { // bytes first: no count of a long text's runes
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(max))
	}
	return nil
}

// CheckLengths refuses an input whose texts exceed their limits, naming each field.
func (in Input) CheckLengths() error {
	var l errs.List
	l.Add(TooLong("reason", in.Reason, MaxReason))
	l.Add(TooLong("kind", in.Kind, MaxWord))
	l.Add(TooLong("method", in.Method, MaxWord))
	l.Add(TooLong("tracking", in.Tracking, MaxTracking))
	l.Add(TooLong("result", in.Result, MaxWord))
	l.Add(TooLong("assignee", in.Assignee, MaxWord))
	if len(in.Materials) > MaxMaterials {
		l.Add(errs.Field("materials", "err.too_many").With("max", strconv.Itoa(MaxMaterials)))
		return l.Err()
	}
	for i, m := range in.Materials {
		f := "materials[" + strconv.Itoa(i) + "]."
		l.Add(TooLong(f+"name", m.Name, MaxMaterialName))
		l.Add(TooLong(f+"check", string(m.Check), MaxWord))
		l.Add(TooLong(f+"note", m.Note, MaxNote))
	}
	return l.Err()
}
