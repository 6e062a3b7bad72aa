-- The clocks around a case (行政许可法 第32条, 第44条): a received case's intake clock and a decided case's
-- issue clock are kept in case_clock beside the decision clock, so that the sweep turns their cards too.
-- phase says which clock a row holds: 'intake', 'decision', 'issue', '' none. running keeps its meaning
-- (1 runs, 2 stands, 0 none) for every phase.
ALTER TABLE case_clock ADD COLUMN phase TEXT NOT NULL DEFAULT '';
UPDATE case_clock SET phase = 'decision' WHERE running > 0;
-- received, decided and issued cases get their clocks at the next sweep (it computes rows never computed)
UPDATE case_clock SET standing_of = 0 WHERE case_id IN (SELECT id FROM cases WHERE state IN ('received', 'decided', 'issued'));
DROP INDEX case_clock_open;
CREATE INDEX case_clock_open ON case_clock(running, phase, yellow_on, red_on, handling_org, receiving_township, receiving_org, received_by, department, item_id, channel)
  WHERE running > 0;

-- the days a window answered after its five working days, and a result was delivered after its ten (0: not late)
ALTER TABLE cases ADD COLUMN late_intake_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN late_issue_on INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_late_intake_on ON cases(late_intake_on) WHERE late_intake_on > 0;
CREATE INDEX cases_late_issue_on ON cases(late_issue_on) WHERE late_issue_on > 0;

-- the figures: late intakes and late issues by the day they happened; what waits at the window and for
-- issue now, and how many of those are past their day
ALTER TABLE stat_days ADD COLUMN late_intake INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_days ADD COLUMN late_issue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_months ADD COLUMN late_intake INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_months ADD COLUMN late_issue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_now ADD COLUMN intake_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_now ADD COLUMN intake_overdue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_now ADD COLUMN issue_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_now ADD COLUMN issue_overdue INTEGER NOT NULL DEFAULT 0;
