package gen_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"bianmin/internal/access"
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
