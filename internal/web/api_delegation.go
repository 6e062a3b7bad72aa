package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"bianmin/internal/delegation"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/service"
)

// The API of delegated powers (pages_delegation.go; issue 14, the seed 四.(一), 四.(二)): every move the pages
// offer, through the same service calls (permission, validation, one transaction, audit). Lists are read a
// page at a time: ?q= searches, ?cursor= takes the next of the page before.

// DelegationPageJSON is a page of delegations.
type DelegationPageJSON struct {
	Delegations []delegation.Delegation `json:"delegations"`
	Next        string                  `json:"next,omitempty"`
}

// ChecklistJSON is the department's checklist of one township, with the version read.
type ChecklistJSON struct {
	Version      int    `json:"version"`
	Materials    bool   `json:"materials"`
	Templates    bool   `json:"templates"`
	SystemAccess bool   `json:"system_access"`
	TrainedStaff string `json:"trained_staff"`
}

// VersionJSON names the version read (optimistic locking).
type VersionJSON struct {
	Version int `json:"version"`
}

// HandOverJSON is the face-to-face hand-over: a person of each side, by name.
type HandOverJSON struct {
	Version    int    `json:"version"`
	HandedBy   string `json:"handed_by"`
	ReceivedBy string `json:"received_by"`
}

// StopJSON pauses or revokes a delegation from a day (state paused or revoked), or resumes it (day only).
type StopJSON struct {
	Version int    `json:"version"`
	State   string `json:"state,omitempty"`
	Day     string `json:"day"`
	Reason  string `json:"reason,omitempty"`
}

// PairInput names a township handler's counterpart at the department for an item.
type PairInput struct {
	ItemID        string `json:"item_id"`
	TownshipStaff string `json:"township_staff"`
	DeptStaff     string `json:"dept_staff"`
}

// HelpJSON is a help request with its card and escalation now, and what the caller may do with it.
type HelpJSON struct {
	Request   delegation.Help `json:"request"`
	Card      string          `json:"card,omitempty"`
	Escalated bool            `json:"escalated"`
	MayAnswer bool            `json:"may_answer"`
	MayFollow bool            `json:"may_follow"`
}

func helpJSON(v service.HelpView) HelpJSON {
	return HelpJSON{v.Help, string(v.Card), v.Escalated, v.MayAnswer, v.MayFollow}
}

// HelpPageJSON is a page of help requests.
type HelpPageJSON struct {
	Requests []HelpJSON `json:"requests"`
	Next     string     `json:"next,omitempty"`
}

// HelpPostJSON is an answer or a follow-up, with the version read.
type HelpPostJSON struct {
	Version int    `json:"version"`
	Body    string `json:"body"`
}

// FAQMarkJSON promotes the post at 1-based index post to the item's internal FAQ.
type FAQMarkJSON struct {
	Version int `json:"version"`
	Post    int `json:"post"`
}

// CommentInput is a guidance comment.
type CommentInput struct {
	Body string `json:"body"`
}

// RoundPageJSON is a page of inspection rounds.
type RoundPageJSON struct {
	Rounds []delegation.Round `json:"rounds"`
	Next   string             `json:"next,omitempty"`
}

// VisitJSON is a visit's record, with the version read.
type VisitJSON struct {
	Version      int      `json:"version"`
	ItemsHandled int      `json:"items_handled"`
	FilesSampled int      `json:"files_sampled"`
	Notes        string   `json:"notes,omitempty"`
	Findings     []string `json:"findings,omitempty"`
	Due          string   `json:"due,omitempty"` // the rectifications' deadline, when there is a finding
}

// FindingMoveJSON is a move on a finding: rectify (the township, with what it did), accept or reject (the
// inspecting side, reject with a note).
type FindingMoveJSON struct {
	Version int    `json:"version"`
	Move    string `json:"move"`
	Text    string `json:"text,omitempty"`
}

// FileUploadJSON is a file sent whole in JSON: its name and its bytes in standard base64 (the API's body cap,
// 1 MB, holds a document of about 750 KB; a larger one, or one over a village link, goes by the resumable
// upload: startDelegationUpload, startHelpUpload).
type FileUploadJSON struct {
	Name   string `json:"name"`
	Base64 string `json:"base64"`
}

