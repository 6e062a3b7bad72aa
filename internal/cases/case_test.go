package cases

import (
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

func dibao() Case {
	return Case{ID: "c1", ItemName: "最低生活保障", Channel: ByStation, State: Received, LimitUnit: clock.WorkingDays, LimitDays: 25,
		Steps:    []Step{{Name: "受理", Role: "clerk", Level: 5}, {Name: "苏木乡镇初审", Role: "reviewer", Level: 5}, {Name: "旗民政局审核确认", Role: "department", Level: 4}},
		Received: at("2026-03-02 09:00")}
}

func materials(missing bool) []MaterialCheck {
	m := []MaterialCheck{{Name: "居民身份证", Required: true, Check: SeenOriginal}, {Name: "居民户口簿", Required: true, Check: SeenCopy},
		{Name: "家庭收入和财产状况声明", Required: true, Check: SeenOriginal}}
	if missing {
		m[2].Check = Missing
	}
	return m
}

// The transition table, spelled out: every move from every state by every desk.
func TestTransitionTable(t *testing.T) {
	want := map[Action][]string{
		AskCorrection: {"received/front"},
		Resubmit:      {"correction/front"},
		Accept:        {"received/front"},
		AcceptOwed:    {"received/front"},
		Refuse:        {"received/front", "correction/front"},
		Pass:          {"accepted/back"},
		Return:        {"accepted/back"},
		Suspend:       {"accepted/back"},
		Resume:        {"suspended/back"},
		Extend:        {"accepted/director", "suspended/director"},
		Decide:        {"accepted/back"},
		Issue:         {"decided/front"},
		Deliver:       {"issued/front"},
		Terminate:     {"received/front", "received/director", "correction/front", "correction/director", "accepted/director", "suspended/director"},
	}
	states := []State{Received, Correction, Accepted, Suspended, Decided, Issued, Delivered, Refused, Terminated}
	for _, a := range Actions {
		allowed := map[string]bool{}
		for _, w := range want[a] {
			allowed[w] = true
		}
		for _, s := range states {
			for _, d := range []Desk{Front, Back, Director} {
				if got := Allowed(s, a, d); got != allowed[string(s)+"/"+string(d)] {
					t.Errorf("%s from %s by %s: %v", a, s, d, got)
				}
			}
		}
	}
}

// The whole path of a 低保 case: one-time correction notice, acceptance, two review steps, a 公示 that
// stops the clock, decision, issue, delivery.
func TestWholePath(t *testing.T) {
	c := dibao()
	steps := []struct {
		a    Action
		d    Desk
		in   Input
		when string
		want State
	}{
		{AskCorrection, Front, Input{Materials: materials(true)}, "2026-03-02 09:10", Correction},
		{Resubmit, Front, Input{}, "2026-03-04 10:00", Received},
		{Accept, Front, Input{Materials: materials(false)}, "2026-03-04 10:05", Accepted},
		{Pass, Back, Input{}, "2026-03-05 09:00", Accepted},
		{Suspend, Back, Input{Kind: "公示", Reason: "嘎查村公示7天"}, "2026-03-09 09:00", Suspended},
		{Resume, Back, Input{}, "2026-03-16 09:00", Accepted},
		{Decide, Back, Input{Grant: true, Reason: "符合条件"}, "2026-03-20 15:00", Decided},
		{Issue, Front, Input{Method: "window"}, "2026-03-23 09:00", Issued},
		{Deliver, Front, Input{}, "2026-03-23 09:05", Delivered},
	}
	for i, s := range steps {
		ev, err := c.Apply(s.a, s.d, s.in, at(s.when), clk)
		if err != nil {
			t.Fatalf("step %d %s: %v", i, s.a, err)
		}
		if c.State != s.want || ev.To != s.want || c.Version != i+1 {
			t.Fatalf("step %d %s: state %s, version %d", i, s.a, c.State, c.Version)
		}
	}
	due, ok := c.Due(clk, clock.MustDate("2026-03-23"))
	plain := clk.Due(at("2026-03-04 10:05"), clock.WorkingDays, 25)
	// the 公示 ran from Monday 9 March until the clock resumed on Monday 16 March: five working days stand still
	if !ok || clk.Cal.WorkingDaysBetween(plain, due) != 5 {
		t.Fatalf("due %s, plain %s", due, plain)
	}
	if _, err := c.Apply(Terminate, Front, Input{Reason: "x"}, at("2026-03-24 09:00"), clk); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a closed case moved: %v", err)
	}
}

