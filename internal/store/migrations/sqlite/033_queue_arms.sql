-- The queue of a township, a station or a department (issue 12) read from its own open rows: the cases it
-- handles, those it received for others, and (a department) those of its items, each from an index that
-- holds what the queue reads (the due day, the case, its state). A scope of up to a thousand open cases is
-- then counted and put in order from these alone, instead of walking the banner's open rows (a station's
-- queue read all 43,000 of them at a year of a million cases to find its few).
DROP INDEX case_clock_open_handling;
DROP INDEX case_clock_open_receiving;
CREATE INDEX case_clock_open_handling ON case_clock(handling_org, queue_due, case_id, state) WHERE queue_due > 0;
CREATE INDEX case_clock_open_receiving ON case_clock(receiving_org, handling_org, queue_due, case_id, state) WHERE queue_due > 0;
CREATE INDEX case_clock_open_item ON case_clock(item_id, handling_org, receiving_org, queue_due, case_id, state) WHERE queue_due > 0;
