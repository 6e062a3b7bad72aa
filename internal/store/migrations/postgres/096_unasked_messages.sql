-- A registration waits for its code in the browser (or API client) that started it: the pending row is keyed
-- by the ID number and the hash of a ticket that client holds. Before, one row per ID number was replaced by
-- each new attempt, so someone who started a registration of the same number just before its owner typed the
-- code made the account with their own password. Pending registrations last fifteen minutes; those under way
-- when this runs start again.
DROP TABLE registration_codes;
CREATE TABLE registration_codes (
  id_number TEXT NOT NULL,
  ticket_hash TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  doc TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (id_number, ticket_hash)
);

-- Messages nobody at a desk asked for (registration codes, receipts of complaints filed on the portal), by
-- phone (people.PhoneKey): people.MayText bounds them per hour and day. Rows older than a day go whenever one
-- is counted.
CREATE TABLE unasked_messages (
  phone TEXT NOT NULL,
  template TEXT NOT NULL,
  sent_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX unasked_messages_phone ON unasked_messages(phone, sent_at);
