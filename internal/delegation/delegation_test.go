package delegation

import (
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hours"
)

var d = clock.MustDate

func handed(town string, day clock.Date) Township {
	return Township{OrgID: town, Materials: true, Templates: true, SystemAccess: true, TrainedStaff: "张三",
		ReadyAt: time.Now(), HandedAt: time.Now(), HandedDay: day}
}

// 四.(一): a delegation decides a case only for a township whose hand-over is recorded, from the start date,
// and not from a pause's or revocation's date on; a case takes what is in force on the day it is received.
func TestInForce(t *testing.T) {
	del := Delegation{ItemID: "i", State: Active, Periods: []Period{{From: d("2026-12-01"), Until: d("2027-01-04")}, {From: d("2027-02-01")}},
		Townships: []Township{handed("A", d("2026-11-20")), {OrgID: "B", Materials: true}}}
	for _, c := range []struct {
		town string
		day  string
		want bool
	}{
		{"A", "2026-11-30", false}, // before the start date: stays at the department
		{"A", "2026-12-01", true},  // on it
		{"A", "2027-01-03", true},  // the day before the pause
		{"A", "2027-01-04", false}, // paused from this day
		{"A", "2027-02-01", true},  // resumed
		{"B", "2026-12-15", false}, // not handed over
		{"C", "2026-12-15", false}, // not in the delegation
	} {
		if got := del.InForce(c.town, d(c.day)); got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.town, c.day, got, c.want)
		}
	}
}

// The steps handed down: banner steps become the township's back office: all for the whole item, the last for
// the decision step; the deciding organ follows the last step (行政许可法 第38条).
func TestSteps(t *testing.T) {
	steps := []cases.Step{{Name: "受理", Role: "clerk", Level: 5}, {Name: "审查", Role: "department", Level: 4}, {Name: "审核决定", Role: "department", Level: 4}}
	for _, c := range []struct {
		scope Scope
		want  []int
	}{
		{WholeItem, []int{5, 5, 5}},
		{DecisionStep, []int{5, 4, 5}},
	} {
		got := Delegation{Scope: c.scope}.Steps(steps)
		for i, s := range got {
			if s.Level != c.want[i] || (s.Level == 5 && i > 0 && s.Role != "reviewer") {
				t.Errorf("%s: step %d is %+v", c.scope, i, s)
			}
		}
		if steps[2].Level != 4 {
			t.Fatal("the item's steps were changed in place")
		}
		kase := cases.Case{Handling: "T", Department: "D", Steps: got}
		if kase.DecidingOrg() != "T" {
			t.Errorf("%s: decided by %s", c.scope, kase.DecidingOrg())
		}
	}
	if (cases.Case{Handling: "T", Department: "D", Steps: steps}).DecidingOrg() != "D" {
		t.Error("without the delegation the department decides")
	}
}

