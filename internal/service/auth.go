package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"

	"bianmin/internal/access"
	"bianmin/internal/errs"
	"bianmin/internal/people"
	"bianmin/internal/store"
)

// Login checks a username and password and opens a session. Every failure gives the same reply (status,
// message) after about the same work, whether the account is unknown, the password wrong, or the
// (account, address) pair is waiting out its backoff: nobody learns from it which accounts exist.
// Failures count per (account, address) pair (people.SignInDelay), never locking the account for everyone;
// an address has a generous ceiling against abuse.
func (s *Service) Login(ctx context.Context, username, password, client string) (people.Staff, store.Session, error) {
	var none store.Session
	var l errs.List
	if username == "" {
		l.Add(errs.Field("username", "err.required"))
	}
	if password == "" {
		l.Add(errs.Field("password", "err.required"))
	}
	l.Add(limit("username", username, people.MaxUsername))
	l.Add(limit("password", password, people.MaxPassword))
	if err := l.Err(); err != nil {
		return people.Staff{}, none, err
	}
	account := "staff:" + strings.ToLower(strings.TrimSpace(username))
	var c store.Credentials
	ok, err := s.signIn(ctx, account, client, password, func() (string, bool, error) {
		var err error
		c, err = s.DB.CredentialsByUsername(ctx, username)
		return c.PasswordHash, c.Staff.Active, err
	})
	if err != nil || !ok {
		return people.Staff{}, none, err
	}
	// An account with a second factor gets a challenge, not a session: the code comes next (CompleteLogin).
	if _, has, err := s.DB.SecondFactor(ctx, c.Staff.ID); err != nil {
		return people.Staff{}, none, err
	} else if has {
		var challenge string
		err := s.DB.Write(ctx, func(tx *store.Tx) error {
			var err error
			challenge, err = tx.StartChallenge(c.Staff.ID, challengeTTL)
			return err
		})
		if err != nil {
			return people.Staff{}, none, err
		}
		return people.Staff{}, none, &SecondFactorNeeded{Challenge: challenge}
	}
	var sess store.Session
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ClearLoginBackoff(account, client); err != nil {
			return err
		}
		var err error
		sess, err = tx.StartSession(c.Staff, s.cfg.SessionTTL)
		return err
	})
	return c.Staff, sess, err
}

// LoginWithCode signs in in one call, for the API: the password and, for an account with a second factor,
// the code (TOTP or recovery code). Without the code such an account is refused naming the field "totp".
func (s *Service) LoginWithCode(ctx context.Context, username, password, code, client string) (people.Staff, store.Session, error) {
	st, sess, err := s.Login(ctx, username, password, client)
	var need *SecondFactorNeeded
	if !errors.As(err, &need) {
		return st, sess, err
	}
	if code == "" {
		e := errs.New(errs.Unauthenticated, "err.2fa.needed")
		e.Field = "totp"
		return st, sess, e
	}
	return s.CompleteLogin(ctx, need.Challenge, code, client)
}

// errSignIn is the one reply to every failed sign-in.
func errSignIn() error { return errs.New(errs.Unauthenticated, "err.login.failed") }

// signIn runs the checks shared by staff and residents: the address's ceiling, the pair's backoff, the
// password (or, for an unknown account, a dummy of the same cost), and the failure's record. find reads the
// account's password hash and whether it may sign in; a NotFound error is an unknown account. It returns
// true only when the password is right; false with the common error otherwise.
func (s *Service) signIn(ctx context.Context, account, client, password string, find func() (hash string, active bool, err error)) (bool, error) {
	now := s.DB.Now()
	if !s.limiter.allow("signin:"+client, now) {
		_, _ = argon2id.ComparePasswordAndHash(password, s.dummyHash)
		return false, errSignIn()
	}
	b, err := s.DB.LoginBackoff(ctx, account, client)
	if err != nil {
		return false, err
	}
	if now.Sub(b.NextAt) > people.SignInForget {
		b = store.Backoff{}
	}
	if now.Before(b.NextAt) { // waiting: the password is not even looked at, but the work is the same
		_, _ = argon2id.ComparePasswordAndHash(password, s.dummyHash)
		return false, errSignIn()
	}
	hash, active, err := find()
	ok := false
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		_, _ = argon2id.ComparePasswordAndHash(password, s.dummyHash)
	case err != nil:
		return false, err
	default:
		match, err := argon2id.ComparePasswordAndHash(password, hash)
		if err != nil {
			return false, errs.Wrap(err, "compare hash")
		}
		ok = match && active
	}
	if ok {
		return true, nil
	}
	if err := s.recordFailure(ctx, account, client, b, now); err != nil {
		return false, err
	}
	return false, errSignIn()
}

