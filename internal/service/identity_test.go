package service_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"bianmin/internal/errs"
	"bianmin/internal/i18n"
	"bianmin/internal/people"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// smsCode reads the last registration code sent to a phone from the outbox.
func smsCode(t *testing.T, svc *service.Service, phone string) string {
	t.Helper()
	msgs, err := svc.AccountMessages(ctx, phone)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message to %s: %v", phone, err)
	}
	m := regexp.MustCompile(`验证码为(\d{6})`).FindStringSubmatch(msgs[len(msgs)-1].Body)
	if m == nil {
		t.Fatalf("no code in %q", msgs[len(msgs)-1].Body)
	}
	return m[1]
}

// registerKnown registers the ID number of a person on record with a phone: the code goes to that phone,
// and the registration completes with it.
func registerKnown(t *testing.T, w *world, name, idNumber, orgKey, phoneOnRecord string) people.ResidentAccount {
	t.Helper()
	in := service.RegisterInput{Name: name, IDNumber: idNumber, Phone: "13904765678", OrgID: w.targets[orgKey].ID, Password: residentPassword, Confirm: residentPassword}
	_, _, err := w.svc.RegisterResident(ctx, in, "10.0.0.1")
	var pending *service.RegistrationPending
	if !errors.As(err, &pending) || pending.Phone != people.MaskPhone(phoneOnRecord) {
		t.Fatalf("register %s: %v, want a code sent to %s", name, err, people.MaskPhone(phoneOnRecord))
	}
	r, sess, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: idNumber, SMSCode: smsCode(t, w.svc, phoneOnRecord), Ticket: pending.Ticket}, "10.0.0.1")
	if err != nil || sess.Token == "" {
		t.Fatalf("confirm %s: %v", name, err)
	}
	return r
}

