package cases

import (
	"slices"

	"bianmin/internal/clock"
)

// The notices (文书) a case may be given, by kind (FACTS.md §4.2): each is numbered, printed on A4 and
// verifiable by its QR code.
const (
	NoticeCorrection = "correction"  // 补正告知书 (一次性告知): ask_correction, or a back-office 补正
	NoticeAccept     = "accept"      // 受理通知书
	NoticeAcceptOwed = "accept_owed" // 容缺受理通知书: the owed materials and their date
	NoticeRefuse     = "refuse"      // 不予受理通知书: reasons and remedies
	NoticeGrant      = "grant"       // 准予决定书
	NoticeDeny       = "deny"        // 不予决定书: reasons and remedies
	NoticeExtension  = "extension"   // 延长办理期限告知书
	NoticeDelivery   = "delivery"    // 送达回证: method, tracking number, date, signatures
	NoticePledge     = "pledge"      // 告知承诺书: the proofs pledged, the duty, the check, the liability (国办发〔2020〕42号)
	NoticeRevoke     = "revoke"      // 撤销决定书 (终止办理 before a decision): a pledge proved false; reasons and remedies
)

// NoticeKinds lists every kind of notice.
var NoticeKinds = []string{NoticeCorrection, NoticeAccept, NoticeAcceptOwed, NoticeRefuse, NoticeGrant, NoticeDeny, NoticeExtension, NoticeDelivery, NoticePledge, NoticeRevoke}

// Paper is what a notice says, fixed when it is issued: the case as it stood after the move, the move's
// reason, and the deadline then. A notice printed again later says the same.
type Paper struct {
	Case   Case       `json:"case"`
	Reason string     `json:"reason,omitempty"`
	Due    clock.Date `json:"due,omitzero"`
	// DueProvisional: the due day was counted over a year without its official holiday schedule, on the
	// statutory holidays alone; the notice gives the limit first and says so.
	DueProvisional bool   `json:"due_provisional,omitempty"`
	By             string `json:"by,omitempty"` // who made the move (经办人), none for Bianmin's own moves
	// Issuer is the organisation the notice is issued in the name of (NoticeOrgan); "" on notices issued
	// before it was kept, which were all the handling township's.
	Issuer string `json:"issuer,omitempty"`
}

// IssuerID is the organisation the notice is in the name of.
func (p Paper) IssuerID() string {
	if p.Issuer != "" {
		return p.Issuer
	}
	return p.Case.Handling
}

// Remedies reports whether a notice of this kind tells the applicant of 行政复议 and 行政诉讼 (行政许可法
// 第38条; 第32条 for a refusal to accept).
func Remedies(kind string) bool {
	return kind == NoticeRefuse || kind == NoticeDeny || kind == NoticeRevoke
}

// WithCheck lists the materials with one check.
func (c Case) WithCheck(k Check) []MaterialCheck {
	var out []MaterialCheck
	for _, m := range c.Materials {
		if m.Check == k {
			out = append(out, m)
		}
	}
	return out
}

// LackingMaterials lists the materials missing or defective: what a correction notice asks for.
func (c Case) LackingMaterials() []MaterialCheck {
	var out []MaterialCheck
	for _, m := range c.Materials {
		if m.Lacking() {
			out = append(out, m)
		}
	}
	return out
}

// Originals names the materials whose originals the window saw: on a 通办 case they travel to the handling
// township.
func (c Case) Originals() []string {
	var out []string
	for _, m := range c.WithCheck(SeenOriginal) {
		out = append(out, m.Name)
	}
	return out
}

// ItemNameIn is the item's name in a language ("mn" or "zh"), Chinese when no Mongolian name is known.
func (c Case) ItemNameIn(lang string) string {
	if lang == "mn" && c.ItemNameMn != "" {
		return c.ItemNameMn
	}
	return c.ItemName
}

// suspendCodes name the kinds of suspension for the translation catalog (suspend_kind.<code>); the kind
// itself is stored as its Chinese name.
var suspendCodes = map[string]string{"补正": "correction", "听证": "hearing", "招标": "tender", "拍卖": "auction",
	"检验": "inspection", "检测": "testing", "检疫": "quarantine", "鉴定": "appraisal", "专家评审": "expert_review",
	"公示": "publicity", "其他": "other"}

// SuspendKindCode is the catalog code of a suspension kind ("other" for one not in SuspendKinds).
func SuspendKindCode(kind string) string {
	if c, ok := suspendCodes[kind]; ok {
		return c
	}
	return "other"
}

// SuspendKindCodes lists the codes in the order of SuspendKinds.
func SuspendKindCodes() []string {
	out := make([]string, 0, len(SuspendKinds))
	for _, k := range SuspendKinds {
		out = append(out, suspendCodes[k])
	}
	return slices.Clip(out)
}

// Current is the suspension in force, nil when the case is not suspended.
func (c Case) Current() *Suspension {
	if c.State != Suspended || len(c.Suspensions) == 0 {
		return nil
	}
	s := c.Suspensions[len(c.Suspensions)-1]
	return &s
}
