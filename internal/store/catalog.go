package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
)

// ItemRow is what the catalog tables say about an item besides its versions.
type ItemRow struct {
	ID           string
	DepartmentID string
	Latest       int
	Published    int
	RowVersion   int
}

// CreateItem stores a new item as version 1 in the given status (draft, or published for imports that are
// published at once).
func (tx *Tx) CreateItem(actor access.Actor, departmentID string, it *catalog.Item, status catalog.Status) error {
	if it.ID == "" {
		it.ID = ids.New()
	}
	it.Version, it.Status = 1, catalog.Draft
	if _, err := tx.exec(`INSERT INTO items (id, department_id, latest, published, row_version, created_at, updated_at) VALUES (?, ?, 1, 0, 1, ?, ?)`,
		it.ID, departmentID, tx.now, tx.now); err != nil {
		return errs.Wrap(err, "insert item")
	}
	if err := tx.insertVersion(it); err != nil {
		return err
	}
	if err := tx.Audit(actor, "item.create", "item", it.ID, departmentID, nil, it); err != nil {
		return err
	}
	if status == catalog.Published {
		return tx.SetItemStatus(actor, it.ID, 1, catalog.Published, tx.now)
	}
	return nil
}

func (tx *Tx) insertVersion(it *catalog.Item) error {
	doc, _ := json.Marshal(it)
	_, err := tx.exec(`INSERT INTO item_versions (item_id, version, status, name_zh, type_code, village, effective_from, doc, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`, it.ID, it.Version, it.Status, it.NameZh, it.TypeCode, it.Village, string(doc), tx.now, tx.now)
	return errs.Wrap(err, "insert item version")
}

func (tx *Tx) itemRow(id string) (ItemRow, error) {
	var r ItemRow
	err := tx.queryRow(`SELECT id, department_id, latest, published, row_version FROM items WHERE id = ?`+tx.d.forUpdate, id).
		Scan(&r.ID, &r.DepartmentID, &r.Latest, &r.Published, &r.RowVersion)
	if err != nil {
		return r, notFound(err, "item")
	}
	return r, nil
}

func (tx *Tx) itemVersion(id string, v int) (catalog.Item, error) {
	var doc string
	var st string
	if err := tx.queryRow(`SELECT doc, status FROM item_versions WHERE item_id = ? AND version = ?`, id, v).Scan(&doc, &st); err != nil {
		return catalog.Item{}, notFound(err, "item")
	}
	var it catalog.Item
	if err := json.Unmarshal([]byte(doc), &it); err != nil {
		return it, errs.Wrap(err, "item doc")
	}
	it.Status = catalog.Status(st)
	return it, nil
}

// SaveItem stores an edit. rowVersion is the item's version as read (optimistic locking). Editing a draft or
// a version in review changes it in place; editing a published item makes a new draft version, so that the
// published one stays as it was.
func (tx *Tx) SaveItem(actor access.Actor, it *catalog.Item, rowVersion int) error {
	r, err := tx.itemRow(it.ID)
	if err != nil {
		return err
	}
	if r.RowVersion != rowVersion {
		return errs.New(errs.Conflict, "err.conflict")
	}
	latest, err := tx.itemVersion(it.ID, r.Latest)
	if err != nil {
		return err
	}
	if latest.Status == catalog.Draft || latest.Status == catalog.Review {
		it.Version, it.Status = r.Latest, latest.Status
		doc, _ := json.Marshal(it)
		if _, err := tx.exec(`UPDATE item_versions SET doc = ?, name_zh = ?, type_code = ?, village = ?, updated_at = ? WHERE item_id = ? AND version = ?`,
			string(doc), it.NameZh, it.TypeCode, it.Village, tx.now, it.ID, r.Latest); err != nil {
			return errs.Wrap(err, "update item version")
		}
	} else {
		it.Version, it.Status = r.Latest+1, catalog.Draft
		if err := tx.insertVersion(it); err != nil {
			return err
		}
	}
	if _, err := tx.exec(`UPDATE items SET latest = ?, row_version = row_version + 1, updated_at = ? WHERE id = ?`, it.Version, tx.now, it.ID); err != nil {
		return errs.Wrap(err, "update item")
	}
	return tx.Audit(actor, "item.save", "item", it.ID, r.DepartmentID, latest, it)
}

