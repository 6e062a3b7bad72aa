// Package catalog is the service catalog (事项清单) and its public guides (办事指南): the item model on the
// national element set of GB/T 39046-2020, its code sets, the consistency rules an item must pass, versions
// and lifecycle, bundles (一件事), and the search tokens that find an item by Chinese, pinyin or Mongolian.
package catalog

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/errs"
)

// Unit is the unit of a time limit.
type Unit string

const (
	WorkingDays Unit = "working_days" // 工作日: the law's default (行政许可法 第82条)
	NaturalDays Unit = "natural_days" // 自然日
	Instant     Unit = "instant"      // 即办
	// StatedDays is "N天" or "N日" as a source states it, saying neither 工作日 nor 自然日. It is kept as stated
	// rather than guessed (行政许可法 第82条 counts a licence's periods in working days, but a guide that says
	// 天 may mean either): a draft with it is flagged for review and cannot be published until someone says
	// which unit the limit is in.
	StatedDays Unit = "days"
)

// Limit is a time limit with its unit and a note (法定/承诺办结时限 + 单位 + 说明).
type Limit struct {
	Value int    `json:"value"`
	Unit  Unit   `json:"unit"`
	Note  string `json:"note,omitempty"`
}

// ItemTypes are the 事项类型 codes of GB/T 39046 A.1 that can be applied for, and 行政备案 as a local extension.
var ItemTypes = map[string]string{
	"01": "行政许可", "05": "行政给付", "07": "行政确认", "08": "行政奖励", "09": "行政裁决", "10": "其他行政权力",
	"11": "行政备案", "20": "公共服务",
}

// Class is the class of an item: a power (行政权力) or a public service (公共服务).
type Class string

const (
	Power         Class = "power"
	PublicService Class = "public_service"
)

// ClassOf derives the class from the type code: 20 and above are public services.
func ClassOf(typeCode string) Class {
	if n, err := strconv.Atoi(typeCode); err == nil && n >= 20 {
		return PublicService
	}
	return Power
}

// Case kinds (A.6 办件类型代码).
const (
	InstantCase  = 1 // 即办件
	PromisedCase = 2 // 承诺件
)

// Handling forms (A.5 办理形式代码).
const (
	AtWindow = 1
	OnlinePC = 2
	Mobile   = 3
	ByPost   = 4
)

// Necessity of a material.
const (
	Required   = "required"   // 必要
	Deferrable = "deferrable" // 容缺后补
	Optional   = "optional"   // 非必要
)

// Village station roles for an item (seed 三.(三)).
const (
	VillageNone   = ""
	VillageProxy  = "proxy"  // 代办: the station receives and forwards to the township
	VillageHandle = "handle" // the station handles it itself
)

// Special procedures whose time is not counted (行政许可法 第45条; 公示 by practice).
var SpecialKinds = []string{"公示", "听证", "检验", "检测", "检疫", "鉴定", "专家评审", "招标", "拍卖", "其他"}

// Step is one step of the process.
type Step struct {
	Name    string `json:"name"`
	Role    string `json:"role,omitempty"`  // who does it: clerk, reviewer, department ...
	Level   int    `json:"level,omitempty"` // A.2 level of the organisation that does it
	Limit   Limit  `json:"limit"`
	Special string `json:"special,omitempty"` // a special procedure: its time does not count
	// joint handling (joint.go): reviewed by several departments at once, signed off by named roles
	Parallel    *StepParallel    `json:"parallel,omitempty"`
	Countersign *StepCountersign `json:"countersign,omitempty"`
}

// Counts reports whether the step's time counts toward the case's limit.
func (s Step) Counts() bool { return s.Special == "" }

// UnknownCount is the number of originals or copies of a material whose source did not state it: a gap, never
// read as zero.
const UnknownCount = -1

