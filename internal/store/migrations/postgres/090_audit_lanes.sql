-- Issue 18: an organisation's audit trail may run in several lanes, each a chain with its own head
-- (audit.LaneOf, store.DB.AuditLanes). Every audited transaction holds its chain's head row from the append
-- through the commit; with one chain for a township its busy windows queued there (Lock/tuple the first wait
-- of 16 clerks in one township). The lane is a column of its own, not part of the chain's name, so that the
-- chain stays the organisation: the key the region's data is distributed by (docs/REGION.md). Every entry
-- and head so far is lane 0, named as before, and verifies as before. Adding the column rewrites nothing;
-- the primary keys are built again (minutes at tens of millions of entries, under the table's lock).
ALTER TABLE audit_log ADD COLUMN lane SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD PRIMARY KEY (chain, lane, seq);
ALTER TABLE audit_heads ADD COLUMN lane SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE audit_heads DROP CONSTRAINT audit_heads_pkey;
ALTER TABLE audit_heads ADD PRIMARY KEY (chain, lane);
