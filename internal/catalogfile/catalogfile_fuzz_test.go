package catalogfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bianmin/internal/demo"
)

// fuzzLimits keep each fuzzed workbook small, so that the fuzzer spends its time on shapes, not sizes (the
// limits themselves have their own tests).
var fuzzLimits = Limits{Unzipped: 8 << 20, Parts: 100, XMLInMem: 1 << 20, Rows: 2000, Cells: 40_000, Text: 4 << 20, Time: 10 * time.Second}

func seedFiles(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzReadJSON: no catalog file panics the reader; one it takes writes back to a file it takes again with
// the same items, and the second writing is the same as the first (a fixed point).
func FuzzReadJSON(f *testing.F) {
	seedFiles(f)
	var b bytes.Buffer
	if err := WriteJSON(&b, demo.DemoItems()[:5]); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`{"format":"bianmin-catalog/1","items":[{}]}`))
	f.Add([]byte(`{"items":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := ReadJSON(bytes.NewReader(body))
		if err != nil {
			return
		}
		var once, twice bytes.Buffer
		if err := WriteJSON(&once, items); err != nil {
			t.Fatalf("write back: %v", err)
		}
		again, err := ReadJSON(bytes.NewReader(once.Bytes()))
		if err != nil || len(again) != len(items) {
			t.Fatalf("read back: %d of %d items, %v\n%s", len(again), len(items), err, once.Bytes())
		}
		if err := WriteJSON(&twice, again); err != nil || !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("not a fixed point: %v\n%s\n%s", err, once.Bytes(), twice.Bytes())
		}
	})
}

// FuzzReadGuides: no file of published guides panics the mapping, whatever its shape, and every item it maps
// belongs to the importer's department; Read tells the kinds of file apart without panicking either.
func FuzzReadGuides(f *testing.F) {
	seedFiles(f)
	f.Add([]byte(`[{}]`))
	f.Add([]byte(`[{"事项名称":"x","办理时限":"二十个工作日"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := ReadGuides(bytes.NewReader(body), "民政局")
		for _, it := range items {
			if err == nil && it.Department != "民政局" {
				t.Fatalf("a guide's item belongs to the importer's department: %q", it.Department)
			}
		}
		for _, name := range []string{"guides.json", "catalog.json", "x.txt"} {
			Read(name, body, "民政局")
		}
	})
}

// FuzzReadXLSX: no workbook panics the reader or escapes its limits; one it takes writes back to a
// workbook it takes again with the same number of items.
func FuzzReadXLSX(f *testing.F) {
	f.Add(template(f))
	var b bytes.Buffer
	if err := WriteXLSX(&b, demo.DemoItems()[:1]); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := ReadXLSXWith(body, fuzzLimits)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteXLSX(&out, items); err != nil {
			t.Fatalf("write back: %v", err)
		}
		again, err := ReadXLSXWith(out.Bytes(), DefaultLimits)
		if err != nil || len(again) != len(items) {
			t.Fatalf("read back: %d of %d items, %v", len(again), len(items), err)
		}
	})
}