// Material is one document an applicant brings.
type Material struct {
	Name      string `json:"name"`
	Form      string `json:"form,omitempty"` // paper, electronic, both
	Originals int    `json:"originals"`      // UnknownCount when not stated
	Copies    int    `json:"copies"`         // UnknownCount when not stated
	Necessity string `json:"necessity"`
	Source    string `json:"source,omitempty"`     // 申请人自备, 政府部门核发 ...
	BlankForm string `json:"blank_form,omitempty"` // address of the blank form
	Sample    string `json:"sample,omitempty"`     // address of a filled-in sample
	Notes     string `json:"notes,omitempty"`      // 填报须知
	Standard  string `json:"standard,omitempty"`   // 受理标准
	Pledge    bool   `json:"pledge,omitempty"`     // 告知承诺 may replace it
}

// HandedInOnline reports whether the material can be handed in without coming to the window: it exists in
// electronic form (a file uploaded, internal/files) and no original has to be seen. A paper-only material,
// one whose form is not stated, or one whose original the window must see (or whose count of originals is
// not stated) cannot. The application form itself can, where the item defines it (Item.FilledOnline).
func (m Material) HandedInOnline() bool {
	return (m.Form == "electronic" || m.Form == "both") && m.Originals == 0
}

// Fee is one charge.
type Fee struct {
	Name   string `json:"name"`
	Amount string `json:"amount"`
	Basis  string `json:"basis,omitempty"`
}

// Item is one version of a government service item with its guide.
type Item struct {
	ID            string    `json:"id,omitempty"`
	Version       int       `json:"version,omitempty"`
	Status        Status    `json:"status,omitempty"`
	EffectiveFrom time.Time `json:"effective_from,omitzero"`

	NameZh   string   `json:"name_zh"`
	NameMn   string   `json:"name_mn,omitempty"`
	MnReview bool     `json:"mn_review,omitempty"`
	Aliases  []string `json:"aliases,omitempty"`

	BaseCode     string `json:"base_code,omitempty"`     // 基本编码, opaque
	ImplCode     string `json:"impl_code,omitempty"`     // 实施编码, opaque
	HandlingCode string `json:"handling_code,omitempty"` // 业务办理项编码, opaque
	TypeCode     string `json:"type_code"`
	Level        int    `json:"level"` // A.2 行使层级

	Department        string   `json:"department"` // the banner department that owns the item (name)
	Implementer       string   `json:"implementer,omitempty"`
	ImplementerCode   string   `json:"implementer_code,omitempty"`
	ImplementerNature int      `json:"implementer_nature,omitempty"` // A.3
	LegalBasis        []string `json:"legal_basis,omitempty"`

	LegalLimit    Limit `json:"legal_limit"`
	PromisedLimit Limit `json:"promised_limit"`
	CaseKind      int   `json:"case_kind"` // A.6
	// ExtensionUnit is the unit an approved extension is counted in, for items other than 行政许可 (whose
	// extensions are working days by 行政许可法 第82条); "" means working days (extension.go).
	ExtensionUnit Unit `json:"extension_unit"` // always written, so that an editor of the JSON sees it

	Conditions string     `json:"conditions,omitempty"`
	Steps      []Step     `json:"steps,omitempty"`
	Materials  []Material `json:"materials,omitempty"`
	// Form is the item's application form (申请表, form.go): filled at the window, a station or online.
	Form []FormField `json:"application_form,omitempty"`

	Free          bool   `json:"free"`
	Fees          []Fee  `json:"fees,omitempty"`
	OnlinePayment bool   `json:"online_payment,omitempty"`
	Place         string `json:"place,omitempty"`
	Hours         string `json:"hours,omitempty"`

	ConsultPhone   string `json:"consult_phone,omitempty"`
	ComplaintPhone string `json:"complaint_phone,omitempty"`

	Visits        int    `json:"visits"`
	VisitReason   string `json:"visit_reason,omitempty"`
	HandlingForms []int  `json:"handling_forms,omitempty"` // A.5
	OnlineDepth   int    `json:"online_depth,omitempty"`   // 0 none, 1..4 = I..IV
	OnlineURL     string `json:"online_url,omitempty"`
	Scope         string `json:"scope,omitempty"` // 通办范围: 全国, 跨省, 跨市, 跨县, 跨乡

	ResultName   string   `json:"result_name,omitempty"`
	ResultType   string   `json:"result_type,omitempty"`
	ResultSample string   `json:"result_sample,omitempty"`
	Delivery     []string `json:"delivery,omitempty"` // window, post, electronic
	Appointment  bool     `json:"appointment,omitempty"`

	Village       string   `json:"village,omitempty"` // "", proxy, handle
	PledgeAllowed bool     `json:"pledge_allowed,omitempty"`
	Topics        []string `json:"topics,omitempty"` // life events and themes: 社会救助, 残疾人服务 ...

	// Missing is a copy of Gaps(item) as of the version's last save, for lists that show how many elements a
	// draft lacks. No rule reads it: gaps are computed from the item's content at each check (gaps.go).
	Missing []string `json:"missing,omitempty"`
	// Source records where an imported item came from, with the source's values that no element holds.
	Source *Source `json:"source,omitempty"`
}

