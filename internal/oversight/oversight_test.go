package oversight_test

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/oversight"
)

func calendar(t *testing.T) clock.Clock {
	t.Helper()
	return clock.New(clock.Default(), clock.DefaultRules())
}

// An order is refused, field by field, for what it lacks or what cannot be: no content, content over its
// limit, no due day, a due day before today, on a holiday (2026-10-01, 国庆节), or a kind not in the list.
func TestOrderInput(t *testing.T) {
	clk := calendar(t)
	today := clock.Date{Y: 2026, M: 9, D: 28}
	for _, tc := range []struct {
		name string
		in   oversight.Input
		want map[string]string // field → message key; nil: accepted
		kind oversight.Kind
	}{
		{"accepted, 督办 by default", oversight.Input{Content: "请于限期内办结并报告", Due: "2026-09-30"}, nil, oversight.Supervise},
		{"催办, due today", oversight.Input{Kind: "urge", Content: "请尽快办理", Due: "2026-09-28"}, nil, oversight.Urge},
		{"nothing", oversight.Input{}, map[string]string{"content": "err.required", "due": "err.required"}, ""},
		{"blank content", oversight.Input{Content: " \u3000\n", Due: "2026-09-30"}, map[string]string{"content": "err.required"}, ""},
		{"too long", oversight.Input{Content: strings.Repeat("督", oversight.MaxContent+1), Due: "2026-09-30"}, map[string]string{"content": "err.too_long"}, ""},
		{"the longest", oversight.Input{Content: strings.Repeat("督", oversight.MaxContent), Due: "2026-09-30"}, nil, oversight.Supervise},
		{"past", oversight.Input{Content: "x", Due: "2026-09-25"}, map[string]string{"due": "err.order.due_past"}, ""},
		{"holiday", oversight.Input{Content: "x", Due: "2026-10-01"}, map[string]string{"due": "err.order.due_holiday"}, ""},
		{"not a date", oversight.Input{Content: "x", Due: "2026-02-30"}, map[string]string{"due": "err.find.date"}, ""},
		{"unknown kind", oversight.Input{Kind: "fire", Content: "x", Due: "2026-09-30"}, map[string]string{"kind": "err.find.choice"}, ""},
	} {
		kind, _, err := tc.in.Check(clk.Cal, today)
		got := map[string]string{}
		for _, e := range errs.All(err) {
			got[e.Field] = e.Key
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: errors %v, want %v", tc.name, got, tc.want)
			continue
		}
		for f, k := range tc.want {
			if got[f] != k {
				t.Errorf("%s: %s = %q, want %q", tc.name, f, got[f], k)
			}
		}
		if tc.want == nil && kind != tc.kind {
			t.Errorf("%s: kind %q, want %q", tc.name, kind, tc.kind)
		}
	}
}

// An order's card follows the clock's rule for its own limit (issue to due day): green while time is left,
// yellow near the due day, red after it, none once answered.
func TestOrderCard(t *testing.T) {
	clk := calendar(t)
	loc := clk.Rules.Location
	// issued Monday 2026-11-02, due Monday 2026-11-16: ten working days
	o := oversight.Order{IssuedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, loc), Due: clock.Date{Y: 2026, M: 11, D: 16}}
	for _, tc := range []struct {
		day  clock.Date
		want clock.Card
	}{
		{clock.Date{Y: 2026, M: 11, D: 3}, clock.Green},
		{clock.Date{Y: 2026, M: 11, D: 11}, clock.Green},
		{clock.Date{Y: 2026, M: 11, D: 12}, clock.Yellow}, // two working days left: 20% of ten
		{clock.Date{Y: 2026, M: 11, D: 16}, clock.Yellow},
		{clock.Date{Y: 2026, M: 11, D: 17}, clock.Red},
	} {
		if got := o.Card(clk, tc.day); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.day, got, tc.want)
		}
	}
	o.AnsweredAt = time.Date(2026, 11, 20, 9, 0, 0, 0, loc)
	if got := o.Card(clk, clock.Date{Y: 2026, M: 11, D: 20}); got != "" {
		t.Errorf("answered: %q", got)
	}
}
