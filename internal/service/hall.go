package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/hours"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// The hall (issue 10): tickets taken at the kiosk, the reception desk or by an appointment checked in; the
// windows that call them; the public board; appointments. Clerks and directors of a township operate their
// own center only (access.HallOperate on the center's subtree); the kiosk, the board and a ticket's own page
// are public and carry nothing private.

// kioskActor is the subject of the audit entries of what the public does at the kiosk (no sign-in there).
var kioskActor = access.Actor{ID: "kiosk", Name: "自助服务终端"}

func (s *Service) hallLoc() *time.Location { return s.cfg.Clock.Location }

// hallDay is the hall's day and minute now.
func (s *Service) hallDay() (clock.Date, int, time.Time) {
	now := s.DB.Now()
	d, m := hall.Today(now, s.hallLoc())
	return d, m, now
}

// center reads a service center by id (not found for anything else).
func (s *Service) center(ctx context.Context, id string) (org.Org, error) {
	c, err := s.DB.Org(ctx, id)
	if err != nil || c.Kind != org.Center {
		return org.Org{}, errs.New(errs.NotFound, "err.not_found").With("what", "org")
	}
	return c, nil
}

// hallOperator checks that the actor operates the center's hall.
func hallOperator(actor access.Actor, c org.Org) error {
	if actor.System {
		return nil
	}
	return actor.Check(access.HallOperate, c.Path)
}

// CenterOf is the service center of a township (false when it has none).
func (s *Service) CenterOf(ctx context.Context, township org.Org) (org.Org, bool, error) {
	list, err := s.DB.Subtree(ctx, township.Path, org.Center)
	if err != nil || len(list) == 0 {
		return org.Org{}, false, err
	}
	return list[0], true, nil
}

// --- opening hours

// Hours are an organisation's opening hours and their version (public).
func (s *Service) Hours(ctx context.Context, orgID string) (hours.Hours, int, error) {
	return s.DB.Hours(ctx, orgID)
}

// HoursDay is what the portal shows of a hall's hours: the next seven days with their spans and why.
type HoursDay struct {
	Day       clock.Date
	Spans     []hours.Span
	Holiday   bool // a holiday of the calendar
	Workday   bool // a weekend day worked by the yearly notice (调休)
	Exception *hours.Exception
}

// HoursAhead lists the next n days of a hall's hours from today.
func (s *Service) HoursAhead(ctx context.Context, orgID string, n int) ([]HoursDay, hours.Hours, error) {
	h, _, err := s.DB.Hours(ctx, orgID)
	if err != nil {
		return nil, h, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, h, err
	}
	today, _, _ := s.hallDay()
	out := make([]HoursDay, 0, n)
	for i := 0; i < n; i++ {
		d := today.AddDays(i)
		hd := HoursDay{Day: d, Spans: h.On(d, cal), Holiday: cal.IsHoliday(d)}
		wd := d.Weekday()
		hd.Workday = (wd == time.Saturday || wd == time.Sunday) && cal.IsWorkingDay(d)
		for j := range h.Exceptions {
			if h.Exceptions[j].Day == d {
				hd.Exception = &h.Exceptions[j]
			}
		}
		out = append(out, hd)
	}
	return out, h, nil
}

// SaveHours sets a center's or station's hours (directors and administrators of its subtree), if they are
// still at version.
func (s *Service) SaveHours(ctx context.Context, actor access.Actor, orgID string, h hours.Hours, version int) error {
	o, err := s.DB.Org(ctx, orgID)
	if err != nil {
		return err
	}
	if o.Kind != org.Center && o.Kind != org.Station {
		return errs.New(errs.NotFound, "err.not_found").With("what", "org")
	}
	if err := actor.Check(access.HoursEdit, o.Path); err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SaveHours(actor, orgID, h, version) })
}

// --- tickets