// Source is the provenance of an imported item.
type Source struct {
	URL       string            `json:"url,omitempty"`
	Region    string            `json:"region,omitempty"`
	Title     string            `json:"title,omitempty"`
	Published string            `json:"published,omitempty"`
	Unmapped  map[string]string `json:"unmapped,omitempty"` // source field -> its text, where no element could hold it
}

// Class of the item.
func (it Item) Class() Class { return ClassOf(it.TypeCode) }

// Name in a language, falling back to Chinese.
func (it Item) Name(lang string) string {
	if lang == "mn" && it.NameMn != "" {
		return it.NameMn
	}
	return it.NameZh
}

// Status is where a version stands in its lifecycle.
type Status string

const (
	Draft      Status = "draft"
	Review     Status = "review"
	Published  Status = "published"
	Superseded Status = "superseded" // an older published version: kept for the cases accepted under it
	Retired    Status = "retired"
)

// Public reports whether a version in this status may be read on the portal: what is or was published.
func (s Status) Public() bool { return s == Published || s == Superseded || s == Retired }

// NextStatus says which lifecycle moves are allowed.
func NextStatus(from, to Status) bool {
	switch from {
	case Draft:
		return to == Review || to == Published
	case Review:
		return to == Draft || to == Published
	case Published:
		return to == Retired
	}
	return false
}

func text(l *errs.List, field, v string, required bool, max int) {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			l.Add(errs.Field(field, "err.required"))
		}
		return
	}
	if utf8.RuneCountInString(v) > max {
		l.Add(errs.Field(field, "err.too_long").With("max", strconv.Itoa(max)))
	}
}

func checkLimit(l *errs.List, field string, lim Limit) {
	switch lim.Unit {
	case Instant:
		if lim.Value != 0 {
			l.Add(errs.Field(field, "err.item.instant_value"))
		}
	case WorkingDays, NaturalDays, StatedDays:
		if lim.Value <= 0 || lim.Value > 1000 {
			l.Add(errs.Field(field, "err.item.limit_value"))
		}
		if lim.Unit == StatedDays {
			l.Add(errs.Field(field, "err.item.unit_unstated"))
		}
	default:
		l.Add(errs.Field(field, "err.item.limit_unit"))
	}
}

