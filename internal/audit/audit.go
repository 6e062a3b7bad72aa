// Package audit defines the append-only trail (全流程留痕): every change, who made it, when, what it was before
// and after. Entries form a hash chain: each entry's hash covers its own fields and the previous entry's hash,
// so that editing or deleting any entry breaks the chain at that entry.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Entry is one line of the trail.
type Entry struct {
	Seq       int64 // 1, 2, 3 ... without gaps
	ID        string
	At        time.Time // UTC, microsecond precision (what both databases keep)
	ActorID   string
	ActorName string
	OrgID     string // the organisation the change belongs to
	Action    string // e.g. "org.create", "applicant.update"
	Entity    string // table-like name of what changed
	EntityID  string
	Before    string // JSON, "" when created
	After     string // JSON, "" when removed
	PrevHash  string
	Hash      string
}

// Genesis is the PrevHash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Snapshot renders a value as the JSON kept in Before and After. nil gives "".
func Snapshot(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

// Time normalises a time to what the trail stores.
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// ComputeHash returns the entry's hash from its fields and PrevHash. Every field is length-prefixed so that
// no two different entries can produce the same byte stream.
func (e Entry) ComputeHash() string {
	h := sha256.New()
	put := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(strconv.FormatInt(e.Seq, 10))
	put(e.ID)
	put(Time(e.At).Format("2006-01-02T15:04:05.000000Z"))
	put(e.ActorID)
	put(e.ActorName)
	put(e.OrgID)
	put(e.Action)
	put(e.Entity)
	put(e.EntityID)
	put(e.Before)
	put(e.After)
	put(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// Seal fills in Seq, PrevHash and Hash, chaining e after prev (nil for the first entry).
func (e *Entry) Seal(prev *Entry) {
	e.At = Time(e.At)
	if prev == nil {
		e.Seq, e.PrevHash = 1, Genesis
	} else {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = e.ComputeHash()
}

// Break describes the first entry at which the chain does not hold.
type Break struct {
	Seq    int64
	ID     string
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d (%s): %s", b.Seq, b.ID, b.Reason)
}

// Verifier checks entries fed to it in Seq order, keeping only the previous entry in memory so that a trail
// of any length is checked in one pass.
type Verifier struct {
	prev  *Entry
	Count int64
}

// Next checks one entry; it returns a *Break at the first fault.
func (v *Verifier) Next(e Entry) error {
	wantSeq, wantPrev := int64(1), Genesis
	if v.prev != nil {
		wantSeq, wantPrev = v.prev.Seq+1, v.prev.Hash
	}
	switch {
	case e.Seq != wantSeq:
		// a gap means rows were deleted: name the first entry after the gap
		return &Break{Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("expected entry %d here; entries are missing", wantSeq)}
	case e.PrevHash != wantPrev:
		return &Break{Seq: e.Seq, ID: e.ID, Reason: "does not link to the entry before it"}
	case e.ComputeHash() != e.Hash:
		return &Break{Seq: e.Seq, ID: e.ID, Reason: "content does not match its hash: the entry was changed"}
	}
	v.prev = &e
	v.Count++
	return nil
}
