-- A large scope's queue read as short ordered reads, one per organisation (or the department) and state, each
-- stopping at the page's end (issue 18): with the state second, an organisation's open cases of one state
-- come in due order from the index alone, so that a state the actor acts on that is rare in the scope costs the
-- handling and department arms a page, not a walk of every open case of the region in due order (260-720 ms
-- over 230,000 open cases at ten million). The receiving arm holds only the cases received by one organisation
-- and handled by another (the others are the handling arm's); it still reads those of its scope that are
-- handled inside the scope (a station's, by its township) to find the few handled outside (BENCHMARKS.md).
DROP INDEX case_clock_open_handling;
DROP INDEX case_clock_open_receiving;
DROP INDEX case_clock_open_department;
CREATE INDEX case_clock_open_handling ON case_clock(handling_org, state, queue_due, case_id) WHERE queue_due > 0;
CREATE INDEX case_clock_open_receiving ON case_clock(receiving_org, state, queue_due, case_id, handling_org) WHERE queue_due > 0 AND handling_org <> receiving_org;
CREATE INDEX case_clock_open_department ON case_clock(department, state, queue_due, case_id, handling_org, receiving_org) WHERE queue_due > 0;
