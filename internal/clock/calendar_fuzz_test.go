package clock

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"testing"
)

// FuzzReadYear: no calendar file panics the reader; a year it takes passes its own check again,
// and it writes back to a file that reads to the same schedule.
func FuzzReadYear(f *testing.F) {
	names, err := fs.Glob(shipped, "calendars/*.json")
	if err != nil || len(names) == 0 {
		f.Fatal("no shipped calendars", err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(shipped, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"year":2027,"holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01"}],"workdays":[]}`))
	f.Add([]byte(`{"year":0}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		y, err := ReadYear(bytes.NewReader(body))
		if err != nil {
			return
		}
		if err := y.Check(); err != nil {
			t.Fatalf("accepted a year that does not check: %v", err)
		}
		out, err := json.Marshal(y)
		if err != nil {
			t.Fatalf("write back: %v", err)
		}
		again, err := ReadYear(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("read back %s: %v", out, err)
		}
		if b, _ := json.Marshal(again); !bytes.Equal(b, out) {
			t.Fatalf("not the same schedule:\n%s\n%s", out, b)
		}
	})
}
