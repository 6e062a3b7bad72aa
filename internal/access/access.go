// Package access decides who may do what where. A staff account has one role and is bound to one
// organisation; a permission reaches that organisation's subtree and nothing else. This file is the whole
// rule: the role table, and Can.
package access

import (
	"slices"

	"bianmin/internal/errs"
	"bianmin/internal/org"
)

// Role is a staff member's job in Bianmin (MISSION.md, "Who uses it").
type Role string

const (
	Clerk      Role = "clerk"      // 综合受理员, township general window
	Reviewer   Role = "reviewer"   // 审办员, back office
	Agent      Role = "agent"      // 代办员, village station
	Director   Role = "director"   // center director
	Department Role = "department" // banner department staff
	Supervisor Role = "supervisor" // 政务服务局 / 监察: reads, never changes
	Admin      Role = "admin"      // administrator of a banner or region
	// Translator is a native Mongolian reviewer (蒙古文译审员): composes, corrects and accepts the Mongolian of
	// the strings owned within their organisation (a banner's: the interface, the catalog and every name; a
	// township's: its own villages, stations and windows).
	Translator Role = "translator"
)

// Roles in the order the UI lists them.
var Roles = []Role{Clerk, Reviewer, Agent, Director, Department, Supervisor, Admin, Translator}

func (r Role) Valid() bool {
	_, ok := grants[r]
	return ok
}

// Action is one thing a person can ask Bianmin to do.
type Action string

const (
	OrgRead           Action = "org.read"
	OrgEdit           Action = "org.edit"   // names, windows, abbreviations
	OrgImport         Action = "org.import" // division files
	StaffRead         Action = "staff.read"
	StaffManage       Action = "staff.manage"
	ApplicantRead     Action = "applicant.read"      // masked personal data
	ApplicantReadFull Action = "applicant.read_full" // unmasked: front desk and village agents only
	ApplicantWrite    Action = "applicant.write"
	ApplicantOverride Action = "applicant.override" // accept a credit code that fails its check digit
	TranslationEdit   Action = "translation.edit"
	// TranslationReview accepts a Mongolian as right (status reviewed) and reverts changes; composing is
	// TranslationEdit.
	TranslationReview Action = "translation.review"
	AuditRead         Action = "audit.read"
	CatalogEdit       Action = "catalog.edit"     // items of one's own department (or all, for administrators)
	CatalogPublish    Action = "catalog.publish"  // publish and retire item versions
	SupervisionRead   Action = "supervision.read" // the supervision dashboard and its cases
	OrderIssue        Action = "order.issue"      // 督办, 催办: an order on a case, a window or a person (internal/oversight)
	OrderAnswer       Action = "order.answer"     // answer an order addressed to one's organisation
	// The electronic materials of a case (issue 13): read by whoever may read the case (the back office too,
	// without the applicant's file names: 受办分离); attached by the front desk and the village station.
	CaseFileRead   Action = "case.file.read"
	CaseFileAttach Action = "case.file.attach"
	// Village stations (issue 13): a standing authorisation (代理) is the station's own paper; the lists of
	// originals and results travel between a station and its township's front desk; 帮办 marks are health
	// information (个人信息保护法 第28条), so only the front desk and the station read or write them, never an
	// administrator or supervisor (who see counts); home visits are made by a station or a center.
	StandingWrite Action = "standing.write"
	StationLists  Action = "station.lists"
	NeedsRead     Action = "needs.read"
	NeedsWrite    Action = "needs.write"
	VisitWrite    Action = "visit.write"
	// HallOperate is the hall's front desk: sign on at a window, call tickets, issue them at the reception
	// desk, book and check in appointments by phone. Clerks and directors of the center's township.
	HallOperate Action = "hall.operate"
	HoursEdit   Action = "hours.edit" // a center's or station's opening hours

	// The hall's enquiry register and 好差评 (internal/enquiry, internal/rating). Reading a rating is reading
	// what was said and of what; who said it is no action's: staff never read the rater (国办发〔2019〕51号).
	EnquiryRead   Action = "enquiry.read"
	EnquiryWrite  Action = "enquiry.write"  // record, answer, hand over, link to a case (front desk)
	RatingRead    Action = "rating.read"    // ratings' content, rectifications, appeals
	RatingEnter   Action = "rating.enter"   // pair an evaluator tablet, ask it for a rating, type in a 书面评价表
	RatingRectify Action = "rating.rectify" // 核实, 整改, 反馈 of a 差评
	RatingAppeal  Action = "rating.appeal"  // appeal a rating believed mistaken or malicious
	RatingDecide  Action = "rating.decide"  // decide an appeal (申诉复核): supervisors

	// Delegated powers (issue 14, internal/delegation; the seed 四.(一), 四.(二)). A delegation, its pairs, the
	// help requests addressed to a department and its inspection rounds belong to the department (its path);
	// the township's side (readiness, questions, rectifications) to the township. Reading reaches either side.
	DelegationManage  Action = "delegation.manage"  // delegate, the checklist, the hand-over, pause, revoke, pairs
	DelegationRead    Action = "delegation.read"    // delegations, pairs, the guidance period's figures
	DelegationReady   Action = "delegation.ready"   // the township director confirms readiness
	HelpAsk           Action = "help.ask"           // a township handler asks for help
	HelpAnswer        Action = "help.answer"        // the department answers (its staff, its head on escalation)
	HelpRead          Action = "help.read"          // read requests of one's side
	GuidanceComment   Action = "guidance.comment"   // comment on a case in the guidance period (delegation.Guide)
	InspectionManage  Action = "inspection.manage"  // plan rounds, record visits, check rectifications
	InspectionRectify Action = "inspection.rectify" // the township rectifies a finding
	InspectionRead    Action = "inspection.read"
	// The people of the hall (issue 11, internal/roster; the seed 三.(一).5 and 三.(四)): the director makes
	// the roster and decides leave; everyone of the hall asks for their own leave, signs in and declares
	// relations (回避); others' attendance and the coverage of the hall are read by the director and the
	// supervising office.
	RosterEdit     Action = "people.roster.edit"
	RosterRead     Action = "people.roster.read"
	LeaveRequest   Action = "people.leave.request"
	LeaveDecide    Action = "people.leave.decide"
	AttendanceSign Action = "people.attendance.sign"
	AttendanceRead Action = "people.attendance.read" // others' attendance; one's own is always one's own
	CoverageRead   Action = "people.coverage.read"
	RecusalDeclare Action = "people.recusal.declare"
	BoardEdit      Action = "people.board.edit" // publish the 六有 board's documents of a center
	// The complaint register (internal/complaint). Who complained is no action's: staff never read the
	// complainant (国办发〔2019〕51号, as for raters). Reading reaches the complaints a subtree answers or received;
	// answering and extending are the responsible body's (谁办理、谁负责): a township's director, a department.
	ComplaintRead   Action = "complaint.read"
	ComplaintWrite  Action = "complaint.write"  // record one received at a window or station, typed in from a call, or from a 差评
	ComplaintAnswer Action = "complaint.answer" // answer, extend with reasons
	// CaseHandover hands a case to the competent body (转办, internal/joint) and answers one handed to it: the
	// front desk and the director of a township on either side; a banner department's staff and head, for
	// the cases whose banner steps it works and those handed to it.
	CaseHandover Action = "case.handover"
	// UpstreamManage sets up receivers (the upper platform, local systems' webhooks) for an organisation's
	// subtree, switches classes of personal data off for them, reads their delivery logs and resends parked
	// records (issue 15). Administrators: what leaves Bianmin is the region's decision.
	UpstreamManage Action = "upstream.manage"
)