// Check applies the element rules and the consistency rules of FACTS.md §1.7, naming every field at fault.
func (it Item) Check() error {
	var l errs.List
	text(&l, "name_zh", it.NameZh, true, 200)
	text(&l, "name_mn", it.NameMn, false, 400)
	text(&l, "department", it.Department, true, 100)
	text(&l, "base_code", it.BaseCode, false, 12)
	text(&l, "impl_code", it.ImplCode, false, 36)
	text(&l, "handling_code", it.HandlingCode, false, 50)
	if _, ok := ItemTypes[it.TypeCode]; !ok {
		l.Add(errs.Field("type_code", "err.item.type_code").With("code", it.TypeCode))
	}
	if it.Level < 1 || it.Level > 7 {
		l.Add(errs.Field("level", "err.item.level"))
	}
	if it.ImplementerNature != 0 && !slices.Contains([]int{1, 2, 3, 9}, it.ImplementerNature) {
		l.Add(errs.Field("implementer_nature", "err.item.code_set"))
	}
	checkLimit(&l, "legal_limit", it.LegalLimit)
	checkLimit(&l, "promised_limit", it.PromisedLimit)
	if it.CaseKind != InstantCase && it.CaseKind != PromisedCase {
		l.Add(errs.Field("case_kind", "err.item.code_set"))
	}
	it.checkExtensionUnit(&l)
	// 即办 limit if and only if an instant case.
	if (it.PromisedLimit.Unit == Instant) != (it.CaseKind == InstantCase) {
		l.Add(errs.Field("case_kind", "err.item.instant_kind"))
	}
	// The promised limit is at most the legal one.
	if it.LegalLimit.Unit == Instant && it.PromisedLimit.Unit != Instant {
		l.Add(errs.Field("promised_limit", "err.item.promised_over_legal"))
	}
	if it.LegalLimit.Unit == it.PromisedLimit.Unit && it.PromisedLimit.Value > it.LegalLimit.Value {
		l.Add(errs.Field("promised_limit", "err.item.promised_over_legal"))
	}
	// Counted step limits add up to at most the promised limit.
	sum := 0
	for i, s := range it.Steps {
		f := "steps[" + strconv.Itoa(i) + "]"
		text(&l, f+".name", s.Name, true, 500)
		if s.Special != "" && !slices.Contains(SpecialKinds, s.Special) {
			l.Add(errs.Field(f+".special", "err.item.code_set"))
		}
		if s.Limit.Unit != "" {
			checkLimit(&l, f+".limit", s.Limit)
		}
		checkJoint(&l, i, s, i == len(it.Steps)-1)
		if s.Counts() && s.Limit.Unit == it.PromisedLimit.Unit {
			sum += s.Limit.Value
		}
	}
	if it.PromisedLimit.Unit != Instant && sum > it.PromisedLimit.Value {
		l.Add(errs.Field("steps", "err.item.steps_over_promised").With("sum", strconv.Itoa(sum)))
	}
	for i, m := range it.Materials {
		f := "materials[" + strconv.Itoa(i) + "]"
		text(&l, f+".name", m.Name, true, 200)
		if !slices.Contains([]string{Required, Deferrable, Optional}, m.Necessity) {
			l.Add(errs.Field(f+".necessity", "err.item.code_set"))
		}
		if m.Originals < UnknownCount || m.Copies < UnknownCount || m.Originals > 99 || m.Copies > 99 {
			l.Add(errs.Field(f+".copies", "err.item.count"))
		}
		if m.Form != "" && !slices.Contains([]string{"paper", "electronic", "both"}, m.Form) {
			l.Add(errs.Field(f+".form", "err.item.code_set"))
		}
	}
	checkMaterialRules(&l, it)
	checkForm(&l, it)
	// Both phones, and different ones.
	if strings.TrimSpace(it.ConsultPhone) == "" {
		l.Add(errs.Field("consult_phone", "err.required"))
	}
	if strings.TrimSpace(it.ComplaintPhone) == "" {
		l.Add(errs.Field("complaint_phone", "err.required"))
	} else if strings.TrimSpace(it.ComplaintPhone) == strings.TrimSpace(it.ConsultPhone) {
		l.Add(errs.Field("complaint_phone", "err.item.same_phones"))
	}
	for _, f := range it.HandlingForms {
		if f < 1 || (f > 4 && f != 9) {
			l.Add(errs.Field("handling_forms", "err.item.code_set"))
		}
	}
	if it.Visits < 0 || it.Visits > 9 {
		l.Add(errs.Field("visits", "err.item.count"))
	}
	// Zero visits needs online or postal handling; depth IV (全程网办) needs zero visits.
	if it.Visits == 0 && !slices.ContainsFunc(it.HandlingForms, func(f int) bool { return f == OnlinePC || f == Mobile || f == ByPost }) {
		l.Add(errs.Field("visits", "err.item.zero_visits"))
	}
	if it.OnlineDepth < 0 || it.OnlineDepth > 4 {
		l.Add(errs.Field("online_depth", "err.item.code_set"))
	}
	if it.OnlineDepth == 4 && it.Visits != 0 {
		l.Add(errs.Field("online_depth", "err.item.depth4_visits"))
	}
	if it.Visits > 0 && strings.TrimSpace(it.VisitReason) == "" {
		l.Add(errs.Field("visit_reason", "err.required"))
	}
	checkOnlinePromise(&l, it)
	// A result needs its sample.
	if strings.TrimSpace(it.ResultName) != "" && strings.TrimSpace(it.ResultSample) == "" {
		l.Add(errs.Field("result_sample", "err.item.result_sample"))
	}
	// No online payment for a free item; a charged item names its fees.
	if it.Free && it.OnlinePayment {
		l.Add(errs.Field("online_payment", "err.item.free_payment"))
	}
	if !it.Free && len(it.Fees) == 0 {
		l.Add(errs.Field("fees", "err.item.fees"))
	}
	for _, d := range it.Delivery {
		if !slices.Contains([]string{"window", "post", "electronic"}, d) {
			l.Add(errs.Field("delivery", "err.item.code_set"))
		}
	}
	if !slices.Contains([]string{VillageNone, VillageProxy, VillageHandle}, it.Village) {
		l.Add(errs.Field("village", "err.item.code_set"))
	}
	// 嘎查村可直接办理 promises that the station concludes the item: every step is one the window does on the
	// spot, which at a station its agent does. An item decided in a back office is 嘎查村可代办: the station
	// receives and forwards, the organ accepts and decides (行政许可法 第32条; seed 三.(三)).
	if it.Village == VillageHandle && slices.ContainsFunc(it.Steps, func(s Step) bool { return s.Role != "clerk" }) {
		l.Add(errs.Field("village", "err.item.village_handle_steps"))
	}
	if s := it.Scope; s != "" && !slices.Contains([]string{"全国", "跨省", "跨市", "跨县", "跨乡"}, s) {
		l.Add(errs.Field("scope", "err.item.code_set"))
	}
	return l.Err()
}

