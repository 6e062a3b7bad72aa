package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// A case's timeline is kept in its own row (cases.events, migration 084): a JSON array of its events,
// packed as audit entries and notices are (packed.go). A move rewrites the case's row anyway, so its event
// is written with it: the move reads the timeline it adds to (a statement in place of the INSERT it made),
// where a row of case_events cost a row header, its key and an index entry of its own, about 1.0 KB of a
// six-move lifecycle on PostgreSQL and 0.75 KB on SQLite (issue 18). Nothing looked events up but by their
// case (its page, its result, a guidance period's count of returns), and a case's events are few (a dozen
// is a long one).

// keptEvent is an event as the timeline keeps it. At is text: the events moved from case_events by
// migration 084 keep the time as the engine wrote it then (parseTimeText).
type keptEvent struct {
	Seq    int          `json:"seq"`
	At     string       `json:"at"`
	Action cases.Action `json:"action"`
	From   cases.State  `json:"from"`
	To     cases.State  `json:"to"`
	Step   int          `json:"step"`
	Desk   cases.Desk   `json:"desk"`
	Org    string       `json:"org"`
	Note   string       `json:"note,omitempty"`
}

// timelineOf reads a case's timeline, in a transaction or not; a case that is not there has none.
func timelineOf(row rowFunc, caseID string) ([]CaseEvent, error) {
	var raw []byte
	if err := row(`SELECT events FROM cases WHERE id = ?`, caseID).Scan(&raw); err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, errs.Wrap(err, "case timeline")
	}
	return readTimeline(raw)
}

// timelineMemo keeps the timeline that a read of a case by its id found, with the version it was read at, for
// the move that follows the read (SaveCase): the move's UPDATE refuses any other version, and only a move
// writes a timeline, with a new version, so the timeline kept is the row's whenever the UPDATE succeeds. A
// move then reads nothing more of its case (a round trip of its transaction). The applicant's phone, which a
// move that tells the applicant needs, is read with the case and kept beside it (ApplicantPhone). Few slots,
// each case in one of them: a slot another case took meanwhile costs the read, as before.
type timelineMemo struct {
	slots [256]memoSlot
}

type memoSlot struct {
	mu      sync.Mutex
	id      string
	version int
	raw     []byte
	phone   string // the applicant's phone, read with the case (ApplicantPhone)
}

var memoSeed = maphash.MakeSeed()

func (m *timelineMemo) slot(id string) *memoSlot {
	return &m.slots[maphash.String(memoSeed, id)%uint64(len(m.slots))]
}

func (m *timelineMemo) put(id string, version int, raw []byte, phone string) {
	s := m.slot(id)
	s.mu.Lock()
	s.id, s.version, s.raw, s.phone = id, version, raw, phone
	s.mu.Unlock()
}

// phone returns the applicant's phone kept with the case's read at version, leaving the slot as it is.
func (m *timelineMemo) phone(id string, version int) (string, bool) {
	s := m.slot(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id != id || s.version != version {
		return "", false
	}
	return s.phone, true
}

// take returns and forgets the timeline kept for the case at version.
func (m *timelineMemo) take(id string, version int) ([]byte, bool) {
	s := m.slot(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id != id || s.version != version {
		return nil, false
	}
	raw := s.raw
	s.id, s.raw, s.phone = "", nil, ""
	return raw, true
}

// movingTimeline is the timeline of a case about to move from version: the one its read kept, or read now.
func (tx *Tx) movingTimeline(caseID string, version int) ([]CaseEvent, error) {
	if raw, ok := tx.db.timelines.take(caseID, version); ok {
		return readTimeline(raw)
	}
	return timelineOf(tx.queryRow, caseID)
}

// CaseEvents lists a case's timeline, oldest first.
func (db *DB) CaseEvents(ctx context.Context, id string) ([]CaseEvent, error) {
	return timelineOf(db.rowsOn(ctx), id)
}

// readTimeline is the timeline kept in a case's row: packed, plain (moved by migration 084) or none.
func readTimeline(raw []byte) ([]CaseEvent, error) {
	text, err := UnpackJSON(raw)
	if err != nil || text == "" {
		return nil, err
	}
	var kept []keptEvent
	if err := json.Unmarshal([]byte(text), &kept); err != nil {
		return nil, fmt.Errorf("a case's timeline: %w", err)
	}
	out := make([]CaseEvent, 0, len(kept))
	for _, k := range kept {
		e := CaseEvent{Event: cases.Event{Action: k.Action, From: k.From, To: k.To, Step: k.Step, Desk: k.Desk, Note: k.Note}, Seq: k.Seq, OrgID: k.Org}
		if e.At, err = parseTimeText(k.At); err != nil {
			return nil, fmt.Errorf("a case's timeline: event %d: %w", k.Seq, err)
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b CaseEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// packTimeline is a timeline as its row keeps it.
func (d dialect) packTimeline(evs []CaseEvent) (any, error) {
	kept := make([]keptEvent, len(evs))
	for i, e := range evs {
		kept[i] = keptEvent{Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), Action: e.Action, From: e.From, To: e.To, Step: e.Step, Desk: e.Desk, Org: e.OrgID, Note: e.Note}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return nil, errs.Wrap(err, "case timeline")
	}
	return d.packJSON(string(b)), nil
}
