-- Issue 18, what a case costs to keep: a case's timeline moves into its row (cases.events, store/timeline.go).
-- A move rewrites the case's row anyway; a row of case_events of its own cost its key, its row and its place
-- in the table's b-tree for each event (about 0.75 KB of a six-move lifecycle). The events moved here are kept
-- as plain JSON, readable as they are; the ones written from now on are packed (packed.go). Their times keep
-- the text the driver wrote (store.eventTimeLayouts reads it).
ALTER TABLE cases ADD COLUMN events BLOB;
UPDATE cases SET events = (SELECT json_group_array(json_object('seq', e.seq, 'at', e.at, 'action', e.action, 'from', e.from_state,
    'to', e.to_state, 'step', e.step, 'desk', e.desk, 'org', e.org_id, 'note', e.note))
  FROM (SELECT * FROM case_events WHERE case_id = cases.id ORDER BY seq) e)
  WHERE EXISTS (SELECT 1 FROM case_events WHERE case_id = cases.id);
DROP TABLE case_events;
