package joint

import (
	"slices"
	"time"

	"bianmin/internal/errs"
)

// 会签 (countersign): a step passes only when named roles have signed it off (say the township's 分管领导, then
// the department head), one after another or all at once, as the item states. A refusal is kept with its
// comment and sends the step back to its reviewer; when the reviewer submits again a new round begins and
// every signer signs again. The clock is the case's: a countersign does not stop it.

// Mode is how the signers sign.
type Mode string

const (
	InSequence Mode = "sequence" // each in the order listed; the next sees the signatures before
	Together   Mode = "together" // all at once, in any order
)

// Modes in the order the catalog lists them.
var Modes = []Mode{InSequence, Together}

// Signer is a role that must sign, at an organisation (its id).
type Signer struct {
	Title string `json:"title"` // as the item names it: 分管领导, 部门负责人 ...
	Role  string `json:"role"`  // the access role that holds it (director ...)
	Org   string `json:"org"`
}

// Sign is one signature or refusal.
type Sign struct {
	Signer  int       `json:"signer"` // index into Signers
	Round   int       `json:"round"`
	Agree   bool      `json:"agree"`
	Comment string    `json:"comment,omitempty"`
	By      string    `json:"by"`
	ByName  string    `json:"by_name"`
	At      time.Time `json:"at"`
}

// Countersign is a step's sign-off.
type Countersign struct {
	Mode    Mode     `json:"mode"`
	Signers []Signer `json:"signers"`
	Round   int      `json:"round"`
	Signs   []Sign   `json:"signs,omitempty"`
}

// SignOutcome is where a round of signatures stands.
type SignOutcome string

const (
	Signing SignOutcome = "signing" // not every signer has signed
	Signed  SignOutcome = "signed"  // all agreed: the step passes
	Refused SignOutcome = "refused" // one refused: back to the step's reviewer, with the comment
)

// Check validates a countersign as an item states it: a known mode, at least one signer, each with a title
// and a role.
func (c Countersign) Check() error {
	var l errs.List
	if !slices.Contains(Modes, c.Mode) {
		l.Add(errs.Field("mode", "err.required"))
	}
	if len(c.Signers) == 0 {
		l.Add(errs.Field("signers", "err.required"))
	}
	for _, s := range c.Signers {
		if s.Title == "" || s.Role == "" {
			l.Add(errs.Field("signers", "err.required"))
			break
		}
	}
	return l.Err()
}

// Start begins a round (the first when the reviewer submits, the next after a refusal).
func (c Countersign) Start() Countersign {
	c.Round++
	c.Signs = slices.Clone(c.Signs)
	return c
}

func (c Countersign) inRound() []Sign {
	var out []Sign
	for _, s := range c.Signs {
		if s.Round == c.Round {
			out = append(out, s)
		}
	}
	return out
}

// Outcome is the round's outcome.
func (c Countersign) Outcome() SignOutcome {
	in := c.inRound()
	if slices.ContainsFunc(in, func(s Sign) bool { return !s.Agree }) {
		return Refused
	}
	if c.Round > 0 && len(in) == len(c.Signers) {
		return Signed
	}
	return Signing
}

// Due lists the signers who may sign now: in sequence the first who has not signed this round; together all
// who have not. None once the round is over (or before it began).
func (c Countersign) Due() []int {
	if c.Round == 0 || c.Outcome() != Signing {
		return nil
	}
	in := c.inRound()
	var out []int
	for i := range c.Signers {
		if slices.ContainsFunc(in, func(s Sign) bool { return s.Signer == i }) {
			continue
		}
		out = append(out, i)
		if c.Mode == InSequence {
			break
		}
	}
	return out
}

// Give records a signature or a refusal by signer i: only a signer who is due, a refusal with its comment
// (the reviewer is told what to change).
func (c Countersign) Give(i int, agree bool, comment, by, byName string, at time.Time) (Countersign, error) {
	if !slices.Contains(c.Due(), i) {
		if i < 0 || i >= len(c.Signers) {
			return c, errs.New(errs.Forbidden, "err.joint.sign.not_signer")
		}
		return c, errs.New(errs.Conflict, "err.joint.sign.not_due")
	}
	v := Pass
	if !agree {
		v = Deny
	}
	if e := reasons(v, comment); e != nil {
		return c, errs.Field("comment", e.Key).With("max", e.Args["max"])
	}
	c.Signs = append(slices.Clone(c.Signs), Sign{Signer: i, Round: c.Round, Agree: agree, Comment: comment, By: by, ByName: byName, At: at})
	return c, nil
}
