// Package delegation holds the rules of delegated powers (赋权, 下放事项): how a banner department hands an item
// (or its decision step) down to townships, so that the townships "接得住、用得好". The seed's fourth part is the
// law here:
//
//   - 四.(一): the departments that delegate "提前搞好对苏木乡镇街道受理和审办人员的分类业务指导和培训", pair banner
//     and township staff on one platform "建立结对指导帮扶联系以及求助响应机制", hand over face to face only once
//     the township can take it ("在确保能顺利交接的前提下，再各自与苏木乡镇街道当面移交"), and for three months
//     after the hand-over guide in real time online and inspect "以定时划片的方式进行巡回检查指导";
//   - 四.(二): how each department followed up "纳入年度绩效考核……进行重点考评" (the assessment, assess.go).
//
// A delegation is a record of the department's: the legal document, the scope, the start date and a hand-over
// checklist per township. It is in force for a township from the start date once that township's face-to-face
// hand-over is recorded; a case takes the steps in force on the day it is received and keeps them (open
// cases finish as they began). Pausing or revoking works the same way back, from its own date.
package delegation

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"bianmin/internal/cases"
	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// Scope is what is handed down.
type Scope string

const (
	WholeItem    Scope = "item"     // every banner step of the item: the township handles and decides
	DecisionStep Scope = "decision" // only the step that decides (决定权下放); earlier banner steps stay
)

// Scopes in the order forms list them.
var Scopes = []Scope{WholeItem, DecisionStep}

// State is where the delegation as a whole stands.
type State string

const (
	Active  State = "active"  // planned or in force (per township, by its hand-over and the dates)
	Paused  State = "paused"  // 暂停: not in force from its last period's end; may resume
	Revoked State = "revoked" // 收回: not in force from its last period's end; final
)

// Limits on what a delegation keeps (printed in the assessment and kept in the audit trail).
const (
	MaxDocNo  = 100
	MaxStaff  = 500 // the trained staff named
	MaxReason = 1000
	MaxName   = 50 // a person named at the hand-over
)

// Period is a stretch in which the delegation is in force: From, and Until (the first day it no longer is;
// zero while open).
type Period struct {
	From  clock.Date `json:"from"`
	Until clock.Date `json:"until,omitzero"`
}

// Contains reports whether day d falls in the period.
func (p Period) Contains(d clock.Date) bool {
	return !d.Before(p.From) && (p.Until.IsZero() || d.Before(p.Until))
}

// Township is one township's side of the hand-over (四.(一): "在确保能顺利交接的前提下……当面移交"): the
// department's checklist (materials, templates, system access, trained staff named), the readiness its
// director confirms, and the face-to-face hand-over recorded with a person of each side.
type Township struct {
	OrgID        string     `json:"org_id"`
	Materials    bool       `json:"materials"`     // 材料: the item's files and records handed over
	Templates    bool       `json:"templates"`     // 文书模板: notice and form templates
	SystemAccess bool       `json:"system_access"` // 系统权限: accounts in the department's system
	TrainedStaff string     `json:"trained_staff"` // 培训人员: the township staff trained, by name
	ReadyBy      string     `json:"ready_by,omitempty"`
	ReadyName    string     `json:"ready_name,omitempty"`
	ReadyAt      time.Time  `json:"ready_at,omitzero"` // the director's confirmation of readiness
	HandedAt     time.Time  `json:"handed_at,omitzero"`
	HandedDay    clock.Date `json:"handed_day,omitzero"`
	HandedBy     string     `json:"handed_by,omitempty"`   // the department's person, by name
	ReceivedBy   string     `json:"received_by,omitempty"` // the township's person, by name
	RecordedBy   string     `json:"recorded_by,omitempty"` // the account that recorded it
}

// Ready reports whether the township's director has confirmed readiness.
func (t Township) Ready() bool { return !t.ReadyAt.IsZero() }

// Handed reports whether the face-to-face hand-over is recorded.
func (t Township) Handed() bool { return !t.HandedAt.IsZero() }

// Missing names the checklist's fields not yet done, in the form's order: a hand-over is recorded only when
// none is (四.(一): hand over only "在确保能顺利交接的前提下").
func (t Township) Missing() []string {
	var out []string
	if !t.Materials {
		out = append(out, "deleg_materials")
	}
	if !t.Templates {
		out = append(out, "deleg_templates")
	}
	if !t.SystemAccess {
		out = append(out, "deleg_access")
	}
	if isBlank(t.TrainedStaff) {
		out = append(out, "deleg_trained")
	}
	if !t.Ready() {
		out = append(out, "deleg_ready")
	}
	return out
}

