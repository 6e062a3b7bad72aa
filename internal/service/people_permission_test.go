package service_test

import (
	"strings"
	"testing"

	"bianmin/internal/errs"
	"bianmin/internal/roster"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/supervision"
	"bianmin/internal/testkit"
)

// The permission matrix of the hall's people (issue 11), written out: who may, at 天山镇's center, make the
// roster, read it, decide a leave, publish the 六有 board's documents, read a colleague's attendance, read the coverage, edit a record, sign in
// and declare a relation. Every refusal is forbidden and writes nothing.
func TestPeoplePermissionMatrix(t *testing.T) {
	want := map[string]string{
		"rosterEdit":  "admin tianshan.director",
		"rosterRead":  "admin supervisor tianshan.clerk tianshan.reviewer tianshan.director",
		"leaveDecide": "admin tianshan.director",
		"attendance":  "admin supervisor tianshan.director",
		"coverage":    "admin supervisor tianshan.director",
		"staffEdit":   "admin tianshan.director",
		"signIn":      "tianshan.clerk tianshan.reviewer tianshan.director shaogen.clerk shaogen.director yangshulin.agent", // an agent at its station
		"boardEdit":   "admin tianshan.director",
		"split":       "admin tianshan.director",
		"figures":     "admin supervisor tianshan.director",
		"declare":     "minzheng tianshan.clerk tianshan.reviewer tianshan.director shaogen.clerk shaogen.director yangshulin.agent",
	}
	users := []string{"admin", "supervisor", "minzheng", "fanyi", "tianshan.clerk", "tianshan.reviewer", "tianshan.director", "shaogen.clerk", "shaogen.director", "yangshulin.agent"}
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		h := setUpHall(t, w)
		today := today(w)
		l, err := w.svc.RequestLeave(ctx, h.clerk2, roster.LeaveInput{From: today.AddDays(30).String(), To: today.AddDays(30).String(), Reason: "事假"}, "")
		if err != nil {
			t.Fatal(err)
		}
		r, _ := db.StaffRecord(ctx, h.clerk2.ID)
		for _, user := range users {
			actor := w.actors[user]
			ops := map[string]func() error{
				"rosterEdit": func() error { return w.svc.SaveRoster(ctx, actor, h.center.ID, today.AddDays(60), nil) },
				"rosterRead": func() error { _, err := w.svc.Roster(ctx, actor, h.center.ID, today); return err },
				// a stale version: past the permission check, the decision is refused as a conflict
				"leaveDecide": func() error {
					_, err := w.svc.DecideLeave(ctx, actor, l.ID, l.Version+100, true, "")
					return okIf(err, errs.Conflict)
				},
				"attendance": func() error { _, _, err := w.svc.AttendanceMonth(ctx, actor, h.clerk2.ID, today); return err },
				"coverage":   func() error { _, err := w.svc.HallCoverage(ctx, actor, h.center.ID); return err },
				"staffEdit": func() error {
					_, err := w.svc.EditStaff(ctx, actor, h.clerk2.ID, service.StaffEdit{Version: r.Version + 100, Name: r.Name, Role: "clerk"})
					return okIf(err, errs.Conflict)
				},
				// an empty document: past the permission check, refused as bad input (nothing written)
				"boardEdit": func() error {
					_, err := w.svc.PublishDoc(ctx, actor, h.center.ID, roster.DocInput{Kind: "norms"})
					return okIf(err, errs.Invalid)
				},
				"figures": func() error {
					_, err := w.svc.PeopleFigures(ctx, actor, w.targets["T1"].ID, supervision.MonthOf(today))
					return err
				},
				// a stale version: past the permission check, refused as a conflict
				"split": func() error {
					return okIf(w.svc.SetBackOfficeSplit(ctx, actor, w.targets["T1"].ID, 100, true), errs.Conflict)
				},
				"signIn": func() error { return w.svc.SignIn(ctx, actor, "10.0.0.1") },
				"declare": func() error {
					_, err := w.svc.Declare(ctx, actor, roster.DeclarationInput{Relation: "family", Number: "150421198503152018", Name: "巴特尔"})
					return err
				},
			}
			for name, fn := range ops {
				wantOK := strings.Contains(" "+want[name]+" ", " "+user+" ")
				before, _ := db.CountAudit(ctx)
				err := fn()
				after, _ := db.CountAudit(ctx)
				switch {
				case wantOK && err != nil:
					t.Errorf("%s %s: refused: %v", user, name, err)
				case !wantOK && errs.CodeOf(err) != errs.Forbidden:
					t.Errorf("%s %s: want forbidden, got %v", user, name, err)
				case !wantOK && after != before:
					t.Errorf("%s %s: a refusal wrote %d audit entries", user, name, after-before)
				}
			}
		}
	})
}

// okIf treats the expected error (one that comes after the permission check) as success.
func okIf(err error, code errs.Code) error {
	if errs.CodeOf(err) == code {
		return nil
	}
	return err
}
