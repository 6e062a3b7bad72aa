package joint

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

// A parallel step waits for every body; then the item's rule decides (deny-on-any, or the lead body), each
// body's opinion is kept for the decider, and a return starts a new round when the case comes back.
func TestParallelRules(t *testing.T) {
	type give struct {
		body string
		v    Verdict
		text string
	}
	for _, c := range []struct {
		name  string
		rule  Rule
		gives []give
		lead  Verdict // the lead's decision, when asked
		want  Outcome
	}{
		{"waits for every body", DenyOnAny, []give{{"zrzy", Pass, ""}}, "", Waiting},
		{"all pass", DenyOnAny, []give{{"zrzy", Pass, ""}, {"nm", Pass, "同意"}}, "", Passed},
		{"one return returns", DenyOnAny, []give{{"zrzy", Pass, ""}, {"nm", Return, "缺四至图"}}, "", Returned},
		{"one denial denies, over a return", DenyOnAny, []give{{"zrzy", Return, "补图"}, {"nm", Deny, "占用基本农田"}}, "", Denied},
		{"lead: all pass passes", LeadDecides, []give{{"zrzy", Pass, ""}, {"nm", Pass, ""}}, "", Passed},
		{"lead: differing opinions go to the lead", LeadDecides, []give{{"zrzy", Pass, ""}, {"nm", Deny, "不符合规划"}}, "", ToLead},
		{"lead passes over a denial", LeadDecides, []give{{"zrzy", Pass, ""}, {"nm", Deny, "不符合规划"}}, Pass, Passed},
		{"lead returns", LeadDecides, []give{{"zrzy", Return, "补材料"}, {"nm", Pass, ""}}, Return, Returned},
		{"lead denies", LeadDecides, []give{{"zrzy", Return, "补材料"}, {"nm", Pass, ""}}, Deny, Denied},
	} {
		p := Parallel{Bodies: []string{"zrzy", "nm"}, Lead: "zrzy", Rule: c.rule}
		if err := p.Check(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		p = p.Start(at("2026-03-02 09:00"))
		var err error
		for _, g := range c.gives {
			if p, err = p.Give(Opinion{Body: g.body, Verdict: g.v, Text: g.text, At: at("2026-03-04 10:00")}); err != nil {
				t.Fatalf("%s: %s: %v", c.name, g.body, err)
			}
		}
		if c.lead != "" {
			if _, err := p.Decide("nm", c.lead, "x"); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s: a body not the lead decided: %v", c.name, err)
			}
			if p, err = p.Decide("zrzy", c.lead, "牵头部门意见"); err != nil {
				t.Fatalf("%s: lead: %v", c.name, err)
			}
		}
		if got := p.Outcome(); got != c.want {
			t.Errorf("%s: outcome %s, want %s", c.name, got, c.want)
		}
		if len(p.InRound()) != len(c.gives) {
			t.Errorf("%s: %d opinions kept", c.name, len(p.InRound()))
		}
	}
}