// Card is the part of an item a result list shows.
type Card struct {
	ID            string   `json:"id"`
	NameZh        string   `json:"name_zh"`
	NameMn        string   `json:"name_mn,omitempty"`
	Department    string   `json:"department"`
	PromisedLimit Limit    `json:"promised_limit"`
	Village       string   `json:"village,omitempty"`
	Topics        []string `json:"topics,omitempty"`
}

// Card of the item.
func (it Item) Card() Card {
	return Card{it.ID, it.NameZh, it.NameMn, it.Department, it.PromisedLimit, it.Village, it.Topics}
}

// Item is the card as a (partial) item, for lists that show items.
func (c Card) Item() Item {
	return Item{ID: c.ID, NameZh: c.NameZh, NameMn: c.NameMn, Department: c.Department, PromisedLimit: c.PromisedLimit, Village: c.Village, Topics: c.Topics}
}

// FoldPhones writes the item's phones in ASCII: published guides often type them in full-width forms
// (０４７７－１２３４５６７), which neither a phone nor a reader's search takes for the same number. Only the
// full-width forms of ASCII and the ideographic space change; words beside a number (（工作日）) stay.
func (it *Item) FoldPhones() {
	it.ConsultPhone, it.ComplaintPhone = foldWidth(it.ConsultPhone), foldWidth(it.ComplaintPhone)
}

func foldWidth(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E && r != '（' && r != '）':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, s))
}
