// Package audit defines the append-only trail (全流程留痕): every change, who made it, when, what it was before
// and after. Entries form hash chains: each entry's hash covers its own fields and the previous entry's hash
// in its chain, so that editing or deleting any entry breaks its chain at that entry.
//
// There is one chain per organisation that owns the change (ChainOf: the entry's OrgID; entries without an
// organisation, and every entry written before issue 18, are on MainChain). One chain for a whole region
// would make every write of every township wait for the one head row; chains by organisation are the key
// the data would be sharded by, so that no write waits for another organisation's. Each chain numbers its
// entries 1, 2, 3 ... and has a head (its newest entry's number and hash) of its own.
//
// A plain SHA-256 chain can be recomputed by anyone who can write the database. From the entry recorded as
// the chain's KeyedFrom onwards, each hash is therefore an HMAC-SHA256 under a key kept outside the database
// (entries written before the key existed keep their plain hashes and still verify); the hash covers the
// chain's name, so that an entry moved to another chain does not verify there. Signed checkpoints
// (checkpoint.go), also kept outside the database, pin every chain's head, so that a chain cut short, a head
// rolled back and a chain removed whole are seen.
// TODO(国密): an SM3-HMAC as an alternative keyed hash, chosen per chain and recorded in the checkpoint.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Entry is one line of the trail.
type Entry struct {
	Seq   int64  // 1, 2, 3 ... without gaps, within its chain
	Chain string // the chain the entry belongs to (ChainOf(OrgID)); "" is MainChain
	// ID is an entry's own id, kept by entries written before issue 18; an entry is named by its chain and
	// Seq, and newer entries have none (a UUID as text was 36 bytes of each entry that nothing looked up)
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
	PrevHash  string // the hash of the entry before it in its chain; the store keeps none (Verifier.Next)
	Hash      string
}

// MainChain is the chain of entries that belong to no organisation, and of every entry written before the
// trail was chained per organisation.
const MainChain = "main"

// ChainOf names the chain of an entry of the organisation orgID.
func ChainOf(orgID string) string {
	if orgID == "" {
		return MainChain
	}
	return orgID
}

// OrgOfChain is the organisation whose chain is chain ("" for MainChain): the OrgID of every entry written
// since the trail was chained per organisation, so that the store need not keep it twice.
func OrgOfChain(chain string) string {
	org, _ := SplitLane(chain)
	if org == MainChain {
		return ""
	}
	return org
}

// An organisation's trail may run in several lanes, each a chain of its own with its own head, so that
// the writes of one busy township do not all wait for one head row: every transaction that appends to a
// chain holds its head from the append to its commit. Lane 0 is the organisation's chain as it always was
// (named by the organisation alone); lane k > 0 is named "org/k", and the keyed hash covers that name, so an
// entry moved between lanes does not verify. An entity's entries take its lane (LaneOf) when that lane is
// free; on PostgreSQL a move that finds it held by another transaction takes a lane nobody holds instead
// (the store's Tx.AuditFirst), so a case's history may run over several lanes of its organisation, each
// entry's time (which its hash covers) putting them in order, as AuditOf reads them. The number of lanes is
// a setting and may change at any time.
const laneSep = "/"

// LaneChain names lane lane of the organisation orgID's trail.
func LaneChain(orgID string, lane int) string {
	if lane <= 0 || orgID == "" {
		return ChainOf(orgID)
	}
	return orgID + laneSep + strconv.Itoa(lane)
}

// SplitLane is LaneChain reversed: the organisation's chain (or MainChain) and the lane.
func SplitLane(chain string) (string, int) {
	i := strings.LastIndex(chain, laneSep)
	if i < 0 {
		return chain, 0
	}
	lane, err := strconv.Atoi(chain[i+1:])
	if err != nil || lane <= 0 || strconv.Itoa(lane) != chain[i+1:] {
		return chain, 0 // not a lane's name: taken whole, as before lanes
	}
	return chain[:i], lane
}

// LaneOf is the lane of entityID's entries among lanes (FNV-1a of the id: the same on every instance and
// after a restart). Entries of no organisation stay on MainChain's only lane.
func LaneOf(orgID, entityID string, lanes int) int {
	if lanes <= 1 || orgID == "" {
		return 0
	}
	h := uint32(2166136261)
	for i := 0; i < len(entityID); i++ {
		h ^= uint32(entityID[i])
		h *= 16777619
	}
	return int(h % uint32(lanes))
}

// Genesis is the PrevHash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Marshalled is JSON text as json.Marshal wrote it: valid, compact and escaped as it escapes. Snapshot keeps
// it as it is; given as json.RawMessage, the same text is checked and compacted again (7% of the dataset
// generator's time: a case's document on each side of each move).
type Marshalled []byte

