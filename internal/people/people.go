package people

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/access"
	"bianmin/internal/errs"
)

// Staff is an account of someone who works in Bianmin.
type Staff struct {
	ID       string
	Username string
	Name     string
	Phone    string
	Role     access.Role
	OrgID    string
	OrgPath  string
	Lang     string // preferred language: zh or mn
	Active   bool
	// MustChangePassword is set for accounts whose password somebody else chose.
	MustChangePassword bool
	Version            int
	Created            time.Time
}

// Actor is the staff member as the subject of permission checks.
func (s Staff) Actor() access.Actor {
	return access.Actor{ID: s.ID, Name: s.Name, Role: s.Role, OrgID: s.OrgID, OrgPath: s.OrgPath}
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

// Validate checks a new or edited account.
func (s Staff) Validate() error {
	var l errs.List
	if !usernameRE.MatchString(s.Username) {
		l.Add(errs.Field("username", "err.username"))
	}
	l.Add(checkText("name", s.Name, true, MaxPersonName))
	if s.Phone != "" {
		l.Add(CheckPhone("phone", s.Phone))
	}
	if !s.Role.Valid() {
		l.Add(errs.Field("role", "err.role"))
	}
	if s.OrgID == "" {
		l.Add(errs.Field("org", "err.required"))
	}
	if s.Lang != "zh" && s.Lang != "mn" {
		l.Add(errs.Field("lang", "err.lang"))
	}
	return l.Err()
}

// MinPassword is the shortest password accepted.
const MinPassword = 10

// CheckPassword applies the password policy: long enough, not too long for the hash, not the username, not on
// the common list (password.go).
func CheckPassword(field, pw, username string) *errs.Error {
	switch {
	case utf8.RuneCountInString(pw) < MinPassword:
		return errs.Field(field, "err.password.short").With("min", "10")
	case len(pw) > MaxPassword:
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(MaxPassword))
	case strings.EqualFold(pw, username):
		return errs.Field(field, "err.password.username")
	case CommonPassword(pw):
		return errs.Field(field, "err.password.common")
	}
	return nil
}

// ApplicantKind tells residents from organisations.
type ApplicantKind string

const (
	Resident     ApplicantKind = "resident"     // 自然人
	Organisation ApplicantKind = "organisation" // 法人 / 其他组织
)

// Applicant is someone who applies: a resident with an ID number or an organisation with a credit code.
type Applicant struct {
	ID         string
	Kind       ApplicantKind
	Name       string
	IDNumber   string // residents
	CreditCode string // organisations
	// CreditOverride records that a credit code failing its check digit was accepted on purpose.
	CreditOverride string
	Phone          string
	Address        string
	OrgID          string // the village or township the applicant belongs to
	OrgPath        string
	Version        int
	Created        time.Time
}

// Validate checks an applicant. A credit code that fails only a check character (its own, or that of the
// organisation code inside it) passes when the override reason is given; the caller must hold the override
// permission.
func (a *Applicant) Validate() error {
	var l errs.List
	a.Name = strings.TrimSpace(a.Name)
	a.Phone = strings.TrimSpace(a.Phone)
	a.Address = strings.TrimSpace(a.Address)
	a.CreditOverride = strings.TrimSpace(a.CreditOverride)
	switch a.Kind {
	case Resident:
		l.Add(checkText("name", a.Name, true, MaxPersonName))
		a.IDNumber = NormalizeIDNumber(a.IDNumber)
		l.Add(CheckIDNumber("id_number", a.IDNumber))
		a.CreditCode, a.CreditOverride = "", ""
	case Organisation:
		l.Add(checkText("name", a.Name, true, MaxOrgName))
		a.CreditCode = NormalizeCreditCode(a.CreditCode)
		if e := CheckCreditCode("credit_code", a.CreditCode); e != nil {
			if !CreditOverridable(e.Key) || a.CreditOverride == "" {
				l.Add(e)
			}
		} else {
			a.CreditOverride = ""
		}
		l.Add(checkText("credit_override", a.CreditOverride, false, MaxOverride))
		a.IDNumber = ""
	default:
		l.Add(errs.Field("kind", "err.applicant.kind"))
	}
	if a.Phone != "" {
		l.Add(CheckPhone("phone", a.Phone))
	}
	l.Add(checkText("address", a.Address, false, MaxAddress))
	if a.OrgID == "" {
		l.Add(errs.Field("org", "err.required"))
	}
	return l.Err()
}

var phoneRE = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`)

// CheckPhone accepts a mainland mobile number or a landline with area code (0476-1234567).
func CheckPhone(field, s string) *errs.Error {
	if !phoneRE.MatchString(strings.TrimSpace(s)) {
		return errs.Field(field, "err.phone")
	}
	return nil
}

func checkText(field, v string, required bool, max int) *errs.Error {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			return errs.Field(field, "err.required")
		}
		return nil
	}
	if n := utf8.RuneCountInString(v); n > max {
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(max))
	}
	return nil
}

// ResidentAccount is a resident's own account on the portal (the online channel). It is not a staff account: it
// carries no role, and its actor may do nothing the role table grants.
type ResidentAccount struct {
	ID          string
	IDNumber    string
	Name        string
	Phone       string
	OrgID       string // the village or township of residence, chosen at registration: it handles the cases
	OrgPath     string
	ApplicantID string // the applicant record with the same ID number
	Lang        string
	Version     int
	Created     time.Time
	// Identity says how the owner was shown to hold the ID number (identity.go).
	Identity string
}

// Actor is the resident as the subject of audit entries. It has no role: every permission check refuses it.
func (r ResidentAccount) Actor() access.Actor {
	return access.Actor{ID: r.ID, Name: r.Name, OrgID: r.OrgID, OrgPath: r.OrgPath}
}

// Validate checks a registration: name, ID number (GB 11643), mobile phone, residence.
func (r *ResidentAccount) Validate() error {
	var l errs.List
	r.Name = strings.TrimSpace(r.Name)
	r.Phone = strings.TrimSpace(r.Phone)
	r.IDNumber = NormalizeIDNumber(r.IDNumber)
	l.Add(checkText("name", r.Name, true, MaxPersonName))
	l.Add(CheckIDNumber("id_number", r.IDNumber))
	if r.Phone == "" {
		l.Add(errs.Field("phone", "err.required"))
	} else {
		l.Add(CheckPhone("phone", r.Phone))
	}
	if r.OrgID == "" {
		l.Add(errs.Field("org", "err.required"))
	}
	if r.Lang != "zh" && r.Lang != "mn" {
		r.Lang = "zh"
	}
	return l.Err()
}
