package hall

import (
	"testing"
	"time"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/hours"
)

var loc = clock.DefaultRules().Location

func at(hm string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", "2026-03-10 "+hm, loc)
	return t
}

func tk(id string, c Category, issued string) Ticket {
	return Ticket{ID: id, No: id, Category: c, State: Waiting, Issued: at(issued), SlotStart: -1}
}

func TestNextOrder(t *testing.T) {
	appt := tk("A003", General, "09:05")
	appt.AppointmentID, appt.SlotStart = "ap", 9*60
	lateAppt := tk("A004", General, "08:40")
	lateAppt.AppointmentID, lateAppt.SlotStart = "ap2", 10*60
	moved := tk("B001", Pickup, "08:50")
	moved.TargetWindow = "w2"
	queue := []Ticket{tk("A001", General, "08:31"), tk("A002", General, "08:45"), appt, lateAppt, moved, tk("C001", Consult, "08:32")}
	general := Desk{Window: "w1", Categories: []Category{General}}
	cases := []struct {
		name   string
		queue  []Ticket
		desk   Desk
		minute int
		want   string
	}{
		{"first come first served before any slot", queue, general, 8*60 + 50, "A001"},
		{"an appointment whose slot began goes before the walk-ins", queue, general, 9*60 + 10, "A003"},
		{"an appointment before its slot waits like a walk-in", queue[:2:2], general, 9*60 + 10, "A001"},
		{"帮办 before everybody", append([]Ticket{tk("D001", Assist, "09:20")}, queue...), Desk{Window: "w1"}, 9*60 + 30, "D001"},
		{"帮办 only at a window that takes it", append([]Ticket{tk("D001", Assist, "09:20")}, queue...), general, 9*60 + 30, "A003"},
		{"a ticket transferred to this window first", queue, Desk{Window: "w2"}, 9*60 + 30, "B001"},
		{"a ticket transferred elsewhere is not called here", []Ticket{moved}, Desk{Window: "w1"}, 9 * 60, ""},
		{"a window of another category calls its own", queue, Desk{Window: "w3", Categories: []Category{Consult}}, 9 * 60, "C001"},
		{"nothing waiting", nil, general, 9 * 60, ""},
	}
	for _, c := range cases {
		got, ok := Next(c.queue, c.desk, c.minute)
		if c.want == "" {
			if ok {
				t.Errorf("%s: called %s", c.name, got.No)
			}
			continue
		}
		if !ok || got.No != c.want {
			t.Errorf("%s: called %q, want %s", c.name, got.No, c.want)
		}
	}
	if n := Ahead(queue[1], queue, 8*60+50); n != 2 { // A001, and A004 taken earlier (its slot not begun)
		t.Errorf("ahead of A002: %d", n)
	}
	if n := Ahead(appt, queue, 9*60+10); n != 0 {
		t.Errorf("ahead of the appointment in its slot: %d", n)
	}
}

func TestTicketMoves(t *testing.T) {
	x := tk("A001", General, "08:31")
	called, err := x.Apply(Call, at("08:40"), "w1", "窗口一", "clerk", "", "")
	if err != nil || called.State != Called || called.Wait() != 9*time.Minute || called.Calls != 1 {
		t.Fatalf("call: %+v %v", called, err)
	}
	if _, err := called.Apply(Skip, at("08:41"), "w2", "", "clerk2", "", ""); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another window skipped the ticket: %v", err)
	}
	re, _ := called.Apply(Recall, at("08:42"), "w1", "窗口一", "clerk", "", "")
	if re.Calls != 2 || !re.FirstCalled.Equal(at("08:40")) {
		t.Errorf("a recall keeps the first call: %+v", re)
	}
	if _, err := re.Apply(Transfer, at("08:43"), "w1", "", "clerk", "", General); err == nil {
		t.Error("a transfer to its own category and no window was taken")
	}
	moved, err := re.Apply(Transfer, at("08:43"), "w1", "", "clerk", "", Pickup)
	if err != nil || moved.State != Waiting || moved.Category != Pickup {
		t.Fatalf("transfer to a category: %+v %v", moved, err)
	}
	again, _ := moved.Apply(Call, at("08:50"), "w3", "出件窗口", "clerk3", "", "")
	done, err := again.Apply(Finish, at("09:00"), "w3", "", "clerk3", "", "")
	if err != nil || done.Service() != 20*time.Minute || done.Wait() != 9*time.Minute {
		t.Errorf("done: service %v wait %v %v", done.Service(), done.Wait(), err)
	}
	if _, err := done.Apply(Recall, at("09:01"), "w3", "", "", "", ""); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a done ticket was recalled: %v", err)
	}
	skipped, _ := again.Apply(Skip, at("09:00"), "w3", "", "clerk3", "", "")
	if skipped.State != NoShow || skipped.Service() != 0 {
		t.Errorf("skip: %+v", skipped)
	}
	figs := Figures([]Ticket{x, done, moved})
	if figs[0].Waiting != 1 || figs[1].Waiting != 1 || figs[1].Served != 2 || figs[1].AvgWait != 9*time.Minute {
		t.Errorf("figures: %+v", figs)
	}
}

