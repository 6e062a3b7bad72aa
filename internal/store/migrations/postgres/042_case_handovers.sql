-- 转办: the hand-over of a case to the competent body (internal/joint/handover.go). The document holds the
-- hand-over; the columns are what lists and scope read: both bodies' paths, the state and the answer day
-- (yyyymmdd) whose passing turns the card. One waits at a time for a case (pending_case is unique).
CREATE TABLE case_handovers (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  from_path TEXT NOT NULL,
  to_path TEXT NOT NULL,
  state TEXT NOT NULL,
  due_on INTEGER NOT NULL,
  pending_case TEXT UNIQUE,
  asked_at TIMESTAMPTZ NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX case_handovers_case ON case_handovers(case_id, asked_at);
CREATE INDEX case_handovers_to ON case_handovers(to_path, state, id);
CREATE INDEX case_handovers_from ON case_handovers(from_path, state, id);
