-- The enquiry register (咨询登记, 首问负责, 一次告知): every question asked at a window or station, whether or not
-- it becomes a case. The document holds the enquiry with its hand-overs; the columns are what lists and scope
-- read. search is the lower-cased text a list's search box matches.
CREATE TABLE enquiries (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  township_id TEXT NOT NULL REFERENCES orgs(id),
  owner_id TEXT NOT NULL,
  state TEXT NOT NULL,
  item_id TEXT NOT NULL DEFAULT '',
  applicant_id TEXT NOT NULL DEFAULT '',
  case_id TEXT NOT NULL DEFAULT '',
  asked_at TIMESTAMPTZ NOT NULL,
  search TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX enquiries_township ON enquiries(township_id, asked_at, id);
CREATE INDEX enquiries_applicant ON enquiries(applicant_id, state);
CREATE INDEX enquiries_owner ON enquiries(owner_id, state);
