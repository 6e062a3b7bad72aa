package stations

import (
	"slices"
	"strings"
	"time"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
)

// 帮办 for special groups (seed 三.(六): "为残障等特殊人群提供代办帮办服务"; 国办发〔2020〕45号 on older people
// and smart technology: keep a person-to-person way for them). An applicant may be marked as needing help;
// their cases come first at the desk and a station or center may visit them at home.
//
// Whether someone is disabled is health information, a sensitive kind of personal information (个人信息保护法
// 第28条), processed only with the person's separate consent (第29条): the mark is recorded only with consent,
// names who gave it, and is shown only to the front desk and the station of the applicant's place; the back
// office and supervision see only that a case was assisted.

// Need is a reason for help.
type Need string

const (
	Elderly  Need = "elderly"  // 老年人
	Disabled Need = "disabled" // 残疾人
	Other    Need = "other"    // 其他需要帮办的人 (the note says what)
)

// Needs in the order forms list them.
var Needs = []Need{Elderly, Disabled, Other}

// Mark is an applicant's record of needing help.
type Mark struct {
	ApplicantID string    `json:"applicant_id"`
	Needs       []Need    `json:"needs"`
	Note        string    `json:"note,omitempty"`
	Consent     bool      `json:"consent"`    // the separate consent was given (个人信息保护法 第29条)
	ConsentBy   string    `json:"consent_by"` // the applicant or their guardian, by name
	By          string    `json:"by"`
	ByName      string    `json:"by_name"`
	At          time.Time `json:"at"`
	Withdrawn   bool      `json:"withdrawn,omitempty"` // consent withdrawn (第15条): the mark no longer counts
	Version     int       `json:"version"`
}

// Validate checks a mark before it is recorded: a known need, consent given and by whom, the note's length;
// "other" needs its note.
func (m Mark) Validate() error {
	var l errs.List
	if len(m.Needs) == 0 {
		l.Add(errs.Field("needs", "err.required"))
	}
	for _, n := range m.Needs {
		if !slices.Contains(Needs, n) {
			l.Add(errs.Field("needs", "err.item.code_set"))
			break
		}
	}
	if slices.Contains(m.Needs, Other) && strings.TrimSpace(m.Note) == "" {
		l.Add(errs.Field("note", "err.required"))
	}
	l.Add(cases.TooLong("note", m.Note, MaxReason))
	if !m.Withdrawn {
		if !m.Consent {
			l.Add(errs.Field("consent", "err.assist.consent"))
		}
		if strings.TrimSpace(m.ConsentBy) == "" {
			l.Add(errs.Field("consent_by", "err.required"))
		}
	}
	l.Add(cases.TooLong("consent_by", m.ConsentBy, MaxName))
	return l.Err()
}

// Active reports whether the mark gives priority: recorded with consent and not withdrawn.
func (m Mark) Active() bool { return m.Consent && !m.Withdrawn && len(m.Needs) > 0 }