// TakeTicket issues a ticket of a category at a center: from the kiosk (actor nil) or the reception desk (a
// clerk or director of the center). A closed center issues none: the day's numbering starts at opening. key
// makes a submission idempotent.
func (s *Service) TakeTicket(ctx context.Context, actor *access.Actor, centerID string, cat hall.Category, key string) (hall.Ticket, error) {
	c, err := s.center(ctx, centerID)
	if err != nil {
		return hall.Ticket{}, err
	}
	who, src := kioskActor, hall.FromKiosk
	if actor != nil {
		if err := hallOperator(*actor, c); err != nil {
			return hall.Ticket{}, err
		}
		who, src = *actor, hall.FromDesk
	}
	if !cat.Valid() {
		return hall.Ticket{}, errs.Field("category", "err.required")
	}
	if err := s.hallOpen(ctx, c.ID); err != nil {
		return hall.Ticket{}, err
	}
	day, _, _ := s.hallDay()
	t := hall.Ticket{Center: c.ID, Day: day.String(), Category: cat, Source: src, SlotStart: -1}
	return s.issue(ctx, who, t, key)
}

// hallOpen refuses when the center is closed now (its hours, the calendar's holidays and 调休 days, exceptions).
func (s *Service) hallOpen(ctx context.Context, centerID string) error {
	h, _, err := s.DB.Hours(ctx, centerID)
	if err != nil {
		return err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	if !h.OpenAt(s.DB.Now(), s.hallLoc(), cal) {
		return errs.New(errs.Conflict, "err.hall.closed")
	}
	return nil
}

func (s *Service) issue(ctx context.Context, who access.Actor, t hall.Ticket, key string) (hall.Ticket, error) {
	var id string
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "ticket", who.ID, fingerprint(t.Center, t.Category, t.AppointmentID), func() (string, error) {
			x := t
			if err := tx.IssueTicket(who, &x); err != nil {
				return "", err
			}
			return x.ID, nil
		})
		return err
	})
	if err != nil {
		return hall.Ticket{}, err
	}
	s.boardMoved(t.Center)
	return s.DB.Ticket(ctx, id)
}

// TicketView is a ticket as its holder watches it: how many are before it, and where it is called.
type TicketView struct {
	Ticket hall.Ticket
	Center org.Org
	Ahead  int
}

// Ticket reads a ticket for its holder (public: the id is unguessable, and a ticket carries no name).
func (s *Service) Ticket(ctx context.Context, id string) (TicketView, error) {
	t, err := s.DB.Ticket(ctx, id)
	if err != nil {
		return TicketView{}, err
	}
	c, err := s.DB.Org(ctx, t.Center)
	if err != nil {
		return TicketView{}, err
	}
	v := TicketView{Ticket: t, Center: c}
	if t.State == hall.Waiting {
		waiting, err := s.DB.WaitingTickets(ctx, t.Center, t.Day)
		if err != nil {
			return v, err
		}
		_, minute, _ := s.hallDay()
		v.Ahead = hall.Ahead(t, waiting, minute)
	}
	return v, nil
}

// LinkTicket keeps what came of a visit: the case (or enquiry) a called ticket became. Only the center's
// front desk links, and a link once made stays (a second case of the same visit is found from the first).
func (s *Service) LinkTicket(ctx context.Context, actor access.Actor, ticketID, caseID, enquiryID string) (hall.Ticket, error) {
	t, err := s.DB.Ticket(ctx, ticketID)
	if err != nil {
		return t, err
	}
	c, err := s.center(ctx, t.Center)
	if err != nil {
		return t, err
	}
	if err := hallOperator(actor, c); err != nil {
		return t, err
	}
	if (caseID == "") == (enquiryID == "") {
		return t, errs.Field("case_id", "err.required")
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Ticket(ticketID)
		if err != nil {
			return err
		}
		after := before
		if caseID != "" && before.CaseID == "" {
			after.CaseID = caseID
		}
		if enquiryID != "" && before.EnquiryID == "" {
			after.EnquiryID = enquiryID
		}
		if after == before {
			return nil
		}
		after.Version++
		t = after
		return tx.UpdateTicket(actor, "ticket.link", before, after)
	})
	return t, err
}

