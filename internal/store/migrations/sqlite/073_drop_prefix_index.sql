-- cases_received_on (received_on), migration 006's, is a prefix of cases_recent (received_on, id), migration
-- 018's: every query it served reads cases_recent as well, and it cost every case an index entry (issue 18,
-- what a case costs to keep).
DROP INDEX cases_received_on;
