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
  rated_at TIMESTAMPTZ NOT NULL,
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
CREATE FUNCTION ratings_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'ratings are never deleted'; END IF;
  IF (NEW.id, NEW.case_id, NEW.enquiry_id, NEW.ticket_id, NEW.case_no, NEW.channel, NEW.level, NEW.indicators, NEW.body,
      NEW.rated_at, NEW.rated_on, NEW.division, NEW.township_id, NEW.window_id, NEW.staff_id, NEW.staff_name, NEW.item_id,
      NEW.served, NEW.entered_by, NEW.named)
     IS DISTINCT FROM (OLD.id, OLD.case_id, OLD.enquiry_id, OLD.ticket_id, OLD.case_no, OLD.channel, OLD.level, OLD.indicators,
      OLD.body, OLD.rated_at, OLD.rated_on, OLD.division, OLD.township_id, OLD.window_id, OLD.staff_id, OLD.staff_name,
      OLD.item_id, OLD.served, OLD.entered_by, OLD.named) THEN
    RAISE EXCEPTION 'a rating is never edited';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ratings_no_change BEFORE UPDATE OR DELETE ON ratings FOR EACH ROW EXECUTE FUNCTION ratings_kept();
CREATE FUNCTION ratings_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ratings are never deleted'; END $$;
CREATE TRIGGER ratings_no_truncate BEFORE TRUNCATE ON ratings FOR EACH STATEMENT EXECUTE FUNCTION ratings_no_truncate();

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
  code_until TIMESTAMPTZ,
  token_hash TEXT UNIQUE,
  paired_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX rating_devices_staff ON rating_devices(staff_id);

-- A prompt asks the tablet to show what was served and take its rating; it expires, and is used once.
CREATE TABLE rating_prompts (
  id TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES rating_devices(id),
  staff_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
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
  opened_at TIMESTAMPTZ NOT NULL,
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
  filed_at TIMESTAMPTZ NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX rating_appeals_township ON rating_appeals(township_id, decision, filed_at);