// --- windows

// Desk is a clerk's view of the hall: their center's windows, their own session, the ticket they serve.
type Desk struct {
	Center   org.Org
	Windows  []org.Org // the center's front-desk windows
	Sessions []hall.WindowSession
	Mine     *hall.WindowSession
	Serving  []hall.Ticket
	Figures  []hall.CategoryFigures
	Appts    []hall.Appointment // today's appointments
	Day      string
}

// HallDesk reads the hall page of a clerk or director: the center of their township.
func (s *Service) HallDesk(ctx context.Context, actor access.Actor) (Desk, error) {
	c, err := s.actorCenter(ctx, actor)
	if err != nil {
		return Desk{}, err
	}
	day, _, _ := s.hallDay()
	d := Desk{Center: c, Day: day.String()}
	kids, err := s.DB.Children(ctx, c.ID)
	if err != nil {
		return d, err
	}
	for _, k := range kids {
		if k.Kind == org.Window && k.Desk == org.FrontDesk {
			d.Windows = append(d.Windows, k)
		}
	}
	// the general windows (综合受理) first: most clerks sit there
	slices.SortStableFunc(d.Windows, func(a, b org.Org) int {
		switch {
		case a.General == b.General:
			return 0
		case a.General:
			return -1
		}
		return 1
	})
	if d.Sessions, err = s.DB.Windows(ctx, c.ID); err != nil {
		return d, err
	}
	for i := range d.Sessions {
		if d.Sessions[i].Staff == actor.ID {
			d.Mine = &d.Sessions[i]
		}
	}
	if d.Figures, err = s.DB.DayFigures(ctx, c.ID, d.Day); err != nil {
		return d, err
	}
	if d.Mine != nil {
		calling, err := s.DB.Calling(ctx, c.ID, d.Day, 100)
		if err != nil {
			return d, err
		}
		for _, t := range calling {
			if t.Window == d.Mine.Window {
				d.Serving = append(d.Serving, t)
			}
		}
	}
	d.Appts, err = s.DB.AppointmentsOn(ctx, c.ID, d.Day)
	return d, err
}

// actorCenter is the service center of the township the actor works at (a clerk or director).
func (s *Service) actorCenter(ctx context.Context, actor access.Actor) (org.Org, error) {
	forbidden := errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.HallOperate))
	if actor.System || !actor.Role.Has(access.HallOperate) {
		return org.Org{}, forbidden
	}
	home, err := s.DB.Org(ctx, actor.OrgID)
	if err != nil {
		return org.Org{}, err
	}
	if home.Kind == org.Window || home.Kind == org.Center {
		for home.Kind != org.Center && home.ParentID != "" {
			if home, err = s.DB.Org(ctx, home.ParentID); err != nil {
				return org.Org{}, err
			}
		}
		return home, nil
	}
	if home.Kind != org.Township {
		return org.Org{}, forbidden
	}
	c, ok, err := s.CenterOf(ctx, home)
	if err != nil {
		return org.Org{}, err
	}
	if !ok {
		return org.Org{}, forbidden
	}
	return c, nil
}

// window reads a front-desk window and its center, and checks the actor operates that hall.
func (s *Service) window(ctx context.Context, actor access.Actor, windowID string) (org.Org, org.Org, error) {
	w, err := s.DB.Org(ctx, windowID)
	if err != nil || w.Kind != org.Window || w.Desk != org.FrontDesk {
		return w, org.Org{}, errs.Field("window", "err.not_found").With("what", "org")
	}
	c, err := s.center(ctx, w.ParentID)
	if err != nil {
		return w, c, err
	}
	return w, c, hallOperator(actor, c)
}

