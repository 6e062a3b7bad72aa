package cases

import (
	"errors"
	"slices"
	"testing"

	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

func must(t *testing.T, c *Case, a Action, d Desk, in Input, when string) {
	t.Helper()
	if _, err := c.Apply(a, d, in, at(when), clk); err != nil {
		t.Fatalf("%s at %s: %v", a, when, err)
	}
}

// 行政许可法 第32条(四): five working days from receipt (Mon 2026-03-02) to the one-time notice or acceptance;
// past them the case shows as deemed accepted.
func TestIntakeClockCards(t *testing.T) {
	c := dibao()
	if got := c.IntakeDue(clk); got.String() != "2026-03-09" {
		t.Fatalf("intake due %s, want 2026-03-09", got)
	}
	for _, tc := range []struct {
		today  string
		card   clock.Card
		deemed bool
	}{
		{"2026-03-02", clock.Green, false},
		{"2026-03-05", clock.Green, false},
		{"2026-03-06", clock.Yellow, false},
		{"2026-03-09", clock.Yellow, false},
		{"2026-03-10", clock.Red, true},
		{"2026-03-16", clock.Red, true},
	} {
		st := c.StandingOn(clk, at(tc.today+" 10:00"))
		if st.Phase != PhaseIntake || st.Card != tc.card || st.Due.String() != "2026-03-09" {
			t.Errorf("%s: phase %q card %q due %s, want intake %q 2026-03-09", tc.today, st.Phase, st.Card, st.Due, tc.card)
		}
		if got := c.DeemedAccepted(clk, clock.MustDate(tc.today)); got != tc.deemed {
			t.Errorf("%s: deemed accepted %v, want %v", tc.today, got, tc.deemed)
		}
	}
	// waiting for the applicant's correction, no clock runs
	must(t, &c, AskCorrection, Front, Input{Materials: materials(true)}, "2026-03-03 10:00")
	if st := c.StandingOn(clk, at("2026-03-20 10:00")); st.Phase != "" || st.Card != "" || !st.Due.IsZero() {
		t.Errorf("in correction: %+v", st)
	}
}

// How the window's answer stops the intake clock, and what a late one does.
func TestIntakeClockMoves(t *testing.T) {
	for _, tc := range []struct {
		name       string
		moves      func(t *testing.T, c *Case)
		lateIntake string // "" not late
		deemed     bool
		decisionBy string // the decision clock's due day
	}{
		{"accepted on the last day", func(t *testing.T, c *Case) {
			must(t, c, Accept, Front, Input{Materials: materials(false)}, "2026-03-09 16:00")
		}, "", false, "2026-04-14"},
		{"accepted a day late: counts from receipt", func(t *testing.T, c *Case) {
			must(t, c, Accept, Front, Input{Materials: materials(false)}, "2026-03-10 09:00")
		}, "2026-03-10", true, "2026-04-07"},
		{"notice on time, resubmitted, accepted within five days of it", func(t *testing.T, c *Case) {
			must(t, c, AskCorrection, Front, Input{Materials: materials(true)}, "2026-03-04 10:00")
			must(t, c, Resubmit, Front, Input{}, "2026-03-20 10:00")
			must(t, c, Accept, Front, Input{Materials: materials(false)}, "2026-03-27 10:00")
		}, "", false, "2026-05-07"},
		{"notice late: late intake, the clock from acceptance", func(t *testing.T, c *Case) {
			must(t, c, AskCorrection, Front, Input{Materials: materials(true)}, "2026-03-11 10:00")
			must(t, c, Resubmit, Front, Input{}, "2026-03-20 10:00")
			must(t, c, Accept, Front, Input{Materials: materials(false)}, "2026-03-23 10:00")
		}, "2026-03-11", false, "2026-04-28"},
		{"resubmitted and left unanswered: deemed accepted from the resubmission", func(t *testing.T, c *Case) {
			must(t, c, AskCorrection, Front, Input{Materials: materials(true)}, "2026-03-04 10:00")
			must(t, c, Resubmit, Front, Input{}, "2026-03-20 10:00")
			must(t, c, Accept, Front, Input{Materials: materials(false)}, "2026-03-30 10:00")
		}, "2026-03-30", true, "2026-04-27"},
		{"refused late", func(t *testing.T, c *Case) {
			must(t, c, Refuse, Front, Input{Reason: "不属于本机关职权"}, "2026-03-12 10:00")
		}, "2026-03-12", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dibao()
			tc.moves(t, &c)
			if c.LateIntake.String() != tc.lateIntake && !(tc.lateIntake == "" && c.LateIntake.IsZero()) {
				t.Errorf("late intake %v, want %q", c.LateIntake, tc.lateIntake)
			}
			if got := !c.DeemedFrom.IsZero(); got != tc.deemed {
				t.Errorf("deemed %v, want %v", got, tc.deemed)
			}
			st := c.StandingOn(clk, at("2026-03-31 10:00"))
			if st.LateIntakeOn != c.LateIntake.Int() {
				t.Errorf("standing late intake %d", st.LateIntakeOn)
			}
			if tc.decisionBy == "" {
				if st.Phase != "" || st.Card != "" {
					t.Errorf("closed case has a clock: %+v", st)
				}
				return
			}
			if st.Phase != PhaseDecision || st.Due.String() != tc.decisionBy {
				t.Errorf("phase %q due %s, want decision %s", st.Phase, st.Due, tc.decisionBy)
			}
		})
	}
}

