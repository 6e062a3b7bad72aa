package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/hours"
	"bianmin/internal/org"
	"bianmin/internal/oversight"
	"bianmin/internal/people"
	"bianmin/internal/rating"
	"bianmin/internal/roster"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
)

// The people of the hall (issue 11): staff records with the hand-over of open work, rosters, leave with its
// substitute, attendance, coverage now with its alerts, and recusal (回避). The rules are internal/roster;
// here: who may, one transaction, one audit entry.

// Limits of a staff record's texts (characters).
const (
	MaxTitle   = 50
	MaxStaffNo = 20
	MaxDuties  = 500
	MaxDomain  = 20
	MaxDomains = 20
	// PhotoEdge is the longest side a staff photo keeps (a seat card prints it 3 cm high).
	PhotoEdge = 480
)

// homeCenter is the hall a member of staff belongs to: the service center of the township an organisation
// belongs to (its windows, the center itself, or the township), or a village's station (the village, or the
// station itself: where its agents are rostered).
func (s *Service) homeCenter(ctx context.Context, orgID string) (org.Org, error) {
	o, err := s.DB.Org(ctx, orgID)
	for err == nil && o.Kind == org.Window {
		o, err = s.DB.Org(ctx, o.ParentID)
	}
	if err != nil {
		return o, err
	}
	if o.Kind == org.Center || o.Kind == org.Station {
		return o, nil
	}
	if o.Kind == org.Village {
		if list, err := s.DB.Subtree(ctx, o.Path, org.Station); err != nil || len(list) > 0 {
			if err != nil {
				return org.Org{}, err
			}
			return list[0], nil
		}
	}
	if o.Kind == org.Township {
		if c, ok, err := s.CenterOf(ctx, o); err != nil || ok {
			return c, err
		}
	}
	return org.Org{}, errs.New(errs.NotFound, "err.people.no_center")
}

// hallOf is a center's seats (its windows and back-office seats, front desk first) and the staff of its
// township by id; or a station's one seat and the staff of its village.
func (s *Service) hallOf(ctx context.Context, center org.Org) ([]roster.Seat, map[string]store.StaffRecord, error) {
	var seats []roster.Seat
	if center.Kind == org.Station {
		seats = []roster.Seat{roster.SeatOf(center)}
	} else {
		kids, err := s.DB.Children(ctx, center.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range kids {
			if k.Kind == org.Window {
				seats = append(seats, roster.SeatOf(k))
			}
		}
		slices.SortStableFunc(seats, func(a, b roster.Seat) int { return strings.Compare(string(b.Desk), string(a.Desk)) }) // front, then back
	}
	township, err := s.DB.Org(ctx, center.ParentID) // the village, for a station
	if err != nil {
		return nil, nil, err
	}
	list, err := s.DB.StaffRecordsIn(ctx, township.Path)
	if err != nil {
		return nil, nil, err
	}
	staff := make(map[string]store.StaffRecord, len(list))
	for _, r := range list {
		staff[r.ID] = r
	}
	return seats, staff, nil
}

func persons(staff map[string]store.StaffRecord) map[string]roster.Person {
	out := make(map[string]roster.Person, len(staff))
	for id, r := range staff {
		out[id] = r.Person()
	}
	return out
}

func seatMap(seats []roster.Seat) map[string]roster.Seat {
	out := make(map[string]roster.Seat, len(seats))
	for _, x := range seats {
		out[x.ID] = x
	}
	return out
}

// hallNow is the hall's date and the minute of the day.
func (s *Service) hallNow() (clock.Date, int) {
	d, m, _ := s.hallDay()
	return d, m
}

// --- staff records (point 1)

// StaffRecord reads a record: one's own, or within the subtree one may read staff of.
func (s *Service) StaffRecord(ctx context.Context, actor access.Actor, id string) (store.StaffRecord, error) {
	r, err := s.DB.StaffRecord(ctx, id)
	if err != nil {
		return r, err
	}
	if r.ID != actor.ID {
		if err := actor.Check(access.StaffRead, r.OrgPath); err != nil {
			return store.StaffRecord{}, err
		}
	}
	return r, nil
}

// StaffEdit is a record as typed.
type StaffEdit struct {
	Version int      `json:"version"`
	Name    string   `json:"name"`
	Phone   string   `json:"phone"`
	Role    string   `json:"role"`
	Title   string   `json:"title"`
	StaffNo string   `json:"staff_no"`
	Duties  string   `json:"duties"`
	Seats   []string `json:"seats"`   // windows and back-office seats of the person's center
	Domains []string `json:"domains"` // item domains handled (none: 一人通办)
}

// EditStaff changes a record (a director within the township, an administrator within the banner) if it is
// still at the version read: the role only to one the editor may grant and that fits the organisation, the
// seats only among the person's own center's windows.
func (s *Service) EditStaff(ctx context.Context, actor access.Actor, id string, in StaffEdit) (store.StaffRecord, error) {
	before, err := s.DB.StaffRecord(ctx, id)
	if err != nil {
		return before, err
	}
	if err := actor.Check(access.StaffManage, before.OrgPath); err != nil {
		return before, err
	}
	after := before
	after.Name, after.Phone, after.Role = strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone), access.Role(in.Role)
	after.Title, after.StaffNo, after.Duties = strings.TrimSpace(in.Title), strings.TrimSpace(in.StaffNo), strings.TrimSpace(in.Duties)
	var l errs.List
	for _, e := range errs.All(after.Staff.Validate()) {
		l.Add(e)
	}
	l.Add(limit("title", after.Title, MaxTitle))
	l.Add(limit("staff_no", after.StaffNo, MaxStaffNo))
	l.Add(limit("duties", after.Duties, MaxDuties))
	after.Domains = nil
	for _, d := range in.Domains {
		if d = strings.TrimSpace(d); d != "" && !slices.Contains(after.Domains, d) {
			if utf8.RuneCountInString(d) > MaxDomain || strings.Contains(d, ",") {
				l.Add(errs.Field("domains", "err.too_long").With("max", "20"))
				continue
			}
			after.Domains = append(after.Domains, d)
		}
	}
	if len(after.Domains) > MaxDomains {
		l.Add(errs.Field("domains", "err.too_long").With("max", "20"))
	}
	after.Seats = nil
	if len(in.Seats) > 0 {
		center, err := s.homeCenter(ctx, before.OrgID)
		if err != nil {
			l.Add(errs.Field("seats", "err.people.no_center"))
		} else {
			seats, _, err := s.hallOf(ctx, center)
			if err != nil {
				return before, err
			}
			known := seatMap(seats)
			for _, id := range in.Seats {
				if _, ok := known[id]; !ok {
					l.Add(errs.Field("seats", "err.not_found").With("what", "org"))
					break
				}
				if !slices.Contains(after.Seats, id) {
					after.Seats = append(after.Seats, id)
				}
			}
		}
	}
	if err := l.Err(); err != nil {
		return before, err
	}
	if after.Role != before.Role {
		o, err := s.DB.Org(ctx, before.OrgID)
		if err != nil {
			return before, err
		}
		if !actor.MayGrant(after.Role) {
			return before, errs.New(errs.Forbidden, "err.role.grant")
		}
		if !access.RoleFits(after.Role, o.Kind) {
			return before, errs.Field("role", "err.role.org")
		}
	}
	if in.Version != before.Version {
		return before, errs.New(errs.Conflict, "err.people.staff_conflict")
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.UpdateStaffRecord(actor, "staff.edit", before, after) })
	if err != nil {
		return before, err
	}
	s.sessions.Clear() // a changed role or name shows at the next request
	return s.DB.StaffRecord(ctx, id)
}

