package cases

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// The window's material check and what it may lead to: the one-time correction notice (行政许可法 第32条(四),
// seed 咨询一次告知清楚), 容缺受理 (FACTS.md §5.4) and 告知承诺 (国办发〔2020〕42号, FACTS.md §5.3). The
// transition table (case.go) says who may make these moves; this file says what each may contain.

// NotApplicable marks a material the application does not call for (不适用): an optional or conditional one,
// such as the 授权委托书 of someone applying for themselves. It is never demanded on a notice.
const NotApplicable Check = "na"

// MaterialRules is what a case keeps of its material check beyond the checks themselves.
type MaterialRules struct {
	// FirstAsked names the materials the first correction notice asked for: a further notice may concern
	// only these (第32条: 一次告知).
	FirstAsked []string `json:"first_asked,omitempty"`
	// Recorrections counts the notices after the first (二次补正), for supervision.
	Recorrections int `json:"recorrections,omitempty"`
	// PledgeAllowed is the item's 告知承诺 flag, fixed by the item version the case is pinned to.
	PledgeAllowed bool `json:"pledge_allowed,omitempty"`
	// Pledge is the follow-up check (核查) of what the applicant pledged at acceptance.
	Pledge *PledgeCheck `json:"pledge,omitempty"`
}

// The results of a pledge check.
const (
	PledgeConfirmed = "confirmed" // the pledge was true
	PledgeFalse     = "false"     // the pledge proved false: the path leads to revocation
)

// PledgeCheck is the follow-up check of the pledges (核查, 国办发〔2020〕42号: 事中事后核查).
type PledgeCheck struct {
	Materials []string   `json:"materials"` // the proofs the pledge replaced
	Due       clock.Date `json:"due"`       // by when the check is to be done
	Result    string     `json:"result,omitempty"`
	Note      string     `json:"note,omitempty"`
	At        time.Time  `json:"at,omitzero"`
}

// Seen reports a check that found the material as it should be.
func (k Check) Seen() bool {
	return k == SeenOriginal || k == SeenCopy || k == Scanned || k == Electronic
}

// Key reports a key material (主要材料): required, and not one that may be owed. 容缺 needs every key
// material present (FACTS.md §5.4: 主要材料齐全且符合法定形式).
func (m MaterialCheck) Key() bool { return m.Required && !m.Deferrable }

// settled reports whether a material's check from before a resubmission stands: everything the correction
// notice did not ask for was decided at the first check, and stays as it was (第32条: the notice tells
// everything at once, so nothing else can be asked for later).
func (c Case) settled(name string) (MaterialCheck, bool) {
	i := slices.IndexFunc(c.Materials, func(m MaterialCheck) bool { return m.Name == name })
	if i < 0 || c.Materials[i].Check == "" {
		return MaterialCheck{}, false
	}
	return c.Materials[i], true
}

// resubmitted is the check after the applicant answered a notice: what the notice asked for is to be
// checked again (unchosen), everything else stays as it was verified.
func (c Case) resubmitted() []MaterialCheck {
	out := slices.Clone(c.Materials)
	for i, m := range out {
		if m.Lacking() {
			out[i].Check, out[i].Note = "", ""
		}
	}
	return out
}

// windowCheck applies the rules of the window's check to the checks of a move (ask_correction, accept,
// accept_owed): every row chosen, a settled row unchanged, 不适用 only where the item makes the material
// optional, 容缺 only of deferrable materials and with every key material present, pledges only where the
// item and the material allow them. It returns the checks the case keeps.
func (c Case) windowCheck(a Action, in []MaterialCheck, l *errs.List) []MaterialCheck {
	out := slices.Clone(in)
	deferrable := false
	for i := range out {
		m := &out[i]
		f := "materials[" + strconv.Itoa(i) + "]"
		deferrable = deferrable || m.Deferrable
		if was, ok := c.settled(m.Name); ok {
			switch {
			case m.Check == "":
				m.Check, m.Note = was.Check, was.Note
			case m.Check != was.Check && a == AskCorrection && m.Lacking():
				// 第32条(四): a further notice concerns only what the first asked for
				l.Add(errs.Field(f, "err.case.not_in_first_notice").With("name", m.Name))
				continue
			case m.Check != was.Check:
				l.Add(errs.Field(f, "err.case.settled").With("name", m.Name).With("check", string(was.Check)))
				continue
			}
		}
		switch m.Check {
		case "":
			l.Add(errs.Field(f, "err.case.check_not_chosen").With("name", m.Name))
		case NotApplicable:
			if m.Required || m.Deferrable {
				l.Add(errs.Field(f, "err.case.na_required").With("name", m.Name))
			}
		case Owed:
			switch {
			case a == Accept:
				l.Add(errs.Field(f, "err.case.owed_needs_conditional"))
			case !m.Deferrable:
				l.Add(errs.Field(f, "err.case.not_deferrable").With("name", m.Name))
			}
		case Electronic:
			// 电子材料: seen on screen, so the window says which files it saw (issue 13); that they are
			// the case's own files of this material is the service's check
			if len(m.Files) == 0 {
				l.Add(errs.Field(f, "err.case.no_file").With("name", m.Name))
			}
		case Pledged:
			switch {
			case !c.PledgeAllowed:
				l.Add(errs.Field(f, "err.case.pledge_not_allowed").With("name", m.Name))
			case !m.Pledgeable:
				l.Add(errs.Field(f, "err.case.not_pledgeable").With("name", m.Name))
			}
		}
		if a != AskCorrection && m.Lacking() && (m.Required || m.Deferrable) {
			// a needed material missing or defective: brought, owed (if deferrable) or asked for by notice
			l.Add(errs.Field(f, "err.case.material_lacking").With("name", m.Name))
		}
		if a == AskCorrection && m.Lacking() && c.Corrected && !slices.Contains(c.FirstAsked, m.Name) {
			l.Add(errs.Field(f, "err.case.not_in_first_notice").With("name", m.Name))
		}
	}
	if a == AcceptOwed && len(in) > 0 && !deferrable {
		// 容缺 only where the item allows it: it marks at least one material deferrable
		l.Add(errs.Field("materials", "err.case.no_deferral"))
	}
	return out
}

