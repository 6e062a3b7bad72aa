-- An organisation's credit code found by its last digits from an index (issue 18): the applicant search by
-- digits held "credit_code LIKE '%1234'" beside the ID number's and the phone's tails, which no index serves,
-- so that every search by a phone's last four read all the scope's applicants (1.25 million at ten million
-- cases). An organisation has no ID number: its id_tail holds the last four of its credit code instead.
UPDATE applicants SET id_tail = substr(credit_code, length(credit_code) - 3) WHERE id_number = '' AND length(credit_code) >= 4;
