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

// Checkpoint is a signed statement of the chain's head at a moment: the number of entries, the newest
// entry's hash, and the entry from which the chain is keyed. Checkpoints are kept outside the database (an
// append-only file in the data directory; copies may go to the upper platform or the monthly report), so
// that someone who can rewrite the database cannot also rewrite what was published about it.
type Checkpoint struct {
	Chain     string    `json:"chain"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	KeyedFrom int64     `json:"keyed_from"`
	At        time.Time `json:"at"`
	MAC       string    `json:"mac"`
}

// CheckpointFile is the checkpoints log's name in the data directory.
const CheckpointFile = "audit-checkpoints.log"

func (c Checkpoint) mac(key []byte) string {
	h := hmac.New(sha256.New, key)
	for _, s := range []string{"bianmin-audit-checkpoint-1", c.Chain, strconv.FormatInt(c.Seq, 10), c.Hash,
		strconv.FormatInt(c.KeyedFrom, 10), Time(c.At).Format("2006-01-02T15:04:05.000000Z")} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Sign fills in the checkpoint's MAC.
func (c *Checkpoint) Sign(key []byte) {
	c.At = Time(c.At)
	if c.Chain == "" {
		c.Chain = MainChain
	}
	c.MAC = c.mac(key)
}

// Valid reports whether the checkpoint was signed with key.
func (c Checkpoint) Valid(key []byte) bool {
	return len(key) > 0 && hmac.Equal([]byte(c.MAC), []byte(c.mac(key)))
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

// LatestCheckpoint reads the log at path and returns its newest checkpoint of chain (nil when the log is
// missing or holds none). Every checkpoint must carry a valid signature: one that does not is an error, as
// is a checkpoint recording fewer entries than one before it (the log is append-only and the chain only
// grows).
func LatestCheckpoint(path, chain string, key []byte) (*Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var last *Checkpoint
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			continue // a line torn by a crash while it was written: it never was a checkpoint
		}
		if !c.Valid(key) {
			return nil, fmt.Errorf("%s line %d: the checkpoint's signature does not hold under the audit key (forged, or another key)", path, line)
		}
		if c.Chain != chain {
			continue
		}
		if last != nil && (c.Seq < last.Seq || (last.KeyedFrom > 0 && c.KeyedFrom != last.KeyedFrom)) {
			return nil, fmt.Errorf("%s line %d: the checkpoint goes back on the one before it", path, line)
		}
		last = &c
	}
	return last, sc.Err()
}
