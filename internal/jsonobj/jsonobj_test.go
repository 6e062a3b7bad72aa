package jsonobj

import (
	"encoding/json"
	"testing"
)

// Fields then Write gives what json.Marshal gives of the object decoded into a map of raw messages; what is
// not an object, or not whole, is refused.
func TestFieldsWrite(t *testing.T) {
	for _, s := range []string{`{}`, `{"b":1,"a":"x"}`, `{"n":{"m":[1,{"k":"}]"}]},"t":true,"f":false,"z":null,"e":-1.5e-3}`,
		`{"q\"":"a\\\"b","\u003cx\u003e":"\u0026","ü":"ᠮᠣᠩᠭᠣᠯ","\u2028":0}`, `{"d":1,"d":2}`} {
		fs, ok := Fields([]byte(s))
		if !ok {
			t.Fatalf("%s: not read", s)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(m)
		if got := Write(fs); string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", s, got, want)
		}
	}
	for _, s := range []string{``, `[]`, `"s"`, `null`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1}x`, `{"a":"x}`, `{a:1}`, `{"a":[1}`} {
		if fs, ok := Fields([]byte(s)); ok {
			t.Errorf("%q read as %v", s, fs)
		}
	}
	fs, _ := Fields([]byte(`{"a":1,"b":[2]}`))
	if v, ok := Lookup(fs, "b"); !ok || string(v) != `[2]` {
		t.Errorf("b: %s %v", v, ok)
	}
	if _, ok := Lookup(fs, "c"); ok {
		t.Error("c is not there")
	}
}

func FuzzFields(f *testing.F) {
	f.Add(`{"a":{"b":[1,"]"]},"c":"\u003c"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var v map[string]any
		if json.Unmarshal([]byte(s), &v) != nil || v == nil {
			return
		}
		b, _ := json.Marshal(v)
		fs, ok := Fields(b)
		if !ok {
			t.Fatalf("%s: not read", b)
		}
		var m map[string]json.RawMessage
		json.Unmarshal(b, &m)
		want, _ := json.Marshal(m)
		if got := Write(fs); string(got) != string(want) {
			t.Fatalf("%s:\n got %s\nwant %s", b, got, want)
		}
	})
}
