package cases

import (
	"testing"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// The day owed materials are due (容缺, FACTS.md §5.4): after today, and within a year of it.
func TestOwedByBound(t *testing.T) {
	tests := []struct {
		by  string
		key string // "" when accepted
	}{
		{"", "err.required"},               // empty: missing, not early
		{"2026-03-03", "err.case.owed_by"}, // today
		{"2026-03-04", ""},
		{"2027-03-04", ""}, // 366 days on
		{"2027-03-05", "err.case.owed_by_far"},
		{"9999-12-31", "err.case.owed_by_far"},
	}
	for _, tc := range tests {
		c := dibao()
		var by clock.Date
		if tc.by != "" {
			by = clock.MustDate(tc.by)
		}
		_, err := c.Apply(AcceptOwed, Front, Input{Materials: with(fine(), 4, Owed), OwedBy: by}, at("2026-03-03 10:00"), clk)
		if tc.key == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.by, err)
			}
			continue
		}
		found := false
		for _, e := range errs.All(err) {
			found = found || (e.Field == "owed_by" && e.Key == tc.key)
		}
		if !found || c.State != Received {
			t.Errorf("%q: want owed_by %s, got %v (state %s)", tc.by, tc.key, err, c.State)
		}
		if tc.key == "err.case.owed_by_far" && !hasDate(err, "2027-03-04") {
			t.Errorf("%q: the refusal names no last day: %v", tc.by, err)
		}
	}
}

func hasDate(err error, d string) bool {
	for _, e := range errs.All(err) {
		if e.Args["date"] == d {
			return true
		}
	}
	return false
}