// OpenWork is what a person holds that someone else must take before they leave: the open cases they have
// taken (承办).
type OpenWork struct {
	Cases []cases.Case
}

// Empty reports whether nothing is held.
func (w OpenWork) Empty() bool { return len(w.Cases) == 0 }

// OpenWorkOf lists a person's open work (for those who manage the account).
func (s *Service) OpenWorkOf(ctx context.Context, actor access.Actor, id string) (OpenWork, error) {
	r, err := s.DB.StaffRecord(ctx, id)
	if err != nil {
		return OpenWork{}, err
	}
	if err := actor.Check(access.StaffManage, r.OrgPath); err != nil {
		return OpenWork{}, err
	}
	list, err := s.DB.ClaimedCases(ctx, id)
	return OpenWork{Cases: list}, err
}

// SetStaffActive deactivates or reactivates an account at the version read. A deactivation is refused while
// the person holds open work (the page lists it and offers the hand-over); it ends their sessions and frees
// their window.
func (s *Service) SetStaffActive(ctx context.Context, actor access.Actor, id string, version int, active bool) error {
	before, err := s.DB.StaffRecord(ctx, id)
	if err != nil {
		return err
	}
	if err := actor.Check(access.StaffManage, before.OrgPath); err != nil {
		return err
	}
	if before.ID == actor.ID {
		return errs.New(errs.Conflict, "err.people.deactivate_self")
	}
	if !actor.MayGrant(before.Role) {
		return errs.New(errs.Forbidden, "err.role.grant")
	}
	if version != before.Version {
		return errs.New(errs.Conflict, "err.people.staff_conflict")
	}
	if !active {
		work, err := s.DB.ClaimedCases(ctx, id)
		if err != nil {
			return err
		}
		if len(work) > 0 {
			return errs.New(errs.Conflict, "err.people.open_work").With("n", strconv.Itoa(len(work)))
		}
	}
	after := before
	after.Active = active
	action := "staff.reactivate"
	if !active {
		action = "staff.deactivate"
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if !active {
			if w, ok, err := tx.WindowOf(id); err != nil {
				return err
			} else if ok {
				if err := tx.SignOff(actor, w); err != nil {
					return err
				}
			}
		}
		return tx.UpdateStaffRecord(actor, action, before, after)
	})
	if err == nil {
		s.sessions.Clear()
	}
	return err
}

// HandOverWork gives every open case a person has taken to another member of staff, each by the director's own
// move (cases.Assign: audited on the case's timeline), and says how many were given. The receiver must work
// the back office of each case's step (service.mayHandle) and have no declared relation with its applicant.
func (s *Service) HandOverWork(ctx context.Context, actor access.Actor, id, to string) (int, error) {
	work, err := s.OpenWorkOf(ctx, actor, id)
	if err != nil {
		return 0, err
	}
	if to == "" || to == id {
		return 0, errs.Field("handover_to", "err.required")
	}
	n := 0
	for _, c := range work.Cases {
		if _, err := s.Act(ctx, actor, c.ID, c.Version, cases.Assign, cases.Input{Assignee: to}); err != nil {
			if errs.CodeOf(err) == errs.Invalid {
				return n, errs.Field("handover_to", "err.case.assignee")
			}
			return n, err
		}
		n++
	}
	return n, nil
}

// SetStaffPhoto takes a photo for a record: checked and hashed as any electronic material (files limits),
// brought down to PhotoEdge pixels on its longest side with the standard library.
func (s *Service) SetStaffPhoto(ctx context.Context, actor access.Actor, id, name string, body []byte) error {
	r, err := s.DB.StaffRecord(ctx, id)
	if err != nil {
		return err
	}
	if r.ID != actor.ID || !actor.Role.Has(access.RosterRead) {
		if err := actor.Check(access.StaffManage, r.OrgPath); err != nil {
			return err
		}
	}
	p, err := files.Portrait("photo", name, body, s.cfg.Files, PhotoEdge)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetStaffPhoto(actor, r, p.SHA256, p.Body) })
}

// StaffPhoto is an active person's photo (public: the staff page shows it, 亮身份).
func (s *Service) StaffPhoto(ctx context.Context, id string) ([]byte, string, error) {
	r, err := s.DB.StaffRecord(ctx, id)
	if err != nil || !r.Active {
		return nil, "", errs.New(errs.NotFound, "err.not_found").With("what", "file")
	}
	return s.DB.StaffPhoto(ctx, id)
}

// --- rosters (point 3)

// RosterWeek is a center's roster of a week, with what the form needs.
type RosterWeek struct {
	Center org.Org
	Monday clock.Date
	Days   []clock.Date
	Seats  []roster.Seat
	Staff  map[string]store.StaffRecord
	// At is who sits where: seat id + " " + day + " " + half -> staff id
	At map[string]string
	// OpenOn says which half-days the center opens (day + " " + half)
	OpenOn   map[string]bool
	Editable bool // the reader may edit, and the week is not all past
	Today    clock.Date
}

// Key is the At key of a seat's half-day.
func Key(seat string, d clock.Date, h roster.Half) string {
	return seat + " " + d.String() + " " + string(h)
}

// Eligible are the active staff qualified for the seat, by name.
func (w RosterWeek) Eligible(seat roster.Seat) []store.StaffRecord {
	var out []store.StaffRecord
	for _, r := range w.Staff {
		if roster.Qualified(r.Person(), seat) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b store.StaffRecord) int { return strings.Compare(a.Username, b.Username) })
	return out
}

// peopleCenter reads a center or a station the actor may do act at.
func (s *Service) peopleCenter(ctx context.Context, actor access.Actor, centerID string, act access.Action) (org.Org, error) {
	c, err := s.hallPlace(ctx, centerID)
	if err != nil {
		return c, err
	}
	return c, actor.Check(act, c.Path)
}