// The hand-over only once the checklist is done and readiness confirmed, naming what is missing.
func TestHandOver(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		name    string
		town    Township
		missing []string
	}{
		{"nothing done", Township{OrgID: "A"}, []string{"materials", "templates", "system_access", "trained_staff", "ready"}},
		{"not ready", Township{OrgID: "A", Materials: true, Templates: true, SystemAccess: true, TrainedStaff: "李四"}, []string{"ready"}},
		{"all done", Township{OrgID: "A", Materials: true, Templates: true, SystemAccess: true, TrainedStaff: "李四", ReadyAt: now}, nil},
	} {
		del := Delegation{State: Active, Townships: []Township{c.town}}
		err := del.HandOver("A", "王局", "李镇", "u", now, d("2026-12-01"))
		var got []string
		for _, e := range errs.All(err) {
			got = append(got, e.Field)
		}
		if len(got) != len(c.missing) {
			t.Errorf("%s: %v, want %v", c.name, got, c.missing)
		}
		if c.missing == nil && (err != nil || !del.Townships[0].Handed()) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestInputCheck(t *testing.T) {
	today := d("2026-11-30")
	ok := Input{ItemID: "i", Scope: "item", DocNo: "阿政发〔2020〕52号", DocDate: "2020-09-01", Start: "2026-12-01", Townships: []string{"A"}}
	for _, c := range []struct {
		name  string
		edit  func(*Input)
		field string
	}{
		{"fine", func(*Input) {}, ""},
		{"no doc number", func(i *Input) { i.DocNo = " " }, "deleg_doc_no"},
		{"document in the future", func(i *Input) { i.DocDate = "2026-12-05" }, "deleg_doc_date"},
		{"start before the document", func(i *Input) { i.Start = "2020-08-01" }, "deleg_start"},
		{"bad scope", func(i *Input) { i.Scope = "all" }, "deleg_scope"},
		{"no township", func(i *Input) { i.Townships = nil }, "deleg_townships"},
	} {
		in := ok
		c.edit(&in)
		_, _, _, err := in.Check(today)
		all := errs.All(err)
		if (c.field == "") != (len(all) == 0) || (c.field != "" && all[0].Field != c.field) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// The help clock counts working hours in the opening hours: a lunch break, an evening, a weekend and a
// holiday do not count (四.(一) 求助响应; the times are Bianmin's settings).
func TestHelpClock(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	cal := clock.Default()
	h := hours.Default()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		asked, answer, resolve string
	}{
		{"2026-12-01 09:00", "2026-12-01 11:00", "2026-12-03 17:30"}, // a Tuesday morning
		{"2026-12-01 11:00", "2026-12-01 15:30", "2026-12-03 17:30"}, // over lunch (12:00-14:30)
		{"2026-12-04 17:00", "2026-12-07 10:00", "2026-12-08 17:30"}, // a Friday evening: Monday morning
		{"2026-12-05 10:00", "2026-12-07 10:30", "2026-12-08 17:30"}, // asked on Saturday: from Monday's opening
		{"2026-12-31 16:30", "2027-01-04 09:30", "2027-01-05 17:30"}, // over New Year (1-3 January off)
	} {
		a, r := DefaultHelpClock.Dues(h, cal, loc, at(c.asked))
		if !a.Equal(at(c.answer)) || !r.Equal(at(c.resolve)) {
			t.Errorf("asked %s: answer %s, resolve %s; want %s, %s", c.asked, a.Format("2006-01-02 15:04"), r.Format("2006-01-02 15:04"), c.answer, c.resolve)
		}
	}
}

// The wait for an answer counts the working minutes the response clock counts (四.(一) 求助响应), not the wall
// clock: each case is the help clock's due time read backwards, and a lunch, a night, a weekend and a holiday
// count nothing.
func TestWorkingMinutes(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	cal := clock.Default()
	h := hours.Default()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		from, to string
		want     int
	}{
		{"2026-12-01 09:00", "2026-12-01 11:00", 120}, // a Tuesday morning
		{"2026-12-01 11:00", "2026-12-01 15:30", 120}, // over lunch (12:00-14:30)
		{"2026-12-04 17:00", "2026-12-07 10:00", 120}, // a Friday evening to Monday morning
		{"2026-12-05 10:00", "2026-12-07 10:30", 120}, // asked on Saturday
		{"2026-12-31 16:30", "2027-01-04 09:30", 120}, // over New Year (1-3 January off)
		{"2026-12-04 17:30", "2026-12-07 08:30", 0},   // Friday's close to Monday's opening: none
		{"2026-12-01 07:00", "2026-12-01 08:29", 0},   // before the opening
		{"2026-12-01 19:00", "2026-12-01 09:00", 0},   // an answer before the question (clocks): none
		{"2026-12-01 09:00", "2026-12-02 09:00", 390}, // a day round: 3 h, 3 h, and the next opening's half hour
	} {
		if got := WorkingMinutes(h, cal, loc, at(c.from), at(c.to)); got != c.want {
			t.Errorf("%s to %s: %d working minutes, want %d", c.from, c.to, got, c.want)
		}
	}
	// the inverse of the due time, wherever it was asked
	for _, asked := range []string{"2026-12-01 08:00", "2026-12-01 10:17", "2026-12-01 11:59", "2026-12-04 16:45", "2026-12-31 17:00"} {
		for _, n := range []int{1, 45, 120, 600} {
			if got := WorkingMinutes(h, cal, loc, at(asked), AddWorkingMinutes(h, cal, loc, at(asked), n)); got != n {
				t.Errorf("%s + %d working minutes measures %d", asked, n, got)
			}
		}
	}
}

// A request's card and escalation: red and escalated once late, to the first answer or to resolution.
func TestHelpLate(t *testing.T) {
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	r := Help{AskedAt: base, AnswerDue: base.Add(2 * time.Hour), ResolveDue: base.Add(56 * time.Hour)}
	answered := r
	answered.FirstAnswerAt = base.Add(time.Hour)
	resolved := answered
	resolved.ResolvedAt = base.Add(3 * time.Hour)
	lateAnswer := r
	lateAnswer.FirstAnswerAt = base.Add(3 * time.Hour)
	for _, c := range []struct {
		name      string
		r         Help
		now       time.Duration
		card      clock.Card
		escalated bool
		inTime    bool
	}{
		{"fresh", r, time.Hour, "", false, false},
		{"nearly due", r, 100 * time.Minute, clock.Yellow, false, false},
		{"unanswered past due", r, 3 * time.Hour, clock.Red, true, false},
		{"answered in time", answered, 3 * time.Hour, "", false, true},
		{"answered, unresolved past resolution", answered, 57 * time.Hour, clock.Red, true, true},
		{"resolved", resolved, 100 * time.Hour, "", false, true},
		{"answered late", lateAnswer, 4 * time.Hour, "", false, false},
	} {
		now := base.Add(c.now)
		if c.r.Card(now) != c.card || c.r.Escalated(now) != c.escalated || c.r.AnsweredInTime() != c.inTime {
			t.Errorf("%s: card %q escalated %v in time %v", c.name, c.r.Card(now), c.r.Escalated(now), c.r.AnsweredInTime())
		}
	}
}

// The guidance rule (四.(一) "移交后3个月内"): the paired counterpart reads and comments on a case of the
// item at the township received in the period, while it runs; nothing else.
func TestGuide(t *testing.T) {
	dels := []Delegation{{ItemID: "i", Townships: []Township{handed("A", d("2026-12-01")), {OrgID: "B"}}}}
	pairs := []Pair{{ItemID: "i", TownshipID: "A", DeptStaff: "p"}, {ItemID: "i", TownshipID: "B", DeptStaff: "p"},
		{ItemID: "i", TownshipID: "A", DeptStaff: "old", Until: time.Now()}}
	for _, c := range []struct {
		name  string
		staff string
		kase  Guided
		today string
		want  Sight
	}{
		{"in the period", "p", Guided{"i", "A", d("2026-12-10")}, "2026-12-11", Comment},
		{"last day of the period", "p", Guided{"i", "A", d("2026-12-10")}, "2027-02-28", Comment},
		{"after the period", "p", Guided{"i", "A", d("2026-12-10")}, "2027-03-01", NoSight},
		{"received before the hand-over", "p", Guided{"i", "A", d("2026-11-30")}, "2026-12-11", NoSight},
		{"another item", "p", Guided{"j", "A", d("2026-12-10")}, "2026-12-11", NoSight},
		{"a township not handed over", "p", Guided{"i", "B", d("2026-12-10")}, "2026-12-11", NoSight},
		{"not paired", "q", Guided{"i", "A", d("2026-12-10")}, "2026-12-11", NoSight},
		{"a pair changed away", "old", Guided{"i", "A", d("2026-12-10")}, "2026-12-11", NoSight},
	} {
		if got := Guide(c.staff, pairs, dels, c.kase, d(c.today), DefaultGuidanceMonths); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// A finding's rectification: the township rectifies, the inspecting side accepts or sends it back; each
// move only from its step and by its side.
func TestFindingMoves(t *testing.T) {
	r := Round{}
	today := d("2026-12-01")
	if err := r.RecordVisit(Visit{ItemsHandled: 3, FilesSampled: 2, Findings: []string{"卷宗缺少现场勘查记录"}, Due: "2026-12-01"}, time.Now(), today); errs.All(err)[0].Field != "round_due" {
		t.Errorf("a deadline not after the visit: %v", err)
	}
	if err := r.RecordVisit(Visit{ItemsHandled: 3, FilesSampled: 2, Findings: []string{"卷宗缺少现场勘查记录", " "}, Due: "2026-12-10"}, time.Now(), today); err != nil || len(r.Findings) != 1 {
		t.Fatalf("visit: %v %+v", err, r.Findings)
	}
	for _, c := range []struct {
		move     FindMove
		township bool
		text     string
		code     errs.Code
		step     FindStep
	}{
		{Accept, false, "", errs.Conflict, ToRectify},     // nothing to accept yet
		{Rectify, false, "补齐", errs.Forbidden, ToRectify}, // not the inspector's move
		{Rectify, true, "", errs.Invalid, ToRectify},      // what was done is required
		{Rectify, true, "已补齐勘查记录", "", Fixed},
		{Reject, false, "", errs.Invalid, Fixed},
		{Reject, false, "照片不清楚", "", ToRectify},
		{Rectify, true, "重新拍照补充", "", Fixed},
		{Accept, false, "", "", Accepted},
	} {
		err := r.Move(0, c.move, c.township, c.text, "u", time.Now())
		if errs.CodeOf(err) != c.code || r.Findings[0].Step != c.step {
			t.Errorf("%s: %v, step %s", c.move, err, r.Findings[0].Step)
		}
	}
	if (Finding{Step: ToRectify, Due: today}).Card(today.AddDays(1)) != clock.Red || (Finding{Step: Fixed, Due: today}).Card(today.AddDays(1)) != "" {
		t.Error("a finding's card")
	}
}

func TestAssess(t *testing.T) {
	y := Year{Year: 2026,
		Dels: []Delegation{{DeptID: "D", Periods: []Period{{From: d("2026-12-01")}}, Townships: []Township{handed("A", d("2026-11-30")), {OrgID: "B"}}}},
		Help: []Help{{DeptID: "D", Day: d("2026-12-02"), AnswerDue: time.Unix(100, 0), FirstAnswerAt: time.Unix(50, 0)},
			{DeptID: "D", Day: d("2026-12-02"), AnswerDue: time.Unix(100, 0), FirstAnswerAt: time.Unix(150, 0)}, {DeptID: "D", Day: d("2025-12-02")}},
		Rounds:    []Round{{DeptID: "E", Planned: d("2026-12-03"), VisitedAt: time.Now(), Findings: []Finding{{Step: Accepted}, {Step: Fixed}}}},
		CaseFacts: []CaseFact{{DeptID: "D", OnTime: true, Good: 2}, {DeptID: "D", Bad: 1}},
	}
	got := Assess(y)
	want := []Figures{{DeptID: "D", Items: 1, Townships: 2, Handovers: 1, Help: 2, HelpInTime: 1, Cases: 2, CasesOnTime: 1, Ratings: 3, GoodRatings: 2, BadRatings: 1},
		{DeptID: "E", Rounds: 1, Visited: 1, Findings: 2, Rectified: 1}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("%+v", got)
	}
}

// The guidance period's figures (四.(一) 移交后3个月内): the cases given, decided on time, returns; the township's
// requests on the item asked in the period, answered, in time, and the mean wait for the first answer.
func TestPeriod(t *testing.T) {
	asked := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	help := func(town, item, day string, answerAfter time.Duration, due time.Duration) Help {
		h := Help{TownshipID: town, ItemID: item, Day: d(day), AskedAt: asked, AnswerDue: asked.Add(due)}
		if answerAfter > 0 {
			h.FirstAnswerAt = asked.Add(answerAfter)
		}
		return h
	}
	hs := []Help{
		help("A", "i", "2026-12-02", 30*time.Minute, time.Hour), // in time
		help("A", "i", "2026-12-03", 90*time.Minute, time.Hour), // late
		help("A", "i", "2026-12-04", 0, time.Hour),              // unanswered
		help("B", "i", "2026-12-02", time.Minute, time.Hour),    // another township
		help("A", "j", "2026-12-02", time.Minute, time.Hour),    // another item
		help("A", "i", "2027-03-01", time.Minute, time.Hour),    // after the period
		help("A", "i", "2026-11-30", time.Minute, time.Hour),    // before it
	}
	cs := []PeriodCase{{Decided: true, OnTime: true}, {Decided: true, Returns: 2}, {Returns: 1}, {}}
	wait := func(h Help) int {
		return WorkingMinutes(hours.Default(), clock.Default(), time.UTC, h.AskedAt, h.FirstAnswerAt)
	}
	from, until := GuidancePeriod(d("2026-12-01"), 3)
	for _, c := range []struct {
		today   string
		running bool
	}{{"2026-11-30", false}, {"2026-12-01", true}, {"2027-02-28", true}, {"2027-03-01", false}} {
		f := Guidance(from, until, d(c.today), "A", "i", cs, hs, wait)
		want := PeriodFigures{From: d("2026-12-01"), Until: d("2027-03-01"), Running: c.running, Cases: 4, Decided: 2, OnTime: 1, Returns: 3,
			Help: 3, Answered: 2, AnsweredInTime: 1, AnswerMinutes: 60}
		if f != want {
			t.Errorf("%s: %+v", c.today, f)
		}
		if r, ok := f.OnTimeRate(); !ok || r != 50 {
			t.Errorf("on-time rate %v %v", r, ok)
		}
	}
	if _, ok := Guidance(from, until, from, "A", "i", nil, nil, wait).OnTimeRate(); ok {
		t.Error("a rate without a decided case")
	}
}

// The mean answer time of the guidance figures and the monthly line is counted in working minutes of the
// department's opening hours, the clock the request's due time ran on (四.(一) 求助响应; help.go), never in
// wall-clock minutes: a question asked at Friday's close and answered on Monday morning waited 120 working
// minutes, not 2,460.
func TestMeanAnswerInWorkingMinutes(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	wait := func(h Help) int {
		return WorkingMinutes(hours.Default(), clock.Default(), loc, h.AskedAt, h.FirstAnswerAt)
	}
	req := func(asked, answered string) Help {
		h := Help{AskedAt: at(asked)}
		h.AnswerDue, h.ResolveDue = DefaultHelpClock.Dues(hours.Default(), clock.Default(), loc, h.AskedAt)
		if answered != "" {
			h.FirstAnswerAt = at(answered)
		}
		return h
	}
	for _, c := range []struct {
		name     string
		hs       []Help
		minutes  int // the mean in working minutes
		wall     int // what the wall clock would have said
		answered int
	}{
		{"none answered", []Help{req("2026-12-01 09:00", "")}, 0, 0, 0},
		{"one in the morning", []Help{req("2026-12-01 09:00", "2026-12-01 10:30")}, 90, 90, 1},
		{"over lunch", []Help{req("2026-12-01 11:30", "2026-12-01 15:00")}, 60, 210, 1},
		{"Friday's close to Monday", []Help{req("2026-12-04 17:00", "2026-12-07 10:00")}, 120, 3900, 1},
		{"over New Year", []Help{req("2026-12-31 16:30", "2027-01-04 09:30")}, 120, 5340, 1},
		{"a mean of two, the unanswered left out", []Help{req("2026-12-01 09:00", "2026-12-01 09:30"), req("2026-12-04 17:00", "2026-12-07 10:00"), req("2026-12-02 09:00", "")}, 75, 1965, 2},
	} {
		f := Tally(nil, c.hs, wait)
		if f.AnswerMinutes != c.minutes || f.Answered != c.answered {
			t.Errorf("%s: mean %d working minutes of %d answered, want %d of %d", c.name, f.AnswerMinutes, f.Answered, c.minutes, c.answered)
		}
		wall := 0
		for _, h := range c.hs {
			if h.Answered() {
				wall += int(h.FirstAnswerAt.Sub(h.AskedAt) / time.Minute)
			}
		}
		if c.answered > 0 && wall/c.answered != c.wall {
			t.Errorf("%s: the wall clock's mean %d, the table says %d", c.name, wall/c.answered, c.wall)
		}
	}
}

// A proposal (an imported delegation record) is decided once by its department: confirmed with the
// delegation it made, or refused with reasons; a second decision is refused, so confirming twice makes no
// second delegation.
func TestProposalMoves(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	long := string(make([]rune, MaxReason+1))
	for _, c := range []struct {
		name   string
		from   ProposalState
		move   string
		reason string
		want   ProposalState
		err    string // the error's key, or its field
	}{
		{"confirm", Proposed, "confirm", "", Confirmed, ""},
		{"refuse with reasons", Proposed, "refuse", "文号有误", Declined, ""},
		{"refuse without reasons", Proposed, "refuse", " ", Proposed, "reason"},
		{"refuse with too long reasons", Proposed, "refuse", long + "x", Proposed, "reason"},
		{"confirm twice", Confirmed, "confirm", "", Confirmed, "err.deleg2.proposal_decided"},
		{"confirm a refused one", Declined, "confirm", "", Declined, "err.deleg2.proposal_decided"},
		{"refuse a confirmed one", Confirmed, "refuse", "晚了", Confirmed, "err.deleg2.proposal_decided"},
	} {
		p := Proposal{State: c.from}
		var err error
		if c.move == "confirm" {
			err = p.Confirm("d1", "u", "王", at)
		} else {
			err = p.Refuse(c.reason, "u", "王", at)
		}
		got := ""
		if l := errs.All(err); len(l) > 0 {
			e := l[0]
			got = e.Key
			if e.Field != "" {
				got = e.Field
			}
		}
		if got != c.err || p.State != c.want {
			t.Errorf("%s: state %s, error %q; want %s, %q", c.name, p.State, got, c.want, c.err)
		}
		if c.err == "" && c.move == "confirm" && (p.DelegationID != "d1" || !p.DecidedAt.Equal(at)) {
			t.Errorf("%s: %+v", c.name, p)
		}
	}
	p := Proposal{ItemID: "i", Scope: DecisionStep, DocNo: "1", DocDate: "2026-01-01", Start: "2026-02-01", Townships: []ProposalTown{{"a", "甲"}, {"b", "乙"}}}
	if in := p.Input(); in.ItemID != "i" || in.Scope != "decision" || len(in.Townships) != 2 || in.Townships[1] != "b" || in.Start != "2026-02-01" {
		t.Errorf("input %+v", in)
	}
}

// A record's fields are named where the record stands in its file, for the refusals the service gives after
// matching (a department, item or township the catalog does not have); records sent without a file are
// placed and checked as the JSON file's are.
func TestRecordAt(t *testing.T) {
	for _, c := range []struct {
		pos, field, want string
	}{
		{"delegations[2]", "item_id", "delegations[2].item_id"},
		{"赋权!5", "item_id", "赋权!5 事项名称"},
		{"赋权!5", "deleg_townships", "赋权!5 承接乡镇（苏木）"},
		{"赋权!5", "upward_department", "赋权!5 下放部门"},
		{"赋权!5", "other", "赋权!5"},
		{"", "item_id", "item_id"},
	} {
		if got := (Record{Position: c.pos}).At(c.field); got != c.want {
			t.Errorf("%q %q: %q, want %q", c.pos, c.field, got, c.want)
		}
	}
	rs := []Record{
		{Department: "自然资源局", Item: "x", Scope: "item", Townships: []string{"天山镇"}, DocNo: "1", DocDate: "2020-09-01", Start: "2020-10-01"},
		{Department: "自然资源局", Item: "x", Scope: "all", Townships: []string{"天山镇"}, DocNo: "1", DocDate: " 2020-09-01 ", Start: "2020-08-01"},
	}
	err := CheckRecords(rs)
	var got []string
	for _, e := range errs.All(err) {
		got = append(got, e.Field+" "+e.Key)
	}
	if len(got) != 2 || got[0] != "delegations[1].deleg_scope err.find.choice" || got[1] != "delegations[1].deleg_start err.deleg.start_before_doc" || rs[0].Position != "delegations[0]" {
		t.Errorf("checked: %v, %+v", got, rs)
	}
}

// A re-imported record proposes nothing new when the same delegation (department, item, scope, townships in
// any order, document number) waits as a proposal or is active; a decided proposal, a paused or revoked
// delegation, or any field that differs lets it through.
func TestProposalAlreadyIn(t *testing.T) {
	p := Proposal{DeptID: "D", ItemID: "I", Scope: WholeItem, DocNo: "阿政发〔2020〕52号", Townships: []ProposalTown{{"a", "甲"}, {"b", "乙"}}}
	waiting := func(f func(*Proposal)) []Proposal {
		q := p
		q.ID, q.State, q.Townships, q.Start = "p1", Proposed, []ProposalTown{{"b", "乙"}, {"a", "甲"}}, "2030-01-01"
		if f != nil {
			f(&q)
		}
		return []Proposal{q}
	}
	active := func(f func(*Delegation)) []Delegation {
		d := Delegation{ID: "d1", DeptID: "D", ItemID: "I", Scope: WholeItem, DocNo: " 阿政发〔2020〕52号", State: Active, Townships: []Township{{OrgID: "a"}, {OrgID: "b"}}}
		if f != nil {
			f(&d)
		}
		return []Delegation{d}
	}
	for _, c := range []struct {
		name    string
		waiting []Proposal
		dels    []Delegation
		want    Already
		id      string
	}{
		{"nothing yet", nil, nil, "", ""},
		{"waiting, townships in another order", waiting(nil), nil, AlreadyProposed, "p1"},
		{"waiting but confirmed", waiting(func(q *Proposal) { q.State = Confirmed }), nil, "", ""},
		{"waiting but refused", waiting(func(q *Proposal) { q.State = Declined }), nil, "", ""},
		{"waiting, another scope", waiting(func(q *Proposal) { q.Scope = DecisionStep }), nil, "", ""},
		{"waiting, another document", waiting(func(q *Proposal) { q.DocNo = "阿政发〔2021〕1号" }), nil, "", ""},
		{"waiting, one township fewer", waiting(func(q *Proposal) { q.Townships = q.Townships[:1] }), nil, "", ""},
		{"waiting, another item", waiting(func(q *Proposal) { q.ItemID = "J" }), nil, "", ""},
		{"waiting, another department", waiting(func(q *Proposal) { q.DeptID = "E" }), nil, "", ""},
		{"active", nil, active(nil), AlreadyDelegated, "d1"},
		{"active and waiting: delegated first", waiting(nil), active(nil), AlreadyDelegated, "d1"},
		{"paused", nil, active(func(d *Delegation) { d.State = Paused }), "", ""},
		{"revoked", nil, active(func(d *Delegation) { d.State = Revoked }), "", ""},
		{"active, another township", nil, active(func(d *Delegation) { d.Townships[1].OrgID = "c" }), "", ""},
	} {
		got, id := p.AlreadyIn(c.waiting, c.dels)
		if got != c.want || id != c.id {
			t.Errorf("%s: %q %q, want %q %q", c.name, got, id, c.want, c.id)
		}
	}
}
