-- 回避 (issue 11 point 7): relations a member of staff declares, by the applicant's ID number or credit code.
-- A declaration is never edited; a withdrawn one keeps its row.
CREATE TABLE recusals (
  id TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  relation TEXT NOT NULL,
  number TEXT NOT NULL,
  name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  declared_at TIMESTAMPTZ NOT NULL,
  withdrawn_at TIMESTAMPTZ
);
CREATE INDEX recusals_staff ON recusals(staff_id);
