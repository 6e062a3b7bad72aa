package store

import (
	"context"
	"database/sql"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// How a township staffs its back office (issue 11 point 1; migration 066): split by item domain, or 一人通办.

// BackOfficeSplit reads a township's setting and its version (false and 0: never set, 一人通办).
func (db *DB) BackOfficeSplit(ctx context.Context, townshipID string) (bool, int, error) {
	var split, v int
	err := db.queryRow(ctx, `SELECT split, version FROM back_office_split WHERE township_id = ?`, townshipID).Scan(&split, &v)
	if err == sql.ErrNoRows {
		return false, 0, nil
	}
	return split != 0, v, errs.Wrap(err, "back office split")
}

// Which townships split their back office (DB.splits) is kept in memory: every back-office move asks, and the
// setting changes once in a long while. A change made here drops it at its commit, one made on another
// instance at the next poll of the caches' versions (CacheSplits): within -cache-poll of its commit on every
// instance.

// SplitsBackOffice reports whether a township splits its back office by domain, from memory.
func (db *DB) SplitsBackOffice(ctx context.Context, townshipID string) (bool, error) {
	return inKeptSet(ctx, db, &db.splits, townshipID, `SELECT township_id FROM back_office_split WHERE split <> 0`, "back office split")
}

// SetBackOfficeSplit writes a township's setting if it is still at version (0: never set).
func (tx *Tx) SetBackOfficeSplit(actor access.Actor, townshipID string, version int, split bool) error {
	n := 0
	if split {
		n = 1
	}
	var res sql.Result
	var err error
	if version == 0 {
		res, err = tx.exec(`INSERT INTO back_office_split (township_id, split, set_by, set_at, version) VALUES (?, ?, ?, ?, 1)`, townshipID, n, actor.ID, tx.now)
		if err != nil && tx.d.isUnique(err) {
			return errs.New(errs.Conflict, "err.people_gaps.split_conflict")
		}
	} else {
		res, err = tx.exec(`UPDATE back_office_split SET split = ?, set_by = ?, set_at = ?, version = version + 1 WHERE township_id = ? AND version = ?`,
			n, actor.ID, tx.now, townshipID, version)
	}
	if err != nil {
		return errs.Wrap(err, "back office split")
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return errs.New(errs.Conflict, "err.people_gaps.split_conflict")
	}
	if err := tx.Changed(CacheSplits); err != nil {
		return err
	}
	return tx.Audit(actor, "township.back_office_split", "org", townshipID, townshipID, nil, map[string]bool{"split": split})
}

// AlertStates counts the alerts of a subtree's centers and stations from..to, by place and state (absent: a
// rostered person not there without leave; empty: nobody rostered, or the substitute not there); the key is
// the place's id, a space, and the state.
func (db *DB) AlertStates(ctx context.Context, root string, from, to clock.Date) (map[string]int, error) {
	lo, hi := subtreeRange(root)
	return db.countsBy(ctx, "alert states", `SELECT center_id || ' ' || state, count(*) FROM coverage_alerts WHERE center_path >= ? AND center_path < ? AND day >= ? AND day <= ? GROUP BY center_id, state`,
		lo, hi, from.Int(), to.Int())
}
