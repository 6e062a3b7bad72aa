-- The audit chain turns keyed (HMAC-SHA256 under a key outside the database) from the entry recorded in
-- keyed_from; entries before it keep their plain hashes. Each entry names its chain: one chain, 'main', for
-- now (issue 18 may keep one per organisation).
ALTER TABLE audit_log ADD COLUMN chain TEXT NOT NULL DEFAULT 'main';
ALTER TABLE audit_head ADD COLUMN chain TEXT NOT NULL DEFAULT 'main';
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 0;

-- TRUNCATE fires no row trigger: refuse it by a statement trigger, on the trail and on its head.
CREATE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail cannot be truncated';
END $$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();

-- The head only moves forward, and the entry the chain is keyed from, once set, stays.
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq < OLD.seq OR (OLD.keyed_from <> 0 AND NEW.keyed_from <> OLD.keyed_from) THEN
    RAISE EXCEPTION 'the audit head only moves forward';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
