-- Issue 18: an organisation's audit trail may run in several lanes, each a chain with its own head
-- (audit.LaneOf, store.DB.AuditLanes; SQLite keeps one by default: its one writer never has two
-- transactions at a head). The lane is a column of its own, part of both primary keys, so that the chain
-- stays the organisation, as on PostgreSQL. Every entry and head so far is lane 0, named as before, and
-- verifies as before. SQLite changes no primary key in place: both tables are copied (DROP TABLE fires no
-- row trigger; at, integer since 085, is copied as it is) and their guards made again.
CREATE TABLE audit_log_lanes (
  chain TEXT NOT NULL,
  lane INTEGER NOT NULL DEFAULT 0,
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
  PRIMARY KEY (chain, lane, seq)
);
INSERT INTO audit_log_lanes (chain, lane, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash)
  SELECT chain, 0, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash
  FROM audit_log ORDER BY chain, seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_lanes RENAME TO audit_log;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_heads_lanes (
  chain TEXT NOT NULL,
  lane INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  keyed_from INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (chain, lane)
);
INSERT INTO audit_heads_lanes (chain, lane, seq, hash, keyed_from) SELECT chain, 0, seq, hash, keyed_from FROM audit_heads;
DROP TABLE audit_heads;
ALTER TABLE audit_heads_lanes RENAME TO audit_heads;
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
  WHEN NEW.seq < OLD.seq OR (OLD.keyed_from <> 0 AND NEW.keyed_from <> OLD.keyed_from)
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads WHEN OLD.seq > 0 BEGIN SELECT RAISE(ABORT, 'audit heads are not deleted'); END;