// SignOn seats the actor at a window, taking the given categories (none: every one). A clerk seated
// elsewhere leaves that window first.
func (s *Service) SignOn(ctx context.Context, actor access.Actor, windowID string, cats []hall.Category) error {
	w, c, err := s.window(ctx, actor, windowID)
	if err != nil {
		return err
	}
	for _, x := range cats {
		if !x.Valid() {
			return errs.Field("categories", "err.required")
		}
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if old, ok, err := tx.WindowOf(actor.ID); err != nil {
			return err
		} else if ok {
			if err := tx.SignOff(actor, old); err != nil {
				return err
			}
		}
		return tx.SignOn(actor, hall.WindowSession{Window: w.ID, WindowName: w.NameZh, Center: c.ID, Staff: actor.ID, StaffName: actor.Name, Categories: cats})
	})
}

// seated reads the actor's window inside a transaction and checks they still operate its hall.
func (s *Service) seated(ctx context.Context, tx *store.Tx, actor access.Actor) (hall.WindowSession, error) {
	w, ok, err := tx.WindowOf(actor.ID)
	if err != nil {
		return w, err
	}
	if !ok {
		return w, errs.New(errs.Conflict, "err.hall.not_signed_on")
	}
	c, err := s.center(ctx, w.Center)
	if err != nil {
		return w, err
	}
	return w, hallOperator(actor, c)
}

// SignOff frees the actor's window.
func (s *Service) SignOff(ctx context.Context, actor access.Actor) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := s.seated(ctx, tx, actor)
		if err != nil {
			return err
		}
		return tx.SignOff(actor, w)
	})
}

// Pause stops (or resumes) the actor's window calling.
func (s *Service) Pause(ctx context.Context, actor access.Actor, paused bool) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := s.seated(ctx, tx, actor)
		if err != nil {
			return err
		}
		if w.Paused == paused {
			return nil
		}
		return tx.SetPaused(actor, w, paused)
	})
}

// CallNext calls the next ticket to the actor's window by the queue's rules (hall.Next): the ticket it was
// serving is finished first. Two windows calling at once never call the same ticket: the loser of the race
// runs again and takes the next.
func (s *Service) CallNext(ctx context.Context, actor access.Actor) (hall.Ticket, error) {
	day, minute, _ := s.hallDay()
	var called hall.Ticket
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := s.seated(ctx, tx, actor)
		if err != nil {
			return err
		}
		if w.Paused {
			return errs.New(errs.Conflict, "err.hall.paused")
		}
		if err := tx.LockCenter(w.Center); err != nil {
			return err
		}
		serving, err := tx.CalledAt(w.Window, day.String())
		if err != nil {
			return err
		}
		for _, t := range serving {
			done, err := t.Apply(hall.Finish, tx.Now(), w.Window, w.WindowName, actor.ID, "", "")
			if err != nil {
				return err
			}
			if err := tx.UpdateTicket(actor, "ticket.finish", t, done); err != nil {
				return err
			}
		}
		waiting, err := tx.CallCandidates(w.Center, day.String(), w.Window)
		if err != nil {
			return err
		}
		next, ok := hall.Next(waiting, w.Desk(), minute)
		if !ok {
			return errs.New(errs.NotFound, "err.hall.queue_empty")
		}
		called, err = next.Apply(hall.Call, tx.Now(), w.Window, w.WindowName, actor.ID, "", "")
		if err != nil {
			return err
		}
		return tx.UpdateTicket(actor, "ticket.call", next, called)
	})
	s.boardMoved(called.Center)
	return called, err
}