// SetItemStatus moves one version through its lifecycle. Publishing a version makes the previously
// published one superseded (kept, unchanged, for what refers to it) and indexes the new one for search.
func (tx *Tx) SetItemStatus(actor access.Actor, id string, version int, to catalog.Status, effective time.Time) error {
	r, err := tx.itemRow(id)
	if err != nil {
		return err
	}
	it, err := tx.itemVersion(id, version)
	if err != nil {
		return err
	}
	if !catalog.NextStatus(it.Status, to) {
		return errs.Field("status", "err.item.status").With("from", string(it.Status)).With("to", string(to))
	}
	if to == catalog.Published {
		if err := it.CheckPublish(); err != nil {
			return err
		}
		if r.Published != 0 {
			if _, err := tx.exec(`UPDATE item_versions SET status = ? WHERE item_id = ? AND version = ?`, catalog.Superseded, id, r.Published); err != nil {
				return errs.Wrap(err, "supersede")
			}
		}
		if _, err := tx.exec(`UPDATE item_versions SET status = ?, effective_from = ? WHERE item_id = ? AND version = ?`, to, effective, id, version); err != nil {
			return errs.Wrap(err, "publish")
		}
		if _, err := tx.exec(`UPDATE items SET published = ?, row_version = row_version + 1, updated_at = ? WHERE id = ?`, version, tx.now, id); err != nil {
			return errs.Wrap(err, "publish item")
		}
		it.EffectiveFrom = effective
		if err := tx.indexItem(it); err != nil {
			return err
		}
	} else {
		if _, err := tx.exec(`UPDATE item_versions SET status = ? WHERE item_id = ? AND version = ?`, to, id, version); err != nil {
			return errs.Wrap(err, "status")
		}
		if to == catalog.Retired {
			if _, err := tx.exec(`UPDATE items SET published = 0, row_version = row_version + 1 WHERE id = ?`, id); err != nil {
				return errs.Wrap(err, "retire")
			}
			if err := tx.unindexItem(id); err != nil {
				return err
			}
			if err := tx.bumpGeneration(); err != nil {
				return err
			}
		} else if _, err := tx.exec(`UPDATE items SET row_version = row_version + 1 WHERE id = ?`, id); err != nil {
			return errs.Wrap(err, "status")
		}
	}
	return tx.Audit(actor, "item.status."+string(to), "item", id, r.DepartmentID, map[string]any{"version": version, "status": it.Status}, map[string]any{"version": version, "status": to})
}

func (tx *Tx) unindexItem(id string) error {
	_, err := tx.exec(`DELETE FROM item_topics WHERE item_id = ?`, id)
	return errs.Wrap(err, "unindex topics")
}

// indexItem records the topics of a published version and counts a change of the published catalog, which
// tells every instance to rebuild its search index.
func (tx *Tx) indexItem(it catalog.Item) error {
	if err := tx.unindexItem(it.ID); err != nil {
		return err
	}
	for _, t := range slices.Compact(slices.Sorted(slices.Values(it.Topics))) {
		if _, err := tx.exec(`INSERT INTO item_topics (topic, item_id) VALUES (?, ?)`, t, it.ID); err != nil {
			return errs.Wrap(err, "index topic")
		}
	}
	return tx.bumpGeneration()
}

func (tx *Tx) bumpGeneration() error {
	tx.afterCommit = append(tx.afterCommit, func() { tx.db.ForgetKept(CacheCatalog) })
	_, err := tx.exec(`UPDATE catalog_meta SET generation = generation + 1 WHERE id = 1`)
	return errs.Wrap(err, "catalog generation")
}

