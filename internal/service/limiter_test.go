package service

import (
	"testing"
	"time"
)

// The fixed-window counter behind the per-address ceilings and the tracking pairs, on an injected clock.
func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	type try struct {
		key  string
		at   time.Duration // after t0
		want bool
	}
	for _, tc := range []struct {
		name   string
		max    int
		window time.Duration
		tries  []try
	}{
		{"within the limit", 2, time.Minute, []try{{"a", 0, true}, {"a", time.Second, true}}},
		{"over the limit in the window", 2, time.Minute, []try{{"a", 0, true}, {"a", 1, true}, {"a", 2, false}, {"a", time.Minute, false}}},
		{"a new window starts after the old one", 1, time.Minute, []try{{"a", 0, true}, {"a", 30 * time.Second, false}, {"a", time.Minute + 1, true}}},
		{"keys do not share", 1, time.Hour, []try{{"track:N1\x00ip1", 0, true}, {"track:N1\x00ip2", 0, true}, {"track:N2\x00ip1", 0, true}, {"track:N1\x00ip1", time.Minute, false}}},
	} {
		l := newLimiter(tc.max, tc.window)
		for i, tr := range tc.tries {
			if got := l.allow(tr.key, t0.Add(tr.at)); got != tr.want {
				t.Errorf("%s: try %d (%s at +%v) = %v, want %v", tc.name, i, tr.key, tr.at, got, tr.want)
			}
		}
	}
}
