package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/i18n"
	"bianmin/internal/org"
)

// Every key has both languages, and the Mongolian is in Mongolian script.
func TestEveryKeyHasBothLanguages(t *testing.T) {
	c := i18n.MustLoad()
	if missing := c.Missing(); len(missing) > 0 {
		t.Fatalf("keys without Chinese or Mongolian: %v", missing)
	}
	for _, k := range c.Keys() {
		m, _ := c.Get(k)
		if !org.IsMongolian(m.Mn) {
			t.Errorf("%s: the Mongolian text has no Mongolian letters: %q", k, m.Mn)
		}
	}
}

var (
	// keys named in Go code: error keys, and T/Bi/F calls in templates
	goKey   = regexp.MustCompile(`"((?:err|flash|title|nav)\.[a-z0-9_.]+)"|\.T\("([a-z0-9_.]*[a-z0-9_])"`)
	tmplKey = regexp.MustCompile(`(?:\.T|\.Bi|\.F|\.Fh|\.StackKey) "[^"]*"(?: "[^"]*")*`)
	quoted  = regexp.MustCompile(`"([a-z0-9_]+\.[a-z0-9_.]+)"`)
)

// Every key the code or a template uses exists in the catalog, so that no page shows a key instead of
// words; keys built at run time (roles, kinds, actions) are checked from the lists they are built from.
func TestEveryUsedKeyExists(t *testing.T) {
	c := i18n.MustLoad()
	used := map[string]string{}
	root := "../.."
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		if strings.HasSuffix(path, ".go") {
			for _, m := range goKey.FindAllStringSubmatch(src, -1) {
				used[m[1]+m[2]] = path
			}
		} else {
			for _, call := range tmplKey.FindAllString(src, -1) {
				for _, m := range quoted.FindAllStringSubmatch(call, -1) {
					used[m[1]] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range access.Roles {
		used["role."+string(r)] = "access.Roles"
	}
	for _, a := range access.Actions {
		used["act."+string(a)] = "access.Actions"
	}
	for _, k := range org.Kinds {
		used["kind."+string(k)] = "org.Kinds"
	}
	used["act.case.receive"] = "cases"
	for _, k := range cases.NoticeKinds {
		used["notice.kind."+k] = "cases.NoticeKinds"
	}
	for _, k := range cases.SuspendKindCodes() {
		used["suspend_kind."+k] = "cases.SuspendKindCodes"
	}
	for _, k := range []string{"transfer.lists_incoming", "transfer.lists_sent", "flash.sent", "flash.received_originals", "what.notice", "what.handoff", "act.transfer"} {
		used[k] = "notices and transfers"
	}
	for _, m := range []string{"accepted", "correction", "refused", "decided", "ready", "posted", "electronic", "terminated", "extended", "suspended"} {
		used["msg."+m] = "service.messageFor"
	}
	for _, a := range cases.Actions {
		used["act.case."+string(a)] = "cases.Actions"
	}
	for code := range catalog.ItemTypes {
		used["type."+code] = "catalog.ItemTypes"
	}
	for _, u := range []catalog.Unit{catalog.WorkingDays, catalog.NaturalDays, catalog.Instant} {
		used["unit."+string(u)] = "catalog units"
	}
	for _, s := range []catalog.Status{catalog.Draft, catalog.Review, catalog.Published, catalog.Superseded, catalog.Retired} {
		used["status."+string(s)] = "catalog statuses"
	}
	for _, k := range []string{"necessity.required", "necessity.deferrable", "necessity.optional", "village.proxy", "village.handle",
		"delivery.window", "delivery.post", "delivery.electronic", "what.item", "desk.front", "desk.back", "applicant.resident", "applicant.organisation", "what.org", "what.staff", "what.applicant",
		"flash.saved", "flash.created", "flash.password", "flash.must_change", "flash.imported"} {
		used[k] = "runtime"
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for k, where := range used {
		if !c.Has(k) {
			t.Errorf("%s (used in %s) is not in the catalog", k, where)
		}
	}
}

func TestOverrideAndPlaceholders(t *testing.T) {
	c := i18n.MustLoad()
	if got := c.T(i18n.Zh, "err.too_long", "max", "20"); !strings.Contains(got, "20") {
		t.Fatalf("placeholder: %q", got)
	}
	c.Override("nav.home", i18n.Message{Zh: "主页", Mn: "ᠲᠡᠷᠢᠭᠦᠨ"})
	if c.T(i18n.Mn, "nav.home") != "ᠲᠡᠷᠢᠭᠦᠨ" || c.T(i18n.Zh, "nav.home") != "主页" {
		t.Fatal("override not applied")
	}
	if c.T(i18n.Zh, "no.such.key") != "[no.such.key]" {
		t.Fatal("a missing key must show itself")
	}
}
