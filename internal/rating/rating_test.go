package rating

import (
	"strings"
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// GB/T 39046-2020 A.8 and 内蒙古统计局好差评工作制度 第七条: codes 1-5, the last two are 差评.
func TestLevels(t *testing.T) {
	for _, c := range []struct {
		l          Level
		valid, bad bool
		zh         string
	}{{0, false, false, ""}, {1, true, false, "非常满意"}, {2, true, false, "满意"}, {3, true, false, "基本满意"},
		{4, true, true, "不满意"}, {5, true, true, "非常不满意"}, {6, false, false, ""}} {
		if c.l.Valid() != c.valid || c.l.Bad() != c.bad || c.l.Zh() != c.zh {
			t.Errorf("%d: valid %v bad %v %q", c.l, c.l.Valid(), c.l.Bad(), c.l.Zh())
		}
	}
}

// 表9 channels: 平板 and 书面 are on site (offline indicators), the rest online; staff type in only 书面.
func TestChannels(t *testing.T) {
	for _, c := range []struct {
		ch             Channel
		onSite, staff  bool
		table9         string
		firstIndicator string
	}{{Pad, true, false, "政务大厅平板电脑", "service_efficiency"}, {Paper, true, true, "书面评价表格", "service_efficiency"},
		{QR, false, false, "二维码", "handling_efficiency"}, {PC, false, false, "PC端", "handling_efficiency"},
		{Mobile, false, false, "移动服务端", "handling_efficiency"}, {SMS, false, false, "短信", "handling_efficiency"}, {Phone, false, true, "电话", "handling_efficiency"}} {
		if !c.ch.Valid() || c.ch.OnSite() != c.onSite || c.ch.ByStaff() != c.staff || c.ch.Table9() != c.table9 || IndicatorsOf(c.ch)[0] != c.firstIndicator {
			t.Errorf("%s", c.ch)
		}
	}
	if Channel("fax").Valid() {
		t.Error("fax is not a channel of 表9")
	}
}

func TestValidate(t *testing.T) {
	ok := Rating{Subject: Subject{CaseID: "c"}, Channel: Pad, Level: 5, Indicators: map[string]Level{"service_attitude": 5}}
	for _, c := range []struct {
		name   string
		r      func(Rating) Rating
		fields []string
	}{
		{"fine", func(r Rating) Rating { return r }, nil},
		{"no subject", func(r Rating) Rating { r.Subject = Subject{}; return r }, []string{"subject"}},
		{"two subjects", func(r Rating) Rating { r.TicketID = "t"; return r }, []string{"subject"}},
		{"bad channel", func(r Rating) Rating { r.Channel = "fax"; return r }, []string{"channel", "service_attitude"}},
		{"no level", func(r Rating) Rating { r.Level = 0; return r }, []string{"level"}},
		{"online indicator on the tablet", func(r Rating) Rating { r.Indicators = map[string]Level{"operability": 1}; return r }, []string{"operability"}},
		{"indicator level 7", func(r Rating) Rating { r.Indicators = map[string]Level{"service_level": 7}; return r }, []string{"service_level"}},
		{"long text", func(r Rating) Rating { r.Text = strings.Repeat("很", MaxText+1); return r }, []string{"text"}},
	} {
		err := c.r(ok).Validate()
		var got []string
		for _, e := range errs.All(err) {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(c.fields, ",") {
			t.Errorf("%s: %v, want %v", c.name, got, c.fields)
		}
	}
}

// The rectification's table: 核实 → 整改 → 反馈 → 回访 (or closed unreachable after 反馈); each staff step says what
// was done; the deadline is 5 working days from the rating (FACTS.md §2.4), counted on the calendar, and the
// cards are a case's: yellow the last working day, red after it.
func TestRectification(t *testing.T) {
	clk := clock.New(clock.Default(), clock.DefaultRules())
	// rated the Thursday before National Day: the five working days are counted on the official calendar,
	// as a case's limit is (clock.Clock.Due), so the holiday is skipped
	at := time.Date(2026, 9, 24, 10, 0, 0, 0, clk.Rules.Location)
	x := OpenFor(Rating{ID: "r", Township: "t", RatedAt: at}, clk, 0)
	if x.Days != 5 || x.Step != Open {
		t.Fatalf("%+v", x)
	}
	want := clk.Due(at, clock.WorkingDays, 5)
	if x.DueOn != want || x.DueOn.Sub(clock.DateOf(at)) < 7 {
		t.Fatalf("due %s, want %s", x.DueOn, want)
	}
	if c := x.Card(x.DueOn.AddDays(-3)); c != clock.Green && c != clock.Yellow {
		t.Fatalf("before: %s", c)
	}
	if c := x.Card(x.YellowFrom); c != clock.Yellow {
		t.Fatalf("yellow day: %s", c)
	}
	if c := x.Card(x.DueOn.AddDays(1)); c != clock.Red {
		t.Fatalf("overdue: %s", c)
	}
	today := x.DueOn
	steps := []struct {
		m    Move
		in   Input
		code errs.Code
		step Step
	}{
		{Rectify, Input{Note: "x"}, errs.Conflict, Open},
		{Verify, Input{}, errs.Invalid, Open},
		{Verify, Input{Note: "属实"}, "", Verified},
		{Feedback, Input{Note: "x"}, errs.Conflict, Verified},
		{Rectify, Input{Note: "增开窗口"}, "", Rectified},
		{Revisit, Input{Verdict: VerdictSatisfied}, errs.Conflict, Rectified},
		{Feedback, Input{Note: "已告知"}, "", FedBack},
		{Revisit, Input{}, errs.Invalid, FedBack},
		{Revisit, Input{Verdict: VerdictUnsatisfied}, "", Closed},
		{NoReach, Input{}, errs.Conflict, Closed},
		{"bogus", Input{}, errs.Invalid, Closed},
	}
	for i, s := range steps {
		next, err := x.Apply(s.m, s.in, at, "u", "U", today)
		if errs.CodeOf(err) != s.code {
			t.Fatalf("%d %s: %v", i, s.m, err)
		}
		if err == nil {
			x = next
		}
		if x.Step != s.step {
			t.Fatalf("%d %s: step %s, want %s", i, s.m, x.Step, s.step)
		}
	}
	if !x.Done() || x.Verdict.Satisfied() || len(x.Log) != 4 || x.Card(today.AddDays(30)) != "" {
		t.Fatalf("%+v", x)
	}
}

// 申诉复核: reasons on both sides, decided once.
func TestAppeal(t *testing.T) {
	if CheckFiling("") == nil {
		t.Fatal("an appeal without reasons")
	}
	a := Appeal{ID: "a"}
	if _, err := a.Decide(Upheld, "", time.Now(), "s", "S"); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("no reasons: %v", err)
	}
	if _, err := a.Decide("maybe", "x", time.Now(), "s", "S"); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("no decision: %v", err)
	}
	d, err := a.Decide(Upheld, "核实为误评", time.Now(), "s", "S")
	if err != nil || d.Decision != Upheld {
		t.Fatal(err)
	}
	if _, err := d.Decide(Rejected, "x", time.Now(), "s", "S"); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("decided twice: %v", err)
	}
}

