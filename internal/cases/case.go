// Package cases is the case (办件) and its life: received at any window or station, checked material by
// material, accepted or sent back with one notice of everything missing, handled step by step in the back
// office, decided, issued at the window and delivered (seed 三.(一).1-3; FACTS.md §4-5). The transition
// table in this file is the whole set of moves a case can make, and who may make each.
package cases

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/joint"
)

// Channel is how a case came in.
type Channel string

const (
	AtWindow  Channel = "window"  // the general window of a township center
	ByStation Channel = "station" // a village station, the agent applying for a resident
	Online    Channel = "online"  // the resident's own account
)

// State is where a case stands.
type State string

const (
	Received   State = "received"   // 收件: materials being checked; the clock has not started
	Correction State = "correction" // 补正: one notice of everything missing given; waiting for the applicant
	Accepted   State = "accepted"   // 受理: in the back office at Step; the clock runs
	Suspended  State = "suspended"  // 挂起: a special procedure or a back-office correction; the clock stands
	Decided    State = "decided"    // 办结: granted or denied; the result waits to be issued
	Issued     State = "issued"     // 出件: handed out or sent; waiting for delivery to be confirmed
	Delivered  State = "delivered"  // 送达: closed
	Refused    State = "refused"    // 不予受理: closed, with reasons and remedies
	Terminated State = "terminated" // 终止: closed (owed materials never came, withdrawn)
	Revoked    State = "revoked"    // 撤销: closed, a pledge (告知承诺) proved false (see materials.go)
)

// Closed reports whether nothing more happens to a case in this state.
func (s State) Closed() bool {
	return s == Delivered || s == Refused || s == Terminated || s == Revoked
}

// Action is a move.
type Action string

const (
	AskCorrection Action = "ask_correction" // front desk: one-time notice (一次性告知)
	Resubmit      Action = "resubmit"       // front desk: the applicant brought what was missing
	Accept        Action = "accept"         // front desk: 受理
	AcceptOwed    Action = "accept_owed"    // front desk: 容缺受理, with owed materials and their due date
	Refuse        Action = "refuse"         // front desk: 不予受理
	Pass          Action = "pass"           // back office: the step is done, on to the next
	Return        Action = "return"         // back office: back to the previous step
	Suspend       Action = "suspend"        // back office: special procedure or correction; the clock stops
	Resume        Action = "resume"         // back office: the clock runs again
	// 延期 (行政许可法 第42条): the back office asks, the head of the deciding organ decides.
	RequestExtension Action = "request_extension" // back office: ask for more days, with reasons
	ApproveExtension Action = "approve_extension" // director: the days are added to the limit
	RejectExtension  Action = "reject_extension"  // director: nothing is added
	OwedArrived      Action = "owed_arrived"      // front desk: 容缺 materials brought (owed → original or copy seen)
	Claim            Action = "claim"             // back office: take the case at its step (承办)
	Release          Action = "release"           // back office or director: give it back to the step's pool
	Assign           Action = "assign"            // director: give it to a member of the step's back office
	Decide           Action = "decide"            // back office, last step: grant or deny
	Issue            Action = "issue"             // front desk: hand out or send the result
	Deliver          Action = "deliver"           // front desk: delivery confirmed
	Terminate        Action = "terminate"         // front desk or director: close without a decision
	// 告知承诺 (国办发〔2020〕42号): the follow-up check of the pledges, and revocation when one proved false.
	PledgeChecked Action = "pledge_checked" // back office or director: the 核查 result, confirmed or false
	Revoke        Action = "revoke"         // director: a pledge proved false; the case or the grant is revoked

	// Extend was the director's direct extension before extensions became a request and an approval. No
	// move makes it any more; it stays so that the timelines of cases extended that way still read.
	Extend Action = "extend"
)

// Desk says who acts: the front desk (clerks of the township window), a village station (its agent), the
// back office (reviewers and department staff at the step's organisation), the director of the handling
// township, or the head of the organ that decides.
type Desk string