// Finding 9 of issue 16: another person's ID number. A person on record with a phone: the account is made
// only with the code sent to that phone (not the one typed); a wrong code, or five, get nowhere. Nobody on
// record: the account is unverified, files one case online, and the next waits until a window has seen the
// applicant's identity card on the first. The owner reclaims their number at a window.
func TestResidentIdentity(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		known, _ := db.Applicant(ctx, w.seeded["V2"])
		if known.Phone == "" {
			t.Fatal("the seeded applicant has no phone")
		}
		// an impostor gives the known person's ID number and their own phone: no account, a code to the phone on record
		in := service.RegisterInput{Name: "冒名者", IDNumber: known.IDNumber, Phone: "13700000001", OrgID: w.targets["V2"].ID, Password: residentPassword, Confirm: residentPassword}
		_, sess, err := w.svc.RegisterResident(ctx, in, "10.0.0.9")
		var pending *service.RegistrationPending
		if !errors.As(err, &pending) || sess.Token != "" {
			t.Fatalf("the impostor's registration: %v %+v", err, sess)
		}
		if msgs, _ := w.svc.AccountMessages(ctx, "13700000001"); len(msgs) != 0 {
			t.Error("the code went to the phone typed in")
		}
		code := smsCode(t, w.svc, known.Phone)
		// wrong codes are refused naming the field; five end the registration, and then even the right code fails
		for i := range 5 {
			_, _, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: otherCode(code, i), Ticket: pending.Ticket}, "10.0.0.9")
			if fieldKeys(err)["sms_code"] != "err.resident.sms_code" {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, _, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: code, Ticket: pending.Ticket}, "10.0.0.9"); fieldKeys(err)["sms_code"] != "err.resident.sms_code" {
			t.Fatalf("the right code after five wrong ones: %v", err)
		}
		// the owner, with the phone on record, registers
		owner := registerKnown(t, w, known.Name, known.IDNumber, "V2", known.Phone)
		if owner.Identity != people.IdentityPhone || owner.ApplicantID != known.ID {
			t.Fatalf("the owner's account: %+v", owner)
		}
		item := dibaoItem(t, w)
		for i := range 2 {
			if _, err := w.svc.ApplyOnline(ctx, owner, item, ""); err != nil {
				t.Fatalf("a phone-bound account's case %d: %v", i, err)
			}
		}

		// nobody on record: unverified, one case, then a window must verify
		fresh := register(t, w, "斯琴", idFor(960), "V1")
		if fresh.Identity != people.IdentityUnverified {
			t.Fatalf("identity %q", fresh.Identity)
		}
		first, err := w.svc.ApplyOnline(ctx, fresh, item, "first")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := w.svc.ApplyOnline(ctx, fresh, item, "first"); err != nil || again.ID != first.ID {
			t.Fatalf("the first case resubmitted: %v", err)
		}
		_, err = w.svc.ApplyOnline(ctx, fresh, item, "second")
		if fieldKeys(err)["item_id"] != "err.resident.unverified" {
			t.Fatalf("an unverified account's second case: %v", err)
		}
		cat := i18n.MustLoad()
		if cat.T(i18n.Zh, "err.resident.unverified") == cat.T(i18n.Mn, "err.resident.unverified") {
			t.Error("the refusal is not in both languages")
		}
		// only the front desk of the handling township verifies: not 绍根镇's clerk, not a reviewer
		for _, who := range []string{"shaogen.clerk", "tianshan.reviewer"} {
			if _, err := w.svc.VerifyResidentIdentity(ctx, w.actors[who], first.ID); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s verified: %v", who, err)
			}
		}
		if _, err := w.svc.VerifyResidentIdentity(ctx, w.actors["tianshan.clerk"], first.ID); err != nil {
			t.Fatal(err)
		}
		fresh, _ = db.Resident(ctx, fresh.ID)
		if fresh.Identity != people.IdentityWindow {
			t.Fatalf("after the window: %q", fresh.Identity)
		}
		if _, err := w.svc.ApplyOnline(ctx, fresh, item, "second"); err != nil {
			t.Fatalf("a verified account's second case: %v", err)
		}
		if trail, _ := db.AuditOf(ctx, "resident", fresh.ID, 10); trail[0].Action != "resident.identity" {
			t.Errorf("the verification is not audited: %s", trail[0].Action)
		}

		// reclaim: someone registered 其木格's number before she came (nobody on record yet); at the window she takes it back
		thief := register(t, w, "其木格", idFor(961), "V1")
		_, tsess, err := w.svc.ResidentLogin(ctx, idFor(961), residentPassword, "10.0.0.8")
		if err != nil {
			t.Fatal(err)
		}
		ap, _ := db.Applicant(ctx, thief.ApplicantID)
		if err := w.svc.ReclaimIDNumber(ctx, w.actors["shaogen.clerk"], ap.ID, service.ReclaimInput{Phone: "13912340099"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another township's clerk reclaimed: %v", err)
		}
		if err := w.svc.ReclaimIDNumber(ctx, w.actors["tianshan.clerk"], ap.ID, service.ReclaimInput{Phone: "13912340099"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.AuthenticateResident(ctx, tsess.Token); err == nil {
			t.Error("the retired account's session lives on")
		}
		if _, _, err := w.svc.ResidentLogin(ctx, idFor(961), residentPassword, "10.0.0.8"); err == nil {
			t.Error("the retired account still signs in with the number")
		}
		// she registers: the code goes to the phone she brought to the window
		mine := registerKnown(t, w, "其木格", idFor(961), "V1", "13912340099")
		if mine.ID == thief.ID || mine.ApplicantID != ap.ID || mine.Identity != people.IdentityPhone {
			t.Fatalf("the reclaimed account: %+v", mine)
		}
		if trail, _ := db.AuditOf(ctx, "resident", thief.ID, 10); trail[0].Action != "resident.reclaim" {
			t.Errorf("the reclaim is not audited: %s", trail[0].Action)
		}
	})
}

