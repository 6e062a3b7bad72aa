package ids

import (
	"strings"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 13, 44, 58, 0, time.UTC)
	cases := []struct {
		name  string
		at    time.Time
		after string // an id made at this time sorts after it
	}{
		{"a UUIDv7 of the same millisecond", t0, "019ad9f8-b2c0-7a54-9f8a-b6146dffd8cf"},
		{"the last UUIDv7 with a 0 in front (year 2527)", time.UnixMilli(1<<44 - 1), "0fffffff-ffff-7fff-bfff-ffffffffffff"},
		{"the epoch", time.UnixMilli(0), "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := Of(c.at, 1<<48-1)
			if len(id) != 20 || strings.Trim(id, alphabet) != "" {
				t.Fatalf("%q: not 20 characters of %s", id, alphabet)
			}
			if id <= c.after {
				t.Fatalf("%q sorts before %q", id, c.after)
			}
			if id[0] != '2' {
				t.Fatalf("%q does not start with the version", id)
			}
		})
	}
	// the time is in the head: one millisecond later sorts later whatever the random bits
	for i := 0; i < 1000; i++ {
		ms := t0.Add(time.Duration(i) * time.Millisecond)
		if a, b := Of(ms, 1<<48-1), Of(ms.Add(time.Millisecond), 0); a >= b {
			t.Fatalf("%q (at %v) sorts after %q a millisecond later", a, ms, b)
		}
	}
	// the head of an id is its time in base 32: decoded, it gives the millisecond back
	id := Of(t0, 0x5a5a5a5a5a5a)
	var v uint64
	for _, c := range id[:11] { // 55 bits: the version, the time and the first 3 random bits
		v = v<<5 | uint64(strings.IndexRune(alphabet, c))
	}
	if got := int64(v>>3) & (1<<48 - 1); got != t0.UnixMilli() || v>>51 != 1 {
		t.Fatalf("%q decodes to version %d, time %d; want 1, %d", id, v>>51, got, t0.UnixMilli())
	}
	seen := map[string]bool{}
	for i := 0; i < 100000; i++ {
		id := New()
		if seen[id] {
			t.Fatalf("%q made twice", id)
		}
		seen[id] = true
	}
}
