-- Issue 13: electronic materials (电子材料). A file stands for a material of a case; its bytes are stored
-- once by their SHA-256 (content-addressed), in blobs or, on PostgreSQL with a directory set, as files.

-- The bytes, by their address. A row is never changed: the address is the hash of what it holds.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  body BYTEA NOT NULL,
  size INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
-- One file handed in for one material of one case: who handed it in from which desk, its type and size, the
-- address of its bytes. The original name is personal data (it often carries the applicant's name): only
-- the front desk sees it.
CREATE TABLE case_files (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  material TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  original_size INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL,
  desk TEXT NOT NULL,
  by_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_files_case ON case_files (case_id, created_at);
-- A resumable upload and the chunks it holds so far (files.Upload); chunks go when it ends.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  material TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  offset_bytes INTEGER NOT NULL DEFAULT 0,
  desk TEXT NOT NULL,
  by_id TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  file_id TEXT REFERENCES case_files(id)
);
CREATE TABLE upload_chunks (
  upload_id TEXT NOT NULL REFERENCES uploads(id),
  offset_bytes INTEGER NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (upload_id, offset_bytes)
);