// Snapshot renders a value as the JSON kept in Before and After. nil gives "".
func Snapshot(v any) string {
	if v == nil {
		return ""
	}
	if m, ok := v.(Marshalled); ok {
		return string(m)
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
	e.write(h, false)
	return hex.EncodeToString(h.Sum(nil))
}

// ComputeMAC returns the entry's keyed hash: HMAC-SHA256 under key of the same fields, and of its chain.
func (e Entry) ComputeMAC(key []byte) string {
	h := hmac.New(sha256.New, key)
	e.write(h, true)
	return hex.EncodeToString(h.Sum(nil))
}

// Want is the hash the entry must carry: keyed from keyedFrom on (0: never), plain before.
func (e Entry) Want(key []byte, keyedFrom int64) string {
	if keyedFrom > 0 && e.Seq >= keyedFrom {
		return e.ComputeMAC(key)
	}
	return e.ComputeHash()
}

func (e Entry) write(h interface{ Write([]byte) (int, error) }, keyed bool) {
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
	if keyed {
		chain := e.Chain
		if chain == "" {
			chain = MainChain
		}
		put(chain)
	}
}

// Seal fills in Seq, PrevHash and Hash, chaining e after prev (nil for the first entry), unkeyed.
func (e *Entry) Seal(prev *Entry) { e.SealKeyed(prev, nil, 0) }

// SealKeyed is Seal with a keyed hash when e falls at or after keyedFrom.
func (e *Entry) SealKeyed(prev *Entry, key []byte, keyedFrom int64) {
	e.At = Time(e.At)
	if prev == nil {
		e.Seq, e.PrevHash = 1, Genesis
	} else {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = e.Want(key, keyedFrom)
}

// Break describes the first entry at which a chain does not hold.
type Break struct {
	Chain  string // "" for MainChain
	Seq    int64
	ID     string
	Reason string
}

func (b *Break) Error() string {
	at := strconv.FormatInt(b.Seq, 10)
	if b.ID != "" {
		at += " (" + b.ID + ")"
	}
	if b.Chain == "" || b.Chain == MainChain {
		return fmt.Sprintf("audit chain broken at entry %s: %s", at, b.Reason)
	}
	return fmt.Sprintf("audit chain %s broken at entry %s: %s", b.Chain, at, b.Reason)
}

// Verifier checks the entries of one chain fed to it in Seq order, keeping only the previous entry in memory
// so that a trail of any length is checked in one pass.
type Verifier struct {
	// Chain is the chain checked: an entry that names another is out of place ("" accepts any, as before
	// there were chains).
	Chain string
	// Key and KeyedFrom: entries from KeyedFrom on (0: none) must carry a keyed hash under Key.
	Key       []byte
	KeyedFrom int64
	prev      *Entry
	Count     int64
}

// ErrNoKey is returned when keyed entries are met and no key was given: the chain cannot be judged.
var ErrNoKey = errors.New("audit: the trail is keyed and no audit key was given (-audit-key)")

// StartAfter makes the verifier take the entry seq with hash as already checked (a signed checkpoint's),
// so that only the entries after it are read.
func (v *Verifier) StartAfter(seq int64, hash string) {
	if seq > 0 {
		v.prev = &Entry{Seq: seq, Hash: hash}
		v.Count = seq
	}
}

// Next checks one entry; it returns a *Break at the first fault.
func (v *Verifier) Next(e Entry) error {
	wantSeq, wantPrev := int64(1), Genesis
	if v.prev != nil {
		wantSeq, wantPrev = v.prev.Seq+1, v.prev.Hash
	}
	if e.PrevHash == "" {
		// The store keeps no PrevHash: it is by construction the hash of the entry before this one, which the
		// verifier holds. Taking it from there loses nothing: the entry's hash covers it, so an entry deleted
		// (and the rest renumbered), moved or put out of order no longer matches its hash, unless rewritten
		// with the key (or, before the key, with the whole chain after it and its head, which the signed
		// checkpoints catch), exactly as a stored PrevHash would have needed.
		e.PrevHash = wantPrev
	}
	chain := ChainOf(e.Chain)
	switch {
	case v.Chain != "" && chain != v.Chain:
		return &Break{Chain: v.Chain, Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("the entry names chain %s: it was moved into this chain", chain)}
	case e.Seq != wantSeq:
		// a gap means rows were deleted: name the first entry after the gap
		return &Break{Chain: v.Chain, Seq: e.Seq, ID: e.ID, Reason: fmt.Sprintf("expected entry %d here; entries are missing", wantSeq)}
	case e.PrevHash != wantPrev:
		return &Break{Chain: v.Chain, Seq: e.Seq, ID: e.ID, Reason: "does not link to the entry before it"}
	case v.KeyedFrom > 0 && e.Seq >= v.KeyedFrom && len(v.Key) == 0:
		return ErrNoKey
	case !hmac.Equal([]byte(e.Want(v.Key, v.KeyedFrom)), []byte(e.Hash)):
		if v.KeyedFrom > 0 && e.Seq >= v.KeyedFrom && e.ComputeHash() == e.Hash {
			return &Break{Chain: v.Chain, Seq: e.Seq, ID: e.ID, Reason: "carries a plain hash where the chain is keyed: the entry was written or rewritten without the key"}
		}
		return &Break{Chain: v.Chain, Seq: e.Seq, ID: e.ID, Reason: "content does not match its hash: the entry was changed"}
	}
	v.prev = &e
	v.Count++
	return nil
}
