package store

import (
	"context"

	"bianmin/internal/errs"
)

// StepsDone lists the recorded steps of long loads (the demo's first start).
func (db *DB) StepsDone(ctx context.Context) (map[string]bool, error) {
	rows, err := db.query(ctx, `SELECT name FROM load_steps`)
	if err != nil {
		return nil, errs.Wrap(err, "load steps")
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		done[n] = true
	}
	return done, rows.Err()
}

// MarkStep records a step as done, inside the transaction that did its work.
func (tx *Tx) MarkStep(name string) error {
	_, err := tx.exec(`INSERT INTO load_steps (name, done_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, tx.now)
	return errs.Wrap(err, "load step")
}

// MarkStep records a step as done on its own (after work done in transactions of its own).
func (db *DB) MarkStep(ctx context.Context, name string) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.MarkStep(name) })
}
