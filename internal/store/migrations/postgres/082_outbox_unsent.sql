-- outbox_due indexed every message for ever, sent ones too (about 250 B a lifecycle on SQLite), for two reads
-- that only look at the unsent: the oldest unsent message (the metric) and their count. A partial index holds
-- the unsent alone; the senders claim by outbox_pending.
DROP INDEX IF EXISTS outbox_due;
CREATE INDEX outbox_unsent ON outbox(created_at) WHERE sent_at IS NULL;
