package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// Number blocks (numberblocks.go): a series taken faster than a number a second is taken a growing block at a
// time; a block's numbers are given within two seconds or left as a gap; a series taken slowly takes each
// number by itself. SQLite takes numbers inside the transaction and has no blocks: each number is the next.
func TestNumberBlocks(t *testing.T) {
	steps := []struct {
		at      time.Duration // the wall clock, from the first take
		want    int64         // the serial given
		counter int64         // the counter after, on PostgreSQL
	}{
		{0, 1, 1},                         // the first: one
		{100 * time.Millisecond, 2, 3},    // the block used up within a second: two
		{200 * time.Millisecond, 3, 3},    // from the block
		{300 * time.Millisecond, 4, 7},    // four
		{400 * time.Millisecond, 5, 7},    //
		{500 * time.Millisecond, 6, 7},    //
		{600 * time.Millisecond, 7, 7},    //
		{700 * time.Millisecond, 8, 15},   // eight: the setting's largest
		{800 * time.Millisecond, 9, 15},   //
		{3 * time.Second, 16, 16},         // 10-15 kept past two seconds: a gap, and one again
		{4500 * time.Millisecond, 17, 17}, // a second and a half later: half of one is one
	}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.SetNumberBlocks(8)
		start := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
		var now time.Time
		db.SetNumberBlockClock(func() time.Time { return now })
		s := store.CaseSeries("天山", 2026)
		for i, st := range steps {
			now = start.Add(st.at)
			var n int64
			if err := db.Write(ctx, func(tx *store.Tx) error {
				var err error
				n, _, err = tx.Take(s)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			want, counter := st.want, st.counter
			if db.Dialect() == "sqlite" {
				want, counter = int64(i+1), int64(i+1)
			}
			if v, _ := db.Counter(ctx, s.Scope); n != want || v != counter {
				t.Fatalf("take %d at %v: number %d, counter %d; want %d, %d", i+1, st.at, n, v, want, counter)
			}
		}
	})
}

// Two instances with number blocks, sixteen transactions taking notice numbers at once (two series, through
// TakeAhead, as an intake with a pledge does): every number given once, in order within each instance, and
// on PostgreSQL far fewer counter statements than numbers.
func TestNumberBlocksTogether(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		other, err := db.Twin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		a, b := store.NoticeSeries("天山", "accept", 2026), store.NoticeSeries("天山", "pledge", 2026)
		const workers, each = 8, 25
		type given struct{ n [2]int64 }
		var mu sync.Mutex
		var all []given
		var wg sync.WaitGroup
		errc := make(chan error, 2*workers)
		for inst, d := range []*store.DB{db, other} {
			d.SetNumberBlocks(16)
			for range workers {
				wg.Go(func() {
					var mine []given
					for range each {
						var g given
						if err := d.Write(ctx, func(tx *store.Tx) error {
							if err := tx.TakeAhead(a, b); err != nil {
								return err
							}
							for i, s := range []store.Series{a, b} {
								n, _, err := tx.Take(s)
								if err != nil {
									return err
								}
								g.n[i] = n
							}
							return nil
						}); err != nil {
							errc <- err
							return
						}
						mine = append(mine, g)
					}
					// one worker's numbers come in the order it took them
					for i := 1; i < len(mine); i++ {
						if mine[i].n[0] <= mine[i-1].n[0] || mine[i].n[1] <= mine[i-1].n[1] {
							errc <- fmt.Errorf("instance %d: %v after %v", inst, mine[i].n, mine[i-1].n)
							return
						}
					}
					mu.Lock()
					all = append(all, mine...)
					mu.Unlock()
				})
			}
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		for i := range 2 {
			seen := map[int64]bool{}
			for _, g := range all {
				if seen[g.n[i]] {
					t.Fatalf("series %d: %d given twice", i, g.n[i])
				}
				seen[g.n[i]] = true
			}
		}
		if len(all) != 2*workers*each {
			t.Fatalf("%d transactions, want %d", len(all), 2*workers*each)
		}
		if db.Dialect() == "postgres" {
			stmts := db.CounterStatements() + other.CounterStatements()
			if stmts >= int64(len(all)) {
				t.Fatalf("%d counter statements for %d transactions taking two numbers each: no blocks", stmts, len(all))
			}
		} else {
			va, _ := db.Counter(ctx, a.Scope)
			if va != int64(len(all)) {
				t.Fatalf("SQLite: counter %d, want %d", va, len(all))
			}
		}
	})
}

// A number of a block found taken (written behind the counter's back) is refused at its insert; the
// transaction runs again without the block (its other numbers may be taken too: not given), and a number
// found taken then heals the counter past the numbers in use.
func TestNumberBlockBehind(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		db.SetNumberBlocks(8)
		at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
		db.SetNumberBlockClock(func() time.Time { return at }) // every take at once: the blocks grow
		s := store.NoticeSeries("天山", "accept", 2026)
		var got []string
		noCaseKey(t, db, func() {
			issue := func() { got = append(got, issueAccept(t, db)) }
			issue()
			issue()
			issue() // PostgreSQL: 1 by itself, then a block of two
			noticesBehind(t, db, s, 4, 5, 9)
			issue() // PostgreSQL: a block of four (4-7), 4 refused, again without it: 8
			issue() // PostgreSQL: 9 refused, healed: 10
		})
		want := []string{s.Format(1), s.Format(2), s.Format(3), s.Format(8), s.Format(10)}
		if db.Dialect() == "sqlite" { // 4 refused, healed past 9
			want = []string{s.Format(1), s.Format(2), s.Format(3), s.Format(10), s.Format(11)}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("numbers %v, want %v", got, want)
		}
	})
}
