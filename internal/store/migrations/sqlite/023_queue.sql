-- The desk's queue at a year of cases (issue 12): its order kept with the clock row, so that a queue over a
-- whole banner reads a page from an index in order instead of sorting every open case.
-- state: the case's state, copied at every move; queue_due: the day the running clock falls due, 99999999
-- for an open case without one (it goes last), 0 for a closed case (never in a queue).
ALTER TABLE case_clock ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE case_clock ADD COLUMN queue_due INTEGER NOT NULL DEFAULT 0;
UPDATE case_clock SET state = (SELECT c.state FROM cases c WHERE c.id = case_clock.case_id);
UPDATE case_clock SET queue_due = CASE WHEN state IN ('delivered', 'refused', 'terminated', 'revoked') THEN 0
  WHEN due_on > 0 THEN due_on ELSE 99999999 END;
-- covering: the scope and the state are read from the index itself
CREATE INDEX case_clock_queue ON case_clock(queue_due, case_id, state, handling_org, receiving_org, item_id);
