package service_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/demo"
	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// issueElectronic takes a 最低生活保障 case to an issued electronic result and returns it with the code
// the applicant was sent.
func issueElectronic(t *testing.T, w *world) (cases.Case, string) {
	t.Helper()
	c, err := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		who string
		a   cases.Action
		in  cases.Input
	}{
		{"tianshan.clerk", cases.Accept, cases.Input{Materials: mats(false)}},
		{"tianshan.reviewer", cases.Pass, cases.Input{}},
		{"tianshan.reviewer", cases.Pass, cases.Input{}},
		{"minzheng", cases.Decide, cases.Input{Grant: true, Reason: "符合条件"}},
		{"tianshan.clerk", cases.Issue, cases.Input{Method: "electronic"}},
	} {
		if c, err = w.svc.Act(ctx, w.actors[s.who], c.ID, c.Version, s.a, s.in); err != nil {
			t.Fatalf("%s: %v", s.a, err)
		}
	}
	return c, lastCode(t, w.svc, c.ID)
}

func lastCode(t *testing.T, svc *service.Service, caseID string) string {
	t.Helper()
	msgs, _ := svc.Messages(ctx, caseID)
	code := regexp.MustCompile(`验证码(\d{6})`).FindStringSubmatch(msgs[len(msgs)-1].Body)
	if code == nil {
		t.Fatalf("no code in %+v", msgs[len(msgs)-1])
	}
	return code[1]
}

func otherCode(code string, n int) string {
	for i := n; ; i++ {
		if c := strings.Repeat("0", 5) + string(rune('0'+i%10)); c != code {
			return c
		}
	}
}

// Finding 3: the code's hash is nowhere a case reader, a notice or the audit trail can see; five wrong codes
// lock the result, the sixth attempt is refused even with the right code, and a new code from the window
// works. The lock and the new code are audited.
func TestResultCodeHiddenAndLimited(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		c, code := issueElectronic(t, w)
		var doc string
		if err := db.QueryRowRaw(ctx, `SELECT doc FROM cases WHERE id = ?`, c.ID).Scan(&doc); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := db.QueryRowRaw(ctx, `SELECT hash FROM result_codes WHERE case_id = ?`, c.ID).Scan(&hash); err != nil || !strings.HasPrefix(hash, "$argon2id$") {
			t.Fatalf("the code's hash is not argon2id: %q %v", hash, err)
		}
		notices, _ := db.NoticesOf(ctx, c.ID)
		trail, _ := db.AuditOf(ctx, "case", c.ID, 50)
		seen := []string{doc}
		for _, n := range notices {
			seen = append(seen, n.Doc)
		}
		for _, e := range trail {
			seen = append(seen, e.Before, e.After)
		}
		for _, s := range seen {
			if strings.Contains(s, "code_hash") || strings.Contains(s, hash) || strings.Contains(s, code) {
				t.Fatalf("the code or its hash is stored where readers see it: %.300s", s)
			}
		}

		for i := 1; i <= cases.ResultCodeAttempts; i++ {
			_, err := w.svc.DownloadResult(ctx, c.No, otherCode(code, i), "1.2.3.4")
			want := errs.NotFound
			if i == cases.ResultCodeAttempts {
				want = errs.Locked
			}
			if errs.CodeOf(err) != want {
				t.Fatalf("wrong code %d: %v, want %s", i, err, want)
			}
		}
		if _, err := w.svc.DownloadResult(ctx, c.No, code, "5.6.7.8"); errs.CodeOf(err) != errs.Locked {
			t.Fatalf("the right code after %d wrong ones: %v", cases.ResultCodeAttempts, err)
		}
		if cur, _ := db.Case(ctx, c.ID); cur.State != cases.Issued {
			t.Fatalf("a locked result was delivered: %s", cur.State)
		}
		if _, err := w.svc.ResendResultCode(ctx, w.actors["shaogen.clerk"], c.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("another township's clerk resends the code: %v", err)
		}
		if _, err := w.svc.ResendResultCode(ctx, w.actors["tianshan.clerk"], c.ID); err != nil {
			t.Fatal(err)
		}
		fresh := lastCode(t, w.svc, c.ID)
		if fresh != code {
			if _, err := w.svc.DownloadResult(ctx, c.No, code, "1.2.3.4"); errs.CodeOf(err) != errs.NotFound {
				t.Fatalf("the former code still works: %v", err)
			}
		}
		res, err := w.svc.DownloadResult(ctx, c.No, fresh, "1.2.3.4")
		if err != nil || res.Case.State != cases.Delivered {
			t.Fatalf("the new code: %v", err)
		}
		actions := map[string]bool{}
		trail, _ = db.AuditOf(ctx, "case", c.ID, 50)
		for _, e := range trail {
			actions[e.Action] = true
		}
		if !actions["case.result_code_locked"] || !actions["case.result_code_resent"] {
			t.Fatalf("lock and resend not audited: %v", actions)
		}
		if _, err := w.svc.ResendResultCode(ctx, w.actors["tianshan.clerk"], c.ID); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("a new code for a delivered result: %v", err)
		}
	})
}

