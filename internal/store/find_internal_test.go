package store

import (
	"regexp"
	"slices"
	"strconv"
	"testing"
	"unicode"
)

// A text whose term is exact is counted from the terms alone: one or two characters of a script without
// letter case. Latin (found inside the pinyin anywhere), letters with case, spaces and longer texts are not.
func TestTermExact(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"", false},
		{"王", true},
		{"秀英", true},
		{"周秀英", false}, // found by its first pair, which more names hold
		{"ᠪᠠ", true},   // traditional Mongolian: no letter case
		{"ᠪᠠᠲᠤ", false},
		{"wang", false}, // pinyin: its terms start at a syllable, the LIKE anywhere
		{"w", false},
		{"Ба", false}, // Cyrillic has case: the terms are lower case, the LIKE is not
		{"ба", false},
		{"王 ", false},
		{"王1", false},
	} {
		if got := termExact(tc.text); got != tc.want {
			t.Errorf("termExact(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// A name's pairs are of characters side by side in it: none across a space (Mongolian's narrow no-break
// space and the ideographic space too), so that a pair's holders are the names holding the pair.
func TestNameTermsWithinWords(t *testing.T) {
	for _, tc := range []struct {
		name       string
		want, none []string
	}{
		{"王秀英", []string{"c:王", "b:王秀", "b:秀英", "p:wangxiuying", "i:wxy"}, nil},
		{"乌力吉 白音", []string{"b:力吉", "b:白音", "c:白"}, []string{"b:吉白"}},
		{"乌力吉　白音", []string{"b:力吉", "b:白音"}, []string{"b:吉白"}},
		{"ᠪᠠᠲᠤ\u202fᠶᠢᠨ", []string{"b:ᠪᠠ", "b:ᠶᠢ"}, []string{"b:ᠤᠶ"}},
	} {
		terms := nameTerms(tc.name)
		for _, w := range tc.want {
			if !slices.Contains(terms, w) {
				t.Errorf("%q: no term %q in %v", tc.name, w, terms)
			}
		}
		for _, n := range tc.none {
			if slices.Contains(terms, n) {
				t.Errorf("%q: term %q across a space", tc.name, n)
			}
		}
	}
}

// Migration 088 gives new terms to the names holding a space, each as unicode.IsSpace has it, on both
// engines: a space it missed would leave a name's old pair across it, and the count of that pair wrong.
func TestMigration088Spaces(t *testing.T) {
	var want []int
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			want = append(want, int(r))
		}
	}
	for engine, fn := range map[string]string{"postgres": "chr", "sqlite": "char"} {
		b, err := migrations.ReadFile("migrations/" + engine + "/088_terms_within_words.sql")
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, m := range regexp.MustCompile(fn+`\((\d+)\)`).FindAllStringSubmatch(string(b), -1) {
			n, _ := strconv.Atoi(m[1])
			got = append(got, n)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the migration looks for %v, unicode.IsSpace takes %v", engine, got, want)
		}
	}
}
