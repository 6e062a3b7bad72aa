-- The way between a village station and its township (issue 13, item 6): lists of paper originals the station
-- sends up, and of issued results the township sends back. Each is marked sent by one side and received by
-- the other; a case travels on one list of each kind; a result handed over records who signed for it.
CREATE TABLE station_lists (
  id TEXT PRIMARY KEY,
  list_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL, -- originals (station to township) or results (township to station)
  station_org TEXT NOT NULL REFERENCES orgs(id),
  township_org TEXT NOT NULL REFERENCES orgs(id),
  sent_at TIMESTAMP NOT NULL,
  sent_by TEXT NOT NULL,
  sent_by_name TEXT NOT NULL,
  received_at TIMESTAMP,
  received_by TEXT NOT NULL DEFAULT '',
  received_by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX station_lists_station ON station_lists(station_org, sent_at);
CREATE INDEX station_lists_township ON station_lists(township_org, sent_at);

CREATE TABLE station_list_cases (
  case_id TEXT NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  list_id TEXT NOT NULL REFERENCES station_lists(id),
  doc TEXT NOT NULL, -- the case as listed: number, item, the papers
  handover TEXT NOT NULL DEFAULT '', -- results: who signed for it at the station (JSON), '' until handed over
  PRIMARY KEY (case_id, kind)
);
CREATE INDEX station_list_cases_list ON station_list_cases(list_id);
