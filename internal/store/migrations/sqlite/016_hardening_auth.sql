-- Issue 16, findings 3, 5 and 10.
--
-- The code of an electronic result (第40条 送达 by electronic means) is kept apart from the case: a slow keyed
-- hash (HMAC with a key kept outside the database, then argon2id) and the wrong attempts made against it.
-- The case document, which every case reader, notice and audit entry carries, no longer holds it.
CREATE TABLE result_codes (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  hash TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  issued_at TIMESTAMP NOT NULL
);
-- The old unkeyed SHA-256 hashes were readable by every case reader and are copied into the append-only audit
-- trail: they are not carried over. A result still waiting for its download needs a new code from the window.
UPDATE cases SET doc = json_remove(doc, '$.delivery.code_hash') WHERE doc LIKE '%"code_hash"%';
UPDATE notices SET doc = json_remove(doc, '$.case.delivery.code_hash') WHERE doc LIKE '%"code_hash"%';

-- Login backoff per (account, address): consecutive failures and when the next attempt is allowed. No row
-- locks an account for everyone; an administrator clears the rows of an account.
CREATE TABLE login_backoff (
  account TEXT NOT NULL,
  client TEXT NOT NULL,
  failures INTEGER NOT NULL,
  next_at TIMESTAMP NOT NULL,
  PRIMARY KEY (account, client)
);

-- An idempotency key remembers what the request said, so that the same key with another body is refused.
ALTER TABLE idempotency ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
