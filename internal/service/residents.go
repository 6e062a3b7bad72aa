package service

import (
	"context"
	"slices"
	"strings"

	"github.com/alexedwards/argon2id"

	"bianmin/internal/cases"
	"bianmin/internal/catalog"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
	"bianmin/internal/files"
	"bianmin/internal/ids"
	"bianmin/internal/org"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// The online channel (一网通办): residents' own accounts, and applications they hand in from a guide on the
// portal. A resident account has no role: its actor passes no permission check of the back office, and its
// sessions live in their own table.

// OnlineApplyDepth is the least online-handling depth (网上办理深度, FACTS.md §1.6) at which an item may be
// applied for online: from 在线预审 up, the window checks the materials and the applicant comes once at most.
const OnlineApplyDepth = 2

// OnlineApplicable reports whether residents may apply for an item online.
func OnlineApplicable(it catalog.Item) bool { return it.OnlineDepth >= OnlineApplyDepth }

// RegisterInput is a resident's registration.
type RegisterInput struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	OrgID    string `json:"org_id"` // the village or township where they live: it handles their applications
	Password string `json:"password"`
	Confirm  string `json:"confirm_password"`
	Lang     string `json:"lang,omitempty"`
	// SMSCode confirms a registration whose code went to the phone on record (the rest of the input is then
	// what the first request gave).
	SMSCode string `json:"sms_code,omitempty"`
	// Ticket comes back with the code: the registration's answer gave it to the client that started it.
	Ticket string `json:"registration_ticket,omitempty"`
}

// RegisterResident makes a resident account and signs it in. The account is linked to the applicant record
// with the same ID number, which is made when there is none. Registrations are throttled per address like
// logins, and say no more than that an ID number already has an account.
func (s *Service) RegisterResident(ctx context.Context, in RegisterInput, client string) (people.ResidentAccount, store.Session, error) {
	var none store.Session
	if !s.limiter.allow("register:"+client, s.DB.Now()) {
		return people.ResidentAccount{}, none, errs.New(errs.Locked, "err.login.throttled")
	}
	if in.SMSCode != "" {
		return s.confirmRegistration(ctx, in.IDNumber, in.Ticket, in.SMSCode)
	}
	if err := textLimits(limit("id_number", in.IDNumber, people.MaxUsername), limit("phone", in.Phone, cases.MaxWord),
		limit("org", in.OrgID, cases.MaxWord), limit("confirm_password", in.Confirm, people.MaxPassword), limit("lang", in.Lang, cases.MaxWord)); err != nil {
		return people.ResidentAccount{}, none, err
	}
	r := people.ResidentAccount{ID: ids.New(), Name: in.Name, IDNumber: in.IDNumber, Phone: in.Phone, OrgID: in.OrgID, Lang: in.Lang}
	var l errs.List
	for _, e := range errs.All(r.Validate()) {
		l.Add(e)
	}
	l.Add(people.CheckPassword("password", in.Password, r.IDNumber))
	if in.Password != in.Confirm {
		l.Add(errs.Field("confirm_password", "err.password.mismatch"))
	}
	if r.OrgID != "" {
		if o, err := s.DB.Org(ctx, r.OrgID); err != nil || (o.Kind != org.Village && o.Kind != org.Township) {
			l.Add(errs.Field("org", "err.resident.residence"))
		}
	}
	if err := l.Err(); err != nil {
		return r, none, err
	}
	hash, err := argon2id.CreateHash(in.Password, s.cfg.Hash)
	if err != nil {
		return r, none, errs.Wrap(err, "hash")
	}
	// The person is known with a phone on record: the account is theirs only if that phone answers (the code
	// goes there, never to the phone typed in). identity.go.
	if pending, err := s.bindToPhoneOnRecord(ctx, r, hash); err != nil || pending != nil {
		if err == nil {
			err = pending
		}
		return r, none, err
	}
	var sess store.Session
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		a, err := tx.ApplicantByIDNumber(r.IDNumber)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			a = people.Applicant{Kind: people.Resident, Name: r.Name, IDNumber: r.IDNumber, Phone: r.Phone, OrgID: r.OrgID}
			if err := a.Validate(); err != nil {
				return err
			}
			if err := tx.CreateApplicant(r.Actor(), &a); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		r.ApplicantID = a.ID
		if err := tx.CreateResident(&r, hash); err != nil {
			return err
		}
		sess, err = tx.StartResidentSession(r, s.cfg.SessionTTL)
		return err
	})
	return r, sess, err
}

