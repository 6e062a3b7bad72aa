package translation

import (
	_ "embed"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// glossary.json is shared/fixtures/mongolian-terms.json trimmed to what Bianmin reads: each attested term
// (Chinese, Mongolian, confidence, source) and the known-wrong pairs. Nothing in it was composed by us.
//
//go:embed glossary.json
var glossaryFile []byte

// Term is one attested pairing, or a reviewed string used as one.
type Term struct {
	Zh         string `json:"zh"`
	Mn         string `json:"mn"`
	Confidence string `json:"confidence"`
	Source     string `json:"source"`
	Reviewed   bool   `json:"-"` // from Bianmin's own reviewed strings, not the fixture
}

// Wrong is a pairing a source has that is known to be wrong, with the reason.
type Wrong struct {
	Zh     string `json:"zh"`
	Mn     string `json:"mn"`
	Reason string `json:"reason"`
}

// Glossary is the attested terms, the reviewed strings short enough to be terms, and the known-wrong pairs.
type Glossary struct {
	Terms []Term
	Wrong []Wrong
	byZh  map[string][]Term
	maxZh int
}

// MaxTermLen is the longest Chinese (in characters) a reviewed string may have to be used as a glossary term:
// longer strings are sentences, not terms.
const MaxTermLen = 8

// trusted reports whether a term's confidence is enough to warn when a string contradicts it: the fixture's
// low entries are likely machine-made and its medium-low ones a dictionary sense picked among many.
func (t Term) trusted() bool {
	return t.Reviewed || t.Confidence == "high" || t.Confidence == "medium-high" || t.Confidence == "medium"
}

// LoadGlossary reads the embedded glossary and adds the reviewed strings (zh → mn) given.
func LoadGlossary(reviewed map[string]string) (*Glossary, error) {
	var f struct {
		Terms      []Term  `json:"terms"`
		KnownWrong []Wrong `json:"known_wrong"`
	}
	if err := json.Unmarshal(glossaryFile, &f); err != nil {
		return nil, err
	}
	g := &Glossary{Terms: f.Terms, Wrong: f.KnownWrong}
	zhs := make([]string, 0, len(reviewed))
	for zh := range reviewed {
		zhs = append(zhs, zh)
	}
	slices.Sort(zhs)
	for _, zh := range zhs {
		if n := utf8.RuneCountInString(zh); n > 0 && n <= MaxTermLen && HasMongolian(reviewed[zh]) {
			g.Terms = append(g.Terms, Term{Zh: zh, Mn: reviewed[zh], Confidence: "reviewed", Source: "Bianmin", Reviewed: true})
		}
	}
	g.index()
	return g, nil
}

func (g *Glossary) index() {
	g.byZh = map[string][]Term{}
	for _, t := range g.Terms {
		g.byZh[t.Zh] = append(g.byZh[t.Zh], t)
		if n := utf8.RuneCountInString(t.Zh); n > g.maxZh {
			g.maxZh = n
		}
	}
}

// Lookup returns the terms for a Chinese word, attested ones first.
func (g *Glossary) Lookup(zh string) []Term { return g.byZh[zh] }

// Attested reports whether mn is an attested spelling of zh (compared folded), and at which confidence.
func (g *Glossary) Attested(zh, mn string) (Term, bool) {
	for _, t := range g.byZh[strings.TrimSpace(zh)] {
		if !t.Reviewed && Fold(t.Mn) == Fold(mn) {
			return t, true
		}
	}
	return Term{}, false
}

// Exact returns the trusted attested spelling of exactly this Chinese (no reviewed string, no low or
// medium-low term), for content that says nothing more than an attested term (居民户口簿).
func (g *Glossary) Exact(zh string) (Term, bool) {
	rank := map[string]int{"high": 0, "medium-high": 1, "medium": 2}
	var best Term
	found := false
	for _, t := range g.byZh[strings.TrimSpace(zh)] {
		if t.Reviewed || !t.trusted() {
			continue
		}
		if !found || rank[t.Confidence] < rank[best.Confidence] {
			best, found = t, true
		}
	}
	return best, found
}

// Warning is a reason to look at a string again: it contradicts an attested term, or uses a known-wrong
// pairing.
type Warning struct {
	Key  string // catalog key of the message: glossary.contradicts, glossary.known_wrong
	Zh   string // the term's Chinese
	Mn   string // the attested spelling, or the known-wrong one
	Note string // the reason a pairing is wrong
}

// Check compares a string with the glossary. A term whose Chinese (two characters or more) appears in zh
// while none of its trusted spellings appears in mn is a contradiction; a known-wrong pairing whose both
// sides appear is a known-wrong use. Spellings are compared folded (Fold), so a missing U+180E or a space in
// place of U+202F is no contradiction.
func (g *Glossary) Check(zh, mn string) []Warning {
	if strings.TrimSpace(mn) == "" {
		return nil
	}
	fm := Fold(mn)
	var out []Warning
	for _, w := range g.Wrong {
		if strings.Contains(zh, w.Zh) && strings.Contains(fm, Fold(w.Mn)) {
			out = append(out, Warning{Key: "glossary.known_wrong", Zh: w.Zh, Mn: w.Mn, Note: w.Reason})
		}
	}
	seen := map[string]bool{}
	for zhTerm, terms := range g.byZh {
		if utf8.RuneCountInString(zhTerm) < 2 || !strings.Contains(zh, zhTerm) || seen[zhTerm] {
			continue
		}
		var trusted []Term
		found := false
		for _, t := range terms {
			if !t.trusted() {
				continue
			}
			trusted = append(trusted, t)
			if strings.Contains(fm, Fold(t.Mn)) {
				found = true
			}
		}
		// A longer term that contains this one and is satisfied speaks for it (所属乡镇 over 乡镇).
		if len(trusted) == 0 || found || g.coveredByLonger(zh, fm, zhTerm) {
			continue
		}
		seen[zhTerm] = true
		out = append(out, Warning{Key: "glossary.contradicts", Zh: zhTerm, Mn: trusted[0].Mn})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key > out[j].Key
		}
		return out[i].Zh < out[j].Zh
	})
	return out
}

