-- Issue 18: an audit entry's before and after and a notice's doc are stored packed (internal/store/packed.go:
-- a version byte, then DEFLATE with a preset dictionary), which text cannot hold: the columns become bytea.
-- Rows kept before become the bytes of their JSON text, which the reader tells from packed ones by their
-- first byte, so nothing is rewritten but the type. Each ALTER rewrites its table once; row triggers (the
-- trail's append-only guard) do not fire, and what each audit hash covers (the JSON text) is unchanged.
-- notices.doc's default '' was text: it is made again as bytea.
ALTER TABLE audit_log
  ALTER COLUMN before_json TYPE bytea USING convert_to(before_json, 'UTF8'),
  ALTER COLUMN after_json TYPE bytea USING convert_to(after_json, 'UTF8');
ALTER TABLE notices ALTER COLUMN doc DROP DEFAULT;
ALTER TABLE notices ALTER COLUMN doc TYPE bytea USING convert_to(doc, 'UTF8');
ALTER TABLE notices ALTER COLUMN doc SET DEFAULT ''::bytea;
