package translation

import (
	"bytes"
	"strings"
	"testing"

	"bianmin/internal/errs"
)

// Normalisation keeps what GB/T 25914-2023 needs (FVS after a letter, MVS before a final ᠠ/ᠡ, U+202F before
// a detached suffix) and refuses look-alikes, naming the word.
func TestNormalize(t *testing.T) {
	cases := []struct {
		name, in, want, errKey string
	}{
		{"plain word", "ᠪᠠᠯᠭᠠᠰᠤ", "ᠪᠠᠯᠭᠠᠰᠤ", ""},
		{"trim and collapse", "  ᠬᠣᠰᠢᠭᠤ \u00A0\u3000 ᠨᠡᠷ᠎ᠡ ", "ᠬᠣᠰᠢᠭᠤ ᠨᠡᠷ᠎ᠡ", ""},
		{"fvs after a letter kept", "ᠪᠢᠴᠢᠭ\u180C", "ᠪᠢᠴᠢᠭ\u180C", ""},
		{"fvs4 after a letter kept", "ᠶ\u180Fᠢᠨ", "ᠶ\u180Fᠢᠨ", ""},
		{"stray fvs dropped", "\u180B ᠪᠢᠴᠢᠭ", "ᠪᠢᠴᠢᠭ", ""},
		{"fvs after a space dropped", "ᠪᠢᠴᠢᠭ \u180Cᠤᠨ", "ᠪᠢᠴᠢᠭ\u202Fᠤᠨ", ""},
		{"mvs before final a kept", "ᠰᠠᠷ\u180Eᠠ", "ᠰᠠᠷ\u180Eᠠ", ""},
		{"mvs elsewhere dropped", "ᠰᠠᠷ\u180Eᠢ", "ᠰᠠᠷᠢ", ""},
		{"space before suffix becomes nnbsp", "ᠣᠨ ᠤ ᠠᠮᠠᠷᠠᠯᠲᠠ ᠶᠢᠨ ᠵᠢᠭᠰᠠᠭᠠᠯᠲᠠ", "ᠣᠨ\u202Fᠤ ᠠᠮᠠᠷᠠᠯᠲᠠ\u202Fᠶᠢᠨ ᠵᠢᠭᠰᠠᠭᠠᠯᠲᠠ", ""},
		{"nnbsp kept before a suffix", "ᠠᠷᠠᠳ\u202Fᠤᠨ", "ᠠᠷᠠᠳ\u202Fᠤᠨ", ""},
		{"nnbsp joining nothing becomes a space", "ᠠᠷᠠᠳ\u202F ᠵᠠᠰᠠᠭ\u202F", "ᠠᠷᠠᠳ ᠵᠠᠰᠠᠭ", ""},
		{"zero width junk dropped", "ᠨᠡᠷ\u200B᠎ᠡ\uFEFF", "ᠨᠡᠷ᠎ᠡ", ""},
		{"placeholders kept", "{year} ᠣᠨ ᠤ", "{year} ᠣᠨ\u202Fᠤ", ""},
		{"a Latin word standing alone kept", "PDF ᠹᠠᠢᠯ", "PDF ᠹᠠᠢᠯ", ""},
		{"latin a inside a word refused", "ᠪaᠯᠭᠠᠰᠤ", "", "err.mn.latin"},
		{"cyrillic refused", "ᠪᠠᠯᠭᠠᠰᠤ сум", "", "err.mn.cyrillic"},
		{"cyrillic look-alike o inside a word refused", "ᠬоᠰᠢᠭᠤ", "", "err.mn.cyrillic"},
		{"too long", strings.Repeat("ᠠ", MaxText+1), "", "err.too_long"},
		{"empty", "  \u200B ", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Normalize("mn", c.in)
			if c.errKey != "" {
				e, ok := err.(*errs.Error)
				if !ok || e.Key != c.errKey || e.Field != "mn" {
					t.Fatalf("want %s, got %v", c.errKey, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Normalize(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
			// normalising twice changes nothing
			if again, _ := Normalize("mn", got); again != got {
				t.Fatalf("not idempotent: %q → %q", got, again)
			}
		})
	}
}

// What reviewers type compares equal to the byte-exact spelling: a missing MVS or a space for U+202F.
func TestFold(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"ᠰᠠᠷ᠎ᠠ", "ᠰᠠᠷᠠ", true},
		{"ᠠᠷᠠᠳ\u202Fᠤᠨ", "ᠠᠷᠠᠳ ᠤᠨ", true},
		{"ᠪᠢᠴᠢᠭ\u180C", "ᠪᠢᠴᠢᠭ", true},
		{"ᠪᠠᠯᠭᠠᠰᠤ", "ᠰᠤᠮᠤ", false},
		{"ᠣᠨ", "ᠤᠨ", false}, // ᠣ and ᠤ are two letters, whatever one source did
	}
	for _, c := range cases {
		if (Fold(c.a) == Fold(c.b)) != c.same {
			t.Errorf("Fold(%q) vs Fold(%q): same=%v", c.a, c.b, !c.same)
		}
	}
}

func TestApply(t *testing.T) {
	cur := String{Key: "c:1", Zh: "居民身份证", Mn: "", Status: Missing, Version: 1}
	cases := []struct {
		name   string
		cur    String
		c      Change
		status Status
		errKey string
	}{
		{"accept nothing", cur, Change{Action: Accept}, "", "err.required"},
		{"compose", cur, Change{Action: Compose, Mn: "ᠪᠡᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠯ"}, Composed, ""},
		{"correct", cur, Change{Action: Correct, Mn: "ᠪᠡᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠯ"}, Reviewed, ""},
		{"correct with Chinese only", cur, Change{Action: Correct, Mn: "身份证"}, "", "err.name_mn.script"},
		{"accept composed", String{Mn: "ᠨᠡᠷ᠎ᠡ", Status: Composed}, Change{Action: Accept}, Reviewed, ""},
		{"accept attested stays attested", String{Mn: "ᠨᠡᠷ᠎ᠡ", Status: Attested}, Change{Action: Accept}, Attested, ""},
		{"empty comment", cur, Change{Action: Comment}, "", "err.required"},
		{"comment", cur, Change{Action: Comment, Comment: "请核对"}, Missing, ""},
		{"long comment", cur, Change{Action: Comment, Comment: strings.Repeat("字", MaxComment+1)}, "", "err.too_long"},
		{"unknown action", cur, Change{Action: "x"}, "", "err.mn.action"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Apply(c.cur, c.c)
			if c.errKey != "" {
				if e, ok := err.(*errs.Error); !ok || e.Key != c.errKey {
					t.Fatalf("want %s, got %v", c.errKey, err)
				}
				return
			}
			if err != nil || got.Status != c.status {
				t.Fatalf("got %v %v, want %v", got.Status, err, c.status)
			}
		})
	}
}

