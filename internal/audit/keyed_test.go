package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// keyedChain: n entries, keyed from entry from on (0: none).
func keyedChain(n int, key []byte, from int64) []Entry {
	out := chain(n)
	var prev *Entry
	for i := range out {
		out[i].SealKeyed(prev, key, from)
		prev = &out[i]
	}
	return out
}

func TestKeyedChain(t *testing.T) {
	key, other := []byte(strings.Repeat("k", 32)), []byte(strings.Repeat("o", 32))
	plain := func(es []Entry, i int) { es[i].Hash = es[i].ComputeHash() }
	cases := []struct {
		name    string
		key     []byte
		from    int64 // the verifier's keyed_from
		edit    func([]Entry)
		wantSeq int64 // 0: verifies
		noKey   bool
	}{
		{"before and after the key: verifies", key, 3, nil, 0, false},
		{"never keyed: verifies without a key", nil, 0, nil, 0, false},
		{"keyed part without the key: cannot be judged", nil, 3, nil, 0, true},
		{"another key: breaks at the first keyed entry", other, 3, nil, 3, false},
		{"a keyed entry given a plain hash", key, 3, func(es []Entry) { es[3].After = "x"; plain(es, 3) }, 4, false},
		{"keyed_from moved later: keyed entries read as plain", key, 5, nil, 3, false},
		{"keyed_from moved earlier: plain entries read as keyed", key, 2, nil, 2, false},
		{"an entry before the key edited", key, 3, func(es []Entry) { es[0].After = "x" }, 1, false},
		{"chain names covered by the keyed hash", key, 3, func(es []Entry) { es[4].Chain = "org-1" }, 5, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := keyedChain(6, key, 3)
			if c.key == nil && c.from == 0 {
				es = chain(6)
			}
			if c.edit != nil {
				c.edit(es)
			}
			v := Verifier{Key: c.key, KeyedFrom: c.from}
			var err error
			for _, e := range es {
				if err = v.Next(e); err != nil {
					break
				}
			}
			var b *Break
			switch {
			case c.noKey:
				if !errors.Is(err, ErrNoKey) {
					t.Fatalf("want ErrNoKey, got %v", err)
				}
			case c.wantSeq == 0:
				if err != nil {
					t.Fatal(err)
				}
			case !errors.As(err, &b) || b.Seq != c.wantSeq:
				t.Fatalf("want a break at %d, got %v", c.wantSeq, err)
			}
		})
	}
}

func TestCheckpointLog(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	path := filepath.Join(t.TempDir(), CheckpointFile)
	if s, err := ReadCheckpoints(path, key); len(s.Heads) != 0 || err != nil {
		t.Fatalf("no log: %v %v", s, err)
	}
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	// the first checkpoint lists every chain; the next only those that moved
	for i, heads := range [][]Head{
		{{Chain: "main", Seq: 5, Hash: "h", KeyedFrom: 3}, {Chain: "org-a", Seq: 2, Hash: "a", KeyedFrom: 1}},
		{{Chain: "main", Seq: 9, Hash: "h", KeyedFrom: 3}},
	} {
		c := Checkpoint{Heads: heads, At: at.Add(time.Duration(i) * time.Hour)}
		c.Sign(key)
		if err := AppendCheckpoint(path, c); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	s, err := ReadCheckpoints(path, key)
	if err != nil || s.Heads["main"].Seq != 9 || s.Heads["org-a"].Seq != 2 || !s.At.Equal(at.Add(time.Hour)) {
		t.Fatalf("latest: %+v %v", s, err)
	}
	if _, err := ReadCheckpoints(path, []byte(strings.Repeat("o", 32))); err == nil {
		t.Fatal("checkpoints accepted under another key")
	}
	// a line edited (a head rolled back in the log too) or going back on the one before is refused
	body, _ := os.ReadFile(path)
	edited := filepath.Join(t.TempDir(), "edited")
	os.WriteFile(edited, []byte(strings.Replace(string(body), `"seq":9`, `"seq":4`, 1)), 0o600)
	if _, err := ReadCheckpoints(edited, key); err == nil {
		t.Fatal("an edited checkpoint accepted")
	}
	back := Checkpoint{Heads: []Head{{Chain: "org-a", Seq: 1, Hash: "a", KeyedFrom: 1}}, At: at.Add(3 * time.Hour)}
	back.Sign(key)
	AppendCheckpoint(path, back)
	if _, err := ReadCheckpoints(path, key); err == nil {
		t.Fatal("a checkpoint going back accepted")
	}
}

// A log written before the trail was chained per organisation (one chain's head a line, signed in the
// first format) still reads, as checkpoints of the main chain.
func TestCheckpointLogFirstFormat(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	path := filepath.Join(t.TempDir(), CheckpointFile)
	old := legacyCheckpoint{Head: Head{Chain: MainChain, Seq: 7, Hash: "h", KeyedFrom: 3}, At: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	h := hmac.New(sha256.New, key)
	for _, s := range []string{"bianmin-audit-checkpoint-1", "main", "7", "h", "3", "2026-03-01T08:00:00.000000Z"} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	old.MAC = hex.EncodeToString(h.Sum(nil))
	line, _ := json.Marshal(old)
	os.WriteFile(path, append(line, '\n'), 0o600)
	s, err := ReadCheckpoints(path, key)
	if err != nil || s.Heads[MainChain].Seq != 7 || s.Heads[MainChain].KeyedFrom != 3 {
		t.Fatalf("a first-format log: %+v %v", s, err)
	}
	os.WriteFile(path, []byte(strings.Replace(string(line), `"seq":7`, `"seq":8`, 1)+"\n"), 0o600)
	if _, err := ReadCheckpoints(path, key); err == nil {
		t.Fatal("an edited first-format checkpoint accepted")
	}
}

// BenchmarkEntryHash is the CPU cost of one entry's hash, plain and keyed: the verifier's share of a check.
func BenchmarkEntryHash(b *testing.B) {
	e := chain(1)[0]
	key := []byte(strings.Repeat("k", 32))
	b.Run("sha256", func(b *testing.B) {
		for b.Loop() {
			e.ComputeHash()
		}
	})
	b.Run("hmac-sha256", func(b *testing.B) {
		for b.Loop() {
			e.ComputeMAC(key)
		}
	})
}

// A crash in the middle of writing a checkpoint leaves a torn line: it is not a checkpoint, and the next one
// is written on a line of its own.
func TestCheckpointTornLine(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	path := filepath.Join(t.TempDir(), CheckpointFile)
	c := Checkpoint{Heads: []Head{{Chain: MainChain, Seq: 5, Hash: "h", KeyedFrom: 1}}, At: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	c.Sign(key)
	AppendCheckpoint(path, c)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	f.Write([]byte(`{"heads":[{"chain":"main","seq":9,"ha`))
	f.Close()
	if s, err := ReadCheckpoints(path, key); err != nil || s.Heads[MainChain].Seq != 5 {
		t.Fatalf("after a torn line: %+v %v", s, err)
	}
	c.Heads[0].Seq = 9
	c.Sign(key)
	if err := AppendCheckpoint(path, c); err != nil {
		t.Fatal(err)
	}
	if s, err := ReadCheckpoints(path, key); err != nil || s.Heads[MainChain].Seq != 9 {
		t.Fatalf("after the next checkpoint: %+v %v", s, err)
	}
}
