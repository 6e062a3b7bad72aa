package store

import (
	"fmt"
	"testing"
)

// A timeline kept by a case's read is given once, to a move from the version it was read at, and to no other:
// a move from another version (the case moved since) reads the row, and the UPDATE's version check decides.
// The applicant's phone read with it is there exactly while the timeline is.
func TestTimelineMemo(t *testing.T) {
	var m timelineMemo
	steps := []struct {
		name    string
		put     bool // put (id, version, raw) rather than take (id, version)
		id      string
		version int
		raw     string
		want    string // what take gives ("" with hit false: nothing)
		hit     bool
	}{
		{"nothing kept", false, "c1", 1, "", "", false},
		{"kept at 1", true, "c1", 1, "e1", "", false},
		{"a move from 2: not the read's version", false, "c1", 2, "", "", false},
		{"a move from 1", false, "c1", 1, "", "e1", true},
		{"given once", false, "c1", 1, "", "", false},
		{"read again at 2", true, "c1", 2, "e2", "", false},
		{"read again at 3 (moved meanwhile)", true, "c1", 3, "e3", "", false},
		{"the older read's move", false, "c1", 2, "", "", false},
		{"the newer read's move", false, "c1", 3, "", "e3", true},
		{"another case", false, "c2", 3, "", "", false},
	}
	for _, s := range steps {
		if s.put {
			m.put(s.id, s.version, []byte(s.raw), "tel-"+s.raw)
			continue
		}
		if p, ok := m.phone(s.id, s.version); ok != s.hit || ok && p != "tel-"+s.want {
			t.Fatalf("%s: phone(%s, %d) = %q %v", s.name, s.id, s.version, p, ok)
		}
		raw, hit := m.take(s.id, s.version)
		if hit != s.hit || string(raw) != s.want {
			t.Fatalf("%s: take(%s, %d) = %q %v, want %q %v", s.name, s.id, s.version, raw, hit, s.want, s.hit)
		}
	}
	// a slot taken by another case gives the first nothing
	var a, b string
	for i := 0; ; i++ {
		a, b = "x", fmt.Sprintf("y%d", i)
		if m.slot(a) == m.slot(b) {
			break
		}
	}
	m.put(a, 1, []byte("a"), "")
	m.put(b, 1, []byte("b"), "")
	if _, hit := m.take(a, 1); hit {
		t.Fatal("a case whose slot another took was given a timeline")
	}
	if raw, hit := m.take(b, 1); !hit || string(raw) != "b" {
		t.Fatalf("the case that took the slot: %q %v", raw, hit)
	}
}
