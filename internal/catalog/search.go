package catalog

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Search works on terms that both databases index the same way (a plain table and a B-tree), so that one
// query finds an item on SQLite and on PostgreSQL alike:
//   - Chinese: every character and every pair of neighbouring characters ("zh:户口"), so that two-character
//     words such as 户口 and 低保 are found inside longer names, which trigram indexes miss;
//   - pinyin of names and aliases: every run of syllables joined ("py:dibao") and every run of their initials
//     ("pi:db"), so that "dibao" and "db" find 低保;
//   - Mongolian: words, with variation selectors removed ("mn:ᠠᠮᠢᠳᠤᠷᠠᠯ");
//   - other words and numbers ("w:...").

// Weights of the places a term comes from: a match in the name counts most.
const (
	WeightName     = 10
	WeightAlias    = 8
	WeightTopic    = 4
	WeightMaterial = 2
	WeightText     = 1
)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Fallback = func(r rune, a pinyin.Args) []string { return nil }
	return a
}()

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isMongolian(r rune) bool { return r >= 0x1800 && r <= 0x18AF }

// normalizeMongolian drops the free variation selectors and the vowel separator, which change a letter's
// shape but not the word, and turns the narrow no-break space before suffixes into a word break.
func normalizeMongolian(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x180B && r <= 0x180F:
			return -1
		case r == 0x202F:
			return ' '
		}
		return r
	}, s)
}

// runs splits text into runs of Han characters, Mongolian words and other words.
func runs(s string) (han, mongol, other []string) {
	s = normalizeMongolian(s)
	var cur []rune
	kind := 0 // 1 han, 2 mongolian, 3 other
	flush := func() {
		if len(cur) > 0 {
			switch kind {
			case 1:
				han = append(han, string(cur))
			case 2:
				mongol = append(mongol, string(cur))
			case 3:
				other = append(other, strings.ToLower(string(cur)))
			}
		}
		cur, kind = cur[:0], 0
	}
	for _, r := range s {
		k := 0
		switch {
		case isHan(r):
			k = 1
		case isMongolian(r) && r != 0x1802 && r != 0x1803: // ᠂ ᠃ are punctuation
			k = 2
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			k = 3
		}
		if k != kind {
			flush()
		}
		if k != 0 {
			cur = append(cur, r)
			kind = k
		}
	}
	flush()
	return
}

func addHan(terms map[string]int, run string, w int) {
	rs := []rune(run)
	for i := range rs {
		bump(terms, "zh:"+string(rs[i]), w)
		if i+1 < len(rs) {
			bump(terms, "zh:"+string(rs[i:i+2]), w)
		}
	}
}

func addPinyin(terms map[string]int, run string, w int) {
	syl := pinyin.LazyPinyin(run, pinyinArgs)
	for i := range syl {
		full, ini := "", ""
		for j := i; j < len(syl) && j < i+8; j++ {
			full += syl[j]
			ini += syl[j][:1]
			bump(terms, "py:"+full, w)
			if j > i {
				bump(terms, "pi:"+ini, w)
			}
		}
	}
}

func bump(terms map[string]int, t string, w int) {
	if terms[t] < w {
		terms[t] = w
	}
}

// AddText adds the terms of a piece of text with a weight; withPinyin also indexes its pinyin.
func AddText(terms map[string]int, s string, w int, withPinyin bool) {
	han, mongol, other := runs(s)
	for _, h := range han {
		addHan(terms, h, w)
		if withPinyin {
			addPinyin(terms, h, w)
		}
	}
	for _, m := range mongol {
		bump(terms, "mn:"+m, w)
	}
	for _, o := range other {
		bump(terms, "w:"+o, w)
	}
}

// WeightExact marks a name or alias spelled exactly as typed, in characters, pinyin or initials: what a
// resident who types 低保, dibao or db means.
const WeightExact = 10000

// exactTerms are the spellings of a name or alias as a whole.
func exactTerms(t map[string]int, name string) {
	name = strings.ToLower(strings.Join(strings.Fields(normalizeMongolian(name)), ""))
	if name == "" {
		return
	}
	bump(t, "x:"+name, WeightExact)
	if full, ini := Pinyin(name); full != "" {
		bump(t, "x:"+full, WeightExact)
		bump(t, "x:"+ini, WeightExact)
	}
}

// Terms returns the search terms of an item, each with the weight of the best place it occurs.
func Terms(it Item) map[string]int {
	t := map[string]int{}
	exactTerms(t, it.NameZh)
	exactTerms(t, it.NameMn)
	for _, a := range it.Aliases {
		exactTerms(t, a)
	}
	AddText(t, it.NameZh, WeightName, true)
	AddText(t, it.NameMn, WeightName, false)
	for _, a := range it.Aliases {
		AddText(t, a, WeightAlias, true)
	}
	for _, tp := range it.Topics {
		AddText(t, tp, WeightTopic, false)
	}
	for _, m := range it.Materials {
		AddText(t, m.Name, WeightMaterial, false)
	}
	for _, s := range []string{it.Conditions, it.Department, it.ResultName, it.BaseCode, it.ImplCode} {
		AddText(t, s, WeightText, false)
	}
	for _, s := range it.Steps {
		AddText(t, s.Name, WeightText, false)
	}
	return t
}

// Exact is the term that matches a name or alias spelled exactly as q.
func Exact(q string) string {
	return "x:" + strings.ToLower(strings.Join(strings.Fields(normalizeMongolian(q)), ""))
}

// Query turns what a person typed into groups of terms: an item matches when it has at least one term of
// every group. Chinese is matched by its character pairs, Latin letters as pinyin (full or initials), and
// Mongolian by its words.
func Query(q string) [][]string {
	han, mongol, other := runs(q)
	var groups [][]string
	for _, h := range han {
		rs := []rune(h)
		if len(rs) == 1 {
			groups = append(groups, []string{"zh:" + h})
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			groups = append(groups, []string{"zh:" + string(rs[i:i+2])})
		}
	}
	for _, m := range mongol {
		groups = append(groups, []string{"mn:" + m})
	}
	for _, o := range other {
		groups = append(groups, []string{"py:" + o, "pi:" + o, "w:" + o})
	}
	return groups
}

// Pinyin returns the full pinyin and the initials of the Chinese in s, without tones or spaces:
// 低保 → "dibao", "db".
func Pinyin(s string) (full, initials string) {
	for _, syl := range PinyinSyllables(s) {
		full += syl
		initials += syl[:1]
	}
	return
}

// PinyinSyllables returns the pinyin of each Chinese character of s, without tones: 王秀英 → wang, xiu, ying.
func PinyinSyllables(s string) []string { return pinyin.LazyPinyin(s, pinyinArgs) }
