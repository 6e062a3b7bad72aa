package upstream

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
)

// The protocol (OpenAPI: the reference receiver serves it at /openapi.json). The sender POSTs a Batch as JSON
// to the receiver's URL; the receiver answers 200 with one Receipt per record, in the batch's order. A batch
// holds at most one record per key, so the order of a key is the order of the batches. A record is done at
// the sender only on a receipt that says accepted or duplicate; refused parks it with the reason; retry (the
// receiver has not yet got the record before it) and anything else, a failed connection or another status
// included, is tried again later.
type Batch struct {
	From    string   `json:"from"` // the sending Bianmin's division code
	Records []Record `json:"records"`
}

// Receipt statuses.
const (
	Accepted  = "accepted"  // kept; No is the receiver's receipt number
	Duplicate = "duplicate" // kept before (the sender lost the first receipt): the first receipt's number again
	Refused   = "refused"   // not kept, and sending it again unchanged will not help: Reason says why
	Retry     = "retry"     // not kept yet: an earlier record of its key has not arrived
)

// Receipt is the receiver's answer about one record.
type Receipt struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	No     string `json:"no,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Reply is the receiver's answer to a batch.
type Reply struct {
	Receipts []Receipt `json:"receipts"`
}

// MaxBatch is the most records a batch may hold.
const MaxBatch = 500

// Ledger is the reference receiver's memory: every record it kept, in the order it kept them, with their
// receipts, written to a file and synced before a batch is answered (a receiver killed after the sync and
// before the answer finds the records again at its next start, and answers their resending as duplicates:
// exactly once). It is the receiver's, not Bianmin's; Bianmin keeps its own side in the outbox.
type Ledger struct {
	mu    sync.Mutex
	f     *os.File
	byID  map[string]Receipt
	last  map[string]int // key -> the seq of its last kept record
	kept  []Kept
	dupes int
}

// Kept is a record as the receiver kept it.
type Kept struct {
	Record
	No string `json:"no"`
}

// OpenLedger reads the ledger file (one Kept a line) and keeps appending to it. A last line cut short by a
// kill is dropped: its batch was never answered.
func OpenLedger(path string) (*Ledger, error) {
	l := &Ledger{byID: map[string]Receipt{}, last: map[string]int{}}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(f)
	var good int64
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			break // a line without its newline was cut short
		}
		if err != nil {
			f.Close()
			return nil, err
		}
		var k Kept
		if json.Unmarshal(line, &k) != nil {
			break
		}
		good += int64(len(line))
		l.remember(k)
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	l.f = f
	return l, nil
}

func (l *Ledger) remember(k Kept) {
	l.byID[k.ID] = Receipt{ID: k.ID, Status: Accepted, No: k.No}
	l.last[k.Key] = k.Seq
	l.kept = append(l.kept, k)
}

// Close closes the file.
func (l *Ledger) Close() error { return l.f.Close() }

// Take answers a batch: each record validated (Validate), kept once (by id), in its key's order. The kept
// records are on disk before Take returns. refuse, when set, is a receiver's own extra check (the reference
// receiver's -refuse option, to rehearse a refusal).
func (l *Ledger) Take(b Batch, refuse func(Record) *Refusal) ([]Receipt, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Receipt, len(b.Records))
	var buf []byte
	var added []Kept
	pend := map[string]int{} // key -> seq kept in this batch, not yet on disk
	lastOf := func(key string) int {
		if v, ok := pend[key]; ok {
			return v
		}
		return l.last[key]
	}
	for i, r := range b.Records {
		if rc, ok := l.byID[r.ID]; ok {
			rc.Status = Duplicate
			out[i] = rc
			l.dupes++
			continue
		}
		if f := Validate(r); f != nil {
			out[i] = Receipt{ID: r.ID, Status: Refused, Reason: f.Error()}
			continue
		}
		if refuse != nil {
			if f := refuse(r); f != nil {
				out[i] = Receipt{ID: r.ID, Status: Refused, Reason: f.Error()}
				continue
			}
		}
		if r.Seq != lastOf(r.Key)+1 {
			out[i] = Receipt{ID: r.ID, Status: Retry, Reason: fmt.Sprintf("seq %d: waiting for %d", r.Seq, lastOf(r.Key)+1)}
			continue
		}
		k := Kept{Record: r, No: "R" + strconv.Itoa(len(l.kept)+len(added)+1)}
		line, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		buf = append(append(buf, line...), '\n')
		added = append(added, k)
		pend[r.Key] = r.Seq
		out[i] = Receipt{ID: r.ID, Status: Accepted, No: k.No}
	}
	if len(buf) > 0 {
		if _, err := l.f.Write(buf); err != nil {
			return nil, err
		}
		if err := l.f.Sync(); err != nil {
			return nil, err
		}
	}
	for _, k := range added {
		l.remember(k)
	}
	return out, nil
}

// Kept lists what the receiver kept, in order, from index from on.
func (l *Ledger) Kept(from int) []Kept {
	l.mu.Lock()
	defer l.mu.Unlock()
	if from >= len(l.kept) {
		return nil
	}
	return append([]Kept(nil), l.kept[from:]...)
}

// Duplicates counts the records that came again after they were kept (a receipt the sender lost).
func (l *Ledger) Duplicates() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dupes
}