// 行政许可法 第44条: ten working days from the decision (Mon 2026-09-21) to issue and delivery, over
// National Day 2026: due 2026-10-12.
func TestIssueClock(t *testing.T) {
	decided := func() Case {
		c := dibao()
		must(t, &c, Accept, Front, Input{Materials: materials(false)}, "2026-09-01 10:00")
		must(t, &c, Pass, Back, Input{}, "2026-09-02 10:00")
		must(t, &c, Decide, Back, Input{Grant: true}, "2026-09-21 10:00")
		return c
	}
	c := decided()
	if got := c.IssueDue(clk); got.String() != "2026-10-12" {
		t.Fatalf("issue due %s", got)
	}
	for _, tc := range []struct {
		today string
		card  clock.Card
	}{{"2026-09-22", clock.Green}, {"2026-10-08", clock.Green}, {"2026-10-09", clock.Yellow}, {"2026-10-12", clock.Yellow}, {"2026-10-13", clock.Red}} {
		st := c.StandingOn(clk, at(tc.today+" 10:00"))
		if st.Phase != PhaseIssue || st.Card != tc.card || st.Due.String() != "2026-10-12" || st.DecisionDue.IsZero() {
			t.Errorf("%s: %q %q %s, want issue %q", tc.today, st.Phase, st.Card, st.Due, tc.card)
		}
	}
	for _, tc := range []struct {
		name  string
		moves func(t *testing.T, c *Case)
		late  string
		phase Phase
	}{
		{"handed out and delivered on the last day", func(t *testing.T, c *Case) {
			must(t, c, Issue, Front, Input{Method: "window"}, "2026-10-12 10:00")
			must(t, c, Deliver, Front, Input{}, "2026-10-12 10:05")
		}, "", ""},
		{"posted in time, delivered late", func(t *testing.T, c *Case) {
			must(t, c, Issue, Front, Input{Method: "post", Tracking: "EMS1"}, "2026-10-09 10:00")
			must(t, c, Deliver, Front, Input{}, "2026-10-14 10:00")
		}, "2026-10-14", ""},
		{"posted, waiting for delivery: the clock still runs", func(t *testing.T, c *Case) {
			must(t, c, Issue, Front, Input{Method: "post", Tracking: "EMS1"}, "2026-10-09 10:00")
		}, "", PhaseIssue},
		{"sent electronically late: served when sent", func(t *testing.T, c *Case) {
			must(t, c, Issue, Front, Input{Method: "electronic"}, "2026-10-13 10:00")
		}, "2026-10-13", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := decided()
			tc.moves(t, &c)
			if (c.LateIssue.IsZero() && tc.late != "") || (!c.LateIssue.IsZero() && c.LateIssue.String() != tc.late) {
				t.Errorf("late issue %v, want %q", c.LateIssue, tc.late)
			}
			st := c.StandingOn(clk, at("2026-10-20 10:00"))
			if st.Phase != tc.phase || st.LateIssueOn != c.LateIssue.Int() {
				t.Errorf("standing %+v", st)
			}
		})
	}
}

