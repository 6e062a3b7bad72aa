package store

import (
	"encoding/json"
	"fmt"
	"sync"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// A notice that lists the case's materials (补正, 受理, 容缺受理, 告知承诺: cases.PaperFields) keeps them as
// the case's row does: left to the case's fixed item version, only the checks (casedoc.go), and read whole
// again from the version. A notice once issued never changes, and neither does a published version, so the
// notice prints the same names and the same checks as on the day it was issued.

// leavePaper is the doc a notice of case c keeps of what it says (doc, cases.Paper.Keep).
func (db *DB) leavePaper(row rowFunc, c cases.Case, doc string) (string, error) {
	item := func() (string, int, error) { return c.ItemID, c.ItemVersion, nil }
	return db.paperMaterials(row, item, doc, func(asked []cases.MaterialCheck, p map[string]json.RawMessage) (bool, error) {
		raw, ok := p["materials"]
		if !ok {
			return false, nil
		}
		var ms []cases.MaterialCheck
		if err := json.Unmarshal(raw, &ms); err != nil {
			return false, err
		}
		kept, ok := cases.LeaveMaterials(asked, ms)
		if !ok {
			return false, nil
		}
		delete(p, "materials")
		p["checks"] = mustJSON(kept)
		return true, nil
	})
}

// caseItem returns a function that reads, once, the item version of the case a notice belongs to: only a
// notice whose materials were left to it needs it, and a case's notices share it.
func caseItem(row rowFunc, caseID string) func() (string, int, error) {
	read := sync.OnceValues(func() (versionKey, error) {
		var k versionKey
		err := row(`SELECT item_id, item_version FROM cases WHERE id = ?`, caseID).Scan(&k.item, &k.version)
		return k, errs.Wrap(err, "notice's case")
	})
	return func() (string, int, error) {
		k, err := read()
		return k.item, k.version, err
	}
}

// fillPaper is what a notice says, with its materials read whole again from its case's item version (item,
// caseItem).
func (db *DB) fillPaper(row rowFunc, item func() (string, int, error), doc string) (string, error) {
	return db.paperMaterials(row, item, doc, func(asked []cases.MaterialCheck, p map[string]json.RawMessage) (bool, error) {
		raw, ok := p["checks"]
		if !ok {
			return false, nil
		}
		var kept []cases.KeptCheck
		if err := json.Unmarshal(raw, &kept); err != nil {
			return false, err
		}
		ms, err := cases.FillMaterials(asked, kept)
		if err != nil {
			return false, err
		}
		delete(p, "checks")
		p["materials"] = mustJSON(ms)
		return true, nil
	})
}

// paperMaterials applies change to the case a notice's doc keeps, when its item version (item) is fixed;
// the doc as it was when there is nothing to change.
func (db *DB) paperMaterials(row rowFunc, item func() (string, int, error), doc string, change func([]cases.MaterialCheck, map[string]json.RawMessage) (bool, error)) (string, error) {
	var d map[string]json.RawMessage
	if doc == "" || json.Unmarshal([]byte(doc), &d) != nil || len(d["case"]) == 0 {
		return doc, nil // nothing of a case in it (a notice kept before notices kept their papers)
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal(d["case"], &p); err != nil || p == nil {
		return doc, nil
	}
	_, hasM := p["materials"]
	_, hasC := p["checks"]
	if !hasM && !hasC {
		return doc, nil
	}
	itemID, version, err := item()
	if err != nil {
		return "", err
	}
	v, fixed, err := db.versionSteps(row, itemID, version)
	if err != nil {
		return "", err
	}
	if !fixed {
		if hasC {
			return "", fmt.Errorf("a notice leaves its materials to item version %s/%d, which is not published", itemID, version)
		}
		return doc, nil
	}
	changed, err := change(v.asked, p)
	if err != nil {
		return "", errs.Wrap(err, "notice materials")
	}
	if !changed {
		return doc, nil
	}
	d["case"] = mustJSON(p)
	return string(mustJSON(d)), nil
}
