-- Issue 18, what a case costs to keep. (On SQLite this migration also keeps case_events WITHOUT ROWID.)

-- Indexes another index makes redundant (read with EXPLAIN on both engines, every query of the columns):
-- cases_applicant (applicant_id, received_on) beside cases_applicant_received (applicant_id, received_at):
-- every applicant's query finds the applicant's few cases by either, and those ordered by time order by
-- received_at; cases_receiving_received (receiving_org, received_at) beside cases_receiving_recent
-- (receiving_org, received_on, id): TopItems, its one ordered reader, reads the window's latest cases by
-- (received_on, id) now; the others by receiving_org alone read cases_receiving as well. Strict prefixes of
-- another index: applicants_org (org_id) of applicants_org_recent (org_id, id), and inspection_rounds_dept
-- and _township (path, planned_on) of their _key indexes (path, planned_on, id).
-- IF EXISTS, and forgotten by bulk_indexes (migration 079): a bulk load stopped part way may have set them
-- aside, to be made again at the next start.
DO $$ BEGIN
  IF to_regclass('bulk_indexes') IS NOT NULL THEN
    DELETE FROM bulk_indexes WHERE name IN ('cases_applicant', 'cases_receiving_received', 'applicants_org');
  END IF;
END $$;
DROP INDEX IF EXISTS cases_applicant;
DROP INDEX IF EXISTS cases_receiving_received;
DROP INDEX IF EXISTS applicants_org;
DROP INDEX IF EXISTS inspection_rounds_dept;
DROP INDEX IF EXISTS inspection_rounds_township;
