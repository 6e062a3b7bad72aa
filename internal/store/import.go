package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// A catalog import is written in short batches, so that the one writer (SQLite) and the audit chain's head
// (both engines) are never held for the whole file and case intake goes on in between; and it stays all
// or nothing, because a batch writes its items staged: an items row with latest = 0 has no current version,
// so no reader sees it (every list joins items to the version it names, the public ones through published,
// which stays 0). One short last transaction makes the import's items live together and counts one change
// of the published catalog; a failure or a cancelled import removes what it staged.
//
//	prepare (no writer) -> StageItems x N batches (short) -> GoLive (short) | DropStaged on failure

// ImportBatch is how many items one staged batch writes: a batch takes tens of milliseconds, which is
// what an intake waiting behind it waits at most.
const ImportBatch = 250

// StagedItem is an item made ready for an import outside the writer: its id, its version document and its
// search topics computed, whether it goes live published.
type StagedItem struct {
	Item         catalog.Item
	DepartmentID string
	Publish      bool
	doc          string
	topics       []string
}

// PrepareItem makes an item ready for StageItems: it is given its id and version 1, and its document and
// topics are computed here, by the caller, rather than inside the writer.
func PrepareItem(it catalog.Item, departmentID string, publish bool) StagedItem {
	it.ID, it.Version, it.Status = ids.New(), 1, catalog.Draft
	doc, _ := json.Marshal(it)
	s := StagedItem{Item: it, DepartmentID: departmentID, Publish: publish, doc: string(doc)}
	if publish {
		s.topics = slices.Compact(slices.Sorted(slices.Values(it.Topics)))
	}
	return s
}

// StageItems writes one batch of an import, invisible until GoLive: the items rows with latest = 0, their
// versions already in the status they go live in, their topics, and the audit entries an item created
// (and published) one by one would have had.
func (tx *Tx) StageItems(actor access.Actor, items []StagedItem) error {
	for i := range items {
		s := &items[i]
		rowVersion, status := 1, catalog.Draft
		var effective any
		if s.Publish {
			rowVersion, status, effective = 2, catalog.Published, tx.now
		}
		if _, err := tx.exec(`INSERT INTO items (id, department_id, latest, published, row_version, created_at, updated_at) VALUES (?, ?, 0, 0, ?, ?, ?)`,
			s.Item.ID, s.DepartmentID, rowVersion, tx.now, tx.now); err != nil {
			return errs.Wrap(err, "stage item")
		}
		if _, err := tx.exec(`INSERT INTO item_versions (item_id, version, status, name_zh, type_code, village, effective_from, doc, created_at, updated_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`, s.Item.ID, status, s.Item.NameZh, s.Item.TypeCode, s.Item.Village, effective, s.doc, tx.now, tx.now); err != nil {
			return errs.Wrap(err, "stage item version")
		}
		for _, t := range s.topics {
			if _, err := tx.exec(`INSERT INTO item_topics (topic, item_id) VALUES (?, ?)`, t, s.Item.ID); err != nil {
				return errs.Wrap(err, "stage topic")
			}
		}
		if err := tx.Audit(actor, "item.create", "item", s.Item.ID, s.DepartmentID, nil, json.RawMessage(s.doc)); err != nil {
			return err
		}
		if s.Publish {
			if err := tx.Audit(actor, "item.status."+string(catalog.Published), "item", s.Item.ID, s.DepartmentID,
				map[string]any{"version": 1, "status": catalog.Draft}, map[string]any{"version": 1, "status": catalog.Published}); err != nil {
				return err
			}
		}
	}
	return nil
}

// idChunk bounds the ids one statement names (SQLite allows 32,766 parameters; PostgreSQL 65,535).
const idChunk = 500

