// Package complaint is the complaint register (投诉登记): a complaint received at any window or station,
// online, from a 差评 or typed in from a telephone call, about a case, a person, a window, an item or the
// service in general, routed to the body responsible for what it is about (谁办理、谁负责, 国办发〔2019〕51号),
// answered within a deadline in working days that may be extended once with reasons, the answer sent to the
// complainant, who may rate it. It keeps what GB/T 39046-2020 6.7 办事互动 asks of a 投诉: 承诺时限, 延期时限 and
// 超期天数 (FACTS.md §1.4), and exports in those fields (Row).
//
// The complainant is protected as a rater is (国办发〔2019〕51号 评价人信息保护): who complained is stored apart
// and read only by the messages Bianmin sends itself; a complaint may be anonymous.
package complaint

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// DefaultDays is the answer deadline in working days. GB/T 39046-2020 6.7 asks for a 承诺时限 but sets no
// number, nor does any text FACTS.md holds: Bianmin's choice, a setting (-complaint-days), 5 by default like
// the 差评's rectification (FACTS.md §2.4, 德州市 5个工作日).
const DefaultDays = 5

// Channel is where a complaint came in.
type Channel string

const (
	Window  Channel = "window"  // at a township's general window
	Station Channel = "station" // at a village station
	Online  Channel = "online"  // the portal's form, signed in or not
	Rating  Channel = "rating"  // a 差评 whose rater complained
	Phone   Channel = "phone"   // a telephone call typed in by staff (12345 or the hall's 投诉电话)
)

// Channels in the order the forms list them.
var Channels = []Channel{Window, Station, Online, Rating, Phone}

// About is what a complaint is about.
type About string

const (
	AboutCase    About = "case"
	AboutStaff   About = "staff"
	AboutWindow  About = "window"
	AboutItem    About = "item"
	AboutService About = "service" // the service in general: a township's hall, its hours, its manner
)

// Abouts in the order the forms list them.
var Abouts = []About{AboutCase, AboutStaff, AboutWindow, AboutItem, AboutService}

// State is where a complaint stands.
type State string

const (
	Open     State = "open"     // received, waiting for the responsible body's answer
	Answered State = "answered" // answered and sent; waits for the complainant's rating of the answer
	Closed   State = "closed"   // the complainant rated the answer
)

// Verdict is the complainant's rating of the answer (满意 / 基本满意 / 不满意, as a rectification's 回访).
type Verdict string

const (
	Satisfied   Verdict = "satisfied"
	Basic       Verdict = "basic"
	Unsatisfied Verdict = "unsatisfied"
)

// Verdicts in the order shown.
var Verdicts = []Verdict{Satisfied, Basic, Unsatisfied}

// Limits on what is typed.
const (
	MaxBody   = 2000
	MaxAnswer = 2000
	MaxReason = 500
	MaxName   = 50
	MaxPhone  = 20
)

