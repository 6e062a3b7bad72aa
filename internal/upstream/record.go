// Package upstream is Bianmin connected upward: the records a case's moves, a rating and a supervision card
// send to the upper platform in the shape of the national exchange tables (国家政务服务平台 up_pro_accept,
// up_pro_process, up_pro_special_procedure, up_pro_result; GB/T 39046-2020 datasets 6.2-6.6 and 表9, 表11;
// ../shared/domain/FACTS.md §1.4, §2, §3), the classes of personal data a region may switch off per receiver,
// the validation a receiver applies (fields and code sets), the protocol of batches and receipts, and the
// receipt ledger of the reference receiver (`bianmin upstream serve`). Webhook events for local systems and
// their signature are here too (webhook.go). Seed 三.(五): the township system is interconnected with the
// national integrated platform; 内蒙古 runs one unified 好差评 system every level connects to.
package upstream

import (
	"strconv"
	"strings"
	"time"

	"bianmin/internal/cases"
)

// Table is a national exchange table (FACTS.md §1.4) or a GB/T 39046 dataset pushed the same way.
type Table string

const (
	Accept     Table = "up_pro_accept"            // 办件受理 (GB/T 39046 6.3)
	Process    Table = "up_pro_process"           // 办理过程 (6.4)
	Special    Table = "up_pro_special_procedure" // 特别程序 (6.4, A.7)
	Result     Table = "up_pro_result"            // 办结 (6.5)
	Evaluation Table = "up_pro_evaluation"        // 评价 (6.6, 表9): the region's unified 好差评 system
	Supervise  Table = "up_pro_supervise"         // 电子监察 (6.8, 表11): red and yellow cards, overdue cases
)

// Tables lists every table a receiver takes.
var Tables = []Table{Accept, Process, Special, Result, Evaluation, Supervise}

// Record is one row for one receiver: its id is the idempotency key a receiver keeps receipts by; Key and
// Seq put the records of one case (or rating, or supervision record) in order.
type Record struct {
	ID    string            `json:"id"`
	Table Table             `json:"table"`
	Key   string            `json:"key"`
	Seq   int               `json:"seq"`
	Data  map[string]string `json:"data"`
}

// Stamp is how the exchange tables write a time: local time, to the second (varchar in the national schema).
const Stamp = "2006-01-02 15:04:05"

// Move is what a case's move pushes up besides the case itself: the event, who made it, the organisation
// that handles the case (division code and name), the applicant as the exchange names them, and the item's
// codes (opaque strings from the catalog, FACTS.md §1.8).
type Move struct {
	Case      cases.Case
	Event     cases.Event
	By        string // 受理人员 / 办理人员: the name of who made the move
	OrgCode   string // the handling organisation's division code
	OrgName   string
	Applicant Person
	Item      ItemCodes
	Due       string // 承诺办结时间 as a date, when the clock runs
	Loc       *time.Location
}

// Person is the applicant as up_pro_accept names them (申请人 and 联系人).
type Person struct {
	Kind     string // 申请人类型: 1 自然人, 2 法人 (GB/T 39046 A.4 服务对象代码)
	Name     string
	CardType string // 证件类型 (GA/T 2000.156): 111 居民身份证, 001 统一社会信用代码 (Bianmin's two)
	CardNo   string
	Phone    string
	Address  string
}

// ItemCodes are the item's codes and kind as the exchange names them.
type ItemCodes struct {
	BaseCode, ImplCode, HandlingCode string
	Name                             string
	Version                          int
	CaseKind                         int // 办件类型 A.6: 1 即办件, 2 承诺件
}