func testGlossary(t *testing.T) *Glossary {
	g, err := LoadGlossary(map[string]string{"潘家": "ᠫᠠᠨ ᠵᠢᠶᠠ", "湾": "ᠸᠠᠨ"})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The glossary warns when a string misses the attested spelling of a term it contains, or uses a known-wrong
// pairing; the fixture's low and medium-low terms do not warn.
func TestGlossaryCheck(t *testing.T) {
	g := testGlossary(t)
	if len(g.Terms) < 400 || len(g.Wrong) < 10 {
		t.Fatalf("glossary too small: %d terms, %d wrong", len(g.Terms), len(g.Wrong))
	}
	cases := []struct {
		name, zh, mn string
		want         []string // warning keys with their terms
	}{
		{"attested spelling", "居民户口簿", "ᠰᠠᠭᠤᠭᠠᠯᠢ ᠠᠷᠠᠳ ᠤᠨ ᠡᠷᠦᠬᠡ ᠠᠮᠠ ᠶᠢᠨ ᠳᠡᠪᠲᠡᠷ", nil},
		{"attested spelling typed with NNBSP", "居民户口簿", "ᠰᠠᠭᠤᠭᠠᠯᠢ ᠠᠷᠠᠳ\u202Fᠤᠨ ᠡᠷᠦᠬᠡ ᠠᠮᠠ\u202Fᠶᠢᠨ ᠳᠡᠪᠲᠡᠷ", nil},
		{"contradicts", "联系电话", "ᠤᠲᠠᠰᠤ", []string{"glossary.contradicts 联系电话"}},
		{"known wrong", "性别", "ᠨᠠᠰᠤ", []string{"glossary.known_wrong 性别"}},
		{"no Mongolian, no warning", "性别", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, w := range g.Check(c.zh, c.mn) {
				got = append(got, w.Key+" "+w.Zh)
			}
			for _, w := range c.want {
				found := false
				for _, x := range got {
					found = found || x == w
				}
				if !found {
					t.Errorf("want %q among %q", w, got)
				}
			}
			if c.want == nil && len(got) > 0 {
				t.Errorf("unexpected warnings %q", got)
			}
		})
	}
}