// Complaint is one complaint.
type Complaint struct {
	ID       string  `json:"id"`
	Channel  Channel `json:"channel"`
	About    About   `json:"about"`
	Received string  `json:"received"` // the organisation where it was received ("" online)
	// Responsible is the body that answers (谁办理、谁负责): the township handling the case, the person's or
	// window's township or department, the item's department, or the township of the service.
	Responsible     string    `json:"responsible"`
	ResponsibleName string    `json:"responsible_name"`
	ResponsibleMn   string    `json:"responsible_mn,omitempty"`
	CaseID          string    `json:"case_id,omitempty"`
	CaseNo          string    `json:"case_no,omitempty"`
	StaffID         string    `json:"staff_id,omitempty"`
	StaffName       string    `json:"staff_name,omitempty"`
	WindowID        string    `json:"window_id,omitempty"`
	WindowName      string    `json:"window_name,omitempty"`
	ItemID          string    `json:"item_id,omitempty"`
	ItemName        string    `json:"item_name,omitempty"`
	ItemNameMn      string    `json:"item_name_mn,omitempty"`
	RatingID        string    `json:"rating_id,omitempty"`
	Anonymous       bool      `json:"anonymous"` // no way to reach the complainant was given
	Body            string    `json:"body"`
	At              time.Time `json:"at"`
	EnteredBy       string    `json:"entered_by,omitempty"` // the member of staff who typed it in ("" online)

	Days       int        `json:"days"`        // 承诺时限: the answer deadline in working days when received
	DueOn      clock.Date `json:"due_on"`      // answer by this day (the extension included)
	YellowFrom clock.Date `json:"yellow_from"` // the first yellow day
	Extension  *Extension `json:"extension,omitempty"`

	State      State      `json:"state"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt time.Time  `json:"answered_at,omitzero"`
	AnsweredOn clock.Date `json:"answered_on,omitzero"`
	AnsweredBy string     `json:"answered_by,omitempty"` // the name of who answered, in the body's name
	Verdict    Verdict    `json:"verdict,omitempty"`
	VerdictAt  time.Time  `json:"verdict_at,omitzero"`
	Version    int        `json:"version"`
}

// Extension is the one extension of the answer deadline (延期), with its reasons.
type Extension struct {
	Days   int        `json:"days"`   // 延期时限, working days
	Reason string     `json:"reason"` // why
	By     string     `json:"by"`
	At     time.Time  `json:"at"`
	From   clock.Date `json:"from"` // the due day before
}

func tooLong(field, v string, max int) *errs.Error {
	if len(v) > max && utf8.RuneCountInString(v) > max {
		return errs.Field(field, "err.too_long").With("max", strconv.Itoa(max))
	}
	return nil
}

// Check validates a complaint as received: a known channel and subject, the subject named (a case, a
// person, a window or an item; the service in general names none), a body within its limit.
func (c Complaint) Check() error {
	var l errs.List
	if !slices.Contains(Channels, c.Channel) {
		l.Add(errs.Field("channel", "err.required"))
	}
	if !slices.Contains(Abouts, c.About) {
		l.Add(errs.Field("complaint_about", "err.required"))
	}
	need := map[About]struct{ field, v string }{AboutCase: {"complaint_case", c.CaseNo}, AboutStaff: {"complaint_staff", c.StaffID},
		AboutWindow: {"window", c.WindowID}, AboutItem: {"item", c.ItemID}}
	if n, ok := need[c.About]; ok && n.v == "" {
		l.Add(errs.Field(n.field, "err.required"))
	}
	if c.Body == "" {
		l.Add(errs.Field("complaint", "err.required"))
	}
	l.Add(tooLong("complaint", c.Body, MaxBody))
	return l.Err()
}

// CheckContact validates the complainant's name and phone, both optional (anonymous complaints are allowed).
func CheckContact(name, phone string) error {
	var l errs.List
	l.Add(tooLong("name", name, MaxName))
	l.Add(tooLong("phone", phone, MaxPhone))
	for _, r := range phone {
		if (r < '0' || r > '9') && r != '-' && r != '+' && r != ' ' {
			l.Add(errs.Field("phone", "err.enquiry.phone"))
			break
		}
	}
	return l.Err()
}

// Start sets the answer deadline of a complaint received at its moment: days working days counted as a
// case's limit is, from the next working day (clock.Clock.Due); days below 1 take DefaultDays.
func (c Complaint) Start(clk clock.Clock, days int) Complaint {
	if days <= 0 {
		days = DefaultDays
	}
	c.Days, c.State, c.Version = days, Open, 1
	c.DueOn = clk.Due(c.At, clock.WorkingDays, days)
	c.YellowFrom = clk.YellowFrom(days, c.DueOn)
	return c
}

// Extend moves the answer deadline once, by days working days (at most the deadline's own days: Bianmin's
// choice, GB/T 39046 6.7 keeps one 延期时限), with the reasons; only while it waits for its answer. The
// complainant is told (the service sends it).
func (c Complaint) Extend(days int, reason, by string, at time.Time, clk clock.Clock) (Complaint, error) {
	if c.State != Open {
		return c, errs.New(errs.Conflict, "err.joint.complaint.closed")
	}
	if c.Extension != nil {
		return c, errs.Field("days", "err.joint.complaint.extended")
	}
	if days < 1 || days > c.Days {
		return c, errs.Field("days", "err.joint.complaint.ext_days").With("max", strconv.Itoa(c.Days))
	}
	if reason == "" {
		return c, errs.Field("reason", "err.required")
	}
	if err := tooLong("reason", reason, MaxReason); err != nil {
		return c, err
	}
	c.Extension = &Extension{Days: days, Reason: reason, By: by, At: at, From: c.DueOn}
	c.DueOn = clk.Cal.AddWorkingDays(c.DueOn, days)
	c.YellowFrom = clk.YellowFrom(c.Days+days, c.DueOn)
	c.Version++
	return c, nil
}

// Reply records the answer, given on a day, in the responsible body's name; only once, and said.
func (c Complaint) Reply(answer, by string, at time.Time, today clock.Date) (Complaint, error) {
	if c.State != Open {
		return c, errs.New(errs.Conflict, "err.joint.complaint.closed")
	}
	if answer == "" {
		return c, errs.Field("answer", "err.required")
	}
	if err := tooLong("answer", answer, MaxAnswer); err != nil {
		return c, err
	}
	c.Answer, c.AnsweredBy, c.AnsweredAt, c.AnsweredOn, c.State = answer, by, at, today, Answered
	c.Version++
	return c, nil
}

// Rate takes the complainant's rating of the answer, once.
func (c Complaint) Rate(v Verdict, at time.Time) (Complaint, error) {
	if c.State != Answered {
		return c, errs.New(errs.Conflict, "err.joint.complaint.not_answered")
	}
	if !slices.Contains(Verdicts, v) {
		return c, errs.Field("complaint_verdict", "err.required")
	}
	c.Verdict, c.VerdictAt, c.State = v, at, Closed
	c.Version++
	return c, nil
}

// Late reports an answer given after the deadline.
func (c Complaint) Late() bool { return !c.AnsweredOn.IsZero() && c.AnsweredOn.After(c.DueOn) }

// Card is the complaint's card on a day: red once past the deadline unanswered, or answered late (it stays on
// the record as overdue); none when answered in time; else green, then yellow, as a case's clock
// (clock.CardOnDays).
func (c Complaint) Card(today clock.Date) clock.Card {
	if c.State != Open {
		if c.Late() {
			return clock.Red
		}
		return ""
	}
	return clock.CardOnDays(today.Int(), c.YellowFrom.Int(), c.DueOn.AddDays(1).Int(), false)
}

// OverdueDays is GB/T 39046 6.7's 超期天数: the working days after the deadline until the answer (or until
// today while unanswered); 0 when in time.
func (c Complaint) OverdueDays(cal *clock.Calendar, today clock.Date) int {
	end := today
	if !c.AnsweredOn.IsZero() {
		end = c.AnsweredOn
	}
	return cal.WorkingDaysBetween(c.DueOn, end)
}

// AnswerDays is the working days the answer took, from the day after receipt (0 while unanswered).
func (c Complaint) AnswerDays(cal *clock.Calendar, loc *time.Location) int {
	if c.AnsweredOn.IsZero() {
		return 0
	}
	return cal.WorkingDaysBetween(clock.DateOf(c.At.In(loc)), c.AnsweredOn)
}

// Row is a complaint in the fields of GB/T 39046-2020 6.7 办事互动 (FACTS.md §1.4): 互动类型 投诉, 编号, 内容, 提交
// 时间, 渠道, 受理部门, 承诺时限, 延期时限, 回复内容, 回复时间, 超期天数, and the complainant's 满意度. No personal data.
type Row struct {
	Kind        string `json:"interaction_type"`  // 互动类型: always 投诉
	ID          string `json:"interaction_no"`    // 编号
	Content     string `json:"content"`           // 内容
	SubmittedAt string `json:"submit_time"`       // 提交时间
	Channel     string `json:"channel"`           // 渠道
	Dept        string `json:"handle_dept"`       // 受理(负责)部门
	PromiseDays int    `json:"promise_days"`      // 承诺时限 (working days)
	ExtendDays  int    `json:"extend_days"`       // 延期时限 (working days)
	Reply       string `json:"reply_content"`     // 回复内容
	ReplyAt     string `json:"reply_time"`        // 回复时间
	OverdueDays int    `json:"overdue_days"`      // 超期天数 (working days)
	Verdict     string `json:"satisfaction"`      // 满意度
	About       string `json:"subject,omitempty"` // what it is about (case number, item ...)
}

// RowOf gives a complaint's export row on a day.
func RowOf(c Complaint, cal *clock.Calendar, loc *time.Location, today clock.Date) Row {
	r := Row{Kind: "投诉", ID: c.ID, Content: c.Body, SubmittedAt: c.At.In(loc).Format("2006-01-02 15:04:05"), Channel: string(c.Channel),
		Dept: c.ResponsibleName, PromiseDays: c.Days, Reply: c.Answer, OverdueDays: c.OverdueDays(cal, today), Verdict: string(c.Verdict)}
	if c.Extension != nil {
		r.ExtendDays = c.Extension.Days
	}
	if !c.AnsweredAt.IsZero() {
		r.ReplyAt = c.AnsweredAt.In(loc).Format("2006-01-02 15:04:05")
	}
	switch c.About {
	case AboutCase:
		r.About = c.CaseNo
	case AboutItem:
		r.About = c.ItemName
	case AboutWindow:
		r.About = c.WindowName
	case AboutStaff:
		r.About = c.StaffName
	}
	return r
}

// Figures are a register's counts over a period: received, answered, answered late, open past their deadline,
// and the average working days an answer took (for supervision and the monthly report).
type Figures struct {
	Received    int     `json:"received"`
	Answered    int     `json:"answered"`
	Late        int     `json:"late"`
	OpenOverdue int     `json:"open_overdue"`
	AvgDays     float64 `json:"avg_days"`
	Satisfied   int     `json:"satisfied"` // 满意 and 基本满意 of the rated answers
	Rated       int     `json:"rated"`
}

// Tally counts complaints into figures on a day.
func Tally(list []Complaint, cal *clock.Calendar, loc *time.Location, today clock.Date) Figures {
	var f Figures
	days := 0
	for _, c := range list {
		f.Received++
		switch {
		case c.State != Open:
			f.Answered++
			days += c.AnswerDays(cal, loc)
			if c.Late() {
				f.Late++
			}
		case c.DueOn.Before(today):
			f.OpenOverdue++
		}
		if c.Verdict != "" {
			f.Rated++
			if c.Verdict == Satisfied || c.Verdict == Basic {
				f.Satisfied++
			}
		}
	}
	if f.Answered > 0 {
		f.AvgDays = float64(days) / float64(f.Answered)
	}
	return f
}
