package audit

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// Head is a chain's head as a checkpoint records it: the number of entries, the newest entry's hash, and the
// entry from which the chain is keyed.
type Head struct {
	Chain     string `json:"chain"`
	Seq       int64  `json:"seq"`
	Hash      string `json:"hash"`
	KeyedFrom int64  `json:"keyed_from"`
}

// Checkpoint is a signed statement of the chains' heads at a moment. Checkpoints are kept outside the
// database (an append-only file in the data directory; copies may go to the upper platform or the monthly
// report), so that someone who can rewrite the database cannot also rewrite what was published about it.
//
// A checkpoint lists the heads that moved since the one before it (all of them in the first), so that a
// region's thousands of chains do not make every line a copy of all of them: the checkpoints log, read from
// its start, folds into every chain's newest signed head (ReadCheckpoints). A line of the first format (one
// chain, before the trail was chained per organisation) is read as a checkpoint of that chain alone.
type Checkpoint struct {
	Heads []Head    `json:"heads"`
	At    time.Time `json:"at"`
	MAC   string    `json:"mac"`
}

// CheckpointFile is the checkpoints log's name in the data directory.
const CheckpointFile = "audit-checkpoints.log"

func (c Checkpoint) mac(key []byte) string {
	h := hmac.New(sha256.New, key)
	put := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	put("bianmin-audit-checkpoint-2")
	put(Time(c.At).Format("2006-01-02T15:04:05.000000Z"))
	put(strconv.Itoa(len(c.Heads)))
	for _, x := range c.Heads {
		put(x.Chain)
		put(strconv.FormatInt(x.Seq, 10))
		put(x.Hash)
		put(strconv.FormatInt(x.KeyedFrom, 10))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Sign fills in the checkpoint's MAC.
func (c *Checkpoint) Sign(key []byte) {
	c.At = Time(c.At)
	for i := range c.Heads {
		c.Heads[i].Chain = ChainOf(c.Heads[i].Chain)
	}
	c.MAC = c.mac(key)
}

// Valid reports whether the checkpoint was signed with key.
func (c Checkpoint) Valid(key []byte) bool {
	return len(key) > 0 && hmac.Equal([]byte(c.MAC), []byte(c.mac(key)))
}

// legacyCheckpoint is a line of the first format: one chain's head.
type legacyCheckpoint struct {
	Head
	At  time.Time `json:"at"`
	MAC string    `json:"mac"`
}

func (c legacyCheckpoint) valid(key []byte) bool {
	h := hmac.New(sha256.New, key)
	for _, s := range []string{"bianmin-audit-checkpoint-1", c.Chain, strconv.FormatInt(c.Seq, 10), c.Hash,
		strconv.FormatInt(c.KeyedFrom, 10), Time(c.At).Format("2006-01-02T15:04:05.000000Z")} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return len(key) > 0 && hmac.Equal([]byte(c.MAC), []byte(hex.EncodeToString(h.Sum(nil))))
}

// AppendCheckpoint adds c to the log at path (created 0600 when missing) and syncs it to disk. A line left
// torn by a crash in the middle of a write is closed first, so that the new checkpoint has a line of its own.
func AppendCheckpoint(path string, c Checkpoint) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	line := append(b, '\n')
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Signed is what the checkpoints log says: every chain's newest signed head, and when the newest checkpoint
// was signed.
type Signed struct {
	Heads map[string]Head
	At    time.Time
}

// ReadCheckpoints reads the log at path and folds it into every chain's newest signed head (an empty Signed
// when the log is missing). Every checkpoint must carry a valid signature: one that does not is an error, as
// is a checkpoint recording fewer entries of a chain than one before it, or moving where a chain is keyed
// from (the log is append-only and chains only grow).
func ReadCheckpoints(path string, key []byte) (Signed, error) {
	out := Signed{Heads: map[string]Head{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<30) // a first checkpoint of a region lists every chain
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c Checkpoint
		var old legacyCheckpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil || json.Unmarshal(sc.Bytes(), &old) != nil {
			continue // a line torn by a crash while it was written: it never was a checkpoint
		}
		if c.Heads == nil && old.Chain != "" {
			if !old.valid(key) {
				return out, fmt.Errorf("%s line %d: the checkpoint's signature does not hold under the audit key (forged, or another key)", path, line)
			}
			c = Checkpoint{Heads: []Head{old.Head}, At: old.At}
		} else if !c.Valid(key) {
			return out, fmt.Errorf("%s line %d: the checkpoint's signature does not hold under the audit key (forged, or another key)", path, line)
		}
		for _, h := range c.Heads {
			if last, ok := out.Heads[h.Chain]; ok && (h.Seq < last.Seq || (last.KeyedFrom > 0 && h.KeyedFrom != last.KeyedFrom)) {
				return out, fmt.Errorf("%s line %d: the checkpoint goes back on the one before it (chain %s)", path, line, h.Chain)
			}
			out.Heads[h.Chain] = h
		}
		out.At = c.At
	}
	return out, sc.Err()
}
