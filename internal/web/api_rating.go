package web

import (
	"cmp"
	"net/http"

	"bianmin/internal/enquiry"
	"bianmin/internal/rating"
	"bianmin/internal/service"
)

// The API of the enquiry register and 好差评 (pages_enquiry.go, pages_rating.go). There is no operation that
// rates for an applicant with a staff token: the tablet rates at /evaluator with its own token, the resident
// with their own session or a signed link; staff only type in a paper form (书面, marked).

// EnquiryPageJSON is a page of the register.
type EnquiryPageJSON struct {
	Enquiries []enquiry.Enquiry `json:"enquiries"`
	Next      string            `json:"next,omitempty"`
}

// EnquiryStepJSON is an answer, a hand-over or a link to a case, with the version read.
type EnquiryStepJSON struct {
	Version int    `json:"version"`
	Told    string `json:"told,omitempty"`
	To      string `json:"to,omitempty"`
	Note    string `json:"note,omitempty"`
	CaseNo  string `json:"case_no,omitempty"`
}

// RatingPageJSON is a page of ratings (never their raters).
type RatingPageJSON struct {
	Ratings []rating.Rating `json:"ratings"`
	Next    string          `json:"next,omitempty"`
}

// PaperRatingJSON is a paper rating form typed in.
type PaperRatingJSON struct {
	rating.Subject
	service.RateInput
	// Channel is "paper" (the default: a 书面评价表) or "phone" (given on a call, typed in by who took it)
	Channel rating.Channel `json:"channel,omitempty"`
}

// RectifyJSON is a rectification step.
type RectifyJSON struct {
	Version int         `json:"version"`
	Move    rating.Move `json:"move"`
	Note    string      `json:"note,omitempty"`
	Contact bool        `json:"contact,omitempty"` // at 核实: Bianmin tells the named rater, staff never see whom
}

// AppealJSON files or decides an appeal.
type AppealJSON struct {
	Reason   string          `json:"reason"`
	Decision rating.Decision `json:"decision,omitempty"`
}

