-- Messages to applicants, written in the same transaction as the move that causes them, and sent by a
-- background worker until the gateway takes them (an outbox: nothing is sent for a move that rolled back,
-- nothing is lost when the gateway is down).
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  phone TEXT NOT NULL,
  lang TEXT NOT NULL,
  template TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TIMESTAMP NOT NULL,
  sent_at TIMESTAMP,
  last_error TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox(sent_at, next_at);

-- Notices (文书) with a public verification code: the QR code on the paper opens a page that confirms the
-- notice is genuine without showing private data.
CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  notice_no TEXT NOT NULL UNIQUE,
  verify_code TEXT NOT NULL UNIQUE,
  issued_at TIMESTAMP NOT NULL
);
