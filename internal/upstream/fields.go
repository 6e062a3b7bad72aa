package upstream

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/people"
)

// Class is a class of personal data in a record. What leaves Bianmin is only what the exchange shape needs
// (个人信息保护法 第6条: 最小必要), and a region may switch a class off per receiver (issue 15 point 7): its
// fields go out empty. Bianmin's choice: the classes are the four the exchange tables carry of a person.
type Class string

const (
	Phone    Class = "phone"     // contact_mobile
	IDNumber Class = "id_number" // applyer_page_code
	Name     Class = "name"      // applyer_name, contact_name
	Address  Class = "address"   // address
)

// Classes lists every class, in the order a form shows them.
var Classes = []Class{Phone, IDNumber, Name, Address}

// classOf says which fields belong to which class.
var classOf = map[string]Class{
	"contact_mobile":    Phone,
	"applyer_page_code": IDNumber,
	"applyer_name":      Name,
	"contact_name":      Name,
	"address":           Address,
}

// Valid reports a class of Classes.
func (c Class) Valid() bool { return slices.Contains(Classes, c) }

// Withhold blanks the fields of the classes switched off. The record is changed in place.
func Withhold(r *Record, off []Class) {
	if len(off) == 0 {
		return
	}
	for f, c := range classOf {
		if _, ok := r.Data[f]; ok && slices.Contains(off, c) {
			r.Data[f] = ""
		}
	}
}

// rule is what a receiver checks of one field: required, its longest length (the national schema's varchar
// sizes, FACTS.md §1.4, §1.8), its code set.
type rule struct {
	required bool
	max      int
	codes    []string
	stamp    bool // a time as Stamp
}

// schema is each table's fields. Lengths: catalog_code 12 and task_code 36 as the exchange schema stores them
// (FACTS.md §1.8: GB/T 39046 says 10 and 24; the storage sizes are the ones a receiver enforces).
var schema = map[Table]map[string]rule{
	Accept: {
		"project_no": {required: true, max: 50}, "task_code": {required: true, max: 36}, "catalog_code": {max: 12},
		"task_handle_item": {max: 50}, "task_name": {required: true, max: 200}, "task_version": {max: 10},
		"apply_date": {required: true, stamp: true}, "accept_date": {required: true, stamp: true}, "promise_date": {max: 19},
		"project_type": {required: true, codes: []string{"1", "2", "9"}}, // A.6 办件类型
		"apply_type":   {codes: []string{"1", "2", "3"}},
		"applyer_type": {required: true, codes: []string{"1", "2", "3", "4", "5", "6"}}, // A.4
		"applyer_name": {max: 100}, "applyer_page_type": {codes: []string{"", "111", "001"}}, "applyer_page_code": {max: 50},
		"contact_name": {max: 100}, "contact_mobile": {max: 20}, "address": {max: 200},
		"org_code": {max: 18}, "org_name": {max: 100}, "handle_user_name": {max: 50}, "project_name": {max: 200}, "area_code": {max: 12},
	},
	Process: {
		"project_no": {required: true, max: 50}, "task_code": {required: true, max: 36}, "process_name": {required: true, max: 100},
		"event_name":       {required: true, codes: []string{"通过", "退回", "其他"}}, // GB/T 39046 6.4 业务动作
		"event_start_time": {required: true, stamp: true}, "event_end_time": {stamp: true}, "handle_user_name": {max: 50},
		"handle_explain": {max: 2000}, "process_state": {codes: []string{"1", "2"}}, "is_delivery_results": {codes: []string{"", "0", "1"}}, "area_code": {max: 12},
	},
	Special: {
		"project_no": {required: true, max: 50}, "task_code": {required: true, max: 36},
		"special_type": {required: true, codes: []string{"1", "2"}}, // A.7 特别程序种类
		"special_name": {max: 100}, "special_reason": {max: 2000}, "special_time": {stamp: true}, "end_time": {stamp: true},
		"result": {max: 200}, "handle_user": {max: 50}, "area_code": {max: 12},
	},
	Result: {
		"project_no": {required: true, max: 50}, "task_code": {required: true, max: 36}, "result_date": {required: true, stamp: true},
		"result_type": {required: true, max: 20}, "result_explain": {max: 2000}, "area_code": {max: 12},
	},
	Evaluation: {
		"evaluate_id": {required: true, max: 50}, "project_no": {max: 50}, "channel": {required: true, max: 20},
		"evaluate_time": {required: true, stamp: true}, "evaluate_times": {required: true, max: 3},
		"satisfaction":  {required: true, codes: []string{"1", "2", "3", "4", "5"}}, // A.8
		"evaluate_text": {max: 2000}, "area_code": {required: true, max: 12}, "subject": {max: 20}, "task_name": {max: 200},
	},
	Supervise: {
		"supervise_no": {required: true, max: 50}, "project_no": {required: true, max: 50}, "rule_no": {required: true, max: 20},
		"warn_type":  {required: true, codes: []string{"1", "2"}}, // 监察预警类型代码: 1 黄牌 (预警), 2 红牌 (超期)
		"state_time": {required: true, stamp: true}, "result_explain": {max: 2000}, "dept_name": {max: 100}, "area_code": {max: 12},
	},
}

// Refusal is why a receiver refused a record: the first field at fault and what is wrong with it.
type Refusal struct {
	Field, Problem string
}

func (r Refusal) Error() string { return r.Field + ": " + r.Problem }

// Validate checks a record as a receiver of the national exchange does: a known table, every required field
// present, lengths, code sets, times, and an ID number's check digit (GB 11643) where a resident's card is
// named. Unknown fields are refused: a receiver's adapter maps fields one by one.
func Validate(r Record) *Refusal {
	fields, ok := schema[r.Table]
	if !ok {
		return &Refusal{"table", "unknown table " + strconv.Quote(string(r.Table))}
	}
	if r.ID == "" || r.Key == "" || r.Seq < 1 {
		return &Refusal{"id", "a record needs its id, key and place"}
	}
	for _, f := range sortedKeys(fields) {
		ru, v := fields[f], r.Data[f]
		switch {
		case ru.required && v == "":
			return &Refusal{f, "required"}
		case ru.max > 0 && utf8.RuneCountInString(v) > ru.max:
			return &Refusal{f, "longer than " + strconv.Itoa(ru.max)}
		case ru.codes != nil && (v != "" || ru.required) && !slices.Contains(ru.codes, v):
			return &Refusal{f, "not in its code set: " + strconv.Quote(v)}
		case ru.stamp && v != "":
			if _, err := time.Parse(Stamp, v); err != nil {
				return &Refusal{f, "not a time " + Stamp}
			}
		}
	}
	for _, f := range sortedKeys(r.Data) {
		if _, ok := fields[f]; !ok {
			return &Refusal{f, "unknown field"}
		}
	}
	if r.Data["applyer_page_type"] == "111" && r.Data["applyer_page_code"] != "" {
		if e := people.CheckIDNumber("applyer_page_code", r.Data["applyer_page_code"]); e != nil {
			return &Refusal{"applyer_page_code", "not a valid ID number"}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
