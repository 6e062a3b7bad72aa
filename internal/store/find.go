package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/org"
	"bianmin/internal/people"
)

// Find anything: cases and applicants by one search box (a case number with or without its township's
// prefix, an ID number or its last digits, a phone's last four, a name in characters or pinyin, an item),
// with filters, paged by keyset (never OFFSET: a page costs the same on the thousandth page as on the first,
// and a case received meanwhile neither repeats nor hides a row of the pages after it) and counted.

// CountCap is the most a list counts; beyond it the count reads "1000+". A count reads every row it counts
// (at a year of a million cases, ten thousand of them took a clerk's page from milliseconds to a second of
// reading); a thousand says "more than a page can show" as well, and costs a tenth.
const CountCap = 1000

// KeyKind is what the search box was given.
type KeyKind int

const (
	KeyNone     KeyKind = iota
	KeyCaseNo           // a case number with its prefix: 天山2026000518
	KeyIDNumber         // a whole ID number (GB 11643): 18 characters
	KeyDigits           // digits alone: a case number without prefix (10), the last digits of an ID number or a phone
	KeyText             // a name (characters or pinyin), an item
)

// Key is the search box's text, classified.
type Key struct {
	Kind   KeyKind
	Prefix string // KeyCaseNo: the township's prefix
	Digits string // KeyCaseNo, KeyDigits, KeyIDNumber: the digits (an ID number's X upper case)
	Text   string // KeyText
}

// caseNoDigits is the length of a case number without its prefix: the year and a six-digit serial.
const caseNoDigits = 10

