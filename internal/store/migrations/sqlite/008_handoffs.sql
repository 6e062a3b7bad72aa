-- 通办: a case received in one township and handled by another sends its paper originals after it. A hand-off
-- is one transfer list (移交清单): the receiving township's front desk marks it sent, the handling township's
-- marks it received. A case travels in one list only.
CREATE TABLE handoffs (
  id TEXT PRIMARY KEY,
  list_no TEXT NOT NULL UNIQUE,
  from_org TEXT NOT NULL REFERENCES orgs(id),
  to_org TEXT NOT NULL REFERENCES orgs(id),
  sent_at TIMESTAMP NOT NULL,
  sent_by TEXT NOT NULL,
  sent_by_name TEXT NOT NULL,
  received_at TIMESTAMP,
  received_by TEXT NOT NULL DEFAULT '',
  received_by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX handoffs_from ON handoffs(from_org, sent_at);
CREATE INDEX handoffs_to ON handoffs(to_org, sent_at);

CREATE TABLE handoff_cases (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  handoff_id TEXT NOT NULL REFERENCES handoffs(id),
  doc TEXT NOT NULL -- the case as listed: its number, item and the originals that travel
);
CREATE INDEX handoff_cases_handoff ON handoff_cases(handoff_id);

-- A notice keeps what it said when it was issued (the case as it stood, the move's reason, the due date), so
-- that it prints the same later, whatever the case became.
ALTER TABLE notices ADD COLUMN doc TEXT NOT NULL DEFAULT '';