// MoveTicket recalls, skips (过号), finishes or transfers a ticket the actor's window called. A transfer names
// another front-desk window of the same center, or another category.
func (s *Service) MoveTicket(ctx context.Context, actor access.Actor, ticketID string, m hall.Move, target string, cat hall.Category) (hall.Ticket, error) {
	if m == hall.Call || !slices.Contains([]hall.Move{hall.Recall, hall.Skip, hall.Finish, hall.Transfer}, m) {
		return hall.Ticket{}, errs.Field("move", "err.hall.move")
	}
	if target != "" {
		w, _, err := s.window(ctx, actor, target)
		if err != nil {
			return hall.Ticket{}, errs.Field("target", "err.hall.transfer_target")
		}
		target = w.ID
	}
	var after hall.Ticket
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		w, err := s.seated(ctx, tx, actor)
		if err != nil {
			return err
		}
		before, err := tx.Ticket(ticketID)
		if err != nil {
			return err
		}
		if before.Center != w.Center {
			return errs.New(errs.Forbidden, "err.hall.not_your_ticket")
		}
		if target != "" {
			if t, err := s.DB.Org(ctx, target); err != nil || t.ParentID != w.Center {
				return errs.Field("target", "err.hall.transfer_target")
			}
		}
		after, err = before.Apply(m, tx.Now(), w.Window, w.WindowName, actor.ID, target, cat)
		if err != nil {
			return err
		}
		return tx.UpdateTicket(actor, "ticket."+string(m), before, after)
	})
	s.boardMoved(after.Center)
	return after, err
}

// --- the board

// Board is what the hall's display shows: the tickets being called and where, waiting counts and average
// waits by category.
type Board struct {
	Center  org.Org
	Day     string
	Calling []hall.Ticket // called now, the latest call first
	Figures []hall.CategoryFigures
	Open    bool
	Windows map[string]org.Org // the center's windows by id: their names in both languages
}

// boardCalls is how many calls the board shows at once: as many as a screen read at 3 m holds.
const boardCalls = 6

// boardTTL is how long an instance answers a center's board from memory: every display and phone of a
// hall asks every few seconds, and they may see a call a second late (a call on this instance shows at once).
const boardTTL = time.Second

type cachedBoard struct {
	b      Board
	at     time.Time
	minute int // the hall's minute it was read in: whether the hall is open changes by the minute
}

// Board reads a center's board (public: numbers and windows, nobody's name).
func (s *Service) Board(ctx context.Context, centerID string) (Board, error) {
	day, minute, _ := s.hallDay()
	stamp := day.Int()*24*60 + minute
	if v, ok := s.boards.Load(centerID); ok && v.(cachedBoard).minute == stamp && time.Since(v.(cachedBoard).at) < boardTTL {
		return v.(cachedBoard).b, nil
	}
	b, err := s.readBoard(ctx, centerID)
	if err == nil {
		s.boards.Store(centerID, cachedBoard{b, time.Now(), stamp})
	}
	return b, err
}

// boardMoved drops a center's board from memory after a call or a move here.
func (s *Service) boardMoved(center string) { s.boards.Delete(center) }

func (s *Service) readBoard(ctx context.Context, centerID string) (Board, error) {
	c, err := s.center(ctx, centerID)
	if err != nil {
		return Board{}, err
	}
	day, _, _ := s.hallDay()
	b := Board{Center: c, Day: day.String()}
	if b.Calling, err = s.DB.Calling(ctx, c.ID, b.Day, boardCalls); err != nil {
		return b, err
	}
	if b.Figures, err = s.DB.DayFigures(ctx, c.ID, b.Day); err != nil {
		return b, err
	}
	b.Open = s.hallOpen(ctx, c.ID) == nil
	kids, err := s.DB.Children(ctx, c.ID)
	b.Windows = make(map[string]org.Org, len(kids))
	for _, k := range kids {
		b.Windows[k.ID] = k
	}
	return b, err
}

// --- appointments

// SlotView is one slot of a day and what is left of it per category.
type SlotView struct {
	Slot hours.Slot
	Left map[hall.Category]int
}

// DaySlots lists a center's slots of a day with the places left (none on a holiday or a closed day).
func (s *Service) DaySlots(ctx context.Context, centerID string, day clock.Date) ([]SlotView, error) {
	if _, err := s.center(ctx, centerID); err != nil {
		return nil, err
	}
	h, _, err := s.DB.Hours(ctx, centerID)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	booked, err := s.DB.BookedCounts(ctx, centerID, day.String())
	if err != nil {
		return nil, err
	}
	today, minute, _ := s.hallDay()
	var out []SlotView
	for _, sl := range h.Slots(day, cal) {
		if day == today && sl.Start <= minute {
			continue
		}
		v := SlotView{Slot: sl, Left: map[hall.Category]int{}}
		for _, c := range hall.Categories {
			v.Left[c] = max(0, h.Capacity-booked[sl.Label()+"/"+string(c)])
		}
		out = append(out, v)
	}
	return out, nil
}

