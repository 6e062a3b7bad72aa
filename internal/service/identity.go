package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/ids"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Residents' identity (issue 16, finding 9; people/identity.go): registration bound to the phone on record,
// an unverified account's first case verified at a window before it files another, and an owner reclaiming
// their ID number at a window.

// RegistrationTTL is how long a registration waits for its SMS code.
const RegistrationTTL = 15 * time.Minute

const registrationTries = 5

// RegistrationPending is RegisterResident's answer when the ID number belongs to a person with a phone on
// record: a code went to that phone, and the registration waits for it (RegisterInput.SMSCode).
type RegistrationPending struct {
	Phone string // the phone on record, masked (138****5678)
	// Ticket is the client's proof that it started this registration: the code confirms it only with the
	// ticket (RegisterInput.Ticket), so a registration of the same number started elsewhere, even just before
	// the owner types the code sent to them, takes nothing of the owner's.
	Ticket string
}

func (e *RegistrationPending) Error() string {
	return "registration waits for the code sent to " + e.Phone
}

// pendingDoc is what a pending registration keeps of the input.
type pendingDoc struct {
	Name, Phone, OrgID, Lang, Hash string
}

func (s *Service) registrationHash(idNumber, code string) string {
	m := hmac.New(sha256.New, s.derivedKey("registration code"))
	m.Write([]byte(idNumber + "/" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// bindToPhoneOnRecord starts the SMS binding when the ID number's applicant record has a phone; nil, nil
// when it has none (the account is made unverified).
func (s *Service) bindToPhoneOnRecord(ctx context.Context, r people.ResidentAccount, hash string) (*RegistrationPending, error) {
	var pending *RegistrationPending
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		pending = nil
		a, err := tx.ApplicantByIDNumber(r.IDNumber)
		if errs.CodeOf(err) == errs.NotFound || (err == nil && a.Phone == "") {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := tx.ResidentByIDNumber(r.IDNumber); err == nil {
			return errs.Field("id_number", "err.resident.taken")
		} else if errs.CodeOf(err) != errs.NotFound {
			return err
		}
		// each code is an unasked message to the phone on record: a few an hour, which also keeps the tries
		// at codes few (each code allows registrationTries)
		if ok, err := spendUnasked(tx, a.Phone, "register_code"); err != nil {
			return err
		} else if !ok {
			return errs.New(errs.Locked, "err.sms.too_many").With("hour", strconv.Itoa(people.UnaskedPerHour)).With("day", strconv.Itoa(people.UnaskedPerDay))
		}
		code, ticket := resultCode(), ids.Token(16) // six digits, as the result codes
		doc, _ := json.Marshal(pendingDoc{r.Name, r.Phone, r.OrgID, r.Lang, hash})
		if err := tx.SetPendingRegistration(store.PendingRegistration{IDNumber: r.IDNumber, TicketHash: tokenHash(ticket),
			CodeHash: s.registrationHash(r.IDNumber, code), Doc: string(doc), Expires: tx.Now().Add(RegistrationTTL)}); err != nil {
			return err
		}
		x := say("msg.register_code", "code", code, "minutes", fmt.Sprint(int(RegistrationTTL/time.Minute)))
		if err := tx.Enqueue(x.message("", a.Phone, bilingual, "register_code")); err != nil {
			return err
		}
		pending = &RegistrationPending{Phone: people.MaskPhone(a.Phone), Ticket: ticket}
		return nil
	})
	return pending, err
}

// confirmRegistration makes the account of the pending registration the ticket's client started when the code
// is right: its identity is bound to the phone on record. Wrong codes count; after registrationTries the
// registration starts over.
func (s *Service) confirmRegistration(ctx context.Context, idNumber, ticket, code string) (people.ResidentAccount, store.Session, error) {
	var none store.Session
	idNumber = people.NormalizeIDNumber(idNumber)
	if ticket == "" || len(ticket) > 64 {
		return people.ResidentAccount{}, none, errs.Field("sms_code", "err.resident.sms_code")
	}
	// The pending row is read and its tries counted in the transaction that would make the account, the row
	// held to its end: guesses sent together are tried one after another, registrationTries at most.
	var r people.ResidentAccount
	var sess store.Session
	wrong := false
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		wrong = false
		p, err := tx.PendingRegistrationToTry(idNumber, tokenHash(ticket), registrationTries)
		if err != nil {
			return err
		}
		if !hmac.Equal([]byte(p.CodeHash), []byte(s.registrationHash(idNumber, code))) {
			wrong = true // the failure is counted: the transaction commits
			return tx.PendingRegistrationFailed(p, registrationTries)
		}
		var d pendingDoc
		if err := json.Unmarshal([]byte(p.Doc), &d); err != nil {
			return errs.Wrap(err, "pending registration")
		}
		a, err := tx.ApplicantByIDNumber(idNumber)
		if err != nil {
			return err
		}
		r = people.ResidentAccount{Name: d.Name, IDNumber: idNumber, Phone: d.Phone, OrgID: d.OrgID, Lang: d.Lang, Identity: people.IdentityPhone, ApplicantID: a.ID}
		if err := tx.EndPendingRegistration(idNumber); err != nil {
			return err
		}
		if err := tx.CreateResident(&r, d.Hash); err != nil {
			return err
		}
		sess, err = tx.StartResidentSession(r, s.cfg.SessionTTL)
		return err
	})
	if wrong || errs.CodeOf(err) == errs.NotFound {
		return people.ResidentAccount{}, none, errs.Field("sms_code", "err.resident.sms_code")
	}
	if err != nil {
		return people.ResidentAccount{}, none, err
	}
	return r, sess, nil
}

