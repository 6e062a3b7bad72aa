package web

import (
	"net/http"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/stations"
	"bianmin/internal/store"
)

// The village station's API rows (issue 13): standing authorisations (代理), 帮办 marks, home visits, the lists
// between station and township and the handover of a result. Each calls the service the pages call.

// StandingJSON is a standing authorisation with whether it holds today and its cases' numbers.
type StandingJSON struct {
	stations.Authorisation
	Holds bool     `json:"holds"`
	Cases []string `json:"cases"`
}

// VersionInput carries the version read, for an edit.
type VersionInput struct {
	Version int `json:"version"`
}

// NeedsJSON is an applicant's 帮办 mark; marked is false when there is none.
type NeedsJSON struct {
	Marked bool          `json:"marked"`
	Mark   stations.Mark `json:"mark"`
}

// VisitMoveInput is a move on a home visit; at is RFC 3339.
type VisitMoveInput struct {
	Move      string    `json:"move"` // schedule, record, cancel
	Version   int       `json:"version"`
	At        time.Time `json:"at"`
	Visitors  string    `json:"visitors,omitempty"`
	Record    string    `json:"record,omitempty"`
	Materials []string  `json:"materials,omitempty"`
	CaseID    string    `json:"case_id,omitempty"`
	Reason    string    `json:"reason,omitempty"`
}

// StationListJSON is a list between a station and its township.
type StationListJSON struct {
	ID       string                  `json:"id"`
	No       string                  `json:"no"`
	Kind     stations.ListKind       `json:"kind"`
	Station  string                  `json:"station"`
	Township string                  `json:"township"`
	Sent     time.Time               `json:"sent"`
	SentBy   string                  `json:"sent_by"`
	Received time.Time               `json:"received,omitzero"`
	Cases    []store.StationListCase `json:"cases"`
}

func stationListJSON(l store.StationList) StationListJSON {
	return StationListJSON{l.ID, l.No, l.Kind, l.Station, l.Township, l.Sent, l.SentByName, l.Received, l.Cases}
}

// StationBoardJSON is what waits to travel, by destination, and the latest lists.
type StationBoardJSON struct {
	Org     OrgJSON            `json:"org"`
	Pending []StationGroupJSON `json:"pending"`
	Lists   []StationListJSON  `json:"lists"`
}

// StationGroupJSON is what waits to go to one place.
type StationGroupJSON struct {
	To    OrgJSON                 `json:"to"`
	Cases []store.StationListCase `json:"cases"`
}

// SendStationListInput names the station a township sends results to ("" for a station's papers).
type SendStationListInput struct {
	To string `json:"to,omitempty"`
}

