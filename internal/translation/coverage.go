package translation

import (
	"strconv"
	"strings"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
)

// Tally counts strings by status.
type Tally struct {
	Attested, Reviewed, Composed, Missing int
}

// Add counts one string.
func (t *Tally) Add(s Status) {
	switch s {
	case Attested:
		t.Attested++
	case Reviewed:
		t.Reviewed++
	case Composed:
		t.Composed++
	default:
		t.Missing++
	}
}

// Plus adds another tally.
func (t Tally) Plus(o Tally) Tally {
	return Tally{t.Attested + o.Attested, t.Reviewed + o.Reviewed, t.Composed + o.Composed, t.Missing + o.Missing}
}

// Total is every string counted.
func (t Tally) Total() int { return t.Attested + t.Reviewed + t.Composed + t.Missing }

// Of returns the count of one status.
func (t Tally) Of(s Status) int {
	switch s {
	case Attested:
		return t.Attested
	case Reviewed:
		return t.Reviewed
	case Composed:
		return t.Composed
	}
	return t.Missing
}

// Shown is how many strings show Mongolian at all (attested, reviewed or composed), per thousand of the
// total: what a reader in Mongolian mode sees in Mongolian.
func (t Tally) Shown() int {
	if t.Total() == 0 {
		return 1000
	}
	return (t.Attested + t.Reviewed + t.Composed) * 1000 / t.Total()
}

// Confirmed is how many are attested or reviewed by a person, per thousand.
func (t Tally) Confirmed() int {
	if t.Total() == 0 {
		return 1000
	}
	return (t.Attested + t.Reviewed) * 1000 / t.Total()
}

// ByKind tallies strings by kind.
func ByKind(strs []String) map[Kind]Tally {
	out := map[Kind]Tally{}
	for _, s := range strs {
		t := out[s.Kind]
		t.Add(s.Status)
		out[s.Kind] = t
	}
	return out
}

// Text is one translatable text of an item, with where it stands on the guide.
type Text struct {
	Field string // the element, as a path: "materials[2].notes"
	Zh    string
	Mn    string // a Mongolian the item itself carries (its name), a seed for the string
	Topic bool   // a topic, which also names a portal page
}

// ItemTexts lists the texts of an item a reader of its guide sees in words (not codes, numbers or
// addresses): its name, conditions, materials with their notes, sources and acceptance standards, steps,
// place, hours, fees, legal basis, result, the visit reason, and its topics.
func ItemTexts(it catalog.Item) []Text {
	var out []Text
	add := func(field, zh, mn string) {
		if zh = strings.TrimSpace(zh); zh != "" {
			out = append(out, Text{Field: field, Zh: zh, Mn: mn})
		}
	}
	add("name", it.NameZh, it.NameMn)
	add("conditions", it.Conditions, "")
	for i, m := range it.Materials {
		p := "materials[" + strconv.Itoa(i) + "]."
		add(p+"name", m.Name, "")
		add(p+"notes", m.Notes, "")
		add(p+"source", m.Source, "")
		add(p+"standard", m.Standard, "")
	}
	for i, s := range it.Steps {
		add("steps["+strconv.Itoa(i)+"].name", s.Name, "")
		// a special procedure the interface names (公示, 听证 ...: suspend_kind.*) is no catalog text
		if cases.SuspendKindCode(s.Special) == "other" && s.Special != "其他" {
			add("steps["+strconv.Itoa(i)+"].special", s.Special, "")
		}
	}
	add("place", it.Place, "")
	add("hours", it.Hours, "")
	for i, f := range it.Fees {
		p := "fees[" + strconv.Itoa(i) + "]."
		add(p+"name", f.Name, "")
		add(p+"basis", f.Basis, "")
	}
	for i, b := range it.LegalBasis {
		add("legal_basis["+strconv.Itoa(i)+"]", b, "")
	}
	add("result_name", it.ResultName, "")
	add("visit_reason", it.VisitReason, "")
	add("promised_limit.note", it.PromisedLimit.Note, "")
	for _, t := range it.Topics {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, Text{Field: "topics", Zh: t, Topic: true})
		}
	}
	return out
}