// Roster reads a center's week (the Monday of the week given).
func (s *Service) Roster(ctx context.Context, actor access.Actor, centerID string, day clock.Date) (RosterWeek, error) {
	c, err := s.peopleCenter(ctx, actor, centerID, access.RosterRead)
	if err != nil {
		return RosterWeek{}, err
	}
	w := RosterWeek{Center: c, Monday: roster.Monday(day), At: map[string]string{}, OpenOn: map[string]bool{}}
	w.Today, _ = s.hallNow()
	if w.Seats, w.Staff, err = s.hallOf(ctx, c); err != nil {
		return w, err
	}
	h, _, err := s.DB.Hours(ctx, c.ID)
	if err != nil {
		return w, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return w, err
	}
	for i := 0; i < 7; i++ {
		d := w.Monday.AddDays(i)
		w.Days = append(w.Days, d)
		spans := h.On(d, cal)
		for _, half := range roster.Halves {
			w.OpenOn[d.String()+" "+string(half)] = len(roster.SpansOf(spans, half)) > 0
		}
	}
	entries, err := s.DB.Roster(ctx, c.ID, w.Monday, w.Monday.AddDays(6))
	for _, e := range entries {
		w.At[Key(e.Seat, e.Day, e.Half)] = e.Staff
	}
	w.Editable = actor.Can(access.RosterEdit, c.Path) && !w.Monday.AddDays(6).Before(w.Today)
	return w, err
}

// SaveRoster sets a center's week from the Monday given: the days from today on are replaced by entries
// (the past is the rotation's history and stays); everyone must be qualified for their seat and at one seat
// a half-day (roster.CheckEntries).
func (s *Service) SaveRoster(ctx context.Context, actor access.Actor, centerID string, monday clock.Date, entries []roster.Entry) error {
	c, err := s.peopleCenter(ctx, actor, centerID, access.RosterEdit)
	if err != nil {
		return err
	}
	monday = roster.Monday(monday)
	today, _ := s.hallNow()
	from, to := monday, monday.AddDays(6)
	if from.Before(today) {
		from = today
	}
	if to.Before(from) {
		return errs.New(errs.Conflict, "err.people.roster_past")
	}
	seats, staff, err := s.hallOf(ctx, c)
	if err != nil {
		return err
	}
	var keep []roster.Entry
	for _, e := range entries {
		if !e.Day.Before(from) && !e.Day.After(to) && e.Staff != "" {
			keep = append(keep, e)
		}
	}
	if err := roster.CheckEntries(keep, seatMap(seats), persons(staff)); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveRoster(actor, c.ID, from, to, keep) })
}

// CopyRoster copies the week of from onto the week of to (the days from today on), for the director to
// adjust (轮岗); people no longer qualified are left out.
func (s *Service) CopyRoster(ctx context.Context, actor access.Actor, centerID string, from, to clock.Date) (int, error) {
	c, err := s.peopleCenter(ctx, actor, centerID, access.RosterEdit)
	if err != nil {
		return 0, err
	}
	fm, tm := roster.Monday(from), roster.Monday(to)
	entries, err := s.DB.Roster(ctx, c.ID, fm, fm.AddDays(6))
	if err != nil {
		return 0, err
	}
	seats, staff, err := s.hallOf(ctx, c)
	if err != nil {
		return 0, err
	}
	sm, pm := seatMap(seats), persons(staff)
	var keep []roster.Entry
	for _, e := range roster.CopyWeek(entries, fm, tm) {
		if roster.Qualified(pm[e.Staff], sm[e.Seat]) {
			keep = append(keep, e)
		}
	}
	return len(keep), s.SaveRoster(ctx, actor, centerID, tm, keep)
}

// RotationOf is a person's roster lines of the last year and the weeks ahead: the rotation's history (轮岗).
func (s *Service) RotationOf(ctx context.Context, actor access.Actor, id string) ([]roster.Entry, error) {
	r, err := s.StaffRecord(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	today, _ := s.hallNow()
	return s.DB.RosterOf(ctx, r.ID, today.AddDays(-366), today.AddDays(60))
}

// --- leave (point 5)

// RequestLeave records the actor's own request for leave (请假), with its substitute. It is refused when a
// rostered half-day of its days would be empty (roster.CheckCover, 三.(一).5). key makes it idempotent.
func (s *Service) RequestLeave(ctx context.Context, actor access.Actor, in roster.LeaveInput, key string) (roster.Leave, error) {
	if !actor.Role.Has(access.LeaveRequest) {
		return roster.Leave{}, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.LeaveRequest))
	}
	c, err := s.homeCenter(ctx, actor.OrgID)
	if err != nil {
		return roster.Leave{}, err
	}
	if err := actor.Check(access.LeaveRequest, c.Path); err != nil {
		return roster.Leave{}, err
	}
	if err := textLimits(limit("leave_from", in.From, 20), limit("leave_to", in.To, 20), limit("substitute", in.Substitute, 64)); err != nil {
		return roster.Leave{}, err
	}
	today, _ := s.hallNow()
	l, err := in.Check(actor.ID, today)
	if err != nil {
		return l, err
	}
	l.Center = c.ID
	if err := s.checkCover(ctx, c, l); err != nil {
		return l, err
	}
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "leave", actor.ID, fingerprint(in), func() (string, error) {
			return l.ID, tx.CreateLeave(actor, &l, c.Path)
		})
		return err
	})
	if err != nil {
		return roster.Leave{}, err
	}
	return s.DB.Leave(ctx, id)
}

// checkCover applies the leave's rule against the center's roster and approved leaves of its days.
func (s *Service) checkCover(ctx context.Context, c org.Org, l roster.Leave) error {
	seats, staff, err := s.hallOf(ctx, c)
	if err != nil {
		return err
	}
	entries, err := s.DB.Roster(ctx, c.ID, l.From, l.To)
	if err != nil {
		return err
	}
	other, err := s.DB.LeavesOver(ctx, c.ID, l.From, l.To, roster.Approved, roster.Returned)
	if err != nil {
		return err
	}
	split, err := s.splitOf(ctx, c)
	if err != nil {
		return err
	}
	return roster.CheckCover(l, entries, seatMap(seats), persons(staff), other, split)
}

