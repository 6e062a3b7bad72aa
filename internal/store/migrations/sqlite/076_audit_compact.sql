-- Issue 18, what a case costs to keep: an audit entry stored ~1 KB, half of it its own columns. Now:
--   * hash is the 32 bytes themselves, not 64 hex characters;
--   * prev_hash is not stored: it is by construction the hash of the entry before it in its chain (Genesis for
--     the first), which the verifier reads anyway (audit.Verifier.Next); the entry's hash still covers it, so
--     a deleted, moved or reordered entry breaks the chain as before;
--   * org_id is '' when it is the chain's own organisation (every entry since migration 057: ChainOf), and
--     read back from the chain; entries of older trails on 'main' keep theirs;
--   * id keeps no unique index: nothing is looked up by it (an entry is (chain, seq)), and ids are UUIDv7.
-- What each hash covers is unchanged, so every chain verifies as before. SQLite changes no column type in
-- place: the trail is copied (DROP TABLE fires no row trigger) and its guards made again. A hash that is not
-- 64 hex characters (a trail tampered with) is kept as its bytes, and still fails verification.
CREATE TABLE audit_log_compact (
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  at TIMESTAMP NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  org_id TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (chain, seq)
);
INSERT INTO audit_log_compact (chain, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash)
  SELECT chain, seq, id, at, actor_id, actor_name, CASE WHEN org_id = chain THEN '' ELSE org_id END, action, entity, entity_id,
    before_json, after_json, coalesce(unhex(hash), CAST(hash AS BLOB))
  FROM audit_log ORDER BY chain, seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_compact RENAME TO audit_log;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
