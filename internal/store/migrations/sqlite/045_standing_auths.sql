-- 代理 (issue 13, item 5): a standing authorisation a resident who cannot come gives the agent of their
-- village station for the items in scope until a day. Cases under it carry its id in their document. The
-- document holds the items, the reason and the signed paper's reference; the columns are what lists and the
-- expiry check read.
CREATE TABLE standing_auths (
  id TEXT PRIMARY KEY,
  auth_no TEXT NOT NULL UNIQUE,
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  station_org TEXT NOT NULL REFERENCES orgs(id),
  valid_until INTEGER NOT NULL, -- the last day it holds, as yyyymmdd
  created_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX standing_auths_applicant ON standing_auths(applicant_id);
CREATE INDEX standing_auths_station ON standing_auths(station_org, created_at);
