package web

import (
	"net/http"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/roster"
	"bianmin/internal/service"
)

// The people of the hall's API rows (issue 11): the roster of a week, leave, attendance, coverage now,
// recusal declarations, and a staff record's edit and (de)activation. The same service calls as the pages.

// EntryJSON is one line of a roster.
type EntryJSON struct {
	Day   string `json:"day"`
	Half  string `json:"half"` // am, pm
	Seat  string `json:"seat"` // a window or back-office seat (organisation id)
	Staff string `json:"staff"`
}

// RosterJSON is a center's week.
type RosterJSON struct {
	Center  string      `json:"center"`
	Monday  string      `json:"monday"`
	Entries []EntryJSON `json:"entries"`
}

// RosterIn sets a week (the days from today on); CopyFrom copies another week instead.
type RosterIn struct {
	Monday   string      `json:"monday"`
	Entries  []EntryJSON `json:"entries"`
	CopyFrom string      `json:"copy_from,omitempty"`
}

// LeaveJSON is a leave.
type LeaveJSON struct {
	ID         string `json:"id"`
	Staff      string `json:"staff"`
	From       string `json:"from"`
	To         string `json:"to"`
	Substitute string `json:"substitute,omitempty"`
	Reason     string `json:"reason"`
	State      string `json:"state"`
	Note       string `json:"note,omitempty"`
	Version    int    `json:"version"`
}

func leaveJSON(l roster.Leave) LeaveJSON {
	return LeaveJSON{ID: l.ID, Staff: l.Staff, From: l.From.String(), To: l.To.String(), Substitute: l.Substitute, Reason: l.Reason, State: string(l.State), Note: l.Note, Version: l.Version}
}

// LeaveMoveIn decides or ends a leave: approve, reject (with a note) or return.
type LeaveMoveIn struct {
	Move    string `json:"move"`
	Version int    `json:"version"`
	Note    string `json:"note,omitempty"`
}

// SeatNowJSON is one seat of the coverage now.
type SeatNowJSON struct {
	Seat     string `json:"seat"`
	Name     string `json:"name"`
	State    string `json:"state"` // present, covered, expected, absent, empty, closed
	Rostered string `json:"rostered,omitempty"`
	Sitting  string `json:"sitting,omitempty"`
}

// CoverageJSON is a center's coverage now.
type CoverageJSON struct {
	Center string        `json:"center"`
	Day    string        `json:"day"`
	Half   string        `json:"half"`
	Open   bool          `json:"open"`
	Seats  []SeatNowJSON `json:"seats"`
}

// ActiveIn (de)activates an account at its version.
type ActiveIn struct {
	Version int  `json:"version"`
	Active  bool `json:"active"`
}

// PeopleDone is an answer without a body of its own.
type PeopleDone struct {
	OK bool `json:"ok"`
}

func entriesOf(in []EntryJSON) ([]roster.Entry, error) {
	out := make([]roster.Entry, 0, len(in))
	for i, e := range in {
		d, err := clock.ParseDate(e.Day)
		if err != nil {
			return nil, errs.Field("entries["+itoa(i)+"]", "err.find.date")
		}
		out = append(out, roster.Entry{Day: d, Half: roster.Half(e.Half), Seat: e.Seat, Staff: e.Staff})
	}
	return out, nil
}

