package cases

import (
	"testing"
	"time"

	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// A 宅基地 case through a countersign step and a parallel step: the reviewer's pass submits for signature, a
// refusal keeps the case at the step, the last signature moves it on; at the parallel step nobody passes,
// returns or claims it, one body's return sends it back (where it must be signed again), and when both pass it
// goes to the decider with both rounds' opinions kept.
func TestJointSteps(t *testing.T) {
	c := Case{ID: "c", State: Received, LimitUnit: "working_days", LimitDays: 20, Received: at("2026-03-02 09:00"),
		Steps: []Step{{Name: "受理", Role: "clerk", Level: 5},
			{Name: "初审", Role: "reviewer", Level: 5, Countersign: &joint.Countersign{Mode: joint.InSequence, Signers: []joint.Signer{{Title: "分管领导", Role: "director", Org: "t"}}}},
			{Name: "并联审查", Role: "department", Level: 4, Parallel: &joint.Parallel{Bodies: []string{"zr", "nm"}, Rule: joint.DenyOnAny}},
			{Name: "审批", Role: "department", Level: 4}}}
	type step struct {
		a      Action
		in     Input
		code   errs.Code // "" when it goes through
		toStep int
	}
	sign := func(agree bool, why string) Input {
		return Input{Agree: agree, Reason: why, Signer: 0, By: "d", ByName: "主任"}
	}
	op := func(body, v, why string) Input {
		return Input{Body: body, BodyName: body, Verdict: v, Reason: why, By: "p", ByName: "审核员"}
	}
	for i, s := range []step{
		{Accept, Input{Materials: []MaterialCheck{{Name: "x", Check: SeenOriginal}}}, "", 1},
		{Sign, sign(true, ""), errs.Conflict, 1}, // nothing submitted yet
		{Pass, Input{}, "", 1},                   // submitted for signature
		{Pass, Input{}, errs.Conflict, 1},        // waits for its signatures
		{Sign, sign(false, ""), errs.Invalid, 1}, // a refusal says why
		{Sign, sign(false, "面积超标"), "", 1},
		{Pass, Input{}, "", 1}, // submitted again
		{Sign, sign(true, ""), "", 2},
		{Pass, Input{}, errs.Conflict, 2}, // a parallel step passes by its bodies' opinions
		{Return, Input{Reason: "x"}, errs.Conflict, 2},
		{Claim, Input{Assignee: "p"}, errs.Conflict, 2},
		{Opinion, op("zr", "pass", ""), "", 2},
		{Opinion, op("zr", "pass", ""), errs.Conflict, 2}, // once a round
		{Opinion, op("xx", "pass", ""), errs.Forbidden, 2},
		{Opinion, op("nm", "return", "缺四至图"), "", 1}, // back to the step before
		{Pass, Input{}, "", 1},
		{Sign, sign(true, ""), "", 2}, // a new round at the parallel step
		{Opinion, op("nm", "pass", ""), "", 2},
		{Opinion, op("zr", "pass", "同意"), "", 3},
		{Decide, Input{Grant: true, Reason: "符合条件"}, "", 3},
	} {
		before := c
		d := Back
		if s.a == Accept {
			d = Front
		}
		_, err := c.Apply(s.a, d, s.in, at("2026-03-03 10:00").Add(time.Duration(i)*time.Minute), clk)
		if errs.CodeOf(err) != s.code {
			t.Fatalf("%d %s: %v", i, s.a, err)
		}
		if err != nil && (c.Version != before.Version || c.Step != before.Step) {
			t.Fatalf("%d %s: a refused move changed the case", i, s.a)
		}
		if c.Step != s.toStep {
			t.Fatalf("%d %s: at step %d, want %d", i, s.a, c.Step, s.toStep)
		}
	}
	p := c.Steps[2].Parallel
	if p.Round != 2 || len(p.Opinions) != 4 || p.Opinions[1].Text != "缺四至图" {
		t.Errorf("opinions kept: %+v", p)
	}
	if cs := c.Steps[1].Countersign; cs.Round != 3 || len(cs.Signs) != 3 || cs.Signs[0].Comment != "面积超标" {
		t.Errorf("signatures kept: %+v", cs)
	}
	if c.State != Decided {
		t.Errorf("state %s", c.State)
	}
}

// Who a case waits for (Awaits, what each desk's queue lists): nobody before the step or outside the back
// office; at a parallel step each body until it answers, then nobody, or the lead alone when opinions differ
// (LeadDecides); at a countersign the signers due: the first in sequence, every one not signed together.
func TestAwaits(t *testing.T) {
	par := func(rule joint.Rule, ops ...joint.Opinion) *joint.Parallel {
		p := joint.Parallel{Bodies: []string{"zr", "nm"}, Lead: "nm", Rule: rule}.Start(at("2026-03-02 09:00"))
		for _, o := range ops {
			o.Round = p.Round
			p.Opinions = append(p.Opinions, o)
		}
		return &p
	}
	cs := func(mode joint.Mode, round int, signed ...int) *joint.Countersign {
		c := joint.Countersign{Mode: mode, Round: round, Signers: []joint.Signer{{Title: "分管领导", Role: "director", Org: "t"}, {Title: "局长", Role: "director", Org: "nm"}}}
		for _, i := range signed {
			c.Signs = append(c.Signs, joint.Sign{Signer: i, Round: round, Agree: true})
		}
		return &c
	}
	for _, c := range []struct {
		name  string
		state State
		step  Step
		want  []Await
	}{
		{"no joint step", Accepted, Step{Name: "审核"}, nil},
		{"parallel, nobody answered", Accepted, Step{Parallel: par(joint.DenyOnAny)}, []Await{{Org: "zr"}, {Org: "nm"}}},
		{"parallel, before acceptance", Received, Step{Parallel: par(joint.DenyOnAny)}, nil},
		{"parallel, one answered", Accepted, Step{Parallel: par(joint.DenyOnAny, joint.Opinion{Body: "zr", Verdict: joint.Pass})}, []Await{{Org: "nm"}}},
		{"parallel, all answered", Accepted, Step{Parallel: par(joint.DenyOnAny, joint.Opinion{Body: "zr", Verdict: joint.Pass}, joint.Opinion{Body: "nm", Verdict: joint.Deny})}, nil},
		{"lead decides differing opinions", Accepted, Step{Parallel: par(joint.LeadDecides, joint.Opinion{Body: "zr", Verdict: joint.Pass}, joint.Opinion{Body: "nm", Verdict: joint.Deny})}, []Await{{Org: "nm"}}},
		{"countersign not submitted", Accepted, Step{Countersign: cs(joint.InSequence, 0)}, nil},
		{"in sequence, the first", Accepted, Step{Countersign: cs(joint.InSequence, 1)}, []Await{{Org: "t", Role: "director"}}},
		{"in sequence, the second", Accepted, Step{Countersign: cs(joint.InSequence, 1, 0)}, []Await{{Org: "nm", Role: "director"}}},
		{"together, both", Accepted, Step{Countersign: cs(joint.Together, 1)}, []Await{{Org: "t", Role: "director"}, {Org: "nm", Role: "director"}}},
		{"all signed", Accepted, Step{Countersign: cs(joint.Together, 1, 1, 0)}, nil},
	} {
		k := Case{State: c.state, Steps: []Step{c.step, {Name: "审批"}}}
		got := k.Awaits()
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	}
}
