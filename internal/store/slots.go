package store

import (
	"context"
	"runtime"
)

// Write slots: on PostgreSQL at most so many write transactions run at once, and the others wait their turn
// in the server (a channel) before they take a connection. Without a bound, sixteen clerks' moves all begin
// and then wait inside PostgreSQL, on the processors and on each other's rows (a chain head, a case),
// holding what they locked while they wait: on two processors four to five backends sat idle inside a
// transaction while the server was not running, and p99 per call was 51–60 ms. With four slots the
// transactions that run finish before the next begins, nobody waits on a lock, and p99 per call was 34–41
// ms at the same rate (BENCHMARKS.md, nineteenth session). SQLite has its own queue of one writer (writes).

// pgPool is how many connections the PostgreSQL pool holds.
const pgPool = 32

// MaxWriteSlots bounds SetWriteSlots: past the pool's connections a slot would only wait for one.
const MaxWriteSlots = pgPool

// DefaultWriteSlots is twice the Go processors the server may use, at least four: PostgreSQL's own rule of
// thumb for connections that work at once (core count times two, wiki.postgresql.org, "Number Of Database
// Connections"), with the server's processors standing for the database's, as they are in the two-command
// setup and on a machine of the same size; a database on a larger machine is given its own with
// -write-slots. Serving on PostgreSQL the Go processors are twice the CPUs (app.TuneProcs), so the slots are
// four a CPU: on two CPUs eight alone ran 172–176 lifecycles/s against 158–165 with four, no backend
// waiting on a lock (BENCHMARKS.md, twenty-first session).
func DefaultWriteSlots() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// SetWriteSlots bounds the PostgreSQL write transactions that run at once to n (0: no bound). Transactions
// already waiting keep the bound they found; it does nothing on SQLite.
func (db *DB) SetWriteSlots(n int) {
	if !db.d.pipelines {
		return
	}
	if n <= 0 {
		db.slots = nil
		return
	}
	db.slots = make(chan struct{}, min(n, MaxWriteSlots))
}

// takeSlot waits for a write slot (none to wait for on SQLite or without a bound) and returns what gives it
// back; a context that ends first is the error, and nothing is taken.
func (db *DB) takeSlot(ctx context.Context) (release func(), err error) {
	slots := db.slots
	if slots == nil {
		return func() {}, nil
	}
	db.slotWaits.Add(1)
	defer db.slotWaits.Add(-1)
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
