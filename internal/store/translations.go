package store

import (
	"context"
	"database/sql"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/i18n"
)

// Translations reads every administrator correction of the catalog.
func (db *DB) Translations(ctx context.Context) (map[string]i18n.Message, map[string]int, error) {
	rows, err := db.query(ctx, `SELECT key, zh, mn, review, version FROM translations`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out, versions := map[string]i18n.Message{}, map[string]int{}
	for rows.Next() {
		var k string
		var m i18n.Message
		var v int
		if err := rows.Scan(&k, &m.Zh, &m.Mn, &m.Review, &v); err != nil {
			return nil, nil, err
		}
		out[k], versions[k] = m, v
	}
	return out, versions, rows.Err()
}

// SaveTranslation stores an administrator's correction of one key. version is the correction's version as
// read (0 when there was none); a concurrent correction makes this one fail with a conflict.
func (tx *Tx) SaveTranslation(actor access.Actor, key string, m i18n.Message, version int, before i18n.Message) error {
	var cur int
	err := tx.queryRow(`SELECT version FROM translations WHERE key = ?`, key).Scan(&cur)
	switch {
	case err == sql.ErrNoRows:
		cur = 0
	case err != nil:
		return errs.Wrap(err, "translation")
	}
	if cur != version {
		return errs.New(errs.Conflict, "err.conflict")
	}
	var res interface{ RowsAffected() (int64, error) }
	if cur == 0 {
		res, err = tx.exec(`INSERT INTO translations (key, zh, mn, review, version, updated_by, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`, key, m.Zh, m.Mn, m.Review, actor.ID, tx.now)
	} else {
		res, err = tx.exec(`UPDATE translations SET zh = ?, mn = ?, review = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE key = ? AND version = ?`, m.Zh, m.Mn, m.Review, actor.ID, tx.now, key, version)
	}
	if tx.d.isUnique(err) {
		return errs.New(errs.Conflict, "err.conflict")
	}
	if err != nil {
		return errs.Wrap(err, "save translation")
	}
	// Another save between our read and our write changed the version: it wins, this one is refused.
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	if err := tx.Changed(CacheTranslations); err != nil {
		return err
	}
	return tx.Audit(actor, "translation.update", "translation", key, actor.OrgID, before, m)
}
