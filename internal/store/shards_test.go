package store

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The distribution plan of docs/REGION.md, in the one place code reads it: which tables a distributed engine
// (Citus) shards and by which column, which it copies to every node, which stay on the coordinator. The test
// below reads every SQL statement of this package and checks that each one touching a distributed table names
// that table's key (a filter or an inserted value), or is a known cross-shard statement listed with its reason.

// shard is a distributed table's placement.
type shard struct {
	Key string // the distribution column: an organisation id (one to one with its division code)
	// Add: the table lacks the column today; the plan adds it (filled from the case's handling_org) before the
	// move. Its statements are counted apart and not checked until then.
	Add bool
	// Group is the co-location group: tables of one group hold equal key values together on one node.
	Group string
}

// The groups: "case" is keyed by the organisation that handles the case (the township or the department a
// 转办 gave it to), "center" by the service center that runs a hall.
var distributed = map[string]shard{
	"cases":              {Key: "handling_org", Group: "case"},
	"case_clock":         {Key: "handling_org", Group: "case"},
	"notices":            {Key: "handling_org", Add: true, Group: "case"},
	"case_files":         {Key: "handling_org", Add: true, Group: "case"},
	"case_comments":      {Key: "handling_org", Add: true, Group: "case"},
	"case_handovers":     {Key: "handling_org", Add: true, Group: "case"},
	"result_codes":       {Key: "handling_org", Add: true, Group: "case"},
	"resident_cases":     {Key: "handling_org", Add: true, Group: "case"},
	"handoff_cases":      {Key: "handling_org", Add: true, Group: "case"},
	"station_list_cases": {Key: "handling_org", Add: true, Group: "case"},
	"uploads":            {Key: "handling_org", Add: true, Group: "case"},
	"upload_chunks":      {Key: "handling_org", Add: true, Group: "case"},
	"outbox":             {Key: "org_id", Group: "case"},
	"audit_log":          {Key: "chain", Group: "case"},
	"audit_heads":        {Key: "chain", Group: "case"},
	"orders":             {Key: "org_id", Group: "case"},
	"applicants":         {Key: "org_id", Group: "case"},
	"applicant_terms":    {Key: "org_id", Group: "case"},
	"applicant_needs":    {Key: "org_id", Add: true, Group: "case"},
	"enquiries":          {Key: "township_id", Group: "case"},
	"ratings":            {Key: "township_id", Group: "case"},
	"rating_raters":      {Key: "township_id", Add: true, Group: "case"},
	"rectifications":     {Key: "township_id", Group: "case"},
	"rating_appeals":     {Key: "township_id", Group: "case"},
	"complaints":         {Key: "responsible_id", Group: "case"},
	"complaint_persons":  {Key: "responsible_id", Add: true, Group: "case"},
	"home_visits":        {Key: "org_id", Group: "case"},
	"hall_tickets":       {Key: "center_id", Group: "center"},
	"hall_appointments":  {Key: "center_id", Group: "center"},
}

// reference tables are small, read by every shard's joins, and written rarely: a copy on every node.
var reference = []string{
	"orgs", "org_aliases", "items", "item_versions", "item_topics", "implementations", "item_refs", "bundles",
	"catalog_meta", "calendar_years", "translations", "staff", "mn_strings", "delegations", "delegation_towns",
	"delegation_pairs", "receivers", "hall_hours", "hall_windows", "standing_auths", "board_docs",
	"back_office_split", "cache_versions",
}

// coordinator tables stay on the coordinator alone: sign-in state, roll-ups the dashboards read (their point:
// a dashboard reads them, not the shards), the counters, the jobs' bookkeeping and everything per person or
// per center that no shard joins.
var coordinator = []string{
	"schema_migrations", "sessions", "resident_sessions", "residents", "login_backoff", "signin_challenges",
	"second_factors", "recovery_codes", "password_history", "registration_codes", "idempotency", "load_steps",
	"counters", "audit_head", "stat_days", "stat_months", "stat_runs", "stat_now", "reports", "rating_tally",
	"rating_devices", "rating_prompts", "handoffs", "station_lists", "help_requests", "inspection_rounds",
	"deleg_files", "blobs", "staff_photos", "roster", "leaves", "attendance", "coverage_alerts", "recusals",
	"mn_history", "mn_imports", "job_runs", "case_awaits", "delegation_proposals", "bulk_indexes", "unasked_messages",
	"public_forms",
}

