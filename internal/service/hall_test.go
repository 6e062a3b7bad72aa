package service_test

import (
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// hallAt sets the store's clock to a moment of the hall's day (China time).
func hallAt(db *store.DB, day, hm string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, clock.DefaultRules().Location)
	if err != nil {
		panic(err)
	}
	db.Now = func() time.Time { return t }
}

type hallWorld struct {
	*world
	center  org.Org // 天山镇便民服务中心
	windows []org.Org
	other   org.Org // 绍根镇便民服务中心
}

func newHallWorld(t *testing.T, db *store.DB) hallWorld {
	t.Helper()
	w := demoWorld(t, db)
	h := hallWorld{world: w}
	var ok bool
	var err error
	if h.center, ok, err = w.svc.CenterOf(ctx, w.targets["T1"]); err != nil || !ok {
		t.Fatalf("center: %v", err)
	}
	if h.other, ok, err = w.svc.CenterOf(ctx, w.targets["T2"]); err != nil || !ok {
		t.Fatalf("center: %v", err)
	}
	kids, _ := db.Children(ctx, h.center.ID)
	for _, k := range kids {
		if k.Kind == org.Window && k.Desk == org.FrontDesk {
			h.windows = append(h.windows, k)
		}
	}
	if len(h.windows) < 2 {
		t.Fatalf("windows: %v", kids)
	}
	return h
}

func code(err error) errs.Code { return errs.CodeOf(err) }

