-- A resumable upload belongs to an owner (issue 14): a case's material as before, or a delegation's legal
-- document or a help request's attachment, so that a village link's file of either survives a drop the way
-- a case's does (files/upload.go). owner_kind names the owner's table; file_id the file it ended in, in
-- that owner's table of files (case_files or deleg_files), hence no reference. SQLite cannot drop a
-- reference in place: the two tables are made again (uploads hold only files on their way in).
CREATE TABLE uploads_068 (
  id TEXT PRIMARY KEY,
  owner_kind TEXT NOT NULL DEFAULT 'case',
  owner_id TEXT NOT NULL,
  material TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  offset_bytes INTEGER NOT NULL DEFAULT 0,
  desk TEXT NOT NULL,
  by_id TEXT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  file_id TEXT
);
INSERT INTO uploads_068 (id, owner_kind, owner_id, material, name, size, offset_bytes, desk, by_id, started_at, file_id)
  SELECT id, 'case', case_id, material, name, size, offset_bytes, desk, by_id, started_at, file_id FROM uploads;
CREATE TABLE upload_chunks_068 (
  upload_id TEXT NOT NULL REFERENCES uploads_068(id),
  offset_bytes INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (upload_id, offset_bytes)
);
INSERT INTO upload_chunks_068 (upload_id, offset_bytes, body) SELECT upload_id, offset_bytes, body FROM upload_chunks;
DROP TABLE upload_chunks;
DROP TABLE uploads;
ALTER TABLE uploads_068 RENAME TO uploads;
ALTER TABLE upload_chunks_068 RENAME TO upload_chunks;