func TestFigures(t *testing.T) {
	f := Figures{Total: 8, Good: 6, Bad: 2, Rectified: 1, Revisited: 1, RevisitSatisfied: 1}
	if f.GoodRate() != 0.75 || f.RectifyRate() != 0.5 || f.RevisitRate() != 1 || (Figures{}).GoodRate() != 0 {
		t.Fatalf("%v %v %v", f.GoodRate(), f.RectifyRate(), f.RevisitRate())
	}
}

func TestContribution(t *testing.T) {
	open := &Rectification{Step: Open}
	fed := &Rectification{Step: FedBack}
	happy := &Rectification{Step: Closed, Verdict: VerdictBasic}
	sad := &Rectification{Step: Closed, Verdict: VerdictUnsatisfied}
	for _, c := range []struct {
		r    Rating
		x    *Rectification
		want Figures
	}{
		{Rating{Level: 1}, nil, Figures{Total: 1, Good: 1}},
		{Rating{Level: 3}, nil, Figures{Total: 1, Good: 1}},
		{Rating{Level: 4}, open, Figures{Total: 1, Bad: 1}},
		{Rating{Level: 5}, fed, Figures{Total: 1, Bad: 1, Rectified: 1}},
		{Rating{Level: 5}, happy, Figures{Total: 1, Bad: 1, Rectified: 1, Revisited: 1, RevisitSatisfied: 1}},
		{Rating{Level: 4}, sad, Figures{Total: 1, Bad: 1, Rectified: 1, Revisited: 1}},
		{Rating{Level: 5, Excluded: true}, happy, Figures{Excluded: 1}},
	} {
		if got := Contribution(c.r, c.x); got != c.want {
			t.Errorf("%+v %+v: %+v", c.r, c.x, got)
		}
	}
	if d := Contribution(Rating{Level: 5, Excluded: true}, fed).Sub(Contribution(Rating{Level: 5}, fed)); d != (Figures{Total: -1, Bad: -1, Rectified: -1, Excluded: 1}) {
		t.Errorf("exclusion moves %+v", d)
	}
}