// ResidentLogin checks an ID number and password and opens a resident session, with the staff login's
// rules (Login): backoff per (account, address), a ceiling per address, one reply for every failure.
func (s *Service) ResidentLogin(ctx context.Context, idNumber, password, client string) (people.ResidentAccount, store.Session, error) {
	var none store.Session
	var l errs.List
	l.Add(limit("id_number", idNumber, people.MaxUsername))
	l.Add(limit("password", password, people.MaxPassword))
	if err := l.Err(); err != nil {
		return people.ResidentAccount{}, none, err
	}
	idNumber = people.NormalizeIDNumber(idNumber)
	if idNumber == "" {
		l.Add(errs.Field("id_number", "err.required"))
	}
	if password == "" {
		l.Add(errs.Field("password", "err.required"))
	}
	if err := l.Err(); err != nil {
		return people.ResidentAccount{}, none, err
	}
	account := "resident:" + idNumber
	var c store.ResidentCredentials
	ok, err := s.signIn(ctx, account, client, password, func() (string, bool, error) {
		var err error
		c, err = s.DB.ResidentCredentialsByIDNumber(ctx, idNumber)
		return c.PasswordHash, true, err
	})
	if err != nil || !ok {
		return people.ResidentAccount{}, none, err
	}
	var sess store.Session
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ClearLoginBackoff(account, client); err != nil {
			return err
		}
		var err error
		sess, err = tx.StartResidentSession(c.Resident, s.cfg.SessionTTL)
		return err
	})
	return c.Resident, sess, err
}

// AuthenticateResident resolves a resident session token. Staff tokens never resolve here, nor resident
// tokens in Authenticate.
func (s *Service) AuthenticateResident(ctx context.Context, token string) (people.ResidentAccount, store.Session, error) {
	if !strings.HasPrefix(token, store.ResidentTokenPrefix) {
		return people.ResidentAccount{}, store.Session{}, errs.New(errs.Unauthenticated, "err.session")
	}
	r, sess, err := s.DB.SessionResident(ctx, token)
	if err != nil {
		return r, sess, err
	}
	if err := s.idle(ctx, token, sess.Seen, s.DB.Now(), (*store.Tx).TouchResidentSession, (*store.Tx).EndResidentSession); err != nil {
		return people.ResidentAccount{}, store.Session{}, err
	}
	return r, sess, nil
}

// ResidentLogout ends a resident session.
func (s *Service) ResidentLogout(ctx context.Context, token string) error {
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.EndResidentSession(token) })
}

// Residences lists the townships and villages a resident may choose as residence at registration.
func (s *Service) Residences(ctx context.Context) ([]org.Org, error) {
	list, err := s.DB.Subtree(ctx, "/", org.Township, org.Village)
	if err != nil {
		return nil, err
	}
	org.SortByCode(list)
	return list, nil
}

// ApplyOnline hands in a resident's application for a published item from its guide. The case's applicant
// is the resident's own record; it is handled by the township of the resident's residence and waits at that
// township's front desk, in state received, for the material check. key makes the submission idempotent.
func (s *Service) ApplyOnline(ctx context.Context, r people.ResidentAccount, itemID, key string) (cases.Case, error) {
	return s.ApplyOnlineWith(ctx, r, itemID, key, OnlineApplication{})
}

// OnlineApplication is what a resident hands in with an online application: the item's form filled in,
// and files for its materials (全程网办, issue 13).
type OnlineApplication struct {
	Form  map[string]string
	Files []FileIn
}

// FileIn is a file handed in with an application: for which material, from which input (named in a
// refusal), as what name.
type FileIn struct {
	Material, Field, Name string
	Body                  []byte
}