// Why a statement may cross shards. A reason says which of the plan's answers keeps it rare.
const (
	byID      = "by id: a row, or the rows of one record, read or written by an id that does not carry the key yet (plan: ids carry their home)"
	report    = "report: the monthly report and figures, run by the leader once, off the write path"
	rollup    = "dashboard roll-up: the job that fills the roll-up tables the dashboards read"
	sweep     = "sweep: the leader's card sweep, once a day per shard (fan-out)"
	subtree   = "subtree: a banner's or the region's list over many townships (fan-out, paged)"
	sender    = "sender: the outbox sender, one claim per shard (fan-out)"
	check     = "check: bianmin check, an operator's whole-database read"
	backup    = "backup: bianmin backup and restore, every row"
	migration = "migration: a schema change or a fill of a new column"
	public    = "public: a person outside any township (portal, QR verification, resident) finds a row by its code"
)

// crossShard lists the known cross-shard statements by the function holding them and the table.
var crossShard = map[[2]string]string{
	// applicant_terms
	{"DB.SearchApplicants", "applicant_terms"}: subtree,
	{"DB.SearchCases", "applicant_terms"}:      subtree,
	{"Tx.writeTerms", "applicant_terms"}:       byID,
	// applicants
	{"DB.Applicant", "applicants"}:           byID,
	{"DB.ApplicantAtIntake", "applicants"}:   byID,
	{"DB.Case", "applicants"}:                byID, // the applicant's phone, read with the case for its move
	{"DB.ApplicantByIDNumber", "applicants"}: public,
	{"DB.ApplicantOfIDNumber", "applicants"}: public,
	{"DB.ApplicantsIn", "applicants"}:        subtree,
	{"DB.Check", "applicants"}:               check,
	{"DB.CountApplicants", "applicants"}:     report,
	{"DB.SearchApplicants", "applicants"}:    subtree,
	{"DB.SearchCases", "applicants"}:         subtree,
	{"DB.fillFindKeys", "applicants"}:        migration,
	{"DB.queuePage", "applicants"}:           subtree,
	{"Tx.ApplicantByIDNumber", "applicants"}: public,
	{"Tx.UpdateApplicant", "applicants"}:     byID,
	{"Tx.writeTerms", "applicants"}:          byID,
	// audit_log
	{"DB.AuditOf", "audit_log"}:             byID,
	{"DB.Check", "audit_log"}:               check,
	{"DB.CountAudit", "audit_log"}:          report,
	{"DB.VerifyChains", "audit_log"}:        check,
	{"DB.verifySince", "audit_log"}:         check,
	{"DB.verifySince", "audit_heads"}:       check,
	{"DB.KeyChains", "audit_heads"}:         check,
	{"DB.AuditMoved", "audit_heads"}:        check,
	{"DB.AnyChainKeyed", "audit_heads"}:     check,
	{"DB.Empty", "audit_heads"}:             backup,
	{"DB.fillHandoverSearch", "cases"}:      migration,
	{"DB.fillHandoverSearch", "applicants"}: migration,
	{"DB.fillAwaits", "cases"}:              migration,
	{"DB.AwaitingCases", "cases"}:           subtree,
	{"DB.OpenComplaintCards", "complaints"}: sweep,
	{"DB.JointCardCounts", "complaints"}:    subtree,
	// case_clock
	{"DB.AskingCases", "case_clock"}:      subtree,
	{"DB.CardsToPush", "case_clock"}:      sender,
	{"DB.CasesToRestand", "case_clock"}:   sweep,
	{"DB.Check", "case_clock"}:            check,
	{"DB.ClaimedCases", "case_clock"}:     subtree,
	{"DB.CountOpen", "case_clock"}:        report,
	{"DB.DrillCases", "case_clock"}:       subtree,
	{"DB.OpenCasesDueFrom", "case_clock"}: sweep,
	{"DB.ResetStanding", "case_clock"}:    sweep,
	{"DB.SearchCases", "case_clock"}:      subtree,
	{"DB.SetStanding", "case_clock"}:      byID,
	{"DB.SnapshotNow", "case_clock"}:      rollup,
	{"DB.SweepRunning", "case_clock"}:     sweep,
	{"DB.queueArms", "case_clock"}:        subtree,
	{"DB.queueArmsCount", "case_clock"}:   subtree,
	{"DB.queuePage", "case_clock"}:        subtree,
	{"DB.queueProbes", "case_clock"}:      subtree,
	{"DB.queueWalk", "case_clock"}:        subtree,
	{"Tx.MoveCase", "case_clock"}:         byID,
	{"Tx.SaveCase", "case_clock"}:         byID,
	// cases
	{"DB.AskingCases", "cases"}:        subtree,
	{"DB.AssistanceCounts", "cases"}:   report,
	{"DB.AssistedOpen", "cases"}:       subtree,
	{"DB.CardsToPush", "cases"}:        sender,
	{"DB.Case", "cases"}:               byID,
	{"caseItem", "cases"}:              byID,
	{"timelineOf", "cases"}:            byID,
	{"DB.CaseByNo", "cases"}:           public,
	{"DB.CasesByNos", "cases"}:         public,
	{"DB.CasesByIDs", "cases"}:         sender,
	{"DB.CasesIn", "cases"}:            subtree,
	{"DB.CasesOfApplicant", "cases"}:   byID,
	{"DB.CasesOfBundle", "cases"}:      byID,
	{"DB.CasesToRestand", "cases"}:     sweep,
	{"DB.CasesUnderStanding", "cases"}: byID,
	{"DB.Check", "cases"}:              check,
	{"DB.ClaimedCases", "cases"}:       subtree,
	{"DB.CountCases", "cases"}:         report,
	{"DB.DelegatedCasesIn", "cases"}:   report,
	{"DB.DelegatedRatings", "cases"}:   report,
	{"DB.DrillCases", "cases"}:         subtree,
	{"DB.FactsOn", "cases"}:            rollup,
	{"DB.FirstReceivedOn", "cases"}:    rollup,
	{"DB.OpenCasesDueFrom", "cases"}:   sweep,
	{"DB.OpenCasesOf", "cases"}:        byID,
	{"DB.PendingStation", "cases"}:     subtree,
	{"DB.ResidentCases", "cases"}:      public,
	{"DB.SearchCases", "cases"}:        subtree,
	{"DB.SetStanding", "cases"}:        byID,
	{"DB.TopItems", "cases"}:           subtree,
	{"DB.queuePage", "cases"}:          byID,
	{"Tx.MoveCase", "cases"}:           byID,
	{"Tx.PendingStation", "cases"}:     subtree,
	{"Tx.SaveCase", "cases"}:           byID,
	// complaints
	{"DB.Complaint", "complaints"}:           byID,
	{"DB.ComplaintPaths", "complaints"}:      byID,
	{"DB.ComplaintsOfAccount", "complaints"}: public,
	{"DB.SearchComplaints", "complaints"}:    subtree,
	{"Tx.SaveComplaint", "complaints"}:       byID,
	// enquiries
	{"DB.Enquiry", "enquiries"}:         byID,
	{"DB.OpenEnquiriesOf", "enquiries"}: byID,
	{"DB.SearchEnquiries", "enquiries"}: subtree,
	{"Tx.SaveEnquiry", "enquiries"}:     byID,
	// hall_appointments
	{"DB.Appointment", "hall_appointments"}:          byID,
	{"DB.EndedBookings", "hall_appointments"}:        sweep,
	{"DB.ResidentAppointments", "hall_appointments"}: public,
	{"Tx.Appointment", "hall_appointments"}:          byID,
	{"Tx.BookedBy", "hall_appointments"}:             public,
	{"Tx.UpdateAppointment", "hall_appointments"}:    byID,
	// hall_tickets
	{"DB.Ticket", "hall_tickets"}:       byID,
	{"Tx.CalledAt", "hall_tickets"}:     byID,
	{"Tx.Ticket", "hall_tickets"}:       byID,
	{"Tx.UpdateTicket", "hall_tickets"}: byID,
	// home_visits
	{"DB.AssistanceCounts", "home_visits"}: report,
	{"DB.Visit", "home_visits"}:            byID,
	{"DB.Visits", "home_visits"}:           subtree,
	{"Tx.SaveVisit", "home_visits"}:        byID,
	// orders
	{"DB.OpenOrdersToTell", "orders"}: sweep,
	{"DB.Order", "orders"}:            byID,
	{"DB.Orders", "orders"}:           subtree,
	{"DB.OrdersAnswered", "orders"}:   report,
	{"Tx.AnswerOrder", "orders"}:      byID,
	{"Tx.TellOrder", "orders"}:        byID,
	// outbox
	{"DB.AccountMessages", "outbox"}: public,
	{"DB.CardsToPush", "outbox"}:     sender,
	{"DB.Claim", "outbox"}:           sender,
	{"DB.CountOutbox", "outbox"}:     sender,
	{"DB.Deliveries", "outbox"}:      sender,
	{"DB.Messages", "outbox"}:        byID,
	{"DB.OldestUnsent", "outbox"}:    sender,
	{"DB.OutgoingByID", "outbox"}:    byID,
	{"DB.Settle", "outbox"}:          byID,
	{"Tx.settleSent", "outbox"}:      byID,
	{"DB.UnsentCount", "outbox"}:     sender,
	{"Tx.Enqueue", "outbox"}:         sender,
	{"Tx.Push", "outbox"}:            sender,
	{"Tx.Pushed", "outbox"}:          sender,
	{"Tx.Resend", "outbox"}:          byID,
	// rating_appeals
	{"DB.Appeal", "rating_appeals"}:         byID,
	{"DB.AppealOf", "rating_appeals"}:       byID,
	{"DB.PendingAppeals", "rating_appeals"}: subtree,
	{"Tx.DecideAppeal", "rating_appeals"}:   byID,
	// ratings
	{"DB.DelegatedRatings", "ratings"}:   report,
	{"DB.ExportRatings", "ratings"}:      report,
	{"DB.Rating", "ratings"}:             byID,
	{"DB.RatingFigures", "ratings"}:      report,
	{"DB.RatingsOfCase", "ratings"}:      byID,
	{"DB.RebuildRatingTally", "ratings"}: rollup,
	{"DB.SearchRatings", "ratings"}:      subtree,
	{"Tx.DecideAppeal", "ratings"}:       byID,
	{"Tx.ratingOn", "ratings"}:           byID,
	// rectifications
	{"DB.OpenRectifications", "rectifications"}: subtree,
	{"DB.RatingFigures", "rectifications"}:      report,
	{"DB.RebuildRatingTally", "rectifications"}: rollup,
	{"DB.Rectification", "rectifications"}:      byID,
	{"DB.RectificationOf", "rectifications"}:    byID,
	{"Tx.DecideAppeal", "rectifications"}:       byID,
	{"Tx.SaveRectification", "rectifications"}:  byID,
}

