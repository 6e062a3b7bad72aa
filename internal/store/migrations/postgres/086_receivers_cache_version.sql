-- The outbox's active receivers are read from memory by every move; a change on one instance raises this
-- version, so that the others read them again at their next poll (issue 18).
INSERT INTO cache_versions (name, version) VALUES ('receivers', 0);
