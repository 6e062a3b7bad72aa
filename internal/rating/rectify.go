package rating

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// 差评 handling (国办发〔2019〕51号: 建立差评核实、整改、反馈机制; 按"谁办理、谁负责"; 实名差评回访整改率 100%): every
// 差评 opens a rectification in the same transaction, which runs 核实 → 整改 → 反馈 → 回访. The deadline is in
// working days from the rating (no national number: FACTS.md §2.4 — 德州 and a 湖北 town use 5, a 四川 city 15; a
// setting, 5 by default). An overdue rectification gets the cards a case gets (clock.CardOnDays).

// DefaultDays is the rectification deadline in working days (FACTS.md §2.4, 德州市: 5个工作日内整改反馈).
const DefaultDays = 5

// Step is where a rectification stands.
type Step string

const (
	Open      Step = "open"      // 待核实
	Verified  Step = "verified"  // 已核实: the facts checked, the rater contacted when named
	Rectified Step = "rectified" // 已整改: the measures recorded
	FedBack   Step = "fed_back"  // 已反馈: the rater told what was done; waits for 回访
	Closed    Step = "closed"    // 已回访 (or, for a rater who cannot be reached, closed after feedback)
)

// Steps in order.
var Steps = []Step{Open, Verified, Rectified, FedBack, Closed}

// Move is one step of a rectification.
type Move string

const (
	Verify   Move = "verify"   // 核实
	Rectify  Move = "rectify"  // 整改
	Feedback Move = "feedback" // 反馈
	Revisit  Move = "revisit"  // 回访: the rater rates the rectification
	NoReach  Move = "noreach"  // 无法回访: an anonymous rater; closed after feedback
)

// moves is the rectification's transition table: from which steps, to which, and whether the rater (not staff)
// makes it. 回访 is the rater's: staff may record a telephone 回访 only as what the rater said (ByStaff).
var moves = map[Move]struct {
	from []Step
	to   Step
}{
	Verify:   {[]Step{Open}, Verified},
	Rectify:  {[]Step{Verified}, Rectified},
	Feedback: {[]Step{Rectified}, FedBack},
	Revisit:  {[]Step{FedBack}, Closed},
	NoReach:  {[]Step{FedBack}, Closed},
}

// StaffMoves are the moves staff make on the rectification page, in order.
var StaffMoves = []Move{Verify, Rectify, Feedback, NoReach}

// Verdict is the rater's rating of the rectification at 回访 (practice: 满意 / 基本满意 / 不满意; FACTS.md §2.4).
type Verdict string

const (
	VerdictSatisfied   Verdict = "satisfied"
	VerdictBasic       Verdict = "basic"
	VerdictUnsatisfied Verdict = "unsatisfied"
)

// Verdicts in the order shown.
var Verdicts = []Verdict{VerdictSatisfied, VerdictBasic, VerdictUnsatisfied}

// Satisfied counts toward 回访满意率: 满意 and 基本满意.
func (v Verdict) Satisfied() bool { return v == VerdictSatisfied || v == VerdictBasic }

// MaxNote is the longest note of a rectification step.
const MaxNote = 2000

// Rectification is the handling of one 差评.
type Rectification struct {
	ID         string     `json:"id"`
	RatingID   string     `json:"rating_id"`
	Township   string     `json:"township"`
	Step       Step       `json:"step"`
	Opened     time.Time  `json:"opened"`
	Days       int        `json:"days"`        // the deadline's working days when opened
	DueOn      clock.Date `json:"due_on"`      // 整改 and 反馈 by this day
	YellowFrom clock.Date `json:"yellow_from"` // the first yellow day
	Verified   string     `json:"verified,omitempty"`
	Contacted  bool       `json:"contacted,omitempty"` // the rater was sent the 核实 message
	Measures   string     `json:"measures,omitempty"`
	Feedback   string     `json:"feedback,omitempty"`
	FedBackOn  clock.Date `json:"fed_back_on,omitzero"`
	Verdict    Verdict    `json:"verdict,omitempty"`
	VerdictBy  string     `json:"verdict_by,omitempty"` // "rater" (the signed link) or the staff member who recorded a call
	Closed     time.Time  `json:"closed,omitzero"`
	Version    int        `json:"version"`
	Log        []Entry    `json:"log,omitempty"`
}

// Entry is one step made, for the rectification's record (整改台账).
type Entry struct {
	Move   Move      `json:"move"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	ByName string    `json:"by_name"`
	Note   string    `json:"note,omitempty"`
}

// OpenFor opens the rectification of a 差评 rated at the given moment, due in days working days on the clock
// (counted as a case's limit is: from the next working day, clock.Clock.Due).
func OpenFor(r Rating, clk clock.Clock, days int) Rectification {
	if days <= 0 {
		days = DefaultDays
	}
	due := clk.Due(r.RatedAt, clock.WorkingDays, days)
	return Rectification{RatingID: r.ID, Township: r.Township, Step: Open, Opened: r.RatedAt, Days: days,
		DueOn: due, YellowFrom: clk.YellowFrom(days, due), Version: 1}
}

// Done reports a rectification that counts toward 整改率: measures taken and fed back to the rater.
func (x Rectification) Done() bool { return x.Step == FedBack || x.Step == Closed }

// Card is the rectification's card on a day: none once fed back (the clock stopped), else green, yellow
// before the deadline, red after it — the rule of a case's clock (clock.CardOnDays).
func (x Rectification) Card(today clock.Date) clock.Card {
	if x.Done() {
		if x.FedBackOn.After(x.DueOn) {
			return clock.Red // fed back late: stays on the record as overdue
		}
		return ""
	}
	return clock.CardOnDays(today.Int(), x.YellowFrom.Int(), x.DueOn.AddDays(1).Int(), false)
}

// Input is what a step carries.
type Input struct {
	Note    string  `json:"note,omitempty"`
	Verdict Verdict `json:"verdict,omitempty"`
}

// Apply makes a move at a moment by someone; it returns the rectification after it. Every staff step needs its
// note (what was checked, done, told): the record is what a supervisor reads.
func (x Rectification) Apply(m Move, in Input, at time.Time, by, byName string, today clock.Date) (Rectification, error) {
	rule, ok := moves[m]
	if !ok {
		return x, errs.Field("move", "err.rating.move")
	}
	if !slices.Contains(rule.from, x.Step) {
		return x, errs.New(errs.Conflict, "err.rating.step").With("step", string(x.Step))
	}
	if len(in.Note) > MaxNote && utf8.RuneCountInString(in.Note) > MaxNote {
		return x, errs.Field("note", "err.too_long").With("max", strconv.Itoa(MaxNote))
	}
	if m != Revisit && m != NoReach && in.Note == "" {
		return x, errs.Field("note", "err.required")
	}
	next := x
	next.Log = append(slices.Clone(x.Log), Entry{Move: m, At: at, By: by, ByName: byName, Note: in.Note})
	switch m {
	case Verify:
		next.Verified = in.Note
	case Rectify:
		next.Measures = in.Note
	case Feedback:
		next.Feedback, next.FedBackOn = in.Note, today
	case Revisit:
		if !slices.Contains(Verdicts, in.Verdict) {
			return x, errs.Field("verdict", "err.required")
		}
		next.Verdict, next.VerdictBy, next.Closed = in.Verdict, by, at
	case NoReach:
		next.Closed = at
	}
	next.Step = rule.to
	next.Version++
	return next, nil
}
