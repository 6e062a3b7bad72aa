-- Each item's delegations are read from memory by every intake; a change on one instance raises this
-- version, so that the others read them again at their next poll (issue 18).
INSERT INTO cache_versions (name, version) VALUES ('delegations', 0);