func (s *Server) stationOps() []apiOp {
	return []apiOp{
		withHeader(op(s, "POST", "/api/v1/standing", "createStanding", "Record a standing authorisation (代理) at the caller's village station for one of its residents: items in scope, first and last day (at most a year), reason, the signed paper; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.StandingInput) (stations.Authorisation, error) {
				return s.svc.CreateStanding(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/standing/{id}", "getStanding", "A standing authorisation and the cases received under it (its station, its township's front desk)", true,
			func(r *http.Request, c *reqCtx, _ empty) (StandingJSON, error) {
				v, err := s.svc.Standing(r.Context(), c.me.Actor(), r.PathValue("id"))
				return StandingJSON{v.Authorisation, v.Holds, mapAll(v.Cases, func(c cases.Case) string { return c.No })}, err
			}),
		op(s, "POST", "/api/v1/standing/{id}/revoke", "revokeStanding", "End a standing authorisation before its term (民法典 第173条); version must be the one read", true,
			func(r *http.Request, c *reqCtx, in VersionInput) (stations.Authorisation, error) {
				return s.svc.RevokeStanding(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version)
			}),
		op(s, "GET", "/api/v1/applicants/{id}/needs", "getNeeds", "An applicant's 帮办 mark (elderly, disabled, other; with consent): the front desk and station of their place only", true,
			func(r *http.Request, c *reqCtx, _ empty) (NeedsJSON, error) {
				m, ok, err := s.svc.Needs(r.Context(), c.me.Actor(), r.PathValue("id"))
				return NeedsJSON{ok, m}, err
			}),
		op(s, "PUT", "/api/v1/applicants/{id}/needs", "saveNeeds", "Record or change an applicant's 帮办 mark with their separate consent (个人信息保护法 第29条); version is the one read (0 for a first mark)", true,
			func(r *http.Request, c *reqCtx, in service.NeedsInput) (stations.Mark, error) {
				return s.svc.SaveNeeds(r.Context(), c.me.Actor(), r.PathValue("id"), in)
			}),
		withHeader(op(s, "POST", "/api/v1/visits", "requestVisit", "Ask for a home visit (上门服务) by the caller's station or center; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in service.VisitRequest) (stations.Visit, error) {
				return s.svc.RequestVisit(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
			}), "Idempotency-Key"),
		op(s, "GET", "/api/v1/visits/{id}", "getVisit", "One home visit, for the station or center that makes it and the center above it", true,
			func(r *http.Request, c *reqCtx, _ empty) (stations.Visit, error) {
				v, err := s.svc.Visit(r.Context(), c.me.Actor(), r.PathValue("id"))
				return v.Visit, err
			}),
		op(s, "POST", "/api/v1/visits/{id}/moves", "moveVisit", "Schedule (at, visitors), record (at, record, materials collected, case_id) or cancel (reason) a home visit; version must be the one read", true,
			func(r *http.Request, c *reqCtx, in VisitMoveInput) (stations.Visit, error) {
				at := in.At
				if !at.IsZero() {
					at = at.In(clock.DefaultRules().Location)
				}
				return s.svc.MoveVisit(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, stations.VisitMove(in.Move),
					stations.VisitInput{At: at, Visitors: in.Visitors, Record: in.Record, Materials: in.Materials, CaseID: in.CaseID, Reason: in.Reason})
			}),
		op(s, "GET", "/api/v1/station/lists", "listStationLists", "A station's papers waiting to go to its township, or a township's results waiting to go back to its stations; the latest lists either way", true,
			func(r *http.Request, c *reqCtx, _ empty) (StationBoardJSON, error) {
				b, err := s.svc.StationLists(r.Context(), c.me.Actor())
				return StationBoardJSON{orgJSON(b.Org), mapAll(b.Pending, func(g service.StationGroup) StationGroupJSON { return StationGroupJSON{orgJSON(g.To), g.Cases} }),
					mapAll(b.Lists, stationListJSON)}, err
			}),
		withHeader(op(s, "POST", "/api/v1/station/lists", "sendStationList", "Put what waits on one list and mark it sent: a station's papers to its township, or a township's results to the station named by to; send Idempotency-Key", true,
			func(r *http.Request, c *reqCtx, in SendStationListInput) (StationListJSON, error) {
				l, err := s.svc.SendStationList(r.Context(), c.me.Actor(), in.To, r.Header.Get("Idempotency-Key"))
				return stationListJSON(l), err
			}), "Idempotency-Key"),
		op(s, "POST", "/api/v1/station/lists/{id}/received", "receiveStationList", "Mark a list received at the end it goes to (once)", true,
			func(r *http.Request, c *reqCtx, _ empty) (StationListJSON, error) {
				l, err := s.svc.ReceiveStationList(r.Context(), c.me.Actor(), r.PathValue("id"))
				return stationListJSON(l), err
			}),
		op(s, "POST", "/api/v1/cases/{id}/handover", "handOver", "Record a result handed over at the station with the signature of who received it (and their relation when not the applicant); this delivers the case", true,
			func(r *http.Request, c *reqCtx, in stations.Handover) (cases.Case, error) {
				if in.CaseID != "" && in.CaseID != r.PathValue("id") {
					return cases.Case{}, errs.Field("case_id", "err.not_found").With("what", "case")
				}
				return s.svc.HandOver(r.Context(), c.me.Actor(), r.PathValue("id"), in)
			}),
	}
}
