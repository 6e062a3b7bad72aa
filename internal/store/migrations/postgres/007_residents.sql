-- Residents' own accounts: the online channel (一网通办). Kept apart from staff accounts and their sessions, so
-- that a resident's session can never stand for a staff member's. Each account is linked to the applicant
-- record with its ID number (made at registration when there is none).
CREATE TABLE residents (
  id TEXT PRIMARY KEY,
  id_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  password_hash TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'zh',
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX residents_applicant ON residents(applicant_id);

CREATE TABLE resident_sessions (
  token_hash TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id),
  csrf TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX resident_sessions_resident ON resident_sessions(resident_id);

-- The cases a resident handed in online: "my applications" lists these, and only these.
CREATE TABLE resident_cases (
  resident_id TEXT NOT NULL REFERENCES residents(id),
  case_id TEXT NOT NULL REFERENCES cases(id),
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (resident_id, case_id)
);