// recordFailure counts one more failed sign-in (a password or a second factor's code) for an account and
// address, and sets how long they wait before the next try (people.SignInDelay); failures older than
// people.SignInForget are forgotten first.
func (s *Service) recordFailure(ctx context.Context, account, client string, b store.Backoff, now time.Time) error {
	if now.Sub(b.NextAt) > people.SignInForget {
		b = store.Backoff{}
	}
	b.Failures++
	b.NextAt = now.Add(people.SignInDelay(b.Failures))
	return s.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetLoginBackoff(account, client, b, people.SignInForget) })
}

// ClearSignInWaits ends the backoff of a staff account's failed sign-ins from every address: an
// administrator (or whoever manages the account's organisation) lets its owner try again at once. Audited.
func (s *Service) ClearSignInWaits(ctx context.Context, actor access.Actor, staffID string) error {
	st, err := s.DB.Staff(ctx, staffID)
	if err != nil {
		return err
	}
	if err := actor.Check(access.StaffManage, st.OrgPath); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ClearLoginBackoff("staff:"+strings.ToLower(st.Username), ""); err != nil {
			return err
		}
		return tx.Audit(actor, "staff.signin_waits_cleared", "staff", st.ID, st.OrgID, nil, map[string]any{"username": st.Username})
	})
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
	if err != nil {
		return staff, sess, err
	}
	if err := s.idle(ctx, token, sess.Seen, now, (*store.Tx).TouchSession, (*store.Tx).EndSession); err != nil {
		return people.Staff{}, store.Session{}, err
	}
	s.sessions.Store(token, cachedSession{staff, sess, now})
	return staff, sess, nil
}

// idle ends a session unused for longer than the idle timeout (等保 2.0 三级 身份鉴别: "登录连接超时自动退出"),
// and otherwise records its use, at most once a minute so that a busy window does not write on every
// request.
func (s *Service) idle(ctx context.Context, token string, seen, now time.Time, touch, end func(*store.Tx, string) error) error {
	if s.cfg.Idle <= 0 {
		return nil
	}
	if now.Sub(seen) > s.cfg.Idle {
		_ = s.DB.Write(ctx, func(tx *store.Tx) error { return end(tx, token) })
		return errs.New(errs.Unauthenticated, "err.session")
	}
	if now.Sub(seen) > min(time.Minute, s.cfg.Idle/4) {
		return s.DB.Write(ctx, func(tx *store.Tx) error { return touch(tx, token) })
	}
	return nil
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
	l.Add(limit("old_password", old, people.MaxPassword))
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
	account := "staff:" + me.ID
	if err := s.notRecent(ctx, account, hash, new, "new_password"); err != nil {
		return err
	}
	newHash, err := argon2id.CreateHash(new, s.cfg.Hash)
	if err != nil {
		return errs.Wrap(err, "hash")
	}
	defer s.forgetSessions(me.ID)
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		if s.cfg.PasswordHistory > 1 {
			if err := tx.AddPasswordHistory(account, hash, s.cfg.PasswordHistory-1); err != nil {
				return err
			}
		}
		return tx.SetPassword(me.Actor(), me.ID, newHash, token)
	})
}

// notRecent refuses a new password that is the current one or one of the account's last
// PasswordHistory (等保 2.0 三级 8.1.4.1 a, 定期更换: a change that returns to an old password changes nothing).
// The history keeps only argon2id hashes of earlier passwords.
func (s *Service) notRecent(ctx context.Context, account, current, pw, field string) error {
	if s.cfg.PasswordHistory <= 0 {
		return nil
	}
	hashes, err := s.DB.PasswordHistory(ctx, account, s.cfg.PasswordHistory-1)
	if err != nil {
		return err
	}
	for _, h := range append([]string{current}, hashes...) {
		if same, _ := argon2id.ComparePasswordAndHash(pw, h); same {
			return errs.Field(field, "err.password.reused").With("n", strconv.Itoa(s.cfg.PasswordHistory))
		}
	}
	return nil
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
