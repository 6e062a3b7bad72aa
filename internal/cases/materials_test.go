package cases

import (
	"slices"
	"testing"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// The rows of a 低保 check as the item asks for them: the application form, ID card and 户口簿 required,
// the income statement required and a proof a pledge may replace, the bank card deferrable, the power of
// attorney optional (only when someone applies for another).
func rows(checks ...Check) []MaterialCheck {
	m := []MaterialCheck{
		{Name: "最低生活保障申请表", Required: true},
		{Name: "居民身份证", Required: true},
		{Name: "居民户口簿", Required: true},
		{Name: "家庭收入和财产状况声明", Required: true, Pledgeable: true},
		{Name: "本人银行卡或一卡通", Deferrable: true},
		{Name: "授权委托书及代办人身份证"},
	}
	for i, k := range checks {
		m[i].Check = k
	}
	return m
}

// all seen, the bank card copied, no power of attorney
func fine() []MaterialCheck {
	return rows(SeenOriginal, SeenOriginal, SeenCopy, SeenOriginal, SeenCopy, NotApplicable)
}

func with(m []MaterialCheck, i int, k Check) []MaterialCheck {
	m = slices.Clone(m)
	m[i].Check = k
	return m
}

func withFiles(m []MaterialCheck, i int, ids ...string) []MaterialCheck {
	m = slices.Clone(m)
	m[i].Files = ids
	return m
}

func pledging() Case {
	c := dibao()
	c.PledgeAllowed = true
	return c
}

type step struct {
	a  Action
	d  Desk
	in Input
}

// Each rule of the window's check, as a refusal naming the material's row, or as a move that passes.
func TestMaterialRules(t *testing.T) {
	day := clock.MustDate("2026-03-09")
	first := step{AskCorrection, Front, Input{Materials: with(fine(), 3, Missing)}} // the income statement missing
	back := step{Resubmit, Front, Input{}}
	tests := []struct {
		name  string
		c     func() Case
		setup []step
		move  step
		field string // "" when the move passes
		key   string
		arg   string // the material the refusal names
	}{
		// 行政许可法 第32条(四): one notice of everything; after a resubmission a further notice only of what
		// the first asked for, never of a material seen fine
		{"first notice", dibao, nil, first, "", "", ""},
		{"a further notice of the ID card seen at the first check", dibao, []step{first, back},
			step{AskCorrection, Front, Input{Materials: with(with(fine(), 3, Defective), 1, Missing)}}, "materials[1]", "err.case.not_in_first_notice", "居民身份证"},
		{"a further notice of a defect in what the first asked for", dibao, []step{first, back},
			step{AskCorrection, Front, Input{Materials: with(rows(), 3, Defective)}}, "", "", ""},
		{"a third notice of a material the first did not name", dibao, []step{first, back, {AskCorrection, Front, Input{Materials: with(rows(), 3, Defective)}}, back},
			step{AskCorrection, Front, Input{Materials: with(with(rows(), 3, SeenOriginal), 4, Missing)}}, "materials[4]", "err.case.not_in_first_notice", "本人银行卡或一卡通"},
		{"a verified material changed at acceptance", dibao, []step{first, back},
			step{Accept, Front, Input{Materials: with(with(rows(), 3, SeenOriginal), 2, SeenOriginal)}}, "materials[2]", "err.case.settled", "居民户口簿"},
		{"acceptance after a resubmission checks only what was asked for", dibao, []step{first, back},
			step{Accept, Front, Input{Materials: with(rows(), 3, SeenOriginal)}}, "", "", ""},
		{"what was asked for is chosen again", dibao, []step{first, back},
			step{Accept, Front, Input{Materials: rows()}}, "materials[3]", "err.case.check_not_chosen", "家庭收入和财产状况声明"},
		{"a case corrected before the first notice was remembered", func() Case { c := dibao(); c.State, c.Corrected = Correction, true; return c },
			[]step{back}, step{AskCorrection, Front, Input{Materials: with(fine(), 3, Missing)}}, "materials[3]", "err.case.not_in_first_notice", "家庭收入和财产状况声明"},
		// nothing pre-selected; 不适用 only for optional materials
		{"a row not chosen", dibao, nil, step{Accept, Front, Input{Materials: with(fine(), 5, "")}}, "materials[5]", "err.case.check_not_chosen", "授权委托书及代办人身份证"},
		{"不适用 for a required material", dibao, nil, step{Accept, Front, Input{Materials: with(fine(), 2, NotApplicable)}}, "materials[2]", "err.case.na_required", "居民户口簿"},
		{"不适用 for a deferrable material", dibao, nil, step{Accept, Front, Input{Materials: with(fine(), 4, NotApplicable)}}, "materials[4]", "err.case.na_required", "本人银行卡或一卡通"},
		{"不适用 for an optional material", dibao, nil, step{Accept, Front, Input{Materials: fine()}}, "", "", ""},
		// 容缺 (FACTS.md §5.4): only deferrable materials, only with the key materials present
		{"the application form owed", dibao, nil, step{AcceptOwed, Front, Input{Materials: with(fine(), 0, Owed), OwedBy: day}}, "materials[0]", "err.case.not_deferrable", "最低生活保障申请表"},
		{"the ID card owed", dibao, nil, step{AcceptOwed, Front, Input{Materials: with(with(fine(), 1, Owed), 4, Owed), OwedBy: day}}, "materials[1]", "err.case.not_deferrable", "居民身份证"},
		{"a key material missing while owing", dibao, nil, step{AcceptOwed, Front, Input{Materials: with(with(fine(), 2, Missing), 4, Owed), OwedBy: day}}, "materials[2]", "err.case.material_lacking", "居民户口簿"},
		{"the bank card owed", dibao, nil, step{AcceptOwed, Front, Input{Materials: with(fine(), 4, Owed), OwedBy: day}}, "", "", ""},
		{"a deferrable material missing, not owed", dibao, nil, step{Accept, Front, Input{Materials: with(fine(), 4, Missing)}}, "materials[4]", "err.case.material_lacking", "本人银行卡或一卡通"},
		{"容缺 of an item that defers nothing", dibao, nil,
			step{AcceptOwed, Front, Input{Materials: []MaterialCheck{{Name: "居民身份证", Required: true, Check: SeenOriginal}, {Name: "照片", Check: Owed}}, OwedBy: day}}, "materials", "err.case.no_deferral", ""},
		// 告知承诺 (国办发〔2020〕42号): only where the item allows it, only of proofs, never identity
		{"a pledge on an item without 告知承诺", dibao, nil, step{Accept, Front, Input{Materials: with(fine(), 3, Pledged), CheckBy: day}}, "materials[3]", "err.case.pledge_not_allowed", "家庭收入和财产状况声明"},
		{"the ID card pledged", pledging, nil, step{Accept, Front, Input{Materials: with(fine(), 1, Pledged), CheckBy: day}}, "materials[1]", "err.case.not_pledgeable", "居民身份证"},
		{"the application form pledged", pledging, nil, step{Accept, Front, Input{Materials: with(fine(), 0, Pledged), CheckBy: day}}, "materials[0]", "err.case.not_pledgeable", "最低生活保障申请表"},
		{"a pledge without the check's date", pledging, nil, step{Accept, Front, Input{Materials: with(fine(), 3, Pledged)}}, "check_by", "err.required", ""},
		{"a proof pledged", pledging, nil, step{Accept, Front, Input{Materials: with(fine(), 3, Pledged), CheckBy: day}}, "", "", ""},
		// 电子材料 (issue 13): a material checked on screen names the files that stand for it
		{"an electronic material without its file", dibao, nil, step{Accept, Front, Input{Materials: with(fine(), 1, Electronic)}}, "materials[1]", "err.case.no_file", "居民身份证"},
		{"an electronic material with its file", dibao, nil, step{Accept, Front, Input{Materials: withFiles(with(fine(), 1, Electronic), 1, "f1")}}, "", "", ""},
	}
	for _, tc := range tests {
		c := tc.c()
		for _, s := range tc.setup {
			if _, err := c.Apply(s.a, s.d, s.in, at("2026-03-02 10:00"), clk); err != nil {
				t.Fatalf("%s: setup %s: %v", tc.name, s.a, err)
			}
		}
		before := c
		_, err := c.Apply(tc.move.a, tc.move.d, tc.move.in, at("2026-03-03 10:00"), clk)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		found := false
		for _, e := range errs.All(err) {
			found = found || (e.Field == tc.field && e.Key == tc.key && e.Args["name"] == tc.arg)
		}
		if !found {
			t.Errorf("%s: want %s %s %s, got %v", tc.name, tc.field, tc.key, tc.arg, err)
		}
		if c.Version != before.Version || c.State != before.State {
			t.Errorf("%s: the case changed", tc.name)
		}
	}
}

// The one-time notice across a resubmission: the first notice is remembered, what was verified stays, a
// further notice is counted, and 不适用 is never demanded.
func TestOneTimeNotice(t *testing.T) {
	c := dibao()
	m := with(with(fine(), 3, Missing), 0, Defective)
	if _, err := c.Apply(AskCorrection, Front, Input{Materials: m}, at("2026-03-02 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.FirstAsked, []string{"最低生活保障申请表", "家庭收入和财产状况声明"}) || c.Recorrections != 0 {
		t.Fatalf("first notice: %v %d", c.FirstAsked, c.Recorrections)
	}
	for _, x := range c.LackingMaterials() {
		if x.Check == NotApplicable {
			t.Fatal("不适用 demanded")
		}
	}
	if _, err := c.Apply(Resubmit, Front, Input{}, at("2026-03-04 10:00"), clk); err != nil {
		t.Fatal(err)
	}
	want := []Check{"", SeenOriginal, SeenCopy, "", SeenCopy, NotApplicable}
	for i, x := range c.Materials {
		if x.Check != want[i] {
			t.Fatalf("after resubmission %s: %q, want %q", x.Name, x.Check, want[i])
		}
	}
	// the form brought back the form, the income statement still defective: a further notice, counted
	if _, err := c.Apply(AskCorrection, Front, Input{Materials: with(with(rows(), 0, SeenOriginal), 3, Defective)}, at("2026-03-04 10:05"), clk); err != nil {
		t.Fatal(err)
	}
	if c.Recorrections != 1 || len(c.FirstAsked) != 2 || c.Materials[1].Check != SeenOriginal {
		t.Fatalf("further notice: %d %v %+v", c.Recorrections, c.FirstAsked, c.Materials)
	}
	c.Apply(Resubmit, Front, Input{}, at("2026-03-05 10:00"), clk)
	// the form, now verified, cannot be asked for again
	if _, err := c.Apply(AskCorrection, Front, Input{Materials: with(with(rows(), 0, Missing), 3, Defective)}, at("2026-03-05 10:05"), clk); err == nil {
		t.Fatal("a material seen fine asked for again")
	}
	if _, err := c.Apply(Accept, Front, Input{Materials: with(rows(), 3, SeenOriginal)}, at("2026-03-05 10:10"), clk); err != nil {
		t.Fatal(err)
	}
	for _, x := range c.Materials {
		if x.Check == "" {
			t.Fatalf("accepted with %s unchosen", x.Name)
		}
	}
}

// 告知承诺: acceptance starts the check with its due date; the check finds the pledge false after delivery;
// the director revokes, with reasons.
func TestPledgeCheckAndRevocation(t *testing.T) {
	c := pledging()
	move := func(a Action, d Desk, in Input) error {
		t.Helper()
		_, err := c.Apply(a, d, in, at("2026-03-03 10:00"), clk)
		return err
	}
	if err := move(Accept, Front, Input{Materials: with(fine(), 3, Pledged), CheckBy: clock.MustDate("2026-03-20")}); err != nil {
		t.Fatal(err)
	}
	if c.Pledge == nil || c.Pledge.Due.String() != "2026-03-20" || !slices.Equal(c.Pledge.Materials, []string{"家庭收入和财产状况声明"}) {
		t.Fatalf("pledge: %+v", c.Pledge)
	}
	if !c.Ready(PledgeChecked) || c.Ready(Revoke) {
		t.Fatal("a pledge waits for its check")
	}
	if err := move(Revoke, Head, Input{Reason: "x"}); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("revoked before the check: %v", err)
	}
	for _, s := range []step{{Pass, Back, Input{}}, {Decide, Back, Input{Grant: true, Reason: "符合"}}, {Issue, Front, Input{Method: "window"}}, {Deliver, Front, Input{}}} {
		if err := move(s.a, s.d, s.in); err != nil {
			t.Fatal(s.a, err)
		}
	}
	if err := move(PledgeChecked, Back, Input{Result: "maybe"}); !hasField(err, "result") {
		t.Fatalf("a result out of the set: %v", err)
	}
	if err := move(PledgeChecked, Back, Input{Result: PledgeFalse}); !hasField(err, "reason") {
		t.Fatalf("false without what proved it: %v", err)
	}
	if err := move(PledgeChecked, Back, Input{Result: PledgeFalse, Reason: "经核查家庭有机动车两辆，收入声明不实"}); err != nil {
		t.Fatal(err)
	}
	if c.State != Delivered || c.Ready(PledgeChecked) || !c.Ready(Revoke) {
		t.Fatalf("after the check: %s", c.State)
	}
	if err := move(Revoke, Back, Input{Reason: "x"}); errs.CodeOf(err) != errs.Forbidden {
		t.Fatalf("the back office revokes: %v", err)
	}
	if err := move(Revoke, Head, Input{}); !hasField(err, "reason") {
		t.Fatalf("revoked without reasons: %v", err)
	}
	if err := move(Revoke, Head, Input{Reason: "虚假承诺，依法撤销准予决定"}); err != nil || c.State != Revoked || !c.State.Closed() {
		t.Fatalf("revoke: %v %s", err, c.State)
	}
	// a case without pledges has nothing to check
	d := dibao()
	d.Apply(Accept, Front, Input{Materials: fine()}, at("2026-03-03 10:00"), clk)
	if _, err := d.Apply(PledgeChecked, Back, Input{Result: PledgeConfirmed}, at("2026-03-04 10:00"), clk); errs.CodeOf(err) != errs.Conflict || d.Ready(PledgeChecked) {
		t.Fatalf("checked without a pledge: %v", err)
	}
}

func hasField(err error, field string) bool {
	for _, e := range errs.All(err) {
		if e.Field == field {
			return true
		}
	}
	return false
}
