-- Issue 14: a delegation record imported with a catalog file (the JSON file's delegations, the template's
-- sheet 赋权) becomes a proposal of its department, which confirms it (making the delegation as the form
-- does) or refuses it with reasons (internal/delegation/proposal.go). Kept as a document like the
-- delegations; the columns are what the department's list reads (its subtree, newest first by key, the
-- state, the lower-cased search text: item, document number, townships, the file).
CREATE TABLE delegation_proposals (
  id TEXT PRIMARY KEY,
  dept_id TEXT NOT NULL REFERENCES orgs(id),
  dept_path TEXT NOT NULL,
  item_id TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  version INTEGER NOT NULL,
  search TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX delegation_proposals_dept ON delegation_proposals(dept_path, id);
