package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/ids"
)

// Electronic materials: the files of a case, the bytes behind them, and uploads on their way in.

// Blobs keeps the bytes of electronic materials by their SHA-256. Put runs inside the transaction that
// records the file; Get checks the bytes against their address, so that bytes changed behind Bianmin's back
// are refused rather than shown as the applicant's.
type Blobs interface {
	Put(tx *Tx, sha string, body []byte) error
	Get(ctx context.Context, sha string) ([]byte, error)
	Kind() string // "database" or "directory"
}

// dbBlobs keeps the bytes in the blobs table: the one way on SQLite (one file holds everything, and a backup
// copies it whole) and the default on PostgreSQL.
type dbBlobs struct{ db *DB }

func (b dbBlobs) Kind() string { return "database" }

func (b dbBlobs) Put(tx *Tx, sha string, body []byte) error {
	_, err := tx.exec(`INSERT INTO blobs (sha256, body, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`, sha, body, len(body), tx.now)
	return errs.Wrap(err, "blob put")
}

func (b dbBlobs) Get(ctx context.Context, sha string) ([]byte, error) {
	var body []byte
	if err := b.db.queryRow(ctx, `SELECT body FROM blobs WHERE sha256 = ?`, sha).Scan(&body); err != nil {
		return nil, notFound(err, "file")
	}
	return checked(sha, body)
}

// dirBlobs keeps the bytes as files under a directory (PostgreSQL only, -files-dir): a region's database
// stays small and its files go to a disk or a mounted object store of their own. A file is written beside
// its place and renamed into it, so that a reader never sees half of one; one written by a transaction that
// then failed is an unreferenced copy, harmless (its name is its content).
type dirBlobs struct{ dir string }

func (b dirBlobs) Kind() string { return "directory" }

func (b dirBlobs) path(sha string) string { return filepath.Join(b.dir, sha[:2], sha) }

func (b dirBlobs) Put(_ *Tx, sha string, body []byte) error {
	p := b.path(sha)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return errs.Wrap(err, "blob dir")
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return errs.Wrap(err, "blob put")
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return errs.Wrap(err, "blob write")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return errs.Wrap(err, "blob sync")
	}
	if err := tmp.Close(); err != nil {
		return errs.Wrap(err, "blob close")
	}
	return errs.Wrap(os.Rename(tmp.Name(), p), "blob rename")
}

func (b dirBlobs) Get(_ context.Context, sha string) ([]byte, error) {
	if len(sha) != 64 || strings.ContainsAny(sha, "/\\.") {
		return nil, errs.New(errs.NotFound, "err.not_found").With("what", "file")
	}
	body, err := os.ReadFile(b.path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.New(errs.NotFound, "err.not_found").With("what", "file")
	}
	if err != nil {
		return nil, errs.Wrap(err, "blob read")
	}
	return checked(sha, body)
}

func checked(sha string, body []byte) ([]byte, error) {
	if files.Address(body) != sha {
		return nil, errs.Wrap(fmt.Errorf("blob %s does not match its address", sha), "blob")
	}
	return body, nil
}

// BlobStore is where this store keeps the bytes of files.
func (db *DB) BlobStore() Blobs {
	if db.blobs == nil {
		return dbBlobs{db}
	}
	return db.blobs
}

