-- The indexes a bulk load (bianmin gen into PostgreSQL) set aside while it writes, by name with their
-- definitions, so that a load stopped at any moment has them made again at the next start (Migrate).
CREATE TABLE bulk_indexes (
  name TEXT PRIMARY KEY,
  def TEXT NOT NULL
);
