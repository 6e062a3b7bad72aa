package catalog

import (
	"strconv"

	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// Joint handling as an item states it (issue 19; the rules are internal/joint's): a step reviewed by several
// banner departments at once (并联审批) with the rule that applies when one does not pass, and a step that
// named roles sign off (会签), in sequence or together. Bodies and signers' organisations are named as the item
// names its department (by name); the township that handles the case is named HandlingTownship. Each case
// resolves them at intake and keeps them (cases.Step).

// HandlingTownship names, among a countersign's signers, the township that handles the case.
const HandlingTownship = "乡镇"

// StepParallel is a step's 并联审批.
type StepParallel struct {
	Bodies []string   `json:"bodies"` // departments, by name
	Lead   string     `json:"lead,omitempty"`
	Rule   joint.Rule `json:"rule"`
}

// StepSigner is one role of a countersign.
type StepSigner struct {
	Title string `json:"title"` // 分管领导, 部门负责人 ...
	Role  string `json:"role"`  // the access role that holds it: director
	Org   string `json:"org"`   // a department by name, or HandlingTownship
}

// StepCountersign is a step's 会签.
type StepCountersign struct {
	Mode    joint.Mode   `json:"mode"`
	Signers []StepSigner `json:"signers"`
}

// checkJoint checks a step's joint handling: the rules of joint.Parallel.Check and joint.Countersign.Check on
// the names, and that the step is not the last (the last step decides; a joint step passes the case on to it).
func checkJoint(l *errs.List, i int, s Step, last bool) {
	f := "steps[" + strconv.Itoa(i) + "]"
	if s.Parallel != nil {
		p := joint.Parallel{Bodies: s.Parallel.Bodies, Lead: s.Parallel.Lead, Rule: s.Parallel.Rule}
		for _, e := range errs.All(p.Check()) {
			l.Add(errs.Field(f+".parallel."+e.Field, e.Key))
		}
		if last {
			l.Add(errs.Field(f+".parallel", "err.joint.step_last"))
		}
	}
	if s.Countersign != nil {
		c := joint.Countersign{Mode: s.Countersign.Mode}
		for _, x := range s.Countersign.Signers {
			c.Signers = append(c.Signers, joint.Signer{Title: x.Title, Role: x.Role, Org: x.Org})
		}
		for _, e := range errs.All(c.Check()) {
			l.Add(errs.Field(f+".countersign."+e.Field, e.Key))
		}
		if last {
			l.Add(errs.Field(f+".countersign", "err.joint.step_last"))
		}
	}
}
