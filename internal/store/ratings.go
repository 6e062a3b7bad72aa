package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/rating"
)

// ratingCols are a rating's columns in the order scanRating reads them. Who rated is not among them.
const ratingCols = `r.id, r.case_id, r.enquiry_id, r.ticket_id, r.case_no, r.channel, r.level, r.indicators, r.body, r.rated_at,
	r.division, r.township_id, r.window_id, r.staff_id, r.staff_name, r.item_id, r.department_id, r.item_name, r.item_name_mn, r.served, r.entered_by, r.named, r.excluded`

func scanRating(row interface{ Scan(...any) error }) (rating.Rating, error) {
	var r rating.Rating
	var caseID, enqID, ticketID sql.NullString
	var ind string
	var named, excluded int
	err := row.Scan(&r.ID, &caseID, &enqID, &ticketID, &r.CaseNo, &r.Channel, &r.Level, &ind, &r.Text, &r.RatedAt,
		&r.Division, &r.Township, &r.Window, &r.Staff, &r.StaffName, &r.Item, &r.Department, &r.ItemName, &r.ItemNameMn, &r.Served, &r.EnteredBy, &named, &excluded)
	if err != nil {
		return r, err
	}
	r.CaseID, r.EnquiryID, r.TicketID = caseID.String, enqID.String, ticketID.String
	r.Named, r.Excluded, r.Times = named == 1, excluded == 1, 1
	if ind != "" && ind != "{}" {
		if err := json.Unmarshal([]byte(ind), &r.Indicators); err != nil {
			return r, err
		}
	}
	return r, nil
}

// RaterActor is who the audit trail names for a rating made by its rater: the channel, never the person
// (国办发〔2019〕51号: 评价人信息保护).
func RaterActor(c rating.Channel) access.Actor {
	return access.Actor{ID: "rater", Name: "rater:" + string(c)}
}

