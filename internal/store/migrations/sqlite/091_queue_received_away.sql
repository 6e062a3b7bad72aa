-- The queue's receiving arm at a township's scope or above (issue 18): of the open cases received by one
-- organisation and handled by another, most were received by a village's station and are handled by that
-- village's township, which such a scope always holds, so that the arm read every one of them to find none
-- (29,021 rows for a banner's queue at ten million cases). This index holds only the cases handled by
-- neither the receiver nor its township (通办 elsewhere, a banner department, another banner); a scope below a
-- township (a station's, a village's) still reads case_clock_open_receiving, where its own cases handled by its
-- township are.
CREATE INDEX case_clock_open_received_away ON case_clock(receiving_org, state, queue_due, case_id, handling_org)
  WHERE queue_due > 0 AND handling_org <> receiving_org AND handling_org <> receiving_township;