// A registration is finished only by the client that started it (its ticket), whatever others start with the
// same number meanwhile: someone who starts one just before the owner types the code makes nothing of the
// owner's account, and no code works without its ticket.
func TestRegistrationTakesTheTicket(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		known, _ := db.Applicant(ctx, w.seeded["V2"])
		start := func(name, password, client string) *service.RegistrationPending {
			t.Helper()
			in := service.RegisterInput{Name: name, IDNumber: known.IDNumber, Phone: "13700000002", OrgID: w.targets["V2"].ID, Password: password, Confirm: password}
			_, _, err := w.svc.RegisterResident(ctx, in, client)
			var pending *service.RegistrationPending
			if !errors.As(err, &pending) || pending.Ticket == "" {
				t.Fatalf("%s's registration: %v", name, err)
			}
			return pending
		}
		owner := start(known.Name, residentPassword, "10.0.1.1")
		ownerCode := smsCode(t, w.svc, known.Phone)
		thief := start("冒名者", "Thief-pass-2026", "10.0.1.2")
		thiefCode := smsCode(t, w.svc, known.Phone) // the owner's phone has it; suppose the owner typed this one
		if thief.Ticket == owner.Ticket || thiefCode == "" {
			t.Fatal("two registrations share a ticket")
		}
		for _, c := range []struct {
			name, ticket, code string
		}{
			{"no ticket", "", ownerCode},
			{"the owner's code with the other ticket", thief.Ticket, ownerCode},
			{"the other's code with the owner's ticket", owner.Ticket, thiefCode},
			{"a ticket made up", strings.Repeat("a", 32), ownerCode},
			{"a ticket too long", strings.Repeat("a", 65), ownerCode},
		} {
			if ownerCode == thiefCode && (c.ticket == owner.Ticket || c.ticket == thief.Ticket) {
				continue // the two six-digit codes happen to be equal (one time in a million): the case proves nothing
			}
			_, sess, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: c.code, Ticket: c.ticket}, "10.0.1.3")
			if fieldKeys(err)["sms_code"] != "err.resident.sms_code" || sess.Token != "" {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		r, sess, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: ownerCode, Ticket: owner.Ticket}, "10.0.1.1")
		if err != nil || sess.Token == "" || r.Name != known.Name {
			t.Fatalf("the owner's code with the owner's ticket: %v %+v", err, r)
		}
		if _, _, err := w.svc.ResidentLogin(ctx, known.IDNumber, "Thief-pass-2026", "10.0.1.2"); err == nil {
			t.Fatal("the other password signs in")
		}
		if _, _, err := w.svc.ResidentLogin(ctx, known.IDNumber, residentPassword, "10.0.1.1"); err != nil {
			t.Fatalf("the owner's password: %v", err)
		}
		// the number has its account: the other pending registration is gone with its code (refused as a code
		// that is no more, not by the account's uniqueness further on)
		if _, _, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: thiefCode, Ticket: thief.Ticket}, "10.0.1.2"); fieldKeys(err)["sms_code"] != "err.resident.sms_code" {
			t.Fatalf("the other registration after the owner's: %v", err)
		}
	})
}

// A phone on record is sent at most people.UnaskedPerHour registration codes in an hour, whoever asks from
// wherever; the refusal says so, changes nothing, and an hour later codes go again.
func TestRegistrationCodesPerPhone(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		known, _ := db.Applicant(ctx, w.seeded["V2"])
		now := db.Now()
		db.Now = func() time.Time { return now }
		try := func(client string) error {
			in := service.RegisterInput{Name: "某人", IDNumber: known.IDNumber, Phone: "13700000003", OrgID: w.targets["V2"].ID, Password: residentPassword, Confirm: residentPassword}
			_, _, err := w.svc.RegisterResident(ctx, in, client)
			return err
		}
		for i := range people.UnaskedPerHour {
			var pending *service.RegistrationPending
			if err := try(fmt.Sprintf("10.0.2.%d", i)); !errors.As(err, &pending) {
				t.Fatalf("code %d: %v", i, err)
			}
		}
		before, _ := w.svc.AccountMessages(ctx, known.Phone)
		err := try("10.0.2.99")
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Locked || e.Key != "err.sms.too_many" {
			t.Fatalf("one code too many: %v", err)
		}
		if after, _ := w.svc.AccountMessages(ctx, known.Phone); len(after) != len(before) {
			t.Fatalf("the refused code was queued: %d messages, were %d", len(after), len(before))
		}
		db.Now = func() time.Time { return now.Add(61 * time.Minute) }
		var pending *service.RegistrationPending
		if err := try("10.0.2.100"); !errors.As(err, &pending) {
			t.Fatalf("an hour later: %v", err)
		}
	})
}

// Wrong codes sent together are tried one after another: after five, even the right code fails, however many
// were in flight at once.
func TestRegistrationTriesTogether(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		known, _ := db.Applicant(ctx, w.seeded["V2"])
		in := service.RegisterInput{Name: known.Name, IDNumber: known.IDNumber, Phone: "13700000004", OrgID: w.targets["V2"].ID, Password: residentPassword, Confirm: residentPassword}
		_, _, err := w.svc.RegisterResident(ctx, in, "10.0.5.1")
		var pending *service.RegistrationPending
		if !errors.As(err, &pending) {
			t.Fatal(err)
		}
		code := smsCode(t, w.svc, known.Phone)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: otherCode(code, i), Ticket: pending.Ticket}, fmt.Sprintf("10.0.6.%d", i))
			})
		}
		wg.Wait()
		if _, sess, err := w.svc.RegisterResident(ctx, service.RegisterInput{IDNumber: known.IDNumber, SMSCode: code, Ticket: pending.Ticket}, "10.0.5.1"); err == nil || sess.Token != "" {
			t.Fatal("the right code after twenty wrong ones sent together")
		}
	})
}