// BookInput is a booking: online by a signed-in resident, or by phone at the desk (name and phone given).
type BookInput struct {
	Center   string `json:"center_id"`
	Category string `json:"category"`
	Day      string `json:"day"`
	Slot     string `json:"slot"`
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Book books a slot: for a resident (res set) online, or by a clerk of the center (actor set) for a caller.
// A holiday has no slots; a full slot is refused; a resident holds one booking a day.
func (s *Service) Book(ctx context.Context, res *people.ResidentAccount, actor *access.Actor, in BookInput, key string) (hall.Appointment, error) {
	c, err := s.center(ctx, in.Center)
	if err != nil {
		return hall.Appointment{}, errs.Field("center_id", "err.not_found").With("what", "org")
	}
	a := hall.Appointment{Center: c.ID, Category: hall.Category(in.Category), Day: strings.TrimSpace(in.Day), Slot: strings.TrimSpace(in.Slot)}
	var who access.Actor
	switch {
	case res != nil:
		who = res.Actor()
		a.Channel, a.ResidentID, a.ApplicantID, a.Name, a.Phone, a.By = hall.Online, res.ID, res.ApplicantID, res.Name, res.Phone, res.ID
	case actor != nil:
		if err := hallOperator(*actor, c); err != nil {
			return a, err
		}
		who = *actor
		a.Channel, a.Name, a.Phone, a.By = hall.Phone, strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone), actor.ID
	default:
		return a, errs.New(errs.Unauthenticated, "err.session")
	}
	h, _, err := s.DB.Hours(ctx, c.ID)
	if err != nil {
		return a, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return a, err
	}
	slot, err := hall.CheckBooking(a, h, cal, s.DB.Now(), s.hallLoc())
	if err != nil {
		return a, err
	}
	a.SlotStart, a.SlotEnd = slot.Start, slot.End
	var id string
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.IdempotentFor(key, "appointment", who.ID, fingerprint(in), func() (string, error) {
			n, err := tx.Booked(a.Center, a.Day, a.Slot, a.Category)
			if err != nil {
				return "", err
			}
			if n >= h.Capacity {
				return "", errs.Field("slot", "err.hall.slot_full")
			}
			if a.ResidentID != "" {
				if n, err := tx.BookedBy(a.ResidentID, a.Day); err != nil {
					return "", err
				} else if n > 0 {
					return "", errs.Field("day", "err.hall.one_a_day")
				}
			}
			x := a
			if err := tx.CreateAppointment(who, &x); err != nil {
				return "", err
			}
			return x.ID, nil
		})
		return err
	})
	if err != nil {
		return a, err
	}
	return s.DB.Appointment(ctx, id)
}

// MyAppointments lists a resident's bookings from today on.
func (s *Service) MyAppointments(ctx context.Context, res people.ResidentAccount) ([]hall.Appointment, error) {
	today, _, _ := s.hallDay()
	return s.DB.ResidentAppointments(ctx, res.ID, today.String())
}

// MoveAppointment cancels a booking (its resident, or the center's desk) or records its no-show (the desk).
func (s *Service) MoveAppointment(ctx context.Context, res *people.ResidentAccount, actor *access.Actor, id, move string) (hall.Appointment, error) {
	a, err := s.DB.Appointment(ctx, id)
	if err != nil {
		return a, err
	}
	var who access.Actor
	switch {
	case res != nil && a.ResidentID == res.ID && move == "cancel":
		who = res.Actor()
	case actor != nil && (move == "cancel" || move == "no_show"):
		c, err := s.center(ctx, a.Center)
		if err != nil {
			return a, err
		}
		if err := hallOperator(*actor, c); err != nil {
			return a, err
		}
		who = *actor
	default:
		return a, errs.New(errs.Forbidden, "err.forbidden").With("action", string(access.HallOperate))
	}
	today, minute, _ := s.hallDay()
	var after hall.Appointment
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.Appointment(id)
		if err != nil {
			return err
		}
		if after, err = hall.ApplyAppointment(before, move, today, minute); err != nil {
			return err
		}
		return tx.UpdateAppointment(who, "appointment."+move, before, after)
	})
	return after, err
}

