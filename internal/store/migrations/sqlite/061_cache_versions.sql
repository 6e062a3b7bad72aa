-- Several instances on one database (issue 18): a version per cache that instances must agree on, raised in
-- the transaction that changes what the cache holds. Every instance polls the table (one small read) and drops
-- its copy when a version moved, so that a change made on one instance shows on the others within the poll.
-- The catalog's search index has its own version already (catalog_meta.generation).
CREATE TABLE cache_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO cache_versions (name, version) VALUES ('orgs', 0), ('sessions', 0), ('calendar', 0), ('translations', 0);
