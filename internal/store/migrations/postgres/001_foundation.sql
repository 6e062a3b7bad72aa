CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES orgs(id),
  path TEXT COLLATE "C" NOT NULL,
  kind TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  subtype TEXT NOT NULL DEFAULT '',
  name_zh TEXT NOT NULL,
  name_mn TEXT NOT NULL DEFAULT '',
  mn_review BOOLEAN NOT NULL DEFAULT FALSE,
  abbr TEXT NOT NULL DEFAULT '',
  desk TEXT NOT NULL DEFAULT '',
  general BOOLEAN NOT NULL DEFAULT FALSE,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
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
  active BOOLEAN NOT NULL DEFAULT TRUE,
  must_change BOOLEAN NOT NULL DEFAULT FALSE,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_org ON staff(org_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  csrf TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
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
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
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
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scope, actor_id, key)
);

CREATE TABLE translations (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  mn TEXT NOT NULL,
  review BOOLEAN NOT NULL DEFAULT FALSE,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at TIMESTAMPTZ NOT NULL,
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
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- No code path updates or deletes audit rows; the database refuses it too.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