func (s *Server) rosterOps() []apiOp {
	return append([]apiOp{
		op(s, "GET", "/api/v1/people/rosters/{center}", "rosterWeek", "A center's roster of the week of ?week=YYYY-MM-DD (next week by default)", true,
			func(r *http.Request, c *reqCtx, _ empty) (RosterJSON, error) {
				day := s.hallToday().AddDays(7)
				if d, err := clock.ParseDate(r.URL.Query().Get("week")); err == nil {
					day = d
				}
				w, err := s.svc.Roster(r.Context(), c.me.Actor(), r.PathValue("center"), day)
				out := RosterJSON{Center: w.Center.ID, Monday: w.Monday.String(), Entries: []EntryJSON{}}
				entries, _ := s.svc.DB.Roster(r.Context(), w.Center.ID, w.Monday, w.Monday.AddDays(6))
				for _, e := range entries {
					out.Entries = append(out.Entries, EntryJSON{Day: e.Day.String(), Half: string(e.Half), Seat: e.Seat, Staff: e.Staff})
				}
				return out, err
			}),
		op(s, "POST", "/api/v1/people/rosters/{center}", "rosterSave", "Set a center's week from today on (the director), or copy another week onto it", true,
			func(r *http.Request, c *reqCtx, in RosterIn) (PeopleDone, error) {
				monday, err := clock.ParseDate(in.Monday)
				if err != nil {
					return PeopleDone{}, errs.Field("week", "err.find.date")
				}
				if in.CopyFrom != "" {
					from, err := clock.ParseDate(in.CopyFrom)
					if err != nil {
						return PeopleDone{}, errs.Field("week", "err.find.date")
					}
					_, err = s.svc.CopyRoster(r.Context(), c.me.Actor(), r.PathValue("center"), from, monday)
					return PeopleDone{err == nil}, err
				}
				entries, err := entriesOf(in.Entries)
				if err != nil {
					return PeopleDone{}, err
				}
				err = s.svc.SaveRoster(r.Context(), c.me.Actor(), r.PathValue("center"), monday, entries)
				return PeopleDone{err == nil}, err
			}),
		op(s, "POST", "/api/v1/people/leaves", "leaveRequest", "Ask for one's own leave with its substitute (Idempotency-Key); refused while a rostered seat of its days would be empty", true,
			func(r *http.Request, c *reqCtx, in roster.LeaveInput) (LeaveJSON, error) {
				l, err := s.svc.RequestLeave(r.Context(), c.me.Actor(), in, r.Header.Get("Idempotency-Key"))
				return leaveJSON(l), err
			}),
		op(s, "POST", "/api/v1/people/leaves/{id}/moves", "leaveMove", "Approve or reject a leave (the director), or record the return (销假)", true,
			func(r *http.Request, c *reqCtx, in LeaveMoveIn) (LeaveJSON, error) {
				var l roster.Leave
				var err error
				switch in.Move {
				case "approve", "reject":
					l, err = s.svc.DecideLeave(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Move == "approve", in.Note)
				case "return":
					l, err = s.svc.ReturnFromLeave(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version)
				default:
					err = errs.Field("move", "err.find.choice")
				}
				return leaveJSON(l), err
			}),
		op(s, "POST", "/api/v1/people/attendance/{move}", "attendanceSign", "Sign in (in) or out (out) at one's center; the request's address is recorded", true,
			func(r *http.Request, c *reqCtx, _ empty) (PeopleDone, error) {
				var err error
				if r.PathValue("move") == "out" {
					err = s.svc.SignOut(r.Context(), c.me.Actor(), s.clientAddr(r))
				} else {
					err = s.svc.SignIn(r.Context(), c.me.Actor(), s.clientAddr(r))
				}
				return PeopleDone{err == nil}, err
			}),
		op(s, "GET", "/api/v1/people/coverage/{center}", "coverageNow", "Every window and seat of a center now: who is there, who covers, which are empty (raises the alerts)", true,
			func(r *http.Request, c *reqCtx, _ empty) (CoverageJSON, error) {
				v, err := s.svc.HallCoverage(r.Context(), c.me.Actor(), r.PathValue("center"))
				out := CoverageJSON{Center: v.Center.ID, Day: v.Day.String(), Half: string(v.Half), Open: v.Open, Seats: []SeatNowJSON{}}
				for _, x := range v.Seats {
					out.Seats = append(out.Seats, SeatNowJSON{Seat: x.Seat.ID, Name: x.Seat.NameZh, State: string(x.State), Rostered: x.Rostered, Sitting: x.Sitting})
				}
				return out, err
			}),
		op(s, "POST", "/api/v1/people/recusals", "recusalDeclare", "Declare a relation with an applicant or organisation (回避): moves on their cases are then refused", true,
			func(r *http.Request, c *reqCtx, in roster.DeclarationInput) (PeopleDone, error) {
				_, err := s.svc.Declare(r.Context(), c.me.Actor(), in)
				return PeopleDone{err == nil}, err
			}),
		op(s, "PUT", "/api/v1/staff/{id}", "staffEdit", "Edit a staff record at its version: name, phone, role, title, staff number, duties, seats, domains", true,
			func(r *http.Request, c *reqCtx, in service.StaffEdit) (PeopleDone, error) {
				_, err := s.svc.EditStaff(r.Context(), c.me.Actor(), r.PathValue("id"), in)
				return PeopleDone{err == nil}, err
			}),
		op(s, "POST", "/api/v1/staff/{id}/active", "staffActive", "Deactivate (refused while the person holds open cases) or reactivate an account", true,
			func(r *http.Request, c *reqCtx, in ActiveIn) (PeopleDone, error) {
				err := s.svc.SetStaffActive(r.Context(), c.me.Actor(), r.PathValue("id"), in.Version, in.Active)
				return PeopleDone{err == nil}, err
			}),
	}, s.peopleGapOps()...)
}
