// Package translation is the work of making Bianmin readable in Mongolian from end to end: the strings a
// person reads (interface keys and content: item elements, topics, organisation names), their status
// (attested, reviewed, composed awaiting review, missing), the checks on Mongolian text as reviewers type it,
// the glossary of attested terms with its warnings, the transliteration aid for place names, coverage
// figures, and the exchange files (XLSX, XLIFF 2.0) for translators outside the system.
package translation

import (
	"strings"
	"unicode"

	"bianmin/internal/errs"
)

// Code points of traditional Mongolian that matter to normalisation (Unicode §13.5; GB/T 25914-2023
// 《信息技术 传统蒙古文名义字符、变形显现字符和控制字符使用规则》).
const (
	fvs1 = '\u180B' // free variation selectors pick a letter's variant form
	fvs2 = '\u180C'
	fvs3 = '\u180D'
	mvs  = '\u180E' // Mongolian vowel separator: before a final ᠠ/ᠡ written apart (ᠰᠠᠷ᠎ᠠ)
	fvs4 = '\u180F'
	nnbs = '\u202F' // narrow no-break space: joins a word and its detached suffix (ᠣᠨ ᠤ → ᠣᠨ\u202Fᠤ)
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// isLetter reports a Mongolian letter (not punctuation, digit or control), after which a variation selector
// may stand.
func isLetter(r rune) bool { return (r >= 0x1820 && r <= 0x1878) || (r >= 0x1880 && r <= 0x18AA) }

// IsMongolianLetter reports whether r is a letter of the traditional Mongolian script.
func IsMongolianLetter(r rune) bool { return isLetter(r) }

func isFVS(r rune) bool { return r == fvs1 || r == fvs2 || r == fvs3 || r == fvs4 }

// suffixes are the case and other particles written apart from their word; the standard joins them with a
// narrow no-break space, which also gives the suffix its medial shapes (GB/T 25914-2023; Unicode §13.5,
// "Narrow No-Break Space"). A plain space typed before one is turned into U+202F.
var suffixes = map[string]bool{
	"ᠤᠨ": true, "ᠦᠨ": true, "ᠶᠢᠨ": true, "ᠤ": true, "ᠦ": true, "ᠢ": true, "ᠶᠢ": true,
	"ᠳᠤ": true, "ᠲᠤ": true, "ᠳᠦ": true, "ᠲᠦ": true, "ᠠᠴᠠ": true, "ᠡᠴᠡ": true,
	"ᠪᠠᠷ": true, "ᠪᠡᠷ": true, "ᠢᠶᠠᠷ": true, "ᠢᠶᠡᠷ": true, "ᠲᠠᠢ": true, "ᠲᠡᠢ": true, "ᠯᠤᠭ᠎ᠠ": true, "ᠯᠦᠭᠡ": true,
}

// spaces a reviewer's keyboard or a copy from a web page may bring in place of a plain space.
func isOddSpace(r rune) bool {
	return r == '\u00A0' || r == '\u3000' || (r >= '\u2000' && r <= '\u200A') || r == '\t'
}

// invisible characters with no place in Mongolian text: zero-width space, word joiner, byte-order mark.
func isJunk(r rune) bool { return r == '\u200B' || r == '\u2060' || r == '\uFEFF' }

// MaxText is the longest Mongolian text a string may carry, in characters.
const MaxText = 2000

// Normalize makes Mongolian text as a reviewer typed it into its standard form, so that search and
// comparison work on it: odd spaces become plain ones and runs of them one; zero-width junk goes; a variation
// selector (FVS1–4) stays only directly after a letter, and the vowel separator only between a letter and a
// final ᠠ/ᠡ; a plain space before a detached suffix becomes the narrow no-break space the standard needs, and
// a narrow no-break space that joins nothing becomes a space. Text with Latin or Cyrillic letters inside a
// Mongolian word (look-alikes typed on the wrong layout: Latin a, Cyrillic о) or with any Cyrillic letter is
// refused, naming the word; Latin words standing alone (PDF, QR) and {placeholders} are kept.
func Normalize(field, s string) (string, error) {
	// line ends as one: a lone carriage return too (the fuzzer found "\r \n" becoming "\r\n" on the first
	// pass and "\n" on the second: normalising must be done in one)
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		switch {
		case isJunk(r):
			continue
		case isOddSpace(r):
			r = ' '
		case isFVS(r):
			if len(out) == 0 || !(isLetter(out[len(out)-1])) {
				continue
			}
		case r == mvs:
			if len(out) == 0 || !isLetter(out[len(out)-1]) || i+1 >= len(rs) || (rs[i+1] != 'ᠠ' && rs[i+1] != 'ᠡ') {
				continue
			}
		case r == nnbs:
			if i+1 >= len(rs) || !isLetter(rs[i+1]) || len(out) == 0 {
				r = ' '
			}
		}
		if r == ' ' && len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == '\n') {
			continue
		}
		if r == '\n' && len(out) > 0 && out[len(out)-1] == ' ' {
			out = out[:len(out)-1]
		}
		out = append(out, r)
	}
	s = strings.TrimSpace(string(out))
	if s == "" {
		return "", nil
	}
	lines := strings.Split(s, "\n")
	for li, line := range lines {
		words := strings.Split(line, " ")
		for i := 1; i < len(words); i++ {
			if suffixes[words[i]] && words[i-1] != "" && endsInLetter(words[i-1]) {
				words[i-1] = words[i-1] + string(nnbs) + words[i]
				words = append(words[:i], words[i+1:]...)
				i--
			}
		}
		lines[li] = strings.Join(words, " ")
	}
	s = strings.Join(lines, "\n")
	if err := lookAlikes(field, s); err != nil {
		return "", err
	}
	if len([]rune(s)) > MaxText {
		return "", errs.Field(field, "err.too_long").With("max", "2000")
	}
	return s, nil
}

func endsInLetter(w string) bool {
	rs := []rune(w)
	for i := len(rs) - 1; i >= 0; i-- {
		if isFVS(rs[i]) {
			continue
		}
		return isLetter(rs[i])
	}
	return false
}

// lookAlikes refuses Cyrillic anywhere and Latin letters inside a word that has Mongolian letters.
func lookAlikes(field, s string) error {
	for _, w := range strings.FieldsFunc(stripPlaceholders(s), func(r rune) bool { return unicode.IsSpace(r) || r == nnbs }) {
		var mn, latin bool
		for _, r := range w {
			switch {
			case unicode.Is(unicode.Cyrillic, r):
				return errs.Field(field, "err.mn.cyrillic").With("word", w)
			case isLetter(r):
				mn = true
			case unicode.Is(unicode.Latin, r):
				latin = true
			}
		}
		if mn && latin {
			return errs.Field(field, "err.mn.latin").With("word", w)
		}
	}
	return nil
}

// stripPlaceholders removes {name} placeholders of interface strings, which are Latin by design.
func stripPlaceholders(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '{':
			depth++
		case r == '}' && depth > 0:
			depth--
			b.WriteRune(' ')
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Fold is the form two Mongolian texts are compared and searched in: without variation selectors, vowel
// separators and joiners (which change shapes, not words), the narrow no-break space read as a space, runs
// of space as one. Text copied from web pages loses U+180E and turns U+202F into a space; Fold makes it equal
// to the byte-exact spelling.
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case isFVS(r) || r == mvs || r == zwj || r == zwnj || isJunk(r):
			continue
		case r == nnbs || unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteRune(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// HasMongolian reports whether s has at least one Mongolian letter.
func HasMongolian(s string) bool {
	for _, r := range s {
		if isLetter(r) {
			return true
		}
	}
	return false
}
