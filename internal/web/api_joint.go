package web

import (
	"net/http"

	"bianmin/internal/cases"
	"bianmin/internal/complaint"
	"bianmin/internal/joint"
	"bianmin/internal/service"
)

// The API of the complaint register and of 转办 (pages_complaint.go, pages_handover.go). 并联审批 opinions and
// 会签 signatures are case moves (opinion, lead_decide, sign) of the case move operation; 联合办理 is an intake.
// No operation reads who complained.

// ComplaintStepJSON extends or answers a complaint, with the version read.
type ComplaintStepJSON struct {
	Version int    `json:"version"`
	Days    int    `json:"days,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Answer  string `json:"answer,omitempty"`
}

// HandoverJSON hands a case over (to, reasons) or answers a hand-over (accept, answer), with the version read.
type HandoverJSON struct {
	Version int    `json:"version"`
	To      string `json:"to,omitempty"`
	Reasons string `json:"reasons,omitempty"`
	Accept  bool   `json:"accept,omitempty"`
	Answer  string `json:"answer,omitempty"`
}

// LinkedJSON starts a 联合办理: items of one applicant, issued together or apart.
type LinkedJSON struct {
	ApplicantID string   `json:"applicant_id"`
	Items       []string `json:"items"`
	Together    bool     `json:"together"`
}

func (s *Server) jointOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/complaints", "listComplaints", "Complaints the caller's subtree answers or received, newest first, with their cards: ?q= ?open=1 ?overdue=1 ?cursor= (never the complainant)", true,
			func(r *http.Request, c *reqCtx, _ empty) (service.ComplaintList, error) {
				q := r.URL.Query()
				return s.svc.FindComplaints(r.Context(), c.me.Actor(), service.ComplaintFind{Q: q.Get("q"), Open: q.Get("open") == "1", Overdue: q.Get("overdue") == "1", Cursor: q.Get("cursor")})
			}),
		withHeader(op(s, "POST", "/api/v1/complaints", "fileComplaint", "Record a complaint received at the caller's window or station, by phone or from a 差评 (rating_id); routed to the responsible body; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.ComplaintInput) (complaint.Complaint, error) {
				return s.svc.FileComplaint(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/complaints/export", "exportComplaints", "The complaints of ?month= in the GB/T 39046-2020 6.7 fields (互动类型 投诉, 承诺时限, 延期时限, 超期天数 ...)", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]complaint.Row, error) {
				from, to, err := s.svc.MonthRange(r.Context(), r.URL.Query().Get("month"))
				if err != nil {
					return nil, err
				}
				rows, err := s.svc.ExportComplaints(r.Context(), c.me.Actor(), from, to)
				if rows == nil {
					rows = []complaint.Row{}
				}
				return rows, err
			}),
		op(s, "GET", "/api/v1/complaints/{id}", "getComplaint", "One complaint with its card and overdue days", true,
			func(r *http.Request, c *reqCtx, _ empty) (service.ComplaintView, error) {
				return s.svc.Complaint(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/complaints/{id}/extend", "extendComplaint", "The responsible body extends the answer deadline once, with reasons; the complainant is told", true,
			func(r *http.Request, c *reqCtx, in ComplaintStepJSON) (complaint.Complaint, error) {
				return s.svc.ExtendComplaint(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Days, in.Reason)
			}),
		op(s, "POST", "/api/v1/complaints/{id}/answer", "answerComplaint", "The responsible body answers; the answer and the link to rate it are sent to the complainant", true,
			func(r *http.Request, c *reqCtx, in ComplaintStepJSON) (complaint.Complaint, error) {
				return s.svc.AnswerComplaint(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Answer)
			}),
		op(s, "GET", "/api/v1/handovers", "listHandovers", "The 转办 the caller's township or department received (?way=in, the default) or made (?way=out), newest first, with their cards: ?q= (case number, item, body, applicant) ?state= (pending, accepted, refused) ?cursor=", true,
			func(r *http.Request, c *reqCtx, _ empty) (service.HandoverList, error) {
				return s.svc.FindHandovers(r.Context(), c.me.Actor(), handoversFind(r))
			}),
		op(s, "POST", "/api/v1/cases/{id}/competent-body", "handOverCase", "Hand a case to the competent body (转办), with reasons: a township's front desk or director to another township or, for a case with a banner step, to a banner department; a department's staff or head to another department. The applicant is told", true,
			func(r *http.Request, c *reqCtx, in HandoverJSON) (joint.Handover, error) {
				return s.svc.HandOverCase(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.To, in.Reasons)
			}),
		op(s, "POST", "/api/v1/handovers/{id}", "answerHandover", "The receiving body accepts a 转办 (a township then handles the case, a department works its banner steps and decides it) or refuses it with reasons", true,
			func(r *http.Request, c *reqCtx, in HandoverJSON) (joint.Handover, error) {
				return s.svc.AnswerHandover(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Accept, in.Answer)
			}),
		withHeader(op(s, "POST", "/api/v1/cases/linked", "receiveLinked", "Take in a 联合办理 at the caller's window: 2 to 10 items of one applicant, linked, issued together or apart; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in LinkedJSON) ([]cases.Case, error) {
				return s.svc.ReceiveLinked(r.Context(), c.me.Actor(), in.Items, in.Together, service.ReceiveInput{ApplicantID: in.ApplicantID}, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
	}
}
