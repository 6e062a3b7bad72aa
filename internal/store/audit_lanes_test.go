package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/errs"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// An organisation's trail in four lanes: each entity's entries keep to one lane, in order; the lanes are
// chains of their own that verify, are listed as the organisation's, and are signed by checkpoints; many
// writers of one organisation at once neither deadlock nor lose an entry; an entry moved from one lane to
// another, both heads made to agree, is a break; and the number of lanes can change between writes.
func TestAuditLanes(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		db.AuditLanes = 4
		const workers, each = 8, 6
		// one case a worker, a move a transaction, as clerks of one township work
		writers(t, db, workers, each, func(tx *store.Tx, w, i int) error {
			return tx.Audit(access.System, "case.move", "case", fmt.Sprintf("case-%d", w), "org-a", nil, map[string]int{"move": i})
		})
		if n := db.Retries(); n != 0 {
			t.Fatalf("%d transactions were retried (deadlocked on the heads)", n)
		}
		heads, err := db.AuditHeads(ctx, "org-a")
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for name, h := range heads {
			if org, lane := audit.SplitLane(name); org != "org-a" || lane >= 4 {
				t.Fatalf("head %s is not one of org-a's four lanes", name)
			}
			sum += h.Seq
		}
		if len(heads) < 2 || sum != workers*each {
			t.Fatalf("heads of org-a: %+v (want the %d entries over more than one lane)", heads, workers*each)
		}
		// each case's moves are on its one lane, in the order they were made
		for w := range workers {
			lane := audit.LaneChain("org-a", audit.LaneOf("org-a", fmt.Sprintf("case-%d", w), 4))
			var moves []string
			for _, e := range entries(t, db, lane) {
				if e.EntityID == fmt.Sprintf("case-%d", w) {
					moves = append(moves, e.After)
				}
			}
			if len(moves) != each || moves[0] != `{"move":0}` || moves[each-1] != fmt.Sprintf(`{"move":%d}`, each-1) {
				t.Fatalf("case-%d on %s: %v", w, lane, moves)
			}
			trail, err := db.AuditOf(ctx, "case", fmt.Sprintf("case-%d", w), 100)
			if err != nil || len(trail) != each || trail[0].OrgID != "org-a" {
				t.Fatalf("case-%d's trail: %d entries, %v", w, len(trail), err)
			}
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != workers*each {
			t.Fatalf("verify: %d %v", n, err)
		}
		checks, err := db.VerifyChains(ctx, "org-a")
		if err != nil || len(checks) != len(heads) || store.Broken(checks) != nil {
			t.Fatalf("verify org-a's chains: %+v %v", checks, err)
		}
		cp, err := db.WriteCheckpoint(ctx)
		if err != nil || len(cp.Heads) != len(heads) {
			t.Fatalf("checkpoint: %+v %v", cp, err)
		}

		// one lane from now on: new entries go on the organisation's first chain; the lanes stay as they are
		db.AuditLanes = 1
		notes(t, db, "org-a", 2)
		if h, _ := db.AuditHeads(ctx, "org-a"); h["org-a"].Seq != heads["org-a"].Seq+2 {
			t.Fatalf("after going to one lane: %+v", h)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != workers*each+2 {
			t.Fatalf("verify after going to one lane: %d %v", n, err)
		}

		// the newest entry of one lane moved to the end of another, both heads made to agree
		var from, to string
		for name := range heads {
			if name != "org-a" && from == "" {
				from = name
			}
		}
		for name := range heads {
			if name != from {
				to = name
			}
		}
		unguardAll(t, db)
		fromOrg, fromLane := audit.SplitLane(from)
		_, toLane := audit.SplitLane(to)
		moved := entries(t, db, from)
		last := moved[len(moved)-1]
		toHead, _ := db.AuditHeads(ctx, to)
		exec(t, db, `UPDATE audit_log SET lane = ?, seq = ? WHERE chain = ? AND lane = ? AND seq = ?`, toLane, toHead[to].Seq+1, fromOrg, fromLane, last.Seq)
		exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ? AND lane = ?`, toHead[to].Seq+1, last.Hash, fromOrg, toLane)
		if len(moved) > 1 {
			exec(t, db, `UPDATE audit_heads SET seq = ?, hash = ? WHERE chain = ? AND lane = ?`, last.Seq-1, moved[len(moved)-2].Hash, fromOrg, fromLane)
		} else {
			exec(t, db, `DELETE FROM audit_heads WHERE chain = ? AND lane = ?`, fromOrg, fromLane)
		}
		_, err = db.VerifyAudit(ctx)
		var b *audit.Break
		if !errors.As(err, &b) || (b.Chain != to && b.Chain != from) {
			t.Fatalf("an entry moved from %s to %s: want a break on one of them, got %v", from, to, err)
		}
	})
}

// A trail written before lanes (migration 090) is lane 0 of each chain, named and verified as before, and
// new entries of the same organisation go on its lanes beside it.
func TestAuditLanesMigration(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := migratedBefore(t, e, "090")
			withKey(t, db)
			// org-a's chain as Bianmin wrote it before lanes: no lane column, keyed from its first entry
			var prev *audit.Entry
			for i := range 3 {
				en := audit.Entry{At: db.Now(), Chain: "org-a", OrgID: "org-a", ActorID: "x", ActorName: "旧版", Action: "note.add", Entity: "note", EntityID: fmt.Sprint(i)}
				en.SealKeyed(prev, db.AuditKey, 1)
				exec(t, db, `INSERT INTO audit_log (chain, seq, id, at, actor_id, actor_name, org_id, action, entity, entity_id, before_json, after_json, hash)
					VALUES (?, ?, '', ?, ?, ?, '', ?, ?, ?, '', '', ?)`, en.Chain, en.Seq, en.At, en.ActorID, en.ActorName, en.Action, en.Entity, en.EntityID, unhex(en.Hash))
				prev = &en
			}
			exec(t, db, `INSERT INTO audit_heads (chain, seq, hash, keyed_from) VALUES ('org-a', 3, ?, 1)`, prev.Hash)
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			heads, err := db.AuditHeads(ctx, "")
			if err != nil || heads["org-a"].Seq != 3 || heads["org-a"].KeyedFrom != 1 {
				t.Fatalf("heads after the migration: %+v %v", heads, err)
			}
			if n, err := db.VerifyAudit(ctx); err != nil || n != 3 {
				t.Fatalf("the old chain after the migration: %d %v", n, err)
			}
			db.AuditLanes = 8
			notes(t, db, "org-a", 16)
			heads, _ = db.AuditHeads(ctx, "org-a")
			var sum int64
			for _, h := range heads {
				sum += h.Seq
			}
			if len(heads) < 3 || sum != 19 {
				t.Fatalf("org-a's lanes: %+v", heads)
			}
			if _, err := db.VerifyAudit(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A move's transaction names its entry's chain before its first write (AuditFirst), and on PostgreSQL the
// chain's head is then locked and read with that write. Many writers on one lane at once still make one
// unbroken keyed chain with every entry; a chain that has no head yet, a transaction whose first statement is
// a read, and one that names a chain and writes none keep to the usual way.
func TestAuditFirst(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		db.AuditLanes = 1
		const workers, each = 8, 6
		writers(t, db, workers, each, func(tx *store.Tx, w, i int) error {
			id := fmt.Sprintf("case-%d", w)
			tx.AuditFirst("org-a", id)
			if err := tx.MarkStep(fmt.Sprintf("first-%d-%d", w, i)); err != nil {
				return err
			}
			return tx.Audit(access.System, "case.move", "case", id, "org-a", nil, map[string]int{"move": i})
		})
		early := db.HeadsReadEarly()
		if db.Dialect() == "postgres" {
			// the very first transactions found no head to read: they made it as before
			if early < workers*each-workers || early > workers*each {
				t.Fatalf("%d of %d heads read with the first write", early, workers*each)
			}
		} else if early != 0 {
			t.Fatalf("SQLite read %d heads early: its transactions are calls in the process, with nothing to save", early)
		}
		// a read first: the head is read by the append, as it was
		if err := db.Write(ctx, func(tx *store.Tx) error {
			tx.AuditFirst("org-a", "case-0")
			if _, err := tx.Org("no-such-org"); errs.CodeOf(err) != errs.NotFound {
				return fmt.Errorf("a read first: %v", err)
			}
			if err := tx.MarkStep("after-a-read"); err != nil {
				return err
			}
			return tx.Audit(access.System, "case.move", "case", "case-0", "org-a", nil, map[string]int{"move": each})
		}); err != nil {
			t.Fatal(err)
		}
		// a chain named and not written to: its head is only held until the commit
		if err := db.Write(ctx, func(tx *store.Tx) error {
			tx.AuditFirst("org-b", "case-9")
			if err := tx.MarkStep("named-only"); err != nil {
				return err
			}
			return tx.Audit(access.System, "case.move", "case", "case-9", "org-a", nil, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if db.HeadsReadEarly() != early {
			t.Fatalf("heads read early: %d, then %d", early, db.HeadsReadEarly())
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != workers*each+2 {
			t.Fatalf("verify: %d %v", n, err)
		}
		checks, err := db.VerifyChains(ctx, "org-a")
		if err != nil || len(checks) != 1 || store.Broken(checks) != nil || checks[0].Count != workers*each+2 {
			t.Fatalf("org-a's chain: %+v %v", checks, err)
		}
	})
}

// A move whose entity's lane another transaction holds takes a lane of the organisation that nobody holds,
// instead of waiting (PostgreSQL; SQLite has one writer, and its entries keep to the entity's lane); with
// every lane held it waits for one, and gets it when it is let go. The lanes stay chains that verify with
// every entry.
func TestAuditLaneTaken(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		withKey(t, db)
		const lanes = 4
		db.AuditLanes = lanes
		// a head on each of org-a's lanes
		made := map[int]bool{}
		for i := 0; len(made) < lanes; i++ {
			id := fmt.Sprintf("note-%d", i)
			if l := audit.LaneOf("org-a", id, lanes); !made[l] {
				made[l] = true
				if err := db.Write(ctx, func(tx *store.Tx) error {
					return tx.Audit(access.System, "note.add", "note", id, "org-a", nil, nil)
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
		laneOf := func(id string) string {
			t.Helper()
			trail, err := db.AuditOf(ctx, "case", id, 10)
			if err != nil || len(trail) != 1 {
				t.Fatalf("%s's trail: %+v %v", id, trail, err)
			}
			return trail[0].Chain
		}
		move := func(ctx context.Context, id string, hold <-chan struct{}, held chan<- struct{}) error {
			return db.Write(ctx, func(tx *store.Tx) error {
				tx.AuditFirst("org-a", id)
				if err := tx.MarkStep("move-" + id); err != nil {
					return err
				}
				if held != nil {
					held <- struct{}{}
					<-hold
				}
				return tx.Audit(access.System, "case.move", "case", id, "org-a", nil, map[string]string{"case": id})
			})
		}
		own := audit.LaneChain("org-a", audit.LaneOf("org-a", "case-x", lanes))
		if db.Dialect() == "sqlite" {
			if err := move(ctx, "case-x", nil, nil); err != nil {
				t.Fatal(err)
			}
			if got := laneOf("case-x"); got != own {
				t.Fatalf("case-x on %s, its lane %s", got, own)
			}
			return
		}

		// an entity of each lane
		on := func(lane, n int) string {
			for i := 0; ; i++ {
				if id := fmt.Sprintf("case-%d-%d", lane, i); audit.LaneOf("org-a", id, lanes) == lane {
					if n == 0 {
						return id
					}
					n--
				}
			}
		}
		db.SetWriteSlots(0) // five transactions at once below, four of them kept open
		// moves kept open on every lane but the last, each on its entity's own lane
		release := make(chan struct{})
		held := make(chan struct{})
		errc := make(chan error, lanes+1)
		var wg sync.WaitGroup
		holders := []string{}
		for l := range lanes - 1 {
			id := on(l, 0)
			holders = append(holders, id)
			wg.Go(func() { errc <- move(ctx, id, release, held) })
			<-held
		}
		// a move whose lane is held does not wait for it while the last lane is free: it commits meanwhile
		short, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := move(short, on(0, 1), nil, nil)
		cancel()
		if err != nil {
			t.Fatalf("a move with a lane free: %v (it waited for its held lane)", err)
		}
		// another whose lane is held takes the last lane, and holds it open too
		holders = append(holders, on(0, 2))
		wg.Go(func() { errc <- move(ctx, on(0, 2), release, held) })
		<-held
		// every lane held: a move now waits for a lane
		wg.Go(func() { errc <- move(ctx, "case-x", nil, nil) })
		for db.LaneWaiters() == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		letGo(t, release, &wg, errc)
		// every holder on a lane of its own, the waiting move on its entity's lane
		seen := map[string]string{}
		for _, id := range holders {
			seen[laneOf(id)] = id
		}
		// the short move went on the lane none of the three holders of its time held (the fourth took it after)
		for _, id := range holders[:lanes-1] {
			if got := laneOf(on(0, 1)); got == laneOf(id) {
				t.Fatalf("the move made while %s held %s went on it too", id, got)
			}
		}
		if len(seen) != lanes {
			t.Fatalf("the %d holders took lanes %v: want each its own", lanes, seen)
		}
		if got, _ := audit.SplitLane(laneOf("case-x")); got != "org-a" {
			t.Fatalf("case-x on %s", got)
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != lanes+lanes+2 {
			t.Fatalf("verify: %d %v", n, err)
		}
	})
}
