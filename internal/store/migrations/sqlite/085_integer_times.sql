-- Issue 18: SQLite keeps times as integers of microseconds (store/sqlitetimes.go); the times kept as text
-- before are turned into integers by integerTimes, run in this migration's transaction.
SELECT 1;