const (
	Front    Desk = "front"
	Back     Desk = "back"
	Director Desk = "director"
	// Station is a village station's agent: it receives and forwards (代办); 受理 and 不予受理 are acts of
	// the organ (行政许可法 第32条), so none of the organ's acts is the station's (see OrganAct). An item
	// published 嘎查村可直接办理 is concluded at the station: there its agent works as the front desk.
	Station Desk = "station"
	// Head is the head of the organ that decides the case (本行政机关负责人, 行政许可法 第42条): the director
	// of the handling township, or of the banner department whose step decides (Case.DecidingOrg).
	Head Desk = "head"
	// Applicant is the resident at their own account: they hand an application in online (the intake's
	// event); no move of the table is theirs.
	Applicant Desk = "applicant"
)

type move struct {
	from []State
	to   State // "" when the move keeps the state or decides it from the input
	desk []Desk
}

// moves is the transition table.
var moves = map[Action]move{
	AskCorrection:    {from: []State{Received}, to: Correction, desk: []Desk{Front, Station}},
	Resubmit:         {from: []State{Correction}, to: Received, desk: []Desk{Front, Station}},
	Accept:           {from: []State{Received}, to: Accepted, desk: []Desk{Front}},
	AcceptOwed:       {from: []State{Received}, to: Accepted, desk: []Desk{Front}},
	Refuse:           {from: []State{Received, Correction}, to: Refused, desk: []Desk{Front}},
	Pass:             {from: []State{Accepted}, desk: []Desk{Back}},
	Return:           {from: []State{Accepted}, desk: []Desk{Back}},
	Suspend:          {from: []State{Accepted}, to: Suspended, desk: []Desk{Back}},
	Resume:           {from: []State{Suspended}, to: Accepted, desk: []Desk{Back}},
	RequestExtension: {from: []State{Accepted, Suspended}, desk: []Desk{Back}},
	ApproveExtension: {from: []State{Accepted, Suspended}, desk: []Desk{Head}},
	RejectExtension:  {from: []State{Accepted, Suspended}, desk: []Desk{Head}},
	OwedArrived:      {from: []State{Accepted, Suspended, Decided}, desk: []Desk{Front}},
	Claim:            {from: []State{Accepted, Suspended}, desk: []Desk{Back}},
	Release:          {from: []State{Accepted, Suspended}, desk: []Desk{Back, Director}},
	Assign:           {from: []State{Accepted, Suspended}, desk: []Desk{Director}},
	Decide:           {from: []State{Accepted}, to: Decided, desk: []Desk{Back}},
	Issue:            {from: []State{Decided}, to: Issued, desk: []Desk{Front, Station}},
	Deliver:          {from: []State{Issued}, to: Delivered, desk: []Desk{Front, Station}},
	Terminate:        {from: []State{Received, Correction, Accepted, Suspended}, to: Terminated, desk: []Desk{Front, Station, Director}},
	// 告知承诺 核查 and, when a pledge proves false, revocation by the organ that decided (行政许可法 第69条)
	PledgeChecked: {from: afterAcceptance, desk: []Desk{Back, Director, Head}},
	// joint handling (joint.go): a parallel step's bodies and its lead, a countersign's signers
	Opinion:    {from: []State{Accepted}, desk: []Desk{Back}},
	LeadDecide: {from: []State{Accepted}, desk: []Desk{Back}},
	Sign:       {from: []State{Accepted}, desk: []Desk{Back}},
	Revoke:     {from: afterAcceptance, to: Revoked, desk: []Desk{Head}},
}

// Actions lists every action, for the table's test.
var Actions = []Action{AskCorrection, Resubmit, Accept, AcceptOwed, Refuse, Pass, Return, Suspend, Resume, RequestExtension,
	ApproveExtension, RejectExtension, OwedArrived, Claim, Release, Assign, Decide, Issue, Deliver, Terminate, PledgeChecked, Revoke,
	Opinion, LeadDecide, Sign}

// Allowed reports whether a desk may make a move from a state. Once a case is accepted, only the handling
// township's director may end it without a decision: the receiving window (perhaps another township, perhaps
// the applicant's own village agent) no longer can.
func Allowed(from State, a Action, d Desk) bool {
	m, ok := moves[a]
	if a == Terminate && (d == Front || d == Station) && from != Received && from != Correction {
		return false
	}
	return ok && slices.Contains(m.from, from) && slices.Contains(m.desk, d)
}

// Check of one material at the window.
type Check string

