-- Who a case waits for at a joint step (cases.Case.Awaits): a parallel step's bodies that have not answered,
-- the lead body deciding, the countersigners due. Written with the case by every move, so that each body's
-- and signer's desk lists the cases waiting for it, within its own subtree (org_path), without reading every
-- open case's document. role is the signer's access role ('' any of the body's back office).
CREATE TABLE case_awaits (
  case_id TEXT NOT NULL REFERENCES cases(id),
  org_id TEXT NOT NULL,
  org_path TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, org_id, role)
);
CREATE INDEX case_awaits_path ON case_awaits(org_path);

-- The text the hand-over list's search box matches (lower-cased): the case number, the item, both bodies'
-- names and the applicant's name. Rows of before are given theirs at start (store.fillHandoverSearch).
ALTER TABLE case_handovers ADD COLUMN search TEXT NOT NULL DEFAULT '';
