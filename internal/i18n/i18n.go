// Package i18n is the translation catalog. Every string a person sees has a key here with a Chinese and a
// traditional Mongolian text; a test fails when either is missing. Mongolian texts that no native reviewer
// has confirmed carry review=true, and administrators can correct any text at run time (overrides).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Lang is a UI language.
type Lang string

const (
	Zh Lang = "zh" // Chinese, simplified
	Mn Lang = "mn" // traditional Mongolian script (mn-Mong)
)

// Langs in the order they are offered.
var Langs = []Lang{Mn, Zh}

// Parse turns a cookie or form value into a language, defaulting to Chinese.
func Parse(s string) Lang {
	if s == string(Mn) {
		return Mn
	}
	return Zh
}

// HTMLLang is the value of the lang attribute.
func (l Lang) HTMLLang() string {
	if l == Mn {
		return "mn-Mong"
	}
	return "zh-Hans"
}

// Message is one catalog entry.
type Message struct {
	Zh     string `json:"zh"`
	Mn     string `json:"mn"`
	Review bool   `json:"review,omitempty"` // the Mongolian text awaits a native reviewer
	Note   string `json:"note,omitempty"`   // where the Mongolian came from
}

func (m Message) In(l Lang) string {
	if l == Mn {
		return m.Mn
	}
	return m.Zh
}

// The catalog is split by subject (messages.json, messages_*.json) so that a file stays readable; a key
// may live in one file only.
//
//go:embed messages*.json
var messageFiles embed.FS

// Catalog holds the shipped messages and the administrators' corrections. It is safe for concurrent use.
type Catalog struct {
	base map[string]Message
	mu   sync.RWMutex
	over map[string]Message
}

// Load parses the embedded catalog.
func Load() (*Catalog, error) {
	names, err := fs.Glob(messageFiles, "messages*.json")
	if err != nil {
		return nil, err
	}
	base := map[string]Message{}
	for _, name := range names {
		data, err := messageFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var part map[string]Message
		if err := json.Unmarshal(data, &part); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		for k, m := range part {
			if _, dup := base[k]; dup {
				return nil, fmt.Errorf("i18n: %s: key %q is already in another file", name, k)
			}
			base[k] = m
		}
	}
	return &Catalog{base: base, over: map[string]Message{}}, nil
}

// MustLoad is Load for program start-up and tests.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// SetOverrides replaces the administrators' corrections.
func (c *Catalog) SetOverrides(over map[string]Message) {
	c.mu.Lock()
	c.over = over
	c.mu.Unlock()
}

// Override sets one correction.
func (c *Catalog) Override(key string, m Message) {
	c.mu.Lock()
	c.over[key] = m
	c.mu.Unlock()
}

// Has reports whether the key exists in the shipped catalog.
func (c *Catalog) Has(key string) bool { _, ok := c.base[key]; return ok }

// Get returns the effective message of a key.
func (c *Catalog) Get(key string) (Message, bool) {
	c.mu.RLock()
	m, ok := c.over[key]
	c.mu.RUnlock()
	if ok {
		return m, true
	}
	m, ok = c.base[key]
	return m, ok
}

// Keys returns every shipped key, sorted.
func (c *Catalog) Keys() []string { return slices.Sorted(maps.Keys(c.base)) }

// Base returns the shipped message of a key.
func (c *Catalog) Base(key string) Message { return c.base[key] }

// T renders key in lang, filling {name} placeholders from args (name, value pairs). A missing key renders
// as the key itself in brackets, which the page-rendering test catches.
func (c *Catalog) T(l Lang, key string, args ...string) string {
	m, ok := c.Get(key)
	if !ok {
		return "[" + key + "]"
	}
	s := m.In(l)
	if s == "" {
		s = m.Zh
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

// Missing lists keys that lack either language.
func (c *Catalog) Missing() []string {
	var out []string
	for _, k := range c.Keys() {
		m := c.base[k]
		if strings.TrimSpace(m.Zh) == "" || strings.TrimSpace(m.Mn) == "" {
			out = append(out, k)
		}
	}
	return out
}
