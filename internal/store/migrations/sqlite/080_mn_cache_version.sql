-- The Mongolian of catalog texts and the glossary are read from memory on every page; a reviewer's change on
-- one instance raises this version, so that the others read them again at their next poll (issue 18).
INSERT INTO cache_versions (name, version) VALUES ('mn', 0);
