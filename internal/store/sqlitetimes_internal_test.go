package store

import (
	"database/sql/driver"
	"testing"
	"time"
)

// The texts of a time the SQLite driver wrote, each read as the instant it names, in microseconds.
func TestTextMicros(t *testing.T) {
	at := time.Date(2026, 12, 1, 13, 44, 58, 268640473, time.UTC)
	micros := at.UnixMicro()
	cst := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		name string
		in   any
		want any
		bad  bool
	}{
		{"time.String, UTC", at.String(), micros, false},
		{"time.String in China Standard Time", at.In(cst).String(), micros, false},
		{"time.String with the monotonic reading", at.String() + " m=+12.000000001", micros, false},
		{"a whole second", "2026-12-01 13:44:58 +0000 UTC", time.Date(2026, 12, 1, 13, 44, 58, 0, time.UTC).UnixMicro(), false},
		{"the driver's sqlite form", "2026-12-01 21:44:58.268640473+08:00", micros, false},
		{"RFC 3339", "2026-12-01T13:44:58.268640473Z", micros, false},
		{"a date", "2026-12-01", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).UnixMicro(), false},
		{"an integer already", int64(42), int64(42), false},
		{"NULL", nil, nil, false},
		{"not a time", "yesterday", nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := textMicros(nil, []driver.Value{c.in})
			if c.bad {
				if err == nil {
					t.Fatalf("%v read as %v", c.in, got)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("%v read as %v (%v), want %v", c.in, got, err, c.want)
			}
		})
	}
}
