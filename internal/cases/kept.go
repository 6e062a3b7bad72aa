package cases

import (
	"bytes"
	"encoding/json"
	"fmt"

	"bianmin/internal/catalog"
)

// Asked is what an item version asks of each material, as the window's check needs it: required, deferrable
// (容缺后补, FACTS.md §5.4), replaceable by a pledge (告知承诺, 国办发〔2020〕42号: a proof, never identity nor the
// application form, whatever an old version's flag says).
func Asked(it catalog.Item) []MaterialCheck {
	out := make([]MaterialCheck, len(it.Materials))
	for i, m := range it.Materials {
		out[i] = MaterialCheck{Name: m.Name, Required: m.Necessity == catalog.Required,
			Deferrable: m.Necessity == catalog.Deferrable, Pledgeable: m.Pledgeable()}
	}
	return out
}

// A case's material list repeats, for each material, what its item version asks of it (Asked: the name,
// whether it is required, deferrable, pledgeable); only the window's check, its note and the files are the
// case's own. Where the list is exactly its version's, in the version's order (Reconcile makes it so), what
// is kept of it is the case's own part alone, and the rest is read from the version, which never changes
// once published. Issue 18: the list was about 450 bytes, kept three times over (the case's row, its
// acceptance's audit entry, its 受理通知书).

// KeptCheck is what is kept of one material of a list left to its item version.
type KeptCheck struct {
	Check Check
	Note  string
	Files []string
}

// MarshalJSON keeps a bare check as its name, a check with a note or files as an object.
func (k KeptCheck) MarshalJSON() ([]byte, error) {
	if k.Note == "" && len(k.Files) == 0 {
		return json.Marshal(k.Check)
	}
	return json.Marshal(struct {
		Check Check    `json:"check"`
		Note  string   `json:"note,omitempty"`
		Files []string `json:"files,omitempty"`
	}{k.Check, k.Note, k.Files})
}

// UnmarshalJSON reads either form of MarshalJSON.
func (k *KeptCheck) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '"' {
		*k = KeptCheck{}
		return json.Unmarshal(b, &k.Check)
	}
	var o struct {
		Check Check    `json:"check"`
		Note  string   `json:"note"`
		Files []string `json:"files"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*k = KeptCheck{o.Check, o.Note, o.Files}
	return nil
}

// LeaveMaterials returns what is kept of a material list when it can be left to the version that asked
// for it (asked), and false when it cannot: an empty list, or one that differs from the version's in any
// material's name, order or what is asked of it.
func LeaveMaterials(asked, ms []MaterialCheck) ([]KeptCheck, bool) {
	if len(ms) == 0 || len(ms) != len(asked) {
		return nil, false
	}
	out := make([]KeptCheck, len(ms))
	for i, m := range ms {
		a := asked[i]
		if m.Name != a.Name || m.Required != a.Required || m.Deferrable != a.Deferrable || m.Pledgeable != a.Pledgeable {
			return nil, false
		}
		out[i] = KeptCheck{m.Check, m.Note, m.Files}
	}
	return out, true
}

// FillMaterials makes a list left to its version whole again (LeaveMaterials' inverse).
func FillMaterials(asked []MaterialCheck, kept []KeptCheck) ([]MaterialCheck, error) {
	if len(kept) != len(asked) {
		return nil, fmt.Errorf("%d materials kept against %d its item version asks for", len(kept), len(asked))
	}
	out := make([]MaterialCheck, len(kept))
	for i, k := range kept {
		out[i] = asked[i]
		out[i].Check, out[i].Note, out[i].Files = k.Check, k.Note, k.Files
	}
	return out, nil
}
