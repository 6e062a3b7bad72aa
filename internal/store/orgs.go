package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/org"
)

const orgCols = `id, COALESCE(parent_id, ''), path, kind, code, subtype, name_zh, name_mn, mn_review, abbr, desk, general, note, version, created_at, updated_at`

func scanOrg(r interface{ Scan(...any) error }) (org.Org, error) {
	var o org.Org
	err := r.Scan(&o.ID, &o.ParentID, &o.Path, &o.Kind, &o.Code, &o.Subtype, &o.NameZh, &o.NameMn, &o.MnReview, &o.Abbr, &o.Desk, &o.General, &o.Note, &o.Version, &o.Created, &o.Updated)
	return o, err
}

func collectOrgs(rows *sql.Rows, err error) ([]org.Org, error) { return collect(rows, err, scanOrg) }

// subtreeRange turns a path prefix into a half-open range [lo, hi) that a B-tree index answers on both
// engines: paths are ids and slashes, and '0' is the byte after '/'.
func subtreeRange(root string) (string, string) {
	return root, strings.TrimSuffix(root, "/") + "0"
}

// CreateOrg inserts an organisation under its parent (o.ParentID, or none for a root) and audits it.
// o.ID and o.Path are filled in.
func (tx *Tx) CreateOrg(actor access.Actor, o *org.Org) error {
	var parent *org.Org
	if o.ParentID != "" {
		p, err := tx.Org(o.ParentID)
		if err != nil {
			return err
		}
		parent = &p
	}
	if err := o.ValidateNew(parent); err != nil {
		return err
	}
	if o.ID == "" {
		o.ID = ids.New()
	}
	parentPath := ""
	var parentID any
	if parent != nil {
		parentPath, parentID = parent.Path, parent.ID
	}
	o.Path = org.ChildPath(parentPath, o.ID)
	o.Version, o.Created, o.Updated = 1, tx.now, tx.now
	_, err := tx.exec(`INSERT INTO orgs (id, parent_id, path, kind, code, subtype, name_zh, name_mn, mn_review, abbr, desk, general, note, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, parentID, o.Path, o.Kind, o.Code, o.Subtype, o.NameZh, o.NameMn, o.MnReview, o.Abbr, o.Desk, o.General, o.Note, o.Version, o.Created, o.Updated)
	if tx.d.isUnique(err) {
		return errs.Field("code", "err.code.taken").With("code", o.Code)
	}
	if err != nil {
		return errs.Wrap(err, "insert org")
	}
	for _, a := range o.Aliases {
		if _, err := tx.exec(`INSERT INTO org_aliases (org_id, name) VALUES (?, ?)`, o.ID, a); err != nil {
			return errs.Wrap(err, "insert alias")
		}
	}
	return tx.Audit(actor, "org.create", "org", o.ID, o.ID, nil, o)
}

// UpdateOrgNames changes the names, abbreviation and note of an organisation, if nobody changed it since
// version was read (optimistic locking).
func (tx *Tx) UpdateOrgNames(actor access.Actor, id string, version int, nameZh, nameMn, abbr string, mnReview bool) (org.Org, error) {
	before, err := tx.Org(id)
	if err != nil {
		return org.Org{}, err
	}
	if before.Version != version {
		return org.Org{}, errs.New(errs.Conflict, "err.conflict")
	}
	after := before
	after.NameZh, after.NameMn, after.Abbr, after.MnReview = strings.TrimSpace(nameZh), strings.TrimSpace(nameMn), strings.TrimSpace(abbr), mnReview
	var parent *org.Org
	if before.ParentID != "" {
		p, err := tx.Org(before.ParentID)
		if err != nil {
			return org.Org{}, err
		}
		parent = &p
	}
	if err := after.Validate(parent); err != nil {
		return org.Org{}, err
	}
	after.Version, after.Updated = version+1, tx.now
	res, err := tx.exec(`UPDATE orgs SET name_zh = ?, name_mn = ?, abbr = ?, mn_review = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		after.NameZh, after.NameMn, after.Abbr, after.MnReview, after.Version, after.Updated, id, version)
	if err != nil {
		return org.Org{}, errs.Wrap(err, "update org")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return org.Org{}, errs.New(errs.Conflict, "err.conflict")
	}
	tx.afterCommit = append(tx.afterCommit, func() { tx.db.orgs.Delete(id) })
	if err := tx.Changed(CacheOrgs); err != nil {
		return org.Org{}, err
	}
	return after, tx.Audit(actor, "org.update", "org", id, id, before, after)
}

// Org reads one organisation inside the transaction.
func (tx *Tx) Org(id string) (org.Org, error) {
	o, err := scanOrg(tx.queryRow(`SELECT `+orgCols+` FROM orgs WHERE id = ?`, id))
	if err != nil {
		return o, notFound(err, "org")
	}
	return o, nil
}

