-- Issue 18, what a case costs to keep: a case's timeline moves into its row (cases.events, store/timeline.go).
-- A move rewrites the case's row anyway; a row of case_events of its own cost a row header, its key and an
-- entry of its primary key for each event (about 1.0 KB of a six-move lifecycle). The events moved here are
-- kept as plain JSON (UTF-8 bytes), readable as they are; the ones written from now on are packed (packed.go).
-- The UPDATE rewrites every case once: on a database of millions of cases, run it in a quiet hour.
ALTER TABLE cases ADD COLUMN events bytea;
UPDATE cases c SET events = convert_to((SELECT json_agg(json_build_object('seq', e.seq, 'at', e.at, 'action', e.action, 'from', e.from_state,
    'to', e.to_state, 'step', e.step, 'desk', e.desk, 'org', e.org_id, 'note', e.note) ORDER BY e.seq)::text
  FROM case_events e WHERE e.case_id = c.id), 'UTF8')
  WHERE EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id);
DROP TABLE case_events;
