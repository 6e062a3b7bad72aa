package store

import (
	"context"
	"encoding/json"
	"strings"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/people"
)

// Bulk loads are for the dataset generator (bianmin gen): many rows per statement, one transaction per
// call, no audit entry per row (the generator records one for the whole load).

// BulkApplicants stores applicants as they are.
func (db *DB) BulkApplicants(ctx context.Context, list []people.Applicant) error {
	return db.Write(ctx, func(tx *Tx) error {
		return bulkInsert(tx, `INSERT INTO applicants (id, kind, name, id_number, credit_code, credit_override, phone, address, org_id, version, created_at, updated_at, name_key, id_tail, phone_tail) VALUES `,
			15, len(list), func(i int) []any {
				a := list[i]
				return append([]any{a.ID, a.Kind, a.Name, a.IDNumber, a.CreditCode, a.CreditOverride, a.Phone, a.Address, a.OrgID, 1, a.Created, a.Created}, findKeys(a)...)
			})
	})
}

// BulkCases stores cases with their standing and their timelines.
func (db *DB) BulkCases(ctx context.Context, list []cases.Case, events [][]CaseEvent) error {
	return db.Write(ctx, func(tx *Tx) error {
		err := bulkInsert(tx, `INSERT INTO cases (id, case_no, handling_org, receiving_org, item_id, item_version, applicant_id, bundle, state, step, version, doc, received_at, updated_at, `+placeCols+`, `+factCols+`, no_digits) VALUES `,
			29, len(list), func(i int) []any {
				c := list[i]
				doc, _ := json.Marshal(c)
				updated := c.Received
				if evs := events[i]; len(evs) > 0 {
					updated = evs[len(evs)-1].At
				}
				return append(append([]any{c.ID, c.No, c.Handling, c.Receiving, c.ItemID, c.ItemVersion, c.ApplicantID, c.Bundle, c.State, c.Step, c.Version, string(doc), c.Received, updated},
					placeArgs(c)...), append(factArgs(c), noDigits(c.No))...)
			})
		if err != nil {
			return err
		}
		err = bulkInsert(tx, `INSERT INTO case_clock (`+clockCols+`) VALUES `, 21, len(list), func(i int) []any {
			c := list[i]
			return clockRow(c, max(c.Standing.ReceivedOn, 1))
		})
		if err != nil {
			return err
		}
		type ev struct {
			caseID string
			e      CaseEvent
		}
		var all []ev
		for i, evs := range events {
			for _, e := range evs {
				all = append(all, ev{list[i].ID, e})
			}
		}
		return bulkInsert(tx, `INSERT INTO case_events (case_id, seq, at, action, from_state, to_state, step, desk, org_id, note) VALUES `,
			10, len(all), func(i int) []any {
				e := all[i]
				return []any{e.caseID, e.e.Seq, e.e.At, e.e.Action, e.e.From, e.e.To, e.e.Step, e.e.Desk, e.e.OrgID, e.e.Note}
			})
	})
}

// bulkInsert writes n rows of cols columns, as many per statement as PostgreSQL's 65,535 parameters allow.
func bulkInsert(tx *Tx, head string, cols, n int, row func(i int) []any) error {
	per := min(60000/cols, 1000)
	mark := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (hi-lo)*cols)
		for i := lo; i < hi; i++ {
			if i > lo {
				b.WriteString(", ")
			}
			b.WriteString(mark)
			args = append(args, row(i)...)
		}
		if _, err := tx.exec(b.String(), args...); err != nil {
			return errs.Wrap(err, "bulk insert")
		}
	}
	return nil
}

// Counter reads a named counter (0 when it was never counted).
func (db *DB) Counter(ctx context.Context, scope string) (int64, error) {
	var v int64
	err := db.queryRow(ctx, `SELECT value FROM counters WHERE scope = ?`, scope).Scan(&v)
	if err != nil {
		return 0, nil
	}
	return v, nil
}

// RaiseCounter sets a counter to at least v, so that numbers handed out by a bulk load are never given again.
func (tx *Tx) RaiseCounter(scope string, v int64) error {
	_, err := tx.exec(`INSERT INTO counters (scope, value) VALUES (?, ?)
		ON CONFLICT (scope) DO UPDATE SET value = CASE WHEN counters.value < excluded.value THEN excluded.value ELSE counters.value END`, scope, v)
	return errs.Wrap(err, "counter")
}
