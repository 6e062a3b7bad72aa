// Package joint holds the rules of handling a case across organisations (seed 三.(一).3 "发起联合办理" at the
// general window, and the back office's "与前台业务集成协作"): a step reviewed by several bodies at once
// (并联审批, this file), a step signed off by named roles (会签, countersign.go), the hand-over of a case to the
// competent body (转办, handover.go) and ad-hoc joint handling of related cases (联合办理, linked.go). Like
// internal/cases, it imports neither database/sql nor net/http.
package joint

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Rule is what an item states for a parallel step when a body does not pass the case.
type Rule string

const (
	// DenyOnAny: the case waits for every body; then one denial denies the step (the case goes to the
	// decider with a denial), else one return returns it, else it passes: a single body's "no" is a "no" of
	// the joint review (联合办理, 行政许可法 第42条: the bodies' time together stays within the case's one limit).
	DenyOnAny Rule = "deny_on_any"
	// LeadDecides: the case waits for every body; if all pass it passes, else the lead body (牵头部门) decides,
	// seeing every opinion.
	LeadDecides Rule = "lead_decides"
)

// Rules in the order the catalog lists them.
var Rules = []Rule{DenyOnAny, LeadDecides}

// Verdict is one body's opinion on a parallel step, or a countersigner's.
type Verdict string

const (
	Pass   Verdict = "pass"   // 通过
	Return Verdict = "return" // 退回: back to the step before, to be corrected
	Deny   Verdict = "deny"   // 不予通过
)

// Verdicts in the order forms list them.
var Verdicts = []Verdict{Pass, Return, Deny}

// MaxText is the longest opinion or comment.
const MaxText = 2000

// Opinion is one body's opinion in one round of a parallel step (办理意见, GB/T 39046 up_pro_process
// handle_explain), kept for the decider and the record.
type Opinion struct {
	Body     string    `json:"body"` // the organisation's id
	BodyName string    `json:"body_name"`
	Round    int       `json:"round"`
	Verdict  Verdict   `json:"verdict"`
	Text     string    `json:"text,omitempty"`
	By       string    `json:"by"`
	ByName   string    `json:"by_name"`
	At       time.Time `json:"at"`
}

// Parallel is a step done by several bodies at once (并联审批).
type Parallel struct {
	Bodies   []string  `json:"bodies"` // the organisations that review, in the item's order
	Lead     string    `json:"lead,omitempty"`
	Rule     Rule      `json:"rule"`
	Round    int       `json:"round"` // 1 at the first review; a return starts the next when the case comes back
	Since    time.Time `json:"since"` // when the current round began: each body's time runs from here
	Opinions []Opinion `json:"opinions,omitempty"`
	// LeadVerdict is the lead body's decision of a round whose opinions differ (LeadDecides).
	LeadVerdict Verdict `json:"lead_verdict,omitempty"`
}

// Outcome is where a round stands.
type Outcome string

const (
	Waiting  Outcome = "waiting"  // not every body has answered
	Passed   Outcome = "passed"   // on to the next step
	Returned Outcome = "returned" // back to the step before
	Denied   Outcome = "denied"   // the step does not pass: the decider decides a denial
	ToLead   Outcome = "to_lead"  // every body answered, they differ: the lead body decides (LeadDecides)
)

// Check validates a parallel step as an item states it: at least two distinct bodies, a known rule, and for
// LeadDecides a lead that is one of the bodies.
func (p Parallel) Check() error {
	var l errs.List
	seen := map[string]bool{}
	for _, b := range p.Bodies {
		if b == "" || seen[b] {
			l.Add(errs.Field("bodies", "err.joint.parallel.bodies"))
			break
		}
		seen[b] = true
	}
	if len(p.Bodies) < 2 {
		l.Add(errs.Field("bodies", "err.joint.parallel.bodies"))
	}
	if !slices.Contains(Rules, p.Rule) {
		l.Add(errs.Field("rule", "err.required"))
	}
	if p.Rule == LeadDecides && !slices.Contains(p.Bodies, p.Lead) {
		l.Add(errs.Field("lead", "err.joint.parallel.lead"))
	}
	return l.Err()
}

