package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/translation"
)

// MnSeed is a string as its source has it (the interface catalog, an item, an organisation), for SyncMnStrings.
type MnSeed struct {
	translation.String
	OwnerPath string
	// Mirror: the source owns the Mongolian (an organisation's name, which its page also edits; an interface
	// key no reviewer has touched here), so a difference is taken over. Otherwise the stored string owns it
	// once a person changed it (version > 0).
	Mirror bool
}

const mnCols = `key, kind, zh, mn, status, place, context, township_id, owner_path, version, updated_by`

func scanMn(r interface{ Scan(...any) error }) (translation.String, string, error) {
	var s translation.String
	var owner string
	err := r.Scan(&s.Key, &s.Kind, &s.Zh, &s.Mn, &s.Status, &s.Where, &s.Context, &s.Township, &owner, &s.Version, &s.Updated)
	return s, owner, err
}

func mnFold(s translation.String) string {
	return strings.ToLower(s.Zh) + " " + translation.Fold(s.Mn) + " " + strings.ToLower(s.Key)
}

// SyncMnStrings brings the strings table in line with their sources: new strings are added (missing, or with
// the Mongolian their source carries), a changed Chinese, place or owner is taken over; the Mongolian and
// status of a string a person changed here stay (unless the source owns it: Mirror). Not audited: it changes
// no one's words, it lists them.
func (tx *Tx) SyncMnStrings(seeds []MnSeed) (added, changed int, err error) {
	rows, err := tx.query(`SELECT ` + mnCols + ` FROM mn_strings`)
	if err != nil {
		return 0, 0, errs.Wrap(err, "mn strings")
	}
	have := map[string]MnSeed{}
	for rows.Next() {
		s, owner, err := scanMn(rows)
		if err != nil {
			rows.Close()
			return 0, 0, errs.Wrap(err, "mn strings")
		}
		have[s.Key] = MnSeed{String: s, OwnerPath: owner}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, errs.Wrap(err, "mn strings")
	}
	var fresh []MnSeed
	for _, sd := range seeds {
		cur, ok := have[sd.Key]
		if !ok {
			have[sd.Key] = sd
			fresh = append(fresh, sd)
			continue
		}
		next := cur
		next.Zh, next.Where, next.Context, next.Township, next.OwnerPath, next.Kind = sd.Zh, sd.Where, sd.Context, sd.Township, sd.OwnerPath, sd.Kind
		if (sd.Mirror || cur.Version == 0) && (sd.Mn != cur.Mn || sd.Status != cur.Status) {
			next.Mn, next.Status = sd.Mn, sd.Status
		}
		if next == cur {
			continue
		}
		if _, err := tx.exec(`UPDATE mn_strings SET kind = ?, zh = ?, mn = ?, status = ?, fold = ?, place = ?, context = ?, township_id = ?, owner_path = ? WHERE key = ?`,
			next.Kind, next.Zh, next.Mn, next.Status, mnFold(next.String), next.Where, next.Context, next.Township, next.OwnerPath, sd.Key); err != nil {
			return added, changed, errs.Wrap(err, "mn string")
		}
		changed++
	}
	// New strings go in by the hundred: a first sync lists a banner's two thousand strings, and a demo
	// world or a test makes one.
	for len(fresh) > 0 {
		n := min(len(fresh), 100)
		q := `INSERT INTO mn_strings (key, kind, zh, mn, status, fold, place, context, township_id, owner_path, version, updated_by, updated_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?),`, n), ",")
		args := make([]any, 0, 11*n)
		for _, sd := range fresh[:n] {
			args = append(args, sd.Key, sd.Kind, sd.Zh, sd.Mn, sd.Status, mnFold(sd.String), sd.Where, sd.Context, sd.Township, sd.OwnerPath, tx.now)
		}
		if _, err := tx.exec(q, args...); err != nil {
			return added, changed, errs.Wrap(err, "mn string")
		}
		added += n
		fresh = fresh[n:]
	}
	return added, changed, nil
}

