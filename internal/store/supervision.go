package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/supervision"
)

// The columns of a case that place it in the figures (fixed at intake) and its facts (kept by its moves),
// and the row of its clock (kept by its moves and turned by the sweep); see migration 006.
const (
	placeCols = `channel, department, received_by, receiving_township, instant`
	factCols  = `corrected, received_on, accepted_on, decided_on, days_used, on_time, late_intake_on, late_issue_on, recorrections`
	placeSets = `channel = ?, department = ?, received_by = ?, receiving_township = ?, instant = ?`
	factSets  = `corrected = ?, received_on = ?, accepted_on = ?, decided_on = ?, days_used = ?, on_time = ?, late_intake_on = ?, late_issue_on = ?, recorrections = ?`
	clockCols = `case_id, running, handling_org, receiving_township, receiving_org, received_by, department, item_id, channel,
		phase, due_on, yellow_on, red_on, card, turn_on, step_due_on, step_yellow_on, step_red_on, step_card, step_turn_on, standing_of, state, queue_due, asks`
	clockSets = `running = ?, phase = ?, due_on = ?, yellow_on = ?, red_on = ?, card = ?, turn_on = ?,
		step_due_on = ?, step_yellow_on = ?, step_red_on = ?, step_card = ?, step_turn_on = ?, standing_of = ?, state = ?, queue_due = ?, asks = ?`
	clockMarks = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`
)

func placeArgs(c cases.Case) []any {
	return []any{c.Channel, c.Department, c.ReceivedBy, c.ReceivingTownship, b2i(c.LimitUnit == clock.Instant)}
}

func factArgs(c cases.Case) []any {
	s := c.Standing
	return []any{b2i(c.Corrected), s.ReceivedOn, s.AcceptedOn, s.DecidedOn, s.DaysUsed, b2i(s.OnTime), s.LateIntakeOn, s.LateIssueOn, c.Recorrections}
}

// running is the clock's state, whichever clock runs (intake, decision, issue): 1 runs, 2 stands
// (suspended, or in a special step), 0 none.
func running(s cases.Standing) int {
	switch {
	case s.Phase == "" || s.Due.IsZero():
		return 0
	case s.Stands:
		return 2
	}
	return 1
}

// clockArgs are the values of clockSets, for the day the standing was computed for.
func clockArgs(c cases.Case, of int) []any {
	return append(append([]any{running(c.Standing), phaseOf(c.Standing)}, clockDays(c)...), of, string(c.State), c.QueueDay(), asks(c))
}

// clockRow is a whole clock row, in clockCols order.
func clockRow(c cases.Case, of int) []any {
	return append(append([]any{c.ID, running(c.Standing), c.Handling, c.ReceivingTownship, c.Receiving, c.ReceivedBy, c.Department, c.ItemID, c.Channel,
		phaseOf(c.Standing)}, clockDays(c)...), of, string(c.State), c.QueueDay(), asks(c))
}

// asks is what the case waits for from a head (migration 024): "extension" while a request for more days
// waits for approval.
func asks(c cases.Case) string {
	if c.ExtensionRequest != nil {
		return "extension"
	}
	return ""
}

func phaseOf(s cases.Standing) string {
	if running(s) == 0 {
		return ""
	}
	return string(s.Phase)
}

// clockDays are the days and cards of the case and of its step.
func clockDays(c cases.Case) []any {
	s := c.Standing
	days := func(due, yellow clock.Date, card clock.Card) []any {
		red := 0
		if !due.IsZero() {
			red = due.AddDays(1).Int()
		}
		turn := 0 // the day the card turns next
		switch card {
		case clock.Green:
			turn = yellow.Int()
		case clock.Yellow:
			turn = red
		}
		return []any{due.Int(), yellow.Int(), red, string(card), turn}
	}
	return append(days(s.Due, s.YellowFrom, s.Card), days(s.StepDue, s.StepYellowFrom, s.StepCard)...)
}

// standingDay is the day a move's standing was computed for: its own day, never 0 (0 marks "never").
func standingDay(now time.Time) int {
	return max(clock.DateOf(now.In(clock.DefaultRules().Location)).Int(), 1)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SweepResult counts the cards a sweep turned.
type SweepResult struct {
	Red, Yellow, StepRed, StepYellow int
}

// SweepRunning turns the cards of running cases by date: red once past the due day, yellow from the first
// yellow day. Only rows whose card turns are read and written; the turn_on index of migration 006 finds them.
// Suspended cases are not touched here: their due day moves while they stand (see SetStanding).
func (db *DB) SweepRunning(ctx context.Context, today clock.Date) (SweepResult, error) {
	var r SweepResult
	d := today.Int()
	err := db.Write(ctx, func(tx *Tx) error {
		r = SweepResult{}
		// Red first (a card may go from green to red over a long weekend), then yellow; each statement finds
		// its rows on the turn_on index and moves them along it.
		for _, u := range []struct {
			n *int
			q string
		}{
			{&r.Red, `UPDATE case_clock SET card = 'red', turn_on = 0 WHERE running = 1 AND turn_on BETWEEN 1 AND ? AND red_on <= ?`},
			{&r.Yellow, `UPDATE case_clock SET card = 'yellow', turn_on = red_on WHERE running = 1 AND turn_on BETWEEN 1 AND ? AND red_on > ?`},
			{&r.StepRed, `UPDATE case_clock SET step_card = 'red', step_turn_on = 0 WHERE running = 1 AND step_turn_on BETWEEN 1 AND ? AND step_red_on <= ?`},
			{&r.StepYellow, `UPDATE case_clock SET step_card = 'yellow', step_turn_on = step_red_on WHERE running = 1 AND step_turn_on BETWEEN 1 AND ? AND step_red_on > ?`},
		} {
			res, err := tx.exec(u.q, d, d)
			if err != nil {
				return errs.Wrap(err, "sweep")
			}
			n, _ := res.RowsAffected()
			*u.n = int(n)
		}
		return nil
	})
	return r, err
}

// CasesToRestand lists up to limit cases whose standing must be computed in Go: any never computed (stored
// before migration 006, or reset after a calendar change), and suspended ones computed before the given day
// (their due day moves each day they stand). Storing a standing (SetStanding) takes a case off the list, so
// callers repeat until it is empty. (No order: a sort would read every waiting document for each batch.)
func (db *DB) CasesToRestand(ctx context.Context, before, limit int) ([]cases.Case, error) {
	list, err := db.queryCases(ctx, `SELECT `+caseCols+` FROM case_clock k JOIN cases c ON c.id = k.case_id WHERE k.standing_of = 0 LIMIT ?`, limit)
	if err != nil || len(list) > 0 {
		return list, err
	}
	return db.queryCases(ctx, suspendedToRestand, before, limit)
}

// suspendedToRestand reads the suspended cases whose standing was computed before a day, on
// case_clock_suspended (migration 095). SQLite uses a partial index only when the query repeats its condition
// word for word (TestClockIndexesServeTheirQueries).
const suspendedToRestand = `SELECT ` + caseCols + ` FROM case_clock k JOIN cases c ON c.id = k.case_id
	WHERE k.running = 2 AND k.standing_of > 0 AND k.standing_of < ? LIMIT ?`

// ResetStanding marks every open case's standing as never computed, for the next sweep to compute again
// (after a change of the calendar).
func (db *DB) ResetStanding(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`UPDATE case_clock SET standing_of = 0 WHERE running > 0`)
		return errs.Wrap(err, "reset standing")
	})
}

// SetStanding stores the standing of cases computed outside a move (suspended cases, a changed calendar),
// and their placing and facts too for cases stored before migration 006 (place). It does not touch the
// version: the case itself did not change.
func (db *DB) SetStanding(ctx context.Context, list []cases.Case, today clock.Date, place bool) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, c := range list {
			// A move may have come between the read and this write: it stored its own standing, which stands.
			// The case's version tells.
			if place {
				res, err := tx.exec(`UPDATE cases SET channel = ?, department = ?, received_by = ?, receiving_township = ?, instant = ?, `+factSets+` WHERE id = ? AND version = ?`,
					append(append(placeArgs(c), factArgs(c)...), c.ID, c.Version)...)
				if err != nil {
					return errs.Wrap(err, "standing")
				}
				if n, _ := res.RowsAffected(); n == 0 {
					continue
				}
				if _, err := tx.exec(`UPDATE case_clock SET receiving_township = ?, received_by = ?, department = ?, channel = ? WHERE case_id = ?`,
					c.ReceivingTownship, c.ReceivedBy, c.Department, c.Channel, c.ID); err != nil {
					return errs.Wrap(err, "standing")
				}
			}
			if _, err := tx.exec(`UPDATE case_clock SET `+clockSets+` WHERE case_id = ? AND EXISTS (SELECT 1 FROM cases WHERE id = ? AND version = ?)`,
				append(clockArgs(c, today.Int()), c.ID, c.ID, c.Version)...); err != nil {
				return errs.Wrap(err, "standing")
			}
		}
		return nil
	})
}

const factReadCols = `id, handling_org, receiving_township, receiving_org, received_by, department, item_id, channel, received_on, accepted_on, decided_on, corrected, instant, on_time, days_used, late_intake_on, late_issue_on, recorrections`

// FactsOn reads the facts of the cases received, accepted or decided on a day, or answered or delivered
// late on it.
func (db *DB) FactsOn(ctx context.Context, day clock.Date) ([]supervision.Fact, error) {
	d := day.Int()
	seen := map[string]bool{}
	var out []supervision.Fact
	for _, col := range []string{"received_on", "accepted_on", "decided_on", "late_intake_on", "late_issue_on"} {
		// "> 0" lets the partial indexes serve: the planners do not prove it from "= ?" themselves
		rows, err := db.query(ctx, `SELECT `+factReadCols+` FROM cases WHERE `+col+` = ? AND `+col+` > 0`, d)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var f supervision.Fact
			var corrected, instant, onTime int
			if err := rows.Scan(&id, &f.Handling, &f.ReceivingTownship, &f.Receiving, &f.ReceivedBy, &f.Department, &f.Item, &f.Channel,
				&f.ReceivedOn, &f.AcceptedOn, &f.DecidedOn, &corrected, &instant, &onTime, &f.DaysUsed, &f.LateIntakeOn, &f.LateIssueOn, &f.Recorrections); err != nil {
				rows.Close()
				return nil, err
			}
			f.Corrected, f.Instant, f.OnTime = corrected == 1, instant == 1, onTime == 1
			if !seen[id] {
				seen[id] = true
				out = append(out, f)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReplaceStatDays stores the roll-up of days, replacing what was there, and adds up again the months they
// fall in, in one transaction.
func (db *DB) ReplaceStatDays(ctx context.Context, days []int, rows []supervision.Row) error {
	return db.Write(ctx, func(tx *Tx) error {
		months := map[int]bool{}
		for _, d := range days {
			if _, err := tx.exec(`DELETE FROM stat_days WHERE day = ?`, d); err != nil {
				return errs.Wrap(err, "roll-up")
			}
			if _, err := tx.exec(`DELETE FROM stat_runs WHERE day = ?`, d); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO stat_runs (day, at) VALUES (?, ?)`, d, tx.now); err != nil {
				return err
			}
			months[d/100] = true
		}
		if err := insertStatRows(tx, "stat_days", "day", rows); err != nil {
			return err
		}
		for m := range months {
			dayRows, err := statRows(tx.query(`SELECT dim, day, org_id, value, `+statCols+` FROM stat_days WHERE day BETWEEN ? AND ?`, m*100+1, m*100+31))
			if err != nil {
				return err
			}
			if _, err := tx.exec(`DELETE FROM stat_months WHERE month = ?`, m); err != nil {
				return errs.Wrap(err, "roll-up")
			}
			if err := insertStatRows(tx, "stat_months", "month", supervision.AddUp(dayRows, m)); err != nil {
				return err
			}
		}
		return nil
	})
}

