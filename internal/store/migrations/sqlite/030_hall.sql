-- The hall (issue 10): opening hours of centers and stations, queue tickets, window sign-ons and
-- appointments. A ticket keeps what came of the visit (case_id, enquiry_id) and the moments its wait and
-- its service are measured between.
CREATE TABLE hall_hours (
  org_id TEXT PRIMARY KEY REFERENCES orgs(id),
  doc TEXT NOT NULL, -- internal/hours.Hours as JSON: the weekly pattern, exceptions, slot length, capacity
  version INTEGER NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE hall_tickets (
  id TEXT PRIMARY KEY,
  center_id TEXT NOT NULL REFERENCES orgs(id),
  day TEXT NOT NULL, -- the hall's day, 2006-01-02
  category TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ticket_no TEXT NOT NULL, -- A001
  ticket_key TEXT NOT NULL UNIQUE, -- center/day/A001: the number allocator's series
  state TEXT NOT NULL,
  source TEXT NOT NULL,
  appointment_id TEXT,
  slot_start INTEGER NOT NULL DEFAULT -1,
  applicant_id TEXT,
  issued_at TIMESTAMP NOT NULL,
  first_called_at TIMESTAMP,
  called_at TIMESTAMP,
  finished_at TIMESTAMP,
  window_id TEXT NOT NULL DEFAULT '',
  window_name TEXT NOT NULL DEFAULT '',
  called_by TEXT NOT NULL DEFAULT '',
  target_window TEXT NOT NULL DEFAULT '',
  calls INTEGER NOT NULL DEFAULT 0,
  wait_ms INTEGER, -- from taking the ticket to its first call: the board's average waits add these up
  case_id TEXT,
  enquiry_id TEXT,
  version INTEGER NOT NULL
);
-- a day's tickets by state; appointments' tickets (slot_start >= 0) apart from the walk-ins (-1)
CREATE INDEX hall_tickets_day ON hall_tickets(center_id, day, state, slot_start);
-- the next walk-in of a category: the first of its queue by the time taken
CREATE INDEX hall_tickets_queue ON hall_tickets(center_id, day, state, category, slot_start, issued_at, seq);
CREATE INDEX hall_tickets_window ON hall_tickets(window_id, state);
CREATE INDEX hall_tickets_target ON hall_tickets(target_window, state); -- tickets transferred to a window
CREATE INDEX hall_tickets_case ON hall_tickets(case_id);

-- who sits at which window now: one row a window, one window a clerk
CREATE TABLE hall_windows (
  window_id TEXT PRIMARY KEY REFERENCES orgs(id),
  center_id TEXT NOT NULL REFERENCES orgs(id),
  window_name TEXT NOT NULL,
  staff_id TEXT NOT NULL UNIQUE,
  staff_name TEXT NOT NULL,
  categories TEXT NOT NULL DEFAULT '',
  paused INTEGER NOT NULL DEFAULT 0,
  since TIMESTAMP NOT NULL,
  version INTEGER NOT NULL
);
CREATE INDEX hall_windows_center ON hall_windows(center_id);

CREATE TABLE hall_appointments (
  id TEXT PRIMARY KEY,
  center_id TEXT NOT NULL REFERENCES orgs(id),
  category TEXT NOT NULL,
  day TEXT NOT NULL,
  slot TEXT NOT NULL, -- HH:MM
  slot_start INTEGER NOT NULL,
  slot_end INTEGER NOT NULL,
  code TEXT NOT NULL,
  state TEXT NOT NULL,
  channel TEXT NOT NULL,
  resident_id TEXT NOT NULL DEFAULT '',
  applicant_id TEXT,
  name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  ticket_id TEXT,
  created_at TIMESTAMP NOT NULL,
  created_by TEXT NOT NULL,
  version INTEGER NOT NULL,
  UNIQUE (center_id, day, code)
);
CREATE INDEX hall_appointments_slot ON hall_appointments(center_id, day, slot, category);
CREATE INDEX hall_appointments_resident ON hall_appointments(resident_id, day);