// Org reads one organisation with its aliases (from the cache when it is fresh).
func (db *DB) Org(ctx context.Context, id string) (org.Org, error) {
	if v, ok := db.orgs.Load(id); ok {
		if c := v.(cachedOrg); time.Since(c.at) < orgTTL {
			o := c.o
			o.Aliases = slices.Clone(o.Aliases)
			return o, nil
		}
	}
	o, err := db.readOrg(ctx, id)
	if err == nil {
		db.orgs.Store(id, cachedOrg{o: o, at: time.Now()})
	}
	return o, err
}

func (db *DB) readOrg(ctx context.Context, id string) (org.Org, error) {
	o, err := scanOrg(db.queryRow(ctx, `SELECT `+orgCols+` FROM orgs WHERE id = ?`, id))
	if err != nil {
		return o, notFound(err, "org")
	}
	rows, err := db.query(ctx, `SELECT name FROM org_aliases WHERE org_id = ? ORDER BY name`, id)
	if err != nil {
		return o, err
	}
	defer rows.Close()
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return o, err
		}
		o.Aliases = append(o.Aliases, a)
	}
	return o, rows.Err()
}

// OrgByCode finds an organisation by its division code.
func (db *DB) OrgByCode(ctx context.Context, code string) (org.Org, error) {
	o, err := scanOrg(db.queryRow(ctx, `SELECT `+orgCols+` FROM orgs WHERE code = ?`, code))
	if err != nil {
		return o, notFound(err, "org")
	}
	return o, nil
}

// OrgByName finds organisations of a kind by Chinese name or alias (names repeat across banners).
func (db *DB) OrgsByName(ctx context.Context, kind org.Kind, name string) ([]org.Org, error) {
	return collectOrgs(db.query(ctx, `SELECT `+orgCols+` FROM orgs WHERE kind = ? AND (name_zh = ? OR id IN (SELECT org_id FROM org_aliases WHERE name = ?)) ORDER BY path`, kind, name, name))
}

// Children lists the direct children of an organisation, in code then name order.
func (db *DB) Children(ctx context.Context, parentID string) ([]org.Org, error) {
	return collectOrgs(db.query(ctx, `SELECT `+orgCols+` FROM orgs WHERE parent_id = ? ORDER BY kind, code, name_zh`+db.d.byCode, parentID))
}

// Subtree lists an organisation and everything under it, in path order (parents before children).
// kinds, when given, filters.
func (db *DB) Subtree(ctx context.Context, rootPath string, kinds ...org.Kind) ([]org.Org, error) {
	lo, hi := subtreeRange(rootPath)
	q := `SELECT ` + orgCols + ` FROM orgs WHERE path >= ? AND path < ?`
	args := []any{lo, hi}
	if len(kinds) > 0 {
		q += ` AND kind IN (` + strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",") + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	return collectOrgs(db.query(ctx, q+` ORDER BY path`, args...))
}

// Roots lists the organisations without a parent.
func (db *DB) Roots(ctx context.Context) ([]org.Org, error) {
	return collectOrgs(db.query(ctx, `SELECT `+orgCols+` FROM orgs WHERE parent_id IS NULL ORDER BY code`))
}

// CountOrgs counts the organisations, for "is this database empty".
func (db *DB) CountOrgs(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM orgs`).Scan(&n)
	return n, err
}

// ImportPlan creates the organisations of a validated division plan under parentID (or as roots) in one
// transaction: all or nothing. Units whose division code already exists are reused, so that a banner file
// can be imported into a region that already holds its region and city.
func (tx *Tx) ImportPlan(actor access.Actor, p *org.Plan) (created int, err error) {
	idx := make([]string, len(p.Orgs))
	for i := range p.Orgs {
		o := p.Orgs[i]
		if pi := p.Parents[i]; pi >= 0 {
			o.ParentID = idx[pi]
		}
		if o.Code != "" {
			// a township may have been stored by its 12-digit form (9 digits and 000) before imports kept the 9
			long := o.Code
			if o.Kind == org.Township && len(o.Code) == 9 {
				long = o.Code + "000"
			}
			var id, kind string
			err := tx.queryRow(`SELECT id, kind FROM orgs WHERE code IN (?, ?) ORDER BY length(code) LIMIT 1`, o.Code, long).Scan(&id, &kind)
			if err == nil {
				if kind != string(o.Kind) {
					return created, errs.Field("code", "err.code.taken").With("code", o.Code)
				}
				idx[i] = id
				continue
			}
			if err != sql.ErrNoRows {
				return created, errs.Wrap(err, "lookup code")
			}
		} else if o.ParentID != "" {
			// an uncoded unit is the same unit when its parent and name match
			var id string
			err := tx.queryRow(`SELECT id FROM orgs WHERE parent_id = ? AND kind = ? AND name_zh = ?`, o.ParentID, o.Kind, o.NameZh).Scan(&id)
			if err == nil {
				idx[i] = id
				continue
			}
			if err != sql.ErrNoRows {
				return created, errs.Wrap(err, "lookup name")
			}
		}
		if err := tx.CreateOrg(actor, &o); err != nil {
			return created, err
		}
		idx[i] = o.ID
		created++
	}
	return created, nil
}
