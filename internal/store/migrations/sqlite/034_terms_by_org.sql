-- A name searched within a township (issue 12): the name's terms also name the applicant's organisation, so
-- that a search for 乌云 in 天山镇 reads 天山镇's few 乌云 rather than the banner's nine thousand and then
-- drops those of other townships. An applicant's organisation never changes (UpdateApplicant keeps it).
CREATE TABLE applicant_terms_034 (
  term TEXT NOT NULL,
  org_id TEXT NOT NULL,
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  PRIMARY KEY (term, org_id, applicant_id)
) WITHOUT ROWID;
INSERT INTO applicant_terms_034 (term, org_id, applicant_id)
  SELECT t.term, a.org_id, t.applicant_id FROM applicant_terms t JOIN applicants a ON a.id = t.applicant_id;
DROP TABLE applicant_terms;
ALTER TABLE applicant_terms_034 RENAME TO applicant_terms;
CREATE INDEX applicant_terms_applicant ON applicant_terms(applicant_id);
