-- Mongolian from end to end (issue 17): every string a person reads, interface and content, with its
-- Mongolian and its status (attested, reviewed, composed, missing); its history (every change, reversible);
-- and imports of exchange files waiting for their diff to be accepted.
-- key: "i:<interface key>", "o:<organisation id>", "c:<hash of the Chinese>" (internal/translation).
-- fold: the folded Chinese and Mongolian (translation.Fold), what the queue's search compares with.
-- owner_path: the organisation the string belongs to, for the permission (interface and catalog strings:
-- the root of the tree; an organisation's name: the organisation).
CREATE TABLE mn_strings (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  zh TEXT NOT NULL,
  mn TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  fold TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  context TEXT NOT NULL DEFAULT '',
  township_id TEXT NOT NULL DEFAULT '',
  owner_path TEXT NOT NULL DEFAULT '/',
  version INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMPTZ
);
CREATE INDEX mn_strings_status ON mn_strings(status, key);
CREATE INDEX mn_strings_kind ON mn_strings(kind, key);
CREATE INDEX mn_strings_township ON mn_strings(township_id, key);

CREATE TABLE mn_history (
  seq TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  action TEXT NOT NULL,
  before_mn TEXT NOT NULL,
  after_mn TEXT NOT NULL,
  before_status TEXT NOT NULL,
  after_status TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
-- seq: a time-ordered id (ids.New), not a sequence, so that a PostgreSQL backup restored keeps numbering
CREATE INDEX mn_history_key ON mn_history(key, at, seq);

CREATE TABLE mn_imports (
  id TEXT PRIMARY KEY,
  actor_id TEXT NOT NULL,
  format TEXT NOT NULL,
  diff TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  applied_at TIMESTAMPTZ
);