// 即办 items have no decision period to extend: the request is refused, naming the field, and not offered.
func TestInstantItemsAreNotExtended(t *testing.T) {
	for _, tc := range []struct {
		unit clock.Unit
		ok   bool
	}{{clock.Instant, false}, {clock.WorkingDays, true}, {clock.NaturalDays, true}} {
		c := dibao()
		c.LimitUnit, c.LimitDays = tc.unit, 5
		must(t, &c, Accept, Front, Input{Materials: materials(false)}, "2026-03-02 10:00")
		if c.Ready(RequestExtension) != tc.ok {
			t.Errorf("%s: offered %v", tc.unit, !tc.ok)
		}
		_, err := c.Apply(RequestExtension, Back, Input{Days: 5, Reason: "复杂"}, at("2026-03-03 10:00"), clk)
		if tc.ok != (err == nil) {
			t.Fatalf("%s: %v", tc.unit, err)
		}
		var e *errs.Error
		if !tc.ok && (!errors.As(err, &e) || e.Field != "days" || e.Key != "err.case.extension_instant") {
			t.Errorf("%s: refusal %#v", tc.unit, err)
		}
	}
}

// 行政许可法 第82条: a 行政许可's extension is in working days whatever its limit's unit; other items use
// the unit carried onto the case.
func TestExtensionUnitOfTheCase(t *testing.T) {
	for _, tc := range []struct {
		unit clock.Unit
		want string
	}{{"", "2026-10-16"}, {clock.WorkingDays, "2026-10-16"}, {clock.NaturalDays, "2026-10-08"}} {
		c := dibao()
		c.LimitUnit, c.LimitDays, c.ExtensionUnit, c.Received = clock.NaturalDays, 10, tc.unit, at("2026-09-17 10:00")
		must(t, &c, Accept, Front, Input{Materials: materials(false)}, "2026-09-18 10:00")
		must(t, &c, RequestExtension, Back, Input{Days: 10, Reason: "复杂"}, "2026-09-21 10:00")
		must(t, &c, ApproveExtension, Head, Input{}, "2026-09-21 11:00")
		if due, _ := c.Due(clk, clock.MustDate("2026-09-21")); due.String() != tc.want {
			t.Errorf("unit %q: due %s, want %s", tc.unit, due, tc.want)
		}
	}
}

