package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"testing"
)

// inflate reads what deflateFixed wrote with the standard library's reader, as UnpackJSON does.
func inflate(t testing.TB, b []byte) string {
	r := flate.NewReaderDict(bytes.NewReader(b[1:]), []byte(packDicts[packVersion]))
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%d bytes do not inflate: %v", len(b), err)
	}
	return string(out)
}

// The encoder's edges: every match length from 3 to 258 and past it (runs of one byte), matches into the
// dictionary and across its end, distances of every extra-bit width up to the window's 32 KB, the byte
// values of each fixed code range, and text that matches nothing.
func TestDeflateFixed(t *testing.T) {
	d := packDicts[packVersion]
	var far strings.Builder // a repeat 20–30 KB back, past the dictionary
	far.WriteString("ᠮᠣᠩᠭᠣᠯ-unique-head-")
	for i := 0; far.Len() < 30000; i++ {
		far.WriteString(strings.Repeat(string(rune('a'+i%26)), 1+i%7))
	}
	far.WriteString("ᠮᠣᠩᠭᠣᠯ-unique-head-")
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	cases := map[string]string{
		"one byte":            "x",
		"the dictionary":      d,
		"its last bytes":      d[len(d)-40:] + d[len(d)-40:],
		"its first bytes":     d[:300],
		"a run of 3":          "aaa",
		"a run of 259":        strings.Repeat("a", 259),
		"a run of 1000":       strings.Repeat("b", 1000),
		"every byte value":    string(every) + string(every),
		"far matches":         far.String(),
		"past packSmall":      strings.Repeat(packAccept, 4),
		"a lifecycle's entry": packAccept,
		"a paper":             packPaper,
		"a pass":              packPass,
	}
	for l := 3; l <= 260; l++ { // every length code and its extra bits, after a byte that stops the run
		cases[fmt.Sprintf("length %d", l)] = "{" + strings.Repeat("z", l) + "}" + strings.Repeat("z", l)
	}
	for name, s := range cases {
		b := deflateFixed(packLZ, packVersion, s)
		if b[0] != packVersion {
			t.Fatalf("%s: version byte %d", name, b[0])
		}
		if got := inflate(t, b); got != s {
			t.Fatalf("%s: %d bytes back as %d: %.60q", name, len(s), len(got), got)
		}
	}
	// a value of the dictionary's own shapes costs a few bytes, not its length
	if b := deflateFixed(packLZ, packVersion, d[len(d)-500:]); len(b) > 20 {
		t.Errorf("500 bytes of the dictionary's end packed to %d bytes", len(b))
	}
	// about as small as the standard library's best for what a lifecycle keeps: over 80,000 generated values
	// audit entries came to 0.75–0.94 of its size (its Close adds an empty stored block of 5 bytes),
	// notices 0.96 and timelines 1.01; a notice's paper, mostly Chinese, is where its dynamic codes win
	// (151 bytes against 134: a CJK character's bytes cost 9 bits each in the fixed codes)
	var ours, std int
	for _, x := range packSamples {
		var b bytes.Buffer
		w, _ := flate.NewWriterDict(&b, flate.BestCompression, []byte(d))
		io.WriteString(w, x.doc)
		w.Close()
		ours, std = ours+len(deflateFixed(packLZ, packVersion, x.doc))-1, std+b.Len()
	}
	if float64(ours) > 1.05*float64(std) {
		t.Errorf("a lifecycle's samples: %d bytes, the standard library's %d", ours, std)
	}
}

func FuzzDeflateFixed(f *testing.F) {
	for _, s := range []string{"", "a", packAccept, packPaper, packPass, strings.Repeat("ab", 300), packDicts[packVersion][:100]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		if got := inflate(t, deflateFixed(packLZ, packVersion, s)); got != s {
			t.Fatalf("%q back as %q", s, got)
		}
		// packJSON's choice (this encoder, the standard library's or the text itself) reads back too, for
		// what it is given: JSON text, which never begins with a version byte's control character
		if isPacked(s[0]) {
			return
		}
		p := postgres.packJSON(s).([]byte)
		if back, err := UnpackJSON(p); err != nil || back != s {
			t.Fatalf("%q: packJSON back as %q, %v", s, back, err)
		}
	})
}