// Finding 5: a stranger's wrong passwords from elsewhere never stop the director signing in from the hall;
// an administrator clears the stranger's waits; the reply is the same for an unknown user, a wrong password
// and a waiting address.
func TestSignInPerAccountAndAddress(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		svc := testkit.Demo(t, db)
		const stranger, hall = "203.0.113.9", "10.1.1.1"
		for i := 0; i < 30; i++ {
			if _, _, err := svc.Login(ctx, "tianshan.director", "guess-number-x", stranger); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, _, err := svc.Login(ctx, "tianshan.director", demo.Password, stranger); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatalf("the stranger's address does not wait: %v", err)
		}
		if _, _, err := svc.Login(ctx, "tianshan.director", demo.Password, hall); err != nil {
			t.Fatalf("the director cannot sign in from the hall after a stranger's guesses: %v", err)
		}

		// one reply for every failure
		unknown := errOf(svc.Login(ctx, "no.such.person", "wrong-password-1", "10.9.9.9"))
		wrong := errOf(svc.Login(ctx, "tianshan.clerk", "wrong-password-1", "10.9.9.9"))
		waiting := errOf(svc.Login(ctx, "tianshan.director", "wrong-password-1", stranger))
		if !reflect.DeepEqual(unknown, wrong) || !reflect.DeepEqual(wrong, waiting) {
			t.Fatalf("replies differ:\nunknown %#v\nwrong   %#v\nwaiting %#v", unknown, wrong, waiting)
		}
		rUnknown := errOf2(svc.ResidentLogin(ctx, idFor(971), "wrong-password-1", "10.9.9.9"))
		if !reflect.DeepEqual(rUnknown, wrong) {
			t.Fatalf("a resident's reply differs: %#v", rUnknown)
		}

		// an administrator clears the waits; a clerk may not
		staff := func(name string) people.Staff { c, _ := db.CredentialsByUsername(ctx, name); return c.Staff }
		director, clerk, admin := staff("tianshan.director"), staff("tianshan.clerk"), staff("admin")
		if err := svc.ClearSignInWaits(ctx, clerk.Actor(), director.ID); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("a clerk clears the director's waits: %v", err)
		}
		if err := svc.ClearSignInWaits(ctx, admin.Actor(), director.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Login(ctx, "tianshan.director", demo.Password, stranger); err != nil {
			t.Fatalf("after the administrator cleared the waits: %v", err)
		}
		trail, _ := db.AuditOf(ctx, "staff", director.ID, 10)
		if len(trail) < 2 || trail[1].Action != "staff.signin_waits_cleared" { // then the session it allowed
			t.Fatalf("clearing not audited: %+v", trail)
		}
	})
}

func errOf(_ people.Staff, _ store.Session, err error) error            { return err }
func errOf2(_ people.ResidentAccount, _ store.Session, err error) error { return err }
func trackErr(_ []service.Tracking, err error) error                    { return err }
func caseErr(_ cases.Case, err error) error                             { return err }

// The wait grows with each failure of a pair and ends on its own; the right password after it signs in.
func TestSignInBackoffGrows(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	svc := testkit.Demo(t, db)
	now := time.Now()
	db.Now = func() time.Time { return now }
	defer func() { db.Now = time.Now }()
	const addr = "198.51.100.7"
	for i := 1; i <= people.FreeSignInFailures+3; i++ {
		if _, _, err := svc.Login(ctx, "tianshan.clerk", "wrong-password-1", addr); errs.CodeOf(err) != errs.Unauthenticated {
			t.Fatal(err)
		}
		wait := people.SignInDelay(i)
		if wait > 0 {
			// just before the wait ends the right password is refused; at its end it is checked
			now = now.Add(wait - time.Millisecond)
			if _, _, err := svc.Login(ctx, "tianshan.clerk", demo.Password, addr); errs.CodeOf(err) != errs.Unauthenticated {
				t.Fatalf("failure %d: signed in during the wait of %v: %v", i, wait, err)
			}
			now = now.Add(time.Millisecond)
		}
	}
	if _, _, err := svc.Login(ctx, "tianshan.clerk", demo.Password, addr); err != nil {
		t.Fatalf("after the last wait: %v", err)
	}
}

