-- Issue 15: where records go. An upper platform (channel 'upstream': the national exchange shape with
-- receipts) or a local system's webhook (channel 'webhook': HMAC-signed bodies), set up by an organisation
-- for the cases, ratings and supervision records of its subtree. events: the kinds a webhook subscribes to
-- (comma-separated; the upper platform takes every kind). withheld: the classes of personal data switched off
-- for this receiver (phone, id_number, name, address), blanked before a record is written to the outbox.
-- secret: a webhook's signing key, sealed under the code key (AES-GCM, the receiver's id as associated data).
CREATE TABLE receivers (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  channel TEXT NOT NULL,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  events TEXT NOT NULL DEFAULT '',
  withheld TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX receivers_org ON receivers(org_id);