// PublishedItem is Item as an intake asks for it (which version is published, and the owning department),
// kept in memory: every intake asks, and what it reads changes only with the published catalog, whose
// generation every publish and retirement raises (bumpGeneration). Seen here at the commit, on another
// instance within the caches' poll. Read as committed, never through a transaction.
func (db *DB) PublishedItem(ctx context.Context, id string) (ItemRow, error) {
	return db.publishedItems.get(id, func() (ItemRow, error) { return db.Item(ctx, id) })
}

// CatalogGeneration is the count of changes to the published catalog.
func (db *DB) CatalogGeneration(ctx context.Context) (int64, error) {
	var g int64
	err := db.queryRow(ctx, `SELECT generation FROM catalog_meta WHERE id = 1`).Scan(&g)
	return g, err
}

// PinItemVersion records a reference to one version (what cases will do when they are accepted).
func (tx *Tx) PinItemVersion(actor access.Actor, id string, version int, note string) (string, error) {
	ref := ids.New()
	if _, err := tx.itemVersion(id, version); err != nil {
		return "", err
	}
	if _, err := tx.exec(`INSERT INTO item_refs (id, item_id, version, note, created_at) VALUES (?, ?, ?, ?, ?)`, ref, id, version, note, tx.now); err != nil {
		return "", errs.Wrap(err, "pin")
	}
	return ref, tx.Audit(actor, "item.pin", "item", id, "", nil, map[string]any{"ref": ref, "version": version})
}

// ItemRef reads a pinned reference: the item version it holds.
func (db *DB) ItemRef(ctx context.Context, ref string) (catalog.Item, error) {
	var id string
	var v int
	if err := db.queryRow(ctx, `SELECT item_id, version FROM item_refs WHERE id = ?`, ref).Scan(&id, &v); err != nil {
		return catalog.Item{}, notFound(err, "item")
	}
	return db.ItemVersion(ctx, id, v)
}

// Item reads an item's row.
func (db *DB) Item(ctx context.Context, id string) (ItemRow, error) {
	var r ItemRow
	err := db.queryRow(ctx, `SELECT id, department_id, latest, published, row_version FROM items WHERE id = ?`, id).
		Scan(&r.ID, &r.DepartmentID, &r.Latest, &r.Published, &r.RowVersion)
	if err != nil {
		return r, notFound(err, "item")
	}
	return r, nil
}

// ItemVersion reads one version of an item.
func (db *DB) ItemVersion(ctx context.Context, id string, v int) (catalog.Item, error) {
	var doc, st string
	var eff sql.NullTime
	if err := db.queryRow(ctx, `SELECT doc, status, effective_from FROM item_versions WHERE item_id = ? AND version = ?`, id, v).Scan(&doc, &st, &eff); err != nil {
		return catalog.Item{}, notFound(err, "item")
	}
	return decodeItem(doc, st, eff)
}

// FixedItemVersion is ItemVersion from memory once the version is fixed (fixedItem): every intake asks for
// its item's published version. The status is the one it had when first read; who needs the current one asks
// ItemVersion. The item returned is shared by every caller: read it, never change it.
func (db *DB) FixedItemVersion(ctx context.Context, id string, v int) (catalog.Item, error) {
	it, err := db.fixedItem(db.rowsOn(ctx), id, v)
	return it, notFoundOrNil(err, "item")
}

func decodeItem(doc, st string, eff sql.NullTime) (catalog.Item, error) {
	var it catalog.Item
	if err := json.Unmarshal([]byte(doc), &it); err != nil {
		return it, errs.Wrap(err, "item doc")
	}
	it.Status = catalog.Status(st)
	if eff.Valid {
		it.EffectiveFrom = eff.Time
	}
	return it, nil
}

// ItemVersions lists every version of an item, oldest first.
func (db *DB) ItemVersions(ctx context.Context, id string) ([]catalog.Item, error) {
	rows, err := db.query(ctx, `SELECT doc, status, effective_from FROM item_versions WHERE item_id = ? ORDER BY version`, id)
	return collectItems(rows, err)
}

