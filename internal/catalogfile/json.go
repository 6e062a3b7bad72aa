// Package catalogfile reads and writes catalog files: JSON, the Excel template whose columns follow GB/T
// 39046's element names, and the published township guides of shared/fixtures through a documented mapping.
// It only converts; the service decides what is stored.
package catalogfile

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"bianmin/internal/catalog"
	"bianmin/internal/errs"
)

// File is the JSON catalog format: a list of items, each with the element set of catalog.Item.
type File struct {
	Format string         `json:"format"` // "bianmin-catalog/1"
	Items  []catalog.Item `json:"items"`
	// Delegations is the banner's 赋权清单 travelling with its catalog (delegations.go; ReadDelegations).
	Delegations []Delegation `json:"delegations,omitempty"`
}

// FormatName marks a Bianmin catalog file.
const FormatName = "bianmin-catalog/1"

// ReadJSON reads a catalog file. Unknown fields are refused, so that a misspelled element is not lost silently.
func ReadJSON(r io.Reader) ([]catalog.Item, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, errs.Field("file", "err.import.json").With("detail", err.Error())
	}
	return f.Items, nil
}

// WriteJSON writes items as a catalog file, without ids, versions or statuses: an export is what another
// catalog imports.
func WriteJSON(w io.Writer, items []catalog.Item) error {
	return WriteWith(".json", w, items, nil)
}

// Portable strips what belongs to one catalog's storage (id, version, status, effective date). The list of
// missing elements stays as written (it is recomputed from the content on import; catalog.GapsOf).
func Portable(it catalog.Item) catalog.Item {
	it.ID, it.Version, it.Status, it.EffectiveFrom = "", 0, "", time.Time{}
	return it
}

// Read reads a catalog file: the Excel template, a Bianmin JSON catalog, or a list of published guides (the
// fixture's format, which needs the department they go to), told apart by name and content.
func Read(name string, body []byte, department string) ([]catalog.Item, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		return ReadXLSXWith(body, DefaultLimits)
	case IsGuides(name, body):
		if strings.TrimSpace(department) == "" {
			return nil, errs.Field("department", "err.required")
		}
		return ReadGuides(bytes.NewReader(body), department)
	case strings.HasSuffix(lower, ".json"):
		return ReadJSON(bytes.NewReader(body))
	}
	return nil, errs.Field("file", "err.import.format")
}

// IsGuides reports whether a file is a list of published guides (a JSON list) rather than a Bianmin
// catalog: guides import item by item (one guide that cannot be read does not cost the others), a catalog
// all or nothing.
func IsGuides(name string, body []byte) bool {
	return !strings.HasSuffix(strings.ToLower(name), ".xlsx") && bytes.HasPrefix(bytes.TrimSpace(body), []byte("["))
}

// Write writes items as Excel or JSON, by the file name's ending.
func Write(name string, w io.Writer, items []catalog.Item) error {
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return WriteXLSX(w, items)
	}
	return WriteJSON(w, items)
}
