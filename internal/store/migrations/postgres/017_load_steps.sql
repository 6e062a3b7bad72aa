-- Long loads (the demo's first start) go in steps; each step is recorded when done, in the transaction that
-- does it where it can, so that a start that finds an unfinished load knows where to go on.
CREATE TABLE load_steps (
  name TEXT PRIMARY KEY,
  done_at TIMESTAMP NOT NULL
);