// Actions lists every action, for the permission matrix and its test.
var Actions = []Action{OrgRead, OrgEdit, OrgImport, StaffRead, StaffManage, ApplicantRead, ApplicantReadFull,
	ApplicantWrite, ApplicantOverride, TranslationEdit, AuditRead, CatalogEdit, CatalogPublish, SupervisionRead, OrderIssue, OrderAnswer,
	CaseFileRead, CaseFileAttach, StandingWrite, StationLists, NeedsRead, NeedsWrite, VisitWrite, HallOperate, HoursEdit,
	TranslationReview, EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingRectify, RatingAppeal, RatingDecide,
	DelegationManage, DelegationRead, DelegationReady, HelpAsk, HelpAnswer, HelpRead, GuidanceComment, InspectionManage, InspectionRectify, InspectionRead,
	RosterEdit, RosterRead, LeaveRequest, LeaveDecide, AttendanceSign, AttendanceRead, CoverageRead, RecusalDeclare, BoardEdit,
	ComplaintRead, ComplaintWrite, ComplaintAnswer, CaseHandover,
	UpstreamManage}

var grants = map[Role][]Action{
	Clerk: {OrgRead, ApplicantRead, ApplicantReadFull, ApplicantWrite, OrderAnswer, CaseFileRead, CaseFileAttach, StationLists, NeedsRead, NeedsWrite, VisitWrite,
		HallOperate, EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingRectify, RatingAppeal, DelegationRead, HelpAsk, HelpRead, InspectionRead,
		RosterRead, LeaveRequest, AttendanceSign, RecusalDeclare, ComplaintRead, ComplaintWrite, CaseHandover},
	Agent: {OrgRead, ApplicantRead, ApplicantReadFull, ApplicantWrite, OrderAnswer, CaseFileRead, CaseFileAttach, StandingWrite, StationLists, NeedsRead, NeedsWrite, VisitWrite,
		EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingAppeal, RecusalDeclare, ComplaintRead, ComplaintWrite,
		// a station's agents are rostered at their station (issue 11): they read its roster, sign in there and
		// ask for their leave with a substitute
		RosterRead, LeaveRequest, AttendanceSign},
	Reviewer: {OrgRead, ApplicantRead, OrderAnswer, CaseFileRead, EnquiryRead, RatingRead, DelegationRead, HelpAsk, HelpRead, InspectionRead,
		RosterRead, LeaveRequest, AttendanceSign, RecusalDeclare},
	Department: {OrgRead, ApplicantRead, CatalogEdit, OrderAnswer, CaseFileRead, DelegationManage, DelegationRead, HelpAnswer, HelpRead, GuidanceComment,
		InspectionManage, InspectionRead, RecusalDeclare, ComplaintRead, ComplaintAnswer, CaseHandover},
	Director: {OrgRead, OrgEdit, StaffRead, StaffManage, ApplicantRead, ApplicantReadFull, ApplicantWrite, ApplicantOverride, SupervisionRead,
		OrderIssue, OrderAnswer, CaseFileRead, CaseFileAttach, StationLists, NeedsRead, NeedsWrite, VisitWrite, HallOperate, HoursEdit,
		EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingRectify, RatingAppeal,
		// a township's director confirms readiness and rectifies findings; a department's head (本部门负责人)
		// answers the help requests escalated to it
		DelegationRead, DelegationReady, HelpAsk, HelpAnswer, HelpRead, InspectionRectify, InspectionRead,
		RosterEdit, RosterRead, LeaveRequest, LeaveDecide, AttendanceSign, AttendanceRead, CoverageRead, RecusalDeclare, BoardEdit,
		ComplaintRead, ComplaintWrite, ComplaintAnswer, CaseHandover},
	// a supervisor changes no case; an order (督办) is the supervisor's own act, kept beside the case
	// the banner's service bureau inspects unannounced with the same records (the seed 四.(二) 不定期督导检查)
	Supervisor: {OrgRead, StaffRead, ApplicantRead, AuditRead, SupervisionRead, OrderIssue, CaseFileRead, EnquiryRead, RatingRead, RatingDecide,
		DelegationRead, HelpRead, InspectionManage, InspectionRead, RosterRead, AttendanceRead, CoverageRead, ComplaintRead},
	Translator: {OrgRead, TranslationEdit, TranslationReview},
	// the desk's and the station's work is theirs; so are a township's readiness, questions and rectifications,
	// the counterpart's guidance, and one's own leave, sign-in and declaration at a hall
	Admin: without(Actions, StandingWrite, StationLists, NeedsRead, NeedsWrite, VisitWrite, DelegationReady, HelpAsk, GuidanceComment, InspectionRectify,
		LeaveRequest, AttendanceSign, RecusalDeclare),
}