// Tracking is throttled per (case number, address): one address's guesses at one case do not stop another
// case's lookups from it, nor the same case's from elsewhere.
func TestTrackPerCaseAndAddress(t *testing.T) {
	db := testkit.Open(t, testkit.SQLite(t))
	w := demoWorld(t, db)
	a, _ := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
	b, _ := w.svc.Receive(ctx, w.actors["tianshan.clerk"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
	for i := 0; i < people.TrackPerCasePerHour; i++ {
		if err := trackErr(w.svc.TrackCases(ctx, service.TrackQuery{No: a.No, Phone4: "0000"}, "10.0.0.7")); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("lookup %d: %v", i, err)
		}
	}
	if err := trackErr(w.svc.TrackCases(ctx, service.TrackQuery{No: a.No, Phone4: "0000"}, "10.0.0.7")); errs.CodeOf(err) != errs.Locked {
		t.Fatalf("lookup over the pair's limit: %v", err)
	}
	if err := trackErr(w.svc.TrackCases(ctx, service.TrackQuery{No: b.No, Phone4: "0000"}, "10.0.0.7")); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another case from the same address: %v", err)
	}
	if err := trackErr(w.svc.TrackCases(ctx, service.TrackQuery{No: a.No, Phone4: "0000"}, "10.0.0.8")); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("the same case from another address: %v", err)
	}
}

// Finding 4: a move's text over its limit is refused, naming the field, and nothing changes.
func TestMoveTextLimits(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		c, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "")
		if err != nil {
			t.Fatal(err)
		}
		long := func(n int) string { return strings.Repeat("理", n) }
		for _, tc := range []struct {
			field string
			a     cases.Action
			in    cases.Input
		}{
			{"reason", cases.Refuse, cases.Input{Reason: long(cases.MaxReason + 1)}},
			{"reason", cases.Refuse, cases.Input{Reason: strings.Repeat("x", 9<<20)}},
			{"materials[1].note", cases.AskCorrection, cases.Input{Materials: []cases.MaterialCheck{{Name: "居民身份证", Check: cases.Missing}, {Name: "居民户口簿", Check: cases.Missing, Note: long(cases.MaxNote + 1)}}}},
		} {
			entries, _ := db.CountAudit(ctx)
			_, err := w.svc.Act(ctx, clerk, c.ID, c.Version, tc.a, tc.in)
			if e := errs.All(err); len(e) != 1 || e[0].Field != tc.field || e[0].Key != "err.too_long" {
				t.Errorf("%s: %v", tc.field, err)
			}
			cur, _ := db.Case(ctx, c.ID)
			if n, _ := db.CountAudit(ctx); n != entries || cur.Version != c.Version {
				t.Errorf("%s: something was written", tc.field)
			}
		}
		if err := caseErr(w.svc.Receive(ctx, w.actors["yangshulin.agent"], service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["V1"], Authorisation: long(cases.MaxAuthorisation + 1)}, "")); errs.All(err)[0].Field != "authorisation" {
			t.Errorf("authorisation: %v", err)
		}
	})
}

// Finding 10: the same idempotency key with the same content returns the first result; with other content
// it is refused, and nothing is made.
func TestIdempotencyKeyWithOtherContent(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		clerk := w.actors["tianshan.clerk"]
		in := service.ApplicantInput{Kind: "resident", Name: "乌云", IDNumber: idFor(981), OrgID: w.targets["V1"].ID}
		first, err := w.svc.CreateApplicant(ctx, clerk, in, "key-1")
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.svc.CreateApplicant(ctx, clerk, in, "key-1")
		if err != nil || again.ID != first.ID {
			t.Fatalf("the same request again: %v %v", again.ID, err)
		}
		other := in
		other.Name, other.IDNumber = "其其格", idFor(982)
		apps, _ := db.CountApplicants(ctx)
		_, err = w.svc.CreateApplicant(ctx, clerk, other, "key-1")
		if e := errs.All(err); len(e) != 1 || e[0].Field != "idempotency_key" || e[0].Key != "err.idempotency.reused" || errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("the key with other content: %v", err)
		}
		if n, _ := db.CountApplicants(ctx); n != apps {
			t.Fatal("the refused request made an applicant")
		}
		c1, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "key-2")
		if err != nil {
			t.Fatal(err)
		}
		c2, err := w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: w.seeded["T1"]}, "key-2")
		if err != nil || c2.ID != c1.ID {
			t.Fatalf("the same intake again: %v", err)
		}
		if err := caseErr(w.svc.Receive(ctx, clerk, service.ReceiveInput{ItemID: dibaoItem(t, w), ApplicantID: first.ID}, "key-2")); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("the intake key with another applicant: %v", err)
		}
	})
}
