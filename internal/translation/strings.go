package translation

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"bianmin/internal/errs"
)

// Status is how far a string's Mongolian has come.
type Status string

const (
	Missing  Status = "missing"  // no Mongolian: pages show the Chinese, marked as Chinese
	Composed Status = "composed" // Mongolian made by us or a tool (a transliteration, a composition): awaits a native reviewer
	Reviewed Status = "reviewed" // a native reviewer accepted or corrected it in Bianmin
	Attested Status = "attested" // found in a bilingual source (the glossary of shared/fixtures), not composed by us
)

// Statuses in the order reports show them.
var Statuses = []Status{Attested, Reviewed, Composed, Missing}

func (s Status) Valid() bool { return s == Missing || s == Composed || s == Reviewed || s == Attested }

// Kind is what a string belongs to, for coverage by kind and for the queue's filter.
type Kind string

const (
	Interface Kind = "interface" // the catalog of interface keys (messages*.json)
	Notices   Kind = "notices"   // the fixed texts of notices, SMS templates and report captions (interface keys by prefix)
	Content   Kind = "catalog"   // item elements and topics: names, conditions, materials and notes, steps, places, hours, fees, legal basis
	Orgs      Kind = "orgs"      // organisations: townships, villages, centers, stations, windows, departments
)

// Kinds in the order reports show them.
var Kinds = []Kind{Interface, Content, Orgs, Notices}

func (k Kind) Valid() bool { return k == Interface || k == Notices || k == Content || k == Orgs }

// noticePrefixes are the interface keys that are the fixed texts of notices (notice.*), the SMS templates
// (msg.*) and the monthly reports' captions (report.*): counted as notices, not as interface.
var noticePrefixes = []string{"notice.", "msg.", "report.", "receipt."}

// KindOfKey classifies an interface key.
func KindOfKey(key string) Kind {
	for _, p := range noticePrefixes {
		if strings.HasPrefix(key, p) {
			return Notices
		}
	}
	return Interface
}

// String is one translatable string: its key (which round-trips through exchange files), its kind, the
// Chinese, the Mongolian and its status, where it appears, and the township it belongs to ("" for strings
// the whole banner shares).
type String struct {
	Key      string
	Kind     Kind
	Zh       string
	Mn       string
	Status   Status
	Where    string // a label: the element ("材料 · 备注"), the key, the organisation's kind
	Context  string // the address of a page that shows it
	Township string // organisation id, for coverage by township
	Version  int
	Updated  string // who changed it last, for the queue
}

// Keys: "i:<interface key>", "o:<organisation id>", "c:<hash of the Chinese>" for catalog content. Content
// is keyed by its Chinese, so that one Mongolian serves every item that says the same thing (居民身份证 is a
// material of thirty items): a translation memory, and a reviewer corrects it once.
const (
	prefixInterface = "i:"
	prefixOrg       = "o:"
	prefixContent   = "c:"
)

// InterfaceKey is the key of an interface string.
func InterfaceKey(k string) string { return prefixInterface + k }

// OrgKey is the key of an organisation's name.
func OrgKey(id string) string { return prefixOrg + id }

// ContentKey is the key of a catalog text: a hash of its Chinese.
func ContentKey(zh string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(zh)))
	return prefixContent + hex.EncodeToString(h[:8])
}

// SplitKey tells what a key names: its kind's prefix and the rest.
func SplitKey(key string) (prefix, rest string, ok bool) {
	for _, p := range []string{prefixInterface, prefixOrg, prefixContent} {
		if strings.HasPrefix(key, p) && len(key) > len(p) {
			return p, key[len(p):], true
		}
	}
	return "", "", false
}

// IsInterface, IsOrg and IsContent classify a key.
func IsInterface(key string) bool { p, _, ok := SplitKey(key); return ok && p == prefixInterface }
func IsOrg(key string) bool       { p, _, ok := SplitKey(key); return ok && p == prefixOrg }
func IsContent(key string) bool   { p, _, ok := SplitKey(key); return ok && p == prefixContent }

// Change is what a reviewer does to a string.
type Change struct {
	Key     string
	Mn      string
	Action  Action
	Comment string
	Version int // the string's version as read: optimistic locking
}

// Action is a reviewer's move on a string.
type Action string

const (
	Accept  Action = "accept"  // the Mongolian as it stands is right: reviewed
	Correct Action = "correct" // a new Mongolian, reviewed by the one who typed it
	Compose Action = "compose" // a new Mongolian awaiting review (a translator's draft, a proposal taken)
	Comment Action = "comment" // a remark, no change
	Revert  Action = "revert"  // back to what a history entry had before
	Import  Action = "import"  // from an exchange file
)

// MaxComment is the longest comment, in characters.
const MaxComment = 500

// Apply validates a change against the string as it stands and returns the string after it. The rules:
// accepting needs a Mongolian to accept; a correction or a composition needs Mongolian text, normalised
// (Normalize); a comment needs words and changes nothing; an attested string stays attested when accepted.
func Apply(cur String, c Change) (String, error) {
	next := cur
	switch c.Action {
	case Accept:
		if strings.TrimSpace(cur.Mn) == "" {
			return cur, errs.Field("mn", "err.required")
		}
		if cur.Status != Attested {
			next.Status = Reviewed
		}
	case Correct, Compose, Import:
		mn, err := Normalize("mn", c.Mn)
		if err != nil {
			return cur, err
		}
		if mn == "" {
			return cur, errs.Field("mn", "err.required")
		}
		if !HasMongolian(mn) {
			return cur, errs.Field("mn", "err.name_mn.script")
		}
		next.Mn = mn
		next.Status = Reviewed
		if c.Action == Compose {
			next.Status = Composed
		}
		if c.Action == Import && cur.Status == Attested && Fold(mn) == Fold(cur.Mn) {
			next.Status = Attested
		}
	case Comment:
		if strings.TrimSpace(c.Comment) == "" {
			return cur, errs.Field("comment", "err.required")
		}
	default:
		return cur, errs.Field("action", "err.mn.action")
	}
	if len([]rune(c.Comment)) > MaxComment {
		return cur, errs.Field("comment", "err.too_long").With("max", "500")
	}
	return next, nil
}
