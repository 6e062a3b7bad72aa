package delegation

import (
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Inspection rounds (巡回检查): 四.(一) asks the delegating department to go round the townships "以定时划片的方
// 式进行巡回检查指导" (on a schedule, the banner divided by area among the inspectors), and 四.(二) the service
// bureau "进行不间断、不定期督导检查" (unannounced): both are a Round with a visit and its findings. Each finding
// becomes a rectification for the township with a deadline, rectified by the township and checked by the
// inspecting side; a fix not accepted goes back to the township.

// Limits of a round's texts.
const (
	MaxArea    = 100
	MaxNotes   = 4000
	MaxFinding = 1000
	MaxFix     = 2000
)

// Finding is one finding of a visit, and its rectification.
type Finding struct {
	Text      string     `json:"text"`
	Due       clock.Date `json:"due"`
	Step      FindStep   `json:"step"`
	Fix       string     `json:"fix,omitempty"`
	FixedBy   string     `json:"fixed_by,omitempty"`
	FixedAt   time.Time  `json:"fixed_at,omitzero"`
	CheckNote string     `json:"check_note,omitempty"`
	CheckedBy string     `json:"checked_by,omitempty"`
	CheckedAt time.Time  `json:"checked_at,omitzero"`
}

// FindStep is where a finding's rectification stands.
type FindStep string

const (
	ToRectify FindStep = "open"     // 待整改
	Fixed     FindStep = "fixed"    // 已整改, waits for the check
	Accepted  FindStep = "accepted" // 已验收
)

// FindMove is a move on a finding.
type FindMove string

const (
	Rectify FindMove = "rectify" // the township records what it did
	Accept  FindMove = "accept"  // the inspecting side accepts it
	Reject  FindMove = "reject"  // or sends it back, with a note
)

// findMoves is the finding's transition table: from which step, to which, by which side (township or the
// inspecting side).
var findMoves = map[FindMove]struct {
	from     FindStep
	to       FindStep
	township bool
}{
	Rectify: {ToRectify, Fixed, true},
	Accept:  {Fixed, Accepted, false},
	Reject:  {Fixed, ToRectify, false},
}

// Round is one planned or unannounced inspection of a township.
type Round struct {
	ID            string     `json:"id"`
	DeptID        string     `json:"dept_id"` // the inspecting organisation (a department, or the banner's bureau)
	DeptPath      string     `json:"dept_path"`
	TownshipID    string     `json:"township_id"`
	TownshipPath  string     `json:"township_path"`
	Area          string     `json:"area"` // 片区: the part of the banner this inspector covers
	Inspector     string     `json:"inspector"`
	InspectorName string     `json:"inspector_name"`
	Planned       clock.Date `json:"planned"`
	Unannounced   bool       `json:"unannounced"`
	VisitedAt     time.Time  `json:"visited_at,omitzero"`
	ItemsHandled  int        `json:"items_handled"` // 办件 looked at
	FilesSampled  int        `json:"files_sampled"` // 抽查卷宗
	Notes         string     `json:"notes,omitempty"`
	Findings      []Finding  `json:"findings,omitempty"`
	Version       int        `json:"version"`
}

// Visited reports whether the visit is recorded.
func (r Round) Visited() bool { return !r.VisitedAt.IsZero() }

// Visit is a visit as typed: the checklist and the findings, one a line, each with the deadline.
type Visit struct {
	ItemsHandled int      `json:"items_handled"`
	FilesSampled int      `json:"files_sampled"`
	Notes        string   `json:"notes"`
	Findings     []string `json:"findings"`
	Due          string   `json:"due"` // the rectifications' deadline
}

// RecordVisit records the visit once: counts not negative, notes within their limit, every finding within
// its, and a deadline after the visit's day when there is a finding.
func (r *Round) RecordVisit(v Visit, at time.Time, today clock.Date) error {
	if r.Visited() {
		return errs.New(errs.Conflict, "err.deleg.visited")
	}
	var l errs.List
	if v.ItemsHandled < 0 || v.ItemsHandled > 100000 {
		l.Add(errs.Field("round_items", "err.deleg.count"))
	}
	if v.FilesSampled < 0 || v.FilesSampled > 100000 {
		l.Add(errs.Field("round_files", "err.deleg.count"))
	}
	if !isBlank(v.Notes) {
		l.Add(Text("round_notes", v.Notes, MaxNotes))
	}
	var due clock.Date
	var findings []Finding
	for _, f := range v.Findings {
		if isBlank(f) {
			continue
		}
		if e := Text("round_findings", f, MaxFinding); e != nil {
			l.Add(e)
			continue
		}
		findings = append(findings, Finding{Text: f, Step: ToRectify})
	}
	if len(findings) > 0 {
		d, e := date("round_due", v.Due)
		if e == nil && !d.After(today) {
			e = errs.Field("round_due", "err.deleg.due_future")
		}
		l.Add(e)
		due = d
	}
	if err := l.Err(); err != nil {
		return err
	}
	for i := range findings {
		findings[i].Due = due
	}
	r.VisitedAt, r.ItemsHandled, r.FilesSampled, r.Notes, r.Findings = at, v.ItemsHandled, v.FilesSampled, v.Notes, findings
	return nil
}

// Move makes a move on finding i: the township's (Rectify, with what it did) or the inspecting side's
// (Accept, Reject with a note).
func (r *Round) Move(i int, m FindMove, township bool, text, by string, at time.Time) error {
	rule, ok := findMoves[m]
	if !ok {
		return errs.Field("move", "err.find.choice")
	}
	if i < 0 || i >= len(r.Findings) {
		return errs.New(errs.NotFound, "err.not_found").With("what", "finding")
	}
	if rule.township != township {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", "finding."+string(m))
	}
	f := r.Findings[i]
	if f.Step != rule.from {
		return errs.New(errs.Conflict, "err.deleg.finding_step")
	}
	switch m {
	case Rectify:
		if e := Text("finding_fix", text, MaxFix); e != nil {
			return e
		}
		f.Fix, f.FixedBy, f.FixedAt = text, by, at
	case Reject:
		if e := Text("finding_note", text, MaxFix); e != nil {
			return e
		}
		f.CheckNote, f.CheckedBy, f.CheckedAt = text, by, at
	case Accept:
		f.CheckNote, f.CheckedBy, f.CheckedAt = text, by, at
	}
	f.Step = rule.to
	r.Findings[i] = f
	return nil
}

// FindingCard is a finding's card on today: red when its deadline passed before it was rectified.
func (f Finding) Card(today clock.Date) clock.Card {
	if f.Step == ToRectify && today.After(f.Due) {
		return clock.Red
	}
	return ""
}