// A refused move names its fields and leaves the case as it was.
func TestRefusedMovesChangeNothing(t *testing.T) {
	cases := []struct {
		name  string
		setup []Action
		a     Action
		d     Desk
		in    Input
		field string
		key   string
	}{
		{"accept with a required material missing", nil, Accept, Front, Input{Materials: materials(true)}, "materials[2]", "err.case.material_lacking"},
		{"correction with nothing missing", nil, AskCorrection, Front, Input{Materials: materials(false)}, "materials", "err.case.nothing_missing"},
		{"conditional accept without a date", nil, AcceptOwed, Front, Input{Materials: []MaterialCheck{{Name: "银行卡", Check: Owed}}}, "owed_by", "err.case.owed_by"},
		{"refuse without reasons", nil, Refuse, Front, Input{}, "reason", "err.required"},
		{"deny without reasons", []Action{Accept, Pass}, Decide, Back, Input{Grant: false}, "reason", "err.case.deny_reason"},
		{"decide before the last step", []Action{Accept}, Decide, Back, Input{Grant: true}, "step", "err.case.not_last_step"},
		{"post without a tracking number", []Action{Accept, Pass, Decide}, Issue, Front, Input{Method: "post"}, "tracking", "err.required"},
		{"an extension of 40 days", []Action{Accept}, Extend, Director, Input{Days: 40, Reason: "复杂"}, "days", "err.case.extension"},
		{"a suspension of an unknown kind", []Action{Accept}, Suspend, Back, Input{Kind: "喝茶", Reason: "x"}, "kind", "err.item.code_set"},
	}
	for _, tc := range cases {
		c := dibao()
		for _, a := range tc.setup {
			d := Front
			in := Input{Materials: materials(false), Grant: true}
			if a == Pass || a == Decide {
				d = Back
			}
			if _, err := c.Apply(a, d, in, at("2026-03-02 10:00"), clk); err != nil {
				t.Fatalf("%s: setup %s: %v", tc.name, a, err)
			}
		}
		before := c
		_, err := c.Apply(tc.a, tc.d, tc.in, at("2026-03-03 10:00"), clk)
		found := false
		for _, e := range errs.All(err) {
			found = found || (e.Field == tc.field && e.Key == tc.key)
		}
		if !found {
			t.Errorf("%s: want %s %s, got %v", tc.name, tc.field, tc.key, err)
		}
		if c.Version != before.Version || c.State != before.State || c.Step != before.Step {
			t.Errorf("%s: the case changed", tc.name)
		}
	}
	// the wrong desk
	c := dibao()
	if _, err := c.Apply(Accept, Back, Input{Materials: materials(false)}, at("2026-03-02 10:00"), clk); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("the back office accepts at the window: %v", err)
	}
}

// Suspending and resuming within a day gives no time back.
func TestSameDaySuspension(t *testing.T) {
	c := dibao()
	for _, s := range []struct {
		a    Action
		d    Desk
		in   Input
		when string
	}{
		{Accept, Front, Input{Materials: materials(false)}, "2026-03-02 10:00"},
		{Suspend, Back, Input{Kind: "检验", Reason: "x"}, "2026-03-03 10:00"},
		{Resume, Back, Input{}, "2026-03-03 15:00"},
	} {
		if _, err := c.Apply(s.a, s.d, s.in, at(s.when), clk); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := c.Due(clk, clock.MustDate("2026-03-04"))
	if plain := clk.Due(at("2026-03-02 10:00"), clock.WorkingDays, 25); due != plain || len(c.Suspensions) != 0 {
		t.Fatalf("due %s, plain %s, %d suspensions", due, plain, len(c.Suspensions))
	}
}

func TestConditionalAccept(t *testing.T) {
	c := dibao()
	m := materials(false)
	m = append(m, MaterialCheck{Name: "本人银行卡或一卡通", Check: Owed})
	if _, err := c.Apply(Accept, Front, Input{Materials: m}, at("2026-03-02 10:00"), clk); err == nil {
		t.Fatal("owed materials need 容缺受理")
	}
	if _, err := c.Apply(AcceptOwed, Front, Input{Materials: m, OwedBy: clock.MustDate("2026-03-09")}, at("2026-03-02 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	if c.State != Accepted || c.OwedBy.String() != "2026-03-09" {
		t.Fatalf("%+v", c)
	}
}

func TestOwedOverdue(t *testing.T) {
	c := dibao()
	m := append(materials(false), MaterialCheck{Name: "本人银行卡或一卡通", Check: Owed})
	if _, err := c.Apply(AcceptOwed, Front, Input{Materials: m, OwedBy: clock.MustDate("2026-03-09")}, at("2026-03-02 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	if c.OwedOverdue(clock.MustDate("2026-03-09")) || !c.OwedOverdue(clock.MustDate("2026-03-10")) {
		t.Fatal("overdue from the day after the owed date")
	}
	if _, err := c.Apply(Terminate, Director, Input{Reason: "容缺材料逾期未补"}, at("2026-03-10 10:00"), clk); err != nil || c.State != Terminated {
		t.Fatalf("terminate: %v", err)
	}
	if c.OwedOverdue(clock.MustDate("2026-03-11")) {
		t.Fatal("a closed case is not flagged")
	}
}