// DecideLeave approves or refuses a request (the director of its center; never one's own). Approval is
// refused while any rostered window or seat of its days would be empty (三.(一).5); a refusal needs its
// reason.
func (s *Service) DecideLeave(ctx context.Context, actor access.Actor, id string, version int, approve bool, note string) (roster.Leave, error) {
	before, err := s.DB.Leave(ctx, id)
	if err != nil {
		return before, err
	}
	c, err := s.peopleCenter(ctx, actor, before.Center, access.LeaveDecide)
	if err != nil {
		return before, err
	}
	if before.Staff == actor.ID {
		return before, errs.New(errs.Forbidden, "err.people.leave_own")
	}
	note = strings.TrimSpace(note)
	if e := limit("leave_note", note, roster.MaxReason); e != nil {
		return before, e
	}
	if before.State != roster.Requested {
		return before, errs.New(errs.Conflict, "err.people.leave_decided")
	}
	if before.Version != version {
		return before, errs.New(errs.Conflict, "err.people.leave_conflict")
	}
	after := before
	after.DecidedBy, after.DeciderNm, after.Note = actor.ID, actor.Name, note
	after.Decided = s.DB.Now()
	action := "leave.reject"
	if approve {
		if err := s.checkCover(ctx, c, before); err != nil {
			return before, err
		}
		after.State, action = roster.Approved, "leave.approve"
	} else {
		if note == "" {
			return before, errs.Field("leave_note", "err.required")
		}
		after.State = roster.Rejected
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.UpdateLeave(actor, action, before, after) })
	if err != nil {
		return before, err
	}
	return s.DB.Leave(ctx, id)
}

// ReturnFromLeave records the return (销假) of an approved leave, today: by its person or the director.
func (s *Service) ReturnFromLeave(ctx context.Context, actor access.Actor, id string, version int) (roster.Leave, error) {
	before, err := s.DB.Leave(ctx, id)
	if err != nil {
		return before, err
	}
	if before.Staff != actor.ID {
		if _, err := s.peopleCenter(ctx, actor, before.Center, access.LeaveDecide); err != nil {
			return before, err
		}
	}
	if before.State != roster.Approved {
		return before, errs.New(errs.Conflict, "err.people.leave_not_approved")
	}
	if before.Version != version {
		return before, errs.New(errs.Conflict, "err.people.leave_conflict")
	}
	today, _ := s.hallNow()
	after := before
	after.State, after.ReturnedOn = roster.Returned, today
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.UpdateLeave(actor, "leave.return", before, after) })
	if err != nil {
		return before, err
	}
	return s.DB.Leave(ctx, id)
}

// LeavePage is the leave page: one's own leaves, and those of the centers one decides for, newest first.
type LeavePage struct {
	Mine, Center []roster.Leave
	Decides      bool
	Next         string
	Candidates   []store.StaffRecord // who may cover the actor (active, of the same side)
}

// Leaves reads the leave page.
func (s *Service) Leaves(ctx context.Context, actor access.Actor, cursor string) (LeavePage, error) {
	var p LeavePage
	if !actor.Role.Has(access.LeaveRequest) && !actor.Role.Has(access.LeaveDecide) {
		return p, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.LeaveRequest))
	}
	var err error
	if p.Mine, err = s.DB.Leaves(ctx, store.LeaveQuery{Staff: actor.ID, Limit: 20}); err != nil {
		return p, err
	}
	if actor.Role.Has(access.LeaveDecide) {
		p.Decides = true
		n := pageLimit(0)
		list, err := s.DB.Leaves(ctx, store.LeaveQuery{Root: actor.OrgPath, After: cursor, Limit: n + 1})
		if err != nil {
			return p, err
		}
		if len(list) > n {
			list = list[:n]
			p.Next = list[n-1].ID
		}
		p.Center = list
	}
	if c, err := s.homeCenter(ctx, actor.OrgID); err == nil {
		_, staff, err := s.hallOf(ctx, c)
		if err != nil {
			return p, err
		}
		for _, r := range staff {
			if r.ID != actor.ID && r.Active && (r.Role == actor.Role || r.Role == access.Director) {
				p.Candidates = append(p.Candidates, r)
			}
		}
		slices.SortFunc(p.Candidates, func(a, b store.StaffRecord) int { return strings.Compare(a.Username, b.Username) })
	}
	return p, nil
}

// --- attendance (point 4)

// SignIn records the actor's arrival at their center today, with the address the request came from.
func (s *Service) SignIn(ctx context.Context, actor access.Actor, addr string) error {
	if !actor.Role.Has(access.AttendanceSign) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.AttendanceSign))
	}
	c, err := s.homeCenter(ctx, actor.OrgID)
	if err != nil {
		return err
	}
	if err := actor.Check(access.AttendanceSign, c.Path); err != nil {
		return err
	}
	today, _ := s.hallNow()
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SignIn(actor, c.ID, today, trimAddr(addr)) })
}

// SignOut records the actor's leaving.
func (s *Service) SignOut(ctx context.Context, actor access.Actor, addr string) error {
	if !actor.Role.Has(access.AttendanceSign) {
		return errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.AttendanceSign))
	}
	today, _ := s.hallNow()
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SignOut(actor, today, trimAddr(addr)) })
}

func trimAddr(a string) string {
	if len(a) > 64 {
		return a[:64]
	}
	return a
}

// DayMark is one day of a person's attendance.
type DayMark struct {
	Day        clock.Date
	Mark       roster.Mark
	Attendance *roster.Attendance
}

// AttendanceMonth is a person's attendance of the month of day: each day's mark from the roster, the leaves
// and the hours (one's own, or others' for the director and the supervising office).
func (s *Service) AttendanceMonth(ctx context.Context, actor access.Actor, staffID string, day clock.Date) (store.StaffRecord, []DayMark, error) {
	r, err := s.DB.StaffRecord(ctx, staffID)
	if err != nil {
		return r, nil, err
	}
	if r.ID != actor.ID {
		if err := actor.Check(access.AttendanceRead, r.OrgPath); err != nil {
			return store.StaffRecord{}, nil, err
		}
	} else if !actor.Role.Has(access.AttendanceSign) {
		return r, nil, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.AttendanceSign))
	}
	c, err := s.homeCenter(ctx, r.OrgID)
	if err != nil {
		return r, nil, err
	}
	first := clock.Date{Y: day.Y, M: day.M, D: 1}
	last := first.AddDays(40)
	last = clock.Date{Y: last.Y, M: last.M, D: 1}.AddDays(-1)
	lines, err := s.DB.RosterOf(ctx, r.ID, first, last)
	if err != nil {
		return r, nil, err
	}
	att, err := s.DB.AttendanceOf(ctx, r.ID, first, last)
	if err != nil {
		return r, nil, err
	}
	leaves, err := s.DB.LeavesOver(ctx, c.ID, first, last, roster.Approved, roster.Returned)
	if err != nil {
		return r, nil, err
	}
	h, _, err := s.DB.Hours(ctx, c.ID)
	if err != nil {
		return r, nil, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return r, nil, err
	}
	today, minute := s.hallNow()
	var out []DayMark
	for d := first; !d.After(last); d = d.AddDays(1) {
		var halves []roster.Half
		for _, e := range lines {
			if e.Day == d {
				halves = append(halves, e.Half)
			}
		}
		dm := DayMark{Day: d}
		for i := range att {
			if att[i].Day == d {
				dm.Attendance = &att[i]
			}
		}
		onLeave := false
		for _, l := range leaves {
			onLeave = onLeave || (l.Staff == r.ID && l.On(d))
		}
		start, begun := s.rosterStart(h, cal, d, halves, today, minute)
		dm.Mark = roster.MarkDay(len(halves) > 0, onLeave, dm.Attendance, start, begun, s.lateGrace())
		out = append(out, dm)
	}
	return r, out, nil
}