func (s *Server) ratingOps() []apiOp {
	return []apiOp{
		op(s, "GET", "/api/v1/enquiries", "listEnquiries", "The enquiry register of the caller's subtree, newest first: ?q= ?open=1 ?mine=1 ?cursor= ?limit= (phones masked)", true,
			func(r *http.Request, c *reqCtx, _ empty) (EnquiryPageJSON, error) {
				q := r.URL.Query()
				p, err := s.svc.FindEnquiries(r.Context(), c.me.Actor(), service.EnquiryFind{Q: q.Get("q"), Open: q.Get("open") == "1", Mine: q.Get("mine") == "1", Cursor: q.Get("cursor")})
				return EnquiryPageJSON{p.List, p.Next}, err
			}),
		withHeader(op(s, "POST", "/api/v1/enquiries", "recordEnquiry", "Record an enquiry at the caller's window or station; the caller owns it (首问); send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.EnquiryInput) (enquiry.Enquiry, error) {
				return s.svc.RecordEnquiry(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/enquiries/{id}", "getEnquiry", "One enquiry with its hand-overs", true,
			func(r *http.Request, c *reqCtx, _ empty) (enquiry.Enquiry, error) {
				return s.svc.Enquiry(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		op(s, "POST", "/api/v1/enquiries/{id}/answer", "answerEnquiry", "Its owner records what the asker was told", true,
			func(r *http.Request, c *reqCtx, in EnquiryStepJSON) (enquiry.Enquiry, error) {
				return s.svc.AnswerEnquiry(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Told)
			}),
		op(s, "POST", "/api/v1/enquiries/{id}/handover", "handOverEnquiry", "Its owner hands the 首问 duty to a colleague of the township, with the reason", true,
			func(r *http.Request, c *reqCtx, in EnquiryStepJSON) (enquiry.Enquiry, error) {
				return s.svc.HandOverEnquiry(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.To, in.Note)
			}),
		op(s, "POST", "/api/v1/enquiries/{id}/case", "linkEnquiryCase", "Link the case the enquiry became (by case number)", true,
			func(r *http.Request, c *reqCtx, in EnquiryStepJSON) (enquiry.Enquiry, error) {
				return s.svc.LinkEnquiryCase(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.CaseNo)
			}),
		op(s, "GET", "/api/v1/ratings", "listRatings", "Ratings of the caller's subtree, newest first: ?bad=1 ?channel= ?cursor= (never the rater)", true,
			func(r *http.Request, c *reqCtx, _ empty) (RatingPageJSON, error) {
				q := r.URL.Query()
				p, err := s.svc.FindRatings(r.Context(), c.me.Actor(), service.RatingFind{Bad: q.Get("bad") == "1", Channel: q.Get("channel"), Cursor: q.Get("cursor")})
				return RatingPageJSON{p.List, p.Next}, err
			}),
		op(s, "GET", "/api/v1/ratings/export", "exportRatings", "Ratings of ?month= (or ?from=&until=) in GB/T 39046 表9 fields, ready for the regional rating system", true,
			func(r *http.Request, c *reqCtx, _ empty) ([]service.Table9Row, error) {
				q, err := s.dashboardQuery(r)
				if err != nil {
					return nil, err
				}
				out := []service.Table9Row{}
				err = s.svc.ExportRatings(r.Context(), c.me.Actor(), q.Period, func(rows []service.Table9Row) error { out = append(out, rows...); return nil })
				return out, err
			}),
		op(s, "GET", "/api/v1/ratings/{id}", "getRating", "One rating with its rectification and appeal (never the rater)", true,
			func(r *http.Request, c *reqCtx, _ empty) (service.RatingDetail, error) {
				return s.svc.Rating(r.Context(), c.me.Actor(), r.PathValue("id"))
			}),
		withHeader(op(s, "POST", "/api/v1/ratings/paper", "enterPaperRating", "Type in a rating staff record for the rater: a paper form (书面评价表) the applicant filled in, or with channel phone a rating given on a call; marked with who typed it; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in PaperRatingJSON) (rating.Rating, error) {
				return s.svc.EnterStaffRating(r.Context(), c.me.Actor(), cmp.Or(in.Channel, rating.Paper), in.Subject, in.RateInput, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "POST", "/api/v1/rectifications/{id}/steps", "rectify", "A rectification step: verify (核实), rectify (整改), feedback (反馈), noreach (an anonymous rater); version must be the one read", true,
			func(r *http.Request, c *reqCtx, in RectifyJSON) (rating.Rectification, error) {
				return s.svc.Rectify(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Move, rating.Input{Note: in.Note}, in.Contact)
			}),
		op(s, "POST", "/api/v1/ratings/{id}/appeal", "appealRating", "Appeal a rating believed mistaken or malicious, with reasons (申诉)", true,
			func(r *http.Request, c *reqCtx, in AppealJSON) (rating.Appeal, error) {
				return s.svc.FileAppeal(r.Context(), c.me.Actor(), r.PathValue("id"), in.Reason)
			}),
		op(s, "POST", "/api/v1/appeals/{id}/decision", "decideAppeal", "A supervisor decides an appeal (upheld or rejected) with reasons; upheld excludes the rating from the figures", true,
			func(r *http.Request, c *reqCtx, in AppealJSON) (rating.Appeal, error) {
				return s.svc.DecideAppeal(r.Context(), c.me.Actor(), r.PathValue("id"), in.Decision, in.Reason)
			}),
		residentOp(s, "POST", "/api/v1/resident/cases/{id}/rating", "rateOwnCase", "A resident rates their own case (一事一评), once per channel",
			func(r *http.Request, c *reqCtx, in service.RateInput) (rating.Rating, error) {
				return s.svc.RateAsResident(r.Context(), *c.resident, r.PathValue("id"), mobile(r), in)
			}),
	}
}
