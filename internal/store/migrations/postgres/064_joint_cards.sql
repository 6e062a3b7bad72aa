-- The card a hand-over (转办, unanswered in its 2 working days) or a complaint (its answer late) stands at, as
-- the sweep turns it (service.SweepJointCards): '' (none or green), 'yellow' or 'red'. Stored, rather than
-- computed on each read, so that a turn is audited and told to the staff who answer once, and supervision
-- counts the cards standing without reading every document.
ALTER TABLE case_handovers ADD COLUMN card TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN card TEXT NOT NULL DEFAULT '';
CREATE INDEX case_handovers_state ON case_handovers(state, due_on);