// ParseKey classifies what was typed into the search box.
func ParseKey(q string) Key {
	q = strings.Join(strings.Fields(q), "")
	if q == "" {
		return Key{}
	}
	up := strings.ToUpper(people.NormalizeIDNumber(q))
	if len(up) == 18 && allDigits(up[:17]) && (up[17] == 'X' || allDigits(up[17:])) {
		return Key{Kind: KeyIDNumber, Digits: up}
	}
	// the digits at the end, and what comes before them
	i := len(up)
	for i > 0 && (up[i-1] >= '0' && up[i-1] <= '9') {
		i--
	}
	tail, head := up[i:], up[:i]
	if head == "" && len(tail) >= 4 {
		return Key{Kind: KeyDigits, Digits: tail}
	}
	if strings.HasSuffix(up, "X") && len(up) >= 4 && allDigits(up[:len(up)-1]) { // the last digits of an ID number ending in X
		return Key{Kind: KeyDigits, Digits: up}
	}
	if len(tail) == caseNoDigits && head != "" && !strings.ContainsAny(head, "0123456789") {
		return Key{Kind: KeyCaseNo, Prefix: head, Digits: tail}
	}
	return Key{Kind: KeyText, Text: strings.NewReplacer("%", "", "_", "", "\\", "").Replace(q)}
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9') && !(s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// noDigits is a case number without its prefix: what the search finds when the prefix is not typed.
func noDigits(no string) string {
	if len(no) < caseNoDigits {
		return no
	}
	return no[len(no)-caseNoDigits:]
}

// findKeys are an applicant's search columns, in the order name_key, id_tail, phone_tail: the pinyin of
// the name (full and initials, between spaces, lower case) and the last four of the ID number (of the credit
// code, for an organisation: migration 089) and phone, so that a search by last digits reads an index.
func findKeys(a people.Applicant) []any {
	full, ini := catalog.Pinyin(a.Name)
	key := " " + strings.ToLower(full) + " " + strings.ToLower(ini) + " "
	tail := last4(a.IDNumber)
	if a.IDNumber == "" {
		tail = last4(a.CreditCode)
	}
	return []any{key, tail, last4(a.Phone)}
}

func last4(s string) string {
	if len(s) < 4 {
		return ""
	}
	return s[len(s)-4:]
}

// fillFindKeys gives the applicants stored before the search columns and terms existed (or by a bulk load,
// which leaves them to this) their pinyin, last digits and name terms, a thousand at a time; the partial
// index on terms_of = 0 finds them, so that a start with nothing to fill reads nothing.
func (db *DB) fillFindKeys(ctx context.Context) error {
	for {
		rows, err := db.w.QueryContext(ctx, db.d.q(`SELECT id, name, id_number, credit_code, phone, org_id FROM applicants WHERE terms_of = 0 LIMIT 1000`))
		if err != nil {
			return err
		}
		var list []people.Applicant
		for rows.Next() {
			var a people.Applicant
			if err := rows.Scan(&a.ID, &a.Name, &a.IDNumber, &a.CreditCode, &a.Phone, &a.OrgID); err != nil {
				rows.Close()
				return err
			}
			list = append(list, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(list) == 0 {
			return err
		}
		if err := db.Write(ctx, func(tx *Tx) error {
			for _, a := range list {
				k := findKeys(a)
				if _, err := tx.exec(`UPDATE applicants SET name_key = ?, id_tail = ?, phone_tail = ? WHERE id = ?`, k[0], k[1], k[2], a.ID); err != nil {
					return err
				}
				if err := tx.writeTerms(a.ID, a.OrgID, a.Name); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
}

// maxTerm is the longest term kept, in bytes (a pinyin of a long organisation's name goes on and on).
const maxTerm = 96

// nameTerms are the search terms of an applicant's name (migration 026): each character and each pair of
// characters side by side in it, so that a search for 秀英 finds 王秀英 by its pair and one for 王 by its
// character; the pinyin and its initials from each syllable on, so that xiuying, wangxiu and xy find it as a
// prefix of a term. A pair is never made across a space (migration 088): a name holds a pair's term exactly
// when it holds the pair, so that the holders of a term of one or two characters are the names a search
// for them finds (termExact).
func nameTerms(name string) []string {
	var rs []rune
	var pairs []string
	var prev rune
	for _, r := range name {
		if unicode.IsSpace(r) {
			prev = 0
			continue
		}
		r = unicode.ToLower(r)
		rs = append(rs, r)
		if prev != 0 {
			pairs = append(pairs, string([]rune{prev, r}))
		}
		prev = r
	}
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if len(t) > maxTerm {
			t = t[:maxTerm]
			for !utf8.ValidString(t) {
				t = t[:len(t)-1]
			}
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, r := range rs {
		add("c:" + string(r))
	}
	for _, p := range pairs {
		add("b:" + p)
	}
	syl := catalog.PinyinSyllables(string(rs))
	for i := range syl {
		ini := ""
		for _, s := range syl[i:] {
			ini += s[:1]
		}
		add("p:" + strings.Join(syl[i:], ""))
		add("i:" + ini)
	}
	return out
}

// writeTerms replaces an applicant's name terms and marks them made.
func (tx *Tx) writeTerms(id, orgID, name string) error {
	if _, err := tx.exec(`DELETE FROM applicant_terms WHERE applicant_id = ?`, id); err != nil {
		return errs.Wrap(err, "applicant terms")
	}
	terms := nameTerms(name)
	if len(terms) > 0 {
		args := make([]any, 0, 3*len(terms))
		for _, t := range terms {
			args = append(args, t, orgID, id)
		}
		if _, err := tx.exec(`INSERT INTO applicant_terms (term, org_id, applicant_id) VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(terms)), ", "), args...); err != nil {
			return errs.Wrap(err, "applicant terms")
		}
	}
	_, err := tx.exec(`UPDATE applicants SET terms_of = 1 WHERE id = ?`, id)
	return errs.Wrap(err, "applicant terms")
}

// holdersWhere is the condition on applicant_terms of the applicants whose name holds a text's term
// (termWhere), kept to the organisations orgs selects (a condition on org_id with its arguments, read from the
// same index, migration 034; "" for all); empty for an empty text.
func holdersWhere(text, orgs string, orgArgs ...any) (string, []any) {
	cond, args := termWhere(text)
	if cond != "" && orgs != "" {
		cond += ` AND ` + orgs
		args = append(args, orgArgs...)
	}
	return cond, args
}

// termCond is the condition that finds the applicants whose name holds a text, by its term (nameTerms): a
// character, a pair of characters, or a prefix of a pinyin or of its initials. The text's own LIKE is kept
// beside it by the caller, so that a longer text must still appear whole.
func termCond(d dialect, col, text, orgs string, orgArgs ...any) (string, []any) {
	cond, args := holdersWhere(text, orgs, orgArgs...)
	if cond == "" {
		return "1 = 0", nil
	}
	return d.inSelect(col, `SELECT applicant_id FROM applicant_terms WHERE `+cond), args
}

// termHolders counts the applicants whose terms meet a holdersWhere condition, up to many+1: whether a search
// walks newest first rather than gathering the holders (wideName, wideApplicants), and, for a text whose term
// is exact (termExact), the count itself.
func (db *DB) termHolders(ctx context.Context, cond string, args []any, many int) (int, error) {
	if cond == "" {
		return 0, nil
	}
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM applicant_terms WHERE `+cond+` LIMIT ?) t`, append(slices.Clone(args), many+1)...).Scan(&n); err != nil {
		return 0, errs.Wrap(err, "count names")
	}
	return n, nil
}

// termExact reports whether the names holding a text's term are exactly those a search for the text finds
// (the name LIKE the text, or its pinyin): one or two characters of a script without letter case (Chinese,
// Mongolian), whose terms are the character and the pair as the name holds them (nameTerms). The pinyin
// column holds Latin letters alone, so such a text never matches it. A Latin text is found inside the pinyin
// anywhere, its terms only from a syllable on; a longer text by its first pair, which more names hold.
func termExact(text string) bool {
	rs := []rune(text)
	if len(rs) == 0 || len(rs) > 2 {
		return false
	}
	for _, r := range rs {
		if r < utf8.RuneSelf || unicode.IsSpace(r) || unicode.ToLower(r) != r || unicode.ToUpper(r) != r {
			return false
		}
	}
	return true
}

// termWhere is the condition on applicant_terms that finds a text's term; empty for an empty text.
func termWhere(text string) (string, []any) {
	t := strings.ToLower(strings.Join(strings.Fields(text), ""))
	rs := []rune(t)
	ascii := true
	for _, r := range rs {
		if r >= utf8.RuneSelf {
			ascii = false
		}
	}
	switch {
	case len(rs) == 0:
		return "", nil
	case !ascii && len(rs) == 1:
		return `term = ?`, []any{"c:" + t}
	case !ascii:
		return `term = ?`, []any{"b:" + string(rs[:2])}
	}
	// a prefix: the terms from "p:wang" up to the next string after every "p:wang..."
	return `((term >= ? AND term < ?) OR (term >= ? AND term < ?))`, []any{"p:" + t, "p:" + t + "\uffff", "i:" + t, "i:" + t + "\uffff"}
}

// CaseQuery is a search of cases: the actor's scope, the search box, the filters, the order and the page.
type CaseQuery struct {
	Root    string   // the scope: handled or received in this subtree (the actor's organisation's path)
	rootIDs []string // PostgreSQL: the subtree's organisations, listed (see SearchCases)
	// townships: every organisation of the subtree that lies in a township has its township in the subtree too
	// (the root is a township or above it): a case received in the scope and handled by its receiver's
	// township is handled in the scope (queueProbes)
	townships bool
	// commonName: the name searched for is held by more than wideName applicants (乌云, 巴特尔): their cases
	// are found walking the newest first, not gathered applicant by applicant and sorted
	commonName bool
	All        bool   // the actor's subtree holds every organisation: the scope needs no condition
	Department string // or, for a department, of the cases it works (cases.department: its items', and those handed to it by a 转办)
	Key        Key
	ItemIDs    []string // the items whose names match Key.Text (the catalog's search)
	State      cases.State
	Card       string // yellow, red
	Channel    string
	Item       string
	Window     string // the receiving organisation (a window or station)
	Person     string // who received it
	From       int    // received on or after (yyyymmdd)
	Until      int    // received on or before (yyyymmdd)
	Open       string // "open", "closed", "" both
	// Queue orders what the actor acts on (cases in one of ActOn's states) first, then by the nearest due
	// day; otherwise the newest received come first.
	Queue bool
	ActOn []cases.State
	After string // the cursor of the page before
	Limit int
}

// CasePage is one page of a case search.
type CasePage struct {
	Cases  []cases.Case
	Names  map[string]string // the applicant's name by case id
	Total  int               // cases matching, counted up to CountCap
	Capped bool              // more than CountCap match
	Next   string
}

var (
	closedStates = []any{string(cases.Delivered), string(cases.Refused), string(cases.Terminated), string(cases.Revoked)}
	// openStates are named rather than "not closed", so that an index on (organisation, state) finds the
	// open cases without reading the closed ones
	openStates = []any{string(cases.Received), string(cases.Correction), string(cases.Accepted), string(cases.Suspended), string(cases.Decided), string(cases.Issued)}
)

func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func strs(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// where builds the conditions of a case query (without its cursor); lead lets the scope lead the plan
// whatever the order (a count needs no order: it always may).
func (q CaseQuery) where(d dialect, lead bool) (string, []any) {
	var w []string
	var args []any
	add := func(cond string, a ...any) { w = append(w, cond); args = append(args, a...) }
	if !q.All {
		// The scope either leads (the queue and the selective filters: an index on (organisation, state)
		// finds the few cases) or only filters the rows another index yields in order (newest first: the
		// (received_on, id) index read backwards, or a key's own index); "|| ''" keeps an engine from
		// leading with it where it would sort every case of a township.
		scope, sargs := q.scope(d, "c.", lead || q.Queue || q.State != "" || q.Card != "" || q.Open == "open")
		add(scope, sargs...)
	}
	switch k := q.Key; k.Kind {
	case KeyCaseNo:
		add(`c.case_no = ?`, k.Prefix+k.Digits)
	case KeyIDNumber:
		add(d.inSelect(`c.applicant_id`, `SELECT id FROM applicants WHERE id_number = ?`), k.Digits)
	case KeyDigits:
		var or []string
		if len(k.Digits) == caseNoDigits {
			or = append(or, `c.no_digits = ?`)
			args = append(args, k.Digits)
		}
		sub := `(id_tail = ? AND id_number LIKE ?)`
		subArgs := []any{last4(k.Digits), "%" + k.Digits}
		if !strings.HasSuffix(k.Digits, "X") {
			sub += ` OR (phone_tail = ? AND phone LIKE ?)`
			subArgs = append(subArgs, last4(k.Digits), "%"+k.Digits)
		}
		or = append(or, d.inSelect(`c.applicant_id`, `SELECT id FROM applicants WHERE `+sub))
		args = append(args, subArgs...)
		w = append(w, "("+strings.Join(or, " OR ")+")")
	case KeyText:
		cond, cargs := termCond(d, "id", k.Text, "")
		col := `c.applicant_id`
		if q.commonName && !lead {
			col = `(c.applicant_id || '')`
		}
		or := []string{d.inSelect(col, `SELECT id FROM applicants WHERE `+cond+` AND (name LIKE ? OR name_key LIKE ?)`)}
		args = append(append(args, cargs...), "%"+k.Text+"%", "%"+strings.ToLower(k.Text)+"%")
		if len(q.ItemIDs) > 0 {
			or = append(or, `c.item_id IN (`+marks(len(q.ItemIDs))+`)`)
			args = append(args, strs(q.ItemIDs)...)
		}
		w = append(w, "("+strings.Join(or, " OR ")+")")
	}
	if q.State != "" {
		add(`c.state = ?`, string(q.State))
	}
	if q.Card != "" {
		add(`k.card = ?`, q.Card)
	}
	if q.Channel != "" {
		add(`c.channel = ?`, q.Channel)
	}
	if q.Item != "" {
		add(`c.item_id = ?`, q.Item)
	}
	if q.Window != "" {
		add(`c.receiving_org = ?`, q.Window)
	}
	if q.Person != "" {
		add(`c.received_by = ?`, q.Person)
	}
	if q.From > 0 {
		add(`c.received_on >= ?`, q.From)
	}
	if q.Until > 0 {
		add(`c.received_on <= ?`, q.Until)
	}
	switch q.Open {
	case "open":
		add(`c.state IN (`+marks(len(openStates))+`)`, openStates...)
	case "closed":
		add(`c.state IN (`+marks(len(closedStates))+`)`, closedStates...)
	}
	if len(w) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(w, " AND "), args
}

// scope is the condition that keeps a query to the actor's subtree (and, for a department, the cases it works:
// its items' and those a 转办 gave it), on the columns of the table aliased by t ("c." cases, "k." case_clock:
// both hold the handling and receiving organisations and the department). Unless lead, the columns are
// wrapped so that no index on them is chosen.
func (q CaseQuery) scope(d dialect, t string, lead bool) (string, []any) {
	wrap := func(col string) string { return "(" + t + col + " || '')" }
	if lead {
		wrap = func(col string) string { return t + col }
	}
	var or []string
	var args []any
	if len(q.rootIDs) > 0 {
		or = append(or, wrap("handling_org")+` IN (`+marks(len(q.rootIDs))+`)`, wrap("receiving_org")+` IN (`+marks(len(q.rootIDs))+`)`)
		args = append(append(args, strs(q.rootIDs)...), strs(q.rootIDs)...)
	} else if q.Root != "" {
		// the subtree's organisations by their paths: a short query text whatever the subtree's size
		// (a list of a banner's three hundred ids cost more to parse and plan than to run)
		lo, hi := subtreeRange(q.Root)
		sub := `SELECT id FROM orgs WHERE path >= ? AND path < ?`
		or = append(or, d.inSelect(wrap("handling_org"), sub), d.inSelect(wrap("receiving_org"), sub))
		args = append(args, lo, hi, lo, hi)
	}
	if q.Department != "" {
		or = append(or, wrap("department")+` = ?`)
		args = append(args, q.Department)
	}
	if len(or) == 0 {
		return "1 = 0", nil // nobody's scope is empty by accident: an empty one finds nothing
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

type cursor struct {
	Queue bool   `json:"q,omitempty"`
	Key   int64  `json:"k"`
	ID    string `json:"i"`
}

func (c cursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseCursor(s string, queue bool) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" || c.Queue != queue {
		return c, errs.Field("cursor", "err.find.cursor")
	}
	return c, nil
}

// SearchCases finds one page of cases and counts them all.
func (db *DB) SearchCases(ctx context.Context, q CaseQuery) (CasePage, error) {
	var page CasePage
	from := ` FROM cases c`
	if q.Queue || q.Card != "" {
		from += ` JOIN case_clock k ON k.case_id = c.id`
	}
	if db.d.dollar && !q.All && q.Root != "" {
		// PostgreSQL plans a list of ids well (it estimates an array from a subquery blindly, and at 100,000
		// cases chose to hash the whole clock table); SQLite runs the path range as a subquery once
		ids, kind, err := db.orgsUnder(ctx, q.Root)
		if err != nil {
			return page, err
		}
		q.rootIDs = append(ids, "") // never empty: an empty subtree finds nothing
		q.townships = kind.HoldsTownships()
	}
	if q.Queue {
		return page, db.queuePage(ctx, q, &page)
	}
	if q.Key.Kind == KeyText {
		cond, args := holdersWhere(q.Key.Text, "")
		n, err := db.termHolders(ctx, cond, args, wideName)
		if err != nil {
			return page, err
		}
		q.commonName = n > wideName
	}
	where, args := q.where(db.d, true)
	// the count, up to CountCap: a search matching half a million cases need not count them all
	if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1`+from+where+` LIMIT ?) t`, append(args, CountCap+1)...).Scan(&page.Total); err != nil {
		return page, errs.Wrap(err, "count cases")
	}
	if page.Total > CountCap {
		page.Total, page.Capped = CountCap, true
	}
	sortKey, order := `c.received_on`, ` ORDER BY c.received_on DESC, c.id DESC`
	conds, cargs := q.where(db.d, false)
	if q.After != "" {
		cur, err := parseCursor(q.After, false)
		if err != nil {
			return page, err
		}
		keyset := `(` + sortKey + ` < ? OR (` + sortKey + ` = ? AND c.id < ?))`
		if conds == "" {
			conds = " WHERE " + keyset
		} else {
			conds += " AND " + keyset
		}
		cargs = append(cargs, cur.Key, cur.Key, cur.ID)
	}
	// the page's ids first, in order, without their documents (a sort that carried every matching case's
	// document would read them all); then the documents of those alone
	rows, err := db.query(ctx, `SELECT t.k, t.id, (SELECT a.name FROM applicants a WHERE a.id = c.applicant_id), `+caseCols+`
		FROM (SELECT `+sortKey+` AS k, c.id AS id`+from+conds+order+` LIMIT ?) t JOIN cases c ON c.id = t.id
		ORDER BY t.k DESC, t.id DESC`, append(cargs, q.Limit+1)...)
	if err != nil {
		return page, errs.Wrap(err, "search cases")
	}
	defer rows.Close()
	var last cursor
	page.Names = map[string]string{}
	for rows.Next() {
		var key int64
		var id string
		var name sql.NullString
		var r caseRow
		if err := rows.Scan(append([]any{&key, &id, &name}, r.dest()...)...); err != nil {
			return page, err
		}
		if len(page.Cases) == q.Limit {
			page.Next = last.String()
			break
		}
		c, err := db.readCase(db.rowsOn(ctx), r)
		if err != nil {
			return page, err
		}
		page.Cases = append(page.Cases, c)
		page.Names[c.ID] = name.String
		last = cursor{Key: key, ID: id}
	}
	return page, rows.Err()
}

// wideApplicants is how many of a scope's applicants a name may match before a search of applicants for it
// walks them newest first, keeping those whose name holds it: a page of 巴特尔, held by 8,877 of a generated
// banner's 124,918 applicants, is in the newest four hundred, where gathering every holder and sorting them
// took 57 ms on a quiet PostgreSQL and half a second under the desk's load (BENCHMARKS.md). A township's 548
// holders are fewer than its applicants' newest thousands a walk would read: they are gathered.
var wideApplicants = 2000

// wideName is how many applicants a name may match before a search for it walks the cases newest first (a
// page of a name held by thousands is found in the first few hundred cases; gathering every case of every
// holder and sorting them read 72,000 at a million cases: a second).
var wideName = 300

// queueSegment separates the queue's two parts in its cursor's key: what the actor acts on (0 + the due
// day), then the other open cases (queueSegment + the due day); a queue day is at most cases.NoDueDay.
const queueSegment = cases.NoDueDay + 1

// openCount counts the region's open cases, up to a cap, on an index that holds only open ones (the queue's,
// migration 095; TestClockIndexesServeTheirQueries).
const openCount = `SELECT count(*) FROM (SELECT 1 FROM case_clock k WHERE k.queue_due > 0 LIMIT ?) t`

// queuePage reads a page of the queue in its order: first the open cases in a state the actor acts on, then
// the other open ones, each by the nearest due day. A scope of up to CountCap open cases (a township, a
// station, most departments) is read whole from its own open-row indexes and put in order here; a larger one
// (a banner, a busy township) is read in index order from the clock rows' index (migration 023) and stops at
// the page's end, so that a queue over a whole banner costs a page and not a sort of every open case.
func (db *DB) queuePage(ctx context.Context, q CaseQuery, page *CasePage) error {
	var cur cursor
	if q.After != "" {
		var err error
		if cur, err = parseCursor(q.After, true); err != nil {
			return err
		}
	}
	var got []queueEntry
	var err error
	if q.All {
		err = db.queueCount(ctx, openCount, nil, &page.Total)
	} else {
		err = db.queueArmsCount(ctx, q, &page.Total)
	}
	if err != nil {
		return err
	}
	switch {
	case !q.All && page.Total <= queueArmsMax:
		got, err = db.queueArms(ctx, q, cur)
	case !q.All && db.d.dollar:
		got, err = db.queueProbes(ctx, q, cur)
	default:
		got, err = db.queueWalk(ctx, q, cur)
	}
	if page.Total > CountCap {
		page.Total, page.Capped = CountCap, true
	}
	if err != nil {
		return err
	}
	if len(got) > q.Limit {
		got = got[:q.Limit]
		last := got[len(got)-1]
		page.Next = cursor{Queue: true, Key: last.key, ID: last.id}.String()
	}
	ids := make([]any, len(got))
	for i, e := range got {
		ids[i] = e.id
	}
	page.Names = map[string]string{}
	if len(ids) == 0 {
		return nil
	}
	rows, err := db.query(ctx, `SELECT (SELECT a.name FROM applicants a WHERE a.id = c.applicant_id), `+caseCols+` FROM cases c WHERE c.id IN (`+marks(len(ids))+`)`, ids...)
	if err != nil {
		return errs.Wrap(err, "queue")
	}
	defer rows.Close()
	byID := map[string]cases.Case{}
	for rows.Next() {
		var name sql.NullString
		var r caseRow
		if err := rows.Scan(append([]any{&name}, r.dest()...)...); err != nil {
			return err
		}
		c, err := db.readCase(db.rowsOn(ctx), r)
		if err != nil {
			return err
		}
		byID[c.ID] = c
		page.Names[c.ID] = name.String
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range got {
		if c, ok := byID[e.id]; ok {
			page.Cases = append(page.Cases, c)
		}
	}
	return nil
}

// queueArmsMax is the most open cases a scope may have for its queue to be read whole from its own
// indexes and ordered here; a larger one walks the banner's index in order (a variable for the tests, which
// check that both ways give one order).
var queueArmsMax = CountCap

// queueEntry is a case's place in the queue: its segment and due day as one key (queueSegment), and its id.
type queueEntry struct {
	key int64
	id  string
}

// queueKey places a clock row in the queue: what the actor acts on first, then the rest, each by due day.
func queueKey(due int64, state string, actOn []cases.State) int64 {
	if len(actOn) > 0 && !slices.Contains(actOn, cases.State(state)) {
		return queueSegment + due
	}
	return due
}

func (db *DB) queueCount(ctx context.Context, query string, args []any, n *int) error {
	var c int
	if err := db.queryRow(ctx, query, append(args, CountCap+1-*n)...).Scan(&c); err != nil {
		return errs.Wrap(err, "count queue")
	}
	*n += c
	return nil
}

// queueArm is one disjoint part of a scope's open rows, on the columns of case_clock aliased k.
type queueArm struct {
	cond string
	args []any
}

// queueArms splits the scope into parts no case is in twice, each served by its own open-row index
// (migrations 033, 071): the cases handled in the subtree; those received in it and handled elsewhere; and,
// for a department, those it works (its items', and those a 转办 gave it) handled and received elsewhere.
func (q CaseQuery) queueArms(d dialect) []queueArm {
	var in, notIn func(col string) (string, []any)
	switch {
	case len(q.rootIDs) > 0:
		in = func(col string) (string, []any) { return col + ` IN (` + marks(len(q.rootIDs)) + `)`, strs(q.rootIDs) }
		notIn = func(col string) (string, []any) {
			return col + ` NOT IN (` + marks(len(q.rootIDs)) + `)`, strs(q.rootIDs)
		}
	case q.Root != "":
		lo, hi := subtreeRange(q.Root)
		sub := `SELECT id FROM orgs WHERE path >= ? AND path < ?`
		in = func(col string) (string, []any) { return d.inSelect(col, sub), []any{lo, hi} }
		notIn = func(col string) (string, []any) { return `NOT (` + d.inSelect(col, sub) + `)`, []any{lo, hi} }
	}
	var arms []queueArm
	join := func(parts ...func() (string, []any)) queueArm {
		var a queueArm
		var conds []string
		for _, p := range parts {
			c, args := p()
			conds = append(conds, c)
			a.args = append(a.args, args...)
		}
		a.cond = strings.Join(conds, " AND ")
		return a
	}
	if in != nil {
		arms = append(arms,
			join(func() (string, []any) { return in("k.handling_org") }),
			// handling_org <> receiving_org follows from the two, and is said so that the arm's partial index
			// (migration 087) is chosen
			join(func() (string, []any) { return in("k.receiving_org") }, func() (string, []any) { return notIn("k.handling_org") },
				func() (string, []any) { return `k.handling_org <> k.receiving_org`, nil }))
	}
	if q.Department != "" {
		parts := []func() (string, []any){func() (string, []any) {
			return `k.department = ?`, []any{q.Department}
		}}
		if notIn != nil {
			parts = append(parts, func() (string, []any) { return notIn("k.handling_org") }, func() (string, []any) { return notIn("k.receiving_org") })
		}
		arms = append(arms, join(parts...))
	}
	return arms
}

// queueArmsCount counts the scope's open rows, up to CountCap+1, arm by arm.
func (db *DB) queueArmsCount(ctx context.Context, q CaseQuery, n *int) error {
	for _, a := range q.queueArms(db.d) {
		if *n > CountCap {
			break
		}
		if err := db.queueCount(ctx, `SELECT count(*) FROM (SELECT 1 FROM case_clock k WHERE k.queue_due > 0 AND `+a.cond+` LIMIT ?) t`, a.args, n); err != nil {
			return err
		}
	}
	return nil
}

// queueArms reads all of a small scope's open rows (at most CountCap) and puts them in the queue's order.
func (db *DB) queueArms(ctx context.Context, q CaseQuery, cur cursor) ([]queueEntry, error) {
	var all []queueEntry
	for _, a := range q.queueArms(db.d) {
		rows, err := db.query(ctx, `SELECT k.queue_due, k.case_id, k.state FROM case_clock k WHERE k.queue_due > 0 AND `+a.cond, a.args...)
		list, err := collect(rows, err, func(r interface{ Scan(...any) error }) (queueEntry, error) {
			var e queueEntry
			var state string
			err := r.Scan(&e.key, &e.id, &state)
			e.key = queueKey(e.key, state, q.ActOn)
			return e, err
		})
		if err != nil {
			return nil, errs.Wrap(err, "queue")
		}
		all = append(all, list...)
	}
	slices.SortFunc(all, func(a, b queueEntry) int {
		return cmp.Or(cmp.Compare(a.key, b.key), strings.Compare(a.id, b.id))
	})
	if q.After != "" {
		at, _ := slices.BinarySearchFunc(all, cur, func(e queueEntry, c cursor) int {
			return cmp.Or(cmp.Compare(e.key, c.Key), strings.Compare(e.id, c.ID))
		})
		if at < len(all) && all[at].key == cur.Key && all[at].id == cur.ID {
			at++
		}
		all = all[at:]
	}
	return all[:min(len(all), q.Limit+1)], nil
}

// segmentStates are the states of a queue's segment: what the actor acts on (0), then the other open states
// (1); with nothing to act on, the first is empty and the second holds every open state.
func (q CaseQuery) segmentStates(seg int) []string {
	var out []string
	for _, st := range openStates {
		if (seg == 0) == (len(q.ActOn) > 0 && slices.Contains(q.ActOn, cases.State(st.(string)))) {
			out = append(out, st.(string))
		}
	}
	return out
}

// pgArray is a list as one PostgreSQL text[] literal: a banner's three hundred organisations in one argument.
func pgArray(list []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`)
	}
	b.WriteByte('}')
	return b.String()
}

// queueProbes reads a page of a large scope's queue on PostgreSQL as short reads in due order, one for each
// of the scope's organisations (and its department) and each state of the segment, each stopping at the
// page's end (migration 087's indexes), merged in one statement. In a region the scope's open cases are a
// small share of the clock's due-order index that queueWalk reads and filters, and a state the actor acts on
// that the scope holds few of would make that walk read every open case of the region: a probe of an
// organisation with nothing open in a state costs one descent of an index, so a page costs about the
// scope's organisations times the states, however many cases are open.
func (db *DB) queueProbes(ctx context.Context, q CaseQuery, cur cursor) ([]queueEntry, error) {
	orgs, deptStates := pgArray(q.rootIDs), "{}"
	var got []queueEntry
	for seg := range 2 {
		base := int64(seg) * queueSegment
		states := q.segmentStates(seg)
		if len(states) == 0 || len(got) > q.Limit || (q.After != "" && cur.Key >= base+queueSegment) {
			continue
		}
		// from the cursor within its segment, from the start of the next (every open row's due day is above 0)
		from := cursor{Key: 0}
		if q.After != "" && cur.Key >= base {
			from = cursor{Key: cur.Key - base, ID: cur.ID}
		}
		n := q.Limit + 1 - len(got)
		stateList := pgArray(states)
		if q.Department != "" {
			deptStates = stateList
		}
		// the three arms of queueArms, each probed per organisation (none for an empty list) and state: the
		// cases handled in the subtree; those received in it and handled elsewhere; a department's, handled and
		// received elsewhere (no state to probe without a department). A scope that holds its receivers'
		// townships handles whatever a receiver's township handles: its receiving arm reads only the cases
		// handled by neither (migration 091's index)
		away := ``
		if q.townships {
			away = ` AND k.handling_org <> k.receiving_township`
		}
		rows, err := db.query(ctx, `SELECT x.queue_due, x.case_id FROM (
			SELECT p.queue_due, p.case_id FROM unnest(?::text[]) o(id) CROSS JOIN unnest(?::text[]) s(st) CROSS JOIN LATERAL (
				SELECT k.queue_due, k.case_id FROM case_clock k WHERE k.handling_org = o.id AND k.state = s.st AND k.queue_due > 0
					AND (k.queue_due, k.case_id) > (?, ?) ORDER BY k.queue_due, k.case_id LIMIT ?) p
			UNION ALL
			SELECT p.queue_due, p.case_id FROM unnest(?::text[]) o(id) CROSS JOIN unnest(?::text[]) s(st) CROSS JOIN LATERAL (
				SELECT k.queue_due, k.case_id FROM case_clock k WHERE k.receiving_org = o.id AND k.state = s.st AND k.queue_due > 0
					AND k.handling_org <> k.receiving_org`+away+` AND k.handling_org <> ALL (?::text[])
					AND (k.queue_due, k.case_id) > (?, ?) ORDER BY k.queue_due, k.case_id LIMIT ?) p
			UNION ALL
			SELECT p.queue_due, p.case_id FROM unnest(?::text[]) s(st) CROSS JOIN LATERAL (
				SELECT k.queue_due, k.case_id FROM case_clock k WHERE k.department = ? AND k.state = s.st AND k.queue_due > 0
					AND k.handling_org <> ALL (?::text[]) AND k.receiving_org <> ALL (?::text[])
					AND (k.queue_due, k.case_id) > (?, ?) ORDER BY k.queue_due, k.case_id LIMIT ?) p
			) x ORDER BY x.queue_due, x.case_id LIMIT ?`,
			orgs, stateList, from.Key, from.ID, n,
			orgs, stateList, orgs, from.Key, from.ID, n,
			deptStates, q.Department, orgs, orgs, from.Key, from.ID, n,
			n)
		list, err := collectSegment(rows, err, base)
		if err != nil {
			return nil, err
		}
		got = append(got, list...)
	}
	return got, nil
}

// collectSegment reads a segment's rows of (due day, case) into queue entries, the segment's base added.
func collectSegment(rows *sql.Rows, err error, base int64) ([]queueEntry, error) {
	list, err := collect(rows, err, func(r interface{ Scan(...any) error }) (queueEntry, error) {
		var e queueEntry
		err := r.Scan(&e.key, &e.id)
		e.key += base
		return e, err
	})
	return list, errs.Wrap(err, "queue")
}

// queueWalk reads a page of the queue in the clock's due-order index, in its two parts, each stopping at the
// page's end: the whole region's (no scope to filter by), and a large scope's on SQLite, where a banner is the
// whole file.
func (db *DB) queueWalk(ctx context.Context, q CaseQuery, cur cursor) ([]queueEntry, error) {
	var scope string
	var scopeArgs []any
	if !q.All {
		scope, scopeArgs = q.scope(db.d, "k.", true)
		scope = " AND " + scope
	}
	acts := make([]any, len(q.ActOn))
	for i, st := range q.ActOn {
		acts[i] = string(st)
	}
	var got []queueEntry
	for seg := range 2 {
		base := int64(seg) * queueSegment
		if len(got) > q.Limit || (q.After != "" && cur.Key >= base+queueSegment) {
			continue
		}
		cond, args := ` WHERE k.queue_due > 0`, []any{}
		switch {
		case len(acts) == 0 && seg == 0:
			continue // nothing the actor acts on: the queue is the open cases by due day
		case len(acts) > 0 && seg == 0:
			cond += ` AND k.state IN (` + marks(len(acts)) + `)`
			args = append(args, acts...)
		case len(acts) > 0:
			cond += ` AND k.state NOT IN (` + marks(len(acts)) + `)`
			args = append(args, acts...)
		}
		if q.After != "" && cur.Key >= base {
			cond += ` AND (k.queue_due, k.case_id) > (?, ?)`
			args = append(args, cur.Key-base, cur.ID)
		}
		args = append(append(args, scopeArgs...), q.Limit+1-len(got))
		rows, err := db.query(ctx, `SELECT k.queue_due, k.case_id FROM case_clock k`+cond+scope+` ORDER BY k.queue_due, k.case_id LIMIT ?`, args...)
		list, err := collectSegment(rows, err, base)
		if err != nil {
			return nil, err
		}
		got = append(got, list...)
	}
	return got, nil
}

// ApplicantQuery is a search of applicants: the organisations they belong to, the search box, the page.
type ApplicantQuery struct {
	Root  string // the scope: the actor's subtree (its path)
	All   bool   // which holds every organisation
	Key   Key
	After string
	Limit int
	// commonName: the name searched for is held by more than wideApplicants of the scope's applicants (巴特尔
	// across a banner): they are found walking the applicants newest first, not gathered and sorted
	commonName bool
}

// ApplicantPage is one page of applicants, newest first.
type ApplicantPage struct {
	List   []people.Applicant
	Total  int
	Capped bool
	Next   string
}

// termOrgs is the scope's condition on applicant_terms (its org_id), "" for every organisation.
func (q ApplicantQuery) termOrgs(d dialect) (string, []any) {
	if q.All || q.Root == "" {
		return "", nil
	}
	lo, hi := subtreeRange(q.Root)
	return d.inSelect("org_id", `SELECT id FROM orgs WHERE path >= ? AND path < ?`), []any{lo, hi}
}

func (q ApplicantQuery) where(d dialect) (string, []any) {
	var w []string
	var args []any
	if !q.All {
		if q.Root == "" {
			w = append(w, "1 = 0")
		} else {
			lo, hi := subtreeRange(q.Root)
			w = append(w, `o.path >= ? AND o.path < ?`)
			args = append(args, lo, hi)
		}
	}
	switch k := q.Key; k.Kind {
	case KeyIDNumber:
		w = append(w, `a.id_number = ?`)
		args = append(args, k.Digits)
	case KeyDigits:
		// a credit code's last four are in id_tail too (findKeys): a LIKE on the code alone read every applicant
		w = append(w, `((a.id_tail = ? AND (a.id_number LIKE ? OR a.credit_code LIKE ?)) OR (a.phone_tail = ? AND a.phone LIKE ?))`)
		args = append(args, last4(k.Digits), "%"+k.Digits, "%"+k.Digits, last4(k.Digits), "%"+k.Digits)
	case KeyCaseNo, KeyText:
		t := k.Text
		if k.Kind == KeyCaseNo {
			t = k.Prefix + k.Digits
		}
		// a credit code (GB 32100: eighteen letters and digits), exactly; otherwise the name by its terms (an
		// index), then whole. Not both at once: an OR of the two reads every applicant.
		if cc, ok := creditCode(k); ok {
			w = append(w, `a.credit_code = ?`)
			args = append(args, cc)
		} else {
			orgs, orgArgs := q.termOrgs(d)
			// the terms narrow the applicants to those whose name may hold the text; the LIKE decides
			if !q.commonName {
				cond, cargs := termCond(d, "a.id", t, orgs, orgArgs...)
				w = append(w, cond)
				args = append(args, cargs...)
			}
			w = append(w, `(a.name LIKE ? OR a.name_key LIKE ?)`)
			args = append(args, "%"+t+"%", "%"+strings.ToLower(t)+"%")
		}
	}
	if len(w) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(w, " AND "), args
}

// creditCode is the search box's text as a credit code (GB 32100: eighteen letters and digits), if it is one:
// an applicant search looks it up exactly instead of by name.
func creditCode(k Key) (string, bool) {
	t := k.Text
	if k.Kind == KeyCaseNo {
		t = k.Prefix + k.Digits
	} else if k.Kind != KeyText {
		return "", false
	}
	cc := strings.ToUpper(t)
	return cc, len(cc) == 18 && isAlnum(cc)
}

// SearchApplicants finds one page of applicants, newest first (ids sort by when they were made: internal/ids),
// and counts them all.
//
// A name is found by its term (nameTerms), in one of three ways chosen by how many hold it. Held by few
// (wideApplicants), its holders are gathered and sorted. Held by many and by more than a page's cap, it is
// walked: the scope's applicants newest first, keeping those whose name holds it, a page in the first few
// hundred. Its term held by many but the text by few (周秀英 among the 5,380 holders of 周秀 at ten million),
// the count has read every holder, and the page is gathered among them (a walk would read the scope's
// applicants to their end to find the few).
func (db *DB) SearchApplicants(ctx context.Context, q ApplicantQuery) (ApplicantPage, error) {
	var page ApplicantPage
	if !q.All && q.Root == "" {
		return page, nil // nobody's scope is empty by accident: an empty one finds nothing
	}
	_, byCode := creditCode(q.Key)
	byTerms := q.Key.Kind == KeyText && !byCode
	counted, amongHolders := false, false
	var holders string // the condition on applicant_terms of the text's holders in the scope
	var holderArgs []any
	if byTerms {
		orgs, orgArgs := q.termOrgs(db.d)
		holders, holderArgs = holdersWhere(q.Key.Text, orgs, orgArgs...)
		// counted to whichever is more, the walk's threshold or the count's cap
		n, err := db.termHolders(ctx, holders, holderArgs, max(wideApplicants, CountCap))
		if err != nil {
			return page, err
		}
		q.commonName = n > wideApplicants
		// the names holding the term are those the search finds: counted already, from the terms' index alone
		if termExact(q.Key.Text) {
			page.Total, counted = n, true
		}
	}
	likeArgs := []any{"%" + q.Key.Text + "%", "%" + strings.ToLower(q.Key.Text) + "%"}
	where, args := q.where(db.d)
	switch {
	case counted:
	case byTerms && q.commonName && holders != "":
		// counted among the term's holders, which stops at the cap
		if err := db.queryRow(ctx, `WITH h AS MATERIALIZED (SELECT DISTINCT applicant_id FROM applicant_terms WHERE `+holders+`)
			SELECT count(*) FROM (SELECT 1 FROM h JOIN applicants a ON a.id = h.applicant_id WHERE (a.name LIKE ? OR a.name_key LIKE ?) LIMIT ?) t`,
			append(append(slices.Clone(holderArgs), likeArgs...), CountCap+1)...).Scan(&page.Total); err != nil {
			return page, errs.Wrap(err, "count applicants")
		}
		amongHolders = page.Total <= CountCap
	default:
		if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM applicants a JOIN orgs o ON o.id = a.org_id`+where+` LIMIT ?) t`, append(args, CountCap+1)...).Scan(&page.Total); err != nil {
			return page, errs.Wrap(err, "count applicants")
		}
	}
	if page.Total > CountCap {
		page.Total, page.Capped = CountCap, true
	}
	after, afterArgs := "", []any(nil)
	if q.After != "" {
		cur, err := parseCursor(q.After, false)
		if err != nil {
			return page, err
		}
		after, afterArgs = ` AND a.id < ?`, []any{cur.ID}
	}
	var rows *sql.Rows
	var err error
	if amongHolders {
		rows, err = db.query(ctx, `WITH h AS MATERIALIZED (SELECT DISTINCT applicant_id FROM applicant_terms WHERE `+holders+`)
			SELECT `+applicantCols+` FROM h JOIN applicants a ON a.id = h.applicant_id JOIN orgs o ON o.id = a.org_id
			WHERE (a.name LIKE ? OR a.name_key LIKE ?)`+after+` ORDER BY a.id DESC LIMIT ?`,
			append(append(append(slices.Clone(holderArgs), likeArgs...), afterArgs...), q.Limit+1)...)
	} else {
		conds := where + after
		if where == "" && after != "" {
			conds = " WHERE" + strings.TrimPrefix(after, " AND")
		}
		rows, err = db.query(ctx, `SELECT `+applicantCols+` FROM applicants a JOIN orgs o ON o.id = a.org_id`+conds+` ORDER BY a.id DESC LIMIT ?`,
			append(append(args, afterArgs...), q.Limit+1)...)
	}
	if err != nil {
		return page, errs.Wrap(err, "search applicants")
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanApplicant(rows)
		if err != nil {
			return page, err
		}
		if len(page.List) == q.Limit {
			page.Next = cursor{ID: page.List[len(page.List)-1].ID}.String()
			break
		}
		page.List = append(page.List, a)
	}
	return page, rows.Err()
}

// WholeWorld reports whether a subtree holds every organisation there is (then a search's scope needs no
// condition).
func (db *DB) WholeWorld(ctx context.Context, rootPath string) (bool, error) {
	lo, hi := subtreeRange(rootPath)
	var in, total int
	err := db.queryRow(ctx, `SELECT (SELECT count(*) FROM orgs WHERE path >= ? AND path < ?), (SELECT count(*) FROM orgs)`, lo, hi).Scan(&in, &total)
	return err == nil && in == total, err
}

// orgsUnder is orgIDsUnder with the kind of the subtree's root ("" when the root is not an organisation's).
func (db *DB) orgsUnder(ctx context.Context, rootPath string) ([]string, org.Kind, error) {
	lo, hi := subtreeRange(rootPath)
	rows, err := db.query(ctx, `SELECT id, kind, path FROM orgs WHERE path >= ? AND path < ?`, lo, hi)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var ids []string
	var root org.Kind
	for rows.Next() {
		var id, kind, path string
		if err := rows.Scan(&id, &kind, &path); err != nil {
			return nil, "", err
		}
		ids = append(ids, id)
		if path == rootPath {
			root = org.Kind(kind)
		}
	}
	return ids, root, rows.Err()
}

func (db *DB) orgIDsUnder(ctx context.Context, rootPath string) ([]string, error) {
	ids, _, err := db.orgsUnder(ctx, rootPath)
	return ids, err
}

// like is a LIKE pattern for text typed into a search box (its wildcards taken literally out).
func like(text string) string {
	return "%" + strings.NewReplacer("%", "", "_", "", "\\", "").Replace(strings.TrimSpace(text)) + "%"
}

// SearchStaff lists one page of the staff of a subtree, by sign-in name (keyset: after the last of the page
// before), matching a text in the sign-in name, the name or the phone.
func (db *DB) SearchStaff(ctx context.Context, rootPath, text, after string, limit int) ([]people.Staff, error) {
	lo, hi := subtreeRange(rootPath)
	q := `SELECT ` + staffCols + ` FROM staff s JOIN orgs o ON o.id = s.org_id WHERE o.path >= ? AND o.path < ? AND s.username > ?`
	args := []any{lo, hi, after}
	if strings.TrimSpace(text) != "" {
		q += ` AND (s.username LIKE ? OR s.name LIKE ? OR s.phone LIKE ?)`
		args = append(args, like(strings.ToLower(text)), like(text), like(text))
	}
	rows, err := db.query(ctx, q+` ORDER BY s.username LIMIT ?`, append(args, limit)...)
	return collect(rows, err, scanStaff)
}

// SearchOrgs lists one page of a subtree's organisations of the given kinds in tree order (keyset: after the
// path of the last of the page before), matching a text in either name or the code.
func (db *DB) SearchOrgs(ctx context.Context, rootPath string, kinds []org.Kind, text, after string, limit int) ([]org.Org, error) {
	lo, hi := subtreeRange(rootPath)
	q := `SELECT ` + orgCols + ` FROM orgs WHERE path >= ? AND path < ? AND path > ?`
	args := []any{lo, hi, after}
	if len(kinds) > 0 {
		q += ` AND kind IN (` + marks(len(kinds)) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if strings.TrimSpace(text) != "" {
		q += ` AND (name_zh LIKE ? OR name_mn LIKE ? OR code LIKE ?)`
		args = append(args, like(text), like(text), like(text))
	}
	return collectOrgs(db.query(ctx, q+` ORDER BY path LIMIT ?`, append(args, limit)...))
}
