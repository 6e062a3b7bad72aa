-- Issue 18: the audit trail is chained per organisation that owns the change (the entry's org_id; entries
-- without one, and every entry written before this migration, stay on 'main'). Each chain has a head row of
-- its own, and entries are numbered within their chain. SQLite cannot change a primary key in place: the
-- trail is copied into a table keyed (chain, seq) (DROP TABLE fires no row trigger) and its guards made again.
CREATE TABLE audit_log_chained (
  seq INTEGER NOT NULL,
  id TEXT NOT NULL UNIQUE,
  at TIMESTAMP NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  org_id TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  chain TEXT NOT NULL DEFAULT 'main',
  PRIMARY KEY (chain, seq)
);
INSERT INTO audit_log_chained (seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash, chain)
  SELECT seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, prev_hash, hash, chain FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_chained RENAME TO audit_log;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_heads (
  chain TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  keyed_from INTEGER NOT NULL DEFAULT 0
);
INSERT INTO audit_heads (chain, seq, hash, keyed_from) SELECT 'main', seq, hash, keyed_from FROM audit_head;
DROP TABLE audit_head;

-- Each head only moves forward, its keyed_from once set stays, and no head of a chain with entries is
-- deleted (a restore replaces a fresh database's empty main head).
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
  WHEN NEW.seq < OLD.seq OR (OLD.keyed_from <> 0 AND NEW.keyed_from <> OLD.keyed_from)
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads WHEN OLD.seq > 0 BEGIN SELECT RAISE(ABORT, 'audit heads are not deleted'); END;
