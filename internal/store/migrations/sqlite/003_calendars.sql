-- Official holiday schedules loaded by administrators (each year's State Council notice), beside the years
-- shipped with Bianmin; a stored year replaces a shipped one.
CREATE TABLE calendar_years (
  year INTEGER PRIMARY KEY,
  doc TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
