package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
)

// A case's row keeps its document (cases.doc) without the steps when they are exactly those of the item
// version it was received under (cases.StepsOf of item_id, item_version), and reads them back from that
// version: a published version never changes (an edit makes a new version), so the case still has the steps
// in force on the day it was received. Steps a delegation handed down or joint handling resolved differ from
// the version's and stay in the document, as do those of a version that could still change (a draft or one
// in review). The steps were a fifth of a case's bytes (issue 18).

// storedCase is a case as its row's document keeps it: Steps, absent, are the item version's.
type storedCase struct {
	cases.Case
	Steps json.RawMessage `json:"steps,omitempty"`
}

// rowFunc runs a one-row query in a transaction or on a reader.
type rowFunc func(q string, args ...any) *sql.Row

func (db *DB) rowsOn(ctx context.Context) rowFunc {
	return func(q string, args ...any) *sql.Row { return db.queryRow(ctx, q, args...) }
}

// versionKey names an item version.
type versionKey struct {
	item    string
	version int
}

// versionSteps returns the steps a case takes from an item version (cases.StepsOf), and whether the version
// can no longer change (published, superseded or retired): only then may a case's row leave them out. The
// steps of a fixed version are kept in memory: they never change, so every instance may keep them.
func (db *DB) versionSteps(row rowFunc, itemID string, version int) ([]cases.Step, bool, error) {
	k := versionKey{itemID, version}
	if s, ok := db.fixedSteps.Load(k); ok {
		return s.([]cases.Step), true, nil
	}
	var doc, status string
	switch err := row(`SELECT doc, status FROM item_versions WHERE item_id = ? AND version = ?`, itemID, version).Scan(&doc, &status); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, errs.Wrap(err, "item version steps")
	}
	var it catalog.Item
	if err := json.Unmarshal([]byte(doc), &it); err != nil {
		return nil, false, errs.Wrap(err, "item version steps")
	}
	steps := cases.StepsOf(it.Steps)
	switch catalog.Status(status) {
	case catalog.Published, catalog.Superseded, catalog.Retired:
		db.fixedSteps.Store(k, steps)
		return steps, true, nil
	}
	return steps, false, nil
}

// caseDoc is the document a case's row keeps: without its steps when they are its fixed item version's.
func (db *DB) caseDoc(row rowFunc, c cases.Case) (string, error) {
	own, _ := json.Marshal(c.Steps)
	sc := storedCase{Case: c, Steps: own}
	if c.ItemID != "" {
		steps, fixed, err := db.versionSteps(row, c.ItemID, c.ItemVersion)
		if err != nil {
			return "", err
		}
		if theirs, _ := json.Marshal(steps); fixed && string(theirs) == string(own) {
			sc.Steps = nil
		}
	}
	sc.Case.Steps = nil
	doc, err := json.Marshal(sc)
	return string(doc), errs.Wrap(err, "case doc")
}

// readCase reads a case's row document, with the steps of its item version when the row left them out.
func (db *DB) readCase(row rowFunc, doc string) (cases.Case, error) {
	var sc storedCase
	if err := json.Unmarshal([]byte(doc), &sc); err != nil {
		return cases.Case{}, errs.Wrap(err, "case doc")
	}
	c := sc.Case
	if len(sc.Steps) > 0 {
		return c, errs.Wrap(json.Unmarshal(sc.Steps, &c.Steps), "case steps")
	}
	steps, fixed, err := db.versionSteps(row, c.ItemID, c.ItemVersion)
	if err != nil {
		return c, err
	}
	if !fixed {
		return c, fmt.Errorf("case %s leaves its steps to item version %s/%d, which is not published", c.ID, c.ItemID, c.ItemVersion)
	}
	c.Steps = slices.Clone(steps) // the case's own: a move may change them
	return c, nil
}

// queryCases reads the cases a query's one column of documents holds, in its order.
func (db *DB) queryCases(ctx context.Context, q string, args ...any) ([]cases.Case, error) {
	rows, err := db.query(ctx, q, args...)
	return db.collectCases(db.rowsOn(ctx), rows, err)
}

// queryCases reads, in the transaction, the cases a query's one column of documents holds.
func (tx *Tx) queryCases(q string, args ...any) ([]cases.Case, error) {
	rows, err := tx.query(q, args...)
	return tx.db.collectCases(tx.queryRow, rows, err)
}

func (db *DB) collectCases(row rowFunc, rows *sql.Rows, err error) ([]cases.Case, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []string
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // before reading item versions: on SQLite's writer the transaction has one connection
	out := make([]cases.Case, 0, len(docs))
	for _, doc := range docs {
		c, err := db.readCase(row, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
