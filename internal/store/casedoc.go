package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"bianmin/internal/audit"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
)

// A case's row keeps its document (cases.doc) without the steps when they are exactly those of the item
// version it was received under (cases.StepsOf of item_id, item_version), and reads them back from that
// version: a published version never changes (an edit makes a new version), so the case still has the steps
// in force on the day it was received. Steps a delegation handed down or joint handling resolved differ from
// the version's and stay in the document, as do those of a version that could still change (a draft or one
// in review). The steps were a fifth of a case's bytes (issue 18). The item's names (Chinese and Mongolian)
// are left to a fixed version the same way.
//
// Nor does the document repeat its row's own columns (id, number, item and version, applicant, organisations,
// place, state, step, version: about 550 bytes of a case's 1.6 KB, issue 18): the fields below, at the top
// level, hide the case's own of the same names from encoding/json, and are left empty when a case is stored,
// so that its document leaves them out; on reading, a field the document has none of is the row's
// (caseCols). A document stored by an earlier Bianmin still has them, and they are read as before.
//
// Its material list, when it is exactly its fixed version's (cases.LeaveMaterials), keeps only the case's
// own part of each material (the check, a note, files) under "checks"; the names and what is asked of each
// are read from the version. The acceptance's audit entry (auditDoc) and the notices that list the
// materials (noticedoc.go) keep it the same way.

// storedCase is a case as its row's document keeps it: Steps, absent, are the item version's; the row's
// columns are absent (caseRow).
type storedCase struct {
	cases.Case
	Steps json.RawMessage `json:"steps,omitempty"`
	// the material list, or (left to the version) its checks; both absent while the case has none
	Materials json.RawMessage `json:"materials,omitempty"`
	Checks    json.RawMessage `json:"checks,omitempty"`

	ID                string        `json:"id,omitempty"`
	No                string        `json:"no,omitempty"`
	ItemID            string        `json:"item_id,omitempty"`
	ItemVersion       int           `json:"item_version,omitempty"`
	ApplicantID       string        `json:"applicant_id,omitempty"`
	Receiving         string        `json:"receiving,omitempty"`
	Handling          string        `json:"handling,omitempty"`
	Bundle            string        `json:"bundle,omitempty"`
	State             cases.State   `json:"state,omitempty"`
	Step              int           `json:"step,omitempty"`
	Version           int           `json:"version,omitempty"`
	Channel           cases.Channel `json:"channel,omitempty"`
	Department        string        `json:"department,omitempty"`
	ReceivedBy        string        `json:"received_by,omitempty"`
	ReceivingTownship string        `json:"receiving_township,omitempty"`
	// the item's names, left to a fixed item version as the steps are
	ItemName   string `json:"item_name,omitempty"`
	ItemNameMn string `json:"item_name_mn,omitempty"`
}

// caseCols is what a case is read from, of its row aliased c: the document, then the columns it leaves out
// (caseRow.dest).
const caseCols = `c.doc, c.id, c.case_no, c.item_id, c.item_version, c.applicant_id, c.receiving_org, c.handling_org, c.bundle, c.state, c.step, c.version, c.channel, c.department, c.received_by, c.receiving_township`

// caseColsOf is caseCols of cases aliased t.
func caseColsOf(t string) string { return strings.ReplaceAll(caseCols, "c.", t+".") }

// caseRow is a case's row as read by caseCols.
type caseRow struct {
	doc string
	row cases.Case
}

func (r *caseRow) dest() []any {
	c := &r.row
	return []any{&r.doc, &c.ID, &c.No, &c.ItemID, &c.ItemVersion, &c.ApplicantID, &c.Receiving, &c.Handling, &c.Bundle, &c.State, &c.Step, &c.Version,
		&c.Channel, &c.Department, &c.ReceivedBy, &c.ReceivingTownship}
}

