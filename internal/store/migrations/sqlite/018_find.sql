-- Find anything (issue 12): a case by the digits of its number without the township's prefix, an applicant
-- by the last digits of an ID number or a phone, or by the pinyin of a name; lists paged by keyset.
-- no_digits: the year and serial of the case number (its last ten characters, the prefix left off).
ALTER TABLE cases ADD COLUMN no_digits TEXT NOT NULL DEFAULT '';
UPDATE cases SET no_digits = substr(case_no, length(case_no) - 9);
CREATE INDEX cases_no_digits ON cases(no_digits);
CREATE INDEX cases_applicant ON cases(applicant_id, received_on);
CREATE INDEX cases_item_received ON cases(item_id, received_on, id);
-- the open cases of a whole banner or region (few beside the closed ones)
CREATE INDEX cases_state ON cases(state);
-- a department's open cases: its items' cases in an open state
CREATE INDEX cases_item_state ON cases(item_id, state);
-- recent first, by keyset (received_on, id), within a handling or a receiving organisation
CREATE INDEX cases_recent ON cases(received_on, id);
CREATE INDEX cases_handling_recent ON cases(handling_org, received_on, id);
CREATE INDEX cases_receiving_recent ON cases(receiving_org, received_on, id);
-- name_key: the full pinyin and the initials of the name ("zhangsan zs"), filled by the store (it needs the
-- pinyin table; rows from before are filled at the first start); id_tail, phone_tail: the last four.
ALTER TABLE applicants ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN id_tail TEXT NOT NULL DEFAULT '';
ALTER TABLE applicants ADD COLUMN phone_tail TEXT NOT NULL DEFAULT '';
UPDATE applicants SET id_tail = CASE WHEN length(id_number) >= 4 THEN substr(id_number, length(id_number) - 3) ELSE '' END,
  phone_tail = CASE WHEN length(phone) >= 4 THEN substr(phone, length(phone) - 3) ELSE '' END;
CREATE INDEX applicants_id_tail ON applicants(id_tail);
CREATE INDEX applicants_phone_tail ON applicants(phone_tail);
CREATE INDEX applicants_name ON applicants(name);
CREATE INDEX applicants_org_recent ON applicants(org_id, id);