// A proposal is spelled from attested pieces, marked composed, and names what no piece covers.
func TestPropose(t *testing.T) {
	g := testGlossary(t)
	cases := []struct {
		zh, mn    string
		uncovered []string
	}{
		{"阿鲁科尔沁旗", "ᠠᠷᠤ ᠬᠣᠷᠴᠢᠨ ᠬᠣᠰᠢᠭᠤ", nil},
		{"潘家湾村", "ᠫᠠᠨ ᠵᠢᠶᠠ ᠸᠠᠨ ᠲᠣᠰᠬᠣᠨ", nil},
		{"宝力嘎查", "ᠭᠠᠴᠠᠭ᠎ᠠ", []string{"宝力"}},
		{"坤都镇", "ᠪᠠᠯᠭᠠᠰᠤ", []string{"坤都"}},
	}
	for _, c := range cases {
		p := g.Propose(c.zh)
		if p.Status != Composed {
			t.Fatalf("%s: a proposal is composed, got %s", c.zh, p.Status)
		}
		if p.Mn != c.mn || strings.Join(p.Uncovered, ",") != strings.Join(c.uncovered, ",") {
			t.Errorf("Propose(%s) = %q uncovered %q; want %q %q", c.zh, p.Mn, p.Uncovered, c.mn, c.uncovered)
		}
		if p.Complete() != (c.uncovered == nil) {
			t.Errorf("%s: complete=%v", c.zh, p.Complete())
		}
	}
}

func TestExchangeRoundTrip(t *testing.T) {
	cur := map[string]String{
		"c:a": {Key: "c:a", Kind: Content, Zh: "居民身份证", Status: Missing, Version: 0},
		"c:b": {Key: "c:b", Kind: Content, Zh: "户口簿", Mn: "ᠳᠠᠩᠰᠠ", Status: Composed, Version: 2},
		"i:x": {Key: "i:x", Kind: Interface, Zh: "保存", Mn: "ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ", Status: Attested, Version: 0},
	}
	list := []String{cur["c:a"], cur["c:b"], cur["i:x"]}
	for _, format := range []string{"xlsx", "xliff"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			write, read := WriteXLSX, ReadXLSX
			if format == "xliff" {
				write, read = WriteXLIFF, ReadXLIFF
			}
			if err := write(&buf, list); err != nil {
				t.Fatal(err)
			}
			rows, err := read(buf.Bytes())
			if err != nil || len(rows) != 3 {
				t.Fatalf("read back: %d rows, %v", len(rows), err)
			}
			// unchanged file: nothing to do
			if d, err := Compare(rows, cur); err != nil || len(d) != 0 {
				t.Fatalf("unchanged file: %v %v", d, err)
			}
			rows[0].Mn = "ᠪᠡᠶ᠎ᠡ ᠶᠢᠨ ᠦᠨᠡᠮᠯᠡᠯ"
			d, err := Compare(rows, cur)
			if err != nil || len(d) != 1 || d[0].Key != "c:a" {
				t.Fatalf("one change: %v %v", d, err)
			}
			// one bad row refuses the whole file, named by its place
			rows[1].Mn = "ᠳᠠᠩсᠠ"
			_, err = Compare(rows, cur)
			es := errs.All(err)
			if len(es) != 1 || es[0].Key != "err.mn.cyrillic" {
				t.Fatalf("bad row: %v", err)
			}
			if format == "xlsx" && es[0].Field != "译文!D3 蒙古文" {
				t.Fatalf("cell: %q", es[0].Field)
			}
			if format == "xliff" && !strings.Contains(es[0].Field, "c:b") {
				t.Fatalf("unit: %q", es[0].Field)
			}
		})
	}
}

func TestCompareRefusals(t *testing.T) {
	cur := map[string]String{"c:b": {Key: "c:b", Zh: "户口簿", Mn: "ᠳᠠᠩᠰᠠ", Version: 2}}
	cases := []struct {
		name string
		row  Row
		key  string
	}{
		{"unknown key", Row{Key: "c:zz", Mn: "ᠠ"}, "err.mn.unknown_key"},
		{"chinese changed", Row{Key: "c:b", Zh: "户口本", Mn: "ᠠ", Version: 2}, "err.mn.zh_changed"},
		{"stale version", Row{Key: "c:b", Zh: "户口簿", Mn: "ᠡᠷᠦᠬᠡ", Version: 1}, "err.mn.stale"},
		{"no Mongolian letters", Row{Key: "c:b", Mn: "户口簿", Version: 2}, "err.name_mn.script"},
	}
	for _, c := range cases {
		_, err := Compare([]Row{c.row}, cur)
		if es := errs.All(err); len(es) != 1 || es[0].Key != c.key {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
