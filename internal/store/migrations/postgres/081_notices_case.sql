-- A case's notices are read on its page, in its print and by its check (NoticesOf: case_id, then issued_at):
-- without an index every case page read the whole notices table, three rows for each case of a year.
CREATE INDEX notices_case ON notices (case_id, issued_at);
