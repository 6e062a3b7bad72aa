-- Who has standing 回避 declarations is read from memory by every move; a declaration on one instance raises
-- this version, so that the others read it again at their next poll (issue 18).
INSERT INTO cache_versions (name, version) VALUES ('recusals', 0);
