package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/stations"
)

// Village stations (issue 13, items 5-7): standing authorisations (代理), 帮办 marks and home visits, and the
// lists between a station and its township. Each record is a document with the columns lists and checks
// read; edits carry a version (optimistic locking) and each change its audit entry.

// StandingSeries numbers the standing authorisations of a township's prefix and a year.
func StandingSeries(prefix string, year int) Series {
	return Series{Scope: fmt.Sprintf("standing/%s/%d", prefix, year), table: "standing_auths", col: "auth_no", Head: fmt.Sprintf("%s代理〔%d〕", prefix, year), Tail: "号"}
}

// VisitSeries numbers the home visits of a township's prefix and a year.
func VisitSeries(prefix string, year int) Series {
	return Series{Scope: fmt.Sprintf("visit/%s/%d", prefix, year), table: "home_visits", col: "visit_no", Head: fmt.Sprintf("%s上门〔%d〕", prefix, year), Tail: "号"}
}

// StationListSeries numbers the station lists of a township's prefix and a year.
func StationListSeries(prefix string, year int) Series {
	return Series{Scope: fmt.Sprintf("stationlist/%s/%d", prefix, year), table: "station_lists", col: "list_no", Head: fmt.Sprintf("%s村站〔%d〕", prefix, year), Tail: "号"}
}

// readDoc reads one JSON document.
func readDoc(row *sql.Row, what string, v any) error {
	var doc string
	if err := row.Scan(&doc); err != nil {
		return notFound(err, what)
	}
	return errs.Wrap(json.Unmarshal([]byte(doc), v), what+" doc")
}

