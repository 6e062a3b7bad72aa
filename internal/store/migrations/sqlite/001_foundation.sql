CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES orgs(id),
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  subtype TEXT NOT NULL DEFAULT '',
  name_zh TEXT NOT NULL,
  name_mn TEXT NOT NULL DEFAULT '',
  mn_review INTEGER NOT NULL DEFAULT 0,
  abbr TEXT NOT NULL DEFAULT '',
  desk TEXT NOT NULL DEFAULT '',
  general INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX orgs_path ON orgs(path);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE UNIQUE INDEX orgs_code ON orgs(code) WHERE code <> '';

CREATE TABLE org_aliases (
  org_id TEXT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  PRIMARY KEY (org_id, name)
);

CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  password_hash TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'zh',
  active INTEGER NOT NULL DEFAULT 1,
  must_change INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMP,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_org ON staff(org_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  csrf TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_staff ON sessions(staff_id);

CREATE TABLE applicants (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  id_number TEXT NOT NULL DEFAULT '',
  credit_code TEXT NOT NULL DEFAULT '',
  credit_override TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  org_id TEXT NOT NULL REFERENCES orgs(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX applicants_id_number ON applicants(id_number) WHERE id_number <> '';
CREATE UNIQUE INDEX applicants_credit_code ON applicants(credit_code) WHERE credit_code <> '';
CREATE INDEX applicants_org ON applicants(org_id);

-- A submission's key belongs to who sent it: one actor's key never answers for another's.
CREATE TABLE idempotency (
  scope TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  key TEXT NOT NULL,
  result_id TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (scope, actor_id, key)
);

CREATE TABLE translations (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  mn TEXT NOT NULL,
  review INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at TIMESTAMP NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  org_id TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

-- The head of the chain: the last entry's number and hash, so that losing the newest entries is detected too.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- No code path updates or deletes audit rows; the database refuses it too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
