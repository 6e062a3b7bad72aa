-- Delegated powers (issue 14; the seed 四.(一)): a banner department's delegation of an item (or its decision
-- step) to townships, with the legal document, the start date and each township's hand-over checklist, kept
-- as a document (internal/delegation.Delegation); the columns are what intake (by item) and lists (by
-- department) read. A case takes the delegation in force on the day it is received (into its own steps).
CREATE TABLE delegations (
  id TEXT PRIMARY KEY,
  dept_id TEXT NOT NULL REFERENCES orgs(id),
  dept_path TEXT NOT NULL,
  item_id TEXT NOT NULL,
  start_on INTEGER NOT NULL, -- yyyymmdd
  created_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX delegations_item ON delegations(item_id);
CREATE INDEX delegations_dept ON delegations(dept_path, id);

-- The townships of a delegation, one row each, so that a township finds what was delegated to it.
CREATE TABLE delegation_towns (
  delegation_id TEXT NOT NULL REFERENCES delegations(id),
  township_id TEXT NOT NULL REFERENCES orgs(id),
  township_path TEXT NOT NULL,
  PRIMARY KEY (delegation_id, township_id)
);
CREATE INDEX delegation_towns_path ON delegation_towns(township_path);

-- 结对 (四.(一) 结对指导帮扶): a township handler's counterpart at the department for a delegated item. A change
-- closes the row (until_at) and adds one: the history stays.
CREATE TABLE delegation_pairs (
  id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL,
  dept_id TEXT NOT NULL REFERENCES orgs(id),
  dept_path TEXT NOT NULL,
  township_id TEXT NOT NULL REFERENCES orgs(id),
  township_path TEXT NOT NULL,
  township_staff TEXT NOT NULL REFERENCES staff(id),
  dept_staff TEXT NOT NULL REFERENCES staff(id),
  since_at TIMESTAMP NOT NULL,
  until_at TIMESTAMP,
  doc TEXT NOT NULL
);
CREATE INDEX delegation_pairs_dept ON delegation_pairs(dept_staff, item_id);
CREATE INDEX delegation_pairs_township ON delegation_pairs(township_staff, item_id);
CREATE INDEX delegation_pairs_item ON delegation_pairs(item_id, township_id);
