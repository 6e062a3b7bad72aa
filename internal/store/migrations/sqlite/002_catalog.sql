-- The service catalog. An item's versions are kept whole as JSON documents: a published version never
-- changes, so that a case keeps the version it was accepted under.
CREATE TABLE items (
  id TEXT PRIMARY KEY,
  department_id TEXT NOT NULL REFERENCES orgs(id),
  latest INTEGER NOT NULL,
  published INTEGER NOT NULL DEFAULT 0,
  row_version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX items_department ON items(department_id);

CREATE TABLE item_versions (
  item_id TEXT NOT NULL REFERENCES items(id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  type_code TEXT NOT NULL,
  village TEXT NOT NULL DEFAULT '',
  effective_from TIMESTAMP,
  doc TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (item_id, version)
);

-- Search is an in-memory index of the published catalog (internal/catalog/index.go). The generation counts
-- changes to the published catalog, so that every running instance knows when to rebuild its index.
CREATE TABLE catalog_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO catalog_meta (id, generation) VALUES (1, 0);

CREATE TABLE item_topics (
  topic TEXT NOT NULL,
  item_id TEXT NOT NULL REFERENCES items(id),
  PRIMARY KEY (topic, item_id)
);

-- Which body implements an item where, with the local details that override the item's defaults, and the
-- record of a delegation from a banner department to a township (赋权).
CREATE TABLE implementations (
  item_id TEXT NOT NULL REFERENCES items(id),
  org_id TEXT NOT NULL REFERENCES orgs(id),
  doc TEXT NOT NULL,
  delegated_from TEXT REFERENCES orgs(id),
  delegated_at TIMESTAMP,
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (item_id, org_id)
);
CREATE INDEX implementations_org ON implementations(org_id);

-- References that pin an item version (cases will be the main ones).
CREATE TABLE item_refs (
  id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL REFERENCES items(id),
  version INTEGER NOT NULL,
  note TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE bundles (
  id TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  doc TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);
