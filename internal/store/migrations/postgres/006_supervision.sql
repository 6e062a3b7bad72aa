-- Supervision. Beside each case, the columns that place it in the figures and its facts (the days it was
-- received, accepted and decided; working days used; on time or not), which change only with its moves: days
-- as yyyymmdd numbers.
ALTER TABLE cases ADD COLUMN channel TEXT NOT NULL DEFAULT 'window';
ALTER TABLE cases ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN received_by TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN receiving_township TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN instant INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN received_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN accepted_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN decided_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN days_used INTEGER NOT NULL DEFAULT -1;
ALTER TABLE cases ADD COLUMN on_time INTEGER NOT NULL DEFAULT 0;

-- the days a case's figures fall on (the roll-up of a day reads only its cases)
CREATE INDEX cases_received_on ON cases(received_on);
CREATE INDEX cases_accepted_on ON cases(accepted_on) WHERE accepted_on > 0;
CREATE INDEX cases_decided_on ON cases(decided_on) WHERE decided_on > 0;

-- A case's clock: its standing against its deadlines, kept by every move and turned by the sweep, with the
-- case's places for the figures of what stands open now. For the case and for its current step: the due day,
-- the first yellow day, the first red day (the day after the due day), the card, and turn_on, the day the card
-- turns next (the first yellow day while green, the first red day while yellow, 0 once red or without a
-- clock), so that a sweep finds what turns today on one index. It is a narrow table of its own so that a sweep
-- turning a hundred thousand cards rewrites a hundred thousand small rows, not the cases' documents.
-- running: 1 when the clock runs (accepted), 2 when it stands (suspended), 0 otherwise. standing_of is the
-- day the standing was computed for, 0 for never (a case stored before this migration, or every open case
-- after a calendar change: the next sweep computes it).
CREATE TABLE case_clock (
  case_id TEXT PRIMARY KEY REFERENCES cases(id),
  running INTEGER NOT NULL,
  handling_org TEXT NOT NULL,
  receiving_township TEXT NOT NULL,
  receiving_org TEXT NOT NULL,
  received_by TEXT NOT NULL,
  department TEXT NOT NULL,
  item_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  due_on INTEGER NOT NULL,
  yellow_on INTEGER NOT NULL,
  red_on INTEGER NOT NULL,
  card TEXT NOT NULL,
  turn_on INTEGER NOT NULL,
  step_due_on INTEGER NOT NULL,
  step_yellow_on INTEGER NOT NULL,
  step_red_on INTEGER NOT NULL,
  step_card TEXT NOT NULL,
  step_turn_on INTEGER NOT NULL,
  standing_of INTEGER NOT NULL
);
INSERT INTO case_clock SELECT id, CASE state WHEN 'accepted' THEN 1 WHEN 'suspended' THEN 2 ELSE 0 END,
  handling_org, '', receiving_org, '', '', item_id, 'window', 0, 0, 0, '', 0, 0, 0, 0, '', 0, 0 FROM cases;
-- the sweep: running cases whose card turns by a day (partial: only cases whose clock runs)
CREATE INDEX case_clock_turn ON case_clock(turn_on) WHERE running = 1;
CREATE INDEX case_clock_step_turn ON case_clock(step_turn_on) WHERE running = 1;
-- what stands open now by every dimension, counted from the index alone; the cards are read from the yellow
-- and red days (the same rule as the sweep's), so that a card turning does not rewrite this index
CREATE INDEX case_clock_open ON case_clock(running, yellow_on, red_on, handling_org, receiving_township, receiving_org, received_by, department, item_id, channel)
  WHERE running > 0;
-- cases whose standing is computed in Go: never computed, and open ones computed before today
CREATE INDEX case_clock_unstood ON case_clock(case_id) WHERE standing_of = 0;
CREATE INDEX case_clock_restand ON case_clock(running, standing_of) WHERE running > 0;

-- The roll-up. For each day, dimension (township, department, window, person, item, channel) and value, what
-- happened that day; a past day never changes (every figure is dated by its event). Months add up their days,
-- so that a month's dashboard and report read a few hundred rows whatever the number of cases. spread is the
-- completed cases by working days used ("days:count" pairs), for the percentiles.
CREATE TABLE stat_days (
  dim TEXT NOT NULL,
  day INTEGER NOT NULL,
  org_id TEXT NOT NULL,
  value TEXT NOT NULL,
  received INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  first_time INTEGER NOT NULL,
  online INTEGER NOT NULL,
  proxy INTEGER NOT NULL,
  instant INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  days_sum INTEGER NOT NULL,
  spread TEXT NOT NULL,
  PRIMARY KEY (dim, day, org_id, value)
);
CREATE TABLE stat_months (
  dim TEXT NOT NULL,
  month INTEGER NOT NULL,
  org_id TEXT NOT NULL,
  value TEXT NOT NULL,
  received INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  first_time INTEGER NOT NULL,
  online INTEGER NOT NULL,
  proxy INTEGER NOT NULL,
  instant INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  days_sum INTEGER NOT NULL,
  spread TEXT NOT NULL,
  PRIMARY KEY (dim, month, org_id, value)
);
-- when each day was last rolled up
CREATE TABLE stat_runs (
  day INTEGER PRIMARY KEY,
  at TIMESTAMPTZ NOT NULL
);
-- what stands open, as of the last sweep
CREATE TABLE stat_now (
  dim TEXT NOT NULL,
  org_id TEXT NOT NULL,
  value TEXT NOT NULL,
  open INTEGER NOT NULL,
  overdue INTEGER NOT NULL,
  yellow INTEGER NOT NULL,
  suspended INTEGER NOT NULL,
  PRIMARY KEY (dim, org_id, value)
);

-- Monthly public reports (通报), made by the scheduled job and published on the portal; doc is the report's
-- figures as JSON, fixed when made.
CREATE TABLE reports (
  period TEXT NOT NULL,
  org_id TEXT NOT NULL,
  made_at TIMESTAMPTZ NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (period, org_id)
);
