-- Issue 18, what a case costs to keep: an audit entry stored ~1 KB, half of it its own columns. Now:
--   * hash is the 32 bytes themselves (bytea), not 64 hex characters;
--   * prev_hash is not stored: it is by construction the hash of the entry before it in its chain (Genesis for
--     the first), which the verifier reads anyway (audit.Verifier.Next); the entry's hash still covers it, so
--     a deleted, moved or reordered entry breaks the chain as before;
--   * org_id is '' when it is the chain's own organisation (every entry since migration 057: ChainOf), and
--     read back from the chain; entries of older trails on 'main' keep theirs;
--   * id keeps no unique index: nothing is looked up by it (an entry is (chain, seq)), and ids are UUIDv7.
-- What each hash covers is unchanged, so every chain verifies as before. One ALTER rewrites the table once
-- (row triggers do not fire). A hash that is not 64 hex characters (a trail tampered with) is kept as its
-- bytes, and still fails verification.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_id_key;
ALTER TABLE audit_log
  DROP COLUMN prev_hash,
  ALTER COLUMN hash TYPE bytea USING (CASE WHEN hash ~ '^[0-9a-f]{64}$' THEN decode(hash, 'hex') ELSE convert_to(hash, 'UTF8') END),
  ALTER COLUMN org_id TYPE text USING (CASE WHEN org_id = chain THEN '' ELSE org_id END);