// ApplyOnlineWith is ApplyOnline with the form's values and the files: the values are checked against the
// item's form (each fault named by the field's label), every file is checked and brought down to a page's
// weight before anything is written, and the case, its values and its files are stored in one transaction
// (each file with its hash in the audit trail), or nothing is.
func (s *Service) ApplyOnlineWith(ctx context.Context, r people.ResidentAccount, itemID, key string, in OnlineApplication) (cases.Case, error) {
	row, err := s.DB.Item(ctx, itemID)
	if err != nil || row.Published == 0 {
		return cases.Case{}, errs.Field("item_id", "err.not_found").With("what", "item")
	}
	it, err := s.DB.ItemVersion(ctx, row.ID, row.Published)
	if err != nil {
		return cases.Case{}, err
	}
	if !OnlineApplicable(it) {
		return cases.Case{}, errs.Field("item_id", "err.online.not_online")
	}
	values, prepared, err := s.onlineParts(it, in)
	if err != nil {
		return cases.Case{}, err
	}
	if err := s.mayFileOnline(ctx, r, key); err != nil {
		return cases.Case{}, err
	}
	a, err := s.DB.Applicant(ctx, r.ApplicantID)
	if err != nil {
		return cases.Case{}, err
	}
	home, err := s.DB.Org(ctx, r.OrgID)
	if err != nil {
		return cases.Case{}, err
	}
	handling, err := s.township(ctx, home)
	if err != nil {
		return cases.Case{}, err
	}
	joints, err := s.resolveJoint(ctx, it, handling) // the item's joint steps (joint.go)
	if err != nil {
		return cases.Case{}, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return cases.Case{}, err
	}
	now := s.DB.Now()
	actor := r.Actor()
	var made []cases.Case
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		made = nil
		_, replay, err := tx.IdempotentFor(key, "online", r.ID, fingerprint(itemID), func() (string, error) {
			// received online by the handling township itself; nobody at a window took it in
			c := newCase(it, row.DepartmentID, cases.Online, handling, handling, handling, a.ID, "", now, clk)
			joints.apply(&c)
			if err := handDown(tx, &c, clk); err != nil {
				return "", err
			}
			c.Form = values
			ev := cases.Event{Action: "receive", To: cases.Received, At: now, Desk: cases.Applicant}
			if err := tx.CreateCase(actor, &c, numberPrefix(handling), localYear(now), ev, handling.ID); err != nil {
				return "", err
			}
			for i, p := range prepared {
				f := files.File{CaseID: c.ID, Material: in.Files[i].Material, Name: in.Files[i].Name, Type: p.Type, Size: int64(len(p.Body)),
					Original: p.Original, Pages: p.Pages, Width: p.Width, Height: p.Height, SHA256: p.SHA256, Desk: "applicant", By: actor.ID}
				if err := tx.AddFile(actor, handling.ID, &f, p.Body); err != nil {
					return "", err
				}
			}
			made = append(made, c)
			return c.ID, tx.LinkResidentCase(r.ID, c.ID)
		})
		if replay {
			made = nil
		}
		return err
	})
	if err != nil {
		return cases.Case{}, err
	}
	list, err := s.madeCases(ctx, made, key, "online", r.ID)
	if err != nil {
		return cases.Case{}, err
	}
	return list[0], nil
}

// onlineParts checks an online application's form values and files before anything is written.
func (s *Service) onlineParts(it catalog.Item, in OnlineApplication) (map[string]string, []files.Prepared, error) {
	var l errs.List
	var values map[string]string
	if len(it.Form) > 0 {
		v, err := catalog.FillForm(it.Form, in.Form)
		for _, e := range errs.All(err) {
			l.Add(e)
		}
		values = v
	}
	prepared := make([]files.Prepared, len(in.Files))
	for i, f := range in.Files {
		if !slices.ContainsFunc(it.Materials, func(m catalog.Material) bool { return m.Name == f.Material }) {
			l.Add(errs.Field(f.Field, "err.case.unknown_material").With("name", f.Material))
			continue
		}
		p, err := files.Prepare(f.Field, f.Name, f.Body, s.cfg.Files)
		for _, e := range errs.All(err) {
			l.Add(fileLabel(e, f.Material))
		}
		prepared[i] = p
	}
	return values, prepared, l.Err()
}

// MyCase is one of a resident's applications as "my applications" shows it.
type MyCase struct {
	Case cases.Case
	Due  clock.Date
	// DueProvisional: Due was counted over a year without its official holiday schedule (clock.Statutory).
	DueProvisional bool
	Phone4         string // the last four digits of the applicant's phone, when it is the account's: with the number, they open the public tracking page
}

// MyCases lists the applications a resident handed in online, newest first; nobody else's.
func (s *Service) MyCases(ctx context.Context, r people.ResidentAccount) ([]MyCase, error) {
	list, err := s.DB.ResidentCases(ctx, r.ID, 200)
	if err != nil {
		return nil, err
	}
	clk, err := s.Clock(ctx)
	if err != nil {
		return nil, err
	}
	// The tracking link carries the last four digits only when the applicant record's phone is the account's
	// own: an account linked to a record by its ID number learns nothing of a phone it did not give.
	phone4 := ""
	if a, err := s.DB.Applicant(ctx, r.ApplicantID); err == nil && len(a.Phone) >= 4 && a.Phone == r.Phone {
		phone4 = a.Phone[len(a.Phone)-4:]
	}
	today := clock.DateOf(s.DB.Now().In(clk.Rules.Location))
	out := make([]MyCase, len(list))
	for i, c := range list {
		due := c.DueDay(clk, today)
		out[i] = MyCase{Case: c, Due: due.Day, DueProvisional: due.Provisional, Phone4: phone4}
	}
	return out, nil
}

// MyCase reads the public timeline of one of the resident's own applications; another's case is not found,
// the same way as a case that does not exist.
func (s *Service) MyCase(ctx context.Context, r people.ResidentAccount, caseID string) (Tracking, error) {
	v, err := s.sight(ctx, ResidentHand(r), caseID) // files.go: theirs, or not found
	if err != nil {
		return Tracking{}, err
	}
	return s.publicTimeline(ctx, v.c)
}
