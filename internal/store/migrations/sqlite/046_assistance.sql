-- 帮办 (issue 13, item 7): an applicant marked as needing help, with the separate consent that health
-- information needs (个人信息保护法 第29条), kept apart from the applicant's record so that only the front desk
-- reads it; and the home visits (上门服务) a station or center makes.
CREATE TABLE applicant_needs (
  applicant_id TEXT PRIMARY KEY REFERENCES applicants(id),
  active INTEGER NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);

CREATE TABLE home_visits (
  id TEXT PRIMARY KEY,
  visit_no TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  state TEXT NOT NULL,
  requested_at TIMESTAMP NOT NULL,
  done_at TIMESTAMP,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX home_visits_org ON home_visits(org_id, requested_at);
CREATE INDEX home_visits_done ON home_visits(done_at) WHERE done_at IS NOT NULL;
