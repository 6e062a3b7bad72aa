-- Cases. The whole case is a document (its material checks, steps, suspensions, decision, delivery), with the
-- columns queues and numbers need beside it; each move is a row of case_events, the case's timeline.
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  case_no TEXT NOT NULL UNIQUE,
  handling_org TEXT NOT NULL REFERENCES orgs(id),
  receiving_org TEXT NOT NULL REFERENCES orgs(id),
  item_id TEXT NOT NULL REFERENCES items(id),
  item_version INTEGER NOT NULL,
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  bundle TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  step INTEGER NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL,
  received_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_handling ON cases(handling_org, state);
CREATE INDEX cases_receiving ON cases(receiving_org, state);
CREATE INDEX cases_bundle ON cases(bundle) WHERE bundle <> '';

CREATE TABLE case_events (
  case_id TEXT NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  at TIMESTAMP NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  step INTEGER NOT NULL,
  desk TEXT NOT NULL,
  org_id TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);

-- Serial numbers per organisation and year (case and notice numbers), without a central sequence.
CREATE TABLE counters (
  scope TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