// A special step (特别程序，不计入时限) stands the clock by itself: entering it (pass, return, or acceptance
// straight into it) starts a suspension of its kind, leaving it ends that suspension.
func TestSpecialStepStandsTheClock(t *testing.T) {
	steps := []Step{{Name: "受理", Role: "clerk", Level: 5}, {Name: "初审", Role: "reviewer", Level: 5},
		{Name: "嘎查村公示", Role: "reviewer", Level: 6, Special: "公示", Unit: clock.NaturalDays, Days: 7}, {Name: "审核", Role: "department", Level: 4}}
	type step struct {
		a    Action
		at   string
		in   Input
		open bool // a special suspension is open after the move
	}
	acc := Input{Materials: materials(false)}
	for _, tc := range []struct {
		name  string
		steps []Step
		moves []step
		kinds []string // the suspensions' kinds and spans after the moves
		spans []string
		extra int // working days the deadline moved on 2026-03-31
	}{
		{"pass into it and out of it", steps, []step{
			{Accept, "2026-03-02 10:00", acc, false}, {Pass, "2026-03-03 10:00", Input{}, true}, {Pass, "2026-03-10 10:00", Input{}, false},
		}, []string{"公示"}, []string{"2026-03-03..2026-03-09"}, 5},
		{"returned into it", steps, []step{
			{Accept, "2026-03-02 10:00", acc, false}, {Pass, "2026-03-03 10:00", Input{}, true}, {Pass, "2026-03-10 10:00", Input{}, false},
			{Return, "2026-03-11 10:00", Input{Reason: "材料待核"}, true}, {Pass, "2026-03-13 10:00", Input{}, false},
		}, []string{"公示", "公示"}, []string{"2026-03-03..2026-03-09", "2026-03-11..2026-03-12"}, 7},
		{"accepted straight into it, still in it", []Step{{Name: "受理", Role: "clerk"}, steps[2], steps[3]}, []step{
			{Accept, "2026-03-02 10:00", acc, true},
		}, []string{"公示"}, []string{"2026-03-02..open"}, 22},
		{"passed through the same day: nothing", steps, []step{
			{Accept, "2026-03-02 10:00", acc, false}, {Pass, "2026-03-03 10:00", Input{}, true}, {Pass, "2026-03-03 15:00", Input{}, false},
		}, nil, nil, 0},
		{"a back-office suspension inside it counts once", steps, []step{
			{Accept, "2026-03-02 10:00", acc, false}, {Pass, "2026-03-03 10:00", Input{}, true},
			{Suspend, "2026-03-04 10:00", Input{Kind: "补正", Reason: "补充材料"}, true}, {Resume, "2026-03-06 10:00", Input{}, true},
			{Pass, "2026-03-10 10:00", Input{}, false},
		}, []string{"公示", "补正"}, []string{"2026-03-03..2026-03-09", "2026-03-04..2026-03-05"}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dibao()
			c.Steps = tc.steps
			plain := c
			for _, m := range tc.moves {
				must(t, &c, m.a, StepDesk(c.Steps[max(c.Step, 0)]), m.in, m.at)
				if m.a == Accept {
					plain = c
					plain.Suspensions = nil
				}
				if c.StepStands() != m.open {
					t.Errorf("after %s at %s: stands %v, want %v", m.a, m.at, c.StepStands(), m.open)
				}
			}
			if len(c.Suspensions) != len(tc.kinds) {
				t.Fatalf("suspensions %+v, want %v", c.Suspensions, tc.spans)
			}
			for i, x := range c.Suspensions {
				span := x.From.String() + ".."
				if x.To.IsZero() {
					span += "open"
				} else {
					span += x.To.String()
				}
				if x.Kind != tc.kinds[i] || span != tc.spans[i] {
					t.Errorf("suspension %d: %s %s, want %s %s", i, x.Kind, span, tc.kinds[i], tc.spans[i])
				}
			}
			today := clock.MustDate("2026-03-31")
			was, _ := plain.Due(clk, today)
			now, _ := c.Due(clk, today)
			if got := clk.Cal.WorkingDaysBetween(was, now); got != tc.extra {
				t.Errorf("deadline moved %d working days (%s -> %s), want %d", got, was, now, tc.extra)
			}
			st := c.StandingOn(clk, at("2026-03-31 10:00"))
			if st.Stands != c.StepStands() || (st.Stands && st.Card != clock.Green) {
				t.Errorf("standing %+v", st)
			}
		})
	}
}

// Every special procedure the catalog may name (行政许可法 第45条: 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审,
// and 公示) stands the clock under its own kind, never as 其他; a step naming none is 其他.
func TestSpecialKindOfEveryCatalogProcedure(t *testing.T) {
	for _, k := range catalog.SpecialKinds {
		if got := SpecialKind(Step{Special: k}); got != k {
			t.Errorf("special step %s stands as %s", k, got)
		}
		if !slices.Contains(SuspendKinds, k) || SuspendKindCode(k) == "" || (k != "其他" && SuspendKindCode(k) == "other") {
			t.Errorf("%s is not a suspension kind with its own code", k)
		}
	}
	if got := SpecialKind(Step{Special: "现场勘验"}); got != "其他" {
		t.Errorf("an unnamed procedure stands as %s", got)
	}
}

// A desk's queue orders open cases by their running clock's due day, those without one last, and holds no
// closed case.
func TestQueueDay(t *testing.T) {
	due := clock.Date{Y: 2026, M: 12, D: 21}
	for _, tc := range []struct {
		state State
		due   clock.Date
		want  int
	}{
		{Accepted, due, 20261221},
		{Received, due, 20261221},
		{Suspended, clock.Date{}, NoDueDay},
		{Issued, clock.Date{}, NoDueDay},
		{Delivered, due, 0},
		{Refused, clock.Date{}, 0},
	} {
		c := Case{State: tc.state, Standing: Standing{Due: tc.due}}
		if got := c.QueueDay(); got != tc.want {
			t.Errorf("%s due %s: %d, want %d", tc.state, tc.due, got, tc.want)
		}
	}
}