func TestBookingRules(t *testing.T) {
	cal := clock.Default()
	h := hours.Default()
	now := at("10:00") // Tuesday 2026-03-10
	cases := []struct {
		name string
		a    Appointment
		key  string
	}{
		{"a working day's slot", Appointment{Category: General, Day: "2026-03-11", Slot: "09:00", Channel: Online}, ""},
		{"a holiday has no slots", Appointment{Category: General, Day: "2026-03-10", Slot: "09:00", Channel: Online, Name: "holiday"}, "err.hall.closed_day"},
		{"a weekend has none", Appointment{Category: General, Day: "2026-03-14", Slot: "09:00", Channel: Online}, "err.hall.closed_day"},
		{"a slot that does not exist", Appointment{Category: General, Day: "2026-03-11", Slot: "12:30", Channel: Online}, "err.hall.slot"},
		{"a slot begun already", Appointment{Category: General, Day: "2026-03-10", Slot: "09:30", Channel: Online}, "err.hall.slot_past"},
		{"too far ahead", Appointment{Category: General, Day: "2026-04-30", Slot: "09:00", Channel: Online}, "err.hall.book_ahead"},
		{"a phone booking needs the phone", Appointment{Category: General, Day: "2026-03-11", Slot: "09:00", Channel: Phone, Name: "巴特尔"}, "err.required"},
	}
	for _, c := range cases {
		if c.a.Name == "holiday" { // the same day made a holiday of the calendar (清明, 2026-04-06, seen a week before)
			c.a.Day, c.a.Name = "2026-04-06", ""
			now = time.Date(2026, 3, 30, 9, 0, 0, 0, loc)
		} else {
			now = at("10:00")
		}
		_, err := CheckBooking(c.a, h, cal, now, loc)
		if c.key == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		found := false
		for _, e := range errs.All(err) {
			found = found || e.Key == c.key
		}
		if !found {
			t.Errorf("%s: %v, want %s", c.name, err, c.key)
		}
	}
	// a 调休 working Sunday has slots (2026-01-04)
	if _, err := CheckBooking(Appointment{Category: Consult, Day: "2026-01-04", Slot: "08:30", Channel: Online}, h, cal, time.Date(2025, 12, 30, 9, 0, 0, 0, loc), loc); err != nil {
		t.Errorf("a 调休 working Sunday: %v", err)
	}
}

func TestAppointmentMoves(t *testing.T) {
	a := Appointment{Day: "2026-03-10", SlotStart: 9 * 60, SlotEnd: 9*60 + 30, State: Booked}
	day := clock.MustDate("2026-03-10")
	for _, c := range []struct {
		move   string
		minute int
		ok     bool
	}{
		{"cancel", 8 * 60, true}, {"cancel", 9 * 60, false},
		{"check_in", 7*60 + 59, false}, {"check_in", 8 * 60, true}, {"check_in", 9*60 + 29, true}, {"check_in", 9*60 + 30, false},
		{"no_show", 9*60 + 29, false}, {"no_show", 9*60 + 30, true},
	} {
		_, err := ApplyAppointment(a, c.move, day, c.minute)
		if (err == nil) != c.ok {
			t.Errorf("%s at %d: %v", c.move, c.minute, err)
		}
	}
	done := a
	done.State = CheckedIn
	if _, err := ApplyAppointment(done, "cancel", day, 0); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a checked-in appointment was cancelled: %v", err)
	}
}