const statCols = `received, accepted, first_time, online, proxy, instant, completed, on_time, days_sum, spread, late_intake, late_issue, recorrected`

// insertStatRows writes rows in multi-row statements (a year of a million cases is some 300,000 day rows).
func insertStatRows(tx *Tx, table, dayCol string, rows []supervision.Row) error {
	return bulkInsert(tx, `INSERT INTO `+table+` (dim, `+dayCol+`, org_id, value, `+statCols+`) VALUES `, 17, len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.Dim, r.Day, r.Township, r.Value, r.Received, r.Accepted, r.FirstTime, r.Online, r.Proxy, r.Instant, r.Completed, r.OnTime, r.DaysSum,
			supervision.EncodeSpread(r.Spread), r.LateIntake, r.LateIssue, r.Recorrected}
	})
}

func statRows(rows *sql.Rows, err error) ([]supervision.Row, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []supervision.Row
	for rows.Next() {
		var r supervision.Row
		var spread string
		if err := rows.Scan(&r.Dim, &r.Day, &r.Township, &r.Value, &r.Received, &r.Accepted, &r.FirstTime, &r.Online, &r.Proxy, &r.Instant,
			&r.Completed, &r.OnTime, &r.DaysSum, &spread, &r.LateIntake, &r.LateIssue, &r.Recorrected); err != nil {
			return nil, err
		}
		r.Spread = supervision.AddSpread(nil, spread)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LastRollup is when the roll-up last ran (zero if never).
func (db *DB) LastRollup(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := db.queryRow(ctx, `SELECT at FROM stat_runs ORDER BY at DESC LIMIT 1`).Scan(&at)
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	return at, err
}

// StatTotals adds up a dimension's roll-up over a period, per township and value: whole months from the
// months' rows, the days before and after them from the days' rows.
func (db *DB) StatTotals(ctx context.Context, dim supervision.Dim, from, to clock.Date) ([]supervision.Row, error) {
	var rows []supervision.Row
	read := func(q string, args ...any) error {
		r, err := statRows(db.query(ctx, q, args...))
		rows = append(rows, r...)
		return err
	}
	first := from // the first day of the first whole month in the period
	if first.D != 1 {
		first = clock.Date{Y: from.Y, M: from.M, D: 1}.AddDays(32)
		first = clock.Date{Y: first.Y, M: first.M, D: 1}
	}
	end := to.AddDays(1) // the day after the last whole month
	end = clock.Date{Y: end.Y, M: end.M, D: 1}
	if first.Before(end) {
		last := end.AddDays(-1)
		if err := read(`SELECT dim, month, org_id, value, `+statCols+` FROM stat_months WHERE dim = ? AND month BETWEEN ? AND ?`,
			dim, first.Int()/100, last.Int()/100); err != nil {
			return nil, err
		}
		if from.Before(first) {
			if err := read(`SELECT dim, day, org_id, value, `+statCols+` FROM stat_days WHERE dim = ? AND day BETWEEN ? AND ?`,
				dim, from.Int(), first.AddDays(-1).Int()); err != nil {
				return nil, err
			}
		}
		if !end.After(to) {
			if err := read(`SELECT dim, day, org_id, value, `+statCols+` FROM stat_days WHERE dim = ? AND day BETWEEN ? AND ?`,
				dim, end.Int(), to.Int()); err != nil {
				return nil, err
			}
		}
	} else if err := read(`SELECT dim, day, org_id, value, `+statCols+` FROM stat_days WHERE dim = ? AND day BETWEEN ? AND ?`,
		dim, from.Int(), to.Int()); err != nil {
		return nil, err
	}
	return supervision.AddUp(rows, 0), nil
}

// dimCols are the columns that hold a dimension's township and value, in cases and in case_clock alike.
var dimCols = map[supervision.Dim][2]string{
	supervision.Township:   {"handling_org", "handling_org"},
	supervision.Department: {"handling_org", "department"},
	supervision.Window:     {"receiving_township", "receiving_org"},
	supervision.Person:     {"receiving_township", "received_by"},
	supervision.Item:       {"handling_org", "item_id"},
	supervision.Channel:    {"handling_org", "channel"},
}

// SnapshotNow counts the open cases (accepted or suspended) per township and value of every dimension, by
// card, into stat_now: the dashboard reads what stood at the last sweep. One pass over the clock's open-case
// index feeds every dimension (a GROUP BY per dimension sorted a million rows six times).
func (db *DB) SnapshotNow(ctx context.Context, today clock.Date) error {
	type key struct {
		dim      supervision.Dim
		township string
		value    string
	}
	counts := map[key]*supervision.Now{}
	intern := map[string]string{} // the few hundred ids, kept once
	str := func(b sql.RawBytes) string {
		if s, ok := intern[string(b)]; ok {
			return s
		}
		s := string(b)
		intern[s] = s
		return s
	}
	rows, err := db.query(ctx, `SELECT running, phase, yellow_on, red_on, handling_org, receiving_township, receiving_org, received_by, department, item_id, channel
		FROM case_clock WHERE running > 0`)
	if err != nil {
		return err
	}
	d := today.Int()
	var run, yellowOn, redOn int
	var phase sql.RawBytes
	var col [7]sql.RawBytes // handling_org, receiving_township, receiving_org, received_by, department, item_id, channel
	for rows.Next() {
		if err := rows.Scan(&run, &phase, &yellowOn, &redOn, &col[0], &col[1], &col[2], &col[3], &col[4], &col[5], &col[6]); err != nil {
			rows.Close()
			return err
		}
		// the card by the days, as the sweep turns it
		card := clock.CardOnDays(d, yellowOn, redOn, run == 2)
		f := supervision.Fact{Handling: str(col[0]), ReceivingTownship: str(col[1]), Receiving: str(col[2]), ReceivedBy: str(col[3]),
			Department: str(col[4]), Item: str(col[5]), Channel: cases.Channel(str(col[6]))}
		for _, dim := range supervision.Dims {
			t, v := f.Place(dim)
			k := key{dim, t, v}
			x := counts[k]
			if x == nil {
				x = &supervision.Now{}
				counts[k] = x
			}
			x.Count(cases.Phase(phase), card, run == 2)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	all := make([]key, 0, len(counts))
	for k := range counts {
		all = append(all, k)
	}
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM stat_now`); err != nil {
			return errs.Wrap(err, "snapshot")
		}
		return bulkInsert(tx, `INSERT INTO stat_now (dim, org_id, value, open, overdue, yellow, suspended, intake_open, intake_overdue, issue_open, issue_overdue) VALUES `,
			11, len(all), func(i int) []any {
				k := all[i]
				x := counts[k]
				return []any{k.dim, k.township, k.value, x.Open, x.Overdue, x.Yellow, x.Suspended, x.IntakeOpen, x.IntakeOverdue, x.IssueOpen, x.IssueOverdue}
			})
	})
}

// OpenNow reads what stood open at the last sweep, per township and value of a dimension.
func (db *DB) OpenNow(ctx context.Context, dim supervision.Dim) (map[[2]string]supervision.Now, error) {
	rows, err := db.query(ctx, `SELECT org_id, value, open, overdue, yellow, suspended, intake_open, intake_overdue, issue_open, issue_overdue FROM stat_now WHERE dim = ?`, dim)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]supervision.Now{}
	for rows.Next() {
		var t, v string
		var n supervision.Now
		if err := rows.Scan(&t, &v, &n.Open, &n.Overdue, &n.Yellow, &n.Suspended, &n.IntakeOpen, &n.IntakeOverdue, &n.IssueOpen, &n.IssueOverdue); err != nil {
			return nil, err
		}
		out[[2]string{t, v}] = n
	}
	return out, rows.Err()
}

// Drill is a filter of the dashboard's drill-down.
type Drill struct {
	Dim       supervision.Dim
	Townships []string // in the reader's scope
	Value     string   // "" for all values
	What      string   // received, completed, overdue, yellow, suspended, late (completed after due), late_intake, late_issue, intake_overdue, issue_overdue
	From, To  clock.Date
	Limit     int
}

// DrillCases lists the cases behind a figure, newest first.
func (db *DB) DrillCases(ctx context.Context, f Drill) ([]cases.Case, error) {
	c := dimCols[f.Dim]
	var where []string
	var args []any
	// What stands open now is found by the clock, what happened in the period by the case's days.
	from, t := `cases t`, "t."
	switch f.What {
	case "overdue", "yellow", "suspended", "intake_overdue", "issue_overdue":
		from, t = `case_clock t JOIN cases c ON c.id = t.case_id`, "t."
		switch f.What {
		case "overdue":
			where = append(where, `t.running > 0 AND t.phase = 'decision' AND t.card = 'red'`)
		case "yellow":
			where = append(where, `t.running > 0 AND t.phase = 'decision' AND t.card = 'yellow'`)
		case "intake_overdue":
			where = append(where, `t.running > 0 AND t.phase = 'intake' AND t.card = 'red'`)
		case "issue_overdue":
			where = append(where, `t.running > 0 AND t.phase = 'issue' AND t.card = 'red'`)
		default:
			where = append(where, `t.running = 2`)
		}
	case "late_intake", "late_issue":
		where = append(where, `t.`+f.What+`_on > 0 AND t.`+f.What+`_on BETWEEN ? AND ?`)
		args = append(args, f.From.Int(), f.To.Int())
	case "completed", "late":
		where = append(where, `t.decided_on > 0 AND t.decided_on BETWEEN ? AND ?`)
		args = append(args, f.From.Int(), f.To.Int())
		if f.What == "late" {
			where = append(where, `t.on_time = 0`)
		}
	default:
		where = append(where, `t.received_on BETWEEN ? AND ?`)
		args = append(args, f.From.Int(), f.To.Int())
	}
	if f.Value != "" {
		where = append(where, t+c[1]+` = ?`)
		args = append(args, f.Value)
	}
	marks := make([]string, len(f.Townships))
	for i, tw := range f.Townships {
		marks[i] = "?"
		args = append(args, tw)
	}
	if len(marks) == 0 {
		return nil, nil
	}
	where = append(where, t+c[0]+` IN (`+strings.Join(marks, ", ")+`)`)
	args = append(args, max(f.Limit, 1))
	alias := "t"
	if strings.HasPrefix(from, "case_clock") {
		alias = "c"
	}
	return db.queryCases(ctx, `SELECT `+caseColsOf(alias)+` FROM `+from+` WHERE `+strings.Join(where, " AND ")+` ORDER BY `+alias+`.received_at DESC LIMIT ?`, args...)
}

// Report is a stored monthly report.
type Report struct {
	Period string
	OrgID  string
	MadeAt time.Time
	Doc    string
}

// SaveReport stores a report, replacing one of the same period and organisation.
func (db *DB) SaveReport(ctx context.Context, r Report) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`DELETE FROM reports WHERE period = ? AND org_id = ?`, r.Period, r.OrgID); err != nil {
			return err
		}
		_, err := tx.exec(`INSERT INTO reports (period, org_id, made_at, doc) VALUES (?, ?, ?, ?)`, r.Period, r.OrgID, tx.now, r.Doc)
		return errs.Wrap(err, "report")
	})
}

// Reports lists the stored reports of an organisation, newest first (without their documents when brief).
func (db *DB) Reports(ctx context.Context, orgID string) ([]Report, error) {
	rows, err := db.query(ctx, `SELECT period, org_id, made_at FROM reports WHERE org_id = ? ORDER BY period DESC`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Report
	for rows.Next() {
		var r Report
		if err := rows.Scan(&r.Period, &r.OrgID, &r.MadeAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReportOf reads one report.
func (db *DB) ReportOf(ctx context.Context, period, orgID string) (Report, error) {
	r := Report{Period: period, OrgID: orgID}
	err := db.queryRow(ctx, `SELECT made_at, doc FROM reports WHERE period = ? AND org_id = ?`, period, orgID).Scan(&r.MadeAt, &r.Doc)
	return r, notFound(err, "report")
}

// FirstReceivedOn is the day of the first case received (0 if none).
func (db *DB) FirstReceivedOn(ctx context.Context) (int, error) {
	var d sql.NullInt64
	err := db.queryRow(ctx, `SELECT min(received_on) FROM cases WHERE received_on > 0`).Scan(&d)
	return int(d.Int64), err
}

// CountOpen counts the cases whose decision clock runs or stands (accepted or suspended).
func (db *DB) CountOpen(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM case_clock WHERE running > 0 AND phase = 'decision'`).Scan(&n)
	return n, err
}

// LastRolledDay is the latest day rolled up (0 if none).
func (db *DB) LastRolledDay(ctx context.Context) (int, error) {
	var d sql.NullInt64
	err := db.queryRow(ctx, `SELECT max(day) FROM stat_runs`).Scan(&d)
	return int(d.Int64), err
}
