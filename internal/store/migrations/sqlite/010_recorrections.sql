-- 二次补正 (行政许可法 第32条: one notice of everything): the correction notices a case was given after the
-- first, kept beside its other facts, and their count in the daily and monthly figures (on the day the case
-- was accepted).
ALTER TABLE cases ADD COLUMN recorrections INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_days ADD COLUMN recorrected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_months ADD COLUMN recorrected INTEGER NOT NULL DEFAULT 0;
