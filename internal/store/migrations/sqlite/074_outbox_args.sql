-- Issue 18: an SMS row keeps what it says, not its text: its template (the catalog key is in args) and the
-- arguments as JSON, from which the sender renders the bilingual text when it sends (and the service when it
-- shows one). Its body stays '' (one byte: SQLite cannot make a column nullable without copying the table).
-- Rows written before keep their rendered body and no args, and are sent and shown as they are; records for
-- the upper platform and webhooks are what they say already (the record itself) and keep it in body.
ALTER TABLE outbox ADD COLUMN args TEXT;
