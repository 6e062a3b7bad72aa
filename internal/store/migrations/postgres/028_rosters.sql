-- Rosters (排班) and leave (请销假备案), issue 11 points 3 and 5; the rules are internal/roster. A line is a
-- person at a window or back-office seat on a half-day; past lines are never rewritten (the rotation's
-- history, 轮岗). day is YYYYMMDD.
CREATE TABLE roster (
  center_id TEXT NOT NULL REFERENCES orgs(id),
  day INTEGER NOT NULL,
  half TEXT NOT NULL,
  seat_id TEXT NOT NULL REFERENCES orgs(id),
  staff_id TEXT NOT NULL REFERENCES staff(id),
  made_by TEXT NOT NULL,
  made_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (seat_id, day, half)
);
CREATE INDEX roster_center ON roster(center_id, day);
CREATE INDEX roster_staff ON roster(staff_id, day);

CREATE TABLE leaves (
  id TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  center_id TEXT NOT NULL REFERENCES orgs(id),
  center_path TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  substitute_id TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  requested_at TIMESTAMPTZ NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decider_name TEXT NOT NULL DEFAULT '',
  decided_at TIMESTAMPTZ,
  note TEXT NOT NULL DEFAULT '',
  returned_on INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX leaves_center ON leaves(center_id, to_day);
CREATE INDEX leaves_staff ON leaves(staff_id, to_day);
