-- How a township staffs its back office (issue 11 point 1): split by item domain (一人负责一块: a reviewer works
-- and backs up only the items of the domains on their record) or 一人通办 (every reviewer works every item).
-- A township without a row keeps 一人通办, as before this setting existed; the rule is internal/roster/domains.go.
CREATE TABLE back_office_split (
  township_id TEXT PRIMARY KEY REFERENCES orgs(id),
  split INTEGER NOT NULL,
  set_by TEXT NOT NULL,
  set_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL
);
