package audit

import (
	"bytes"
	"encoding/json"
)

// Changes renders what a change did as the JSON kept in Before and After: only the fields that differ, each
// side holding its own values (a field one side lacks is null on that side). Objects nested in both sides
// are compared field by field in the same way; arrays and other values are kept whole when they differ.
// A record created (before nil) or removed (after nil) keeps its whole other side, and values that are not
// JSON objects are kept whole too: there is no field to single out.
//
// Whole documents on both sides made an audit entry the largest thing a case keeps (issue 18: 3 KB a move
// for a case whose move changed its state and a date); the changed fields say the same, and the document as
// it stands is on its own row.
func Changes(before, after any) (string, string) {
	b, a := Snapshot(before), Snapshot(after)
	if b == "" || a == "" {
		return b, a
	}
	ob, oa, ok := diffObjects([]byte(b), []byte(a))
	if !ok {
		return b, a
	}
	return string(ob), string(oa)
}

// diffObjects returns the changed fields of two JSON objects, or ok false when either is not an object.
func diffObjects(b, a []byte) (ob, oa []byte, ok bool) {
	var mb, ma map[string]json.RawMessage
	if json.Unmarshal(b, &mb) != nil || json.Unmarshal(a, &ma) != nil || mb == nil || ma == nil {
		return nil, nil, false
	}
	db, da := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	null := json.RawMessage("null")
	for k, vb := range mb {
		va, in := ma[k]
		switch {
		case !in:
			db[k], da[k] = vb, null
		case bytes.Equal(vb, va):
		default:
			if nb, na, ok := diffObjects(vb, va); ok {
				db[k], da[k] = nb, na
			} else {
				db[k], da[k] = vb, va
			}
		}
	}
	for k, va := range ma {
		if _, in := mb[k]; !in {
			db[k], da[k] = null, va
		}
	}
	// a map of raw messages marshals with sorted keys and cannot fail
	ob, _ = json.Marshal(db)
	oa, _ = json.Marshal(da)
	return ob, oa, true
}
