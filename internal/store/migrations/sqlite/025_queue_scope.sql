-- The queue's count for a township (issue 12): the open cases handled or received in a subtree, found from
-- each organisation's own open rows instead of every open case of the banner (PostgreSQL chose a parallel
-- scan of the whole clock table: 215 ms at a million cases; with these, 5 ms).
CREATE INDEX case_clock_open_handling ON case_clock(handling_org, queue_due) WHERE queue_due > 0;
CREATE INDEX case_clock_open_receiving ON case_clock(receiving_org, queue_due) WHERE queue_due > 0;
