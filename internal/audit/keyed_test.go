package audit

import (
	"errors"
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
	if cp, err := LatestCheckpoint(path, MainChain, key); cp != nil || err != nil {
		t.Fatalf("no log: %v %v", cp, err)
	}
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, seq := range []int64{5, 9} {
		c := Checkpoint{Seq: seq, Hash: "h", KeyedFrom: 3, At: at.Add(time.Duration(i) * time.Hour)}
		c.Sign(key)
		if err := AppendCheckpoint(path, c); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	cp, err := LatestCheckpoint(path, MainChain, key)
	if err != nil || cp.Seq != 9 {
		t.Fatalf("latest: %+v %v", cp, err)
	}
	if _, err := LatestCheckpoint(path, MainChain, []byte(strings.Repeat("o", 32))); err == nil {
		t.Fatal("checkpoints accepted under another key")
	}
	// a line edited (a head rolled back in the log too) or going back on the one before is refused
	body, _ := os.ReadFile(path)
	edited := filepath.Join(t.TempDir(), "edited")
	os.WriteFile(edited, []byte(strings.Replace(string(body), `"seq":9`, `"seq":4`, 1)), 0o600)
	if _, err := LatestCheckpoint(edited, MainChain, key); err == nil {
		t.Fatal("an edited checkpoint accepted")
	}
	back := Checkpoint{Seq: 7, Hash: "h", KeyedFrom: 3, At: at.Add(3 * time.Hour)}
	back.Sign(key)
	AppendCheckpoint(path, back)
	if _, err := LatestCheckpoint(path, MainChain, key); err == nil {
		t.Fatal("a checkpoint going back accepted")
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
	c := Checkpoint{Seq: 5, Hash: "h", KeyedFrom: 1, At: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	c.Sign(key)
	AppendCheckpoint(path, c)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	f.Write([]byte(`{"chain":"main","seq":9,"ha`))
	f.Close()
	if cp, err := LatestCheckpoint(path, MainChain, key); err != nil || cp.Seq != 5 {
		t.Fatalf("after a torn line: %+v %v", cp, err)
	}
	c.Seq = 9
	c.Sign(key)
	if err := AppendCheckpoint(path, c); err != nil {
		t.Fatal(err)
	}
	if cp, err := LatestCheckpoint(path, MainChain, key); err != nil || cp.Seq != 9 {
		t.Fatalf("after the next checkpoint: %+v %v", cp, err)
	}
}
