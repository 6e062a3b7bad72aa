package service

import (
	"sync"
	"time"
)

// SweepBounds are the upper bounds, in seconds, of the supervision job's duration buckets.
var SweepBounds = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300}

// SweepStats is what the supervision job (sweep, roll-up, monthly reports) has taken so far: the operator's
// metrics read it; the service keeps no metrics registry of its own.
type SweepStats struct {
	Count   uint64
	Seconds float64  // the sum of all runs
	Buckets []uint64 // runs per bucket of SweepBounds, not cumulative; a run over the last bound is in none
	Last    float64  // seconds of the latest run
	Failed  uint64   // runs whose sweep ended in an error
}

type sweepStats struct {
	mu sync.Mutex
	s  SweepStats
}

func (t *sweepStats) observe(d time.Duration, failed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.s.Buckets == nil {
		t.s.Buckets = make([]uint64, len(SweepBounds))
	}
	sec := d.Seconds()
	for i, b := range SweepBounds {
		if sec <= b {
			t.s.Buckets[i]++
			break
		}
	}
	t.s.Count++
	t.s.Seconds += sec
	t.s.Last = sec
	if failed {
		t.s.Failed++
	}
}

// SweepStats returns a copy of the supervision job's figures.
func (s *Service) SweepStats() SweepStats {
	s.sweeps.mu.Lock()
	defer s.sweeps.mu.Unlock()
	out := s.sweeps.s
	out.Buckets = make([]uint64, len(SweepBounds))
	copy(out.Buckets, s.sweeps.s.Buckets)
	return out
}
