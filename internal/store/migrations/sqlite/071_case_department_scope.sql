-- A department's cases are those it works (issue 19, 转办 between departments): the cases of its items, and
-- those a 转办 gave it. cases.department and case_clock.department say which (the item's department at intake,
-- another after an accepted hand-over to a department), so a department's queue and search read that column
-- instead of its items' list: the open rows of a department from an index that holds what the queue reads
-- (as migration 033's for items), and its cases by day and by state (as migration 018's for items).
-- Cases stored with no department (none is expected: intake and the first sweep fill it) take their item's.
UPDATE cases SET department = coalesce((SELECT i.department_id FROM items i WHERE i.id = cases.item_id), '') WHERE department = '';
UPDATE case_clock SET department = coalesce((SELECT c.department FROM cases c WHERE c.id = case_clock.case_id), '') WHERE department = '';
CREATE INDEX case_clock_open_department ON case_clock(department, handling_org, receiving_org, queue_due, case_id, state) WHERE queue_due > 0;
CREATE INDEX cases_department_received ON cases(department, received_on, id);
CREATE INDEX cases_department_state ON cases(department, state);
-- The department's queue arm read its items' open rows (migration 033's case_clock_open_item); it reads its
-- own now, and the index would only cost every move of every case a write.
DROP INDEX case_clock_open_item;
