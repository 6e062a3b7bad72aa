-- The audit chain turns keyed (HMAC-SHA256 under a key outside the database) from the entry recorded in
-- keyed_from; entries before it keep their plain hashes. Each entry names its chain: one chain, 'main', for
-- now (issue 18 may keep one per organisation). SQLite has no TRUNCATE: DELETE is refused by 001's trigger.
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT 'main';
ALTER TABLE audit_head ADD COLUMN chain TEXT NOT NULL DEFAULT 'main';
ALTER TABLE audit_head ADD COLUMN keyed_from INTEGER NOT NULL DEFAULT 0;

-- The head only moves forward, and the entry the chain is keyed from, once set, stays.
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
  WHEN NEW.seq < OLD.seq OR (OLD.keyed_from <> 0 AND NEW.keyed_from <> OLD.keyed_from)
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
