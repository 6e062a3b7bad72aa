-- The 六有 board's own documents (issue 11 point 10): a center's duties (工作职责), service norms (服务规范) and
-- rules (相关管理制度), bilingual, each kind versioned, each version in force from its date. A version is never
-- edited: a change is a new version.
CREATE TABLE board_docs (
  id TEXT PRIMARY KEY,
  center_id TEXT NOT NULL REFERENCES orgs(id),
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  title_zh TEXT NOT NULL,
  title_mn TEXT NOT NULL,
  body_zh TEXT NOT NULL,
  body_mn TEXT NOT NULL,
  effective_on INTEGER NOT NULL,
  published_by TEXT NOT NULL,
  published_at TIMESTAMP NOT NULL,
  UNIQUE (center_id, kind, version)
);

-- The card of an order (督办) its people were last told of (issue 11 point 8): the sweep tells them by SMS when
-- it turns yellow, and again when it turns red, once each.
ALTER TABLE orders ADD COLUMN told_card TEXT NOT NULL DEFAULT '';
