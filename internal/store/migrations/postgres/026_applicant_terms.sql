-- An applicant found by a part of the name at a year of cases (issue 12): a search for 秀英 or xiuying read
-- every applicant (125,000 at a million cases) to match LIKE '%秀英%'. Each name's terms are kept here: its
-- characters (c:), its pairs of characters (b:), its pinyin and initials from each syllable on (p:, i:),
-- so that a search reads the few applicants holding its term. terms_of marks the applicants whose terms are
-- made (0: to be made at the next start, as for those stored before this migration).
CREATE TABLE applicant_terms (
  term TEXT NOT NULL,
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  PRIMARY KEY (term, applicant_id)
);
CREATE INDEX applicant_terms_applicant ON applicant_terms(applicant_id);
ALTER TABLE applicants ADD COLUMN terms_of INTEGER NOT NULL DEFAULT 0;
CREATE INDEX applicants_unterm ON applicants(id) WHERE terms_of = 0;
