package roster

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
	"bianmin/internal/people"
)

// Recusal (回避): a member of staff declares a relation with an applicant or an organisation (their own ID
// number, a family member's, a former employer's credit code), and is then refused every move on a case whose
// applicant is the declared one (三.(四): 效能监察; the public-service ethics of 公务员法 第七十六条 (任职回避,
// 公务回避: 涉及本人或者与本人有本法第七十四条第一款所列亲属关系人员的利害关系的) — citation to be checked).
type Relation string

const (
	Self           Relation = "self"            // the staff member themself, as an applicant
	Family         Relation = "family"          // 夫妻关系、直系血亲、三代以内旁系血亲以及近姻亲
	FormerEmployer Relation = "former_employer" // an organisation they worked for
	Other          Relation = "other"           // any other interest
)

// Relations in the order forms list them.
var Relations = []Relation{Self, Family, FormerEmployer, Other}

// MaxNote is the limit of a declaration's note, characters.
const MaxNote = 500

// Declaration is one declared relation.
type Declaration struct {
	ID       string
	Staff    string
	Relation Relation
	Number   string // an ID number (a person) or a unified social credit code (an organisation), as stored
	Name     string
	Note     string
	Declared time.Time
}

// DeclarationInput is a declaration as typed.
type DeclarationInput struct {
	Relation string `json:"relation"`
	Number   string `json:"number"`
	Name     string `json:"name"`
	Note     string `json:"note"`
}

// Check reads a declaration: a relation from the list, a number that is a valid ID number (for a person) or
// credit code (for an organisation, a former employer), a name, a note within its limit.
func (in DeclarationInput) Check(staff string) (Declaration, error) {
	var l errs.List
	d := Declaration{Staff: staff, Relation: Relation(in.Relation), Name: strings.TrimSpace(in.Name), Note: strings.TrimSpace(in.Note)}
	valid := false
	for _, r := range Relations {
		valid = valid || r == d.Relation
	}
	if !valid {
		l.Add(errs.Field("people_relation", "err.find.choice"))
	}
	if d.Relation == FormerEmployer {
		d.Number = people.NormalizeCreditCode(in.Number)
		l.Add(people.CheckCreditCode("number", d.Number))
	} else {
		d.Number = people.NormalizeIDNumber(in.Number)
		l.Add(people.CheckIDNumber("number", d.Number))
	}
	switch {
	case d.Name == "":
		l.Add(errs.Field("relation_name", "err.required"))
	case utf8.RuneCountInString(d.Name) > people.MaxOrgName:
		l.Add(errs.Field("relation_name", "err.too_long").With("max", strconv.Itoa(people.MaxOrgName)))
	}
	if utf8.RuneCountInString(d.Note) > MaxNote {
		l.Add(errs.Field("note", "err.too_long").With("max", strconv.Itoa(MaxNote)))
	}
	return d, l.Err()
}

// Conflict is the declaration that makes a person recuse from a case of an applicant with this ID number or
// credit code (false when none does).
func Conflict(decls []Declaration, idNumber, creditCode string) (Declaration, bool) {
	for _, d := range decls {
		if d.Number != "" && (d.Number == idNumber || d.Number == creditCode) {
			return d, true
		}
	}
	return Declaration{}, false
}
