-- The complaint register (投诉, GB/T 39046-2020 6.7 办事互动). The document holds the complaint; the columns are
-- what lists, scope and figures read: the responsible body's path (谁办理、谁负责) and the receiving
-- organisation's path, the answer deadline and the answer's day as yyyymmdd. search is the lower-cased text a
-- list's search box matches (never the complainant).
CREATE TABLE complaints (
  id TEXT PRIMARY KEY,
  responsible_id TEXT NOT NULL REFERENCES orgs(id),
  responsible_path TEXT NOT NULL,
  received_path TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  received_on INTEGER NOT NULL,
  due_on INTEGER NOT NULL,
  answered_on INTEGER NOT NULL DEFAULT 0,
  search TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX complaints_responsible ON complaints(responsible_path, id);
CREATE INDEX complaints_received ON complaints(received_path, id);
CREATE INDEX complaints_due ON complaints(state, due_on);

-- Who complained, when they left a way to be reached: apart from the complaint, read only by Bianmin itself
-- (the answer and the link to rate it), never shown to staff, as a rater (国办发〔2019〕51号).
CREATE TABLE complaint_persons (
  complaint_id TEXT PRIMARY KEY REFERENCES complaints(id),
  name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL DEFAULT ''
);
