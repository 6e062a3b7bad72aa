// Package rating is 好差评: the rating of a service by the person served, the rectification a bad rating
// opens, and the appeal against a rating staff believe mistaken or malicious. The record is the one GB/T
// 39046-2020 表9 (评价) defines, so that the hall's own figures and the push to the region's unified rating
// system (内蒙古自治区政务服务"好差评"管理办法, 2022: "各级各部门接入使用，不再另行建设") read the same rows.
// Sources: ../shared/domain/FACTS.md §2.
package rating

import (
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// Level is 满意度代码 (GB/T 39046-2020 附录A.8): 1 非常满意 … 5 非常不满意.
type Level int

const (
	VerySatisfied   Level = 1 // 非常满意
	Satisfied       Level = 2 // 满意
	Basic           Level = 3 // 基本满意
	Unsatisfied     Level = 4 // 不满意
	VeryUnsatisfied Level = 5 // 非常不满意
)

// Levels in the order an evaluator shows them.
var Levels = []Level{VerySatisfied, Satisfied, Basic, Unsatisfied, VeryUnsatisfied}

// Valid reports a code of A.8.
func (l Level) Valid() bool { return l >= VerySatisfied && l <= VeryUnsatisfied }

// Bad reports a 差评: "后两个等级(不满意、非常不满意)为差评" (内蒙古统计局好差评工作制度 第七条; FACTS.md §2.2).
// Every other level counts as 好评.
func (l Level) Bad() bool { return l == Unsatisfied || l == VeryUnsatisfied }

// Zh is the level's name in A.8, the form 表9's 满意度 carries beside its code.
func (l Level) Zh() string {
	switch l {
	case VerySatisfied:
		return "非常满意"
	case Satisfied:
		return "满意"
	case Basic:
		return "基本满意"
	case Unsatisfied:
		return "不满意"
	case VeryUnsatisfied:
		return "非常不满意"
	}
	return ""
}

// Channel is 评价渠道 (GB/T 39046-2020 表9: PC端、移动服务端、二维码、政务大厅平板电脑、政务大厅其他终端、电话、短信),
// plus 书面评价表格, which Inner Mongolia's channels add (自治区政务服务局 解读, 2022-04-22; FACTS.md §2.3).
type Channel string

const (
	Pad    Channel = "pad"    // 政务大厅平板电脑: the evaluator facing the applicant at the window (一次一评)
	QR     Channel = "qr"     // 二维码
	PC     Channel = "pc"     // PC端: the tracking page or the resident's account on a computer
	Mobile Channel = "mobile" // 移动服务端: the same on a phone
	SMS    Channel = "sms"    // 短信: the link sent at delivery
	Phone  Channel = "phone"  // 电话 (12345)
	Paper  Channel = "paper"  // 书面评价表格, typed in by staff and marked as such
)

// Channels in the order of 表9.
var Channels = []Channel{PC, Mobile, QR, Pad, Phone, SMS, Paper}

// Valid reports a channel of 表9 (or 书面).
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if x == c {
			return true
		}
	}
	return false
}

// Table9 is the channel's name as 表9 writes it, for the push to the regional system.
func (c Channel) Table9() string {
	switch c {
	case PC:
		return "PC端"
	case Mobile:
		return "移动服务端"
	case QR:
		return "二维码"
	case Pad:
		return "政务大厅平板电脑"
	case Phone:
		return "电话"
	case SMS:
		return "短信"
	case Paper:
		return "书面评价表格"
	}
	return ""
}

// OnSite reports the channels of 一次一评 at the window, rated on the offline indicators; the others are 一事一评
// online, rated on the online ones (国办发〔2019〕51号: 现场服务"一次一评", 网上服务"一事一评").
func (c Channel) OnSite() bool { return c == Pad || c == Paper }

// ByStaff reports the channels staff record a rating on for the rater: the paper form the applicant filled in,
// and the rating the rater gives on the telephone (电话: a 回访 call), typed in by whoever took the call, as
// the rater says it. Both are marked as typed in. Every other channel takes a rating only from the rater
// (GB/T 39734-2020 4.1 自愿真实: 不得强迫或者干扰).
func (c Channel) ByStaff() bool { return c == Paper || c == Phone }

// Indicators (FACTS.md §2.2, a provincial 好差评 spec): offline 服务效率, 服务水平, 服务态度; online 办事效率,
// 办事指南精确度, 办事便捷度, 平台操作性. Each is rated on the levels of A.8, and each is optional: the overall
// level is the rating.
var (
	Offline = []string{"service_efficiency", "service_level", "service_attitude"}
	Online  = []string{"handling_efficiency", "guide_accuracy", "convenience", "operability"}
)

