-- Supervision. Beside each case, the columns that place it in the figures (fixed at intake) and its standing
-- against its deadlines (kept by every move and by the sweep): days as yyyymmdd numbers, cards as text.
-- A case stored before this migration has standing_of = 0; the start-up backfill computes it.
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
ALTER TABLE cases ADD COLUMN due_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN yellow_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN card TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN step_due_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN step_yellow_on INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN step_card TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN standing_of INTEGER NOT NULL DEFAULT 0;

-- the days a case's figures fall on (the roll-up of a day reads only its cases)
CREATE INDEX cases_received_on ON cases(received_on);
CREATE INDEX cases_accepted_on ON cases(accepted_on) WHERE accepted_on > 0;
CREATE INDEX cases_decided_on ON cases(decided_on) WHERE decided_on > 0;
-- the sweep: running cases whose card a date turns (partial: only cases whose clock runs)
CREATE INDEX cases_sweep_due ON cases(card, due_on) WHERE state = 'accepted';
CREATE INDEX cases_sweep_yellow ON cases(card, yellow_on) WHERE state = 'accepted';
CREATE INDEX cases_sweep_step_due ON cases(step_card, step_due_on) WHERE state = 'accepted';
CREATE INDEX cases_sweep_step_yellow ON cases(step_card, step_yellow_on) WHERE state = 'accepted';
-- what stands open now, by every dimension, read without touching the cases' documents
CREATE INDEX cases_open_dims ON cases(state, card, handling_org, receiving_township, receiving_org, received_by, department, item_id, channel)
  WHERE state IN ('accepted', 'suspended');
-- cases whose standing is computed in Go: never computed (stored before this migration), and open ones
CREATE INDEX cases_unstood ON cases(id) WHERE standing_of = 0;
CREATE INDEX cases_open_standing ON cases(standing_of) WHERE state IN ('accepted', 'suspended');

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
) WITHOUT ROWID;
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
) WITHOUT ROWID;
-- when each day was last rolled up
CREATE TABLE stat_runs (
  day INTEGER PRIMARY KEY,
  at TIMESTAMP NOT NULL
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
) WITHOUT ROWID;

-- Monthly public reports (通报), made by the scheduled job and published on the portal; doc is the report's
-- figures as JSON, fixed when made.
CREATE TABLE reports (
  period TEXT NOT NULL,
  org_id TEXT NOT NULL,
  made_at TIMESTAMP NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (period, org_id)
);
