package store_test

import (
	"fmt"
	"testing"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/hall"
	"bianmin/internal/hours"
	"bianmin/internal/org"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// The hall's tables on both engines: tickets numbered per center, day and category (a new day starts at 1,
// a number written behind the allocator's back is stepped over), a move lost to another window's is run
// again, hours kept with optimistic locking, one window a clerk.
func TestHallTables(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		o := tree(t, db)
		var center, win org.Org
		err := db.Write(ctx, func(tx *store.Tx) error {
			center = org.Org{ParentID: o["t1"].ID, Kind: org.Center, NameZh: "天山镇便民服务中心"}
			if err := tx.CreateOrg(access.System, &center); err != nil {
				return err
			}
			win = org.Org{ParentID: center.ID, Kind: org.Window, NameZh: "综合受理窗口一", Desk: org.FrontDesk, General: true}
			return tx.CreateOrg(access.System, &win)
		})
		if err != nil {
			t.Fatal(err)
		}
		issue := func(day string, c hall.Category) hall.Ticket {
			t.Helper()
			x := hall.Ticket{Center: center.ID, Day: day, Category: c, Source: hall.FromKiosk, SlotStart: -1}
			if err := db.Write(ctx, func(tx *store.Tx) error { return tx.IssueTicket(access.System, &x) }); err != nil {
				t.Fatal(err)
			}
			return x
		}
		a1, a2, c1 := issue("2026-03-10", hall.General), issue("2026-03-10", hall.General), issue("2026-03-10", hall.Consult)
		next := issue("2026-03-11", hall.General)
		if a1.No != "A001" || a2.No != "A002" || c1.No != "C001" || next.No != "A001" {
			t.Fatalf("numbers: %s %s %s, next day %s", a1.No, a2.No, c1.No, next.No)
		}
		// a ticket written behind the allocator's back (a restored copy): the next number steps over it
		if err := db.ExecRaw(ctx, `INSERT INTO hall_tickets (id, center_id, day, category, seq, ticket_no, ticket_key, state, source, slot_start, issued_at, version)
			VALUES ('x', ?, '2026-03-10', 'general', 3, 'A003', ?, 'waiting', 'kiosk', -1, ?, 1)`, center.ID, center.ID+"/2026-03-10/A003", time.Now()); err != nil {
			t.Fatal(err)
		}
		if a4 := issue("2026-03-10", hall.General); a4.No != "A004" {
			t.Errorf("after a number taken behind the counter: %s", a4.No)
		}

		// a move made from a stale read is refused and run again by Write (errRetry): the first stands
		called, _ := a1.Apply(hall.Call, time.Now(), win.ID, win.NameZh, "s1", "", "")
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.UpdateTicket(access.System, "ticket.call", a1, called) }); err != nil {
			t.Fatal(err)
		}
		runs := 0
		err = db.Write(ctx, func(tx *store.Tx) error {
			runs++
			before := a1 // stale on the first run
			if runs > 1 {
				var err error
				if before, err = tx.Ticket(a1.ID); err != nil {
					return err
				}
			}
			after, err := before.Apply(hall.Call, tx.Now(), win.ID, win.NameZh, "s2", "", "")
			if err != nil {
				return err
			}
			return tx.UpdateTicket(access.System, "ticket.call", before, after)
		})
		if runs != 2 || errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a second call of one ticket: %d runs, %v", runs, err)
		}
		got, _ := db.Ticket(ctx, a1.ID)
		if got.CalledBy != "s1" || got.Calls != 1 || got.State != hall.Called {
			t.Errorf("the first call stands: %+v", got)
		}
		day, _ := db.DayTickets(ctx, center.ID, "2026-03-10")
		if len(day) != 5 {
			t.Errorf("the day's tickets: %d", len(day))
		}
		// the board's figures, counted by the database, equal the domain's count over the tickets
		figs, err := db.DayFigures(ctx, center.ID, "2026-03-10")
		if want := hall.Figures(day); err != nil || fmt.Sprint(figs) != fmt.Sprint(want) {
			t.Errorf("figures %v, want %v (%v)", figs, want, err)
		}
		// the call candidates of a window hold what hall.Next picks over the whole queue
		err = db.Write(ctx, func(tx *store.Tx) error {
			cands, err := tx.CallCandidates(center.ID, "2026-03-10", win.ID)
			if err != nil {
				return err
			}
			var waiting []hall.Ticket
			for _, x := range day {
				if x.State == hall.Waiting {
					waiting = append(waiting, x)
				}
			}
			got, _ := hall.Next(cands, hall.Desk{Window: win.ID}, 9*60)
			want, _ := hall.Next(waiting, hall.Desk{Window: win.ID}, 9*60)
			if got.ID != want.ID || len(cands) >= len(waiting) {
				t.Errorf("candidates %d of %d: next %s, want %s", len(cands), len(waiting), got.No, want.No)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// hours: the default until saved, then optimistic locking
		h, v, err := db.Hours(ctx, center.ID)
		if err != nil || v != 0 || h.Capacity != hours.Default().Capacity {
			t.Fatalf("default hours: %+v %d %v", h, v, err)
		}
		h.Capacity = 3
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SaveHours(access.System, center.ID, h, 0) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SaveHours(access.System, center.ID, h, 0) }); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("a save from a stale version: %v", err)
		}
		if h2, v2, _ := db.Hours(ctx, center.ID); v2 != 1 || h2.Capacity != 3 {
			t.Errorf("saved hours: %+v %d", h2, v2)
		}

		// one clerk a window
		sign := func(staff string) error {
			return db.Write(ctx, func(tx *store.Tx) error {
				return tx.SignOn(access.System, hall.WindowSession{Window: win.ID, WindowName: win.NameZh, Center: center.ID, Staff: staff, StaffName: staff})
			})
		}
		if err := sign("s1"); err != nil {
			t.Fatal(err)
		}
		if err := sign("s2"); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a second clerk at one window: %v", err)
		}
		if ws, _ := db.Windows(ctx, center.ID); len(ws) != 1 || ws[0].Staff != "s1" {
			t.Errorf("windows: %+v", ws)
		}
	})
}
