-- Issue 18: an audit entry's before and after and a notice's doc are stored packed (internal/store/packed.go:
-- a version byte, then DEFLATE with a preset dictionary). SQLite keeps a BLOB in a TEXT column as it is, and
-- the rows kept before as their JSON text, which the reader tells from packed ones by their first byte:
-- nothing to change here (PostgreSQL's columns become bytea under this number).
SELECT 1;
