package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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
