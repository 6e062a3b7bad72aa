-- Issue 14, second round: files of delegated powers, through internal/files as a case's (type sniffed, size
-- capped, images brought down to a page's weight, bytes stored once by their SHA-256 in blobs or the files
-- directory): the legal document of a delegation (owner_kind 'delegation') and the attachments of a help
-- request (owner_kind 'help'). The audit entry of each carries its hash.
CREATE TABLE deleg_files (
  id TEXT PRIMARY KEY,
  owner_kind TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  original_size INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT NOT NULL,
  by_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX deleg_files_owner ON deleg_files (owner_kind, owner_id, created_at);