// rosterStart is when the person's first rostered opening of day d begins, and whether it has begun by now.
func (s *Service) rosterStart(h hours.Hours, cal *clock.Calendar, d clock.Date, halves []roster.Half, today clock.Date, minute int) (time.Time, bool) {
	spans := h.On(d, cal)
	first := -1
	for _, half := range halves {
		for _, sp := range roster.SpansOf(spans, half) {
			if first < 0 || sp.From < first {
				first = sp.From
			}
		}
	}
	if first < 0 {
		return time.Time{}, false
	}
	loc := s.hallLoc()
	start := time.Date(d.Y, d.M, d.D, first/60, first%60, 0, 0, loc)
	return start, d.Before(today) || (d == today && minute >= first)
}

// lateGrace is the setting of how late a sign-in still counts as on time (Bianmin's choice).
func (s *Service) lateGrace() time.Duration {
	if s.cfg.LateGrace > 0 {
		return s.cfg.LateGrace
	}
	return roster.Grace
}

// --- coverage now (point 6)

// Coverage is a center's seats now: who is there, who is on leave and who covers, which are empty.
type Coverage struct {
	Center org.Org
	Day    clock.Date
	Half   roster.Half
	Open   bool
	Seats  []roster.SeatNow
	Staff  map[string]store.StaffRecord
	Alerts []store.CoverageAlert // the center's alerts of the last 7 days
	// NoRoster marks a station that keeps no roster for the day: its agents keep it in its opening hours as
	// before stations were rostered, and its seat raises no alert (a center's empty roster does: its windows
	// must be staffed, 三.(一).5).
	NoRoster bool
}

// Empties counts the seats that raise the alert.
func (c Coverage) Empties() int {
	n := 0
	for _, x := range c.Seats {
		if x.State.Alert() {
			n++
		}
	}
	return n
}

// HallCoverage reads a center's coverage now (the director, the supervising office), and raises the alert of
// every seat found empty during opening hours (三.(一).5; once per seat and half-day).
func (s *Service) HallCoverage(ctx context.Context, actor access.Actor, centerID string) (Coverage, error) {
	c, err := s.peopleCenter(ctx, actor, centerID, access.CoverageRead)
	if err != nil {
		return Coverage{}, err
	}
	v, err := s.coverageNow(ctx, c)
	if err != nil {
		return v, err
	}
	v.Alerts, err = s.DB.Alerts(ctx, c.Path, v.Day.AddDays(-7), v.Day, 50)
	return v, err
}

