-- 求助响应 (issue 14; the seed 四.(一)): a township handler's question to the paired counterpart or the
-- department's pool, with its thread and its clock (internal/delegation.Help) as a document. search holds
-- the subject, question and thread for the list's search; open is 1 until resolved.
CREATE TABLE help_requests (
  id TEXT PRIMARY KEY,
  dept_id TEXT NOT NULL REFERENCES orgs(id),
  dept_path TEXT NOT NULL,
  township_id TEXT NOT NULL REFERENCES orgs(id),
  township_path TEXT NOT NULL,
  item_id TEXT NOT NULL,
  case_id TEXT NOT NULL DEFAULT '',
  asker_id TEXT NOT NULL,
  counterpart_id TEXT NOT NULL DEFAULT '',
  asked_on INTEGER NOT NULL, -- yyyymmdd
  is_open INTEGER NOT NULL DEFAULT 1,
  search TEXT NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX help_requests_dept ON help_requests(dept_path, id);
CREATE INDEX help_requests_township ON help_requests(township_path, id);
CREATE INDEX help_requests_item ON help_requests(item_id, id);

-- Guidance comments on a case (四.(一) 实时在线指导): staff only, never shown to the applicant.
CREATE TABLE case_comments (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  by_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  body TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_comments_case ON case_comments(case_id, id);