// orRow is the document's value when it has one (stored by an earlier Bianmin), else the row's.
func orRow[T comparable](doc, row T) T {
	var zero T
	if doc != zero {
		return doc
	}
	return row
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

// fromVersion is what a case takes from its item version: its steps (cases.StepsOf), the item's names,
// what it asks of each material (cases.Asked) and whether it allows a pledge.
type fromVersion struct {
	steps          []cases.Step
	stepsJSON      string // the steps as a case's document would keep them, to compare a case's own with
	nameZh, nameMn string
	asked          []cases.MaterialCheck
	pledgeAllowed  bool
}

// VersionMaterials is what an item version asks of each material (cases.Asked) and whether it allows a
// pledge (告知承诺), read from memory once the version is fixed: every acceptance reconciles the window's
// checks with them, and a published version never changes.
func (db *DB) VersionMaterials(ctx context.Context, itemID string, version int) ([]cases.MaterialCheck, bool, error) {
	v, _, err := db.versionSteps(db.rowsOn(ctx), itemID, version)
	if err == nil && v.stepsJSON == "" {
		err = errs.New(errs.NotFound, "err.not_found").With("what", "item")
	}
	return v.asked, v.pledgeAllowed, err
}

// versionSteps returns what a case takes from an item version, and whether the version can no longer
// change (published, superseded or retired): only then may a case's row leave it out. What a fixed version
// gives is kept in memory: it never changes, so every instance may keep it.
func (db *DB) versionSteps(row rowFunc, itemID string, version int) (fromVersion, bool, error) {
	k := versionKey{itemID, version}
	if s, ok := db.fixedSteps.Load(k); ok {
		return s.(fromVersion), true, nil
	}
	it, err := db.fixedItem(row, itemID, version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fromVersion{}, false, nil
	case err != nil:
		return fromVersion{}, false, errs.Wrap(err, "item version steps")
	}
	v := fromVersion{steps: cases.StepsOf(it.Steps), nameZh: it.NameZh, nameMn: it.NameMn, asked: cases.Asked(it), pledgeAllowed: it.PledgeAllowed}
	v.stepsJSON = string(mustJSON(v.steps))
	if it.Status.Public() {
		db.fixedSteps.Store(k, v)
		return v, true, nil
	}
	return v, false, nil
}

// fixedItem reads an item version, from memory once it is fixed: a version once published, superseded or
// retired (catalog.Status.Public) keeps its text and effective date (SaveItem rewrites only drafts and
// versions in review), so it is decoded once and kept; a draft is read afresh. The item is shared by every
// caller: read it, never change it. sql.ErrNoRows when there is no such version.
func (db *DB) fixedItem(row rowFunc, itemID string, version int) (catalog.Item, error) {
	k := versionKey{itemID, version}
	if it, ok := db.fixedItems.Load(k); ok {
		return it.(catalog.Item), nil
	}
	var doc, st string
	var eff sql.NullTime
	if err := row(`SELECT doc, status, effective_from FROM item_versions WHERE item_id = ? AND version = ?`, itemID, version).Scan(&doc, &st, &eff); err != nil {
		return catalog.Item{}, err
	}
	it, err := decodeItem(doc, st, eff)
	if err == nil && it.Status.Public() {
		db.fixedItems.Store(k, it)
	}
	return it, err
}

// caseDoc is the document a case's row keeps: without its steps when they are its fixed item version's, and
// without the row's own columns.
func (db *DB) caseDoc(row rowFunc, c cases.Case) (string, error) {
	sc, err := db.stored(row, c)
	if err != nil {
		return "", err
	}
	doc, err := json.Marshal(sc)
	return string(doc), errs.Wrap(err, "case doc")
}

// auditDoc is the case as its audit entries keep it: its document with the row's columns, so that the trail,
// with the item version it names, says what was received (the row's columns may change later: a hand-over, a
// department), and what each move changed of them (audit.Changes of two of these).
func (db *DB) auditDoc(row rowFunc, c cases.Case) (audit.Marshalled, error) {
	sc, err := db.stored(row, c)
	if err != nil {
		return nil, err
	}
	sc.Case.ItemName, sc.Case.ItemNameMn = sc.ItemName, sc.ItemNameMn // left to a fixed version, as the row leaves them
	doc, err := json.Marshal(struct {
		cases.Case
		Steps     json.RawMessage `json:"steps,omitempty"`
		Materials json.RawMessage `json:"materials,omitempty"`
		Checks    json.RawMessage `json:"checks,omitempty"`
	}{sc.Case, sc.Steps, sc.Materials, sc.Checks})
	return doc, errs.Wrap(err, "case doc")
}

func (db *DB) stored(row rowFunc, c cases.Case) (storedCase, error) {
	own, _ := json.Marshal(c.Steps)
	sc := storedCase{Case: c, Steps: own}
	sc.ItemName, sc.ItemNameMn = c.ItemName, c.ItemNameMn
	if c.Materials != nil {
		sc.Materials, _ = json.Marshal(c.Materials)
	}
	if c.ItemID != "" {
		v, fixed, err := db.versionSteps(row, c.ItemID, c.ItemVersion)
		if err != nil {
			return sc, err
		}
		if fixed && v.stepsJSON == string(own) {
			sc.Steps = nil
		}
		if fixed && v.nameZh == c.ItemName && v.nameMn == c.ItemNameMn {
			sc.ItemName, sc.ItemNameMn = "", ""
		}
		if kept, ok := cases.LeaveMaterials(v.asked, c.Materials); fixed && ok {
			sc.Materials, sc.Checks = nil, mustJSON(kept)
		}
	}
	sc.Case.Steps, sc.Case.Materials = nil, nil
	return sc, nil
}

// mustJSON marshals what cannot fail to (no channels, funcs or failing marshalers in it).
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// readCase reads a case's row, with what its item version gives when the row left it out: the steps, the
// item's names, the materials' names and what is asked of each.
func (db *DB) readCase(row rowFunc, r caseRow) (cases.Case, error) {
	var sc storedCase
	if err := json.Unmarshal([]byte(r.doc), &sc); err != nil {
		return cases.Case{}, errs.Wrap(err, "case doc")
	}
	c, w := sc.Case, r.row
	c.ID, c.No, c.ItemID, c.ItemVersion = orRow(sc.ID, w.ID), orRow(sc.No, w.No), orRow(sc.ItemID, w.ItemID), orRow(sc.ItemVersion, w.ItemVersion)
	c.ApplicantID, c.Receiving, c.Handling, c.Bundle = orRow(sc.ApplicantID, w.ApplicantID), orRow(sc.Receiving, w.Receiving), orRow(sc.Handling, w.Handling), orRow(sc.Bundle, w.Bundle)
	c.State, c.Step, c.Version = orRow(sc.State, w.State), orRow(sc.Step, w.Step), orRow(sc.Version, w.Version)
	c.Channel, c.Department, c.ReceivedBy, c.ReceivingTownship = orRow(sc.Channel, w.Channel), orRow(sc.Department, w.Department), orRow(sc.ReceivedBy, w.ReceivedBy), orRow(sc.ReceivingTownship, w.ReceivingTownship)
	c.ItemName, c.ItemNameMn = sc.ItemName, sc.ItemNameMn
	if len(sc.Steps) > 0 {
		if err := json.Unmarshal(sc.Steps, &c.Steps); err != nil {
			return c, errs.Wrap(err, "case steps")
		}
	}
	if len(sc.Materials) > 0 {
		if err := json.Unmarshal(sc.Materials, &c.Materials); err != nil {
			return c, errs.Wrap(err, "case materials")
		}
	}
	if len(sc.Steps) > 0 && c.ItemName != "" && len(sc.Checks) == 0 {
		return c, nil
	}
	v, fixed, err := db.versionSteps(row, c.ItemID, c.ItemVersion)
	if err != nil {
		return c, err
	}
	if !fixed {
		return c, fmt.Errorf("case %s leaves its steps, name or materials to item version %s/%d, which is not published", c.ID, c.ItemID, c.ItemVersion)
	}
	if len(sc.Steps) == 0 {
		c.Steps = slices.Clone(v.steps) // the case's own: a move may change them
	}
	if c.ItemName == "" {
		c.ItemName, c.ItemNameMn = v.nameZh, v.nameMn
	}
	if len(sc.Checks) > 0 {
		var kept []cases.KeptCheck
		if err := json.Unmarshal(sc.Checks, &kept); err != nil {
			return c, errs.Wrap(err, "case materials")
		}
		if c.Materials, err = cases.FillMaterials(v.asked, kept); err != nil {
			return c, errs.Wrap(err, "case "+c.ID)
		}
	}
	return c, nil
}

// queryCases reads the cases a query of caseCols finds, in its order.
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
	var docs []caseRow
	for rows.Next() {
		var r caseRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, err
		}
		docs = append(docs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // before reading item versions: on SQLite's writer the transaction has one connection
	out := make([]cases.Case, 0, len(docs))
	for _, r := range docs {
		c, err := db.readCase(row, r)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
