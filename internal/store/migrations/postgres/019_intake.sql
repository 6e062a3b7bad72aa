-- Intake from an ID number (issue 12): a returning applicant's open cases, and the township's most-used items.
CREATE INDEX cases_applicant_received ON cases(applicant_id, received_at);
CREATE INDEX cases_receiving_received ON cases(receiving_org, received_at);
