package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/access"
	"bianmin/internal/errs"
)

// Consistency beside the audit chain (bianmin check): what an interrupted command could leave wrong and the
// database's own constraints do not catch. Reading only; Repair mends what is safe to mend (counters).

// Finding is one kind of inconsistency, with how many rows show it and one of them.
type Finding struct {
	What    string // e.g. "counter behind the numbers in use"
	Count   int
	Example string
	// Repairable: Repair can mend it (a counter raised to the highest number in use).
	Repairable bool
}

// CheckReport is what Check found; no findings is a consistent database.
type CheckReport struct {
	Cases, Applicants, Counters int
	Findings                    []Finding
	// Gaps are the series whose counter has passed numbers that are not in use: numbers taken by
	// transactions that then failed (on PostgreSQL a number is taken outside its transaction, and not given
	// again). They are the gap policy at work, not a fault (numbers.go).
	Gaps   []Gap
	behind map[string]int64 // counter scope -> highest number in use
}

// Gap is one series' numbers passed and not in use.
type Gap struct {
	Series  string // the counter's scope
	Counter int64  // the counter's value: numbers 1 to Counter have been handed out
	InUse   int64  // numbers of the series in use
	Missing int64  // Counter - InUse
}

// Check reads the database: counters at or above every number in use (cases, notices, hand-off lists),
// every case with its audit entry, first event and clock row, every notice with its case, and no applicant
// without a case or an audit entry (what an interrupted bulk load would leave).
func (db *DB) Check(ctx context.Context) (CheckReport, error) {
	rep := CheckReport{behind: map[string]int64{}}
	counters := map[string]int64{}
	rows, err := db.query(ctx, `SELECT scope, value FROM counters`)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var s string
		var v int64
		if err := rows.Scan(&s, &v); err != nil {
			rows.Close()
			return rep, err
		}
		counters[s] = v
	}
	rows.Close()
	rep.Counters = len(counters)
	// the case counters' series, longest head first, for numbers whose township has changed its prefix since
	var known []Series
	for sc := range counters {
		if p := strings.Split(sc, "/"); len(p) == 3 && p[0] == "case" {
			if y, err := strconv.Atoi(p[2]); err == nil {
				known = append(known, CaseSeries(p[1], y))
			}
		}
	}
	slices.SortFunc(known, func(a, b Series) int { return len(b.Head) - len(a.Head) })
	used := map[string]int64{}  // scope -> highest serial in use
	inUse := map[string]int64{} // scope -> numbers in use
	var uncounted Finding
	note := func(s Series, no string) bool {
		n, ok := s.Parse(no)
		if ok && n > used[s.Scope] {
			used[s.Scope] = n
		}
		if ok {
			inUse[s.Scope]++
		}
		return ok
	}
	// case numbers: the handling township's prefix and the year that follows it
	rows, err = db.query(ctx, `SELECT c.case_no, o.abbr, o.code, o.id FROM cases c JOIN orgs o ON o.id = c.handling_org`)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var no, abbr, code, id string
		if err := rows.Scan(&no, &abbr, &code, &id); err != nil {
			rows.Close()
			return rep, err
		}
		rep.Cases++
		prefix := PrefixOf(abbr, code, id)
		ok := false
		if rest, found := strings.CutPrefix(no, prefix); found && len(rest) > 4 {
			if y, err := strconv.Atoi(rest[:4]); err == nil {
				ok = note(CaseSeries(prefix, y), no)
			}
		}
		for _, s := range known {
			if ok {
				break
			}
			ok = note(s, no)
		}
		if !ok {
			uncounted.Count++
			uncounted.Example = no
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	// notice numbers: prefix + kind + 〔year〕 + serial + 号; hand-off lists: prefix + 移交〔year〕 + serial + 号
	rows, err = db.query(ctx, `SELECT kind, notice_no FROM notices`)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var kind, no string
		if err := rows.Scan(&kind, &no); err != nil {
			rows.Close()
			return rep, err
		}
		prefix, y, ok := splitOfficial(no, kindShort[kind])
		if !ok || !note(NoticeSeries(prefix, kind, y), no) {
			uncounted.Count++
			uncounted.Example = no
		}
	}
	rows.Close()
	rows, err = db.query(ctx, `SELECT list_no FROM handoffs`)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			rows.Close()
			return rep, err
		}
		prefix, y, ok := splitOfficial(no, "移交")
		if !ok || !note(HandoffSeries(prefix, y), no) {
			uncounted.Count++
			uncounted.Example = no
		}
	}
	rows.Close()
	behind := Finding{What: "counter behind the numbers in use (the next number would be taken)", Repairable: true}
	scopes := make([]string, 0, len(used))
	for sc := range used {
		scopes = append(scopes, sc)
	}
	slices.Sort(scopes)
	for _, sc := range scopes {
		if counters[sc] < used[sc] {
			behind.Count++
			behind.Example = fmt.Sprintf("%s at %d, %d in use", sc, counters[sc], used[sc])
			rep.behind[sc] = used[sc]
		}
	}
	add := func(f Finding) {
		if f.Count > 0 {
			rep.Findings = append(rep.Findings, f)
		}
	}
	add(behind)
	for _, sc := range slices.Sorted(maps.Keys(counters)) {
		if v := counters[sc]; v >= used[sc] && v > inUse[sc] && strings.Count(sc, "/") >= 2 {
			rep.Gaps = append(rep.Gaps, Gap{Series: sc, Counter: v, InUse: inUse[sc], Missing: v - inUse[sc]})
		}
	}
	uncounted.What = "number of no series the check knows (no counter can cover it)"
	add(uncounted)
	if err := db.queryRow(ctx, `SELECT count(*) FROM applicants`).Scan(&rep.Applicants); err != nil {
		return rep, err
	}
	for _, q := range []struct{ what, sql string }{
		{"case without its audit entry", `SELECT c.case_no FROM cases c WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'case' AND a.entity_id = c.id)`},
		{"case without its timeline", `SELECT c.case_no FROM cases c WHERE c.events IS NULL`},
		{"case without its clock row", `SELECT c.case_no FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_clock k WHERE k.case_id = c.id)`},
		{"notice without its case", `SELECT n.notice_no FROM notices n WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = n.case_id)`},
		{"notice whose paper is gone (it refers to another notice's, migration 075)", `SELECT n.notice_no FROM notices n WHERE n.paper_of IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM notices p WHERE p.id = n.paper_of AND p.case_id = n.case_id AND p.paper_of IS NULL)`},
		{"applicant with neither a case nor an audit entry (left by an interrupted load)", `SELECT p.id FROM applicants p WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.applicant_id = p.id)
			AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'applicant' AND a.entity_id = p.id)`},
	} {
		f := Finding{What: q.what}
		rows, err := db.query(ctx, q.sql)
		if err != nil {
			return rep, errs.Wrap(err, "check")
		}
		for rows.Next() {
			f.Count++
			if f.Count == 1 {
				rows.Scan(&f.Example)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, err
		}
		add(f)
	}
	return rep, nil
}