var tableRef = regexp.MustCompile(`(?i)\b(from|join|update|into)\s+([a-z_][a-z0-9_]*)(?:\s+(?:as\s+)?([a-z_][a-z0-9_]*))?`)

var notAlias = map[string]bool{"where": true, "join": true, "on": true, "set": true, "left": true, "inner": true, "order": true,
	"group": true, "limit": true, "using": true, "values": true, "select": true, "union": true, "and": true, "or": true,
	"natural": true, "cross": true, "full": true, "right": true, "outer": true, "having": true, "returning": true, "default": true,
	"for": true, "as": true, "offset": true, "window": true, "except": true, "intersect": true, "lateral": true}

var notTable = map[string]bool{"dbstat": true, "set": true, "select": true, "pg_tables": true, "pg_constraint": true, "json_populate_recordset": true,
	"insert": true, "only": true, "pg_namespace": true, "pg_class": true, "pg_index": true, "pg_indexes": true, "pg_stat_activity": true, "information_schema": true, "sqlite_master": true,
	"pragma_table_info": true, "unnest": true, "lateral": true}

type ref struct{ table, alias string }

// refs lists the tables a statement names, with their aliases; CTE names are left out.
func refs(sql string) []ref {
	ctes := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?i)(?:\bwith|,)\s+([a-z_][a-z0-9_]*)\s+as\s*(?:not\s+)?(?:materialized\s*)?\(`).FindAllStringSubmatch(sql, -1) {
		ctes[strings.ToLower(m[1])] = true
	}
	var out []ref
	for _, m := range tableRef.FindAllStringSubmatch(sql, -1) {
		t := strings.ToLower(m[2])
		if notTable[t] || ctes[t] {
			continue
		}
		a := strings.ToLower(m[3])
		if notAlias[a] || strings.EqualFold(m[1], "into") {
			a = ""
		}
		out = append(out, ref{t, a})
	}
	return out
}

// setClause cuts the SET lists of updates: setting the key is no filter.
var setClause = regexp.MustCompile(`(?is)\bset\b.*?(\bwhere\b|\bfrom\b|\breturning\b|$)`)

// carries reports whether the statement names r's key: an inserted column, or an equality (or IN list) on it
// with a value, or with the key of another table of the statement that carries its own.
func carries(sql string, r ref, key string, all []ref) bool {
	low := strings.ToLower(sql)
	if m := regexp.MustCompile(`insert\s+into\s+` + r.table + `\s*\(([^)]*)\)`).FindStringSubmatch(low); m != nil {
		for _, c := range strings.Split(m[1], ",") {
			if strings.TrimSpace(c) == key {
				return true
			}
		}
	}
	where := setClause.ReplaceAllString(low, "$1")
	var q string
	if r.alias != "" {
		q = `(?:\b` + r.alias + `\.|[^.\w])`
	} else {
		q = `(?:\b` + r.table + `\.|[^.\w])`
	}
	// a value: ?, a literal, a hole standing for a value or a list of them
	val := regexp.MustCompile(q + key + `\s*(?:=\s*(?:\?|'|\$|\d|⟨)|in\s*\(\s*(?:\?|'|⟨)|=\s*any\s*\(\s*\?)`)
	if val.MatchString(where) {
		return true
	}
	// the key of another table of the statement that carries it: a join of co-located rows
	for _, o := range all {
		if o == r {
			continue
		}
		p, ok := distributed[o.table]
		if !ok || p.Add {
			continue
		}
		oq := o.table
		if o.alias != "" {
			oq = o.alias
		}
		rq := r.table
		if r.alias != "" {
			rq = r.alias
		}
		join := regexp.MustCompile(`\b` + rq + `\.` + key + `\s*=\s*` + oq + `\.` + p.Key + `\b|\b` + oq + `\.` + p.Key + `\s*=\s*` + rq + `\.` + key + `\b`)
		if join.MatchString(where) && carries(sql, o, p.Key, nil) {
			return true
		}
	}
	return false
}

// byIDFilter is the check behind the by-id reason: the table is filtered by the equality of an id column.
func byIDFilter(sql string, r ref) bool {
	low := setClause.ReplaceAllString(strings.ToLower(sql), "$1")
	q := `(?:\b` + r.table + `\.|[^.\w])`
	if r.alias != "" {
		q = `(?:\b` + r.alias + `\.|[^.\w])`
	}
	return regexp.MustCompile(q + `(?:id|case_id|rating_id|complaint_id|upload_id|applicant_id|token_hash|entity_id|bundle|window_id)\s*(?:=\s*(?:\?|⟨)|in\s*\(\s*(?:\?|⟨))`).MatchString(low)
}

// verdict is what the check finds in one package's statements.
type verdict struct {
	Statements, Touching, Carry, Awaiting int
	ByReason                              map[string]int
	Failures                              []string
	Used                                  map[[2]string]bool
}

func checkShards(stmts []sqlStmt, allow map[[2]string]string) verdict {
	v := verdict{ByReason: map[string]int{}, Used: map[[2]string]bool{}}
	known := map[string]bool{}
	for _, t := range reference {
		known[t] = true
	}
	for _, t := range coordinator {
		known[t] = true
	}
	for t := range distributed {
		known[t] = true
	}
	for _, s := range stmts {
		v.Statements++
		all := refs(s.Text)
		touching, ok, awaiting := false, true, false
		var reasons []string
		for _, r := range all {
			if !known[r.table] && !strings.HasPrefix(r.table, "⟨") {
				v.Failures = append(v.Failures, fmt.Sprintf("%s %s: table %s is in no list of the plan (distributed, reference, coordinator)", s.Pos, s.Func, r.table))
				ok = false
				continue
			}
			p, dist := distributed[r.table]
			if !dist {
				continue
			}
			touching = true
			if p.Add {
				awaiting = true
				continue
			}
			if carries(s.Text, r, p.Key, all) {
				continue
			}
			k := [2]string{s.Func, r.table}
			reason, listed := allow[k]
			switch {
			case !listed:
				v.Failures = append(v.Failures, fmt.Sprintf("%s %s: %s without its key %s (filter or insert it, or list the statement in crossShard with a reason):\n\t%s",
					s.Pos, s.Func, r.table, p.Key, oneLine(s.Text)))
				ok = false
			case reason == byID && !byIDFilter(s.Text, r):
				v.Failures = append(v.Failures, fmt.Sprintf("%s %s: %s is listed as read by id but is not filtered by one:\n\t%s", s.Pos, s.Func, r.table, oneLine(s.Text)))
				ok = false
			default:
				v.Used[k] = true
				reasons = append(reasons, reason)
			}
		}
		if !touching {
			continue
		}
		v.Touching++
		switch {
		case !ok:
		case len(reasons) > 0:
			v.ByReason[reasonName(reasons[0])]++
		case awaiting:
			v.Awaiting++
		default:
			v.Carry++
		}
	}
	return v
}

func reasonName(r string) string { return strings.SplitN(r, ":", 2)[0] }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestShardKeys is the check of docs/REGION.md against the code.
func TestShardKeys(t *testing.T) {
	stmts, sc, err := scanSQL(".", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range sc.Unread {
		// the migration files: the plan's DDL section rewrites them; integerTimes rewrites SQLite's times in
		// its migration, table by table, on SQLite only
		if !strings.Contains(u, "DB.Migrate:") && !strings.Contains(u, "DB.migrate:") && !strings.Contains(u, " integerTimes:") {
			t.Errorf("a statement the scanner cannot read (make it a constant, or teach sqlscan_test.go): %s", u)
		}
	}
	if len(stmts) < 300 {
		t.Fatalf("only %d statements found: the scanner lost its way", len(stmts))
	}
	v := checkShards(stmts, crossShard)
	for _, f := range v.Failures {
		t.Error(f)
	}
	var stale []string
	for k := range crossShard {
		if !v.Used[k] {
			stale = append(stale, k[0]+" "+k[1])
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("crossShard lists %s, which no statement needs any more: remove it", k)
	}
	var rs []string
	for r, n := range v.ByReason {
		rs = append(rs, fmt.Sprintf("%s %d", r, n))
	}
	sort.Strings(rs)
	t.Logf("%d statements; %d touch distributed tables: %d carry the key, %d wait for a key column the plan adds, cross-shard by reason: %s",
		v.Statements, v.Touching, v.Carry, v.Awaiting, strings.Join(rs, ", "))
}

// TestShardKeysCatchDrift runs the check on a small source: a statement on cases without its key fails it,
// the same with the key, or listed, passes.
func TestShardKeysCatchDrift(t *testing.T) {
	src := map[string]string{"x.go": "package store\n" +
		"const cols = `id, state`\n" +
		"func (tx *Tx) Good(org string) { tx.exec(`UPDATE cases SET state = ? WHERE handling_org = ? AND id = ?`, 1, org, 2) }\n" +
		"func (tx *Tx) Insert() { tx.exec(`INSERT INTO cases (id, handling_org, state) VALUES (?, ?, ?)`) }\n" +
		"func (db *DB) Join(ctx any) { db.query(ctx, `SELECT c.` + cols + ` FROM cases c JOIN case_clock k ON k.case_id = c.id AND k.handling_org = c.handling_org WHERE c.handling_org = ?`) }\n" +
		"func (db *DB) Drift(ctx any) { db.query(ctx, `SELECT ` + cols + ` FROM cases WHERE state = ?`, 1) }\n" +
		"func (tx *Tx) MovesKey(org string) { tx.exec(`UPDATE cases SET handling_org = ? WHERE state = 'x'`, org) }\n" +
		"func (db *DB) Subquery(ctx any) { db.query(ctx, `SELECT id FROM cases WHERE handling_org IN (SELECT id FROM orgs WHERE path >= ?)`) }\n" +
		"func (db *DB) Unknown(ctx any) { db.query(ctx, `SELECT id FROM brand_new WHERE x = ?`) }\n"}
	stmts, _, err := scanSQL(".", src)
	if err != nil {
		t.Fatal(err)
	}
	v := checkShards(stmts, nil)
	got := map[string]bool{}
	for _, f := range v.Failures {
		got[strings.TrimSuffix(strings.Fields(f)[1], ":")] = true
	}
	for _, fn := range []string{"DB.Drift", "Tx.MovesKey", "DB.Subquery", "DB.Unknown"} {
		if !got[fn] {
			t.Errorf("the check let %s pass: %v", fn, v.Failures)
		}
	}
	for _, fn := range []string{"Tx.Good", "Tx.Insert", "DB.Join"} {
		if got[fn] {
			t.Errorf("the check failed %s, which carries its key: %v", fn, v.Failures)
		}
	}
	v = checkShards(stmts, map[[2]string]string{{"DB.Drift", "cases"}: report, {"Tx.MovesKey", "cases"}: byID})
	for _, f := range v.Failures {
		if strings.Contains(f, "DB.Drift") {
			t.Errorf("a listed statement still fails: %s", f)
		}
	}
	if !strings.Contains(strings.Join(v.Failures, "\n"), "Tx.MovesKey: cases is listed as read by id") {
		t.Errorf("a statement listed as by id without an id filter passed: %v", v.Failures)
	}
}

// TestRegionDocNamesTables keeps docs/REGION.md and the plan above saying the same: every distributed table
// with its key, every reference table.
func TestRegionDocNamesTables(t *testing.T) {
	b, err := os.ReadFile("../../docs/REGION.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for tbl, p := range distributed {
		if !regexp.MustCompile("`" + tbl + "`[^\n]*`" + p.Key + "`").MatchString(doc) {
			t.Errorf("docs/REGION.md does not name the distributed table `%s` with its key `%s` on one line", tbl, p.Key)
		}
	}
	for _, tbl := range reference {
		if !strings.Contains(doc, "`"+tbl+"`") {
			t.Errorf("docs/REGION.md does not name the reference table `%s`", tbl)
		}
	}
}