// hallSweep is who records the no-shows of the day's sweep in the audit trail.
var hallSweep = access.Actor{ID: "hall-sweep", Name: "预约爽约记录", System: true}

// SweepMissedAppointments records as no-shows the bookings whose slot ended without a check-in (the day's
// sweep, beside the desk's own record of them), a hundred to a transaction, and says how many it recorded. A
// booking moved meanwhile (checked in, cancelled, recorded by the desk) is left as it is.
func (s *Service) SweepMissedAppointments(ctx context.Context) (int, error) {
	today, minute, _ := s.hallDay()
	n := 0
	for {
		list, err := s.DB.EndedBookings(ctx, today.String(), minute, 100)
		if err != nil || len(list) == 0 {
			return n, err
		}
		moved := 0
		err = s.DB.Write(ctx, func(tx *store.Tx) error {
			moved = 0
			for _, a := range list {
				before, err := tx.Appointment(a.ID)
				if err != nil {
					return err
				}
				after, err := hall.ApplyAppointment(before, "no_show", today, minute)
				if errs.CodeOf(err) == errs.Conflict {
					continue
				}
				if err != nil {
					return err
				}
				if err := tx.UpdateAppointment(hallSweep, "appointment.no_show", before, after); err != nil {
					return err
				}
				moved++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += moved
		if moved == 0 {
			return n, nil // what is left cannot be moved: nothing to sweep again
		}
	}
}

// CheckIn turns a booking into a ticket on arrival, by its six-digit code: at the kiosk (actor nil) or the
// desk. The ticket carries the slot, so that it is called before the walk-ins of its slot.
func (s *Service) CheckIn(ctx context.Context, actor *access.Actor, centerID, code string) (hall.Ticket, error) {
	c, err := s.center(ctx, centerID)
	if err != nil {
		return hall.Ticket{}, err
	}
	who := kioskActor
	if actor != nil {
		if err := hallOperator(*actor, c); err != nil {
			return hall.Ticket{}, err
		}
		who = *actor
	}
	code = strings.TrimSpace(code)
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return hall.Ticket{}, errs.Field("appointment_code", "err.hall.code")
	}
	if err := s.hallOpen(ctx, c.ID); err != nil {
		return hall.Ticket{}, err
	}
	today, minute, _ := s.hallDay()
	var t hall.Ticket
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.AppointmentByCode(c.ID, today.String(), code)
		if err != nil {
			return errs.Field("appointment_code", "err.hall.code")
		}
		after, err := hall.ApplyAppointment(before, "check_in", today, minute)
		if err != nil {
			return err
		}
		t = hall.Ticket{Center: c.ID, Day: today.String(), Category: before.Category, Source: hall.FromAppointment,
			AppointmentID: before.ID, SlotStart: before.SlotStart, ApplicantID: before.ApplicantID}
		if err := tx.IssueTicket(who, &t); err != nil {
			return err
		}
		after.TicketID = t.ID
		return tx.UpdateAppointment(who, "appointment.check_in", before, after)
	})
	s.boardMoved(c.ID)
	return t, err
}

// DeskTicket reads a ticket for the front desk of its center.
func (s *Service) DeskTicket(ctx context.Context, actor access.Actor, id string) (hall.Ticket, error) {
	t, err := s.DB.Ticket(ctx, id)
	if err != nil {
		return t, err
	}
	c, err := s.center(ctx, t.Center)
	if err != nil {
		return t, err
	}
	return t, hallOperator(actor, c)
}
