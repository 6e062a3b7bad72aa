-- 督办 and 催办 (issue 12: directors see them in their queue; issue 11 item 8): an order on a case, a window
-- or a person, with its content and due day, answered once by those it is addressed to. GB/T 39046-2020 表11
-- names what it keeps. org_path is the addressed organisation's path, so that a director's subtree finds the
-- orders of its windows and cases by a range.
CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  case_id TEXT NOT NULL DEFAULT '',
  case_no TEXT NOT NULL DEFAULT '',
  org_id TEXT NOT NULL REFERENCES orgs(id),
  org_path TEXT NOT NULL,
  staff_id TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  issuer_name TEXT NOT NULL,
  issued_at TIMESTAMP NOT NULL,
  due_on INTEGER NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  answered_by TEXT NOT NULL DEFAULT '',
  answerer_name TEXT NOT NULL DEFAULT '',
  answered_at TIMESTAMP,
  is_open INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orders_open ON orders(is_open, org_path, due_on);
CREATE INDEX orders_recent ON orders(org_path, id);
CREATE INDEX orders_case ON orders(case_id, id);
CREATE INDEX orders_staff ON orders(staff_id, is_open);

-- What waits for a head's approval, kept with the clock row so that a director's queue lists every pending
-- extension request of the subtree (行政许可法 第42条), not only those on the queue's current page.
ALTER TABLE case_clock ADD COLUMN asks TEXT NOT NULL DEFAULT '';
UPDATE case_clock SET asks = 'extension' WHERE case_id IN (SELECT id FROM cases WHERE doc LIKE '%"extension_request":{%');
CREATE INDEX case_clock_asks ON case_clock(asks);
