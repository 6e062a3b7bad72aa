package audit

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	var prev *Entry
	for i := 0; i < n; i++ {
		e := Entry{ID: fmt.Sprint("e", i), At: time.Date(2026, 1, 5, 9, 0, i, 123456789, time.UTC), ActorID: "a", Action: "x.update",
			Entity: "x", EntityID: "1", Before: `{"n":1}`, After: `{"n":2}`}
		e.Seal(prev)
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func verify(es []Entry) error {
	var v Verifier
	for _, e := range es {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return nil
}

func TestChainVerifies(t *testing.T) {
	if err := verify(chain(5)); err != nil {
		t.Fatal(err)
	}
}

func TestChainNamesFirstBrokenEntry(t *testing.T) {
	cases := map[string]struct {
		mutate func([]Entry) []Entry
		seq    int64
	}{
		"edited content": {func(es []Entry) []Entry { es[2].After = `{"n":3}`; return es }, 3},
		"edited actor":   {func(es []Entry) []Entry { es[1].ActorID = "b"; return es }, 2},
		"edited time":    {func(es []Entry) []Entry { es[3].At = es[3].At.Add(time.Second); return es }, 4},
		"deleted":        {func(es []Entry) []Entry { return append(es[:2], es[3:]...) }, 4},
		"rehashed edit": {func(es []Entry) []Entry {
			es[2].After = "{}"
			es[2].Hash = es[2].ComputeHash() // the forger recomputes this entry's hash, but the next one still links to the old
			return es
		}, 4},
	}
	for name, c := range cases {
		err := verify(c.mutate(chain(5)))
		var b *Break
		if !errors.As(err, &b) || b.Seq != c.seq {
			t.Errorf("%s: got %v, want a break at %d", name, err, c.seq)
		}
	}
}

// A verification started after a checkpoint (StartAfter) checks what was added as a whole walk does: an
// entry that does not link to the checkpoint's, or a changed one, breaks it.
func TestStartAfterChecksWhatWasAdded(t *testing.T) {
	var chain []Entry
	prev := Genesis
	for i := int64(1); i <= 4; i++ {
		e := Entry{Seq: i, ID: string(rune('a' + i)), Action: "x", PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		chain = append(chain, e)
	}
	var v Verifier
	v.StartAfter(2, chain[1].Hash)
	for _, e := range chain[2:] {
		if err := v.Next(e); err != nil {
			t.Fatalf("intact chain: %v", err)
		}
	}
	if v.Count != 4 {
		t.Fatalf("count %d, want 4", v.Count)
	}
	changed := chain[2]
	changed.Action = "y"
	v = Verifier{}
	v.StartAfter(2, chain[1].Hash)
	if err := v.Next(changed); err == nil {
		t.Fatal("a changed entry after the checkpoint was not noticed")
	}
	v = Verifier{}
	v.StartAfter(1, chain[0].Hash) // the checkpoint's entry is not the one entry 3 links to
	if err := v.Next(chain[2]); err == nil {
		t.Fatal("an entry out of place after the checkpoint was not noticed")
	}
}

// Lanes' names: lane 0 is the organisation's chain as it always was, others "org/k"; a name that only looks
// like a lane's is taken whole; an entity keeps one lane; entries of no organisation have no lanes.
func TestLanes(t *testing.T) {
	for _, c := range []struct {
		org   string
		lane  int
		chain string
	}{
		{"org-a", 0, "org-a"},
		{"org-a", 3, "org-a/3"},
		{"org-a", -1, "org-a"},
		{"", 5, MainChain},
		{"20d26pq6skvtr8dqq3gx", 63, "20d26pq6skvtr8dqq3gx/63"},
	} {
		if got := LaneChain(c.org, c.lane); got != c.chain {
			t.Errorf("LaneChain(%q, %d) = %q, want %q", c.org, c.lane, got, c.chain)
		}
	}
	for _, c := range []struct {
		chain, org string
		lane       int
	}{
		{"org-a", "org-a", 0},
		{"org-a/3", "org-a", 3},
		{"main", "main", 0},
		{"a/b", "a/b", 0},
		{"org-a/0", "org-a/0", 0},
		{"org-a/03", "org-a/03", 0},
		{"org-a/-2", "org-a/-2", 0},
		{"org-a/", "org-a/", 0},
	} {
		if org, lane := SplitLane(c.chain); org != c.org || lane != c.lane {
			t.Errorf("SplitLane(%q) = %q, %d; want %q, %d", c.chain, org, lane, c.org, c.lane)
		}
		if got := OrgOfChain(LaneChain(c.org, c.lane)); c.org != MainChain && got != c.org {
			t.Errorf("OrgOfChain(LaneChain(%q, %d)) = %q", c.org, c.lane, got)
		}
	}
	if OrgOfChain("org-a/3") != "org-a" || OrgOfChain(MainChain) != "" {
		t.Error("OrgOfChain of a lane")
	}
	used := map[int]bool{}
	for i := range 64 {
		id := fmt.Sprintf("case-%d", i)
		l := LaneOf("org-a", id, 8)
		if l < 0 || l >= 8 || l != LaneOf("org-a", id, 8) {
			t.Fatalf("LaneOf(%s) = %d", id, l)
		}
		used[l] = true
		if LaneOf("org-a", id, 1) != 0 || LaneOf("org-a", id, 0) != 0 || LaneOf("", id, 8) != 0 {
			t.Fatalf("one lane, or no organisation: %s", id)
		}
	}
	if len(used) < 6 {
		t.Errorf("64 cases over 8 lanes took only %d of them", len(used))
	}
}