// splitOfficial splits an official number (prefix + short + 〔year〕 + serial + 号) into prefix and year.
func splitOfficial(no, short string) (string, int, bool) {
	i := strings.Index(no, "〔")
	j := strings.Index(no, "〕")
	if i < 0 || j < i {
		return "", 0, false
	}
	prefix, found := strings.CutSuffix(no[:i], short)
	y, err := strconv.Atoi(no[i+len("〔") : j])
	return prefix, y, found && err == nil
}

// PrefixOf is the printed prefix of an organisation's numbers: its abbreviation, else its division code,
// else the start of its id (as service.NumberPrefix).
func PrefixOf(abbr, code, id string) string {
	switch {
	case abbr != "":
		return abbr
	case code != "":
		return code
	}
	return id[:min(8, len(id))]
}

// Repair raises every counter found behind to the highest number in use, with an audit entry each, and
// reports how many it raised.
func (db *DB) Repair(ctx context.Context, actor access.Actor, rep CheckReport) (int, error) {
	n := 0
	err := db.Write(ctx, func(tx *Tx) error {
		n = 0
		scopes := make([]string, 0, len(rep.behind))
		for sc := range rep.behind {
			scopes = append(scopes, sc)
		}
		slices.Sort(scopes)
		for _, sc := range scopes {
			var before int64
			if err := tx.queryRow(`SELECT value FROM counters WHERE scope = ?`, sc).Scan(&before); err != nil {
				before = 0
			}
			if before >= rep.behind[sc] {
				continue
			}
			if err := tx.RaiseCounter(sc, rep.behind[sc]); err != nil {
				return err
			}
			if err := tx.Audit(actor, "counter.repair", "counter", sc, "", map[string]int64{"value": before}, map[string]int64{"value": rep.behind[sc]}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