func (f FileUploadJSON) bytes(field string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(f.Base64)
	if err != nil {
		return nil, errs.Field(field, "err.file.malformed").With("file", f.Name)
	}
	return b, nil
}

// DelegFileJSON is a delegation's or a help request's file: its owner, type, size and content address.
type DelegFileJSON struct {
	ID       string    `json:"id"`
	Owner    string    `json:"owner_id"`
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Size     int64     `json:"bytes"`
	Original int64     `json:"original_bytes"`
	Pages    int       `json:"pages"`
	SHA256   string    `json:"sha256"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

func delegFileJSON(f files.File) DelegFileJSON {
	return DelegFileJSON{f.ID, f.CaseID, f.Name, f.Type, f.Size, f.Original, f.Pages, f.SHA256, f.By, f.At}
}

func delegFile(f files.File, err error) (DelegFileJSON, error) { return delegFileJSON(f), err }

func delegFiles(list []files.File, err error) ([]DelegFileJSON, error) {
	return mapAll(list, delegFileJSON), err
}

// GuidanceJSON is one township's guidance period of a delegated item, with its figures.
type GuidanceJSON struct {
	Delegation string                   `json:"delegation_id"`
	Township   OrgJSON                  `json:"township"`
	Figures    delegation.PeriodFigures `json:"figures"`
}

// ProposalPageJSON is a page of delegation proposals (the delegation records a catalog import brought).
type ProposalPageJSON struct {
	Proposals []delegation.Proposal `json:"proposals"`
	Next      string                `json:"next,omitempty"`
}

// ProposalRefuseJSON refuses a proposal with reasons, with the version read.
type ProposalRefuseJSON struct {
	Version int    `json:"version"`
	Reason  string `json:"reason"`
}

// AssessmentJSON is one department's row of the year's assessment.
type AssessmentJSON struct {
	Dept    OrgJSON            `json:"dept"`
	Figures delegation.Figures `json:"figures"`
}

func (s *Server) delegationOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/delegations", "listDelegations", "Delegations the caller's side made or received (a department's, a township's; the banner's for its supervisors), newest first: ?q= (item, document number, township) ?cursor=", true,
			func(r *http.Request, c *reqCtx, _ empty) (DelegationPageJSON, error) {
				p, err := s.svc.Delegations(r.Context(), c.me.Actor(), r.URL.Query().Get("q"), r.URL.Query().Get("cursor"))
				return DelegationPageJSON{p.List, p.Next}, err
			}),
		withHeader(op(s, "POST", "/api/v1/delegations", "createDelegation", "A department delegates one of its items (scope item or decision) to townships on a legal document, from a start date (四.(一)); send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in delegation.Input) (delegation.Delegation, error) {
				return s.svc.CreateDelegation(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/delegations/{id}", "getDelegation", "One delegation with each township's hand-over checklist, for either side", true,
			func(r *http.Request, c *reqCtx, _ empty) (delegation.Delegation, error) {
				return s.svc.Delegation(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/delegations/{id}/townships/{township}/checklist", "setDelegationChecklist", "The department's hand-over checklist of one township (materials, templates, system access, trained staff); version must be the one read", true,
			func(r *http.Request, c *reqCtx, in ChecklistJSON) (delegation.Delegation, error) {
				return s.svc.SetChecklist(r.Context(), c.me.Actor(), r.PathValue("id"), r.PathValue("township"), in.Version,
					delegation.Checklist{Materials: in.Materials, Templates: in.Templates, SystemAccess: in.SystemAccess, TrainedStaff: in.TrainedStaff})
			}),
		op(s, "POST", "/api/v1/delegations/{id}/townships/{township}/ready", "confirmDelegationReady", "The township's director confirms it is ready to take the item over (四.(一) 在确保能顺利交接的前提下)", true,
			func(r *http.Request, c *reqCtx, in VersionJSON) (delegation.Delegation, error) {
				return s.svc.ConfirmReady(r.Context(), c.me.Actor(), r.PathValue("id"), r.PathValue("township"), in.Version)
			}),
		op(s, "POST", "/api/v1/delegations/{id}/townships/{township}/handover", "handOverDelegation", "The face-to-face hand-over (当面移交), named on both sides, once the checklist is done", true,
			func(r *http.Request, c *reqCtx, in HandOverJSON) (delegation.Delegation, error) {
				return s.svc.HandOverDelegation(r.Context(), c.me.Actor(), r.PathValue("id"), r.PathValue("township"), in.Version, in.HandedBy, in.ReceivedBy)
			}),
		op(s, "POST", "/api/v1/delegations/{id}/stop", "stopDelegation", "Pause (paused) or revoke (revoked) a delegation from a day on, with reasons: cases received from then go back to the department, open ones finish as they began", true,
			func(r *http.Request, c *reqCtx, in StopJSON) (delegation.Delegation, error) {
				return s.svc.StopDelegation(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.State, in.Day, in.Reason)
			}),
		op(s, "POST", "/api/v1/delegations/{id}/resume", "resumeDelegation", "Put a paused delegation back in force from a day on", true,
			func(r *http.Request, c *reqCtx, in StopJSON) (delegation.Delegation, error) {
				return s.svc.ResumeDelegation(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Day)
			}),
		op(s, "GET", "/api/v1/delegations/{id}/files", "listDelegationFiles", "The files of a delegation's legal document (type, size, SHA-256; the bytes at /delegations/{id}/files/{file})", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]DelegFileJSON, error) {
				return delegFiles(s.svc.DelegationDocs(r.Context(), c.me.Actor(), r.PathValue("id")))
			}),
		op(s, "POST", "/api/v1/delegations/{id}/files", "attachDelegationFile", "The department hands in its legal document's file (PDF, JPEG or PNG, checked as a case's material)", true,
			func(r *http.Request, c *reqCtx, in FileUploadJSON) (DelegFileJSON, error) {
				body, err := in.bytes("deleg2_doc_file")
				if err != nil {
					return DelegFileJSON{}, err
				}
				return delegFile(s.svc.AttachDelegationDoc(r.Context(), c.me.Actor(), r.PathValue("id"), in.Name, body))
			}),
		op(s, "GET", "/api/v1/delegation-proposals", "listDelegationProposals", "Delegation records a catalog import brought, waiting for (or decided by) the caller's department, newest first: ?state=proposed|confirmed|refused ?q= (item, department, document number, townships, file) ?cursor=", true,
			func(r *http.Request, c *reqCtx, _ empty) (ProposalPageJSON, error) {
				q := r.URL.Query()
				p, err := s.svc.DelegationProposals(r.Context(), c.me.Actor(), q.Get("q"), q.Get("state"), q.Get("cursor"))
				return ProposalPageJSON{p.List, p.Next}, err
			}),
		op(s, "POST", "/api/v1/delegation-proposals/{id}/confirm", "confirmDelegationProposal", "The department confirms an imported delegation record: the delegation is made as createDelegation makes it (the same checks and audit); version must be the one read, and a second confirmation is a conflict that makes nothing", true,
			func(r *http.Request, c *reqCtx, in VersionJSON) (delegation.Delegation, error) {
				return s.svc.ConfirmProposal(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version)
			}),
		op(s, "POST", "/api/v1/delegation-proposals/{id}/refuse", "refuseDelegationProposal", "The department refuses an imported delegation record, with reasons; version must be the one read", true,
			func(r *http.Request, c *reqCtx, in ProposalRefuseJSON) (delegation.Proposal, error) {
				return s.svc.RefuseProposal(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Reason)
			}),
		op(s, "GET", "/api/v1/pairs", "listPairs", "Pairs (结对) of the caller's department or township; ?history=1 adds the closed ones", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]delegation.Pair, error) {
				return s.svc.Pairs(r.Context(), c.me.Actor(), r.URL.Query().Get("history") == "1")
			}),
		op(s, "POST", "/api/v1/pairs", "setPair", "Name a township handler's counterpart at the department for a delegated item; the handler's standing pair closes (the history stays)", true,
			func(r *http.Request, c *reqCtx, in PairInput) (delegation.Pair, error) {
				return s.svc.SetPair(r.Context(), c.me.Actor(), in.ItemID, in.TownshipStaff, in.DeptStaff)
			}),
		op(s, "GET", "/api/v1/help-requests", "listHelpRequests", "Help requests (求助响应) of the caller's side, newest first (a department head's escalated ones first): ?q= ?cursor=", true,
			func(r *http.Request, c *reqCtx, _ empty) (HelpPageJSON, error) {
				p, err := s.svc.HelpList(r.Context(), c.me.Actor(), r.URL.Query().Get("q"), r.URL.Query().Get("cursor"))
				return HelpPageJSON{mapAll(p.List, helpJSON), p.Next}, err
			}),
		withHeader(op(s, "POST", "/api/v1/help-requests", "askHelp", "A township handler asks their counterpart (or the department's pool) about a case or an item; the answer clock runs in working hours; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.HelpInput) (delegation.Help, error) {
				return s.svc.AskHelp(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/help-requests/{id}", "getHelpRequest", "One help request with its thread, card and escalation", true,
			func(r *http.Request, c *reqCtx, _ empty) (HelpJSON, error) {
				v, err := s.svc.HelpRequest(r.Context(), c.me.Actor(), r.PathValue("id"))
				return helpJSON(v), err
			}),
		op(s, "POST", "/api/v1/help-requests/{id}/posts", "postHelp", "An answer (the department's side) or a follow-up (the asking township); version must be the one read", true,
			func(r *http.Request, c *reqCtx, in HelpPostJSON) (delegation.Help, error) {
				return s.svc.MoveHelp(r.Context(), c.me.Actor(), r.PathValue("id"), service.HelpMove{Version: in.Version, Body: in.Body})
			}),
		op(s, "POST", "/api/v1/help-requests/{id}/resolve", "resolveHelp", "The asking township closes the request as resolved", true,
			func(r *http.Request, c *reqCtx, in VersionJSON) (delegation.Help, error) {
				return s.svc.MoveHelp(r.Context(), c.me.Actor(), r.PathValue("id"), service.HelpMove{Version: in.Version, Resolve: true})
			}),
		op(s, "POST", "/api/v1/help-requests/{id}/faq", "promoteHelpAnswer", "The department promotes an answer (post, 1-based) to the item's internal FAQ, seen by every handler of the item and never by the public", true,
			func(r *http.Request, c *reqCtx, in FAQMarkJSON) (delegation.Help, error) {
				return s.svc.MoveHelp(r.Context(), c.me.Actor(), r.PathValue("id"), service.HelpMove{Version: in.Version, FAQ: in.Post})
			}),
		withHeader(op(s, "POST", "/api/v1/delegations/{id}/uploads", "startDelegationUpload", "Start a resumable upload of the legal document's file ({name, size}; the protocol of a case's files, files/upload.go, the same size limit): a village link's drop loses no more than a chunk; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in UploadStart) (UploadJSON, error) {
				return s.startOwnedUpload(r, c, files.OwnerDelegation, in)
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/help-requests/{id}/files", "listHelpFiles", "A help request's attachments (the bytes at /help/{id}/files/{file})", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]DelegFileJSON, error) {
				return delegFiles(s.svc.HelpFiles(r.Context(), c.me.Actor(), r.PathValue("id")))
			}),
		withHeader(op(s, "POST", "/api/v1/help-requests/{id}/uploads", "startHelpUpload", "Start a resumable upload of an attachment to a help request ({name, size}; files/upload.go, the limit of a case's files); send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in UploadStart) (UploadJSON, error) {
				return s.startOwnedUpload(r, c, files.OwnerHelp, in)
			}), "Idempotency-Key"),
		op(s, "POST", "/api/v1/help-requests/{id}/files", "attachHelpFile", "Either side attaches a file (PDF, JPEG or PNG) to a request not resolved", true,
			func(r *http.Request, c *reqCtx, in FileUploadJSON) (DelegFileJSON, error) {
				body, err := in.bytes("deleg2_help_file")
				if err != nil {
					return DelegFileJSON{}, err
				}
				return delegFile(s.svc.AttachHelpFile(r.Context(), c.me.Actor(), r.PathValue("id"), in.Name, body))
			}),
		op(s, "GET", "/api/v1/items/{id}/faq", "itemFAQ", "The item's internal FAQ: answers promoted from help requests (staff only)", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]service.FAQ, error) {
				return s.svc.ItemFAQ(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "GET", "/api/v1/items/{id}/guidance", "itemGuidance", "The guidance periods (四.(一) 移交后3个月内) of a delegated item's townships handed over, with their figures: cases, decided, on time, returns, help requests, answered in time, mean working minutes to the first answer (the help clock's opening hours)", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]GuidanceJSON, error) {
				list, err := s.svc.ItemGuidance(r.Context(), c.me.Actor(), r.PathValue("id"))
				return mapAll(list, func(g service.TownGuidance) GuidanceJSON {
					return GuidanceJSON{g.Delegation.ID, orgJSON(g.Township), g.Figures}
				}), err
			}),
		op(s, "GET", "/api/v1/cases/{id}/comments", "listCaseComments", "A case's guidance comments (staff only, never the applicant)", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]delegation.CaseComment, error) {
				return s.svc.CaseComments(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/cases/{id}/comments", "commentCase", "The paired counterpart's guidance comment on a case of the delegated item, in the guidance period only (四.(一) 移交后3个月内)", true,
			func(r *http.Request, c *reqCtx, in CommentInput) (delegation.CaseComment, error) {
				return s.svc.CommentCase(r.Context(), c.me.Actor(), r.PathValue("id"), in.Body)
			}),
		op(s, "GET", "/api/v1/inspections", "listInspections", "Inspection rounds (巡回检查) the caller's side made or received, latest planned first: ?q= (area, inspector, township, findings) ?cursor=", true,
			func(r *http.Request, c *reqCtx, _ empty) (RoundPageJSON, error) {
				p, err := s.svc.Rounds(r.Context(), c.me.Actor(), r.URL.Query().Get("q"), r.URL.Query().Get("cursor"))
				return RoundPageJSON{p.List, p.Next}, err
			}),
		withHeader(op(s, "POST", "/api/v1/inspections", "planInspection", "Plan a round of a township by area and day (定时划片), or record an unannounced one (the service bureau, 四.(二)); send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.RoundInput) (delegation.Round, error) {
				return s.svc.PlanRound(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/inspections/{id}", "getInspection", "One round with its visit and findings, for either side", true,
			func(r *http.Request, c *reqCtx, _ empty) (delegation.Round, error) {
				return s.svc.Round(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/inspections/{id}/visit", "recordInspectionVisit", "Record the visit once: items handled, files sampled, notes, findings (each a rectification by the due day)", true,
			func(r *http.Request, c *reqCtx, in VisitJSON) (delegation.Round, error) {
				return s.svc.RecordVisit(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version,
					delegation.Visit{ItemsHandled: in.ItemsHandled, FilesSampled: in.FilesSampled, Notes: in.Notes, Findings: in.Findings, Due: in.Due})
			}),
		op(s, "POST", "/api/v1/inspections/{id}/findings/{n}/moves", "moveFinding", "A move on finding n (0-based): rectify (the township), accept or reject (the inspecting side)", true,
			func(r *http.Request, c *reqCtx, in FindingMoveJSON) (delegation.Round, error) {
				n, err := strconv.Atoi(r.PathValue("n"))
				if err != nil {
					n = -1
				}
				return s.svc.MoveFinding(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, n, in.Move, in.Text)
			}),
		op(s, "GET", "/api/v1/assessment", "delegationAssessment", "The year's assessment of the departments' follow-up (四.(二)), counted from the records: ?year= (default this year); supervisors and administrators", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]AssessmentJSON, error) {
				d, err := s.assessmentRows(r)
				return mapAll(d.Rows, func(a service.AssessmentRow) AssessmentJSON { return AssessmentJSON{orgJSON(a.Dept), a.Figures} }), err
			}),
	}
}

// startOwnedUpload starts a resumable upload of a delegation's or a help request's file; its chunks go by
// PATCH /api/v1/uploads/{id} as a case's do.
func (s *Server) startOwnedUpload(r *http.Request, c *reqCtx, owner string, in UploadStart) (UploadJSON, error) {
	u, err := s.svc.StartOwnedUpload(r.Context(), service.Staff(c.me.Actor()), r.PathValue("id"), files.Upload{Owner: owner, Name: in.Name, Size: in.Size}, r.Header.Get("Idempotency-Key"))
	return uploadJSON(u, nil), err
}