func (s *Service) coverageNow(ctx context.Context, c org.Org) (Coverage, error) {
	day, minute := s.hallNow()
	v := Coverage{Center: c, Day: day, Half: roster.HalfAt(minute)}
	seats, staff, err := s.hallOf(ctx, c)
	if err != nil {
		return v, err
	}
	v.Staff = staff
	h, _, err := s.DB.Hours(ctx, c.ID)
	if err != nil {
		return v, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return v, err
	}
	spans := roster.SpansOf(h.On(day, cal), v.Half)
	v.Open = len(spans) > 0 && minute < spans[len(spans)-1].To
	begun := len(spans) > 0 && minute >= spans[0].From
	entries, err := s.DB.Roster(ctx, c.ID, day, day)
	if err != nil {
		return v, err
	}
	v.NoRoster = c.Kind == org.Station && len(entries) == 0
	var half []roster.Entry
	for _, e := range entries {
		if e.Half == v.Half {
			half = append(half, e)
		}
	}
	leaves, err := s.DB.LeavesOver(ctx, c.ID, day, day, roster.Approved, roster.Returned)
	if err != nil {
		return v, err
	}
	att, err := s.DB.AttendanceOn(ctx, c.ID, day)
	if err != nil {
		return v, err
	}
	in := map[string]bool{}
	for _, a := range att {
		in[a.Staff] = a.Out.IsZero()
	}
	v.Seats = roster.Now(seats, half, leaves, in, day, v.Open, begun)
	var raise []store.CoverageAlert
	var raised map[string]bool // the seats already alerted this half-day: a page read writes nothing new
	for _, x := range v.Seats {
		if !x.State.Alert() || v.NoRoster {
			continue
		}
		if raised == nil {
			old, err := s.DB.Alerts(ctx, c.Path, day, day, 200)
			if err != nil {
				return v, err
			}
			raised = map[string]bool{}
			for _, a := range old {
				raised[a.Seat+string(a.Half)] = true
			}
		}
		if !raised[x.Seat.ID+string(v.Half)] {
			raise = append(raise, store.CoverageAlert{Seat: x.Seat.ID, Center: c.ID, Staff: x.Rostered, Day: day, Half: v.Half, State: x.State})
		}
	}
	if len(raise) > 0 {
		err = s.DB.Write(ctx, func(tx *store.Tx) error {
			for _, a := range raise {
				if _, err := tx.RaiseAlert(a, c.Path); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return v, err
}

// SweepCoverage looks at every center's and station's seats now, so that a seat empty during opening hours
// raises its alert (三.(一).5) whether or not anyone has the coverage page open; it runs with the supervision
// job.
func (s *Service) SweepCoverage(ctx context.Context) error {
	centers, err := s.hallPlaces(ctx, "/")
	if err != nil {
		return err
	}
	day, _ := s.hallNow()
	for _, c := range centers {
		// a center with no roster for today keeps none (it has not taken rosters up, or is closed): the sweep
		// leaves it, and its coverage page still shows its seats empty
		if entries, err := s.DB.Roster(ctx, c.ID, day, day); err != nil || len(entries) == 0 {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := s.coverageNow(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// CenterCoverage is one center's (or station's) line of the banner's coverage view.
type CenterCoverage struct {
	Center                                 org.Org
	Open                                   bool
	NoRoster                               bool // a station that keeps no roster today
	Seats, Present, Covered, Empty, Absent int
	Month                                  int // alerts raised this month: the empty windows and seats supervision counts
}

// BannerCoverage is the supervising office's view: every center and station of the subtree now, the
// emptiest first (centers before stations among equals).
func (s *Service) BannerCoverage(ctx context.Context, actor access.Actor) ([]CenterCoverage, error) {
	if err := actor.Check(access.CoverageRead, actor.OrgPath); err != nil {
		return nil, err
	}
	centers, err := s.hallPlaces(ctx, actor.OrgPath)
	if err != nil {
		return nil, err
	}
	out := make([]CenterCoverage, 0, len(centers))
	for _, c := range centers {
		v, err := s.coverageNow(ctx, c)
		if err != nil {
			return nil, err
		}
		line := CenterCoverage{Center: c, Open: v.Open, Seats: len(v.Seats), NoRoster: v.NoRoster}
		for _, x := range v.Seats {
			if v.NoRoster {
				break
			}
			switch x.State {
			case roster.Present:
				line.Present++
			case roster.Covered:
				line.Covered++
			case roster.Empty:
				line.Empty++
			case roster.Absent:
				line.Absent++
			}
		}
		out = append(out, line)
	}
	today, _ := s.hallNow()
	month, err := s.DB.AlertCounts(ctx, actor.OrgPath, clock.Date{Y: today.Y, M: today.M, D: 1}, today)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Month = month[out[i].Center.ID]
	}
	slices.SortStableFunc(out, func(a, b CenterCoverage) int { return (b.Empty + b.Absent) - (a.Empty + a.Absent) })
	return out, nil
}

// --- recusal (point 7)

// Declare records a relation the actor declares (回避).
func (s *Service) Declare(ctx context.Context, actor access.Actor, in roster.DeclarationInput) (roster.Declaration, error) {
	if err := actor.Check(access.RecusalDeclare, actor.OrgPath); err != nil {
		return roster.Declaration{}, err
	}
	if err := textLimits(limit("number", in.Number, 40), limit("relation_name", in.Name, 400), limit("note", in.Note, 2000)); err != nil {
		return roster.Declaration{}, err
	}
	d, err := in.Check(actor.ID)
	if err != nil {
		return d, err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.Declare(actor, &d) })
	return d, err
}

// Declarations are the actor's own declarations, numbers masked.
func (s *Service) Declarations(ctx context.Context, actor access.Actor) ([]roster.Declaration, error) {
	list, err := s.DB.Declarations(ctx, actor.ID)
	for i := range list {
		if list[i].Relation == roster.FormerEmployer {
			list[i].Number = people.MaskCreditCode(list[i].Number)
		} else {
			list[i].Number = people.MaskIDNumber(list[i].Number)
		}
	}
	return list, err
}

// conflictOf is the declaration of staffID that concerns the case's applicant (false when none).
func (s *Service) conflictOf(ctx context.Context, staffID string, c cases.Case) (roster.Declaration, bool, error) {
	if has, err := s.DB.Declares(ctx, staffID); err != nil || !has {
		return roster.Declaration{}, false, err
	}
	decls, err := s.DB.Declarations(ctx, staffID)
	if err != nil || len(decls) == 0 {
		return roster.Declaration{}, false, err
	}
	a, err := s.DB.Applicant(ctx, c.ApplicantID)
	if err != nil {
		return roster.Declaration{}, false, err
	}
	d, ok := roster.Conflict(decls, a.IDNumber, a.CreditCode)
	return d, ok, nil
}

// recuse refuses a move on a case whose applicant the actor (or the person a case is given to) has declared
// a relation with (回避); the refusal is audited.
func (s *Service) recuse(ctx context.Context, actor access.Actor, c cases.Case, a cases.Action, in cases.Input) error {
	if actor.System {
		return nil
	}
	d, ok, err := s.conflictOf(ctx, actor.ID, c)
	if err != nil {
		return err
	}
	if ok {
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.Recused(actor, c, d, string(a)) }); err != nil {
			return err
		}
		return errs.New(errs.Forbidden, "err.people.recused")
	}
	if a == cases.Assign && in.Assignee != "" {
		if _, ok, err := s.conflictOf(ctx, in.Assignee, c); err != nil || ok {
			if err == nil {
				err = errs.Field("assignee", "err.people.assignee_recused")
			}
			return err
		}
	}
	return nil
}

// NameOf is a member of staff's name ("" when unknown), for the roster's grid.
func (w RosterWeek) NameOf(id string) string { return w.Staff[id].Name }

// NameOf is a member of staff's name, for the coverage page.
func (c Coverage) NameOf(id string) string { return c.Staff[id].Name }

// --- the public staff page (point 9): who is on duty today (亮身份), seat cards (置座牌)

// OnDuty is one person on the public page: their record (never the phone), their seat and whether they cover
// for someone on leave.
type OnDuty struct {
	Rec      store.StaffRecord
	Seat     roster.Seat
	Covering bool
}

// DutyDay is a center's people of a day.
type DutyDay struct {
	Center org.Org
	Day    clock.Date
	People []OnDuty
}

// OnDutyToday is a center's people on duty today, from the roster and the approved leaves (public).
func (s *Service) OnDutyToday(ctx context.Context, centerID string) (DutyDay, error) {
	c, err := s.hallPlace(ctx, centerID)
	if err != nil {
		return DutyDay{}, err
	}
	day, _ := s.hallNow()
	d := DutyDay{Center: c, Day: day}
	entries, err := s.DB.Roster(ctx, c.ID, day, day)
	if err != nil {
		return d, err
	}
	if c.Kind == org.Station && len(entries) == 0 {
		return s.stationDuty(ctx, d)
	}
	seats, staff, err := s.hallOf(ctx, c)
	if err != nil {
		return d, err
	}
	sm := seatMap(seats)
	leaves, err := s.DB.LeavesOver(ctx, c.ID, day, day, roster.Approved, roster.Returned)
	if err != nil {
		return d, err
	}
	seen := map[string]bool{}
	for _, e := range entries {
		who, covering := e.Staff, false
		for _, l := range leaves {
			if l.Staff == e.Staff && l.On(day) {
				who, covering = l.Substitute, true
			}
		}
		r, ok := staff[who]
		if !ok || !r.Active || seen[who] {
			continue
		}
		seen[who] = true
		r.Phone = ""
		d.People = append(d.People, OnDuty{Rec: r, Seat: sm[e.Seat], Covering: covering})
	}
	return d, nil
}

// OnDutyAll is every active person of a center's hall with their first qualified seat (a station's agents
// with the station), for the seat cards.
func (s *Service) OnDutyAll(ctx context.Context, centerID string) (DutyDay, error) {
	c, err := s.hallPlace(ctx, centerID)
	if err != nil {
		return DutyDay{}, err
	}
	day, _ := s.hallNow()
	d := DutyDay{Center: c, Day: day}
	seats, staff, err := s.hallOf(ctx, c)
	if err != nil {
		return d, err
	}
	sm := seatMap(seats)
	for _, r := range staff {
		if c.Kind == org.Station && roster.Qualified(r.Person(), seats[0]) {
			r.Seats = []string{c.ID}
		}
		if !r.Active || len(r.Seats) == 0 {
			continue
		}
		r.Phone = ""
		d.People = append(d.People, OnDuty{Rec: r, Seat: sm[r.Seats[0]]})
	}
	slices.SortFunc(d.People, func(a, b OnDuty) int { return strings.Compare(a.Rec.Username, b.Rec.Username) })
	return d, nil
}

// SeatName is a seat's name in a language, for the alerts' list.
func (c Coverage) SeatName(id, lang string) string {
	for _, x := range c.Seats {
		if x.Seat.ID == id {
			return x.Seat.Name(lang)
		}
	}
	return ""
}

// --- the 六有 board (point 10) and the window signs (point 11)

// PublishDoc publishes a new version of one of a center's board documents (the director; 内政办发〔1996〕32号:
// both scripts).
func (s *Service) PublishDoc(ctx context.Context, actor access.Actor, centerID string, in roster.DocInput) (roster.Doc, error) {
	c, err := s.peopleCenter(ctx, actor, centerID, access.BoardEdit)
	if err != nil {
		return roster.Doc{}, err
	}
	if err := textLimits(limit("doc_kind", in.Kind, 20), limit("effective", in.Effective, 20)); err != nil {
		return roster.Doc{}, err
	}
	today, _ := s.hallNow()
	d, err := in.Check(today)
	if err != nil {
		return d, err
	}
	for _, f := range []struct{ field, v string }{{"doc_title_mn", d.TitleMn}, {"doc_body_mn", d.BodyMn}} {
		if e := mnOnly(f.field, f.v); e != nil {
			return d, e
		}
	}
	d.Center = c.ID
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.PublishDoc(actor, &d) })
	return d, err
}

// mnOnly refuses a Mongolian text without a Mongolian letter (a Chinese pasted in the Mongolian field).
func mnOnly(field, v string) error {
	for _, r := range v {
		if r >= 0x1820 && r <= 0x18AF {
			return nil
		}
	}
	return errs.Field(field, "err.people.not_mongolian")
}

// Board6 is what the 六有 board of a center shows, generated from the data.
type Board6 struct {
	Center, Township org.Org
	Day              clock.Date
	Docs             map[roster.DocKind]roster.Doc // in force today
	All              []roster.Doc                  // every version, for the director's page
	People           []OnDuty                      // 人员信息: today's roster
	Items            []BoardItem                   // 服务项目: the township's published items
	Week             []HoursDay                    // opening hours of the next seven days
	Phones           []string                      // 咨询电话 of the township's items
	Complaint        []string                      // 监督投诉电话
	Flows            []BoardFlow                   // 服务流程: from the guides of the items (roster.Flows)
}

// BoardFlow is one way through the hall and the items that go that way, by their number in the board's
// 服务项目 (a poster names each item once).
type BoardFlow struct {
	Steps []roster.FlowStep
	Nums  []int
}

// BoardItem is one service on the board.
type BoardItem struct {
	ID, NameZh, NameMn string
}

// Doc is the document of a kind in force ("" title when none is published).
func (b Board6) Doc(kind string) roster.Doc { return b.Docs[roster.DocKind(kind)] }

// BoardOf reads a center's 六有 board (public).
func (s *Service) BoardOf(ctx context.Context, centerID string) (Board6, error) {
	c, err := s.hallPlace(ctx, centerID)
	if err != nil {
		return Board6{}, err
	}
	b := Board6{Center: c}
	if b.Township, err = s.DB.Org(ctx, c.ParentID); err != nil {
		return b, err
	}
	duty, err := s.OnDutyToday(ctx, c.ID)
	if err != nil {
		return b, err
	}
	b.Day, b.People = duty.Day, duty.People
	if b.All, err = s.DB.BoardDocs(ctx, c.ID); err != nil {
		return b, err
	}
	b.Docs = roster.Current(b.All, b.Day)
	ims, err := s.DB.ImplementationsAt(ctx, b.Township.ID)
	if err != nil {
		return b, err
	}
	ids := make([]string, 0, len(ims))
	for _, im := range ims {
		ids = append(ids, im.ItemID)
		if im.ConsultPhone != "" && !slices.Contains(b.Phones, im.ConsultPhone) {
			b.Phones = append(b.Phones, im.ConsultPhone)
		}
		if im.ComplaintPhone != "" && !slices.Contains(b.Complaint, im.ComplaintPhone) {
			b.Complaint = append(b.Complaint, im.ComplaintPhone)
		}
	}
	if len(ids) > 0 {
		items, err := s.DB.PublishedItems(ctx, store.ItemFilter{IDs: ids})
		if err != nil {
			return b, err
		}
		for _, it := range items {
			b.Items = append(b.Items, BoardItem{ID: it.ID, NameZh: it.NameZh, NameMn: it.NameMn})
			if it.ComplaintPhone != "" && !slices.Contains(b.Complaint, it.ComplaintPhone) {
				b.Complaint = append(b.Complaint, it.ComplaintPhone)
			}
		}
		for _, f := range roster.Flows(items, s.MnText) {
			bf := BoardFlow{Steps: f.Steps}
			for _, i := range f.Items {
				bf.Nums = append(bf.Nums, i+1)
			}
			b.Flows = append(b.Flows, bf)
		}
	}
	b.Week, _, err = s.HoursAhead(ctx, c.ID, 7)
	return b, err
}

// Signs are a center's window signs: every window and back-office seat, and the five zones.
type Signs struct {
	Center org.Org
	Seats  []roster.Seat
	Zones  []roster.Zone
}

// SignsOf reads what a center's signs say (public: they hang in the hall).
func (s *Service) SignsOf(ctx context.Context, centerID string) (Signs, error) {
	c, err := s.center(ctx, centerID)
	if err != nil {
		return Signs{}, err
	}
	seats, _, err := s.hallOf(ctx, c)
	return Signs{Center: c, Seats: seats, Zones: roster.Zones}, err
}

// --- per-person figures (point 12)

// PersonFigures is one person's month for the director (绩效考评): the cases they received (and of those,
// accepted, decided, decided on time: the supervision figures' person dimension counts by who received), the
// 好差评 of their window work, their attendance by the roster, their leave days, the 督办 they answered.
type PersonFigures struct {
	Rec                           store.StaffRecord
	Received, Accepted, Completed int
	OnTime                        int
	Ratings                       rating.Figures
	OnDuty, Late, Absent, Leave   int // rostered days: signed in on time, late, absent without leave, on leave
	Answered                      int
}

// OnTimeRate is the share of decided cases decided on time.
func (f PersonFigures) OnTimeRate() float64 {
	if f.Completed == 0 {
		return 0
	}
	return float64(f.OnTime) / float64(f.Completed)
}

// PeopleFigures are the month's figures of every person of the director's township (or of a township the
// supervisor names), by username.
func (s *Service) PeopleFigures(ctx context.Context, actor access.Actor, townshipID string, m supervision.Month) ([]PersonFigures, error) {
	t, err := s.DB.Org(ctx, townshipID)
	if err != nil {
		return nil, err
	}
	if t.Kind != org.Township {
		return nil, errs.Field("township", "err.not_found").With("what", "org")
	}
	if err := actor.Check(access.AttendanceRead, t.Path); err != nil {
		return nil, err
	}
	d, err := s.Dashboard(ctx, actor, DashboardQuery{Dim: supervision.Person, Period: m.Period(), Township: t.ID})
	if err != nil {
		return nil, err
	}
	byPerson := map[string]supervision.Line{}
	for _, l := range d.Lines {
		byPerson[l.Value] = l
	}
	staff, err := s.DB.StaffRecordsIn(ctx, t.Path)
	if err != nil {
		return nil, err
	}
	loc := s.hallLoc()
	p := m.Period()
	answered, err := s.DB.OrdersAnswered(ctx, t.Path, time.Date(p.From.Y, p.From.M, p.From.D, 0, 0, 0, 0, loc), time.Date(p.To.Y, p.To.M, p.To.D, 0, 0, 0, 0, loc).AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	var out []PersonFigures
	for _, r := range staff {
		l := byPerson[r.ID]
		f := PersonFigures{Rec: r, Received: l.Received, Accepted: l.Accepted, Completed: l.Completed, OnTime: l.OnTime,
			Ratings: d.Ratings.ByValue[r.ID], Answered: answered[r.ID]}
		if r.Role.Has(access.AttendanceSign) {
			_, days, err := s.AttendanceMonth(ctx, actor, r.ID, p.From)
			if errs.CodeOf(err) == errs.NotFound {
				days, err = nil, nil // an agent of a village without a station: no hall, no attendance
			}
			if err != nil {
				return nil, err
			}
			for _, dm := range days {
				switch dm.Mark {
				case roster.OnTime:
					f.OnDuty++
				case roster.Late:
					f.Late++
				case roster.AbsentNL:
					f.Absent++
				case roster.OnLeave:
					f.Leave++
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// --- 督办 cards told to staff (point 8)

// AlertOrders tells the people an open order concerns when its card turns yellow and again when it turns red
// (the seed 三.(四): 不间断督导检查; the card by the clock's own rule, oversight.Order.Card), by SMS in their
// language and once each; the desk shows the same card at the top of their queue. Who is told: the person the
// order names; else, for a case, who has taken it (承办), or the directors of the organisation addressed. It
// reports how many messages it queued.
func (s *Service) AlertOrders(ctx context.Context) (int, error) {
	list, err := s.DB.OpenOrdersToTell(ctx)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return 0, err
	}
	today := clock.DateOf(s.DB.Now().In(clk.Rules.Location))
	n := 0
	for _, o := range list {
		card := o.Card(clk, today)
		if (card != clock.Yellow && card != clock.Red) || string(card) == o.Told {
			continue
		}
		to, err := s.orderPeople(ctx, o.Order)
		if err != nil {
			return n, err
		}
		var msgs []store.Message
		for _, st := range to {
			if st.Phone == "" || !st.Active {
				continue
			}
			what := o.CaseNo
			if what == "" {
				what = o.OrgNameIn(st.Lang)
			}
			msgs = append(msgs, say("people.order_alert."+string(card), "what", what, "due", o.Due.String()).message(o.CaseID, st.Phone, st.Lang, "order."+string(card)))
		}
		if err := s.DB.Write(ctx, func(tx *store.Tx) error { return tx.TellOrder(o.ID, string(card), msgs) }); err != nil {
			return n, err
		}
		n += len(msgs)
	}
	return n, nil
}

// orderPeople are the staff an order concerns.
func (s *Service) orderPeople(ctx context.Context, o oversight.Order) ([]people.Staff, error) {
	if o.StaffID != "" {
		st, err := s.DB.Staff(ctx, o.StaffID)
		return []people.Staff{st}, err
	}
	if o.CaseID != "" {
		if c, err := s.DB.Case(ctx, o.CaseID); err == nil && c.Assignee != "" {
			if st, err := s.DB.Staff(ctx, c.Assignee); err == nil {
				return []people.Staff{st}, nil
			}
		}
	}
	all, err := s.DB.StaffIn(ctx, o.OrgPath)
	var out []people.Staff
	for _, st := range all {
		if st.Role == access.Director {
			out = append(out, st)
		}
	}
	return out, err
}

// hallPlace reads a service center or a village station (not found for anything else): the public staff page
// and the 六有 board are for both.
func (s *Service) hallPlace(ctx context.Context, id string) (org.Org, error) {
	c, err := s.DB.Org(ctx, id)
	if err != nil || (c.Kind != org.Center && c.Kind != org.Station) {
		return org.Org{}, errs.New(errs.NotFound, "err.not_found").With("what", "org")
	}
	return c, nil
}

// stationDuty is the people of a village station that keeps no roster for the day: its active agents (its
// agent is there in its opening hours), the station itself their seat.
func (s *Service) stationDuty(ctx context.Context, d DutyDay) (DutyDay, error) {
	village, err := s.DB.Org(ctx, d.Center.ParentID)
	if err != nil {
		return d, err
	}
	list, err := s.DB.StaffRecordsIn(ctx, village.Path)
	for _, r := range list {
		if r.Active && r.Role == access.Agent {
			r.Phone = ""
			d.People = append(d.People, OnDuty{Rec: r, Seat: roster.SeatOf(d.Center)})
		}
	}
	return d, err
}

// hallPlaces are the centers of a subtree, then its stations: every hall whose seats are rostered.
func (s *Service) hallPlaces(ctx context.Context, root string) ([]org.Org, error) {
	centers, err := s.DB.Subtree(ctx, root, org.Center)
	if err != nil {
		return nil, err
	}
	stations, err := s.DB.Subtree(ctx, root, org.Station)
	return append(centers, stations...), err
}