// mayFileOnline refuses an unverified account's second online case until its first has been verified at a
// window (a resubmission of the same idempotency key is not a second case).
func (s *Service) mayFileOnline(ctx context.Context, r people.ResidentAccount, key string) error {
	if r.Identity != people.IdentityUnverified {
		return nil
	}
	n, err := s.DB.CountResidentCases(ctx, r.ID)
	if err != nil {
		return err
	}
	if n > 0 && key != "" {
		if _, err := s.DB.IdempotentResult(ctx, key, "online", r.ID); err == nil {
			return nil
		}
	}
	if !people.MayFileOnline(r.Identity, n) {
		return errs.Field("item_id", "err.resident.unverified")
	}
	return nil
}

// VerifyResidentIdentity records, at a window, that the applicant of a case handed in online was seen with
// their identity card: the account that filed it becomes verified and may file further cases online. Only
// the front desk (who may see full ID numbers) of the handling organisation does it. Audited.
func (s *Service) VerifyResidentIdentity(ctx context.Context, actor access.Actor, caseID string) (people.ResidentAccount, error) {
	c, err := s.DB.Case(ctx, caseID)
	if err != nil {
		return people.ResidentAccount{}, err
	}
	o, err := s.DB.Org(ctx, c.Handling)
	if err != nil {
		return people.ResidentAccount{}, err
	}
	if err := actor.Check(access.ApplicantReadFull, o.Path); err != nil {
		return people.ResidentAccount{}, err
	}
	r, err := s.DB.ResidentOfCase(ctx, caseID)
	if err != nil {
		return r, errs.Field("case", "err.resident.not_online")
	}
	if r.Identity == people.IdentityWindow {
		return r, nil
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetResidentIdentity(actor, r, people.IdentityWindow) })
	r.Identity = people.IdentityWindow
	return r, err
}

// ReclaimInput is what a window records when a person reclaims their ID number from an account someone else
// made with it: the phone they bring, which becomes the phone on record.
type ReclaimInput struct {
	Phone string `json:"phone"`
}

// ReclaimIDNumber lets the front desk of the applicant's own township or village, with the person and their
// identity card at the window, take their ID number back from a resident account: that account is retired
// (its history kept, its sessions ended), the applicant record gets the phone the person brings, and the
// person registers again, bound by SMS to that phone. Audited.
func (s *Service) ReclaimIDNumber(ctx context.Context, actor access.Actor, applicantID string, in ReclaimInput) error {
	a, err := s.DB.Applicant(ctx, applicantID)
	if err != nil {
		return err
	}
	if err := actor.Check(access.ApplicantReadFull, a.OrgPath); err != nil {
		return err
	}
	if e := people.CheckPhone("phone", in.Phone); e != nil {
		return e
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		r, err := tx.ResidentByIDNumber(a.IDNumber)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.Field("id_number", "err.resident.no_account")
		} else if err != nil {
			return err
		}
		if err := tx.ReclaimIDNumber(actor, r); err != nil {
			return err
		}
		if a.Phone != in.Phone {
			version := a.Version
			a.Phone = in.Phone
			return tx.UpdateApplicant(actor, a, version)
		}
		return nil
	})
}
