package service_test

import (
	"slices"
	"testing"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

const residentPassword = "Caoyuan-2026-lv"

func register(t *testing.T, w *world, name, idNumber, orgKey string) people.ResidentAccount {
	t.Helper()
	r, sess, err := w.svc.RegisterResident(ctx, service.RegisterInput{Name: name, IDNumber: idNumber, Phone: "13904765678", OrgID: w.targets[orgKey].ID,
		Password: residentPassword, Confirm: residentPassword}, "10.0.0.1")
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	if sess.Token == "" {
		t.Fatal("registration does not sign in")
	}
	return r
}

func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	for _, e := range errs.All(err) {
		out[e.Field] = e.Key
	}
	return out
}

// Registration checks what it is given, links the applicant record with the same ID number or makes one, and
// refuses a second account for an ID number.
func TestResidentRegistration(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		bad := idFor(950)
		bad = bad[:17] + map[bool]string{true: "1", false: "2"}[bad[17] != '1'] // a wrong check character
		_, _, err := w.svc.RegisterResident(ctx, service.RegisterInput{Name: "", IDNumber: bad, Phone: "123", OrgID: w.targets["T1"].ID,
			Password: "short", Confirm: "other"}, "10.0.0.1")
		keys := fieldKeys(err)
		for _, f := range []string{"name", "id_number", "phone", "password", "confirm_password"} {
			if keys[f] == "" {
				t.Errorf("no error on %s: %v", f, err)
			}
		}
		banner, _ := db.OrgByCode(ctx, "150421")
		if _, _, err := w.svc.RegisterResident(ctx, service.RegisterInput{Name: "巴雅尔", IDNumber: idFor(951), Phone: "13904765678", OrgID: banner.ID,
			Password: residentPassword, Confirm: residentPassword}, "10.0.0.1"); fieldKeys(err)["org"] != "err.resident.residence" {
			t.Fatalf("a banner as residence: %v", err)
		}
		// a resident the village agent registered before: the account links that record, once the code sent to
		// the phone on record comes back (identity_test.go)
		known, _ := db.Applicant(ctx, w.seeded["V2"])
		before, _ := db.CountApplicants(ctx)
		r := registerKnown(t, w, "居民V2", known.IDNumber, "V2", known.Phone)
		if r.ApplicantID != known.ID {
			t.Fatalf("linked %s, not the known record %s", r.ApplicantID, known.ID)
		}
		// the linked record's phone is not the account's: my applications do not reveal its digits
		if _, err := w.svc.ApplyOnline(ctx, r, dibaoItem(t, w), ""); err != nil {
			t.Fatal(err)
		}
		if mine, err := w.svc.MyCases(ctx, r); err != nil || len(mine) != 1 || mine[0].Phone4 != "" {
			t.Fatalf("my applications of a linked account: %+v %v", mine, err)
		}
		fresh := register(t, w, "斯琴", idFor(952), "V1")
		a, err := db.Applicant(ctx, fresh.ApplicantID)
		if err != nil || a.IDNumber != idFor(952) || a.OrgID != w.targets["V1"].ID || a.Phone != "13904765678" {
			t.Fatalf("the new applicant record: %+v %v", a, err)
		}
		if after, _ := db.CountApplicants(ctx); after != before+1 {
			t.Fatalf("%d applicant records made for two registrations, one of a known resident", after-before)
		}
		if _, _, err := w.svc.RegisterResident(ctx, service.RegisterInput{Name: "斯琴", IDNumber: idFor(952), Phone: "13904765678", OrgID: w.targets["V1"].ID,
			Password: residentPassword, Confirm: residentPassword}, "10.0.0.1"); fieldKeys(err)["id_number"] != "err.resident.taken" {
			t.Fatalf("a second account for one ID number: %v", err)
		}
		if trail, _ := db.AuditOf(ctx, "resident", fresh.ID, 10); len(trail) != 2 { // register, session start
			t.Fatalf("%d audit entries", len(trail))
		}
	})
}

// A resident signs in with ID number and password; wrong passwords lock the account as they do a staff one;
// resident and staff tokens never stand for each other.
func TestResidentLoginAndSessions(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		r := register(t, w, "斯琴", idFor(953), "V1")
		if _, _, err := w.svc.ResidentLogin(ctx, idFor(954), residentPassword, "10.0.0.2"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("an unknown ID number: %v", err)
		}
		got, sess, err := w.svc.ResidentLogin(ctx, idFor(953), residentPassword, "10.0.0.2")
		if err != nil || got.ID != r.ID {
			t.Fatalf("login: %v", err)
		}
		if me, _, err := w.svc.AuthenticateResident(ctx, sess.Token); err != nil || me.ID != r.ID {
			t.Fatalf("the resident's token: %v", err)
		}
		if _, _, err := w.svc.Authenticate(ctx, sess.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("a resident token signs in a staff member: %v", err)
		}
		_, staffSess, err := w.svc.Login(ctx, "tianshan.clerk", "Bianmin-2026", "10.0.0.3")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.AuthenticateResident(ctx, staffSess.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("a staff token signs in a resident: %v", err)
		}
		if err := w.svc.ResidentLogout(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.AuthenticateResident(ctx, sess.Token); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("a token after logout: %v", err)
		}
		for i := 0; i < 5; i++ {
			if _, _, err := w.svc.ResidentLogin(ctx, idFor(953), "wrong-password-1", "10.0.0.2"); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		if _, _, err := w.svc.ResidentLogin(ctx, idFor(953), residentPassword, "10.0.0.2"); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("the right password while this address waits: %v", err)
		}
		if _, _, err := w.svc.ResidentLogin(ctx, idFor(953), residentPassword, "10.0.0.9"); err != nil {
			t.Fatalf("the owner from another address: %v", err)
		}
	})
}

