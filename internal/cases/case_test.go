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
		AskCorrection:    {"received/front", "received/station"},
		Resubmit:         {"correction/front", "correction/station"},
		Accept:           {"received/front"},
		AcceptOwed:       {"received/front"},
		Refuse:           {"received/front", "correction/front"},
		Pass:             {"accepted/back"},
		Return:           {"accepted/back"},
		Suspend:          {"accepted/back"},
		Resume:           {"suspended/back"},
		RequestExtension: {"accepted/back", "suspended/back"},
		ApproveExtension: {"accepted/head", "suspended/head"},
		RejectExtension:  {"accepted/head", "suspended/head"},
		OwedArrived:      {"accepted/front", "suspended/front", "decided/front"},
		Claim:            {"accepted/back", "suspended/back"},
		Release:          {"accepted/back", "suspended/back", "accepted/director", "suspended/director"},
		Assign:           {"accepted/director", "suspended/director"},
		Decide:           {"accepted/back"},
		Issue:            {"decided/front", "decided/station"},
		Deliver:          {"issued/front", "issued/station"},
		Terminate: {"received/front", "received/station", "received/director", "correction/front", "correction/station", "correction/director",
			"accepted/director", "suspended/director"},
		PledgeChecked: {"accepted/back", "accepted/director", "accepted/head", "suspended/back", "suspended/director", "suspended/head",
			"decided/back", "decided/director", "decided/head", "issued/back", "issued/director", "issued/head",
			"delivered/back", "delivered/director", "delivered/head"},
		Revoke: {"accepted/head", "suspended/head", "decided/head", "issued/head", "delivered/head"},
		// joint handling (joint.go): which member of the back office is decided by the step's bodies and signers
		Opinion:    {"accepted/back"},
		LeadDecide: {"accepted/back"},
		Sign:       {"accepted/back"},
	}
	states := []State{Received, Correction, Accepted, Suspended, Decided, Issued, Delivered, Refused, Terminated, Revoked}
	for _, a := range Actions {
		allowed := map[string]bool{}
		for _, w := range want[a] {
			allowed[w] = true
		}
		for _, s := range states {
			for _, d := range []Desk{Front, Station, Back, Director, Head} {
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
		{"conditional accept without a date", nil, AcceptOwed, Front, Input{Materials: []MaterialCheck{{Name: "银行卡", Check: Owed, Deferrable: true}}}, "owed_by", "err.required"},
		{"refuse without reasons", nil, Refuse, Front, Input{}, "reason", "err.required"},
		{"deny without reasons", []Action{Accept, Pass}, Decide, Back, Input{Grant: false}, "reason", "err.case.deny_reason"},
		{"decide before the last step", []Action{Accept}, Decide, Back, Input{Grant: true}, "step", "err.case.not_last_step"},
		{"post without a tracking number", []Action{Accept, Pass, Decide}, Issue, Front, Input{Method: "post"}, "tracking", "err.required"},
		{"an extension of 11 days (第42条: ten at most)", []Action{Accept}, RequestExtension, Back, Input{Days: 11, Reason: "复杂"}, "days", "err.case.extension_cap"},
		{"an extension of no days", []Action{Accept}, RequestExtension, Back, Input{Days: 0, Reason: "复杂"}, "days", "err.case.extension_days"},
		{"an extension without reasons", []Action{Accept}, RequestExtension, Back, Input{Days: 5}, "reason", "err.required"},
		{"owed materials arrived on a case that owes nothing", []Action{Accept}, OwedArrived, Front, Input{Materials: []MaterialCheck{{Name: "居民身份证", Check: SeenOriginal}}}, "materials[0]", "err.case.not_owed"},
		{"a suspension of an unknown kind", []Action{Accept}, Suspend, Back, Input{Kind: "喝茶", Reason: "x"}, "kind", "err.item.code_set"},
	}
	for _, tc := range cases {
		c := dibao()
		for _, a := range tc.setup {
			d := Front
			in := Input{Materials: materials(false), Grant: true}
			if a == Pass || a == Decide || a == RequestExtension {
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
	m = append(m, MaterialCheck{Name: "本人银行卡或一卡通", Check: Owed, Deferrable: true})
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
	m := append(materials(false), MaterialCheck{Name: "本人银行卡或一卡通", Check: Owed, Deferrable: true})
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

// An extension is asked by the back office and decided by the director: approval adds the days to the due
// date, rejection adds nothing, and all approvals together stay within 第42条's ten working days.
func TestExtensionRequestAndApproval(t *testing.T) {
	c := dibao()
	if _, err := c.Apply(Accept, Front, Input{Materials: materials(false)}, at("2026-03-02 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	today := clock.MustDate("2026-03-03")
	plain, _ := c.Due(clk, today)
	move := func(a Action, d Desk, in Input) error {
		t.Helper()
		_, err := c.Apply(a, d, in, at("2026-03-03 10:00"), clk)
		return err
	}
	// the director does not extend directly any more, nor does the back office approve its own request
	if err := move(ApproveExtension, Head, Input{}); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("approving without a request: %v", err)
	}
	if err := move(RequestExtension, Director, Input{Days: 3, Reason: "x"}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the director requests: %v", err)
	}
	if err := move(RequestExtension, Back, Input{Days: 4, Reason: "需实地核查"}); err != nil {
		t.Fatal(err)
	}
	if c.ExtensionRequest == nil || c.Extension != 0 {
		t.Fatalf("a request adds nothing yet: %+v", c)
	}
	if due, _ := c.Due(clk, today); due != plain {
		t.Fatalf("due moved on a request: %s", due)
	}
	if err := move(RequestExtension, Back, Input{Days: 1, Reason: "再要"}); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("a second request while one waits: %v", err)
	}
	if err := move(ApproveExtension, Back, Input{}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the back office approves: %v", err)
	}
	if err := move(ApproveExtension, Head, Input{}); err != nil {
		t.Fatal(err)
	}
	due, _ := c.Due(clk, today)
	if c.Extension != 4 || c.ExtensionRequest != nil || clk.Cal.WorkingDaysBetween(plain, due) != 4 {
		t.Fatalf("approval adds four working days: extension %d, due %s, plain %s", c.Extension, due, plain)
	}
	// rejected: nothing added, the request is gone, reasons are required
	if err := move(RequestExtension, Back, Input{Days: 2, Reason: "专家未到"}); err != nil {
		t.Fatal(err)
	}
	if err := move(RejectExtension, Head, Input{}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("a rejection without reasons: %v", err)
	}
	if err := move(RejectExtension, Head, Input{Reason: "期限内可办结"}); err != nil {
		t.Fatal(err)
	}
	if after, _ := c.Due(clk, today); c.Extension != 4 || c.ExtensionRequest != nil || after != due {
		t.Fatalf("a rejection changed the deadline: extension %d, due %s", c.Extension, after)
	}
	// the cap counts what was approved: 4 + 7 > 10 is refused, 4 + 6 fits, then nothing more
	err := move(RequestExtension, Back, Input{Days: 7, Reason: "x"})
	var capErr *errs.Error
	for _, e := range errs.All(err) {
		if e.Field == "days" && e.Key == "err.case.extension_cap" {
			capErr = e
		}
	}
	if capErr == nil || capErr.Args["left"] != "6" || capErr.Args["max"] != "10" {
		t.Fatalf("over the cap: %v", err)
	}
	if err := move(RequestExtension, Back, Input{Days: 6, Reason: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := move(ApproveExtension, Head, Input{}); err != nil || c.Extension != 10 || c.ExtensionLeft() != 0 {
		t.Fatalf("up to the cap: %d, %v", c.Extension, err)
	}
	if err := move(RequestExtension, Back, Input{Days: 1, Reason: "x"}); err == nil {
		t.Fatal("past the cap")
	}
	// a law's own cap for the item replaces 第42条's
	c2 := dibao()
	c2.ExtensionCap = 15
	if _, err := c2.Apply(Accept, Front, Input{Materials: materials(false)}, at("2026-03-02 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Apply(RequestExtension, Back, Input{Days: 15, Reason: "x"}, at("2026-03-03 10:00"), clk); err != nil {
		t.Fatalf("a law's own cap: %v", err)
	}
}

// 容缺: the window records the owed materials as brought; once all are, the case owes nothing and the
// overdue flag clears.
func TestOwedArrived(t *testing.T) {
	c := dibao()
	m := append(materials(false), MaterialCheck{Name: "本人银行卡或一卡通", Check: Owed, Deferrable: true}, MaterialCheck{Name: "残疾证", Check: Owed, Deferrable: true})
	if _, err := c.Apply(AcceptOwed, Front, Input{Materials: m, OwedBy: clock.MustDate("2026-03-09")}, at("2026-03-02 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	late := clock.MustDate("2026-03-10")
	if !c.OwedOverdue(late) {
		t.Fatal("not flagged")
	}
	when := at("2026-03-10 09:00")
	if _, err := c.Apply(OwedArrived, Back, Input{Materials: []MaterialCheck{{Name: "残疾证", Check: SeenOriginal}}}, when, clk); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the back office records arrivals: %v", err)
	}
	if _, err := c.Apply(OwedArrived, Front, Input{Materials: []MaterialCheck{{Name: "残疾证", Check: Missing}}}, when, clk); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("arrived as missing: %v", err)
	}
	ev, err := c.Apply(OwedArrived, Front, Input{Materials: []MaterialCheck{{Name: "残疾证", Check: SeenCopy}}}, when, clk)
	if err != nil || ev.Note != "残疾证" {
		t.Fatalf("%v %+v", err, ev)
	}
	if !c.OwedOverdue(late) || c.OwedBy.IsZero() {
		t.Fatal("one material still owed: still flagged")
	}
	if _, err := c.Apply(OwedArrived, Front, Input{Materials: []MaterialCheck{{Name: "残疾证", Check: SeenOriginal}}}, when, clk); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("a material brought twice: %v", err)
	}
	if _, err := c.Apply(OwedArrived, Front, Input{Materials: []MaterialCheck{{Name: "本人银行卡或一卡通", Check: SeenOriginal}}}, when, clk); err != nil {
		t.Fatal(err)
	}
	if c.OwedOverdue(late) || !c.OwedBy.IsZero() || c.State != Accepted {
		t.Fatalf("all brought: %+v", c)
	}
	for _, x := range c.Materials {
		if x.Check == Owed {
			t.Fatalf("still owed: %+v", x)
		}
	}
}

// A case taken by one reviewer is held from the others' back-office moves until it is released, assigned
// elsewhere or passed on (a new step is for the new step's people).
func TestClaimAssignRelease(t *testing.T) {
	c := dibao()
	at := func(s string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", s, clk.Rules.Location)
		return tm
	}
	if _, err := c.Apply(Accept, Front, Input{Materials: materials(false)}, at("2026-03-04 10:05"), clk); err != nil {
		t.Fatal(err)
	}
	if !c.Ready(Claim) || c.Ready(Release) {
		t.Fatal("a case in the pool can be claimed, not released")
	}
	if _, err := c.Apply(Claim, Back, Input{Assignee: "r1"}, at("2026-03-04 11:00"), clk); err != nil || c.Assignee != "r1" {
		t.Fatalf("claim: %v %q", err, c.Assignee)
	}
	if _, err := c.Apply(Claim, Back, Input{Assignee: "r2"}, at("2026-03-04 11:01"), clk); errs.CodeOf(err) != errs.Conflict || c.Assignee != "r1" {
		t.Fatalf("a second claim: %v %q", err, c.Assignee)
	}
	if !c.HeldBy("r2", Pass, Back) || c.HeldBy("r1", Pass, Back) || c.HeldBy("r2", Release, Director) {
		t.Fatal("held: only the others' back-office moves")
	}
	if _, err := c.Apply(Assign, Director, Input{}, at("2026-03-04 11:02"), clk); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("assign to nobody: %v", err)
	}
	if _, err := c.Apply(Assign, Director, Input{Assignee: "r2"}, at("2026-03-04 11:03"), clk); err != nil || c.Assignee != "r2" {
		t.Fatalf("assign: %v %q", err, c.Assignee)
	}
	if _, err := c.Apply(Pass, Back, Input{}, at("2026-03-05 09:00"), clk); err != nil || c.Assignee != "" {
		t.Fatalf("pass leaves the next step's pool: %v %q", err, c.Assignee)
	}
	if _, err := c.Apply(Release, Back, Input{}, at("2026-03-05 09:01"), clk); errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("release of nothing: %v", err)
	}
}

// Only the last step decides (行政许可法 第37条: the organ decides once the review is done): a decision is not
// offered at an earlier step, as Apply would refuse it there.
func TestDecideReadyOnlyAtTheLastStep(t *testing.T) {
	for _, tc := range []struct {
		step int
		want bool
	}{{0, false}, {1, false}, {2, true}} {
		c := dibao()
		c.State, c.Step = Accepted, tc.step
		if c.Ready(Decide) != tc.want {
			t.Errorf("step %d: ready to decide %v", tc.step, !tc.want)
		}
	}
}
