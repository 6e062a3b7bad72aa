-- Whether a township splits its back office by domain is read from memory by every back-office move; a
-- change on one instance raises this version, so that the others read it again at their next poll (issue 18).
INSERT INTO cache_versions (name, version) VALUES ('splits', 0);
