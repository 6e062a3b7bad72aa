package complaint

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

var clk = clock.New(clock.Default(), clock.DefaultRules())

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clk.Rules.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func fields(err error) string {
	var out []string
	for _, e := range errs.All(err) {
		out = append(out, e.Field)
	}
	return strings.Join(out, " ")
}

func TestCheck(t *testing.T) {
	ok := Complaint{Channel: Online, About: AboutWindow, WindowID: "w", Body: "窗口人员态度差"}
	for _, c := range []struct {
		name string
		c    func(Complaint) Complaint
		want string
	}{
		{"fine", func(c Complaint) Complaint { return c }, ""},
		{"the service in general names nothing", func(c Complaint) Complaint { c.About, c.WindowID = AboutService, ""; return c }, ""},
		{"a window not named", func(c Complaint) Complaint { c.WindowID = ""; return c }, "window"},
		{"a case not named", func(c Complaint) Complaint { c.About = AboutCase; return c }, "complaint_case"},
		{"a person not named", func(c Complaint) Complaint { c.About = AboutStaff; return c }, "complaint_staff"},
		{"an item not named", func(c Complaint) Complaint { c.About = AboutItem; return c }, "item"},
		{"no body", func(c Complaint) Complaint { c.Body = ""; return c }, "complaint"},
		{"too long", func(c Complaint) Complaint { c.Body = strings.Repeat("投", MaxBody+1); return c }, "complaint"},
		{"unknown channel and subject", func(c Complaint) Complaint { c.Channel, c.About = "fax", "weather"; return c }, "channel complaint_about"},
	} {
		if got := fields(c.c(ok).Check()); got != c.want {
			t.Errorf("%s: fields %q, want %q", c.name, got, c.want)
		}
	}
	if fields(CheckContact("", "")) != "" || fields(CheckContact("某", "138-0000 1234")) != "" || fields(CheckContact("", "call me")) != "phone" {
		t.Error("contact check")
	}
}