func (g *Glossary) coveredByLonger(zh, fm, term string) bool {
	for zhTerm, terms := range g.byZh {
		if len(zhTerm) <= len(term) || !strings.Contains(zhTerm, term) || !strings.Contains(zh, zhTerm) {
			continue
		}
		for _, t := range terms {
			if t.trusted() && strings.Contains(fm, Fold(t.Mn)) {
				return true
			}
		}
	}
	return false
}

// Relevant lists the glossary terms whose Chinese appears in zh, longest first: the glossary panel beside a
// string.
func (g *Glossary) Relevant(zh string) []Term {
	var out []Term
	for zhTerm, terms := range g.byZh {
		if utf8.RuneCountInString(zhTerm) >= 1 && strings.Contains(zh, zhTerm) {
			out = append(out, terms...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		li, lj := utf8.RuneCountInString(out[i].Zh), utf8.RuneCountInString(out[j].Zh)
		if li != lj {
			return li > lj
		}
		if out[i].Zh != out[j].Zh {
			return out[i].Zh < out[j].Zh
		}
		return out[i].Mn < out[j].Mn
	})
	if len(out) > 20 {
		out = out[:20]
	}
	return out
}

// Proposal is the transliteration aid's answer for a Chinese name: a Mongolian spelling put together from
// attested pieces, the pieces it used, and the characters no attested piece covers. A proposal is always
// composed, never attested, and is shown for a person to take or leave, never saved by itself.
type Proposal struct {
	Mn        string
	Pieces    []Term
	Uncovered []string // runs of Chinese with no attested spelling, in order
	Status    Status   // always Composed
}

// Complete reports whether every character of the name had an attested spelling.
func (p Proposal) Complete() bool { return len(p.Uncovered) == 0 && p.Mn != "" }

// Propose spells a Chinese name from the glossary's attested pieces, longest first from the left (阿鲁科尔沁
// + 旗, 嘎查, 村, 镇, 苏木 ...): place names are mostly transliterated syllables plus a kind word, and the
// glossary attests both for many. Pieces follow one another as words; a run no piece covers is reported and
// left out of the spelling, so that a person fills it in.
func (g *Glossary) Propose(zh string) Proposal {
	p := Proposal{Status: Composed}
	rs := []rune(strings.TrimSpace(zh))
	var words []string
	var gap []rune
	flush := func() {
		if len(gap) > 0 {
			p.Uncovered = append(p.Uncovered, string(gap))
			gap = nil
		}
	}
	for i := 0; i < len(rs); {
		matched := false
		for n := min(g.maxZh, len(rs)-i); n >= 1; n-- {
			t, ok := g.best(string(rs[i : i+n]))
			if !ok {
				continue
			}
			flush()
			p.Pieces = append(p.Pieces, t)
			words = append(words, t.Mn)
			i += n
			matched = true
			break
		}
		if !matched {
			gap = append(gap, rs[i])
			i++
		}
	}
	flush()
	p.Mn = strings.Join(words, " ")
	return p
}

// best is the term to spell a piece with: reviewed first, then by confidence.
func (g *Glossary) best(zh string) (Term, bool) {
	rank := map[string]int{"reviewed": 0, "high": 1, "medium-high": 2, "medium": 3, "medium-low": 4, "low": 5}
	var best Term
	found := false
	for _, t := range g.byZh[zh] {
		if !found || rank[t.Confidence] < rank[best.Confidence] {
			best, found = t, true
		}
	}
	return best, found
}
