-- Issue 18, what a case costs to keep.
--
-- A case's timeline is read by its key (case_id, seq) only, and its rows are small (about 150 bytes): the
-- table is kept in the b-tree of that key (WITHOUT ROWID) instead of a rowid table beside an index of the same
-- key. SQLite cannot change this in place: the rows are copied (in key order: the new b-tree is written
-- sequentially). The audit trail stays a rowid table: its entries reach a kilobyte (a case's first holds its
-- document), past what a WITHOUT ROWID page keeps inline, and it grew to twice its size that way.
CREATE TABLE case_events_keyed (
  case_id TEXT NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  at TIMESTAMP NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  step INTEGER NOT NULL,
  desk TEXT NOT NULL,
  org_id TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
INSERT INTO case_events_keyed (case_id, seq, at, action, from_state, to_state, step, desk, org_id, note)
  SELECT case_id, seq, at, action, from_state, to_state, step, desk, org_id, note FROM case_events ORDER BY case_id, seq;
DROP TABLE case_events;
ALTER TABLE case_events_keyed RENAME TO case_events;

-- Indexes another index makes redundant (read with EXPLAIN on both engines, every query of the columns):
-- cases_applicant (applicant_id, received_on) beside cases_applicant_received (applicant_id, received_at):
-- every applicant's query finds the applicant's few cases by either, and those ordered by time order by
-- received_at; cases_receiving_received (receiving_org, received_at) beside cases_receiving_recent
-- (receiving_org, received_on, id): TopItems, its one ordered reader, reads the window's latest cases by
-- (received_on, id) now; the others by receiving_org alone read cases_receiving as well. Strict prefixes of
-- another index: applicants_org (org_id) of applicants_org_recent (org_id, id), and inspection_rounds_dept
-- and _township (path, planned_on) of their _key indexes (path, planned_on, id).
-- IF EXISTS as on PostgreSQL, where a bulk load stopped part way may have set them aside.
DROP INDEX IF EXISTS cases_applicant;
DROP INDEX IF EXISTS cases_receiving_received;
DROP INDEX IF EXISTS applicants_org;
DROP INDEX IF EXISTS inspection_rounds_dept;
DROP INDEX IF EXISTS inspection_rounds_township;