// Delegation is one department's delegation of one item to some townships.
type Delegation struct {
	ID         string     `json:"id"`
	DeptID     string     `json:"dept_id"`
	DeptPath   string     `json:"dept_path"`
	ItemID     string     `json:"item_id"`
	ItemName   string     `json:"item_name"`
	ItemNameMn string     `json:"item_name_mn,omitempty"`
	Scope      Scope      `json:"scope"`
	DocNo      string     `json:"doc_no"`   // 文号 of the legal document
	DocDate    clock.Date `json:"doc_date"` // its date
	State      State      `json:"state"`
	Periods    []Period   `json:"periods"` // the first From is the start date
	Townships  []Township `json:"townships"`
	Reason     string     `json:"reason,omitempty"` // of the last pause or revocation
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	Version    int        `json:"version"`
}

// Start is the start date.
func (d Delegation) Start() clock.Date {
	if len(d.Periods) == 0 {
		return clock.Date{}
	}
	return d.Periods[0].From
}

// Township finds a township's side, and its index.
func (d Delegation) Township(id string) (Township, int) {
	for i, t := range d.Townships {
		if t.OrgID == id {
			return t, i
		}
	}
	return Township{}, -1
}

// InForce reports whether the delegation decides a case of township received on day: the township's
// hand-over is recorded, and day falls in one of its periods (from the start date; not from a pause or
// revocation's date on). A case received before stays where it began (四.(一): the hand-over comes first).
func (d Delegation) InForce(township string, day clock.Date) bool {
	t, i := d.Township(township)
	if i < 0 || !t.Handed() {
		return false
	}
	for _, p := range d.Periods {
		if p.Contains(day) {
			return true
		}
	}
	return false
}

// HandedDay is when the township's guidance period begins (its hand-over's day; zero if none).
func (d Delegation) HandedDay(township string) clock.Date {
	t, _ := d.Township(township)
	return t.HandedDay
}

// In finds the delegation of the item in force for the township on day among ds.
func In(ds []Delegation, itemID, township string, day clock.Date) (Delegation, bool) {
	for _, d := range ds {
		if d.ItemID == itemID && d.InForce(township, day) {
			return d, true
		}
	}
	return Delegation{}, false
}

// Steps are the item's steps as the delegation hands them down: a banner step (A.2 level 4 or less) becomes
// the township's back office (level 5, its reviewers): all of them for the whole item, only the last (the one
// that decides, cases.DecidingOrg) for the decision step. The deciding organ follows (行政许可法 第38条: the
// organ of the deciding step decides and signs).
func (d Delegation) Steps(steps []cases.Step) []cases.Step {
	out := slices.Clone(steps)
	for i := range out {
		last := i == len(out)-1
		if out[i].Level >= 1 && out[i].Level <= 4 && (d.Scope == WholeItem || last) {
			out[i].Level, out[i].Role = 5, "reviewer"
		}
	}
	return out
}

// Input is a delegation as typed by the department.
type Input struct {
	ItemID    string   `json:"item_id"`
	Scope     string   `json:"scope"`
	DocNo     string   `json:"doc_no"`
	DocDate   string   `json:"doc_date"`
	Start     string   `json:"start"`
	Townships []string `json:"townships"`
}

// Check validates a delegation typed on today: a scope from the list, the document's number (required, at
// most MaxDocNo characters) and date (a real date, not in the future), a start date not before the
// document's, and at least one township. Every field in error is named.
func (in Input) Check(today clock.Date) (Scope, clock.Date, clock.Date, error) {
	var l errs.List
	sc := Scope(in.Scope)
	if !slices.Contains(Scopes, sc) {
		l.Add(errs.Field("deleg_scope", "err.find.choice"))
	}
	if in.ItemID == "" {
		l.Add(errs.Field("item_id", "err.required"))
	}
	l.Add(Text("deleg_doc_no", in.DocNo, MaxDocNo))
	doc, docErr := date("deleg_doc_date", in.DocDate)
	if docErr == nil && doc.After(today) {
		docErr = errs.Field("deleg_doc_date", "err.deleg.future")
	}
	l.Add(docErr)
	start, startErr := date("deleg_start", in.Start)
	if startErr == nil && docErr == nil && start.Before(doc) {
		startErr = errs.Field("deleg_start", "err.deleg.start_before_doc")
	}
	l.Add(startErr)
	if len(in.Townships) == 0 {
		l.Add(errs.Field("deleg_townships", "err.required"))
	}
	return sc, doc, start, l.Err()
}

