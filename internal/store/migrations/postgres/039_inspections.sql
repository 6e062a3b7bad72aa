-- 巡回检查 (issue 14; the seed 四.(一) 定时划片巡回检查指导, 四.(二) 不定期督导检查): a round planned by area and
-- date, its visit with a checklist, and its findings each rectified by the township and checked
-- (internal/delegation.Round) as a document.
CREATE TABLE inspection_rounds (
  id TEXT PRIMARY KEY,
  dept_id TEXT NOT NULL REFERENCES orgs(id),
  dept_path TEXT NOT NULL,
  township_id TEXT NOT NULL REFERENCES orgs(id),
  township_path TEXT NOT NULL,
  planned_on INTEGER NOT NULL, -- yyyymmdd
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX inspection_rounds_dept ON inspection_rounds(dept_path, planned_on);
CREATE INDEX inspection_rounds_township ON inspection_rounds(township_path, planned_on);