// noticeOnce applies 第32条(四) to a correction notice: the first names everything missing and is
// remembered; a further one (after a resubmission) may name only defects in what the first asked for, and
// is counted (二次补正). A case taken in before the first notice was remembered has nothing a further notice
// may name.
func (c Case) noticeOnce(next *Case, l *errs.List) {
	var lacking []string
	for _, m := range next.Materials {
		if m.Lacking() {
			lacking = append(lacking, m.Name)
		}
	}
	if len(lacking) == 0 {
		l.Add(errs.Field("materials", "err.case.nothing_missing"))
		return
	}
	if c.Corrected {
		next.Recorrections = c.Recorrections + 1
		return
	}
	next.Corrected, next.FirstAsked = true, lacking
}

// pledgeAt is the pledge check that acceptance starts when the applicant pledged in place of proofs: the
// desk gives its due date, a day after today (42号: 事中事后核查).
func pledgeAt(checks []MaterialCheck, by clock.Date, now time.Time, clk clock.Clock, l *errs.List) *PledgeCheck {
	var names []string
	for _, m := range checks {
		if m.Check == Pledged {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	if by.IsZero() {
		l.Add(errs.Field("check_by", "err.required")) // an empty date is missing, not early
	} else if !clock.DateOf(now.In(clk.Rules.Location)).Before(by) {
		l.Add(errs.Field("check_by", "err.case.check_by"))
	}
	return &PledgeCheck{Materials: names, Due: by}
}

// pledgeReady: a check to record while none is recorded; a revocation once a pledge proved false.
func (c Case) pledgeReady(a Action) bool {
	if c.Pledge == nil {
		return false
	}
	if a == PledgeChecked {
		return c.Pledge.Result == ""
	}
	return c.Pledge.Result == PledgeFalse
}

// pledgeMove records the check's result, or revokes on a false pledge (42号: 核查发现虚假承诺 → 终止办理、
// 撤销决定; 行政许可法 第69条: 以欺骗等不正当手段取得行政许可的，应当予以撤销), with reasons the applicant is
// told together with the remedies.
func (c Case) pledgeMove(a Action, in Input, now time.Time, next *Case, l *errs.List) {
	if c.Pledge == nil {
		l.Add(errs.New(errs.Conflict, "err.case.no_pledge"))
		return
	}
	p := *c.Pledge
	switch a {
	case PledgeChecked:
		if p.Result != "" {
			l.Add(errs.New(errs.Conflict, "err.case.pledge_checked"))
		}
		if in.Result != PledgeConfirmed && in.Result != PledgeFalse {
			l.Add(errs.Field("result", "err.item.code_set"))
		}
		if in.Result == PledgeFalse && strings.TrimSpace(in.Reason) == "" {
			l.Add(errs.Field("reason", "err.case.pledge_false_reason"))
		}
		p.Result, p.Note, p.At = in.Result, strings.TrimSpace(in.Reason), now
	case Revoke:
		if p.Result != PledgeFalse {
			l.Add(errs.Field("result", "err.case.pledge_not_false"))
		}
		if strings.TrimSpace(in.Reason) == "" {
			l.Add(errs.Field("reason", "err.required"))
		}
		next.Refusal = strings.TrimSpace(in.Reason)
		next.ExtensionRequest = nil
	}
	next.Pledge = &p
}

// afterAcceptance are the states in which a pledge may be checked and, proved false, revoked: the check
// may come after the decision and the delivery (事后核查).
var afterAcceptance = []State{Accepted, Suspended, Decided, Issued, Delivered}
