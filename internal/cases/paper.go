package cases

import (
	"encoding/json"
	"fmt"
	"slices"

	"bianmin/internal/jsonobj"
)

// What a notice keeps. A notice says what it said when it was issued (Paper), but most of the case it
// prints (its number, item, applicant, receiving organisation, steps) is fixed at intake and stands on the
// case's own row. So a notice keeps of the case only the fields its kind prints, or that decide in whose
// name it is issued, and that a later move may change; the rest is read from the case when it is printed.
// Issue 18: a whole copy of the case in every notice made notices the second largest thing a case keeps.

// paperFields are the case's fields every kind of notice keeps as they stood (JSON names).
var paperFields = []string{"state", "step", "handling", "accepted", "limit_unit", "limit_days",
	"extension", "extension_unit", "decision", "delivery", "refusal", "version"}

// paperMaterialFields are the fields of the materials and their pledges, kept by the notices that list them
// (补正, 受理, 容缺受理, 告知承诺); the revocation keeps the pledge, quoting what its check found.
var paperMaterialFields = []string{"materials", "owed_by", "first_asked", "recorrections", "corrected", "pledge"}

// PaperFields lists the fields of the case a notice of the kind keeps.
func PaperFields(kind string) []string {
	switch kind {
	case NoticeCorrection, NoticeAccept, NoticeAcceptOwed, NoticePledge:
		return slices.Concat(paperFields, paperMaterialFields)
	case NoticeRevoke:
		return slices.Concat(paperFields, []string{"pledge"})
	}
	return paperFields
}

// Keep renders the paper as a notice of the kind stores it: its case reduced to PaperFields(kind). A field
// the case leaves out (empty) is left out too: ReadPaper knows it was empty, as the kind keeps it.
func (p Paper) Keep(kind string) ([]byte, error) {
	full, err := json.Marshal(p.Case)
	if err != nil {
		return nil, err
	}
	all, ok := jsonobj.Fields(full)
	if !ok {
		return nil, fmt.Errorf("a case's document is not an object: %.40s", full)
	}
	var kept []jsonobj.Field
	for _, f := range PaperFields(kind) {
		if v, ok := jsonobj.Lookup(all, f); ok {
			kept = append(kept, jsonobj.Field{Key: f, Val: v})
		}
	}
	rest := p
	rest.Case = Case{} // its place in the paper, filled with what is kept
	doc, err := json.Marshal(rest)
	if err != nil {
		return nil, err
	}
	out, ok := jsonobj.Fields(doc)
	if !ok {
		return nil, fmt.Errorf("a paper is not an object: %.40s", doc)
	}
	whole := jsonobj.Write(kept)
	for i := range out {
		if out[i].Key == "case" {
			out[i].Val = whole
		}
	}
	return jsonobj.Write(out), nil
}

// ReadPaper reads what a notice of the kind keeps (Keep), completing its case from the case as it now
// stands. A notice kept before issue 18 holds its whole case (with its id), which stands as it was kept.
func ReadPaper(kind string, doc []byte, now Case) (Paper, error) {
	var p struct {
		Case map[string]json.RawMessage `json:"case"`
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		return Paper{}, err
	}
	if _, whole := p.Case["id"]; whole {
		var out Paper
		err := json.Unmarshal(doc, &out)
		return out, err
	}
	cur, err := json.Marshal(now)
	if err != nil {
		return Paper{}, err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(cur, &merged); err != nil {
		return Paper{}, err
	}
	for _, f := range PaperFields(kind) {
		if v, ok := p.Case[f]; ok {
			merged[f] = v
		} else {
			delete(merged, f) // empty when the notice was issued
		}
	}
	var out Paper
	if err := json.Unmarshal(doc, &out); err != nil {
		return Paper{}, err
	}
	c, err := json.Marshal(merged)
	if err != nil {
		return Paper{}, err
	}
	out.Case = Case{}
	err = json.Unmarshal(c, &out.Case)
	return out, err
}
