package store

import (
	"slices"
	"testing"
)

// A period reads the month rows of the months it holds whole and the day rows of the rest, and never both
// for one day.
func TestTallyDays(t *testing.T) {
	for _, c := range []struct {
		from, to int
		want     string
		args     []any
	}{
		{20261001, 20261031, "(day IN (?))", []any{20261000}},
		{20261001, 20261030, "((day >= ? AND day <= ?))", []any{20261001, 20261030}},
		{20261015, 20261015, "((day >= ? AND day <= ?))", []any{20261015, 20261015}},
		{20260201, 20260228, "(day IN (?))", []any{20260200}},                        // February of a common year
		{20280201, 20280228, "((day >= ? AND day <= ?))", []any{20280201, 20280228}}, // of a leap year: one day short
		{20251201, 20261130, "(day IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))", []any{20251200, 20260100, 20260200, 20260300, 20260400, 20260500, 20260600, 20260700, 20260800, 20260900, 20261000, 20261100}},
		{20251215, 20260210, "((day >= ? AND day <= ?) OR (day >= ? AND day <= ?) OR day IN (?))", []any{20251215, 20251231, 20260201, 20260210, 20260100}},
		{20261101, 20261031, "1 = 0", nil},
	} {
		got, args := tallyDays(c.from, c.to)
		if got != c.want || !slices.Equal(args, c.args) {
			t.Errorf("%d–%d: %s %v, want %s %v", c.from, c.to, got, args, c.want, c.args)
		}
	}
}