// What a body may not do: give an opinion of a step it is not on, answer twice, deny or return without
// reasons; an item's statement of the step is checked.
func TestParallelRefusals(t *testing.T) {
	p := Parallel{Bodies: []string{"a", "b"}, Rule: DenyOnAny}.Start(at("2026-03-02 09:00"))
	for _, c := range []struct {
		name string
		o    Opinion
		code errs.Code
	}{
		{"not a body of the step", Opinion{Body: "c", Verdict: Pass}, errs.Forbidden},
		{"a denial without reasons", Opinion{Body: "a", Verdict: Deny}, errs.Invalid},
		{"a return without reasons", Opinion{Body: "a", Verdict: Return}, errs.Invalid},
		{"no verdict", Opinion{Body: "a"}, errs.Invalid},
		{"too long", Opinion{Body: "a", Verdict: Deny, Text: strings.Repeat("很", MaxText+1)}, errs.Invalid},
	} {
		if _, err := p.Give(c.o); errs.CodeOf(err) != c.code {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	p, _ = p.Give(Opinion{Body: "a", Verdict: Pass})
	if _, err := p.Give(Opinion{Body: "a", Verdict: Pass}); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("answered twice: %v", err)
	}
	for _, c := range []struct {
		name string
		p    Parallel
	}{
		{"one body", Parallel{Bodies: []string{"a"}, Rule: DenyOnAny}},
		{"the same body twice", Parallel{Bodies: []string{"a", "a"}, Rule: DenyOnAny}},
		{"no rule", Parallel{Bodies: []string{"a", "b"}}},
		{"a lead not on the step", Parallel{Bodies: []string{"a", "b"}, Rule: LeadDecides, Lead: "c"}},
	} {
		if c.p.Check() == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

// The 宅基地 flow of the issue: one body returns it, the case comes back, both pass; the opinions of both
// rounds are kept; each body's time in the round is its own (the case's clock runs once).
func TestParallelRounds(t *testing.T) {
	p := Parallel{Bodies: []string{"zrzy", "nm"}, Rule: DenyOnAny}.Start(at("2026-03-02 09:00")) // Monday
	p, _ = p.Give(Opinion{Body: "zrzy", Verdict: Pass, At: at("2026-03-03 10:00")})
	p, _ = p.Give(Opinion{Body: "nm", Verdict: Return, Text: "缺四至图", At: at("2026-03-05 10:00")})
	if p.Outcome() != Returned {
		t.Fatal(p.Outcome())
	}
	if bt := p.BodyTime(clk.Cal, clk.Rules.Location, clock.MustDate("2026-03-06")); bt["zrzy"] != 1 || bt["nm"] != 3 {
		t.Errorf("body time %v", bt)
	}
	p = p.Start(at("2026-03-09 09:00"))
	if p.Round != 2 || p.Outcome() != Waiting || p.Answered("zrzy") {
		t.Fatalf("round 2: %+v", p)
	}
	p, _ = p.Give(Opinion{Body: "nm", Verdict: Pass, At: at("2026-03-09 15:00")})
	if bt := p.BodyTime(clk.Cal, clk.Rules.Location, clock.MustDate("2026-03-11")); bt["nm"] != 0 || bt["zrzy"] != 2 {
		t.Errorf("round 2 body time %v", bt)
	}
	p, _ = p.Give(Opinion{Body: "zrzy", Verdict: Pass, At: at("2026-03-11 10:00")})
	if p.Outcome() != Passed || len(p.Opinions) != 4 {
		t.Fatalf("%s %d", p.Outcome(), len(p.Opinions))
	}
}

// 会签: in sequence each signer in turn, together all at once; a refusal (with its comment) ends the round,
// and a new round asks everyone again.
func TestCountersignRules(t *testing.T) {
	signers := []Signer{{Title: "分管领导", Role: "director", Org: "t"}, {Title: "部门负责人", Role: "director", Org: "d"}}
	type sign struct {
		i       int
		agree   bool
		comment string
		code    errs.Code // what Give answers
	}
	for _, c := range []struct {
		name  string
		mode  Mode
		signs []sign
		want  SignOutcome
		due   []int
	}{
		{"sequence: the first is due", InSequence, nil, Signing, []int{0}},
		{"sequence: the second cannot sign first", InSequence, []sign{{1, true, "", errs.Conflict}}, Signing, []int{0}},
		{"sequence: then the second", InSequence, []sign{{0, true, "", ""}}, Signing, []int{1}},
		{"sequence: both signed", InSequence, []sign{{0, true, "", ""}, {1, true, "同意", ""}}, Signed, nil},
		{"sequence: a refusal ends the round", InSequence, []sign{{0, false, "面积超标", ""}, {1, true, "", errs.Conflict}}, Refused, nil},
		{"a refusal needs its comment", InSequence, []sign{{0, false, "", errs.Invalid}}, Signing, []int{0}},
		{"together: both due", Together, nil, Signing, []int{0, 1}},
		{"together: any order", Together, []sign{{1, true, "", ""}}, Signing, []int{0}},
		{"together: both signed", Together, []sign{{1, true, "", ""}, {0, true, "", ""}}, Signed, nil},
		{"together: one refuses", Together, []sign{{1, false, "请补充说明", ""}}, Refused, nil},
		{"not a signer", Together, []sign{{5, true, "", errs.Forbidden}}, Signing, []int{0, 1}},
	} {
		cs := Countersign{Mode: c.mode, Signers: signers}
		if err := cs.Check(); err != nil {
			t.Fatal(err)
		}
		cs = cs.Start()
		for _, s := range c.signs {
			next, err := cs.Give(s.i, s.agree, s.comment, "p", "某人", at("2026-03-02 10:00"))
			if errs.CodeOf(err) != s.code {
				t.Errorf("%s: sign %d: %v", c.name, s.i, err)
			}
			if err == nil {
				cs = next
			}
		}
		if cs.Outcome() != c.want || !equal(cs.Due(), c.due) {
			t.Errorf("%s: %s due %v", c.name, cs.Outcome(), cs.Due())
		}
	}
	// refused, then passed in the next round; the refusal and its comment stay
	cs := Countersign{Mode: InSequence, Signers: signers}.Start()
	cs, _ = cs.Give(0, false, "面积超标", "p", "某人", at("2026-03-02 10:00"))
	cs = cs.Start()
	cs, _ = cs.Give(0, true, "", "p", "某人", at("2026-03-03 10:00"))
	cs, _ = cs.Give(1, true, "", "q", "某人", at("2026-03-03 11:00"))
	if cs.Outcome() != Signed || len(cs.Signs) != 3 || cs.Signs[0].Comment != "面积超标" {
		t.Errorf("refused then signed: %+v", cs)
	}
	if (Countersign{Mode: "vote"}).Check() == nil || (Countersign{Mode: Together, Signers: []Signer{{Title: "x"}}}).Check() == nil {
		t.Error("a countersign without mode or roles was accepted")
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// 转办: reasons required, one at a time, to another body; 2 working days to answer, then red; the days until
// the acceptance are not counted against the receiving body, but shown.
func TestHandoverRules(t *testing.T) {
	base := Handover{From: "a", To: "b", Reasons: "属农牧局职权", At: at("2026-03-05 16:00")} // Thursday
	if _, err := Ask(base, true, clk); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second hand-over while one waits: %v", err)
	}
	for _, bad := range []Handover{{From: "a", To: "a", Reasons: "x"}, {From: "a", Reasons: "x"}, {From: "a", To: "b"}} {
		if _, err := Ask(bad, false, clk); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	h, err := Ask(base, false, clk)
	if err != nil || h.DueOn != clock.MustDate("2026-03-09") || h.State != Pending {
		t.Fatalf("%+v %v", h, err)
	}
	for _, c := range []struct {
		name     string
		accept   bool
		reasons  string
		on       string
		today    string
		card     clock.Card
		code     errs.Code
		counted  bool
		from, to string
		taken    int
	}{
		{name: "pending, green", today: "2026-03-06", card: clock.Green, taken: 1},
		{name: "pending, yellow on its day", today: "2026-03-09", card: clock.Yellow, taken: 2},
		{name: "pending, red after", today: "2026-03-10", card: clock.Red, taken: 3},
		{name: "accepted in time", accept: true, on: "2026-03-09", today: "2026-03-20", counted: true, from: "2026-03-05", to: "2026-03-08", taken: 2},
		{name: "accepted the same day", accept: true, on: "2026-03-05", today: "2026-03-20"},
		{name: "accepted late keeps red", accept: true, on: "2026-03-11", today: "2026-03-20", card: clock.Red, counted: true, from: "2026-03-05", to: "2026-03-10", taken: 4},
		{name: "refused with reasons", reasons: "本局不承担该项职能", on: "2026-03-06", today: "2026-03-20", taken: 1},
		{name: "refused without reasons", on: "2026-03-06", today: "2026-03-06", card: clock.Green, code: errs.Invalid, taken: 1},
	} {
		x := h
		if c.on != "" {
			y, err := x.Take(c.accept, c.reasons, "某", at(c.on+" 10:00"), clock.MustDate(c.on))
			if errs.CodeOf(err) != c.code {
				t.Errorf("%s: %v", c.name, err)
			}
			if err == nil {
				x = y
				if _, err := x.Take(true, "", "某", at(c.on+" 11:00"), clock.MustDate(c.on)); errs.CodeOf(err) != errs.Conflict {
					t.Errorf("%s: answered twice: %v", c.name, err)
				}
			}
		}
		today := clock.MustDate(c.today)
		from, to, ok := x.NotCounted()
		if x.Card(today) != c.card || ok != c.counted || (ok && (from.String() != c.from || to.String() != c.to)) || x.DaysTaken(clk.Cal, today) != c.taken {
			t.Errorf("%s: card %q not counted %v %s..%s taken %d", c.name, x.Card(today), ok, from, to, x.DaysTaken(clk.Cal, today))
		}
	}
}

// 联合办理: two to ten cases of one applicant, different items, open.
func TestLinked(t *testing.T) {
	mk := func(item, applicant string, closed bool) Member {
		return Member{ItemID: item, ApplicantID: applicant, Closed: closed}
	}
	for _, c := range []struct {
		name string
		list []Member
		ok   bool
	}{
		{"three", []Member{mk("a", "p", false), mk("b", "p", false), mk("c", "p", false)}, true},
		{"one", []Member{mk("a", "p", false)}, false},
		{"eleven", func() []Member {
			var l []Member
			for i := range 11 {
				l = append(l, mk(string(rune('a'+i)), "p", false))
			}
			return l
		}(), false},
		{"two applicants", []Member{mk("a", "p", false), mk("b", "q", false)}, false},
		{"the same item", []Member{mk("a", "p", false), mk("a", "p", false)}, false},
		{"a closed case", []Member{mk("a", "p", false), mk("b", "p", true)}, false},
	} {
		if err := CheckLinked(c.list); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