// GoLive makes an import's staged items live at once: their versions become current (and the published
// ones public), and the published catalog counts one change. importID names the import in its audit entry.
func (tx *Tx) GoLive(actor access.Actor, importID string, items []StagedItem) error {
	var published, drafts []string
	for _, s := range items {
		if s.Publish {
			published = append(published, s.Item.ID)
		} else {
			drafts = append(drafts, s.Item.ID)
		}
	}
	for _, set := range []struct {
		q   string
		ids []string
	}{
		{`UPDATE items SET latest = 1, published = 1, updated_at = ? WHERE latest = 0 AND id IN `, published},
		{`UPDATE items SET latest = 1, updated_at = ? WHERE latest = 0 AND id IN `, drafts},
	} {
		for chunk := range slices.Chunk(set.ids, idChunk) {
			args := append(make([]any, 0, len(chunk)+1), any(tx.now))
			for _, id := range chunk {
				args = append(args, id)
			}
			res, err := tx.exec(set.q+`(`+strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+`)`, args...)
			if err != nil {
				return errs.Wrap(err, "import go live")
			}
			// A staged item gone (removed as stale by another import) fails the whole import, not part of it.
			if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
				return errs.New(errs.Conflict, "err.conflict")
			}
		}
	}
	if len(published) > 0 {
		if err := tx.bumpGeneration(); err != nil {
			return err
		}
	}
	return tx.Audit(actor, "catalog.import", "import", importID, "", nil,
		map[string]any{"items": len(items), "published": len(published), "drafts": len(drafts)})
}

// DropStaged removes the staged rows of an import that failed or was cancelled, in short transactions of
// their own. Rows already live are not touched. The audit trail keeps the staged items' entries, followed by
// one saying the import was abandoned.
func (db *DB) DropStaged(ctx context.Context, actor access.Actor, importID string, items []StagedItem, reason error) error {
	ctx = context.WithoutCancel(ctx)
	var dropped int
	for chunk := range slices.Chunk(items, ImportBatch*2) {
		list := make([]string, len(chunk))
		for i, s := range chunk {
			list[i] = s.Item.ID
		}
		var n int
		err := db.Write(ctx, func(tx *Tx) (err error) {
			n, err = tx.dropStaged(list)
			return err
		})
		if err != nil {
			return err
		}
		dropped += n
	}
	why := ""
	if reason != nil {
		why = reason.Error()
	}
	return db.Write(ctx, func(tx *Tx) error {
		return tx.Audit(actor, "catalog.import.abandon", "import", importID, "", nil, map[string]any{"staged": dropped, "reason": why})
	})
}

// dropStaged deletes the staged items among ids (latest = 0), with their versions and topics.
func (tx *Tx) dropStaged(list []string) (int, error) {
	var n int
	for chunk := range slices.Chunk(list, idChunk) {
		in := `(` + strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",") + `)`
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		staged := `SELECT id FROM items WHERE latest = 0 AND id IN ` + in
		if _, err := tx.exec(`DELETE FROM item_topics WHERE item_id IN (`+staged+`)`, args...); err != nil {
			return n, errs.Wrap(err, "drop staged topics")
		}
		if _, err := tx.exec(`DELETE FROM item_versions WHERE item_id IN (`+staged+`)`, args...); err != nil {
			return n, errs.Wrap(err, "drop staged versions")
		}
		res, err := tx.exec(`DELETE FROM items WHERE latest = 0 AND id IN `+in, args...)
		if err != nil {
			return n, errs.Wrap(err, "drop staged items")
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// DropStaleStaged removes what imports staged before a time and never finished (the process was killed
// between its batches); an import calls it before it begins, with a time well before any import still
// running could have begun.
func (db *DB) DropStaleStaged(ctx context.Context, before time.Time) (int, error) {
	list, err := db.queryStrings(ctx, `SELECT id FROM items WHERE latest = 0 AND created_at < ?`, before.UTC())
	if err != nil || len(list) == 0 {
		return 0, err
	}
	var n int
	for chunk := range slices.Chunk(list, ImportBatch*2) {
		var k int
		err := db.Write(ctx, func(tx *Tx) (err error) {
			k, err = tx.dropStaged(chunk)
			return err
		})
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}
