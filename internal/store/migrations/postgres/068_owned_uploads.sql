-- A resumable upload belongs to an owner (issue 14): a case's material as before, or a delegation's legal
-- document or a help request's attachment, so that a village link's file of either survives a drop the way
-- a case's does (files/upload.go). owner_kind names the owner's table; file_id the file it ended in, in
-- that owner's table of files (case_files or deleg_files), hence no reference.
ALTER TABLE uploads DROP CONSTRAINT IF EXISTS uploads_case_id_fkey;
ALTER TABLE uploads DROP CONSTRAINT IF EXISTS uploads_file_id_fkey;
ALTER TABLE uploads RENAME COLUMN case_id TO owner_id;
ALTER TABLE uploads ADD COLUMN owner_kind TEXT NOT NULL DEFAULT 'case';