// CreateRating stores a rating, its rater apart when they can be reached, and its audit entry (without the
// rater). A second rating of the same subject on the same channel is refused with a conflict (GB/T 39734-2020
// 7.1 评价次数规则).
func (tx *Tx) CreateRating(actor access.Actor, r rating.Rating, who rating.Rater, day clock.Date, dept string) error {
	if r.Department == "" {
		r.Department = dept
	}
	ind := "{}"
	if len(r.Indicators) > 0 {
		b, _ := json.Marshal(r.Indicators)
		ind = string(b)
	}
	_, err := tx.exec(`INSERT INTO ratings (id, case_id, enquiry_id, ticket_id, case_no, channel, level, indicators, body, rated_at, rated_on,
		division, township_id, window_id, staff_id, staff_name, item_id, item_name, department_id, item_name_mn, served, entered_by, named)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, nullable(r.CaseID), nullable(r.EnquiryID), nullable(r.TicketID), r.CaseNo, string(r.Channel), int(r.Level), ind, r.Text,
		r.RatedAt, day.Int(), r.Division, r.Township, r.Window, r.Staff, r.StaffName, r.Item, r.ItemName, r.Department, r.ItemNameMn, r.Served,
		r.EnteredBy, b2i(r.Named))
	if tx.d.isUnique(err) {
		return errs.New(errs.Conflict, "err.rating.once")
	}
	if err != nil {
		return errs.Wrap(err, "insert rating")
	}
	if err := tx.tally(r, day.Int(), rating.Contribution(r, nil)); err != nil {
		return err
	}
	if !who.Empty() {
		if _, err := tx.exec(`INSERT INTO rating_raters (rating_id, name, phone, account) VALUES (?, ?, ?, ?)`, r.ID, who.Name, who.Phone, who.Account); err != nil {
			return errs.Wrap(err, "insert rater")
		}
	}
	return tx.Audit(actor, "rating.create", "rating", r.ID, r.Township, nil, r)
}

// Rating reads one rating (never its rater).
func (db *DB) Rating(ctx context.Context, id string) (rating.Rating, error) {
	r, err := scanRating(db.queryRow(ctx, `SELECT `+ratingCols+` FROM ratings r WHERE r.id = ?`, id))
	return r, notFound(err, "rating")
}

// RatingsOfCase lists a case's ratings, one per channel at most.
func (db *DB) RatingsOfCase(ctx context.Context, caseID string) ([]rating.Rating, error) {
	return collectRatings(db.query(ctx, `SELECT `+ratingCols+` FROM ratings r WHERE r.case_id = ? ORDER BY r.rated_at`, caseID))
}

func collectRatings(rows *sql.Rows, err error) ([]rating.Rating, error) {
	return collect(rows, errs.Wrap(err, "ratings"), scanRating)
}

// RaterOf reads who rated. Only the service's own messages (核实, 回访) call it; no page or API shows it.
func (db *DB) RaterOf(ctx context.Context, ratingID string) (rating.Rater, error) {
	var w rating.Rater
	err := db.queryRow(ctx, `SELECT name, phone, account FROM rating_raters WHERE rating_id = ?`, ratingID).Scan(&w.Name, &w.Phone, &w.Account)
	if errors.Is(err, sql.ErrNoRows) {
		return w, nil
	}
	return w, err
}

// RatingQuery asks for one page of ratings in a subtree.
type RatingQuery struct {
	Path    string
	Bad     bool   // only 差评
	Channel string // one channel
	From    int    // rated_on from (yyyymmdd), 0: any
	To      int
	After   string
	Limit   int
}

// RatingPage is one page of ratings, newest first.
type RatingPage struct {
	List []rating.Rating
	Next string
}

// SearchRatings finds one page of ratings in a subtree (keyset on the id, which grows with time).
func (db *DB) SearchRatings(ctx context.Context, q RatingQuery) (RatingPage, error) {
	var page RatingPage
	lo, hi := subtreeRange(q.Path)
	where := ` FROM ratings r JOIN orgs o ON o.id = r.township_id WHERE o.path >= ? AND o.path < ?`
	args := []any{lo, hi}
	if q.Bad {
		where += ` AND r.level >= 4`
	}
	if q.Channel != "" {
		where += ` AND r.channel = ?`
		args = append(args, q.Channel)
	}
	if q.From > 0 {
		where += ` AND r.rated_on >= ?`
		args = append(args, q.From)
	}
	if q.To > 0 {
		where += ` AND r.rated_on <= ?`
		args = append(args, q.To)
	}
	if q.After != "" {
		cur, err := parseCursor(q.After, false)
		if err != nil {
			return page, err
		}
		where += ` AND r.id < ?`
		args = append(args, cur.ID)
	}
	list, err := collectRatings(db.query(ctx, `SELECT `+ratingCols+where+` ORDER BY r.id DESC LIMIT ?`, append(args, q.Limit+1)...))
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

// --- rectifications

func rectCols(x rating.Rectification) []any {
	verdict := x.Verdict
	return []any{string(x.Step), x.DueOn.Int(), x.YellowFrom.Int(), b2i(x.Done()), b2i(verdict != ""), b2i(verdict.Satisfied())}
}

// CreateRectification opens the rectification of a 差评, in the rating's transaction.
func (tx *Tx) CreateRectification(actor access.Actor, x rating.Rectification) error {
	doc, _ := json.Marshal(x)
	args := append([]any{x.ID, x.RatingID, x.Township}, rectCols(x)...)
	args = append(args, x.Opened, x.Version, string(doc))
	if _, err := tx.exec(`INSERT INTO rectifications (id, rating_id, township_id, step, due_on, yellow_from, done, revisited, satisfied, opened_at, version, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
		return errs.Wrap(err, "insert rectification")
	}
	return tx.Audit(actor, "rectification.open", "rectification", x.ID, x.Township, nil, x)
}

// SaveRectification stores a step if the rectification still has the version it was read at.
func (tx *Tx) SaveRectification(actor access.Actor, action string, before, after rating.Rectification) error {
	doc, _ := json.Marshal(after)
	args := append(rectCols(after), after.Version, string(doc), before.ID, before.Version)
	res, err := tx.exec(`UPDATE rectifications SET step = ?, due_on = ?, yellow_from = ?, done = ?, revisited = ?, satisfied = ?, version = ?, doc = ?
		WHERE id = ? AND version = ?`, args...)
	if err != nil {
		return errs.Wrap(err, "save rectification")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.conflict")
	}
	r, day, err := tx.ratingOn(after.RatingID)
	if err != nil {
		return err
	}
	if err := tx.tally(r, day, rating.Contribution(r, &after).Sub(rating.Contribution(r, &before))); err != nil {
		return err
	}
	return tx.Audit(actor, action, "rectification", after.ID, after.Township, before, after)
}

func (db *DB) rectification(ctx context.Context, col, v string) (rating.Rectification, error) {
	var doc string
	var x rating.Rectification
	if err := db.queryRow(ctx, `SELECT doc FROM rectifications WHERE `+col+` = ?`, v).Scan(&doc); err != nil {
		return x, notFound(err, "rectification")
	}
	return x, json.Unmarshal([]byte(doc), &x)
}

// Rectification reads one rectification.
func (db *DB) Rectification(ctx context.Context, id string) (rating.Rectification, error) {
	return db.rectification(ctx, "id", id)
}

// RectificationOf reads a rating's rectification.
func (db *DB) RectificationOf(ctx context.Context, ratingID string) (rating.Rectification, error) {
	return db.rectification(ctx, "rating_id", ratingID)
}

// OpenRectifications lists the rectifications of a subtree not closed yet, the earliest due first.
func (db *DB) OpenRectifications(ctx context.Context, path string, limit int) ([]rating.Rectification, error) {
	lo, hi := subtreeRange(path)
	rows, err := db.query(ctx, `SELECT x.doc FROM rectifications x JOIN orgs o ON o.id = x.township_id
		WHERE o.path >= ? AND o.path < ? AND x.step <> 'closed' ORDER BY x.due_on, x.id LIMIT ?`, lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rating.Rectification
	for rows.Next() {
		var doc string
		var x rating.Rectification
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// --- appeals

// CreateAppeal files an appeal; a rating is appealed once.
func (tx *Tx) CreateAppeal(actor access.Actor, a rating.Appeal) error {
	doc, _ := json.Marshal(a)
	_, err := tx.exec(`INSERT INTO rating_appeals (id, rating_id, township_id, decision, filed_at, doc) VALUES (?, ?, ?, '', ?, ?)`,
		a.ID, a.RatingID, a.Township, a.Filed, string(doc))
	if tx.d.isUnique(err) {
		return errs.New(errs.Conflict, "err.rating.appealed")
	}
	if err != nil {
		return errs.Wrap(err, "insert appeal")
	}
	return tx.Audit(actor, "rating.appeal", "rating_appeal", a.ID, a.Township, nil, a)
}

// DecideAppeal records a decision once; an upheld appeal excludes the rating from the figures (the one
// column of a rating that may change).
func (tx *Tx) DecideAppeal(actor access.Actor, before, after rating.Appeal) error {
	doc, _ := json.Marshal(after)
	res, err := tx.exec(`UPDATE rating_appeals SET decision = ?, doc = ? WHERE id = ? AND decision = ''`, string(after.Decision), string(doc), before.ID)
	if err != nil {
		return errs.Wrap(err, "decide appeal")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errs.New(errs.Conflict, "err.rating.decided")
	}
	if after.Decision == rating.Upheld {
		r, day, err := tx.ratingOn(after.RatingID)
		if err != nil {
			return err
		}
		var x *rating.Rectification
		var doc string
		if err := tx.queryRow(`SELECT doc FROM rectifications WHERE rating_id = ?`, r.ID).Scan(&doc); err == nil {
			x = &rating.Rectification{}
			if err := json.Unmarshal([]byte(doc), x); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE ratings SET excluded = 1 WHERE id = ?`, after.RatingID); err != nil {
			return errs.Wrap(err, "exclude rating")
		}
		ex := r
		ex.Excluded = true
		if err := tx.tally(r, day, rating.Contribution(ex, x).Sub(rating.Contribution(r, x))); err != nil {
			return err
		}
	}
	return tx.Audit(actor, "rating.appeal_decide", "rating_appeal", after.ID, after.Township, before, after)
}

func (db *DB) appeals(ctx context.Context, q string, args ...any) ([]rating.Appeal, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rating.Appeal
	for rows.Next() {
		var doc string
		var a rating.Appeal
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AppealOf reads a rating's appeal, nil when there is none.
func (db *DB) AppealOf(ctx context.Context, ratingID string) (*rating.Appeal, error) {
	l, err := db.appeals(ctx, `SELECT doc FROM rating_appeals WHERE rating_id = ?`, ratingID)
	if err != nil || len(l) == 0 {
		return nil, err
	}
	return &l[0], nil
}

// Appeal reads one appeal.
func (db *DB) Appeal(ctx context.Context, id string) (rating.Appeal, error) {
	l, err := db.appeals(ctx, `SELECT doc FROM rating_appeals WHERE id = ?`, id)
	if err != nil {
		return rating.Appeal{}, err
	}
	if len(l) == 0 {
		return rating.Appeal{}, errs.New(errs.NotFound, "err.not_found").With("what", "rating")
	}
	return l[0], nil
}

// PendingAppeals lists the undecided appeals of a subtree, oldest first.
func (db *DB) PendingAppeals(ctx context.Context, path string, limit int) ([]rating.Appeal, error) {
	lo, hi := subtreeRange(path)
	return db.appeals(ctx, `SELECT a.doc FROM rating_appeals a JOIN orgs o ON o.id = a.township_id
		WHERE o.path >= ? AND o.path < ? AND a.decision = '' ORDER BY a.filed_at, a.id LIMIT ?`, lo, hi, limit)
}

// --- evaluator tablets

// Device is an evaluator tablet paired to a member of staff's window.
type Device struct {
	ID, OrgID, StaffID, Name string
	Paired                   bool
}

// CreateDevice starts a pairing: a device waiting for its one-time code (kept hashed) until a moment.
func (tx *Tx) CreateDevice(actor access.Actor, d Device, codeHash string, until time.Time) error {
	if _, err := tx.exec(`INSERT INTO rating_devices (id, org_id, staff_id, name, code_hash, code_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.OrgID, d.StaffID, d.Name, codeHash, until, tx.now); err != nil {
		return errs.Wrap(err, "insert device")
	}
	return tx.Audit(actor, "rating.device_pair", "rating_device", d.ID, d.OrgID, nil, d)
}

// PairDevice completes a pairing by its code, once and before the code expires: the device keeps the
// token's hash and the code is forgotten.
func (tx *Tx) PairDevice(codeHash, tokenHash string) (Device, error) {
	var d Device
	err := tx.queryRow(`SELECT id, org_id, staff_id, name FROM rating_devices WHERE code_hash = ? AND code_until > ? AND revoked_at IS NULL`,
		codeHash, tx.now).Scan(&d.ID, &d.OrgID, &d.StaffID, &d.Name)
	if err != nil {
		return d, errs.Field("code", "err.rating.pair_code")
	}
	if _, err := tx.exec(`UPDATE rating_devices SET code_hash = NULL, code_until = NULL, token_hash = ?, paired_at = ? WHERE id = ?`, tokenHash, tx.now, d.ID); err != nil {
		return d, errs.Wrap(err, "pair device")
	}
	d.Paired = true
	return d, tx.Audit(access.Actor{ID: "device", Name: "device:" + d.ID}, "rating.device_paired", "rating_device", d.ID, d.OrgID, nil, d)
}

// DeviceByToken finds the paired, unrevoked device holding a token (by its hash).
func (db *DB) DeviceByToken(ctx context.Context, tokenHash string) (Device, error) {
	d := Device{Paired: true}
	err := db.queryRow(ctx, `SELECT id, org_id, staff_id, name FROM rating_devices WHERE token_hash = ? AND revoked_at IS NULL`, tokenHash).
		Scan(&d.ID, &d.OrgID, &d.StaffID, &d.Name)
	if err != nil {
		return d, errs.New(errs.Forbidden, "err.rating.device")
	}
	return d, nil
}

// DevicesOf lists the paired devices of a member of staff.
func (db *DB) DevicesOf(ctx context.Context, staffID string) ([]Device, error) {
	rows, err := db.query(ctx, `SELECT id, org_id, staff_id, name FROM rating_devices WHERE staff_id = ? AND token_hash IS NOT NULL AND revoked_at IS NULL ORDER BY created_at`, staffID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		d := Device{Paired: true}
		if err := rows.Scan(&d.ID, &d.OrgID, &d.StaffID, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Prompt asks a tablet to take a rating of what was just served.
type Prompt struct {
	ID       string         `json:"id"`
	DeviceID string         `json:"device_id"`
	Rating   rating.Rating  `json:"rating"` // what the rating will say of its subject: all but the rater's answer
	Summary  map[string]any `json:"summary,omitempty"`
	Expires  time.Time      `json:"expires"`
	RatingID string         `json:"rating_id,omitempty"`
}

// CreatePrompt puts a prompt on a device, replacing any still waiting there (one applicant at a window).
func (tx *Tx) CreatePrompt(actor access.Actor, p Prompt, staffID string) error {
	if _, err := tx.exec(`UPDATE rating_prompts SET expires_at = ? WHERE device_id = ? AND rating_id = '' AND expires_at > ?`, tx.now, p.DeviceID, tx.now); err != nil {
		return err
	}
	doc, _ := json.Marshal(p)
	if _, err := tx.exec(`INSERT INTO rating_prompts (id, device_id, staff_id, created_at, expires_at, doc) VALUES (?, ?, ?, ?, ?, ?)`,
		p.ID, p.DeviceID, staffID, tx.now, p.Expires, string(doc)); err != nil {
		return errs.Wrap(err, "insert prompt")
	}
	return tx.Audit(actor, "rating.prompt", "rating_prompt", p.ID, p.Rating.Township, nil, p.Rating.Subject)
}

// CurrentPrompt is the prompt waiting on a device now, if any.
func (db *DB) CurrentPrompt(ctx context.Context, deviceID string) (*Prompt, error) {
	var doc string
	err := db.queryRow(ctx, `SELECT doc FROM rating_prompts WHERE device_id = ? AND rating_id = '' AND expires_at > ? ORDER BY created_at DESC LIMIT 1`,
		deviceID, db.Now()).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p Prompt
	return &p, json.Unmarshal([]byte(doc), &p)
}

// UsePrompt marks a prompt rated, once: false when it was already used or has expired.
func (tx *Tx) UsePrompt(id, deviceID, ratingID string) (bool, error) {
	res, err := tx.exec(`UPDATE rating_prompts SET rating_id = ? WHERE id = ? AND device_id = ? AND rating_id = '' AND expires_at > ?`, ratingID, id, deviceID, tx.now)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Prompt reads a prompt on a device.
func (tx *Tx) Prompt(id, deviceID string) (Prompt, error) {
	var doc string
	var p Prompt
	if err := tx.queryRow(`SELECT doc FROM rating_prompts WHERE id = ? AND device_id = ?`, id, deviceID).Scan(&doc); err != nil {
		return p, notFound(err, "rating")
	}
	return p, json.Unmarshal([]byte(doc), &p)
}

// --- figures

// RatingDims maps a dashboard dimension to the rating's column.
var RatingDims = map[string]string{"township": "r.township_id", "department": "r.department_id", "window": "r.window_id",
	"person": "r.staff_id", "item": "r.item_id", "channel": "r.served", "rating_channel": "r.channel"}

// tallyValues are the values a rating counts under in each dimension of the figures.
func tallyValues(r rating.Rating) [][2]string {
	return [][2]string{{"township", r.Township}, {"department", r.Department}, {"window", r.Window}, {"person", r.Staff},
		{"item", r.Item}, {"channel", r.Served}, {"rating_channel", string(r.Channel)}}
}

// tally adds what a change moved to the day's tally of the rating's township, in every dimension.
func (tx *Tx) tally(r rating.Rating, day int, d rating.Figures) error {
	if d == (rating.Figures{}) {
		return nil
	}
	for _, dv := range tallyValues(r) {
		for _, day := range []int{day, monthRow(day)} {
			_, err := tx.exec(`INSERT INTO rating_tally (dim, day, township_id, value, total, good, bad, rectified, revisited, satisfied, dropped)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (dim, day, township_id, value) DO UPDATE SET total = rating_tally.total + excluded.total,
			good = rating_tally.good + excluded.good, bad = rating_tally.bad + excluded.bad, rectified = rating_tally.rectified + excluded.rectified,
			revisited = rating_tally.revisited + excluded.revisited, satisfied = rating_tally.satisfied + excluded.satisfied,
			dropped = rating_tally.dropped + excluded.dropped`,
				dv[0], day, r.Township, dv[1], d.Total, d.Good, d.Bad, d.Rectified, d.Revisited, d.RevisitSatisfied, d.Excluded)
			if err != nil {
				return errs.Wrap(err, "rating tally")
			}
		}
	}
	return nil
}

// monthRow is the tally's row for a whole month: day 00 of the day's month (yyyymm00), which no day has.
// A year's figures by item or person add twelve months instead of a row per day, item and township.
func monthRow(day int) int { return day / 100 * 100 }

// tallyDays is the condition that picks a period's tally rows: the month rows of the months it holds whole,
// the day rows of the months it holds in part.
func tallyDays(from, to int) (string, []any) {
	var or []string
	var args []any
	var months []any
	for m := monthRow(from); m <= monthRow(to); m = nextMonth(m) {
		first, last := m+1, m+31
		if from <= first && to >= m+daysIn(m) {
			months = append(months, m)
			continue
		}
		or = append(or, `(day >= ? AND day <= ?)`)
		args = append(args, max(from, first), min(to, last))
	}
	if len(months) > 0 {
		or = append(or, `day IN (`+marks(len(months))+`)`)
		args = append(args, months...)
	}
	if len(or) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

// nextMonth is the month row after m (yyyymm00).
func nextMonth(m int) int {
	if m/100%100 == 12 {
		return (m/10000+1)*10000 + 100
	}
	return m + 100
}

// daysIn is the number of days of the month of the month row m.
func daysIn(m int) int {
	return time.Date(m/10000, time.Month(m/100%100)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ratingOn reads a rating and its day inside a transaction.
func (tx *Tx) ratingOn(id string) (rating.Rating, int, error) {
	var day int
	r, err := scanRating(tx.queryRow(`SELECT `+ratingCols+` FROM ratings r WHERE r.id = ?`, id))
	if err == nil {
		err = tx.queryRow(`SELECT rated_on FROM ratings WHERE id = ?`, id).Scan(&day)
	}
	return r, day, notFound(err, "rating")
}

// RatingFigureRow is the figures of one township and value.
type RatingFigureRow struct {
	Township, Value string
	rating.Figures
}

// RatingFigures adds up the daily tally of the ratings made from day from to day to (yyyymmdd) by township
// and a dimension ("township", "department", "window", "person", "item", "channel" — the case's — or
// "rating_channel"); and, apart, the rectifications standing overdue today (not fed back after their due
// day, whenever rated). Excluded ratings are counted apart, never in the figures.
func (db *DB) RatingFigures(ctx context.Context, dim string, from, to, today int) ([]RatingFigureRow, error) {
	col, ok := RatingDims[dim]
	if !ok {
		dim, col = "township", RatingDims["township"]
	}
	days, dargs := tallyDays(from, to)
	rows, err := db.query(ctx, `SELECT township_id, value, sum(total), sum(good), sum(bad), sum(rectified), sum(revisited), sum(satisfied), sum(dropped)
		FROM rating_tally WHERE dim = ? AND `+days+` GROUP BY township_id, value`, append([]any{dim}, dargs...)...)
	if err != nil {
		return nil, errs.Wrap(err, "rating figures")
	}
	defer rows.Close()
	var out []RatingFigureRow
	for rows.Next() {
		var f RatingFigureRow
		if err := rows.Scan(&f.Township, &f.Value, &f.Total, &f.Good, &f.Bad, &f.Rectified, &f.Revisited, &f.RevisitSatisfied, &f.Excluded); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	late, err := db.query(ctx, `SELECT r.township_id, `+col+`, count(*) FROM rectifications x JOIN ratings r ON r.id = x.rating_id
		WHERE x.done = 0 AND x.due_on < ? AND r.excluded = 0 GROUP BY r.township_id, `+col, today)
	if err != nil {
		return nil, errs.Wrap(err, "overdue rectifications")
	}
	defer late.Close()
	for late.Next() {
		var f RatingFigureRow
		if err := late.Scan(&f.Township, &f.Value, &f.Overdue); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, late.Err()
}

// ExportRatings streams the ratings of a subtree made from day from to day to, oldest first, a page at a
// time after the id after.
func (db *DB) ExportRatings(ctx context.Context, path string, from, to int, after string, limit int) ([]rating.Rating, error) {
	lo, hi := subtreeRange(path)
	return collectRatings(db.query(ctx, `SELECT `+ratingCols+` FROM ratings r JOIN orgs o ON o.id = r.township_id
		WHERE o.path >= ? AND o.path < ? AND r.rated_on >= ? AND r.rated_on <= ? AND r.id > ? ORDER BY r.id LIMIT ?`, lo, hi, from, to, after, limit))
}

// tallyMonths adds the days' rows up into month rows (monthRow).
func (tx *Tx) tallyMonths() error {
	_, err := tx.exec(`INSERT INTO rating_tally (dim, day, township_id, value, total, good, bad, rectified, revisited, satisfied, dropped)
		SELECT dim, day / 100 * 100, township_id, value, sum(total), sum(good), sum(bad), sum(rectified), sum(revisited), sum(satisfied), sum(dropped)
		FROM rating_tally WHERE day % 100 <> 0 GROUP BY dim, day / 100 * 100, township_id, value`)
	return errs.Wrap(err, "rating tally by month")
}

// RebuildRatingTally counts the tally again from the ratings themselves (after a bulk load of past ratings,
// which writes past the transactions that keep it).
func (db *DB) RebuildRatingTally(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM rating_tally`); err != nil {
			return err
		}
		for _, dim := range []string{"township", "department", "window", "person", "item", "channel", "rating_channel"} {
			col := RatingDims[dim]
			if _, err := tx.exec(`INSERT INTO rating_tally (dim, day, township_id, value, total, good, bad, rectified, revisited, satisfied, dropped)
				SELECT ?, r.rated_on, r.township_id, `+col+`,
				sum(CASE WHEN r.excluded = 0 THEN 1 ELSE 0 END),
				sum(CASE WHEN r.excluded = 0 AND r.level <= 3 THEN 1 ELSE 0 END),
				sum(CASE WHEN r.excluded = 0 AND r.level >= 4 THEN 1 ELSE 0 END),
				sum(CASE WHEN r.excluded = 0 THEN COALESCE(x.done, 0) ELSE 0 END),
				sum(CASE WHEN r.excluded = 0 THEN COALESCE(x.revisited, 0) ELSE 0 END),
				sum(CASE WHEN r.excluded = 0 THEN COALESCE(x.satisfied, 0) ELSE 0 END),
				sum(r.excluded)
				FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
				GROUP BY r.rated_on, r.township_id, `+col, dim); err != nil {
				return errs.Wrap(err, "rebuild rating tally")
			}
		}
		return tx.tallyMonths()
	})
}