// readDocs reads the JSON documents of a query into a list.
func readDocs[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// updated reports an optimistic update's outcome: a conflict when no row had the version read.
func updated(res sql.Result, err error) error {
	if err != nil {
		return errs.Wrap(err, "update")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	return nil
}

// CreateStanding numbers and stores a standing authorisation with its audit entry.
func (tx *Tx) CreateStanding(actor access.Actor, a *stations.Authorisation, prefix string, year int) error {
	_, no, err := tx.Take(StandingSeries(prefix, year))
	if err != nil {
		return err
	}
	a.ID, a.No, a.Created, a.CreatedBy, a.CreatedName, a.Version = ids.New(), no, tx.now, actor.ID, actor.Name, 1
	doc, _ := json.Marshal(a)
	if _, err := tx.exec(`INSERT INTO standing_auths (id, auth_no, applicant_id, station_org, valid_until, created_at, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.No, a.ApplicantID, a.Station, a.Until.Int(), a.Created, a.Version, string(doc)); err != nil {
		return errs.Wrap(err, "insert standing authorisation")
	}
	return tx.Audit(actor, "standing.create", "standing", a.ID, a.Station, nil, a)
}

// SaveStanding stores an edited authorisation (revocation) if nobody changed it since before was read.
func (tx *Tx) SaveStanding(actor access.Actor, before, after stations.Authorisation, action string) error {
	after.Version = before.Version + 1
	doc, _ := json.Marshal(after)
	if err := updated(tx.exec(`UPDATE standing_auths SET valid_until = ?, version = ?, doc = ? WHERE id = ? AND version = ?`,
		after.Until.Int(), after.Version, string(doc), before.ID, before.Version)); err != nil {
		return err
	}
	return tx.Audit(actor, action, "standing", before.ID, before.Station, before, after)
}

// Standing reads one standing authorisation.
func (db *DB) Standing(ctx context.Context, id string) (stations.Authorisation, error) {
	var a stations.Authorisation
	return a, readDoc(db.queryRow(ctx, `SELECT doc FROM standing_auths WHERE id = ?`, id), "standing", &a)
}

// Standings lists a station's standing authorisations (of one applicant, when applicantID is not ""),
// newest first, from before a creation time and id (keyset; zero: from the newest).
func (db *DB) Standings(ctx context.Context, stationID, applicantID string, before time.Time, beforeID string, limit int) ([]stations.Authorisation, error) {
	if before.IsZero() {
		before, beforeID = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), ""
	}
	return readDocs[stations.Authorisation](db.query(ctx, `SELECT doc FROM standing_auths WHERE station_org = ? AND (? = '' OR applicant_id = ?)
		AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?`,
		stationID, applicantID, applicantID, before, before, beforeID, limit))
}

// CasesUnderStanding lists the cases received under a standing authorisation, newest first: the applicant's
// cases whose document links to it.
func (db *DB) CasesUnderStanding(ctx context.Context, a stations.Authorisation, limit int) ([]cases.Case, error) {
	list, err := db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c WHERE applicant_id = ? AND receiving_org = ? ORDER BY received_at DESC LIMIT ?`,
		a.ApplicantID, a.Station, limit)
	var out []cases.Case
	for _, c := range list {
		if c.StandingID == a.ID {
			out = append(out, c)
		}
	}
	return out, err
}

// Needs reads an applicant's 帮办 mark; ok is false when there is none.
func (db *DB) Needs(ctx context.Context, applicantID string) (m stations.Mark, ok bool, err error) {
	err = readDoc(db.queryRow(ctx, `SELECT doc FROM applicant_needs WHERE applicant_id = ?`, applicantID), "needs", &m)
	if errs.CodeOf(err) == errs.NotFound {
		return m, false, nil
	}
	return m, err == nil, err
}

// SaveNeeds records an applicant's mark: a first one (before.Version 0) or a change of the one read.
func (tx *Tx) SaveNeeds(actor access.Actor, before, after stations.Mark, orgID string) error {
	after.Version = before.Version + 1
	doc, _ := json.Marshal(after)
	active := 0
	if after.Active() {
		active = 1
	}
	if before.Version == 0 {
		_, err := tx.exec(`INSERT INTO applicant_needs (applicant_id, active, version, doc) VALUES (?, ?, ?, ?)`, after.ApplicantID, active, after.Version, string(doc))
		if tx.d.isUnique(err) {
			return errs.New(errs.Conflict, "err.conflict")
		}
		if err != nil {
			return errs.Wrap(err, "insert needs")
		}
	} else if err := updated(tx.exec(`UPDATE applicant_needs SET active = ?, version = ?, doc = ? WHERE applicant_id = ? AND version = ?`,
		active, after.Version, string(doc), after.ApplicantID, before.Version)); err != nil {
		return err
	}
	var was any
	if before.Version > 0 {
		was = before
	}
	return tx.Audit(actor, "needs.save", "applicant", after.ApplicantID, orgID, was, after)
}

// CreateVisit numbers and stores a home visit's request.
func (tx *Tx) CreateVisit(actor access.Actor, v *stations.Visit, prefix string, year int) error {
	_, no, err := tx.Take(VisitSeries(prefix, year))
	if err != nil {
		return err
	}
	v.ID, v.No, v.Requested, v.RequestedBy, v.State, v.Version = ids.New(), no, tx.now, actor.ID, stations.VisitRequested, 1
	doc, _ := json.Marshal(v)
	if _, err := tx.exec(`INSERT INTO home_visits (id, visit_no, org_id, applicant_id, state, requested_at, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.No, v.Org, v.ApplicantID, v.State, v.Requested, v.Version, string(doc)); err != nil {
		return errs.Wrap(err, "insert visit")
	}
	return tx.Audit(actor, "visit.request", "visit", v.ID, v.Org, nil, v)
}

// SaveVisit stores a visit after a move if nobody moved it since before was read.
func (tx *Tx) SaveVisit(actor access.Actor, before, after stations.Visit, move stations.VisitMove) error {
	after.Version = before.Version + 1
	doc, _ := json.Marshal(after)
	var done any
	if !after.Done.IsZero() {
		done = after.Done
	}
	if err := updated(tx.exec(`UPDATE home_visits SET state = ?, done_at = ?, version = ?, doc = ? WHERE id = ? AND version = ?`,
		after.State, done, after.Version, string(doc), before.ID, before.Version)); err != nil {
		return err
	}
	return tx.Audit(actor, "visit."+string(move), "visit", before.ID, before.Org, before, after)
}

// Visit reads one home visit.
func (db *DB) Visit(ctx context.Context, id string) (stations.Visit, error) {
	var v stations.Visit
	return v, readDoc(db.queryRow(ctx, `SELECT doc FROM home_visits WHERE id = ?`, id), "visit", &v)
}

// Visits lists the home visits of the organisations of a subtree, newest request first, in one state (""
// for all), from before a request time and id (keyset; zero: from the newest).
func (db *DB) Visits(ctx context.Context, rootPath, state string, before time.Time, beforeID string, limit int) ([]stations.Visit, error) {
	lo, hi := subtreeRange(rootPath)
	if before.IsZero() {
		before, beforeID = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), ""
	}
	return readDocs[stations.Visit](db.query(ctx, `SELECT v.doc FROM home_visits v JOIN orgs o ON o.id = v.org_id
		WHERE o.path >= ? AND o.path < ? AND (? = '' OR v.state = ?) AND (v.requested_at < ? OR (v.requested_at = ? AND v.id < ?))
		ORDER BY v.requested_at DESC, v.id DESC LIMIT ?`, lo, hi, state, state, before, before, beforeID, limit))
}

// AssistanceCounts counts, for the organisations of a subtree and a time range [from, to): the cases received
// for applicants marked as needing help (by the handling organisation), and the home visits requested and
// carried out (by the organisation that goes).
func (db *DB) AssistanceCounts(ctx context.Context, rootPath string, from, to time.Time) (assisted, requested, done int, err error) {
	lo, hi := subtreeRange(rootPath)
	// the marked applicants are few: their cases are found by the applicant index, then the flag in the
	// document says whether the mark stood when the case was received
	err = db.queryRow(ctx, `SELECT count(*) FROM cases c JOIN orgs o ON o.id = c.handling_org
		WHERE c.applicant_id IN (SELECT applicant_id FROM applicant_needs) AND c.received_at >= ? AND c.received_at < ?
		AND o.path >= ? AND o.path < ? AND c.doc LIKE '%"helped":true%'`, from, to, lo, hi).Scan(&assisted)
	if err != nil {
		return
	}
	if err = db.queryRow(ctx, `SELECT count(*) FROM home_visits v JOIN orgs o ON o.id = v.org_id
		WHERE v.requested_at >= ? AND v.requested_at < ? AND o.path >= ? AND o.path < ?`, from, to, lo, hi).Scan(&requested); err != nil {
		return
	}
	err = db.queryRow(ctx, `SELECT count(*) FROM home_visits v JOIN orgs o ON o.id = v.org_id
		WHERE v.done_at >= ? AND v.done_at < ? AND o.path >= ? AND o.path < ?`, from, to, lo, hi).Scan(&done)
	return
}

// StationList is a list between a station and its township.
type StationList struct {
	ID, No         string
	Kind           stations.ListKind
	Station        string // the village
	Township       string
	Sent           time.Time
	SentBy         string
	SentByName     string
	Received       time.Time // zero until received
	ReceivedBy     string
	ReceivedByName string
	Cases          []StationListCase
}

// StationListCase is one case on a list as it was listed, and (results) its handover.
type StationListCase struct {
	CaseID     string             `json:"case_id"`
	No         string             `json:"no"`
	ItemName   string             `json:"item_name"`
	ItemNameMn string             `json:"item_name_mn,omitempty"`
	Applicant  string             `json:"applicant,omitempty"` // masked name, for the agent who hands over
	Papers     []string           `json:"papers,omitempty"`
	Handover   *stations.Handover `json:"-"`
}

// To is the organisation the list goes to: the station for results, the township for originals.
func (l StationList) To() string {
	if l.Kind == stations.Results {
		return l.Station
	}
	return l.Township
}

// From is the organisation that sent the list.
func (l StationList) From() string {
	if l.Kind == stations.Results {
		return l.Township
	}
	return l.Station
}

// Papers counts the papers on the list.
func (l StationList) Papers() int {
	n := 0
	for _, c := range l.Cases {
		n += max(1, len(c.Papers))
	}
	return n
}

// pendingStation selects the cases on no list of a kind: a station's own cases (originals: received there,
// still open) or the results issued by a township to its stations.
const pendingStationOriginals = `SELECT ` + caseCols + ` FROM cases c WHERE c.receiving_org = ?
	AND c.state NOT IN ('refused', 'terminated', 'revoked', 'delivered')
	AND NOT EXISTS (SELECT 1 FROM station_list_cases l WHERE l.case_id = c.id AND l.kind = 'originals') ORDER BY c.case_no`

const pendingStationResults = `SELECT ` + caseCols + ` FROM cases c JOIN orgs r ON r.id = c.receiving_org
	WHERE c.handling_org = ? AND r.kind = 'village' AND c.state = 'issued'
	AND NOT EXISTS (SELECT 1 FROM station_list_cases l WHERE l.case_id = c.id AND l.kind = 'results') ORDER BY c.receiving_org, c.case_no`

// PendingStation lists what waits to travel: a station's originals (orgID the village) or a township's
// results for its stations (orgID the township). The caller keeps the cases that travel (cases a station
// concludes itself keep their papers; results go back only when issued via the station).
func (db *DB) PendingStation(ctx context.Context, kind stations.ListKind, orgID string) ([]cases.Case, error) {
	if kind == stations.Results {
		return db.queryCases(ctx, pendingStationResults, orgID)
	}
	return db.queryCases(ctx, pendingStationOriginals, orgID)
}

// PendingStation is the same list inside a transaction, so that what is sent is what is still pending.
func (tx *Tx) PendingStation(kind stations.ListKind, orgID string) ([]cases.Case, error) {
	if kind == stations.Results {
		return tx.queryCases(pendingStationResults, orgID)
	}
	return tx.queryCases(pendingStationOriginals, orgID)
}

// CreateStationList numbers and stores a list with its cases and its audit entry; a case already on a list
// of the kind makes it fail with a conflict.
func (tx *Tx) CreateStationList(actor access.Actor, l *StationList, prefix string, year int) error {
	_, no, err := tx.Take(StationListSeries(prefix, year))
	if err != nil {
		return err
	}
	l.ID, l.No, l.Sent, l.SentBy, l.SentByName = ids.New(), no, tx.now, actor.ID, actor.Name
	if _, err := tx.exec(`INSERT INTO station_lists (id, list_no, kind, station_org, township_org, sent_at, sent_by, sent_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.No, l.Kind, l.Station, l.Township, l.Sent, l.SentBy, l.SentByName); err != nil {
		return errs.Wrap(err, "insert station list")
	}
	for _, c := range l.Cases {
		doc, _ := json.Marshal(c)
		_, err := tx.exec(`INSERT INTO station_list_cases (case_id, kind, list_id, doc) VALUES (?, ?, ?, ?)`, c.CaseID, l.Kind, l.ID, string(doc))
		if tx.d.isUnique(err) {
			return errs.New(errs.Conflict, "err.conflict")
		}
		if err != nil {
			return errs.Wrap(err, "insert station list case")
		}
	}
	return tx.Audit(actor, "stationlist.send", "stationlist", l.ID, l.From(), nil, l)
}

// ReceiveStationList marks a list received, once: false, and nothing written, when it already was.
func (tx *Tx) ReceiveStationList(actor access.Actor, before StationList) (StationList, bool, error) {
	after := before
	after.Received, after.ReceivedBy, after.ReceivedByName = tx.now, actor.ID, actor.Name
	if ok, err := tx.markReceived("station_lists", before.ID, actor); !ok || err != nil {
		return before, false, err
	}
	return after, true, tx.Audit(actor, "stationlist.receive", "stationlist", before.ID, before.To(), before, after)
}

// RecordHandover records who signed for a result at the station, once: false when it already was.
func (tx *Tx) RecordHandover(actor access.Actor, h stations.Handover, orgID string) (bool, error) {
	doc, _ := json.Marshal(h)
	res, err := tx.exec(`UPDATE station_list_cases SET handover = ? WHERE case_id = ? AND kind = 'results' AND handover = ''`, string(doc), h.CaseID)
	if err != nil {
		return false, errs.Wrap(err, "handover")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	return true, tx.Audit(actor, "stationlist.handover", "case", h.CaseID, orgID, nil, h)
}

const stationListCols = `id, list_no, kind, station_org, township_org, sent_at, sent_by, sent_by_name, received_at, received_by, received_by_name`

func scanStationList(row interface{ Scan(...any) error }) (StationList, error) {
	var l StationList
	var rec sql.NullTime
	err := row.Scan(&l.ID, &l.No, &l.Kind, &l.Station, &l.Township, &l.Sent, &l.SentBy, &l.SentByName, &rec, &l.ReceivedBy, &l.ReceivedByName)
	if rec.Valid {
		l.Received = rec.Time
	}
	return l, err
}

// stationListCases reads the cases of lists into them.
func (db *DB) stationListCases(ctx context.Context, lists []StationList) error {
	if len(lists) == 0 {
		return nil
	}
	at := map[string]int{}
	marks := make([]string, len(lists))
	args := make([]any, len(lists))
	for i, l := range lists {
		at[l.ID], marks[i], args[i] = i, "?", l.ID
	}
	rows, err := db.query(ctx, `SELECT list_id, doc, handover FROM station_list_cases WHERE list_id IN (`+strings.Join(marks, ", ")+`) ORDER BY list_id, case_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, doc, handover string
		var c StationListCase
		if err := rows.Scan(&id, &doc, &handover); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return err
		}
		if handover != "" {
			c.Handover = &stations.Handover{}
			if err := json.Unmarshal([]byte(handover), c.Handover); err != nil {
				return err
			}
		}
		lists[at[id]].Cases = append(lists[at[id]].Cases, c)
	}
	return rows.Err()
}

// StationList reads one list with its cases.
func (db *DB) StationList(ctx context.Context, id string) (StationList, error) {
	l, err := scanStationList(db.queryRow(ctx, `SELECT `+stationListCols+` FROM station_lists WHERE id = ?`, id))
	if err != nil {
		return l, notFound(err, "stationlist")
	}
	lists := []StationList{l}
	err = db.stationListCases(ctx, lists)
	return lists[0], err
}

// StationLists lists the latest lists of a station or a township (by the column: station_org or
// township_org), newest first, with their cases.
func (db *DB) StationLists(ctx context.Context, byTownship bool, orgID string, limit int) ([]StationList, error) {
	col := "station_org"
	if byTownship {
		col = "township_org"
	}
	rows, err := db.query(ctx, `SELECT `+stationListCols+` FROM station_lists WHERE `+col+` = ? ORDER BY sent_at DESC, list_no DESC LIMIT ?`, orgID, limit)
	out, err := collect(rows, err, scanStationList)
	if err != nil {
		return nil, err
	}
	return out, db.stationListCases(ctx, out)
}

// HandoverOf reads the handover recorded for a case's result, nil when there is none.
func (db *DB) HandoverOf(ctx context.Context, caseID string) (*stations.Handover, error) {
	var doc string
	err := db.queryRow(ctx, `SELECT handover FROM station_list_cases WHERE case_id = ? AND kind = 'results'`, caseID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && doc == "") {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "handover of case")
	}
	var h stations.Handover
	return &h, errs.Wrap(json.Unmarshal([]byte(doc), &h), "handover doc")
}

// AssistedOpen lists the open cases received in a subtree for applicants marked as needing help (帮办),
// oldest first: they come first at the desk.
func (db *DB) AssistedOpen(ctx context.Context, rootPath string, limit int) ([]cases.Case, error) {
	lo, hi := subtreeRange(rootPath)
	return db.queryCases(ctx, `SELECT `+caseCols+` FROM cases c JOIN orgs r ON r.id = c.receiving_org
		WHERE c.applicant_id IN (SELECT applicant_id FROM applicant_needs WHERE active = 1)
		AND c.state NOT IN ('delivered', 'refused', 'terminated', 'revoked') AND r.path >= ? AND r.path < ?
		AND c.doc LIKE '%"helped":true%' ORDER BY c.received_at LIMIT ?`, lo, hi, limit)
}
