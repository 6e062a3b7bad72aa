-- Issue 18: SQLite keeps times as integers of microseconds from here on (its 085); PostgreSQL's timestamptz
-- has always been 8 bytes of them. Nothing to do here.
SELECT 1;
