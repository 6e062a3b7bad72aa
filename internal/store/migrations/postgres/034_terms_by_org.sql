-- A name searched within a township (issue 12): the name's terms also name the applicant's organisation, so
-- that a search for 乌云 in 天山镇 reads 天山镇's few 乌云 rather than the banner's nine thousand and then
-- drops those of other townships. An applicant's organisation never changes (UpdateApplicant keeps it).
ALTER TABLE applicant_terms ADD COLUMN org_id TEXT NOT NULL DEFAULT '';
UPDATE applicant_terms t SET org_id = a.org_id FROM applicants a WHERE a.id = t.applicant_id;
ALTER TABLE applicant_terms DROP CONSTRAINT applicant_terms_pkey;
ALTER TABLE applicant_terms ADD PRIMARY KEY (term, org_id, applicant_id);
