package store

import (
	"context"
	"encoding/json"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/enquiry"
	"bianmin/internal/errs"
)

// enquirySearch is the text an enquiry's search box matches: who asked, the item, the question and the answer.
func enquirySearch(e enquiry.Enquiry) string {
	return strings.ToLower(strings.Join([]string{e.AskerName, e.AskerPhone, e.ItemName, e.ItemNameMn, e.Question, e.Told, e.CaseNo, e.OwnerName}, "\n"))
}

// CreateEnquiry stores a new enquiry with its audit entry.
func (tx *Tx) CreateEnquiry(actor access.Actor, e enquiry.Enquiry) error {
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`INSERT INTO enquiries (id, org_id, township_id, owner_id, state, item_id, applicant_id, case_id, asked_at, search, version, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Org, e.Township, e.Owner, string(e.State), e.ItemID, e.ApplicantID, e.CaseID,
		e.Asked, enquirySearch(e), e.Version, string(doc)); err != nil {
		return errs.Wrap(err, "insert enquiry")
	}
	return tx.Audit(actor, "enquiry.create", "enquiry", e.ID, e.Org, nil, e)
}

// SaveEnquiry stores a changed enquiry if it still has the version it was read at (optimistic locking), with
// its audit entry.
func (tx *Tx) SaveEnquiry(actor access.Actor, action string, before, after enquiry.Enquiry) error {
	doc, err := json.Marshal(after)
	if err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE enquiries SET owner_id = ?, state = ?, case_id = ?, search = ?, version = ?, doc = ? WHERE id = ? AND version = ?`,
		after.Owner, string(after.State), after.CaseID, enquirySearch(after), after.Version, string(doc), before.ID, before.Version)
	if err != nil {
		return errs.Wrap(err, "save enquiry")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	return tx.Audit(actor, action, "enquiry", after.ID, after.Org, before, after)
}

func scanEnquiries(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, err error) ([]enquiry.Enquiry, error) {
	if err != nil {
		return nil, errs.Wrap(err, "enquiries")
	}
	defer rows.Close()
	var out []enquiry.Enquiry
	for rows.Next() {
		var doc string
		var e enquiry.Enquiry
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Enquiry reads one enquiry.
func (db *DB) Enquiry(ctx context.Context, id string) (enquiry.Enquiry, error) {
	var doc string
	var e enquiry.Enquiry
	if err := db.queryRow(ctx, `SELECT doc FROM enquiries WHERE id = ?`, id).Scan(&doc); err != nil {
		return e, notFound(err, "enquiry")
	}
	return e, json.Unmarshal([]byte(doc), &e)
}

// OpenEnquiriesOf lists a known applicant's open enquiries, newest first (the intake page shows them beside
// their open cases).
func (db *DB) OpenEnquiriesOf(ctx context.Context, applicantID string, limit int) ([]enquiry.Enquiry, error) {
	return scanEnquiries(db.query(ctx, `SELECT doc FROM enquiries WHERE applicant_id = ? AND state = 'open' ORDER BY id DESC LIMIT ?`, applicantID, limit))
}

// EnquiryQuery asks for one page of enquiries in a subtree.
type EnquiryQuery struct {
	Path  string // the subtree's root path
	Q     string // matched anywhere in the enquiry's text (lower-cased)
	Open  bool   // only open ones
	Owner string // only those a member of staff owns
	After string // the cursor of the page before
	Limit int
}

// EnquiryPage is one page of enquiries, newest first.
type EnquiryPage struct {
	List []enquiry.Enquiry
	Next string
}

// SearchEnquiries finds one page of enquiries (keyset on the id, which grows with time).
func (db *DB) SearchEnquiries(ctx context.Context, q EnquiryQuery) (EnquiryPage, error) {
	var page EnquiryPage
	lo, hi := subtreeRange(q.Path)
	where := ` FROM enquiries e JOIN orgs o ON o.id = e.org_id WHERE o.path >= ? AND o.path < ?`
	args := []any{lo, hi}
	if q.Q != "" {
		where += ` AND e.search LIKE ?`
		args = append(args, "%"+likeEscape(strings.ToLower(q.Q))+"%")
		where += ` ESCAPE '\'`
	}
	if q.Open {
		where += ` AND e.state = 'open'`
	}
	if q.Owner != "" {
		where += ` AND e.owner_id = ?`
		args = append(args, q.Owner)
	}
	if q.After != "" {
		cur, err := parseCursor(q.After, false)
		if err != nil {
			return page, err
		}
		where += ` AND e.id < ?`
		args = append(args, cur.ID)
	}
	list, err := scanEnquiries(db.query(ctx, `SELECT e.doc`+where+` ORDER BY e.id DESC LIMIT ?`, append(args, q.Limit+1)...))
	if err != nil {
		return page, err
	}
	if len(list) > q.Limit {
		list = list[:q.Limit]
		page.Next = cursor{ID: list[len(list)-1].ID}.String()
	}
	page.List = list
	return page, nil
}

// likeEscape escapes LIKE's wildcards in a typed text.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
