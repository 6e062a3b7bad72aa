-- 好差评 (GB/T 39046-2020 表9 评价). A rating is never edited nor deleted: the database refuses a change to what
-- the rater said and any delete; only excluded (an upheld appeal) may change. The subject is a case, or for a
-- window visit without one an enquiry or a hall ticket (ids kept as text: tickets live in another part).
-- One rating per subject and channel (GB/T 39734-2020 7.1 评价次数规则).
CREATE TABLE ratings (
  id TEXT PRIMARY KEY,
  case_id TEXT,
  enquiry_id TEXT,
  ticket_id TEXT,
  case_no TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  indicators TEXT NOT NULL DEFAULT '{}',
  body TEXT NOT NULL DEFAULT '',
  rated_at TIMESTAMP NOT NULL,
  rated_on INTEGER NOT NULL,
  division TEXT NOT NULL DEFAULT '',
  township_id TEXT NOT NULL,
  window_id TEXT NOT NULL DEFAULT '',
  staff_id TEXT NOT NULL DEFAULT '',
  staff_name TEXT NOT NULL DEFAULT '',
  item_id TEXT NOT NULL DEFAULT '',
  item_name TEXT NOT NULL DEFAULT '',
  department_id TEXT NOT NULL DEFAULT '',
  item_name_mn TEXT NOT NULL DEFAULT '',
  served TEXT NOT NULL DEFAULT '',
  entered_by TEXT NOT NULL DEFAULT '',
  named INTEGER NOT NULL DEFAULT 0,
  excluded INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ratings_case_channel ON ratings(case_id, channel) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX ratings_enquiry_channel ON ratings(enquiry_id, channel) WHERE enquiry_id IS NOT NULL;
CREATE UNIQUE INDEX ratings_ticket_channel ON ratings(ticket_id, channel) WHERE ticket_id IS NOT NULL;
CREATE INDEX ratings_township_day ON ratings(township_id, rated_on, level, excluded);
CREATE INDEX ratings_day ON ratings(rated_on, id);
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings BEGIN SELECT RAISE(ABORT, 'ratings are never deleted'); END;
CREATE TRIGGER ratings_no_edit BEFORE UPDATE OF id, case_id, enquiry_id, ticket_id, case_no, channel, level, indicators, body,
  rated_at, rated_on, division, township_id, window_id, staff_id, staff_name, item_id, served, entered_by, named ON ratings
  BEGIN SELECT RAISE(ABORT, 'a rating is never edited'); END;

-- Who rated, when they can be reached: apart from the rating, read only by Bianmin itself (核实 and 回访
-- messages), never shown to staff.
CREATE TABLE rating_raters (
  rating_id TEXT PRIMARY KEY REFERENCES ratings(id),
  name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL DEFAULT ''
);

-- Evaluator tablets: paired to a member of staff's window by a one-time code typed on the tablet; the tablet
-- then holds a token (only its hash is here). A rating from the tablet is taken only with that token.
CREATE TABLE rating_devices (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id),
  staff_id TEXT NOT NULL,
  name TEXT NOT NULL,
  code_hash TEXT UNIQUE,
  code_until TIMESTAMP,
  token_hash TEXT UNIQUE,
  paired_at TIMESTAMP,
  revoked_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX rating_devices_staff ON rating_devices(staff_id);

-- A prompt asks the tablet to show what was served and take its rating; it expires, and is used once.
CREATE TABLE rating_prompts (
  id TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES rating_devices(id),
  staff_id TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  rating_id TEXT NOT NULL DEFAULT '',
  doc TEXT NOT NULL
);
CREATE INDEX rating_prompts_device ON rating_prompts(device_id, created_at);

-- 差评整改 and 申诉复核: documents with the columns figures and lists read.
CREATE TABLE rectifications (
  id TEXT PRIMARY KEY,
  rating_id TEXT NOT NULL UNIQUE REFERENCES ratings(id),
  township_id TEXT NOT NULL,
  step TEXT NOT NULL,
  due_on INTEGER NOT NULL,
  yellow_from INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  revisited INTEGER NOT NULL DEFAULT 0,
  satisfied INTEGER NOT NULL DEFAULT 0,
  opened_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX rectifications_township ON rectifications(township_id, step, due_on);
CREATE INDEX rectifications_open ON rectifications(done, due_on);

-- The figures' daily tally: each rating counted under its day, township and each dimension's value, kept by
-- the transaction that changes what a rating contributes (made, rectified, revisited, excluded by an
-- upheld appeal), so that a period's figures add up days instead of reading every rating and its
-- rectification (store.RatingFigures), and always equal a plain count of the ratings.
CREATE TABLE rating_tally (
  dim TEXT NOT NULL,
  day INTEGER NOT NULL,
  township_id TEXT NOT NULL,
  value TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  good INTEGER NOT NULL DEFAULT 0,
  bad INTEGER NOT NULL DEFAULT 0,
  rectified INTEGER NOT NULL DEFAULT 0,
  revisited INTEGER NOT NULL DEFAULT 0,
  satisfied INTEGER NOT NULL DEFAULT 0,
  dropped INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dim, day, township_id, value)
);

CREATE TABLE rating_appeals (
  id TEXT PRIMARY KEY,
  rating_id TEXT NOT NULL UNIQUE REFERENCES ratings(id),
  township_id TEXT NOT NULL,
  decision TEXT NOT NULL DEFAULT '',
  filed_at TIMESTAMP NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX rating_appeals_township ON rating_appeals(township_id, decision, filed_at);