// A resident applies online: the case is theirs, channel online, handled and received by the township of
// their residence, waiting at its front desk for the material check; a resubmission makes nothing new; no
// other resident sees it; a resident's actor reaches nothing of the back office.
func TestApplyOnline(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		r := register(t, w, "斯琴", idFor(955), "V1") // 杨树林村, 天山镇
		other := register(t, w, "其木格", idFor(956), "V3")
		item := dibaoItem(t, w)
		before, _ := db.CountCases(ctx)
		c, err := w.svc.ApplyOnline(ctx, r, item, "apply-1")
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.svc.ApplyOnline(ctx, r, item, "apply-1")
		if err != nil || again.ID != c.ID {
			t.Fatalf("the resubmission: %s %v", again.ID, err)
		}
		if after, _ := db.CountCases(ctx); after != before+1 {
			t.Fatalf("%d cases made", after-before)
		}
		t1 := w.targets["T1"].ID
		if c.Channel != cases.Online || c.Handling != t1 || c.Receiving != t1 || c.ApplicantID != r.ApplicantID || c.State != cases.Received || c.No == "" {
			t.Fatalf("the case: %+v", c)
		}
		events, _ := db.CaseEvents(ctx, c.ID)
		if len(events) != 1 || events[0].Desk != cases.Applicant {
			t.Fatalf("events: %+v", events)
		}
		// in the 天山镇 clerk's queue, ready for the material check; not in 绍根镇's
		inQueue := func(who string) *service.Work {
			q, err := w.svc.Queue(ctx, w.actors[who])
			if err != nil {
				t.Fatal(err)
			}
			for i := range q {
				if q[i].Case.ID == c.ID {
					return &q[i]
				}
			}
			return nil
		}
		if x := inQueue("tianshan.clerk"); x == nil || !slices.Contains(x.Mine, cases.Accept) || !slices.Contains(x.Mine, cases.AskCorrection) {
			t.Fatalf("the township clerk's queue: %+v", x)
		}
		if inQueue("shaogen.clerk") != nil {
			t.Fatal("another township's clerk sees the case")
		}
		if c, err = w.svc.Act(ctx, w.actors["tianshan.clerk"], c.ID, c.Version, cases.Accept, cases.Input{Materials: mats(false)}); err != nil {
			t.Fatal(err)
		}
		// my applications: theirs only, with the due date once accepted
		mine, err := w.svc.MyCases(ctx, r)
		if err != nil || len(mine) != 1 || mine[0].Case.ID != c.ID || mine[0].Due.IsZero() || mine[0].Phone4 != "5678" {
			t.Fatalf("my applications: %+v %v", mine, err)
		}
		theirs, err := w.svc.MyCases(ctx, other)
		if err != nil || len(theirs) != 0 {
			t.Fatalf("another resident's list: %+v %v", theirs, err)
		}
		if tr, err := w.svc.MyCase(ctx, r, c.ID); err != nil || tr.No != c.No || len(tr.Events) != 2 {
			t.Fatalf("my case: %+v %v", tr, err)
		}
		if _, err := w.svc.MyCase(ctx, other, c.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("another resident reads the case: %v", err)
		}
		// the resident's actor passes no permission check of the back office
		ra := r.Actor()
		if _, err := w.svc.Queue(ctx, ra); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("queue: %v", err)
		}
		if _, _, err := w.svc.CaseFor(ctx, ra, c.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("case: %v", err)
		}
		if _, err := w.svc.Act(ctx, ra, c.ID, c.Version, cases.Pass, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("move: %v", err)
		}
		if _, err := w.svc.Applicant(ctx, ra, r.ApplicantID); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("applicant: %v", err)
		}
		if _, err := w.svc.Receive(ctx, ra, service.ReceiveInput{ItemID: item, ApplicantID: r.ApplicantID}, ""); err == nil {
			t.Fatal("a resident receives at a window")
		}
		if _, err := w.svc.Applicants(ctx, ra, w.targets["V1"].ID, 10); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("applicants: %v", err)
		}
	})
}

// Only items with an online-handling depth from 在线预审 up are applied for online.
func TestApplyOnlineNeedsAnOnlineItem(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	w := demoWorld(t, db)
	r := register(t, w, "斯琴", idFor(957), "V1")
	// every demo item is handled online from 在线预审 up: publish one that is only at the window (Ⅰ级)
	dibao, err := db.PublishedItems(ctx, store.ItemFilter{IDs: []string{dibaoItem(t, w)}})
	if err != nil || len(dibao) != 1 {
		t.Fatal(err)
	}
	it := dibao[0]
	it.NameZh, it.BaseCode, it.ImplCode, it.OnlineDepth = "窗口办理测试事项", "", "", 1
	if _, err := w.svc.ImportItems(ctx, access.System, []catalog.Item{it}, true); err != nil {
		t.Fatal(err)
	}
	var offline string
	items, _ := db.PublishedItems(ctx, store.ItemFilter{})
	for _, x := range items {
		if x.NameZh == "窗口办理测试事项" {
			offline = x.ID
		}
	}
	if _, err := w.svc.ApplyOnline(ctx, r, offline, ""); fieldKeys(err)["item_id"] != "err.online.not_online" {
		t.Fatalf("an item not handled online: %v", err)
	}
	if _, err := w.svc.ApplyOnline(ctx, r, "no-such-item", ""); fieldKeys(err)["item_id"] != "err.not_found" {
		t.Fatalf("an unknown item: %v", err)
	}
	if n, _ := w.svc.MyCases(ctx, r); len(n) != 0 {
		t.Fatalf("a refused application made a case: %+v", n)
	}
}