func collectItems(rows *sql.Rows, err error) ([]catalog.Item, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []catalog.Item
	for rows.Next() {
		var doc, st string
		var eff sql.NullTime
		if err := rows.Scan(&doc, &st, &eff); err != nil {
			return nil, err
		}
		it, err := decodeItem(doc, st, eff)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// HeldItem is the latest version of an item with its row's version: what an import reads, and what it saves
// again under that row version (Tx.SaveItem).
type HeldItem struct {
	Item       catalog.Item
	RowVersion int
}

// ItemsOfDepartment reads the latest version of every item of one department (not staged ones).
func (db *DB) ItemsOfDepartment(ctx context.Context, departmentID string) ([]HeldItem, error) {
	rows, err := db.query(ctx, `SELECT v.doc, v.status, v.effective_from, i.row_version FROM items i
		JOIN item_versions v ON v.item_id = i.id AND v.version = i.latest WHERE i.department_id = ? AND i.latest > 0`, departmentID)
	if err != nil {
		return nil, errs.Wrap(err, "items of department")
	}
	defer rows.Close()
	var out []HeldItem
	for rows.Next() {
		var doc, st string
		var eff sql.NullTime
		var h HeldItem
		if err := rows.Scan(&doc, &st, &eff, &h.RowVersion); err != nil {
			return nil, errs.Wrap(err, "items of department")
		}
		if h.Item, err = decodeItem(doc, st, eff); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, errs.Wrap(rows.Err(), "items of department")
}

// ItemFilter selects published items.
type ItemFilter struct {
	Topic        string
	DepartmentID string
	Village      bool     // only items a village station may take
	IDs          []string // only these
}

// PublishedItems lists the published version of items, by name.
func (db *DB) PublishedItems(ctx context.Context, f ItemFilter) ([]catalog.Item, error) {
	q := `SELECT v.doc, v.status, v.effective_from FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.published WHERE i.published > 0`
	var args []any
	if f.Topic != "" {
		q += ` AND i.id IN (SELECT item_id FROM item_topics WHERE topic = ?)`
		args = append(args, f.Topic)
	}
	if f.DepartmentID != "" {
		q += ` AND i.department_id = ?`
		args = append(args, f.DepartmentID)
	}
	if f.Village {
		q += ` AND v.village <> ''`
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		q += ` AND i.id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.IDs)), ",") + `)`
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	rows, err := db.query(ctx, q+` ORDER BY v.name_zh`+db.d.byCode, args...)
	return collectItems(rows, err)
}

// AllItems lists the latest version of every item (export of the whole catalog).
func (db *DB) AllItems(ctx context.Context) ([]catalog.Item, error) {
	return db.ItemsIn(ctx, "/")
}

// ItemsIn lists the latest version of the items of the departments in a subtree (the catalog editor's view).
func (db *DB) ItemsIn(ctx context.Context, rootPath string) ([]catalog.Item, error) {
	lo, hi := subtreeRange(rootPath)
	rows, err := db.query(ctx, `SELECT v.doc, v.status, v.effective_from FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.latest
		JOIN orgs o ON o.id = i.department_id WHERE o.path >= ? AND o.path < ? ORDER BY v.name_zh`+db.d.byCode, lo, hi)
	return collectItems(rows, err)
}

// Topics lists the topics of published items with their counts (not of items an import has only staged).
func (db *DB) Topics(ctx context.Context) (map[string]int, error) {
	return db.countsBy(ctx, "topics", `SELECT t.topic, count(*) FROM item_topics t JOIN items i ON i.id = t.item_id WHERE i.published > 0 GROUP BY t.topic`)
}

// Implementation is where an item is implemented, with the local details that override the item's
// defaults, and the delegation that brought it there.
type Implementation struct {
	ItemID         string    `json:"item_id"`
	OrgID          string    `json:"org_id"`
	Window         string    `json:"window,omitempty"`
	Place          string    `json:"place,omitempty"`
	Hours          string    `json:"hours,omitempty"`
	ConsultPhone   string    `json:"consult_phone,omitempty"`
	ComplaintPhone string    `json:"complaint_phone,omitempty"`
	DelegatedFrom  string    `json:"delegated_from,omitempty"` // a banner department's org id
	DelegatedAt    time.Time `json:"delegated_at,omitzero"`
	Basis          string    `json:"basis,omitempty"` // the legal basis of the delegation
	Version        int       `json:"version"`
}

// SetImplementation records or updates an implementation.
func (tx *Tx) SetImplementation(actor access.Actor, im Implementation) error {
	doc, _ := json.Marshal(im)
	var delegatedFrom, delegatedAt any
	if im.DelegatedFrom != "" {
		delegatedFrom, delegatedAt = im.DelegatedFrom, im.DelegatedAt
	}
	res, err := tx.exec(`UPDATE implementations SET doc = ?, delegated_from = ?, delegated_at = ?, version = version + 1 WHERE item_id = ? AND org_id = ?`,
		string(doc), delegatedFrom, delegatedAt, im.ItemID, im.OrgID)
	if err != nil {
		return errs.Wrap(err, "implementation")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.exec(`INSERT INTO implementations (item_id, org_id, doc, delegated_from, delegated_at, version) VALUES (?, ?, ?, ?, ?, 1)`,
			im.ItemID, im.OrgID, string(doc), delegatedFrom, delegatedAt); err != nil {
			return errs.Wrap(err, "implementation")
		}
	}
	return tx.Audit(actor, "item.implementation", "item", im.ItemID, im.OrgID, nil, im)
}

// Implementations lists where an item is implemented.
func (db *DB) Implementations(ctx context.Context, itemID string) ([]Implementation, error) {
	return db.implementations(ctx, `SELECT doc, version FROM implementations WHERE item_id = ?`, itemID)
}

// ImplementationsAt lists what is implemented at an organisation.
func (db *DB) ImplementationsAt(ctx context.Context, orgID string) ([]Implementation, error) {
	return db.implementations(ctx, `SELECT doc, version FROM implementations WHERE org_id = ?`, orgID)
}

func (db *DB) implementations(ctx context.Context, q string, arg string) ([]Implementation, error) {
	rows, err := db.query(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Implementation
	for rows.Next() {
		var doc string
		var im Implementation
		var v int
		if err := rows.Scan(&doc, &v); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &im); err != nil {
			return nil, err
		}
		im.Version = v
		out = append(out, im)
	}
	return out, rows.Err()
}

// SaveBundle stores a bundle (一件事).
func (tx *Tx) SaveBundle(actor access.Actor, b *catalog.Bundle) error {
	if b.ID == "" {
		b.ID = ids.New()
	}
	doc, _ := json.Marshal(b)
	if _, err := tx.exec(`INSERT INTO bundles (id, name_zh, doc, created_at) VALUES (?, ?, ?, ?)`, b.ID, b.NameZh, string(doc), tx.now); err != nil {
		return errs.Wrap(err, "bundle")
	}
	return tx.Audit(actor, "bundle.create", "bundle", b.ID, "", nil, b)
}

// Bundles lists every bundle.
func (db *DB) Bundles(ctx context.Context) ([]catalog.Bundle, error) {
	rows, err := db.query(ctx, `SELECT doc FROM bundles ORDER BY name_zh`+db.d.byCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []catalog.Bundle
	for rows.Next() {
		var doc string
		var b catalog.Bundle
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CountItems counts items (not those an import has only staged).
func (db *DB) CountItems(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM items WHERE latest > 0`).Scan(&n)
	return n, err
}

// DepartmentsWithItems lists the ids of departments that have published items.
func (db *DB) DepartmentsWithItems(ctx context.Context) (map[string]bool, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT department_id FROM items WHERE published > 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
