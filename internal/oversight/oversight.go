// Package oversight holds the orders of supervision: 督办, an order to act on a case (or on a window's or a
// person's work) by a due day, issued by a supervisor or a director, and 催办, a reminder of the same shape.
// The seed asks the supervising office to watch without pause and follow up (三.(四): "严格执行效能监察制度，
// 进行不间断、不定期督导检查"), and GB/T 39046-2020 表11 (电子监察基础数据集) names what an order keeps: 办件编号,
// 督办内容, 被督办机构, 督办发出时间. An order is answered by the organisation it is addressed to; it is never
// edited or withdrawn, so that what was ordered and what was answered both stay on record.
package oversight

import (
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Kind is the order's kind.
type Kind string

const (
	Supervise Kind = "supervise" // 督办: act and report by the due day
	Urge      Kind = "urge"      // 催办: a reminder to hurry
)

// Kinds in the order the form lists them.
var Kinds = []Kind{Supervise, Urge}

// Limits on what an order keeps: its content is printed and kept in the audit trail (issue 16's lesson).
const (
	MaxContent = 1000 // 督办内容, characters
	MaxAnswer  = 2000 // the answer, characters
)

// Order is one 督办 or 催办.
type Order struct {
	ID     string
	Kind   Kind
	CaseID string // the case it is about, when it is about one (办件编号)
	CaseNo string
	// OrgID is the organisation it is addressed to (被督办机构): the case's handling organisation, or a
	// window or township; StaffID narrows it to one person when set.
	OrgID, OrgName, OrgNameMn string
	OrgPath                   string // the addressed organisation's place in the tree: who may answer
	StaffID                   string
	Content                   string // 督办内容
	IssuedBy                  string // staff id
	IssuerName                string
	IssuedAt                  time.Time // 督办发出时间
	Due                       clock.Date
	Answer                    string
	AnsweredBy                string
	AnswererName              string
	AnsweredAt                time.Time
}

// OrgNameIn is the addressed organisation's name in a language (Chinese where the Mongolian is missing).
func (o Order) OrgNameIn(lang string) string {
	if lang == "mn" && o.OrgNameMn != "" {
		return o.OrgNameMn
	}
	return o.OrgName
}

// Open reports whether the order waits for its answer.
func (o Order) Open() bool { return o.AnsweredAt.IsZero() }

// Input is an order as typed.
type Input struct {
	Kind    string `json:"kind"`
	Content string `json:"content"`
	Due     string `json:"due"` // 2026-12-08
}

// Check validates an order typed on day today: a kind from the list, content required and within its
// limit, a due day that is a real date, not before today, and a working day (an order due on a holiday
// would fall due when nobody is at work). Every field in error is named.
func (in Input) Check(cal *clock.Calendar, today clock.Date) (Kind, clock.Date, error) {
	var l errs.List
	k := Kind(in.Kind)
	if k == "" {
		k = Supervise
	}
	if k != Supervise && k != Urge {
		l.Add(errs.Field("kind", "err.find.choice"))
	}
	l.Add(Text("content", in.Content, MaxContent))
	var due clock.Date
	switch {
	case in.Due == "":
		l.Add(errs.Field("due", "err.required"))
	default:
		d, err := clock.ParseDate(in.Due)
		switch {
		case err != nil:
			l.Add(errs.Field("due", "err.find.date"))
		case d.Before(today):
			l.Add(errs.Field("due", "err.order.due_past"))
		case cal != nil && !cal.IsWorkingDay(d):
			l.Add(errs.Field("due", "err.order.due_holiday"))
		}
		due = d
	}
	return k, due, l.Err()
}

// Text refuses an empty text or one over its limit in characters.
func Text(field, v string, max int) *errs.Error {
	switch {
	case len(v) == 0 || isBlank(v):
		return errs.Field(field, "err.required")
	case len(v) > max && utf8.RuneCountInString(v) > max:
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(max))
	}
	return nil
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\u3000' {
			return false
		}
	}
	return true
}

// Card is the order's card on today, by the clock's own rule for a limit (FACTS.md §3: yellow when little
// time is left, red once past the due day): the limit is the working days from its issue to its due day.
// An answered order has none.
func (o Order) Card(c clock.Clock, today clock.Date) clock.Card {
	if !o.Open() || o.Due.IsZero() {
		return ""
	}
	issued := clock.DateOf(o.IssuedAt.In(c.Rules.Location))
	n := max(0, c.Remaining(issued, o.Due))
	return clock.CardOn(today, c.YellowFrom(n, o.Due), o.Due)
}
