package service

import (
	"context"
	"time"

	"github.com/alexedwards/argon2id"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Login checks a username and password and opens a session. Failures say only "wrong username or password"
// so as not to reveal which accounts exist; a locked account says it is locked.
func (s *Service) Login(ctx context.Context, username, password, client string) (people.Staff, store.Session, error) {
	var none store.Session
	if !s.limiter.allow(client, s.DB.Now()) {
		return people.Staff{}, none, errs.New(errs.Locked, "err.login.throttled")
	}
	var l errs.List
	if username == "" {
		l.Add(errs.Field("username", "err.required"))
	}
	if password == "" {
		l.Add(errs.Field("password", "err.required"))
	}
	if err := l.Err(); err != nil {
		return people.Staff{}, none, err
	}
	c, err := s.DB.CredentialsByUsername(ctx, username)
	if errs.CodeOf(err) == errs.NotFound {
		_, _ = argon2id.ComparePasswordAndHash(password, s.dummyHash)
		return people.Staff{}, none, errs.New(errs.Unauthenticated, "err.login.wrong")
	}
	if err != nil {
		return people.Staff{}, none, err
	}
	if !c.Staff.Active {
		return people.Staff{}, none, errs.New(errs.Unauthenticated, "err.login.wrong")
	}
	if s.DB.Now().Before(c.LockedUntil) {
		return people.Staff{}, none, errs.New(errs.Locked, "err.login.locked")
	}
	ok, err := argon2id.ComparePasswordAndHash(password, c.PasswordHash)
	if err != nil {
		return people.Staff{}, none, errs.Wrap(err, "compare hash")
	}
	if !ok {
		var locked bool
		if err := s.DB.Write(ctx, func(tx *store.Tx) error {
			var err error
			locked, err = tx.RecordLoginFailure(c.Staff.ID, s.cfg.MaxFailures, s.cfg.LockFor)
			return err
		}); err != nil {
			return people.Staff{}, none, err
		}
		if locked {
			return people.Staff{}, none, errs.New(errs.Locked, "err.login.locked")
		}
		return people.Staff{}, none, errs.New(errs.Unauthenticated, "err.login.wrong")
	}
	var sess store.Session
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		sess, err = tx.StartSession(c.Staff, s.cfg.SessionTTL)
		return err
	})
	return c.Staff, sess, err
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	s.sessions.Delete(token)
	defer s.sessions.Delete(token) // again: a request meanwhile may have cached it from the database
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.EndSession(token) })
}

// sessionTTL is how long a resolved session is believed without asking the database again. Every request
// carries its session, and the lookup was a good share of a window's busy minute; a session ended by another
// instance of Bianmin stays usable here this long at most (one ended here ends at once).
const sessionTTL = 2 * time.Second

type cachedSession struct {
	staff people.Staff
	sess  store.Session
	at    time.Time
}

// Authenticate resolves a session token.
func (s *Service) Authenticate(ctx context.Context, token string) (people.Staff, store.Session, error) {
	if token == "" {
		return people.Staff{}, store.Session{}, errs.New(errs.Unauthenticated, "err.session")
	}
	now := s.DB.Now()
	if v, ok := s.sessions.Load(token); ok {
		c := v.(cachedSession)
		if now.Sub(c.at) < sessionTTL && now.Before(c.sess.Expires) {
			return c.staff, c.sess, nil
		}
		s.sessions.Delete(token)
	}
	staff, sess, err := s.DB.SessionStaff(ctx, token)
	if err == nil {
		s.sessions.Store(token, cachedSession{staff, sess, now})
	}
	return staff, sess, err
}

// forgetSessions drops the cached sessions of an account whose account changed.
func (s *Service) forgetSessions(staffID string) {
	s.sessions.Range(func(k, v any) bool {
		if v.(cachedSession).staff.ID == staffID {
			s.sessions.Delete(k)
		}
		return true
	})
}

// ChangePassword sets a new password after checking the old one; other sessions of the account end.
func (s *Service) ChangePassword(ctx context.Context, me people.Staff, token, old, new, confirm string) error {
	var l errs.List
	if old == "" {
		l.Add(errs.Field("old_password", "err.required"))
	}
	l.Add(people.CheckPassword("new_password", new, me.Username))
	if new != confirm {
		l.Add(errs.Field("confirm_password", "err.password.mismatch"))
	}
	if err := l.Err(); err != nil {
		return err
	}
	hash, err := s.DB.PasswordHash(ctx, me.ID)
	if err != nil {
		return err
	}
	if ok, _ := argon2id.ComparePasswordAndHash(old, hash); !ok {
		return errs.Field("old_password", "err.password.old")
	}
	newHash, err := argon2id.CreateHash(new, s.cfg.Hash)
	if err != nil {
		return errs.Wrap(err, "hash")
	}
	defer s.forgetSessions(me.ID)
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetPassword(me.Actor(), me.ID, newHash, token) })
}

// SetLang remembers a staff member's language.
func (s *Service) SetLang(ctx context.Context, me people.Staff, lang string) error {
	if me.Lang == lang {
		return nil
	}
	defer s.forgetSessions(me.ID)
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetLang(me.Actor(), lang) })
}

// StaffInput is what a form or API call gives to create an account.
type StaffInput struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Phone    string `json:"phone,omitempty"`
	Role     string `json:"role"`
	OrgID    string `json:"org_id"`
	Lang     string `json:"lang,omitempty"`
	Password string `json:"password"`
}

// CreateStaff makes an account in the actor's subtree, with a role the actor may grant.
func (s *Service) CreateStaff(ctx context.Context, actor access.Actor, in StaffInput) (people.Staff, error) {
	st := people.Staff{Username: in.Username, Name: in.Name, Phone: in.Phone, Role: access.Role(in.Role), OrgID: in.OrgID, Lang: in.Lang,
		MustChangePassword: !actor.System}
	if st.Lang == "" {
		st.Lang = "zh"
	}
	var l errs.List
	l.Add(people.CheckPassword("password", in.Password, in.Username))
	for _, e := range errs.All(st.Validate()) {
		l.Add(e)
	}
	if err := l.Err(); err != nil {
		return st, err
	}
	o, err := s.DB.Org(ctx, in.OrgID)
	if err != nil {
		return st, errs.Field("org", "err.not_found").With("what", "org")
	}
	if err := actor.Check(access.StaffManage, o.Path); err != nil {
		return st, err
	}
	if !actor.MayGrant(st.Role) {
		return st, errs.New(errs.Forbidden, "err.role.grant")
	}
	if !access.RoleFits(st.Role, o.Kind) {
		return st, errs.Field("org", "err.role.org")
	}
	hash, err := argon2id.CreateHash(in.Password, s.cfg.Hash)
	if err != nil {
		return st, errs.Wrap(err, "hash")
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error { return tx.CreateStaff(actor, &st, hash) })
	return st, err
}

// ListStaff lists the accounts under an organisation the actor may see.
func (s *Service) ListStaff(ctx context.Context, actor access.Actor, orgID string) ([]people.Staff, error) {
	o, err := s.DB.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if err := actor.Check(access.StaffRead, o.Path); err != nil {
		return nil, err
	}
	list, err := s.DB.StaffIn(ctx, o.Path)
	if err != nil {
		return nil, err
	}
	if !actor.Can(access.ApplicantReadFull, o.Path) {
		for i := range list {
			list[i].Phone = people.MaskPhone(list[i].Phone)
		}
	}
	return list, nil
}