// IndicatorsOf is the indicator set of a channel.
func IndicatorsOf(c Channel) []string {
	if c.OnSite() {
		return Offline
	}
	return Online
}

// MaxText is the longest 文字评价 (表9 leaves it unbounded; a rating is read on one screen and pushed in one row).
const MaxText = 500

// Subject is what was rated: a case (办件编号), or for a window visit that made none, an enquiry or a hall
// ticket. Exactly one is set.
type Subject struct {
	CaseID    string `json:"case_id,omitempty"`
	EnquiryID string `json:"enquiry_id,omitempty"`
	TicketID  string `json:"ticket_id,omitempty"`
}

// Kind names the subject's kind: case, enquiry or ticket.
func (s Subject) Kind() string {
	switch {
	case s.CaseID != "":
		return "case"
	case s.EnquiryID != "":
		return "enquiry"
	}
	return "ticket"
}

func (s Subject) set() int {
	n := 0
	for _, v := range []string{s.CaseID, s.EnquiryID, s.TicketID} {
		if v != "" {
			n++
		}
	}
	return n
}

// Rating is one rating (GB/T 39046-2020 表9 评价): what the rater said, about which subject, by which channel,
// where and whom it concerns. Who rated is not in it: the rater's contact is kept apart (Rater) and staff never
// read it (国办发〔2019〕51号: 评价人信息保护).
type Rating struct {
	ID string `json:"id"`
	Subject
	CaseNo     string            `json:"case_no,omitempty"` // 办件编号
	Channel    Channel           `json:"channel"`           // 评价渠道
	Level      Level             `json:"level"`             // 满意度代码
	Indicators map[string]Level  `json:"indicators,omitempty"`
	Text       string            `json:"text,omitempty"` // 文字评价
	RatedAt    time.Time         `json:"rated_at"`       // 评价时间
	Times      int               `json:"times"`          // 评价次数: one rating per subject and channel, so 1
	Division   string            `json:"division"`       // 行政区划: the township's division code
	Township   string            `json:"township"`       // organisation ids, for scope and figures
	Window     string            `json:"window,omitempty"`
	Staff      string            `json:"staff,omitempty"` // who served
	StaffName  string            `json:"staff_name,omitempty"`
	Item       string            `json:"item,omitempty"`
	Department string            `json:"department,omitempty"` // the item's banner department
	ItemName   string            `json:"item_name,omitempty"`
	ItemNameMn string            `json:"item_name_mn,omitempty"`
	Served     string            `json:"served,omitempty"`     // the case's channel: window, station, online
	EnteredBy  string            `json:"entered_by,omitempty"` // 书面: the member of staff who typed the form in
	Named      bool              `json:"named"`                // the rater can be contacted (实名): 核实 and 回访 reach them
	Excluded   bool              `json:"excluded"`             // an upheld appeal took it out of the figures
	Extra      map[string]string `json:"-"`
}

// Validate checks a rating before it is stored: a subject, a channel of 表9, a level of A.8, indicators of the
// channel's set on the same levels, a text within its limit. Every fault is named.
func (r Rating) Validate() error {
	var l errs.List
	if r.set() != 1 {
		l.Add(errs.Field("subject", "err.rating.subject"))
	}
	if !r.Channel.Valid() {
		l.Add(errs.Field("channel", "err.rating.channel"))
	}
	if !r.Level.Valid() {
		l.Add(errs.Field("level", "err.rating.level"))
	}
	allowed := map[string]bool{}
	for _, k := range IndicatorsOf(r.Channel) {
		allowed[k] = true
	}
	for k, v := range r.Indicators {
		if !allowed[k] {
			l.Add(errs.Field(k, "err.rating.indicator"))
		} else if !v.Valid() {
			l.Add(errs.Field(k, "err.rating.level"))
		}
	}
	if len(r.Text) > MaxText && utf8.RuneCountInString(r.Text) > MaxText {
		l.Add(errs.Field("text", "err.too_long").With("max", strconv.Itoa(MaxText)))
	}
	return l.Err()
}

// Rater is who rated, when they left a way to be reached (实名评价, so that 核实 and 回访 can happen:
// FACTS.md §2.3, 自治区统计局 制度 第六条). Staff never read it; Bianmin itself writes to it.
type Rater struct {
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Account string `json:"account,omitempty"` // the resident account that rated online
}

// Empty reports a rater who cannot be reached.
func (r Rater) Empty() bool { return r.Phone == "" && r.Account == "" }
