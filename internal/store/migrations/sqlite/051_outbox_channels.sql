-- Issue 15: one outbox for every message that leaves Bianmin: SMS to applicants, records to the upper
-- platform (the national exchange tables), webhook deliveries to local systems. Each row is written in the
-- transaction of the move that causes it. channel says which sender takes it; receiver_id which receiver
-- (SMS: none); order_key and seq put the records of one case (or rating, or supervision record) for one
-- receiver in order: a record is sent only when every earlier one of its key has its receipt. A record the
-- receiver refused (validation) is parked with the reason until an operator fixes and resends it; the records
-- after it wait. receipt is what the receiver answered.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'sms';
ALTER TABLE outbox ADD COLUMN receiver_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN org_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN parked_at TIMESTAMP;
ALTER TABLE outbox ADD COLUMN park_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN receipt TEXT NOT NULL DEFAULT '';
-- what a sender looks for: the pending records of its channel, oldest due first
CREATE INDEX outbox_pending ON outbox(channel, next_at) WHERE sent_at IS NULL AND parked_at IS NULL;
-- the order of a key, and the guard that no two records of a key share a place
CREATE UNIQUE INDEX outbox_order ON outbox(receiver_id, order_key, seq) WHERE order_key <> '';
-- a receiver's delivery log, newest first
CREATE INDEX outbox_receiver ON outbox(receiver_id, created_at) WHERE receiver_id <> '';
