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
// rides along, where a row of case_events cost a statement, a row header, its key and an index entry of its
// own: about 1.0 KB of a six-move lifecycle on PostgreSQL and 0.75 KB on SQLite (issue 18). Nothing looked
// events up but by their case (its page, its result, a guidance period's count of returns), and a case's
// events are few (a dozen is a long one).

// keptEvent is an event as the timeline keeps it. At is text: the events moved from case_events by
// migration 084 keep the time as the engine wrote it (eventTimeLayouts).
type keptEvent struct {
	Seq    int          `json:"seq"`
	At     eventAt      `json:"at"`
	Action cases.Action `json:"action"`
	From   cases.State  `json:"from"`
	To     cases.State  `json:"to"`
	Step   int          `json:"step"`
	Desk   cases.Desk   `json:"desk"`
	Org    string       `json:"org"`
	Note   string       `json:"note,omitempty"`
}

// eventAt is an event's time as its timeline keeps it: RFC 3339 text, or a number of microseconds (SQLite's
// integer times, store/sqlitetimes.go, moved from case_events as they were).
type eventAt string

func (a *eventAt) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '"' {
		var micros int64
		if err := json.Unmarshal(b, &micros); err != nil {
			return err
		}
		*a = eventAt(time.UnixMicro(micros).UTC().Format(time.RFC3339Nano))
		return nil
	}
	return json.Unmarshal(b, (*string)(a))
}

// eventTimeLayouts read an event's time: RFC 3339 as Bianmin writes it and PostgreSQL's JSON gives it, and
// the texts the SQLite driver wrote into case_events (Go's time.String, and SQLite's own form).
var eventTimeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999"}

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
		for _, l := range eventTimeLayouts {
			if e.At, err = time.Parse(l, string(k.At)); err == nil {
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("a case's timeline: event %d at %q: %w", k.Seq, k.At, err)
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
		kept[i] = keptEvent{Seq: e.Seq, At: eventAt(e.At.UTC().Format(time.RFC3339Nano)), Action: e.Action, From: e.From, To: e.To, Step: e.Step, Desk: e.Desk, Org: e.OrgID, Note: e.Note}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return nil, errs.Wrap(err, "case timeline")
	}
	return d.packJSON(string(b)), nil
}

// timeline reads the case's timeline inside the transaction.
func (tx *Tx) timeline(caseID string) ([]CaseEvent, error) {
	var raw []byte
	if err := tx.queryRow(`SELECT events FROM cases WHERE id = ?`, caseID).Scan(&raw); err != nil {
		return nil, notFound(err, "case")
	}
	return readTimeline(raw)
}

// CaseEvents lists a case's timeline, oldest first.
func (db *DB) CaseEvents(ctx context.Context, id string) ([]CaseEvent, error) {
	var raw []byte
	if err := db.queryRow(ctx, `SELECT events FROM cases WHERE id = ?`, id).Scan(&raw); err == sql.ErrNoRows {
		return nil, nil // no case, no events (as when they were rows of their own)
	} else if err != nil {
		return nil, err
	}
	return readTimeline(raw)
}