func date(field, v string) (clock.Date, *errs.Error) {
	if v == "" {
		return clock.Date{}, errs.Field(field, "err.required")
	}
	d, err := clock.ParseDate(v)
	if err != nil {
		return clock.Date{}, errs.Field(field, "err.find.date")
	}
	return d, nil
}

// Checklist is the department's side of a township's checklist as typed.
type Checklist struct {
	Materials    bool   `json:"materials"`
	Templates    bool   `json:"templates"`
	SystemAccess bool   `json:"system_access"`
	TrainedStaff string `json:"trained_staff"`
}

// SetChecklist records the department's checklist of a township; refused once handed over (what was handed
// over stays as it was).
func (d *Delegation) SetChecklist(township string, c Checklist) error {
	t, i := d.Township(township)
	switch {
	case i < 0:
		return errs.New(errs.NotFound, "err.not_found").With("what", "org")
	case t.Handed():
		return errs.New(errs.Conflict, "err.deleg.handed")
	}
	if len(c.TrainedStaff) > MaxStaff && utf8.RuneCountInString(c.TrainedStaff) > MaxStaff {
		return errs.Field("deleg_trained", "err.too_long").With("max", strconv.Itoa(MaxStaff))
	}
	t.Materials, t.Templates, t.SystemAccess, t.TrainedStaff = c.Materials, c.Templates, c.SystemAccess, c.TrainedStaff
	d.Townships[i] = t
	return nil
}

// ConfirmReady records the township director's confirmation of readiness (四.(一): "在确保能顺利交接的前提下").
func (d *Delegation) ConfirmReady(township, by, name string, at time.Time) error {
	t, i := d.Township(township)
	switch {
	case i < 0:
		return errs.New(errs.NotFound, "err.not_found").With("what", "org")
	case t.Ready():
		return errs.New(errs.Conflict, "err.deleg.ready_already")
	}
	t.ReadyBy, t.ReadyName, t.ReadyAt = by, name, at
	d.Townships[i] = t
	return nil
}

// HandOver records the face-to-face hand-over (当面移交) with a person of each side, only once the whole
// checklist is done; each missing item is named.
func (d *Delegation) HandOver(township, handedBy, receivedBy, recordedBy string, at time.Time, day clock.Date) error {
	t, i := d.Township(township)
	switch {
	case i < 0:
		return errs.New(errs.NotFound, "err.not_found").With("what", "org")
	case t.Handed():
		return errs.New(errs.Conflict, "err.deleg.handed")
	case d.State != Active:
		return errs.New(errs.Conflict, "err.deleg.not_active")
	}
	var l errs.List
	for _, f := range t.Missing() {
		l.Add(errs.Field(f, "err.deleg.checklist"))
	}
	l.Add(Text("deleg_handed_by", handedBy, MaxName))
	l.Add(Text("deleg_received_by", receivedBy, MaxName))
	if err := l.Err(); err != nil {
		return err
	}
	t.HandedBy, t.ReceivedBy, t.RecordedBy, t.HandedAt, t.HandedDay = handedBy, receivedBy, recordedBy, at, day
	d.Townships[i] = t
	return nil
}

// Stop pauses or revokes the delegation from day on (cases received from that day go back to the
// department; open ones finish as they began), with reasons. day is not before today (nothing received
// already changes) nor before the period began.
func (d *Delegation) Stop(to State, day, today clock.Date, reason string) error {
	var l errs.List
	if to != Paused && to != Revoked {
		l.Add(errs.Field("deleg_state", "err.find.choice"))
	}
	if d.State != Active {
		return errs.New(errs.Conflict, "err.deleg.not_active")
	}
	n := len(d.Periods)
	if day.Before(today) || (n > 0 && day.Before(d.Periods[n-1].From)) {
		l.Add(errs.Field("deleg_day", "err.deleg.day_past"))
	}
	l.Add(Text("reason", reason, MaxReason))
	if err := l.Err(); err != nil {
		return err
	}
	if n > 0 {
		d.Periods[n-1].Until = day
	}
	d.State, d.Reason = to, reason
	return nil
}

// Resume puts a paused delegation back in force from day (not before today).
func (d *Delegation) Resume(day, today clock.Date) error {
	if d.State != Paused {
		return errs.New(errs.Conflict, "err.deleg.not_paused")
	}
	if day.Before(today) || (len(d.Periods) > 0 && day.Before(d.Periods[len(d.Periods)-1].Until)) {
		return errs.Field("deleg_day", "err.deleg.day_past")
	}
	d.Periods = append(d.Periods, Period{From: day})
	d.State, d.Reason = Active, ""
	return nil
}

// Text refuses an empty text or one over its limit in characters.
func Text(field, v string, max int) *errs.Error {
	switch {
	case isBlank(v):
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