// Start begins a round at a moment (the first when the case reaches the step, the next when it comes back).
func (p Parallel) Start(at time.Time) Parallel {
	p.Round++
	p.Since, p.LeadVerdict = at, ""
	p.Opinions = slices.Clone(p.Opinions)
	return p
}

// InRound lists the opinions of the current round, in the order given.
func (p Parallel) InRound() []Opinion {
	var out []Opinion
	for _, o := range p.Opinions {
		if o.Round == p.Round {
			out = append(out, o)
		}
	}
	return out
}

// Answered reports whether a body has given its opinion in this round.
func (p Parallel) Answered(body string) bool {
	return slices.ContainsFunc(p.InRound(), func(o Opinion) bool { return o.Body == body })
}

// reasons checks that a verdict other than pass says why (行政许可法 第38条第2款: a denial states its reasons;
// a return tells the step before what to correct), within the limit.
func reasons(v Verdict, text string) *errs.Error {
	if !slices.Contains(Verdicts, v) {
		return errs.Field("verdict", "err.required")
	}
	if v != Pass && text == "" {
		return errs.Field("opinion", "err.required")
	}
	if len(text) > MaxText && utf8.RuneCountInString(text) > MaxText {
		return errs.Field("opinion", "err.too_long").With("max", strconv.Itoa(MaxText))
	}
	return nil
}

// Give records one body's opinion in the current round: a body of the step, once a round, while the round
// waits.
func (p Parallel) Give(o Opinion) (Parallel, error) {
	if !slices.Contains(p.Bodies, o.Body) {
		return p, errs.New(errs.Forbidden, "err.joint.parallel.not_body")
	}
	if p.Outcome() != Waiting || p.Answered(o.Body) {
		return p, errs.New(errs.Conflict, "err.joint.parallel.answered")
	}
	if e := reasons(o.Verdict, o.Text); e != nil {
		return p, e
	}
	o.Round = p.Round
	p.Opinions = append(slices.Clone(p.Opinions), o)
	return p, nil
}

// Outcome is the round's outcome under the item's rule.
func (p Parallel) Outcome() Outcome {
	in := p.InRound()
	if len(in) < len(p.Bodies) {
		return Waiting
	}
	has := func(v Verdict) bool { return slices.ContainsFunc(in, func(o Opinion) bool { return o.Verdict == v }) }
	if p.Rule == LeadDecides {
		switch {
		case !has(Return) && !has(Deny):
			return Passed
		case p.LeadVerdict == "":
			return ToLead
		}
		return outcomeOf(p.LeadVerdict)
	}
	switch {
	case has(Deny):
		return Denied
	case has(Return):
		return Returned
	}
	return Passed
}

func outcomeOf(v Verdict) Outcome {
	switch v {
	case Deny:
		return Denied
	case Return:
		return Returned
	}
	return Passed
}

// Decide is the lead body's decision of a round whose opinions differ (LeadDecides), with its reasons when it
// does not pass.
func (p Parallel) Decide(body string, v Verdict, text string) (Parallel, error) {
	if p.Rule != LeadDecides || body != p.Lead {
		return p, errs.New(errs.Forbidden, "err.joint.parallel.not_lead")
	}
	if p.Outcome() != ToLead {
		return p, errs.New(errs.Conflict, "err.joint.parallel.not_to_lead")
	}
	if e := reasons(v, text); e != nil {
		return p, e
	}
	p.LeadVerdict = v
	return p, nil
}

// BodyTime is the working days each body took in the current round: from the day after the round began to
// the day of its opinion, or to today while it has not answered. The case's clock runs once (the case's own
// limit); this is what supervision attributes to each body.
func (p Parallel) BodyTime(cal *clock.Calendar, loc *time.Location, today clock.Date) map[string]int {
	start := clock.DateOf(p.Since.In(loc))
	out := map[string]int{}
	for _, b := range p.Bodies {
		end := today
		for _, o := range p.InRound() {
			if o.Body == b {
				end = clock.DateOf(o.At.In(loc))
			}
		}
		out[b] = cal.WorkingDaysBetween(start, end)
	}
	return out
}