// A morning at 天山镇's hall through the service: tickets at the kiosk and the desk numbered per category and
// day, a call order with 帮办 first, recall, skip, transfer, a case linked; the refusals of the issue: a
// ticket from a closed center, an appointment on a holiday, another township's clerk, a stranger.
func TestHallMorning(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		h := newHallWorld(t, db)
		svc := h.svc
		clerk, clerk2 := h.actors["tianshan.clerk"], h.actors["tianshan.director"]

		hallAt(db, "2026-03-10", "07:50") // a Tuesday before opening
		if _, err := svc.TakeTicket(ctx, nil, h.center.ID, hall.General, ""); code(err) != errs.Conflict {
			t.Fatalf("a ticket before opening: %v", err)
		}
		hallAt(db, "2026-10-01", "09:00") // National Day
		if _, err := svc.TakeTicket(ctx, nil, h.center.ID, hall.General, ""); code(err) != errs.Conflict {
			t.Fatalf("a ticket on a holiday: %v", err)
		}

		hallAt(db, "2026-03-10", "08:31")
		a1, err := svc.TakeTicket(ctx, nil, h.center.ID, hall.General, "k1")
		if err != nil || a1.No != "A001" || a1.Source != hall.FromKiosk {
			t.Fatalf("first ticket: %+v %v", a1, err)
		}
		if again, _ := svc.TakeTicket(ctx, nil, h.center.ID, hall.General, "k1"); again.ID != a1.ID {
			t.Error("the same kiosk submission made a second ticket")
		}
		a2, _ := svc.TakeTicket(ctx, &clerk, h.center.ID, hall.General, "")
		d1, _ := svc.TakeTicket(ctx, nil, h.center.ID, hall.Assist, "")
		if a2.No != "A002" || d1.No != "D001" || a2.Source != hall.FromDesk {
			t.Fatalf("numbers: %s %s", a2.No, d1.No)
		}
		// another center numbers from 1 too
		if o, _ := svc.TakeTicket(ctx, nil, h.other.ID, hall.General, ""); o.No != "A001" {
			t.Errorf("绍根镇's first ticket: %s", o.No)
		}

		// refusals: another township's clerk, a stranger, a reviewer
		for _, who := range []string{"shaogen.clerk", "shaogen.director", "tianshan.reviewer", "yangshulin.agent", "supervisor"} {
			a := h.actors[who]
			if _, err := svc.TakeTicket(ctx, &a, h.center.ID, hall.General, ""); code(err) != errs.Forbidden {
				t.Errorf("%s issued a desk ticket: %v", who, err)
			}
			if err := svc.SignOn(ctx, a, h.windows[0].ID, nil); code(err) != errs.Forbidden {
				t.Errorf("%s signed on at 天山镇's window: %v", who, err)
			}
		}
		stranger := access.Actor{ID: "x", Name: "x"}
		if err := svc.SignOn(ctx, stranger, h.windows[0].ID, nil); code(err) != errs.Forbidden {
			t.Errorf("a stranger signed on: %v", err)
		}
		if _, err := svc.CallNext(ctx, h.actors["shaogen.clerk"]); code(err) != errs.Conflict {
			t.Errorf("a clerk at no window called: %v", err)
		}

		if err := svc.SignOn(ctx, clerk, h.windows[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := svc.SignOn(ctx, clerk2, h.windows[0].ID, nil); code(err) != errs.Invalid {
			t.Errorf("two at one window: %v", err)
		}
		if err := svc.SignOn(ctx, clerk2, h.windows[1].ID, []hall.Category{hall.General}); err != nil {
			t.Fatal(err)
		}
		// the other township's clerk signs on at their own hall and cannot touch 天山镇's tickets
		sg := h.actors["shaogen.clerk"]
		sgKids, _ := db.Children(ctx, h.other.ID)
		if err := svc.SignOn(ctx, sg, sgKids[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.MoveTicket(ctx, sg, a1.ID, hall.Skip, "", ""); code(err) != errs.Forbidden {
			t.Errorf("another township's clerk skipped a ticket: %v", err)
		}
		if _, err := svc.LinkTicket(ctx, sg, a1.ID, "c", ""); code(err) != errs.Forbidden {
			t.Errorf("another township's clerk linked a ticket: %v", err)
		}

		hallAt(db, "2026-03-10", "08:40")
		first, err := svc.CallNext(ctx, clerk)
		if err != nil || first.No != "D001" {
			t.Fatalf("帮办 is called first: %+v %v", first, err)
		}
		second, _ := svc.CallNext(ctx, clerk2)
		if second.No != "A001" {
			t.Fatalf("the general window calls A001: %s", second.No)
		}
		if v, _ := svc.Ticket(ctx, a2.ID); v.Ahead != 0 {
			t.Errorf("ahead of A002: %d", v.Ahead)
		}
		if _, err := svc.MoveTicket(ctx, clerk, second.ID, hall.Recall, "", ""); code(err) != errs.Forbidden {
			t.Errorf("a window recalled another's ticket: %v", err)
		}
		if re, err := svc.MoveTicket(ctx, clerk2, second.ID, hall.Recall, "", ""); err != nil || re.Calls != 2 {
			t.Errorf("recall: %+v %v", re, err)
		}
		if _, err := svc.MoveTicket(ctx, clerk2, second.ID, hall.Skip, "", ""); err != nil {
			t.Error(err)
		}
		// the first window finished D001 by calling the next: A002; it transfers it to window two
		hallAt(db, "2026-03-10", "08:50")
		third, _ := svc.CallNext(ctx, clerk)
		if third.No != "A002" {
			t.Fatalf("third call: %s", third.No)
		}
		if d, _ := db.Ticket(ctx, d1.ID); d.State != hall.Done || d.Service() != 10*time.Minute || d.Wait() != 9*time.Minute {
			t.Errorf("D001 finished by the next call: %+v", d)
		}
		if _, err := svc.MoveTicket(ctx, clerk, third.ID, hall.Transfer, h.windows[1].ID, ""); err != nil {
			t.Fatal(err)
		}
		if x, err := svc.CallNext(ctx, clerk); code(err) != errs.NotFound {
			t.Errorf("window one called a ticket transferred to window two: %+v %v", x, err)
		}
		got, err := svc.CallNext(ctx, clerk2)
		if err != nil || got.ID != a2.ID || got.Window != h.windows[1].ID {
			t.Fatalf("window two calls the transferred ticket: %+v %v", got, err)
		}
		linked, err := svc.LinkTicket(ctx, clerk2, got.ID, "case-1", "")
		if err != nil || linked.CaseID != "case-1" {
			t.Errorf("link: %+v %v", linked, err)
		}
		b, _ := svc.Board(ctx, h.center.ID)
		if len(b.Calling) != 1 || b.Calling[0].No != "A002" || !b.Open {
			t.Errorf("board: %+v", b.Calling)
		}
		if err := svc.Pause(ctx, clerk, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CallNext(ctx, clerk); code(err) != errs.Conflict {
			t.Errorf("a paused window called: %v", err)
		}
	})
}

// Appointments: slots from the hours and the calendar, none on a holiday, 调休 days open; capacity; one a
// day for a resident; cancellation; check-in makes a ticket called before the walk-ins of its slot; no-show.
func TestHallAppointments(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		h := newHallWorld(t, db)
		svc := h.svc
		clerk := h.actors["tianshan.clerk"]
		res := people.ResidentAccount{ID: "r1", Name: "巴特尔", Phone: "13904761234"}
		res2 := people.ResidentAccount{ID: "r2", Name: "其木格", Phone: "13904761235"}

		hallAt(db, "2026-09-28", "10:00")
		_, err := svc.Book(ctx, &res, nil, service.BookInput{Center: h.center.ID, Category: "general", Day: "2026-10-01", Slot: "09:00"}, "")
		if !hasKey(err, "err.hall.closed_day") {
			t.Errorf("an appointment on National Day: %v", err)
		}
		if s, _ := svc.DaySlots(ctx, h.center.ID, clock.MustDate("2026-10-01")); len(s) != 0 {
			t.Errorf("National Day has slots: %d", len(s))
		}
		if s, _ := svc.DaySlots(ctx, h.center.ID, clock.MustDate("2026-10-10")); len(s) == 0 {
			t.Error("the 调休 working Saturday 2026-10-10 has no slots")
		}

		hallAt(db, "2026-03-09", "10:00")
		in := service.BookInput{Center: h.center.ID, Category: "general", Day: "2026-03-10", Slot: "09:00"}
		a, err := svc.Book(ctx, &res, nil, in, "b1")
		if err != nil || a.Channel != hall.Online || len(a.Code) != 6 {
			t.Fatalf("book: %+v %v", a, err)
		}
		if _, err := svc.Book(ctx, &res, nil, service.BookInput{Center: h.center.ID, Category: "consult", Day: "2026-03-10", Slot: "10:00"}, ""); !hasKey(err, "err.hall.one_a_day") {
			t.Errorf("a second booking the same day: %v", err)
		}
		if _, err := svc.Book(ctx, nil, &clerk, service.BookInput{Center: h.center.ID, Category: "general", Day: "2026-03-10", Slot: "09:00", Name: "电话", Phone: "13904769999"}, ""); err != nil {
			t.Fatal(err)
		}
		late, err := svc.Book(ctx, nil, &clerk, service.BookInput{Center: h.center.ID, Category: "consult", Day: "2026-03-10", Slot: "10:00", Name: "乌云", Phone: "13904768888"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Book(ctx, &res2, nil, in, ""); !hasKey(err, "err.hall.slot_full") {
			t.Errorf("a third booking of a slot of two: %v", err)
		}
		sg := h.actors["shaogen.clerk"]
		if _, err := svc.Book(ctx, nil, &sg, service.BookInput{Center: h.center.ID, Category: "general", Day: "2026-03-10", Slot: "10:00", Name: "x", Phone: "13904769999"}, ""); code(err) != errs.Forbidden {
			t.Errorf("another township's clerk booked: %v", err)
		}
		if _, err := svc.MoveAppointment(ctx, &res2, nil, a.ID, "cancel"); code(err) != errs.Forbidden {
			t.Errorf("another resident cancelled: %v", err)
		}
		b2, _ := svc.Book(ctx, &res2, nil, service.BookInput{Center: h.center.ID, Category: "general", Day: "2026-03-10", Slot: "09:30"}, "")
		if c, err := svc.MoveAppointment(ctx, &res2, nil, b2.ID, "cancel"); err != nil || c.State != hall.Cancelled {
			t.Errorf("cancel: %+v %v", c, err)
		}

		hallAt(db, "2026-03-10", "08:35")
		walk, _ := svc.TakeTicket(ctx, nil, h.center.ID, hall.General, "")
		if _, err := svc.CheckIn(ctx, nil, h.center.ID, "000000"); !hasKey(err, "err.hall.code") {
			t.Errorf("a wrong code: %v", err)
		}
		tk, err := svc.CheckIn(ctx, nil, h.center.ID, a.Code)
		if err != nil || tk.AppointmentID != a.ID || tk.SlotStart != 9*60 {
			t.Fatalf("check in: %+v %v", tk, err)
		}
		if _, err := svc.CheckIn(ctx, nil, h.center.ID, a.Code); code(err) != errs.Conflict {
			t.Errorf("a second check-in: %v", err)
		}
		if err := svc.SignOn(ctx, clerk, h.windows[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		hallAt(db, "2026-03-10", "08:50") // before the slot: the walk-in who came first
		if x, _ := svc.CallNext(ctx, clerk); x.ID != walk.ID {
			t.Errorf("before its slot the appointment went first: %s", x.No)
		}
		walk2, _ := svc.TakeTicket(ctx, nil, h.center.ID, hall.General, "")
		hallAt(db, "2026-03-10", "09:01")
		if x, _ := svc.CallNext(ctx, clerk); x.ID != tk.ID {
			t.Errorf("in its slot the appointment is called before the walk-in %s: %s", walk2.No, x.No)
		}
		// the phone booking never came: recorded after its slot
		list, _ := db.AppointmentsOn(ctx, h.center.ID, "2026-03-10")
		var phoned hall.Appointment
		for _, x := range list {
			if x.Channel == hall.Phone && x.Slot == "09:00" {
				phoned = x
			}
		}
		if _, err := svc.MoveAppointment(ctx, nil, &clerk, phoned.ID, "no_show"); code(err) != errs.Conflict {
			t.Errorf("a no-show during its slot: %v", err)
		}
		if n, err := svc.SweepMissedAppointments(ctx); err != nil || n != 0 {
			t.Errorf("the sweep during the slot recorded %d no-shows: %v", n, err)
		}
		hallAt(db, "2026-03-10", "09:31")
		if x, err := svc.MoveAppointment(ctx, nil, &clerk, phoned.ID, "no_show"); err != nil || x.State != hall.Missed {
			t.Errorf("no-show: %+v %v", x, err)
		}
		// the day's sweep records the bookings whose slot ended without a check-in, once; the checked-in and
		// the cancelled stay as they are
		hallAt(db, "2026-03-10", "10:31")
		if n, err := svc.SweepMissedAppointments(ctx); err != nil || n != 1 {
			t.Errorf("the sweep after 10:30 recorded %d no-shows, want 1: %v", n, err)
		}
		if n, _ := svc.SweepMissedAppointments(ctx); n != 0 {
			t.Errorf("a second sweep recorded %d", n)
		}
		for id, want := range map[string]hall.AppointmentState{late.ID: hall.Missed, a.ID: hall.CheckedIn, b2.ID: hall.Cancelled} {
			if x, _ := db.Appointment(ctx, id); x.State != want {
				t.Errorf("%s after the sweep: %s, want %s", x.Slot, x.State, want)
			}
		}
		if trail, _ := db.AuditOf(ctx, "appointment", late.ID, 10); len(trail) == 0 || trail[0].Action != "appointment.no_show" {
			t.Errorf("the sweep's no-show unaudited: %+v", trail)
		}
	})
}

func hasKey(err error, key string) bool {
	for _, e := range errs.All(err) {
		if e.Key == key {
			return true
		}
	}
	return false
}