// The answer deadline counts working days from the day after receipt, as a case's limit (clock.Clock.Due);
// one extension of at most the deadline's own days, with reasons; 超期天数 counts the working days after the
// deadline until the answer (GB/T 39046-2020 6.7).
func TestDeadline(t *testing.T) {
	// Friday 2026-03-06: 5 working days end on Friday 03-13
	base := Complaint{Channel: Online, About: AboutService, Body: "x", At: at("2026-03-06 10:00")}.Start(clk, 0)
	if base.Days != DefaultDays || base.DueOn != clock.MustDate("2026-03-13") || base.State != Open || base.Version != 1 {
		t.Fatalf("start: %+v", base)
	}
	for _, c := range []struct {
		name             string
		ext              int
		reason           string
		answered         string
		wantDue          string
		wantErr          string
		wantLate         bool
		wantOverdue      int
		wantCard         clock.Card
		today            string
		wantAnswerDays   int
		wantExtendFailed bool
	}{
		{name: "answered in time", answered: "2026-03-12", wantDue: "2026-03-13", today: "2026-03-20", wantAnswerDays: 4},
		{name: "answered on the day", answered: "2026-03-13", wantDue: "2026-03-13", today: "2026-03-20", wantAnswerDays: 5},
		{name: "answered late", answered: "2026-03-17", wantDue: "2026-03-13", wantLate: true, wantOverdue: 2, wantCard: clock.Red, today: "2026-03-20", wantAnswerDays: 7},
		{name: "extended 3, then in time", ext: 3, reason: "需调取监控核实", answered: "2026-03-17", wantDue: "2026-03-18", today: "2026-03-20", wantAnswerDays: 7},
		{name: "unanswered, yellow on the due day", wantDue: "2026-03-13", wantCard: clock.Yellow, today: "2026-03-13"},
		{name: "unanswered, red after", wantDue: "2026-03-13", wantCard: clock.Red, wantOverdue: 1, today: "2026-03-16"},
		{name: "unanswered, green early", wantDue: "2026-03-13", wantCard: clock.Green, today: "2026-03-09"},
		{name: "extension needs reasons", ext: 2, wantErr: "reason", wantDue: "2026-03-13", wantCard: clock.Green, today: "2026-03-09"},
		{name: "extension over the deadline's days", ext: 6, reason: "r", wantErr: "days", wantDue: "2026-03-13", wantCard: clock.Green, today: "2026-03-09"},
		{name: "extension of none", ext: -1, reason: "r", wantErr: "days", wantDue: "2026-03-13", wantCard: clock.Green, today: "2026-03-09"},
	} {
		x := base
		if c.ext != 0 {
			y, err := x.Extend(c.ext, c.reason, "主任", at("2026-03-09 09:00"), clk)
			if got := fields(err); got != c.wantErr {
				t.Errorf("%s: extension error %q, want %q", c.name, got, c.wantErr)
			}
			if err == nil {
				x = y
				if _, err := x.Extend(1, "again", "主任", at("2026-03-09 09:00"), clk); fields(err) != "days" {
					t.Errorf("%s: a second extension: %v", c.name, err)
				}
			}
		}
		if c.answered != "" {
			var err error
			if x, err = x.Reply("已核实并批评教育", "天山镇", at(c.answered+" 10:00"), clock.MustDate(c.answered)); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if _, err := x.Extend(1, "r", "", time.Time{}, clk); errs.CodeOf(err) != errs.Conflict {
				t.Errorf("%s: extended after the answer: %v", c.name, err)
			}
		}
		today := clock.MustDate(c.today)
		if x.DueOn != clock.MustDate(c.wantDue) || x.Late() != c.wantLate || x.OverdueDays(clk.Cal, today) != c.wantOverdue ||
			x.Card(today) != c.wantCard || x.AnswerDays(clk.Cal, clk.Rules.Location) != c.wantAnswerDays {
			t.Errorf("%s: due %s late %v overdue %d card %q answer days %d", c.name, x.DueOn, x.Late(), x.OverdueDays(clk.Cal, today),
				x.Card(today), x.AnswerDays(clk.Cal, clk.Rules.Location))
		}
		row := RowOf(x, clk.Cal, clk.Rules.Location, today)
		if row.Kind != "投诉" || row.PromiseDays != 5 || row.OverdueDays != c.wantOverdue || (c.wantErr == "" && c.ext > 0 && row.ExtendDays != c.ext) {
			t.Errorf("%s: row %+v", c.name, row)
		}
	}
}

// Only an answered complaint is rated, once, with a verdict of the list; an answer is said, and given once.
func TestReplyAndRate(t *testing.T) {
	x := Complaint{Channel: Phone, About: AboutService, Body: "x", At: at("2026-03-06 10:00")}.Start(clk, 3)
	if _, err := x.Rate(Satisfied, at("2026-03-07 10:00")); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("rated before the answer: %v", err)
	}
	if _, err := x.Reply("", "t", at("2026-03-07 10:00"), clock.MustDate("2026-03-07")); fields(err) != "answer" {
		t.Errorf("an empty answer: %v", err)
	}
	y, err := x.Reply("答复", "t", at("2026-03-09 10:00"), clock.MustDate("2026-03-09"))
	if err != nil || y.State != Answered || y.Version != 2 {
		t.Fatalf("%+v %v", y, err)
	}
	if _, err := y.Reply("again", "t", at("2026-03-09 10:00"), clock.MustDate("2026-03-09")); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("answered twice: %v", err)
	}
	if _, err := y.Rate("great", at("2026-03-09 11:00")); fields(err) != "complaint_verdict" {
		t.Errorf("a verdict not on the list: %v", err)
	}
	z, err := y.Rate(Basic, at("2026-03-09 11:00"))
	if err != nil || z.State != Closed || z.Verdict != Basic {
		t.Fatalf("%+v %v", z, err)
	}
	if _, err := z.Rate(Unsatisfied, at("2026-03-09 12:00")); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("rated twice: %v", err)
	}
	f := Tally([]Complaint{x, z}, clk.Cal, clk.Rules.Location, clock.MustDate("2026-03-20"))
	if f != (Figures{Received: 2, Answered: 1, OpenOverdue: 1, AvgDays: 1, Satisfied: 1, Rated: 1}) {
		t.Errorf("figures %+v", f)
	}
}
