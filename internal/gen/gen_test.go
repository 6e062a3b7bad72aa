package gen_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/cases"
	"bianmin/internal/gen"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRowRaw(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func consistent(t *testing.T, db *store.DB, when string) store.CheckReport {
	t.Helper()
	rep, err := db.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) > 0 {
		t.Fatalf("%s: %+v", when, rep.Findings)
	}
	return rep
}

// gen writes whole batches with the counters moved in each; stopped, it finishes the batch it writes and
// leaves a consistent database; run again, it adds; a counter set back behind the numbers (as the old gen
// left them) is found by Check, raised by Repair with an audit entry, and the next intake or batch does not
// fail on it either. On both databases.
func TestGenWholeBatches(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		to := time.Now()
		from := to.AddDate(0, 0, -30)
		cfg := gen.Config{N: 600, Seed: 7, From: from, To: to, Batch: 100}
		st, err := gen.Run(context.Background(), svc, cfg)
		if err != nil || st.Cases != 600 {
			t.Fatalf("gen: %+v %v", st, err)
		}
		rep := consistent(t, db, "after gen")
		if rep.Cases != 600 {
			t.Fatalf("check saw %d cases", rep.Cases)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'gen.batch'`); n != 6 {
			t.Fatalf("%d batch entries, want 6", n)
		}
		// the audit entries a real case has: its receipt and each move, by who made it, on its township's chain
		events := timelines(t, db)
		byMove := map[string]int{} // an event's case and action, as its audit entry names them
		moves, total := map[cases.Action]int{}, 0
		for id, evs := range events {
			for _, e := range evs {
				byMove[id+" case."+string(e.Action)]++
				moves[e.Action]++
				total++
			}
		}
		entries := map[string]int{}
		rows, err := db.QueryRaw(context.Background(), `SELECT entity_id, action FROM audit_log WHERE entity = 'case'`)
		if err != nil {
			t.Fatal(err)
		}
		kept := 0
		for rows.Next() {
			var id, action string
			if err := rows.Scan(&id, &action); err != nil {
				t.Fatal(err)
			}
			entries[id+" "+action]++
			kept++
		}
		rows.Close()
		for k, c := range byMove {
			if entries[k] != c {
				t.Errorf("%s: %d moves, %d audit entries", k, c, entries[k])
			}
		}
		if kept != total {
			t.Errorf("%d audit entries of cases for %d moves", kept, total)
		}
		// the entries, dated when their moves were made, chain and verify as any others
		if n, err := db.VerifyAudit(context.Background()); err != nil || n < 600*2 {
			t.Fatalf("audit verify after gen: %d entries, %v", n, err)
		}
		// an acceptance's entry keeps the checks, its materials left to the item version (casedoc.go)
		var accepted string
		for id, evs := range events {
			if slices.ContainsFunc(evs, func(e store.CaseEvent) bool { return e.Action == cases.Accept }) {
				accepted = id
				break
			}
		}
		trail, err := db.AuditOf(context.Background(), "case", accepted, 20)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(trail, func(e audit.Entry) bool { return e.Action == "case.accept" }); i < 0 ||
			!strings.Contains(trail[i].After, `"checks":[`) || strings.Contains(trail[i].After, `"materials"`) {
			t.Errorf("the acceptance's audit entry does not keep its materials' checks alone: %+v", trail)
		}
		// the notices a real case has: one for each acceptance, refusal and correction, numbered; a 告知承诺书
		// refers to its acceptance notice's paper, which reads back whole
		for _, k := range []string{"accept", "accept_owed", "ask_correction:correction", "refuse"} {
			action, kind, _ := strings.Cut(k, ":")
			if kind == "" {
				kind = action
			}
			made := moves[cases.Action(action)]
			notices := count(t, db, `SELECT count(*) FROM notices WHERE kind = '`+kind+`'`)
			if (action == "accept" && made == 0) || notices != made {
				t.Errorf("%d %s moves, %d %s notices", made, action, notices, kind)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM notices n JOIN notices p ON p.id = n.paper_of WHERE n.kind = 'pledge' AND n.doc = '' AND p.case_id = n.case_id`); n != count(t, db, `SELECT count(*) FROM notices WHERE kind = 'pledge'`) {
			t.Errorf("%d of the pledge notices refer to their acceptance's paper", n)
		}
		var caseID string
		if err := db.QueryRowRaw(context.Background(), `SELECT case_id FROM notices WHERE kind = 'accept' ORDER BY notice_no LIMIT 1`).Scan(&caseID); err != nil {
			t.Fatal(err)
		}
		ns, err := db.NoticesOf(context.Background(), caseID)
		if err != nil || len(ns) == 0 || ns[0].Doc == "" || !strings.Contains(ns[0].No, "受理〔") {
			t.Fatalf("a generated case's notices: %+v %v", ns, err)
		}
		// stopped after the second batch: the run ends between batches, with whole batches written
		ctx, cancel := context.WithCancel(context.Background())
		cfg.Progress = func(done, total int) {
			if done >= 200 {
				cancel()
			}
		}
		st, err = gen.Run(ctx, svc, cfg)
		if !errors.Is(err, context.Canceled) || st.Cases != 200 {
			t.Fatalf("stopped run: %+v %v", st, err)
		}
		consistent(t, db, "after a stopped run")
		cfg.Progress = nil
		if st, err = gen.Run(context.Background(), svc, cfg); err != nil || st.Cases != 600 {
			t.Fatalf("rerun: %+v %v", st, err)
		}
		if rep := consistent(t, db, "after a rerun"); rep.Cases != 1400 {
			t.Fatalf("after the rerun: %d cases, want 1400", rep.Cases)
		}
		// counters set back behind the numbers in use
		if err := db.ExecRaw(context.Background(), `UPDATE counters SET value = 1 WHERE scope LIKE 'case/%'`); err != nil {
			t.Fatal(err)
		}
		rep, err = db.Check(context.Background())
		if err != nil || len(rep.Findings) != 1 || !rep.Findings[0].Repairable {
			t.Fatalf("check of counters set back: %+v %v", rep.Findings, err)
		}
		n, err := db.Repair(context.Background(), access.System, rep)
		if err != nil || n == 0 {
			t.Fatalf("repair: %d %v", n, err)
		}
		if got := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'counter.repair'`); got != n {
			t.Fatalf("%d repair entries for %d counters", got, n)
		}
		consistent(t, db, "after repair")
		if n, _ := db.Repair(context.Background(), access.System, rep); n != 0 {
			t.Fatalf("a second repair raised %d counters", n)
		}
		// set back again: a batch heals them itself, once per counter it meets
		if err := db.ExecRaw(context.Background(), `UPDATE counters SET value = 1 WHERE scope LIKE 'case/%'`); err != nil {
			t.Fatal(err)
		}
		cfg.N = 300
		if _, err := gen.Run(context.Background(), svc, cfg); err != nil {
			t.Fatalf("gen over counters set back: %v", err)
		}
		heals := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'counter.heal'`)
		if heals == 0 {
			t.Fatal("no heal recorded")
		}
		consistent(t, db, "after a batch healed the counters")
		if _, err := gen.Run(context.Background(), svc, cfg); err != nil {
			t.Fatal(err)
		}
		if again := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'counter.heal'`); again != heals {
			t.Fatalf("healed again: %d entries, were %d", again, heals)
		}
	})
}

// A big load on PostgreSQL sets the secondary indexes aside, writes by COPY and builds them again; stopped
// before it builds them, the next start (Migrate) does. The indexes afterwards are the ones before, to the
// letter, and the data is whole. SQLite keeps its indexes through a load.
func TestGenSetsIndexesAside(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := testkit.Demo(t, db)
		indexes := func() []string {
			q := `SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`
			if db.Dialect() == "postgres" {
				q = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`
			}
			var out []string
			rows, err := db.QueryRaw(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				out = append(out, s)
			}
			return out
		}
		before := indexes()
		for _, stop := range []bool{false, true} {
			k, err := db.SetAsideIndexes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			aside := count(t, db, `SELECT count(*) FROM bulk_indexes`)
			switch {
			case db.Dialect() == "sqlite" && (k != 0 || aside != 0):
				t.Fatalf("sqlite set %d indexes aside", k)
			case db.Dialect() == "postgres" && (k < 10 || aside != k || len(indexes()) != len(before)-k):
				t.Fatalf("postgres set %d aside, %d recorded, %d of %d left", k, aside, len(indexes()), len(before))
			}
			to := time.Now()
			if _, err := gen.Run(ctx, svc, gen.Config{N: 300, Seed: 11, From: to.AddDate(0, 0, -20), To: to, Batch: 100}); err != nil {
				t.Fatal(err)
			}
			if stop { // as if the load were stopped here: the next start builds them
				_, err = db.Migrate(ctx)
			} else {
				_, err = db.MakeIndexes(ctx, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			if after := indexes(); !slices.Equal(after, before) {
				t.Fatalf("indexes after the load (stopped %v):\n%v\nbefore:\n%v", stop, after, before)
			}
			if n := count(t, db, `SELECT count(*) FROM bulk_indexes`); n != 0 {
				t.Fatalf("%d indexes still set aside", n)
			}
		}
		if rep := consistent(t, db, "after two loads"); rep.Cases != 600 {
			t.Fatalf("%d cases, want 600", rep.Cases)
		}
	})
}

// timelines reads every case's events.
func timelines(t *testing.T, db *store.DB) map[string][]store.CaseEvent {
	t.Helper()
	rows, err := db.QueryRaw(context.Background(), `SELECT id FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		list = append(list, id)
	}
	rows.Close()
	out := map[string][]store.CaseEvent{}
	for _, id := range list {
		evs, err := db.CaseEvents(context.Background(), id)
		if err != nil || len(evs) == 0 || evs[0].Seq != 1 {
			t.Fatalf("case %s: events %+v, %v", id, evs, err)
		}
		out[id] = evs
	}
	return out
}
