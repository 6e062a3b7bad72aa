-- Attendance (考勤, issue 11 point 4): sign-in and sign-out at the center from the desk, with the address the
-- request came from; no biometric. One row a person and day (the first sign-in, the last sign-out).
CREATE TABLE attendance (
  staff_id TEXT NOT NULL REFERENCES staff(id),
  day INTEGER NOT NULL,
  center_id TEXT NOT NULL REFERENCES orgs(id),
  in_at TIMESTAMP NOT NULL,
  in_addr TEXT NOT NULL,
  out_at TIMESTAMP,
  out_addr TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (staff_id, day)
);
CREATE INDEX attendance_center ON attendance(center_id, day);

-- An empty window or seat during opening hours (point 6): raised once per seat and half-day, shown to the
-- director, counted in supervision and the monthly figures.
CREATE TABLE coverage_alerts (
  seat_id TEXT NOT NULL REFERENCES orgs(id),
  day INTEGER NOT NULL,
  half TEXT NOT NULL,
  center_id TEXT NOT NULL REFERENCES orgs(id),
  center_path TEXT NOT NULL,
  state TEXT NOT NULL,
  staff_id TEXT NOT NULL DEFAULT '',
  raised_at TIMESTAMP NOT NULL,
  PRIMARY KEY (seat_id, day, half)
);
CREATE INDEX coverage_alerts_center ON coverage_alerts(center_path, day);
