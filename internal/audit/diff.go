package audit

import (
	"bytes"

	"bianmin/internal/jsonobj"
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

// diffObjects returns the changed fields of two JSON objects, or ok false when either is not an object. It
// is given what json.Marshal made (Snapshot: valid, compact, escaped as Marshal escapes) and reads it with a
// scanner of its own rather than decoding both sides into maps (every move's audit entry is made here, and
// decoding took most of its time); values are kept as written, so they stay compact.
func diffObjects(b, a []byte) (ob, oa []byte, ok bool) {
	fb, okb := jsonobj.Fields(b)
	fa, oka := jsonobj.Fields(a)
	if !okb || !oka {
		return nil, nil, false
	}
	var db, da []jsonobj.Field
	null := []byte("null")
	for _, f := range fb {
		va, in := jsonobj.Lookup(fa, f.Key)
		switch {
		case !in:
			db, da = append(db, f), append(da, jsonobj.Field{Key: f.Key, Val: null})
		case bytes.Equal(f.Val, va):
		default:
			if nb, na, ok := diffObjects(f.Val, va); ok {
				db, da = append(db, jsonobj.Field{Key: f.Key, Val: nb}), append(da, jsonobj.Field{Key: f.Key, Val: na})
			} else {
				db, da = append(db, f), append(da, jsonobj.Field{Key: f.Key, Val: va})
			}
		}
	}
	for _, f := range fa {
		if _, in := jsonobj.Lookup(fb, f.Key); !in {
			db, da = append(db, jsonobj.Field{Key: f.Key, Val: null}), append(da, f)
		}
	}
	return jsonobj.Write(db), jsonobj.Write(da), true
}
