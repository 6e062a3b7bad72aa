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

	// UpstreamManage sets up receivers (the upper platform, local systems' webhooks) for an organisation's
	// subtree, switches classes of personal data off for them, reads their delivery logs and resends parked
	// records (issue 15). Administrators: what leaves Bianmin is the region's decision.
	UpstreamManage Action = "upstream.manage"
)

// Actions lists every action, for the permission matrix and its test.
var Actions = []Action{OrgRead, OrgEdit, OrgImport, StaffRead, StaffManage, ApplicantRead, ApplicantReadFull,
	ApplicantWrite, ApplicantOverride, TranslationEdit, AuditRead, CatalogEdit, CatalogPublish, SupervisionRead, OrderIssue, OrderAnswer,
	CaseFileRead, CaseFileAttach, StandingWrite, StationLists, NeedsRead, NeedsWrite, VisitWrite, HallOperate, HoursEdit,
	TranslationReview, EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingRectify, RatingAppeal, RatingDecide, UpstreamManage}

var grants = map[Role][]Action{
	Clerk: {OrgRead, ApplicantRead, ApplicantReadFull, ApplicantWrite, OrderAnswer, CaseFileRead, CaseFileAttach, StationLists, NeedsRead, NeedsWrite, VisitWrite,
		HallOperate, EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingRectify, RatingAppeal},
	Agent: {OrgRead, ApplicantRead, ApplicantReadFull, ApplicantWrite, OrderAnswer, CaseFileRead, CaseFileAttach, StandingWrite, StationLists, NeedsRead, NeedsWrite, VisitWrite,
		EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingAppeal},
	Reviewer:   {OrgRead, ApplicantRead, OrderAnswer, CaseFileRead, EnquiryRead, RatingRead},
	Department: {OrgRead, ApplicantRead, CatalogEdit, OrderAnswer, CaseFileRead},
	Director: {OrgRead, OrgEdit, StaffRead, StaffManage, ApplicantRead, ApplicantReadFull, ApplicantWrite, ApplicantOverride, SupervisionRead,
		OrderIssue, OrderAnswer, CaseFileRead, CaseFileAttach, StationLists, NeedsRead, NeedsWrite, VisitWrite, HallOperate, HoursEdit,
		EnquiryRead, EnquiryWrite, RatingRead, RatingEnter, RatingRectify, RatingAppeal},
	// a supervisor changes no case; an order (督办) is the supervisor's own act, kept beside the case
	Supervisor: {OrgRead, StaffRead, ApplicantRead, AuditRead, SupervisionRead, OrderIssue, CaseFileRead, EnquiryRead, RatingRead, RatingDecide},
	Translator: {OrgRead, TranslationEdit, TranslationReview},
	Admin:      without(Actions, StandingWrite, StationLists, NeedsRead, NeedsWrite, VisitWrite), // the desk's and the station's work is theirs
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
