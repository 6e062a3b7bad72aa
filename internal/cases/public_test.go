package cases

import (
	"slices"
	"testing"
	"time"

	"bianmin/internal/clock"
)

// The public timeline names stages, never desks, says granted or refused, and what the resident does next
// (行政许可法 第32条, 第34条, 第38条, 第44条).
func TestPublicTimeline(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	ev := func(a Action, d int) Event { return Event{Action: a, At: day(d), Desk: Back} }
	base := Case{Received: day(1)}
	with := func(f func(*Case)) Case { c := base; f(&c); return c }
	tests := []struct {
		name     string
		c        Case
		events   []Event
		stages   []Stage
		current  Stage
		outcome  string
		next     string
		remedies bool
	}{
		{"just received", with(func(c *Case) { c.State = Received }), []Event{ev("receive", 1)},
			[]Stage{StageReceived, StageAccepted, StageReview, StageDecided, StageDelivered}, StageReceived, "", "wait_check", false},
		{"correction asked", with(func(c *Case) { c.State = Correction }), []Event{ev("receive", 1), ev(AskCorrection, 2)},
			[]Stage{StageReceived, StageCorrection, StageAccepted, StageReview, StageDecided, StageDelivered}, StageCorrection, "", "bring_materials", false},
		{"refused at the window", with(func(c *Case) { c.State = Refused }), []Event{ev("receive", 1), ev(Refuse, 2)},
			[]Stage{StageReceived, StageRefused}, StageRefused, "", "refused", true},
		{"in review", with(func(c *Case) { c.State = Accepted; c.Accepted = day(2) }), []Event{ev("receive", 1), ev(Accept, 2)},
			[]Stage{StageReceived, StageAccepted, StageReview, StageDecided, StageDelivered}, StageReview, "", "wait_decision", false},
		{"suspended for correction", with(func(c *Case) {
			c.State = Suspended
			c.Accepted = day(2)
			c.Suspensions = []Suspension{{Suspension: clock.Suspension{Kind: "补正"}}}
		}), []Event{ev("receive", 1), ev(Accept, 2), ev(Suspend, 3)},
			[]Stage{StageReceived, StageAccepted, StageReview, StageDecided, StageDelivered}, StageReview, "", "bring_materials", false},
		{"granted, waiting to be issued", with(func(c *Case) {
			c.State = Decided
			c.Accepted = day(2)
			c.Decision = &Decision{Grant: true, At: day(5)}
		}), []Event{ev("receive", 1), ev(Accept, 2), ev(Decide, 5)},
			[]Stage{StageReceived, StageAccepted, StageReview, StageDecided, StageDelivered}, StageDecided, Granted, "wait_issue", false},
		{"denied, sent by post", with(func(c *Case) {
			c.State = Issued
			c.Accepted = day(2)
			c.Decision = &Decision{Grant: false, At: day(5)}
			c.Delivery = &Delivery{Method: "post"}
		}), []Event{ev("receive", 1), ev(Accept, 2), ev(Decide, 5), ev(Issue, 6)},
			[]Stage{StageReceived, StageAccepted, StageReview, StageDecided, StageDelivered}, StageDecided, Denied, "receive_post", true},
		{"delivered", with(func(c *Case) {
			c.State = Delivered
			c.Accepted = day(2)
			c.Decision = &Decision{Grant: true, At: day(5)}
		}), []Event{ev("receive", 1), ev(Accept, 2), ev(Decide, 5), ev(Issue, 6), ev(Deliver, 7)},
			[]Stage{StageReceived, StageAccepted, StageReview, StageDecided, StageDelivered}, StageDelivered, Granted, "none", false},
		{"terminated before acceptance", with(func(c *Case) { c.State = Terminated }), []Event{ev("receive", 1), ev(Terminate, 9)},
			[]Stage{StageReceived, StageTerminated}, StageTerminated, "", "terminated", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := PublicTimeline(tt.c, tt.events)
			var got []Stage
			var cur []Stage
			for _, s := range v.Steps {
				got = append(got, s.Stage)
				if s.Current {
					cur = append(cur, s.Stage)
				}
				if s.Done && s.At.IsZero() {
					t.Errorf("stage %s done without a date", s.Stage)
				}
			}
			if !slices.Equal(got, tt.stages) {
				t.Errorf("stages %v, want %v", got, tt.stages)
			}
			if len(cur) != 1 || cur[0] != tt.current {
				t.Errorf("current %v, want %s", cur, tt.current)
			}
			if v.Outcome != tt.outcome || v.Next != tt.next || v.Remedies != tt.remedies {
				t.Errorf("outcome %q next %q remedies %v, want %q %q %v", v.Outcome, v.Next, v.Remedies, tt.outcome, tt.next, tt.remedies)
			}
		})
	}
}