// ForMove is the records a move produces, in order: every accepted, moved, suspended, decided and delivered
// case (issue 15 point 1). Moves that change nothing the upper platform keeps (claim, release, assign, a
// correction before acceptance) produce none: before acceptance the case is not yet 办件 (行政许可法 第32条:
// the application is accepted or refused; FACTS.md §4.1).
func ForMove(m Move) []Record {
	c, ev := m.Case, m.Event
	at := ev.At.In(m.Loc).Format(Stamp)
	base := map[string]string{"project_no": c.No, "task_code": m.Item.ImplCode, "area_code": m.OrgCode}
	rec := func(t Table, extra map[string]string) Record {
		d := make(map[string]string, len(base)+len(extra))
		for k, v := range base {
			d[k] = v
		}
		for k, v := range extra {
			d[k] = v
		}
		return Record{Table: t, Key: c.ID, Data: d}
	}
	process := func(name, event string) Record {
		return rec(Process, map[string]string{"process_name": name, "event_name": event, "event_start_time": at, "event_end_time": at,
			"handle_user_name": m.By, "handle_explain": ev.Note, "process_state": "2"})
	}
	switch ev.Action {
	case cases.Accept, cases.AcceptOwed:
		p := m.Applicant
		acc := rec(Accept, map[string]string{
			"catalog_code": m.Item.BaseCode, "task_handle_item": m.Item.HandlingCode, "task_name": m.Item.Name,
			"task_version": strconv.Itoa(m.Item.Version), "apply_date": c.Received.In(m.Loc).Format(Stamp), "accept_date": at,
			"promise_date": m.Due, "project_type": strconv.Itoa(max(m.Item.CaseKind, 1)), "apply_type": applyType(c.Channel),
			"applyer_type": p.Kind, "applyer_name": p.Name, "applyer_page_type": p.CardType, "applyer_page_code": p.CardNo,
			"contact_name": p.Name, "contact_mobile": p.Phone, "address": p.Address,
			"org_code": m.OrgCode, "org_name": m.OrgName, "handle_user_name": m.By, "project_name": m.Item.Name,
		})
		return []Record{acc, process("受理", "通过")}
	case cases.Refuse:
		return []Record{rec(Result, map[string]string{"result_date": at, "result_type": "不予受理", "result_explain": ev.Note})}
	case cases.Pass:
		return []Record{process(stepName(c, ev.Step), "通过")}
	case cases.Return:
		return []Record{process(stepName(c, ev.Step), "退回")}
	case cases.Suspend:
		kind := ""
		if len(c.Suspensions) > 0 {
			kind = c.Suspensions[len(c.Suspensions)-1].Kind
		}
		return []Record{rec(Special, map[string]string{"special_type": "2", "special_name": kind, "special_reason": ev.Note,
			"special_time": at, "handle_user": m.By})}
	case cases.Resume:
		return []Record{rec(Special, map[string]string{"special_type": "2", "end_time": at, "result": "结束", "handle_user": m.By})}
	case cases.ApproveExtension:
		// 特别程序种类 1 延长审批 (A.7; 行政许可法 第42条)
		return []Record{rec(Special, map[string]string{"special_type": "1", "special_name": "延长审批", "special_reason": ev.Note,
			"special_time": at, "end_time": at, "result": "同意", "handle_user": m.By})}
	case cases.Decide:
		res := "准予"
		if c.Decision != nil && !c.Decision.Grant {
			res = "不予"
		}
		return []Record{process(stepName(c, ev.Step), "通过"), rec(Result, map[string]string{"result_date": at, "result_type": res, "result_explain": ev.Note})}
	case cases.Terminate, cases.Revoke:
		return []Record{rec(Result, map[string]string{"result_date": at, "result_type": map[cases.Action]string{cases.Terminate: "终止", cases.Revoke: "撤销"}[ev.Action],
			"result_explain": ev.Note})}
	case cases.Issue:
		post := "0"
		if c.Delivery != nil && c.Delivery.Method == "post" {
			post = "1"
		}
		return []Record{rec(Process, map[string]string{"process_name": "出件", "event_name": "通过", "event_start_time": at, "event_end_time": at,
			"handle_user_name": m.By, "is_delivery_results": post, "process_state": "2"})}
	case cases.Deliver:
		return []Record{process("送达", "通过")}
	}
	return nil
}

// applyType is 申报来源 (GB/T 39046 6.2): 1 窗口, 2 网上 (the resident's account), 3 代办 (a village station).
func applyType(ch cases.Channel) string {
	switch ch {
	case cases.Online:
		return "2"
	case cases.ByStation:
		return "3"
	}
	return "1"
}

func stepName(c cases.Case, step int) string {
	if step >= 1 && step <= len(c.Steps) {
		return c.Steps[step-1].Name
	}
	return "办理"
}

// Kinds of events a webhook subscribes to, and the event a record carries. A case's records are its moves;
// ratings and supervision records are their own kinds.
const (
	EventCase        = "case"
	EventRating      = "rating"
	EventSupervision = "supervision"
)

// EventKinds lists what a receiver may subscribe to.
var EventKinds = []string{EventCase, EventRating, EventSupervision}

// Join and Split keep a list in one column.
func Join(list []string) string { return strings.Join(list, ",") }

func Split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