// MnFilter selects strings for the queue. Search compares the folded Chinese and Mongolian (what a
// reviewer types matches what is stored, with or without U+180E and U+202F).
type MnFilter struct {
	Kind     translation.Kind
	Status   translation.Status
	Pending  bool   // composed or missing: what awaits a reviewer
	Township string // strings of one township
	Q        string
	Root     string // the actor's subtree: strings owned within it
	Shared   bool   // and the strings the whole instance shares (owner "/": interface, catalog)
	After    string // keyset: strings after this key
	Limit    int
}

func (f MnFilter) where() (string, []any) {
	var w []string
	var args []any
	if f.Kind != "" {
		w, args = append(w, `kind = ?`), append(args, string(f.Kind))
	}
	if f.Status != "" {
		w, args = append(w, `status = ?`), append(args, string(f.Status))
	}
	if f.Pending {
		w = append(w, `status IN ('composed', 'missing')`)
	}
	if f.Township != "" {
		w, args = append(w, `township_id = ?`), append(args, f.Township)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w = append(w, `fold LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(strings.ToLower(translation.Fold(q)))+"%")
	}
	if f.Root != "" {
		lo, hi := subtreeRange(f.Root)
		if f.Shared {
			w, args = append(w, `(owner_path = '/' OR (owner_path >= ? AND owner_path < ?))`), append(args, lo, hi)
		} else {
			w, args = append(w, `owner_path >= ? AND owner_path < ?`), append(args, lo, hi)
		}
	}
	if len(w) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(w, " AND "), args
}

// MnStrings lists strings by key after f.After, at most f.Limit, and how many match in all.
func (db *DB) MnStrings(ctx context.Context, f MnFilter) ([]translation.String, int, error) {
	w, args := f.where()
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM mn_strings`+w, args...).Scan(&total); err != nil {
		return nil, 0, errs.Wrap(err, "mn strings")
	}
	q := `SELECT ` + mnCols + ` FROM mn_strings` + w
	if f.After != "" {
		if w == "" {
			q += ` WHERE key > ?`
		} else {
			q += ` AND key > ?`
		}
		args = append(args, f.After)
	}
	q += ` ORDER BY key`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, 0, errs.Wrap(err, "mn strings")
	}
	defer rows.Close()
	var out []translation.String
	for rows.Next() {
		s, _, err := scanMn(rows)
		if err != nil {
			return nil, 0, errs.Wrap(err, "mn strings")
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// MnString reads one string and the path of the organisation it belongs to.
func (db *DB) MnString(ctx context.Context, key string) (translation.String, string, error) {
	s, owner, err := scanMn(db.queryRow(ctx, `SELECT `+mnCols+` FROM mn_strings WHERE key = ?`, key))
	if err != nil {
		return s, "", notFound(err, "mn_string")
	}
	return s, owner, nil
}

// MnCounts counts strings by kind and status in SQL: the plain count the coverage report must equal.
func (db *DB) MnCounts(ctx context.Context) (map[translation.Kind]map[translation.Status]int, error) {
	rows, err := db.query(ctx, `SELECT kind, status, count(*) FROM mn_strings GROUP BY kind, status`)
	if err != nil {
		return nil, errs.Wrap(err, "mn counts")
	}
	defer rows.Close()
	out := map[translation.Kind]map[translation.Status]int{}
	for rows.Next() {
		var k, s string
		var n int
		if err := rows.Scan(&k, &s, &n); err != nil {
			return nil, err
		}
		if out[translation.Kind(k)] == nil {
			out[translation.Kind(k)] = map[translation.Status]int{}
		}
		out[translation.Kind(k)][translation.Status(s)] = n
	}
	return out, rows.Err()
}

// MnHistoryEntry is one change of a string.
type MnHistoryEntry struct {
	Seq                       string
	Key                       string
	Action                    translation.Action
	BeforeMn, AfterMn         string
	BeforeStatus, AfterStatus translation.Status
	Comment                   string
	ActorID, ActorName        string
	At                        time.Time
}

// MnHistory lists a string's changes, newest first.
func (db *DB) MnHistory(ctx context.Context, key string) ([]MnHistoryEntry, error) {
	rows, err := db.query(ctx, `SELECT seq, key, action, before_mn, after_mn, before_status, after_status, comment, actor_id, actor_name, at FROM mn_history WHERE key = ? ORDER BY at DESC, seq DESC`, key)
	if err != nil {
		return nil, errs.Wrap(err, "mn history")
	}
	defer rows.Close()
	var out []MnHistoryEntry
	for rows.Next() {
		var h MnHistoryEntry
		if err := rows.Scan(&h.Seq, &h.Key, &h.Action, &h.BeforeMn, &h.AfterMn, &h.BeforeStatus, &h.AfterStatus, &h.Comment, &h.ActorID, &h.ActorName, &h.At); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// MnHistoryAt reads one history entry.
func (tx *Tx) MnHistoryAt(key, seq string) (MnHistoryEntry, error) {
	var h MnHistoryEntry
	err := tx.queryRow(`SELECT seq, key, action, before_mn, after_mn, before_status, after_status, comment, actor_id, actor_name, at FROM mn_history WHERE key = ? AND seq = ?`, key, seq).
		Scan(&h.Seq, &h.Key, &h.Action, &h.BeforeMn, &h.AfterMn, &h.BeforeStatus, &h.AfterStatus, &h.Comment, &h.ActorID, &h.ActorName, &h.At)
	return h, notFound(err, "mn_history")
}

// MnStringTx reads one string inside a transaction, for a change.
func (tx *Tx) MnStringTx(key string) (translation.String, string, error) {
	s, owner, err := scanMn(tx.queryRow(`SELECT `+mnCols+` FROM mn_strings WHERE key = ?`+tx.d.forUpdate, key))
	if err != nil {
		return s, "", notFound(err, "mn_string")
	}
	return s, owner, nil
}

// ChangeMnString writes a reviewer's change: the string (if its version is still the one read), a history
// entry, the source the string mirrors (an interface key's correction, an organisation's name), and the
// audit entry, together.
func (tx *Tx) ChangeMnString(actor access.Actor, before, after translation.String, c translation.Change, orgID string) error {
	if c.Action != translation.Comment {
		res, err := tx.exec(`UPDATE mn_strings SET mn = ?, status = ?, fold = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE key = ? AND version = ?`,
			after.Mn, after.Status, mnFold(after), actor.Name, tx.now, before.Key, c.Version)
		if err != nil {
			return errs.Wrap(err, "mn string")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.New(errs.Conflict, "err.conflict")
		}
		if err := tx.mirrorMn(actor, after); err != nil {
			return err
		}
		if err := tx.Changed(CacheMn); err != nil {
			return err
		}
	}
	if _, err := tx.exec(`INSERT INTO mn_history (seq, key, action, before_mn, after_mn, before_status, after_status, comment, actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ids.New(), before.Key, c.Action, before.Mn, after.Mn, before.Status, after.Status, strings.TrimSpace(c.Comment), actor.ID, actor.Name, tx.now); err != nil {
		return errs.Wrap(err, "mn history")
	}
	type side struct {
		Mn      string             `json:"mn"`
		Status  translation.Status `json:"status"`
		Comment string             `json:"comment,omitempty"`
	}
	return tx.Audit(actor, "mn."+string(c.Action), "mn_string", before.Key, orgID, side{Mn: before.Mn, Status: before.Status}, side{Mn: after.Mn, Status: after.Status, Comment: c.Comment})
}

// mirrorMn writes a string's Mongolian to the source that pages read: the interface catalog's corrections,
// or the organisation's name (whose version moves, so that an open edit of the organisation page is told).
// Catalog content is read from mn_strings itself.
func (tx *Tx) mirrorMn(actor access.Actor, s translation.String) error {
	prefix, rest, _ := translation.SplitKey(s.Key)
	review := s.Status == translation.Composed
	switch prefix {
	case "i:":
		res, err := tx.exec(`UPDATE translations SET mn = ?, review = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE key = ?`, s.Mn, review, actor.ID, tx.now, rest)
		if err != nil {
			return errs.Wrap(err, "translation")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.exec(`INSERT INTO translations (key, zh, mn, review, version, updated_by, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`, rest, s.Zh, s.Mn, review, actor.ID, tx.now); err != nil {
				return errs.Wrap(err, "translation")
			}
		}
		return tx.Changed(CacheTranslations)
	case "o:":
		if _, err := tx.exec(`UPDATE orgs SET name_mn = ?, mn_review = ?, version = version + 1, updated_at = ? WHERE id = ?`, s.Mn, review, tx.now, rest); err != nil {
			return errs.Wrap(err, "org name")
		}
		tx.afterCommit = append(tx.afterCommit, func() { tx.db.orgs.Delete(rest) })
		return tx.Changed(CacheOrgs)
	}
	return nil
}

// SaveMnImport keeps an import's diff until the person who made it accepts it.
func (tx *Tx) SaveMnImport(actor access.Actor, id, format string, diff []translation.Diff) error {
	b, _ := json.Marshal(diff)
	_, err := tx.exec(`INSERT INTO mn_imports (id, actor_id, format, diff, created_at) VALUES (?, ?, ?, ?, ?)`, id, actor.ID, format, string(b), tx.now)
	return errs.Wrap(err, "mn import")
}

// TakeMnImport reads an import's diff for applying it, once, and only for the person who made it.
func (tx *Tx) TakeMnImport(actor access.Actor, id string) ([]translation.Diff, error) {
	var doc, who string
	var applied sql.NullTime
	if err := tx.queryRow(`SELECT diff, actor_id, applied_at FROM mn_imports WHERE id = ?`+tx.d.forUpdate, id).Scan(&doc, &who, &applied); err != nil {
		return nil, notFound(err, "mn_import")
	}
	if who != actor.ID {
		return nil, errs.New(errs.NotFound, "err.not_found").With("what", "mn_import")
	}
	if applied.Valid {
		return nil, errs.New(errs.Conflict, "err.mn.import_applied")
	}
	if _, err := tx.exec(`UPDATE mn_imports SET applied_at = ? WHERE id = ?`, tx.now, id); err != nil {
		return nil, errs.Wrap(err, "mn import")
	}
	var diff []translation.Diff
	if err := json.Unmarshal([]byte(doc), &diff); err != nil {
		return nil, errs.Wrap(err, "mn import")
	}
	return diff, nil
}

// MnImport reads an import's diff to show it.
func (db *DB) MnImport(ctx context.Context, actor access.Actor, id string) ([]translation.Diff, bool, error) {
	var doc, who string
	var applied sql.NullTime
	if err := db.queryRow(ctx, `SELECT diff, actor_id, applied_at FROM mn_imports WHERE id = ?`, id).Scan(&doc, &who, &applied); err != nil {
		return nil, false, notFound(err, "mn_import")
	}
	if who != actor.ID {
		return nil, false, errs.New(errs.NotFound, "err.not_found").With("what", "mn_import")
	}
	var diff []translation.Diff
	err := json.Unmarshal([]byte(doc), &diff)
	return diff, applied.Valid, err
}

// MnContent reads the Mongolian of every catalog text and organisation name that has one (Chinese →
// Mongolian), for pages: an item names its department by its Chinese name. A catalog text wins over a name.
func (db *DB) MnContent(ctx context.Context) (map[string]string, error) {
	return db.zhToMn(ctx, `SELECT zh, mn FROM mn_strings WHERE kind IN ('catalog', 'orgs') AND status <> 'missing' AND mn <> '' ORDER BY kind DESC, key`)
}

// MnReviewed reads reviewed strings (Chinese → Mongolian), which join the glossary.
func (db *DB) MnReviewed(ctx context.Context) (map[string]string, error) {
	return db.zhToMn(ctx, `SELECT zh, mn FROM mn_strings WHERE status = 'reviewed' AND mn <> ''`)
}

// zhToMn reads a query's (Chinese, Mongolian) pairs into a map; a later row wins over an earlier one.
func (db *DB) zhToMn(ctx context.Context, q string) (map[string]string, error) {
	rows, err := db.query(ctx, q)
	if err != nil {
		return nil, errs.Wrap(err, "mn strings")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var zh, mn string
		if err := rows.Scan(&zh, &mn); err != nil {
			return nil, err
		}
		out[zh] = mn
	}
	return out, rows.Err()
}