func without(all []Action, not ...Action) []Action {
	var out []Action
	for _, a := range all {
		if !slices.Contains(not, a) {
			out = append(out, a)
		}
	}
	return out
}

// Has reports whether the role carries the action at all, wherever.
func (r Role) Has(a Action) bool {
	for _, x := range grants[r] {
		if x == a {
			return true
		}
	}
	return false
}

// Actor is who is acting: a staff member bound to an organisation, or the system itself.
type Actor struct {
	ID      string
	Name    string
	Role    Role
	OrgID   string
	OrgPath string
	System  bool // demo loader, migrations, background jobs: reaches everything
}

// System is the actor for work Bianmin does by itself.
var System = Actor{ID: "system", Name: "system", System: true}

// Can reports whether the actor may do a to something that belongs to the organisation at targetPath.
func (a Actor) Can(act Action, targetPath string) bool {
	if a.System {
		return true
	}
	return a.Role.Has(act) && org.InSubtree(a.OrgPath, targetPath)
}

// Check is Can as an error: forbidden, naming the action.
func (a Actor) Check(act Action, targetPath string) error {
	if a.Can(act, targetPath) {
		return nil
	}
	return errs.New(errs.Forbidden, "err.forbidden").With("action", string(act))
}

// MayGrant reports whether the actor may give role r to an account: an administrator any role, a director
// only the hall's own roles. Nobody can make an account more powerful than their own.
func (a Actor) MayGrant(r Role) bool {
	if a.System || a.Role == Admin {
		return r.Valid()
	}
	if a.Role == Director {
		return r == Clerk || r == Reviewer || r == Agent
	}
	return false
}

// RoleFits reports whether role r makes sense at an organisation of kind k: clerks, reviewers and directors
// work at a township (or its center), agents at a village (or its station), department staff at a
// department, supervisors and administrators at a banner or above. A department has a director too: its
// head (本行政机关负责人, 行政许可法 第42条), who approves the extensions of the cases it decides.
func RoleFits(r Role, k org.Kind) bool {
	switch r {
	case Clerk, Reviewer, Director:
		return k == org.Township || k == org.Center || k == org.Window || ((r == Reviewer || r == Director) && k == org.Department)
	case Agent:
		return k == org.Village || k == org.Station
	case Department:
		return k == org.Department
	case Supervisor, Admin:
		return k == org.Banner || k == org.City || k == org.Region || (r == Supervisor && k == org.Department)
	case Translator:
		return k == org.Banner || k == org.City || k == org.Region || k == org.Township
	}
	return false
}