// UseBlobDir keeps the bytes of files under dir from now on (PostgreSQL only: an SQLite Bianmin keeps all
// in its one file, which is what its backup copies).
func (db *DB) UseBlobDir(dir string) error {
	if db.d.name != postgres.name {
		return errors.New("-files-dir is for PostgreSQL; SQLite keeps files in its database file")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	db.blobs = dirBlobs{dir}
	return nil
}

const fileCols = `id, case_id, material, name, type, size, original_size, pages, width, height, sha256, desk, by_id, created_at`

func scanFile(row interface{ Scan(...any) error }) (files.File, error) {
	var f files.File
	err := row.Scan(&f.ID, &f.CaseID, &f.Material, &f.Name, &f.Type, &f.Size, &f.Original, &f.Pages, &f.Width, &f.Height, &f.SHA256, &f.Desk, &f.By, &f.At)
	return f, err
}

// AddFile stores a prepared file for a material of a case, its bytes once by address, and writes the audit
// entry, which carries the hash: the trail proves which bytes the window saw.
func (tx *Tx) AddFile(actor access.Actor, orgID string, f *files.File, body []byte) error {
	if err := tx.db.BlobStore().Put(tx, f.SHA256, body); err != nil {
		return err
	}
	f.ID, f.At = ids.New(), tx.now
	if _, err := tx.exec(`INSERT INTO case_files (`+fileCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.CaseID, f.Material, f.Name, f.Type, f.Size, f.Original, f.Pages, f.Width, f.Height, f.SHA256, f.Desk, f.By, f.At); err != nil {
		return errs.Wrap(err, "insert file")
	}
	return tx.Audit(actor, "case.file", "case", f.CaseID, orgID, nil, map[string]any{"file": f.ID, "material": f.Material,
		"sha256": f.SHA256, "bytes": f.Size, "type": f.Type, "desk": f.Desk})
}

// CaseFiles lists a case's files, oldest first.
func (db *DB) CaseFiles(ctx context.Context, caseID string) ([]files.File, error) {
	rows, err := db.query(ctx, `SELECT `+fileCols+` FROM case_files WHERE case_id = ? ORDER BY created_at, id`, caseID)
	return collect(rows, err, scanFile)
}

// CaseFile reads one file's record.
func (db *DB) CaseFile(ctx context.Context, id string) (files.File, error) {
	f, err := scanFile(db.queryRow(ctx, `SELECT `+fileCols+` FROM case_files WHERE id = ?`, id))
	return f, notFound(err, "file")
}

// FileBytes reads the bytes of a file from wherever they are kept, checked against the address.
func (db *DB) FileBytes(ctx context.Context, f files.File) ([]byte, error) {
	return db.BlobStore().Get(ctx, f.SHA256)
}

const uploadCols = `id, owner_kind, owner_id, material, name, size, offset_bytes, desk, by_id, started_at, file_id`

func scanUpload(row interface{ Scan(...any) error }) (files.Upload, string, error) {
	var u files.Upload
	var desk string
	var file sql.NullString
	err := row.Scan(&u.ID, &u.Owner, &u.CaseID, &u.Material, &u.Name, &u.Size, &u.Offset, &desk, &u.By, &u.Started, &file)
	u.FileID = file.String
	return u, desk, err
}

// StartUpload records an upload on its way in, and removes those left unfinished past files.UploadTTL.
func (tx *Tx) StartUpload(u *files.Upload, desk string) error {
	stale := tx.now.Add(-files.UploadTTL)
	if _, err := tx.exec(`DELETE FROM upload_chunks WHERE upload_id IN (SELECT id FROM uploads WHERE file_id IS NULL AND started_at < ?)`, stale); err != nil {
		return errs.Wrap(err, "stale chunks")
	}
	if _, err := tx.exec(`DELETE FROM uploads WHERE file_id IS NULL AND started_at < ?`, stale); err != nil {
		return errs.Wrap(err, "stale uploads")
	}
	u.ID, u.Started, u.Offset = ids.New(), tx.now, 0
	if u.Owner == "" {
		u.Owner = files.OwnerCase
	}
	_, err := tx.exec(`INSERT INTO uploads (id, owner_kind, owner_id, material, name, size, offset_bytes, desk, by_id, started_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
		u.ID, u.Owner, u.CaseID, u.Material, u.Name, u.Size, desk, u.By, u.Started)
	return errs.Wrap(err, "start upload")
}

// Upload reads an upload, locking it in a write transaction.
func (tx *Tx) Upload(id string) (files.Upload, string, error) {
	u, desk, err := scanUpload(tx.queryRow(`SELECT `+uploadCols+` FROM uploads WHERE id = ?`+tx.d.forUpdate, id))
	return u, desk, notFound(err, "upload")
}

// Upload reads an upload.
func (db *DB) Upload(ctx context.Context, id string) (files.Upload, error) {
	u, _, err := scanUpload(db.queryRow(ctx, `SELECT `+uploadCols+` FROM uploads WHERE id = ?`, id))
	return u, notFound(err, "upload")
}

// AppendChunk adds the bytes at the upload's offset and moves the offset, only if it is still where the
// caller read it (two resends racing write once).
func (tx *Tx) AppendChunk(u files.Upload, body []byte) (int64, error) {
	if len(body) == 0 {
		return u.Offset, nil
	}
	res, err := tx.exec(`UPDATE uploads SET offset_bytes = ? WHERE id = ? AND offset_bytes = ?`, u.Offset+int64(len(body)), u.ID, u.Offset)
	if err != nil {
		return 0, errs.Wrap(err, "upload offset")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, errRetry
	}
	if _, err := tx.exec(`INSERT INTO upload_chunks (upload_id, offset_bytes, body) VALUES (?, ?, ?)`, u.ID, u.Offset, body); err != nil {
		return 0, errs.Wrap(err, "upload chunk")
	}
	return u.Offset + int64(len(body)), nil
}

// UploadBody joins an upload's chunks in order.
func (tx *Tx) UploadBody(id string) ([]byte, error) {
	rows, err := tx.query(`SELECT body FROM upload_chunks WHERE upload_id = ? ORDER BY offset_bytes`, id)
	if err != nil {
		return nil, errs.Wrap(err, "upload body")
	}
	defer rows.Close()
	var out []byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, errs.Wrap(err, "upload chunk")
		}
		out = append(out, b...)
	}
	return out, errs.Wrap(rows.Err(), "upload body")
}

// EndUpload removes an upload's chunks; fileID is the file it ended in ("" for a refused one, which goes).
func (tx *Tx) EndUpload(id, fileID string) error {
	if _, err := tx.exec(`DELETE FROM upload_chunks WHERE upload_id = ?`, id); err != nil {
		return errs.Wrap(err, "upload chunks")
	}
	var err error
	if fileID == "" {
		_, err = tx.exec(`DELETE FROM uploads WHERE id = ?`, id)
	} else {
		_, err = tx.exec(`UPDATE uploads SET file_id = ? WHERE id = ?`, fileID, id)
	}
	return errs.Wrap(err, "end upload")
}
