package translation

import (
	"bytes"
	"testing"
)

// FuzzNormalize: no text panics the normaliser; what it takes it takes again unchanged (a fixed point), and
// it never lets Cyrillic through.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"ᠪᠠᠯᠭᠠᠰᠤ", "ᠣᠨ ᠤ ᠠᠮᠠᠷᠠᠯᠲᠠ", "ᠰᠠᠷ\u180Eᠠ", "\u180B ᠪᠢᠴᠢᠭ\u180C", "{year} ᠣᠨ ᠤ", "ᠬоᠰᠢᠭᠤ", "a\u202F\u202Fᠤ", "\r\n ᠠ \n ᠡ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Normalize("mn", s)
		if err != nil {
			return
		}
		again, err := Normalize("mn", out)
		if err != nil || again != out {
			t.Fatalf("not a fixed point: %q → %q → %q (%v)", s, out, again, err)
		}
		if Fold(out) != Fold(again) {
			t.Fatal("fold differs")
		}
	})
}

// FuzzReadXLIFF: no file panics the reader; one it takes writes back to one it reads to the same rows.
func FuzzReadXLIFF(f *testing.F) {
	var buf bytes.Buffer
	WriteXLIFF(&buf, []String{{Key: "c:1", Zh: "居民身份证", Mn: "ᠪᠡᠶ᠎ᠡ", Status: Composed, Version: 2}, {Key: "i:nav.home", Zh: "首页", Status: Missing}})
	f.Add(buf.Bytes())
	f.Add([]byte(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"><file id="f"><unit id="x"><segment><source>a</source></segment></unit></file></xliff>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := ReadXLIFF(b)
		if err != nil {
			return
		}
		strs := make([]String, len(rows))
		for i, r := range rows {
			strs[i] = String{Key: r.Key, Zh: r.Zh, Mn: r.Mn, Version: r.Version}
		}
		var out bytes.Buffer
		if err := WriteXLIFF(&out, strs); err != nil {
			t.Fatal(err)
		}
		back, err := ReadXLIFF(out.Bytes())
		if err != nil || len(back) != len(rows) {
			t.Fatalf("round trip: %d → %d rows, %v", len(rows), len(back), err)
		}
	})
}
