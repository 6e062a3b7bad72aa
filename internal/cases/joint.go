package cases

import (
	"slices"
	"time"

	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// Joint handling on the case (issue 19; the rules are internal/joint's): at a step reviewed by several bodies
// at once (并联审批) each body gives its opinion and the item's rule moves the case on, back, or to the lead
// body; at a step signed off by named roles (会签) the reviewer's pass submits it for signature, and the last
// signature moves it on. The case's clock runs once for all: these moves neither stop nor restart it (seed
// 三.(一).3 联合办理; 行政许可法 第42条, one limit for a jointly handled case).

const (
	Opinion    Action = "opinion"     // back office of one of a parallel step's bodies: its opinion
	LeadDecide Action = "lead_decide" // the lead body: decides a round whose opinions differ
	Sign       Action = "sign"        // a countersigner: signs or refuses, with a comment
)

// jointStep reports the current step's joint handling, if any.
func (c Case) jointStep() (*joint.Parallel, *joint.Countersign) {
	if c.Step < 0 || c.Step >= len(c.Steps) {
		return nil, nil
	}
	return c.Steps[c.Step].Parallel, c.Steps[c.Step].Countersign
}

// heldByJoint refuses the back office's own moves that a joint step makes otherwise: a parallel step is
// passed or returned by its bodies' opinions, and nobody claims it for themselves; a countersign step waiting
// for its signatures is not submitted again.
func (c Case) heldByJoint(a Action) *errs.Error {
	p, cs := c.jointStep()
	switch {
	case p != nil && (a == Pass || a == Return || a == Claim):
		return errs.New(errs.Conflict, "err.joint.parallel.by_opinions")
	case cs != nil && a == Pass && cs.Round > 0 && cs.Outcome() == joint.Signing:
		return errs.New(errs.Conflict, "err.joint.sign.waiting")
	}
	return nil
}

// submitForSignature is the reviewer's pass at a countersign step: a new round of signatures begins and the
// case stays at the step (true); false when the step has no countersign.
func (c Case) submitForSignature(next *Case) bool {
	_, cs := c.jointStep()
	if cs == nil {
		return false
	}
	round := cs.Start()
	next.Steps = slices.Clone(c.Steps)
	next.Steps[c.Step].Countersign = &round
	return true
}

// enterStep begins a parallel step's round when the case arrives at it.
func (c *Case) enterStep(now time.Time) {
	if p, _ := c.jointStep(); p != nil {
		round := p.Start(now)
		c.Steps = slices.Clone(c.Steps)
		c.Steps[c.Step].Parallel = &round
	}
}

// textField names the reasons of a joint move as the case page's forms do.
func textField(err error, l *errs.List) {
	for _, e := range errs.All(err) {
		if e.Field == "opinion" || e.Field == "comment" {
			x := *e
			x.Field = "reason"
			e = &x
		}
		l.Add(e)
	}
}

// jointMove makes an opinion, a lead's decision or a signature, moving the case as the round's outcome says.
func (c Case) jointMove(a Action, in Input, now time.Time, next *Case, l *errs.List) {
	p, cs := c.jointStep()
	if (a == Sign && cs == nil) || (a != Sign && p == nil) {
		l.Add(errs.New(errs.Conflict, "err.joint.not_joint"))
		return
	}
	next.Steps = slices.Clone(c.Steps)
	move := func(to int) { next.Step, next.StepSince, next.Assignee = to, now, "" }
	if a == Sign {
		after, err := cs.Give(in.Signer, in.Agree, in.Reason, in.By, in.ByName, now)
		if err != nil {
			textField(err, l)
			return
		}
		next.Steps[c.Step].Countersign = &after
		if after.Outcome() == joint.Signed {
			move(c.Step + 1)
		}
		return
	}
	var after joint.Parallel
	var err error
	if a == LeadDecide {
		after, err = p.Decide(in.Body, joint.Verdict(in.Verdict), in.Reason)
	} else {
		after, err = p.Give(joint.Opinion{Body: in.Body, BodyName: in.BodyName, Verdict: joint.Verdict(in.Verdict), Text: in.Reason, By: in.By, ByName: in.ByName, At: now})
	}
	if err != nil {
		textField(err, l)
		return
	}
	next.Steps[c.Step].Parallel = &after
	switch after.Outcome() {
	case joint.Passed, joint.Denied: // a denial goes on to the decider, who decides it
		move(c.Step + 1)
	case joint.Returned:
		move(max(c.Step-1, FirstBackStep(c.Steps)))
	}
}

// jointReady says whether a joint move has something to work on now.
func (c Case) jointReady(a Action) bool {
	p, cs := c.jointStep()
	switch a {
	case Opinion:
		return p != nil && p.Outcome() == joint.Waiting
	case LeadDecide:
		return p != nil && p.Outcome() == joint.ToLead
	case Sign:
		return cs != nil && len(cs.Due()) > 0
	}
	return c.heldByJoint(a) == nil
}

// Await is an organisation whose answer a case waits for at a joint step: a parallel step's body that has not
// given its opinion this round (or the lead body, when their opinions differ), or a countersigner who is due
// (Role then names the access role that signs; "" is the body's back office). The desk of each lists the case.
type Await struct {
	Org  string
	Role string
}

// Awaits lists who the case waits for at its current joint step; none elsewhere, or once the step's round
// is over.
func (c Case) Awaits() []Await {
	p, cs := c.jointStep()
	if c.State != Accepted {
		return nil
	}
	var out []Await
	if p != nil {
		switch p.Outcome() {
		case joint.Waiting:
			for _, b := range p.Bodies {
				if !p.Answered(b) {
					out = append(out, Await{Org: b})
				}
			}
		case joint.ToLead:
			out = append(out, Await{Org: p.Lead})
		}
	}
	if cs != nil {
		for _, i := range cs.Due() {
			out = append(out, Await{Org: cs.Signers[i].Org, Role: cs.Signers[i].Role})
		}
	}
	return out
}

// Joint reports whether any step of the case is handled jointly (only such a case can wait for a body).
func (c Case) Joint() bool {
	return slices.ContainsFunc(c.Steps, func(s Step) bool { return s.Parallel != nil || s.Countersign != nil })
}