const (
	SeenOriginal Check = "original"  // 原件已核验
	SeenCopy     Check = "copy"      // 复印件已收
	Scanned      Check = "scanned"   // 已扫描
	Missing      Check = "missing"   // 缺
	Defective    Check = "defective" // 有误
	Owed         Check = "owed"      // 容缺后补
	Pledged      Check = "pledged"   // 告知承诺代替
	Electronic   Check = "file"      // 电子材料已核验: seen on screen, the files that stand for it recorded
)

// MaterialCheck is what the window found of one material.
type MaterialCheck struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Check    Check  `json:"check"`
	Note     string `json:"note,omitempty"`
	// what the item says of the material, set with Required from the item (never from the form): it may be
	// owed (容缺后补), it is a proof a pledge may replace (告知承诺, 证明事项)
	Deferrable bool `json:"deferrable,omitempty"`
	Pledgeable bool `json:"pledgeable,omitempty"`
	// Files are the electronic materials (ids of the case's files) that stand for this material, as the
	// window recorded them at its check.
	Files []string `json:"files,omitempty"`
}

// Checks lists the values a material check may take.
var Checks = []Check{SeenOriginal, SeenCopy, Scanned, Electronic, Missing, Defective, Owed, Pledged, NotApplicable}

// Reconcile sets the window's checks against the materials the item asks for (names and whether each is
// required, deferrable or pledgeable come from the item, never from the form): a material not checked is left
// unchosen (the move's rules refuse it, naming it, unless it stays as verified); a name the item does not ask
// for, or an unknown check, is refused.
func Reconcile(asked []MaterialCheck, submitted []MaterialCheck) ([]MaterialCheck, error) {
	var l errs.List
	byName := map[string]MaterialCheck{}
	for i, m := range submitted {
		f := "materials[" + strconv.Itoa(i) + "]"
		if !slices.ContainsFunc(asked, func(a MaterialCheck) bool { return a.Name == m.Name }) {
			l.Add(errs.Field(f, "err.case.unknown_material").With("name", m.Name))
		}
		if m.Check != "" && !slices.Contains(Checks, m.Check) {
			l.Add(errs.Field(f, "err.item.code_set").With("name", m.Name))
		}
		byName[m.Name] = m
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	out := make([]MaterialCheck, len(asked))
	for i, a := range asked {
		m, ok := byName[a.Name]
		if !ok {
			m = MaterialCheck{Name: a.Name}
		}
		m.Required, m.Deferrable, m.Pledgeable = a.Required, a.Deferrable, a.Pledgeable
		out[i] = m
	}
	return out, nil
}

// Lacking reports whether the material stands in the way of acceptance.
func (m MaterialCheck) Lacking() bool { return m.Check == Missing || m.Check == Defective }

// Step is the item's process step as the case follows it.
type Step struct {
	Name    string `json:"name"`
	Role    string `json:"role"`  // clerk, reviewer, department
	Level   int    `json:"level"` // 5 township, 4 banner
	Special string `json:"special,omitempty"`
	// the step's own limit from the item's process (0 days and no unit: none)
	Unit clock.Unit `json:"unit,omitempty"`
	Days int        `json:"days,omitempty"`
	// joint handling, resolved at intake from the item (joint.go): the bodies' opinions, the signatures
	Parallel    *joint.Parallel    `json:"parallel,omitempty"`
	Countersign *joint.Countersign `json:"countersign,omitempty"`
}

// StepsOf is the steps a case received for an item takes from the item's version: its process as the item
// states it (a delegation or joint handling may then change them on the case, which keeps its own from
// receipt on). A case's row leaves out steps that are exactly these and reads them back from the version,
// which never changes once published (issue 18: they were a fifth of what a case kept).
func StepsOf(item []catalog.Step) []Step {
	steps := make([]Step, len(item))
	for i, st := range item {
		steps[i] = Step{Name: st.Name, Role: st.Role, Level: st.Level, Special: st.Special,
			Unit: clock.Unit(st.Limit.Unit), Days: st.Limit.Value}
	}
	return steps
}

// Suspension of the clock, with its kind and reason.
type Suspension struct {
	clock.Suspension
	Reason string `json:"reason"`
	// Step names the special step (特别程序) whose time this is, when the step stood the clock by itself.
	Step string `json:"step,omitempty"`
}

// Decision of the back office.
type Decision struct {
	Grant   bool      `json:"grant"`
	Reasons string    `json:"reasons"`
	At      time.Time `json:"at"`
}

// Delivery of the result. An electronic result's code is kept apart from the case (store.SetResultCode):
// the case document goes to every case reader, into notices and into the audit trail.
type Delivery struct {
	Method   string    `json:"method"` // window, post, electronic, station (ViaStation)
	Tracking string    `json:"tracking,omitempty"`
	At       time.Time `json:"at,omitzero"`
}

// ExtensionRequest is the back office's request for more days, waiting for the director.
type ExtensionRequest struct {
	Days   int       `json:"days"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// StatutoryExtension is the most working days a case may be extended beyond its limit: 行政许可法 第42条,
// "经本机关负责人批准，可以延长十日" (FACTS.md §4.1), unless a law says otherwise (Case.ExtensionCap).
const StatutoryExtension = 10

// ExtensionLimit is the case's cap on extensions, in working days: a law's own cap for the item when one
// is recorded on the case, else 第42条's ten days.
func (c Case) ExtensionLimit() int {
	if c.ExtensionCap > 0 {
		return c.ExtensionCap
	}
	return StatutoryExtension
}

// ExtensionLeft is how many more working days may still be approved.
func (c Case) ExtensionLeft() int { return max(0, c.ExtensionLimit()-c.Extension) }

// checkExtension is the cap as a rule: days must be at least one and fit in what is left.
func (c Case) checkExtension(days int) *errs.Error {
	limit := strconv.Itoa(c.ExtensionLimit())
	switch {
	case days < 1:
		return errs.Field("days", "err.case.extension_days").With("max", limit)
	case days > c.ExtensionLeft():
		return errs.Field("days", "err.case.extension_cap").With("max", limit).With("left", strconv.Itoa(c.ExtensionLeft()))
	}
	return nil
}

// Case is one application.
type Case struct {
	ID          string  `json:"id"`
	No          string  `json:"no"`
	ItemID      string  `json:"item_id"`
	ItemVersion int     `json:"item_version"`
	ItemName    string  `json:"item_name"`
	ItemNameMn  string  `json:"item_name_mn,omitempty"`
	Channel     Channel `json:"channel"`
	Receiving   string  `json:"receiving"` // organisation that received it (收件地)
	Handling    string  `json:"handling"`  // organisation that decides it (办理地)
	// the township of the receiving organisation, the person who received, and the item's department:
	// fixed at intake, they place the case in the supervision figures
	ReceivingTownship string `json:"receiving_township,omitempty"`
	ReceivedBy        string `json:"received_by,omitempty"`
	Department        string `json:"department,omitempty"`
	ApplicantID       string `json:"applicant_id"`
	Bundle            string `json:"bundle,omitempty"` // the intake of a bundle (一件事) this case is one item of
	// Delegation is the delegation (赋权, internal/delegation) in force on the day the case was received, whose
	// steps it took: the township handles what the department did (the seed 四.(一)); "" when none.
	Delegation  string          `json:"delegation,omitempty"`
	AgentID     string          `json:"agent_id,omitempty"`      // the village agent applying on the resident's behalf
	Authorised  string          `json:"authorisation,omitempty"` // how the resident authorised the agent (委托书 ...)
	State       State           `json:"state"`
	Steps       []Step          `json:"steps"`
	Step        int             `json:"step"`
	StepSince   time.Time       `json:"step_since,omitzero"` // when the current step began, for the step's card
	Assignee    string          `json:"assignee,omitempty"`  // who has taken the case at its step (承办人); "" for the step's pool
	Corrected   bool            `json:"corrected,omitempty"` // a correction notice was given (not first-time)
	Materials   []MaterialCheck `json:"materials"`
	Received    time.Time       `json:"received"`
	Accepted    time.Time       `json:"accepted,omitzero"`
	LimitUnit   clock.Unit      `json:"limit_unit"`
	LimitDays   int             `json:"limit_days"`
	OwedBy      clock.Date      `json:"owed_by,omitzero"`
	Suspensions []Suspension    `json:"suspensions,omitempty"`
	Extension   int             `json:"extension,omitempty"` // days approved beyond the limit, in ExtensionUnit
	// ExtensionUnit is the unit extensions are counted in, from the item at intake: working days for a
	// 行政许可 (第82条) or when the item says nothing (clocks.go).
	ExtensionUnit clock.Unit `json:"extension_unit,omitempty"`
	// The clocks before and after the decision (clocks.go): when the intake clock last started, the day the
	// window answered late, the receipt a late acceptance counts from, the day a result was delivered late.
	IntakeSince time.Time  `json:"intake_since,omitzero"`
	LateIntake  clock.Date `json:"late_intake,omitzero"`
	DeemedFrom  time.Time  `json:"deemed_from,omitzero"`
	LateIssue   clock.Date `json:"late_issue,omitzero"`
	// ExtensionCap is a law's own cap on extensions for this item (0: 行政许可法 第42条, ten working days).
	ExtensionCap int `json:"extension_cap,omitempty"`
	// ExtensionRequest is a request waiting for the director; there is at most one.
	ExtensionRequest *ExtensionRequest `json:"extension_request,omitempty"`
	Decision         *Decision         `json:"decision,omitempty"`
	Delivery         *Delivery         `json:"delivery,omitempty"`
	Refusal          string            `json:"refusal,omitempty"`
	Version          int               `json:"version"`

	// the one-time notice and what follows it, 告知承诺 and its check: see materials.go
	MaterialRules

	// Form holds the values of the item's application form (申请表) as filled at intake, by field key
	// (catalog.FillForm); they travel with the case to the back office.
	Form map[string]string `json:"form,omitempty"`

	// Standing is the case's deadline standing, filled in before the case is stored (see StandingOn); it is
	// kept beside the document, not in it.
	Standing Standing `json:"-"`

	// StationHandles marks a case received at a village station for an item published 嘎查村可直接办理: the
	// station concludes it (organ.go); any other station case is only received and forwarded there.
	StationHandles bool `json:"station_handles,omitempty"`

	// Proxy is how a station applied (代办, 协办, 代理: proxy.go); Helped marks an applicant recorded as needing
	// help (帮办: elderly, disabled ...) when the case was received, which puts it first in the desk's queue.
	Proxy
	Helped bool `json:"helped,omitempty"`
	// WaitsFor is the case of the same bundle whose grant this one waits for (waits.go).
	WaitsFor string `json:"waits_for,omitempty"`
	// Linked marks a case of an ad-hoc 联合办理 started at the window (internal/joint/linked.go): Bundle holds
	// the link, as for a bundle's intake; IssueApart says its results are not held to be issued together.
	Linked     bool `json:"linked,omitempty"`
	IssueApart bool `json:"issue_apart,omitempty"`
}

// Input carries what a move needs beyond its name.
type Input struct {
	Materials []MaterialCheck `json:"materials,omitempty"` // ask_correction, accept, accept_owed: the window's checks; owed_arrived: the owed ones brought
	OwedBy    clock.Date      `json:"owed_by,omitzero"`    // accept_owed
	Assignee  string          `json:"assignee,omitempty"`  // assign: the member of staff; claim: the one claiming (set by the service)
	Reason    string          `json:"reason,omitempty"`    // refuse, suspend, terminate, decide (reasons), extend
	Kind      string          `json:"kind,omitempty"`      // suspend: 补正, 听证, 检验, 鉴定, 专家评审, 公示, 其他
	Days      int             `json:"days,omitempty"`      // request_extension
	Grant     bool            `json:"grant,omitempty"`     // decide
	Method    string          `json:"method,omitempty"`    // issue: window, post, electronic
	Tracking  string          `json:"tracking,omitempty"`  // issue by post
	CheckBy   clock.Date      `json:"check_by,omitzero"`   // accept, accept_owed with pledges: the 核查 due date
	Result    string          `json:"result,omitempty"`    // pledge_checked: confirmed, false
	Verdict   string          `json:"verdict,omitempty"`   // opinion, lead_decide: pass, return, deny
	Agree     bool            `json:"agree,omitempty"`     // sign: signs (true) or refuses
	// set by the service from who acts, never from the form: the body an opinion is of, the signer's place
	Body     string `json:"-"`
	BodyName string `json:"-"`
	By       string `json:"-"`
	ByName   string `json:"-"`
	Signer   int    `json:"-"`
}

// SuspendKinds are the kinds of a back-office suspension: 补正, every procedure 行政许可法 第45条 names
// ("听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审"), 公示, and 其他. They are the catalog's special steps
// (catalog.SpecialKinds) with 补正: a step the catalog names stands the clock under its own kind.
var SuspendKinds = []string{"补正", "听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审", "公示", "其他"}

// Event is the record of one move, for the timeline and the audit trail.
type Event struct {
	Action Action    `json:"action"`
	From   State     `json:"from"`
	To     State     `json:"to"`
	Step   int       `json:"step"`
	At     time.Time `json:"at"`
	Desk   Desk      `json:"desk"`
	Note   string    `json:"note,omitempty"`
}

// Apply makes a move at now by a desk, changing the case, and returns the event. It checks the table, then
// the move's own rules; a refused move leaves the case as it was.
func (c *Case) Apply(a Action, d Desk, in Input, now time.Time, clk clock.Clock) (Event, error) {
	if c.State.Closed() && !(c.State == Delivered && (a == PledgeChecked || a == Revoke)) {
		return Event{}, errs.New(errs.Conflict, "err.case.closed")
	}
	if d == Station && OrganAct(a) {
		return Event{}, StationRefusal(a)
	}
	if !Allowed(c.State, a, d) {
		return Event{}, errs.New(errs.Forbidden, "err.case.move").With("action", string(a)).With("state", string(c.State))
	}
	next := *c
	ev := Event{Action: a, From: c.State, At: now, Desk: d, Step: c.Step}
	var l errs.List
	checkReason(a, in, &l) // reasons.go: where the law requires reasons
	if e := c.heldByJoint(a); e != nil {
		return Event{}, e
	}
	switch a {
	case AskCorrection:
		next.Materials = c.windowCheck(a, in.Materials, &l)
		c.noticeOnce(&next, &l)
	case Resubmit:
		next.Materials = c.resubmitted() // what was verified stays; what the notice asked for is checked again
	case Accept, AcceptOwed:
		next.Materials = c.windowCheck(a, in.Materials, &l)
		if len(in.Materials) == 0 {
			l.Add(errs.Field("materials", "err.required"))
		}
		next.Pledge = pledgeAt(next.Materials, in.CheckBy, now, clk, &l)
		if a == AcceptOwed {
			if !slices.ContainsFunc(in.Materials, func(m MaterialCheck) bool { return m.Check == Owed }) {
				l.Add(errs.Field("materials", "err.case.nothing_owed"))
			}
			checkOwedBy(in.OwedBy, clock.DateOf(now.In(clk.Rules.Location)), &l) // owed.go
			next.OwedBy = in.OwedBy
		}
		// Acceptance completes the window's own steps: the case goes to the first back-office step.
		next.Accepted, next.Step, next.StepSince = now, FirstBackStep(c.Steps), now
	case Refuse:
		next.Refusal = in.Reason
	case Pass:
		if c.submitForSignature(&next) { // a countersign step: submitted for signature, it stays (joint.go)
			break
		}
		if c.Step+1 >= len(c.Steps) {
			l.Add(errs.Field("step", "err.case.last_step"))
		}
		next.Step, next.StepSince, next.Assignee = c.Step+1, now, "" // a new step, new hands
	case Return:
		if c.Step == 0 {
			l.Add(errs.Field("step", "err.case.first_step"))
		}
		next.Step, next.StepSince, next.Assignee = c.Step-1, now, ""
	case Claim:
		if c.Assignee != "" {
			l.Add(errs.New(errs.Conflict, "err.case.claimed"))
		}
		next.Assignee = in.Assignee
	case Release:
		if c.Assignee == "" {
			l.Add(errs.New(errs.Conflict, "err.case.not_claimed"))
		}
		next.Assignee = ""
	case Assign:
		if in.Assignee == "" {
			l.Add(errs.Field("assignee", "err.required"))
		}
		next.Assignee = in.Assignee
	case Suspend:
		if !slices.Contains(SuspendKinds, in.Kind) {
			l.Add(errs.Field("kind", "err.item.code_set"))
		}
		day := clock.DateOf(now.In(clk.Rules.Location))
		next.Suspensions = append(slices.Clone(c.Suspensions), Suspension{Suspension: clock.Suspension{Kind: in.Kind, From: day}, Reason: in.Reason})
	case Resume:
		// The clock runs again from the resume day: the suspension's last day is the day before. A
		// suspension that did not last a whole day leaves nothing.
		next.Suspensions = slices.Clone(c.Suspensions)
		last := &next.Suspensions[len(next.Suspensions)-1]
		last.To = clock.DateOf(now.In(clk.Rules.Location)).AddDays(-1)
		if last.To.Before(last.From) {
			next.Suspensions = next.Suspensions[:len(next.Suspensions)-1]
		}
	case RequestExtension:
		if e := c.checkExtendable(); e != nil {
			return Event{}, e
		}
		if c.ExtensionRequest != nil {
			return Event{}, errs.New(errs.Conflict, "err.case.extension_pending")
		}
		if e := c.checkExtension(in.Days); e != nil {
			l.Add(e)
		}
		next.ExtensionRequest = &ExtensionRequest{Days: in.Days, Reason: strings.TrimSpace(in.Reason), At: now}
	case ApproveExtension, RejectExtension:
		req := c.ExtensionRequest
		if req == nil {
			return Event{}, errs.New(errs.Conflict, "err.case.no_extension_request")
		}
		if a == ApproveExtension {
			// checked again: the cap is the law's, whatever was asked
			if e := c.checkExtension(req.Days); e != nil {
				l.Add(e)
			}
			next.Extension = c.Extension + req.Days
			if strings.TrimSpace(in.Reason) == "" {
				in.Reason = req.Reason // the reasons the applicant is told (第42条: 并告知理由)
			}
		}
		next.ExtensionRequest = nil
	case OwedArrived:
		if len(in.Materials) == 0 {
			l.Add(errs.Field("materials", "err.required"))
		}
		next.Materials = slices.Clone(c.Materials)
		var names []string
		for i, m := range in.Materials {
			f := "materials[" + strconv.Itoa(i) + "]"
			j := slices.IndexFunc(next.Materials, func(x MaterialCheck) bool { return x.Name == m.Name && x.Check == Owed })
			if j < 0 {
				l.Add(errs.Field(f, "err.case.not_owed").With("name", m.Name))
				continue
			}
			if m.Check != SeenOriginal && m.Check != SeenCopy {
				l.Add(errs.Field(f, "err.case.arrived_check").With("name", m.Name))
				continue
			}
			next.Materials[j].Check = m.Check
			if m.Note != "" {
				next.Materials[j].Note = m.Note
			}
			names = append(names, m.Name)
		}
		if !slices.ContainsFunc(next.Materials, func(m MaterialCheck) bool { return m.Check == Owed }) {
			next.OwedBy = clock.Date{} // all brought: the case is no longer 容缺, nor overdue
		}
		if strings.TrimSpace(in.Reason) == "" {
			in.Reason = strings.Join(names, "、")
		}
	case Decide:
		if c.Step != len(c.Steps)-1 {
			l.Add(errs.Field("step", "err.case.not_last_step"))
		}
		next.Decision = &Decision{Grant: in.Grant, Reasons: in.Reason, At: now}
		next.ExtensionRequest = nil // decided within the limit: a waiting request has nothing left to extend
	case Issue:
		if !slices.Contains([]string{"window", "post", "electronic", ViaStation}, in.Method) {
			l.Add(errs.Field("method", "err.item.code_set"))
		}
		if in.Method == ViaStation && c.Channel != ByStation { // the way back goes where the case came from
			l.Add(errs.Field("method", "err.case.not_station_case"))
		}
		if in.Method == "post" && strings.TrimSpace(in.Tracking) == "" {
			l.Add(errs.Field("tracking", "err.required"))
		}
		next.Delivery = &Delivery{Method: in.Method, Tracking: in.Tracking}
	case Deliver:
		d := *c.Delivery
		d.At = now
		next.Delivery = &d
	case Terminate:
		next.Refusal = in.Reason
	case PledgeChecked, Revoke:
		c.pledgeMove(a, in, now, &next, &l)
	case Opinion, LeadDecide, Sign:
		c.jointMove(a, in, now, &next, &l)
	}
	if err := l.Err(); err != nil {
		return Event{}, err
	}
	if to := moves[a].to; to != "" {
		next.State = to
	}
	if next.State == Accepted && (next.Step != c.Step || a == Accept || a == AcceptOwed) {
		next.enterStep(now) // a parallel step's round begins (joint.go)
	}
	next.keepClocks(*c, a, now, clk)
	next.Version = c.Version + 1
	ev.To, ev.Step, ev.Note = next.State, next.Step, in.Reason
	*c = next
	return ev, nil
}

// Ready reports whether a move the table allows has something to work on now: a request for an extension
// when none waits and days are left, a decision on one when one waits, arrivals when materials are owed.
// Queues and pages offer only the moves that are ready.
func (c Case) Ready(a Action) bool {
	switch a {
	case RequestExtension:
		return c.Extendable() && c.ExtensionRequest == nil && c.ExtensionLeft() > 0
	case ApproveExtension, RejectExtension:
		return c.ExtensionRequest != nil
	case OwedArrived:
		return len(c.OwedMaterials()) > 0
	case Claim:
		return c.Assignee == "" && c.heldByJoint(Claim) == nil
	case Release:
		return c.Assignee != ""
	case PledgeChecked, Revoke:
		return c.pledgeReady(a)
	case Decide: // only the last step decides (Apply refuses it before)
		return c.Step == len(c.Steps)-1
	case Opinion, LeadDecide, Sign, Pass, Return:
		return c.jointReady(a)
	}
	return true
}

// HeldBy reports whether a back-office move by someone is held back because another has taken the case.
func (c Case) HeldBy(actorID string, a Action, d Desk) bool {
	return d == Back && c.Assignee != "" && c.Assignee != actorID && a != Claim
}

// OwedMaterials lists the materials still owed (容缺后补).
func (c Case) OwedMaterials() []MaterialCheck {
	var out []MaterialCheck
	for _, m := range c.Materials {
		if m.Check == Owed {
			out = append(out, m)
		}
	}
	return out
}

// OwedOverdue reports a 容缺 case whose owed materials were not brought by their date: it is flagged, and the
// front desk or the director may terminate it (终止办理).
func (c Case) OwedOverdue(today clock.Date) bool {
	if c.OwedBy.IsZero() || c.State.Closed() || !c.OwedBy.Before(today) {
		return false
	}
	return slices.ContainsFunc(c.Materials, func(m MaterialCheck) bool { return m.Check == Owed })
}

// Due is the case's deadline: its limit counted from acceptance (or from the receipt, for a case deemed
// accepted: clocks.go), moved by suspensions and extensions.
func (c Case) Due(clk clock.Clock, today clock.Date) (clock.Date, bool) {
	if c.Accepted.IsZero() {
		return clock.Date{}, false
	}
	susp := make([]clock.Suspension, len(c.Suspensions))
	for i, s := range c.Suspensions {
		susp[i] = s.Suspension
	}
	return clk.Deadline(c.DecisionStart(), c.LimitUnit, c.LimitDays, susp, c.ExtensionIn(), today), true
}

// IssueTogether checks that the cases of one bundle may be issued: every one decided. A bundle's results are
// handed out together (一件事: one window, one trip).
// Cases of the bundle that were refused or terminated do not hold the others back.
func IssueTogether(siblings []Case) error {
	decided := 0
	for _, c := range siblings {
		switch {
		case c.State == Decided:
			decided++
		case !c.State.Closed():
			return errs.New(errs.Conflict, "err.case.bundle_not_ready").With("item", c.ItemName)
		}
	}
	if decided == 0 {
		return errs.New(errs.Conflict, "err.case.bundle_not_ready").With("item", "")
	}
	return nil
}

// FirstBackStep is the index of the first step not done at the window (0 when all are).
func FirstBackStep(steps []Step) int {
	for i, s := range steps {
		if s.Role != "clerk" {
			return i
		}
	}
	return 0
}

// Desks lists the desks that may make a move.
func Desks(a Action) []Desk { return moves[a].desk }

// StepDesk says which desk works a step: the front desk for the window's own steps, the back office for the
// others.
func StepDesk(s Step) Desk {
	if s.Role == "clerk" {
		return Front
	}
	return Back
}
