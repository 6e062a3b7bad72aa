-- Issue 16: second factor, password policy, idle sessions (等保 2.0 三级, 身份鉴别), and residents' identity
-- (finding 9).

-- A staff account's TOTP secret (RFC 6238), sealed with a key kept outside the database (AES-GCM, the
-- account's id as associated data), and the last step used: a code is never accepted twice.
CREATE TABLE second_factors (
  staff_id TEXT PRIMARY KEY REFERENCES staff(id),
  secret TEXT NOT NULL,
  last_step BIGINT NOT NULL DEFAULT 0,
  enrolled_at TIMESTAMPTZ NOT NULL
);
-- Recovery codes, shown once at enrolment; only a keyed hash is kept. Each is good once.
CREATE TABLE recovery_codes (
  staff_id TEXT NOT NULL REFERENCES staff(id),
  code_hash TEXT NOT NULL,
  used_at TIMESTAMPTZ,
  PRIMARY KEY (staff_id, code_hash)
);
-- A sign-in whose password was right and which waits for its code: short-lived, a few tries.
CREATE TABLE signin_challenges (
  token_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  failures INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL
);
-- A session says whether it was opened with a second factor; seen_at is its last use (idle timeout).
ALTER TABLE sessions ADD COLUMN second_factor BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN seen_at TIMESTAMPTZ;
ALTER TABLE resident_sessions ADD COLUMN seen_at TIMESTAMPTZ;

-- The hashes of an account's earlier passwords (staff:<id> or resident:<id>): none of the last few is taken
-- again.
CREATE TABLE password_history (
  account TEXT NOT NULL,
  n INTEGER NOT NULL, -- 1, 2, 3 ... per account: the order of the changes
  hash TEXT NOT NULL,
  set_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account, n)
);

-- How a resident account's owner was shown to hold the ID number it gives: 'phone' (an SMS code to the phone
-- already on record for that person), 'window' (identity seen at a window), or 'unverified' (its first online
-- case must be verified at a window before it may file another). Accounts made before this was checked are
-- unverified.
ALTER TABLE residents ADD COLUMN identity TEXT NOT NULL DEFAULT 'unverified';
-- A registration waiting for the SMS code sent to the phone on record: what was typed (the password only as
-- its hash), the code's keyed hash, tries.
CREATE TABLE registration_codes (
  id_number TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL,
  doc TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL
);

-- The registration code goes through the outbox like every message, but belongs to no case: case_id may be
-- NULL.
ALTER TABLE outbox ALTER COLUMN case_id DROP NOT NULL;
CREATE INDEX outbox_phone ON outbox(phone) WHERE case_id IS NULL;
