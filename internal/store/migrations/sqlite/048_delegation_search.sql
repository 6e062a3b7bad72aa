-- Issue 14, second round: the lists of delegations and of inspection rounds are searched and paged by key
-- like the other lists. search holds the lower-cased texts a person types to find one (a delegation: its
-- item's names, the document's number, the townships' names; a round: its area, inspector, township,
-- notes and findings); rows written before this get their document, lower-cased, which holds the same texts.
ALTER TABLE delegations ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE delegations SET search = lower(doc);
ALTER TABLE inspection_rounds ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE inspection_rounds SET search = lower(doc);
CREATE INDEX inspection_rounds_dept_key ON inspection_rounds(dept_path, planned_on, id);
CREATE INDEX inspection_rounds_township_key ON inspection_rounds(township_path, planned_on, id);
