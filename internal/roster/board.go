package roster

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bianmin/internal/clock"
	"bianmin/internal/errs"
)

// The 六有 board (issue 11 point 10; the seed 三.(一).5 asks every center and station to show 有工作职责、有人员
// 信息、有服务项目、有服务规范、有服务流程、有相关管理制度): the people come from the roster, the services from the
// catalog, the process from the guides; what only the center can say (its duties, its service norms, its
// rules) is a document it publishes: bilingual, versioned, in force from a date.

// DocKind is what a published document is on the board.
type DocKind string

const (
	Duties DocKind = "duties" // 工作职责
	Norms  DocKind = "norms"  // 服务规范
	Rules  DocKind = "rules"  // 相关管理制度
)

// DocKinds in the board's order.
var DocKinds = []DocKind{Duties, Norms, Rules}

// Limits of a document (characters).
const (
	MaxDocTitle = 100
	MaxDocBody  = 5000
)

// Doc is one version of a center's document.
type Doc struct {
	ID               string
	Center           string
	Kind             DocKind
	Version          int
	TitleZh, TitleMn string
	BodyZh, BodyMn   string
	Effective        clock.Date
	PublishedBy      string
	Published        time.Time
}

// Title is the document's title in a language.
func (d Doc) Title(lang string) string {
	if lang == "mn" && d.TitleMn != "" {
		return d.TitleMn
	}
	return d.TitleZh
}

// Paragraphs are a body's paragraphs in a language (a blank line or a line break separates them).
func (d Doc) Paragraphs(lang string) []string {
	b := d.BodyZh
	if lang == "mn" {
		b = d.BodyMn
	}
	var out []string
	for _, p := range strings.Split(b, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// DocInput is a document as typed.
type DocInput struct {
	Kind      string `json:"kind"`
	TitleZh   string `json:"title_zh"`
	TitleMn   string `json:"title_mn"`
	BodyZh    string `json:"body_zh"`
	BodyMn    string `json:"body_mn"`
	Effective string `json:"effective"`
}

// Check reads a document published on today: a kind of the board, both languages of title and body (the board
// is bilingual: 内蒙古自治区蒙古语言文字工作条例; Mongolian first on the board), within their limits, in force from a
// real date not before today (a board never says a rule was in force before it was published).
func (in DocInput) Check(today clock.Date) (Doc, error) {
	var l errs.List
	d := Doc{Kind: DocKind(in.Kind), TitleZh: strings.TrimSpace(in.TitleZh), TitleMn: strings.TrimSpace(in.TitleMn),
		BodyZh: strings.TrimSpace(in.BodyZh), BodyMn: strings.TrimSpace(in.BodyMn)}
	if d.Kind != Duties && d.Kind != Norms && d.Kind != Rules {
		l.Add(errs.Field("doc_kind", "err.find.choice"))
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{{"doc_title_mn", d.TitleMn, MaxDocTitle}, {"doc_title_zh", d.TitleZh, MaxDocTitle}, {"doc_body_mn", d.BodyMn, MaxDocBody}, {"doc_body_zh", d.BodyZh, MaxDocBody}} {
		switch {
		case f.v == "":
			l.Add(errs.Field(f.field, "err.required"))
		case utf8.RuneCountInString(f.v) > f.max:
			l.Add(errs.Field(f.field, "err.too_long").With("max", strconv.Itoa(f.max)))
		}
	}
	eff, err := clock.ParseDate(in.Effective)
	switch {
	case in.Effective == "":
		l.Add(errs.Field("effective", "err.required"))
	case err != nil:
		l.Add(errs.Field("effective", "err.find.date"))
	case eff.Before(today):
		l.Add(errs.Field("effective", "err.people.effective_past"))
	}
	d.Effective = eff
	return d, l.Err()
}

// Current is the version of each kind in force on day: the one with the latest effective date not after
// day, the highest version among equals. A version whose date is still ahead waits; the one before it stays.
func Current(docs []Doc, day clock.Date) map[DocKind]Doc {
	out := map[DocKind]Doc{}
	for _, d := range docs {
		if d.Effective.After(day) {
			continue
		}
		cur, ok := out[d.Kind]
		if !ok || d.Effective.After(cur.Effective) || (d.Effective == cur.Effective && d.Version > cur.Version) {
			out[d.Kind] = d
		}
	}
	return out
}

// Zone is an area of a hall that takes a sign of the one style (issue 11 point 11, the seed's five zones).
// Every sign is written in both scripts (内政办发〔1996〕32号: 牌匾 ... 必须蒙汉两种文字并写; vertical Mongolian on
// the left, the two in the same size: FACTS.md §5.7).
type Zone string

const (
	ZoneIntake    Zone = "intake"    // 受理和出件区
	ZoneReception Zone = "reception" // 接待和引导区
	ZoneForms     Zone = "forms"     // 填单和等待区
	ZoneOpen      Zone = "open"      // 公开和查询区
	ZoneService   Zone = "service"   // 便民服务和应急区
)

// Zones in the order the signs print.
var Zones = []Zone{ZoneIntake, ZoneReception, ZoneForms, ZoneOpen, ZoneService}
