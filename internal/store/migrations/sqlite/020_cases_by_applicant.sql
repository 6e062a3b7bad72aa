-- A resident tracks their cases by ID number and phone digits (the public tracking page): the applicant's
-- cases, newest first, without a scan of the cases table.
CREATE INDEX IF NOT EXISTS cases_applicant ON cases(applicant_id, received_at);
