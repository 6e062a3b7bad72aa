package app

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"bianmin/internal/store"
)

// GCPercent is the garbage collector's target Bianmin runs with when the environment sets no GOGC. Its live
// heap is small (the caches and the connections' buffers: tens of MB) while every request allocates, so at
// Go's default (100) a busy server collects every few hundred requests. At 400 the heap may grow to five
// times the live one, a few hundred MB at most, and a case's lifecycle costs the server about a tenth less
// processor (BENCHMARKS.md, "The collector's target, the placeholders and the item version kept").
const GCPercent = 400

// ProcsPerCPU is how many Go processors Bianmin serves with on PostgreSQL for each the runtime would give it,
// when the environment sets no GOMAXPROCS. On PostgreSQL a request spends its life writing to and reading
// from sockets, and a thread writing to PostgreSQL on the same machine is often descheduled inside the write
// (the backend it woke runs first): with one Go processor per CPU the goroutines made ready meanwhile wait
// for the runtime's monitor to hand that processor on, which it looks for every few tens of microseconds
// (about 24 of its wake-ups a lifecycle, a tenth of the server's processor). On two CPUs, twice as many
// processors, and with them twice the write slots (store.DefaultWriteSlots), made 174–186 lifecycles/s
// against 158–165 (the processors alone 172, the slots alone 172–176); four times as many no more
// (BENCHMARKS.md, "Two Go processors a CPU"). On SQLite the work is the process's own and more processors
// than CPUs only contend (170–172 against 188–193), so it keeps Go's default.
const ProcsPerCPU = 2

var tuneOnce, procsOnce sync.Once

// tuneRuntime sets the collector's target once per process, unless GOGC says otherwise: an operator's
// GOGC (or GOGC=off) always wins.
func tuneRuntime() {
	tuneOnce.Do(func() {
		if _, set := os.LookupEnv("GOGC"); !set {
			debug.SetGCPercent(GCPercent)
		}
	})
}

// TuneProcs sets the Go processors for serving from the database at dsn (ProcsPerCPU), once per process,
// unless GOMAXPROCS says otherwise; before Open, whose write slots are counted from them
// (store.DefaultWriteSlots). `bianmin serve` calls it; the other commands and the tests keep Go's default
// (the generator prepares its batches on every processor, one goroutine each). Once set, the number no
// longer follows a change of the container's CPU limit while Bianmin runs (Go's default does): a restart
// takes the new limit.
func TuneProcs(dsn string) {
	procsOnce.Do(func() {
		_, set := os.LookupEnv("GOMAXPROCS")
		now := runtime.GOMAXPROCS(0)
		if n := procsFor(store.EngineOf(dsn), set, now); n != now {
			runtime.GOMAXPROCS(n)
		}
	})
}

// procsFor is the Go processors for an engine, given whether GOMAXPROCS is set and what the runtime has now.
func procsFor(engine string, set bool, now int) int {
	if set || engine != "postgres" {
		return now
	}
	return now * ProcsPerCPU
}
