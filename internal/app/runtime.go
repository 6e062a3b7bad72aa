package app

import (
	"os"
	"runtime/debug"
	"sync"
)

// GCPercent is the garbage collector's target Bianmin runs with when the environment sets no GOGC. Its live
// heap is small (the caches and the connections' buffers: tens of MB) while every request allocates, so at
// Go's default (100) a busy server collects every few hundred requests. At 400 the heap may grow to five
// times the live one, a few hundred MB at most, and a case's lifecycle costs the server about a tenth less
// processor (BENCHMARKS.md, "The collector's target, the placeholders and the item version kept").
const GCPercent = 400

var tuneOnce sync.Once

// tuneRuntime sets the collector's target once per process, unless GOGC says otherwise: an operator's
// GOGC (or GOGC=off) always wins.
func tuneRuntime() {
	tuneOnce.Do(func() {
		if _, set := os.LookupEnv("GOGC"); !set {
			debug.SetGCPercent(GCPercent)
		}
	})
}
