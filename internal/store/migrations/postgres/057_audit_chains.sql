-- Issue 18: the audit trail is chained per organisation that owns the change (the entry's org_id; entries
-- without one, and every entry written before this migration, stay on 'main'). One head row for the whole
-- region made every write wait for every other; each chain now has a head row of its own, and entries are
-- numbered within their chain.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (chain, seq);

CREATE TABLE audit_heads (
  chain TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL,
  keyed_from BIGINT NOT NULL DEFAULT 0
);
INSERT INTO audit_heads (chain, seq, hash, keyed_from) SELECT 'main', seq, hash, keyed_from FROM audit_head;
DROP TABLE audit_head;

-- The guards of 021 on the new heads: each head only moves forward, its keyed_from once set stays, and no
-- head of a chain with entries is deleted (a chain removed whole is also caught by the signed checkpoints;
-- a restore replaces a fresh database's empty main head).
CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
  FOR EACH ROW WHEN (OLD.seq > 0) EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
