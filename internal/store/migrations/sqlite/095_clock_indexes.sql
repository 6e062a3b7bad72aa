-- Every move rewrites its case's clock row, and none of those updates is HOT: the queue day, state and cards
-- it indexes change at each. So each move writes an entry in every index of case_clock whose condition the
-- new row meets (issue 18: the B-tree inserts of the write-ahead log). Three indexes are read for some rows
-- only, and now hold only those:
-- the director's queue finds the cases asking for more days, a few of the open ones;
DROP INDEX case_clock_asks;
CREATE INDEX case_clock_asks ON case_clock(case_id) WHERE asks = 'extension';
-- the daily restanding finds the suspended cases (running = 2), whose due day moves each day they stand (a
-- changed calendar resets every open case to standing_of = 0, which case_clock_unstood finds);
DROP INDEX case_clock_restand;
CREATE INDEX case_clock_suspended ON case_clock(standing_of) WHERE running = 2;
-- the queues read only open cases (queue_due > 0): a closed case's clock leaves this index.
DROP INDEX case_clock_queue;
CREATE INDEX case_clock_queue ON case_clock(queue_due, case_id, state, handling_org, receiving_org, item_id) WHERE queue_due > 0;
