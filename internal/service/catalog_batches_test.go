package service_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/audit"
	"bianmin/internal/catalog"
	"bianmin/internal/demo"
	"bianmin/internal/org"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// manyItems makes n publishable items from the demo catalog's first one, each with a name of its own.
func manyItems(n int) []catalog.Item {
	base := demo.DemoItems()[0]
	out := make([]catalog.Item, n)
	for i := range out {
		it := base
		it.ID, it.NameZh = "", fmt.Sprintf("%s（批量%05d）", base.NameZh, i)
		out[i] = it
	}
	return out
}

// catalogSeen is what readers see of the catalog: items, published items, topics and the generation.
type catalogSeen struct {
	items, published, topics int
	gen                      int64
}

func seeCatalog(t *testing.T, db *store.DB) catalogSeen {
	t.Helper()
	var c catalogSeen
	var err error
	if c.items, err = db.CountItems(ctx); err != nil {
		t.Fatal(err)
	}
	pub, err := db.PublishedItems(ctx, store.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	c.published = len(pub)
	all, err := db.AllItems(ctx)
	if err != nil || len(all) != c.items {
		t.Fatalf("the editors' list has %d items, the count %d: %v", len(all), c.items, err)
	}
	topics, err := db.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range topics {
		c.topics += n
	}
	if c.gen, err = db.CatalogGeneration(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// A large import is written in batches with case intake going on between them: an intake waits for one
// batch, not for the import. Interleaving is shown by the audit trail's order (no timing): an intake taken in
// while the import runs began after the import's first item had its entry and ended before its last had.
// The items and the cases are on different chains (and lanes), whose seqs do not compare, so each intake
// notes the chains' heads before and after it. Meanwhile nothing of the import is seen; at the end all of it
// is, at once.
func TestImportInterleavesWithIntake(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		before := seeCatalog(t, db)
		const n = 5000
		started := make(chan struct{})
		taken := make(chan heldBy, 1000) // the chains' heads around each intake
		stop := make(chan struct{})
		intakeErr := make(chan error, 1)
		go func() {
			defer close(taken)
			<-started
			for {
				var h heldBy
				var err error
				if h.before, err = db.AuditHeads(ctx, ""); err != nil {
					intakeErr <- err
					return
				}
				if _, err = w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded["T1"], ReceivingOrg: w.targets["T1"].ID}, ""); err != nil {
					intakeErr <- err
					return
				}
				if h.after, err = db.AuditHeads(ctx, ""); err != nil {
					intakeErr <- err
					return
				}
				taken <- h
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
		var first heldBy
		batches := 0
		opt := service.ImportOptions{Publish: true, AfterBatch: func(b, of int) error {
			batches = of
			if b != 1 {
				return nil
			}
			if got := seeCatalog(t, db); got != before {
				t.Errorf("a staged batch is seen: %+v, before %+v", got, before)
			}
			// Let intake begin, and go on only once one intake has committed after this batch: that the
			// writer is free between batches is then shown whatever the scheduler does.
			close(started)
			select {
			case h, ok := <-taken:
				if !ok {
					return <-intakeErr
				}
				first = h
			case <-time.After(time.Minute): // a guard against a hang, not a measurement
				return errors.New("no intake committed between the import's batches")
			}
			return nil
		}}
		rep, err := w.svc.ImportItemsWith(ctx, access.System, manyItems(n), opt)
		close(stop)
		var held []heldBy
		for h := range taken {
			held = append(held, h)
		}
		select {
		case err := <-intakeErr:
			t.Fatalf("intake: %v", err)
		default:
		}
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != n || rep.Published != n || batches < 10 {
			t.Fatalf("report: created %d published %d in %d batches", rep.Created, rep.Published, batches)
		}
		entry := func(id string) audit.Entry {
			es, err := db.AuditOf(ctx, "item", id, 10)
			if err != nil || len(es) == 0 {
				t.Fatalf("item %s: no audit entry: %v", id, err)
			}
			return es[len(es)-1] // its creation
		}
		lo, hi := entry(rep.Items[0].ID), entry(rep.Items[n-1].ID)
		inside := func(h heldBy) bool {
			return h.before[lo.Chain].Seq >= lo.Seq && h.after[hi.Chain].Seq < hi.Seq
		}
		between := 0
		for _, h := range held {
			if inside(h) {
				between++
			}
		}
		if !inside(first) {
			t.Fatalf("the intake let in after the first batch was not between the import's first item (%s #%d) and its last (%s #%d): heads before it %d, after it %d",
				lo.Chain, lo.Seq, hi.Chain, hi.Seq, first.before[lo.Chain].Seq, first.after[hi.Chain].Seq)
		}
		after := seeCatalog(t, db)
		if after.items != before.items+n || after.published != before.published+n || after.gen != before.gen+1 || after.topics <= before.topics {
			t.Fatalf("after the import: %+v, before %+v", after, before)
		}
		t.Logf("%d intakes between the import's first and last item, %d batches", between, batches)
	})
}

// heldBy is the audit chains' heads just before an intake began and just after it committed.
type heldBy struct{ before, after map[string]store.AuditHead }

// An import that fails in a late batch, or is cancelled there (Ctrl-C), leaves nothing seen and no staged
// rows behind.
func TestImportFailingLateLeavesNothing(t *testing.T) {
	for _, how := range []string{"error", "cancel"} {
		t.Run(how, func(t *testing.T) {
			testkit.Each(t, func(t *testing.T, db *store.DB) {
				svc := testkit.Demo(t, db)
				before := seeCatalog(t, db)
				var rows int
				if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM items`).Scan(&rows); err != nil {
					t.Fatal(err)
				}
				c, cancel := context.WithCancel(ctx)
				defer cancel()
				boom := errors.New("the disk is full")
				last := 0
				opt := service.ImportOptions{Publish: true, AfterBatch: func(b, of int) error {
					last = b
					if b < of-1 {
						return nil
					}
					if how == "cancel" {
						cancel()
						return nil
					}
					return boom
				}}
				rep, err := svc.ImportItemsWith(c, access.System, manyItems(5*store.ImportBatch+7), opt)
				if how == "error" && !errors.Is(err, boom) || how == "cancel" && !errors.Is(err, context.Canceled) {
					t.Fatalf("the import's error: %v", err)
				}
				if last < 5 || rep.Created != 0 || rep.Items[0].ID != "" || rep.Items[0].Status != "" {
					t.Fatalf("after %d batches the report says %d created, first %+v", last, rep.Created, rep.Items[0])
				}
				if got := seeCatalog(t, db); got != before {
					t.Fatalf("a failed import is seen: %+v, before %+v", got, before)
				}
				var now int
				if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM items`).Scan(&now); err != nil || now != rows {
					t.Fatalf("%d staged rows left behind: %v", now-rows, err)
				}
				var versions int
				if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM item_versions v WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = v.item_id)`).Scan(&versions); err != nil || versions != 0 {
					t.Fatalf("%d staged versions left behind: %v", versions, err)
				}
			})
		})
	}
}

// An import killed between its batches (kill -9: no cleanup ran) leaves staged rows that nobody sees; the
// next import, hours later, removes them, and makes only its own items live.
func TestImportRemovesWhatAKilledImportStaged(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		before := seeCatalog(t, db)
		var rows int
		if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM items`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		dept, err := db.OrgsByName(ctx, org.Department, manyItems(1)[0].Department)
		if err != nil || len(dept) == 0 {
			t.Fatal(dept, err)
		}
		var killed []store.StagedItem
		for _, it := range manyItems(3) {
			killed = append(killed, store.PrepareItem(it, dept[0].ID, true))
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.StageItems(access.System, killed) }); err != nil {
			t.Fatal(err)
		}
		if got := seeCatalog(t, db); got != before {
			t.Fatalf("staged rows are seen: %+v, before %+v", got, before)
		}
		now := db.Now
		defer func() { db.Now = now }()
		db.Now = func() time.Time { return now().Add(7 * time.Hour) }
		rep, err := svc.ImportItems(ctx, access.System, manyItems(2), true)
		if err != nil || rep.Published != 2 {
			t.Fatalf("%+v %v", rep, err)
		}
		var after int
		if err := db.QueryRowRaw(ctx, `SELECT count(*) FROM items`).Scan(&after); err != nil || after != rows+2 {
			t.Fatalf("%d rows, want %d: the killed import's staged rows are still there (%v)", after, rows+2, err)
		}
		if got := seeCatalog(t, db); got.items != before.items+2 || got.published != before.published+2 {
			t.Fatalf("after: %+v, before %+v", got, before)
		}
	})
}
