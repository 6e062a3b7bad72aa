package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/complaint"
	"bianmin/internal/errs"
)

// Complainant is who complained, kept apart from the complaint (complaint_persons): read only by the messages
// Bianmin sends itself, never shown to staff.
type Complainant struct {
	Name    string
	Phone   string
	Account string // the resident account that filed it online
}

// Empty reports a complainant who left no way to be reached.
func (p Complainant) Empty() bool { return p.Name == "" && p.Phone == "" && p.Account == "" }

// ComplainantActor is who the audit trail names for what a complainant did: the channel, never the person.
func ComplainantActor(ch complaint.Channel) access.Actor {
	return access.Actor{ID: "complainant", Name: "complainant:" + string(ch)}
}

// complaintSearch is the text a complaint's search box matches: what it is about, its body and its answer.
func complaintSearch(c complaint.Complaint) string {
	return strings.ToLower(strings.Join([]string{c.CaseNo, c.StaffName, c.WindowName, c.ItemName, c.ItemNameMn, c.ResponsibleName, c.Body, c.Answer}, "\n"))
}

// CreateComplaint stores a complaint, its complainant apart, and its audit entry (without the complainant).
// responsiblePath and receivedPath are the organisations' paths, for scope; receivedOn the day (yyyymmdd).
func (tx *Tx) CreateComplaint(actor access.Actor, c complaint.Complaint, who Complainant, responsiblePath, receivedPath string, receivedOn int) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO complaints (id, responsible_id, responsible_path, received_path, state, received_at, received_on, due_on, answered_on, search, version, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Responsible, responsiblePath, receivedPath, string(c.State), c.At, receivedOn,
		c.DueOn.Int(), c.AnsweredOn.Int(), complaintSearch(c), c.Version, string(doc)); err != nil {
		return errs.Wrap(err, "insert complaint")
	}
	if !who.Empty() {
		if _, err := tx.exec(`INSERT INTO complaint_persons (complaint_id, name, phone, account) VALUES (?, ?, ?, ?)`, c.ID, who.Name, who.Phone, who.Account); err != nil {
			return errs.Wrap(err, "insert complainant")
		}
	}
	return tx.Audit(actor, "complaint.create", "complaint", c.ID, c.Responsible, nil, c)
}

// SaveComplaint stores a changed complaint if it still has the version it was read at, with its audit entry.
func (tx *Tx) SaveComplaint(actor access.Actor, action string, before, after complaint.Complaint) error {
	doc, err := json.Marshal(after)
	if err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE complaints SET state = ?, due_on = ?, answered_on = ?, search = ?, version = ?, doc = ?, card = coalesce(?, card) WHERE id = ? AND version = ?`,
		string(after.State), after.DueOn.Int(), after.AnsweredOn.Int(), complaintSearch(after), after.Version, string(doc), lateCard(after.Late()), before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "save complaint")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	return tx.Audit(actor, action, "complaint", after.ID, after.Responsible, before, after)
}

func scanComplaint(row interface{ Scan(...any) error }) (complaint.Complaint, error) {
	var doc string
	var c complaint.Complaint
	if err := row.Scan(&doc); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(doc), &c)
}

func collectComplaints(rows *sql.Rows, err error) ([]complaint.Complaint, error) {
	return collect(rows, errs.Wrap(err, "complaints"), scanComplaint)
}

// Complaint reads one complaint (never its complainant).
func (db *DB) Complaint(ctx context.Context, id string) (complaint.Complaint, error) {
	c, err := scanComplaint(db.queryRow(ctx, `SELECT doc FROM complaints WHERE id = ?`, id))
	return c, notFound(err, "complaint")
}

// ComplaintPaths reads the paths a complaint's scope is decided on: the responsible body's and the receiving
// organisation's.
func (db *DB) ComplaintPaths(ctx context.Context, id string) (responsible, received string, err error) {
	err = db.queryRow(ctx, `SELECT responsible_path, received_path FROM complaints WHERE id = ?`, id).Scan(&responsible, &received)
	return responsible, received, notFound(err, "complaint")
}

// ComplainantOf reads who complained. Only the service's own messages call it; no page or API shows it.
func (db *DB) ComplainantOf(ctx context.Context, id string) (Complainant, error) {
	var p Complainant
	err := db.queryRow(ctx, `SELECT name, phone, account FROM complaint_persons WHERE complaint_id = ?`, id).Scan(&p.Name, &p.Phone, &p.Account)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	return p, err
}

// ComplaintsOfAccount lists what a resident account complained of, newest first.
func (db *DB) ComplaintsOfAccount(ctx context.Context, account string, limit int) ([]complaint.Complaint, error) {
	return collectComplaints(db.query(ctx, `SELECT c.doc FROM complaints c JOIN complaint_persons p ON p.complaint_id = c.id WHERE p.account = ? ORDER BY c.id DESC LIMIT ?`,
		account, limit))
}

// ComplaintQuery asks for one page of complaints that a subtree answers or received.
type ComplaintQuery struct {
	Path    string
	Q       string
	Open    bool // only those waiting for their answer
	Overdue int  // only those open and due before this day (yyyymmdd), 0: any
	From    int  // received on from (yyyymmdd), 0: any
	To      int
	After   string
	Limit   int
}

// ComplaintPage is one page of complaints, newest first.
type ComplaintPage struct {
	List []complaint.Complaint
	Next string
}

// SearchComplaints finds one page of complaints (keyset on the id, which grows with time).
func (db *DB) SearchComplaints(ctx context.Context, q ComplaintQuery) (ComplaintPage, error) {
	var page ComplaintPage
	lo, hi := subtreeRange(q.Path)
	where := ` FROM complaints c WHERE ((c.responsible_path >= ? AND c.responsible_path < ?) OR (c.received_path >= ? AND c.received_path < ?))`
	args := []any{lo, hi, lo, hi}
	if q.Q != "" {
		where += ` AND c.search LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(strings.ToLower(q.Q))+"%")
	}
	if q.Open {
		where += ` AND c.state = 'open'`
	}
	if q.Overdue > 0 {
		where += ` AND c.state = 'open' AND c.due_on < ?`
		args = append(args, q.Overdue)
	}
	if q.From > 0 {
		where += ` AND c.received_on >= ?`
		args = append(args, q.From)
	}
	if q.To > 0 {
		where += ` AND c.received_on <= ?`
		args = append(args, q.To)
	}
	if q.After != "" {
		cur, err := parseCursor(q.After, false)
		if err != nil {
			return page, err
		}
		where += ` AND c.id < ?`
		args = append(args, cur.ID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	list, err := collectComplaints(db.query(ctx, `SELECT c.doc`+where+` ORDER BY c.id DESC LIMIT ?`, append(args, limit+1)...))
	if err != nil {
		return page, errs.Wrap(err, "complaints")
	}
	if len(list) > limit {
		list = list[:limit]
		page.Next = cursor{ID: list[len(list)-1].ID}.String()
	}
	page.List = list
	return page, nil
}
