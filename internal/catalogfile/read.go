package catalogfile

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"bianmin/internal/catalog"
)

// The readers of the wordings published guides use. Each reads what a wording states and nothing more: a
// wording it does not know is reported as not read (the caller keeps its text and the element stays a gap).

// norm makes full-width digits, letters and brackets half-width, drops spaces, and trims the punctuation a
// guide's cell ends with ("20个工作日。").
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r -= 0xFEE0
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '：':
			r = ':'
		case r == '；':
			r = ';'
		case r == '，':
			r = ','
		case r == ' ' || r == '\u3000' || r == '\t' || r == '\n' || r == '\r':
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), "。.;,、!！")
}

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '两': 2, '贰': 2, '三': 3, '叁': 3, '四': 4, '肆': 4,
	'五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9}

// number reads "20", "二十", "十五", "一百二十" (up to 999); ok is false for anything else.
func number(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	total, cur := 0, -1
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			if cur >= 0 && cur != 0 { // two digits in a row: not a numeral we read
				return 0, false
			}
			cur = d
			continue
		}
		mult := map[rune]int{'十': 10, '拾': 10, '百': 100, '佰': 100}[r]
		if mult == 0 {
			return 0, false
		}
		if cur < 0 {
			cur = 1 // 十五
		}
		total += cur * mult
		cur = -1
	}
	if cur > 0 {
		total += cur
	}
	return total, true
}

const numPat = `(\d+|[零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰]+)`

var (
	limitRE   = regexp.MustCompile(`^` + numPat + `个?(工作日|自然日|天|日)$`)
	limitHead = regexp.MustCompile(`^(自|从)?(受理|收到|收件|申请)[^0-9零〇一二两三四五六七八九十]*?(之日起|后|起)(在)?`)
	limitTail = regexp.MustCompile(`(以)?内?(完成|办结|办理完毕|办完|作出决定|答复)?$`)
	instantRE = regexp.MustCompile(`^(即时办结|即时办理|即办|即办件|当场办结|当场办理|当即办结|立即办结|立即办理|即来即办|现场办结|当场|即时)$`)
)

// readLimit reads a time limit: "24工作日", "20个工作日。", "二十个工作日", "15个工作日内办结", "自受理之日起
// 20个工作日内完成", "即时办结", with a trailing note in brackets kept as the limit's note. A limit in "N天" or
// "N日" says neither working nor natural days: it is kept as stated (catalog.StatedDays) with the wording in
// its note, for someone to confirm; "0个工作日" and the like are not read.
func readLimit(v string) (catalog.Limit, bool) {
	s := norm(v)
	note := ""
	if i := strings.IndexAny(s, "(["); i > 0 && strings.HasSuffix(s, ")") {
		s, note = strings.TrimRight(s[:i], ",;"), strings.TrimSuffix(s[i+1:], ")")
	}
	if instantRE.MatchString(s) {
		return catalog.Limit{Unit: catalog.Instant, Note: note}, true
	}
	s = limitHead.ReplaceAllString(s, "")
	s = limitTail.ReplaceAllString(s, "")
	m := limitRE.FindStringSubmatch(s)
	if m == nil {
		return catalog.Limit{}, false
	}
	n, ok := number(m[1])
	if !ok || n <= 0 || n > 1000 {
		return catalog.Limit{}, false
	}
	lim := catalog.Limit{Value: n, Unit: catalog.WorkingDays, Note: note}
	switch m[2] {
	case "自然日":
		lim.Unit = catalog.NaturalDays
	case "天", "日":
		lim.Unit = catalog.StatedDays
		lim.Note = strings.TrimSpace("原文：" + strings.TrimSpace(v) + " " + note)
	}
	return lim, true
}

// readExtensionUnit reads the unit a guide counts extensions in: 工作日 or 自然日, with or without 个/以…计算.
// "天" or "日" alone says neither and is not read (kept as text).
func readExtensionUnit(v string) (catalog.Unit, bool) {
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(norm(v), "以"), "按"), "计算")
	switch strings.TrimPrefix(s, "个") {
	case "工作日":
		return catalog.WorkingDays, true
	case "自然日":
		return catalog.NaturalDays, true
	}
	return "", false
}

// readType reads 事项类型 when it names one of GB/T 39046 A.1's types ("行政给付", "公共服务事项").
func readType(v string) (string, bool) {
	s := strings.TrimSuffix(strings.TrimSuffix(norm(v), "事项"), "类")
	for code, name := range catalog.ItemTypes {
		if name == s {
			return code, true
		}
	}
	return "", false
}

// townshipLevels are the wordings of A.2 level 5 (乡级, 苏木乡镇级 ...). A wording naming several levels
// ("嘎查村/苏木乡镇/旗县", "区级审批、镇级初审") or another kind of unit ("团场级(相当于乡镇级)") is not read.
var townshipLevels = []string{"乡镇", "镇", "乡", "苏木", "街道", "苏木乡镇", "乡镇街道", "镇街", "乡街", "苏木乡镇街道", "乡苏木", "乡镇苏木"}

// readLevel reads the level of an item: 5 (乡级) for the township wordings.
func readLevel(v string) (int, bool) {
	s := norm(v)
	s = strings.TrimSuffix(s, "发布")
	s = strings.TrimSuffix(s, "级")
	s = strings.NewReplacer("(", "", ")", "", "/", "", "、", "").Replace(s)
	if slices.Contains(townshipLevels, s) {
		return 5, true
	}
	return 0, false
}

// readCaseKind reads 即办件 or 承诺件 from a handling type or an is_instant flag.
func readCaseKind(v string) (int, bool) {
	switch norm(v) {
	case "true", "是", "即办件", "即办":
		return catalog.InstantCase, true
	case "false", "否", "承诺件", "承诺":
		return catalog.PromisedCase, true
	}
	return 0, false
}

// readNecessity reads 材料必要性.
func readNecessity(v string) (string, bool) {
	switch norm(v) {
	case "必要", "是", "必须", "必需", "必交", "必填", "必须提供", "必要材料":
		return catalog.Required, true
	case "非必要", "否", "非必须", "非必需", "选填", "可选", "选交", "非必要材料":
		return catalog.Optional, true
	case "容缺", "容缺后补", "可容缺", "容缺受理":
		return catalog.Deferrable, true
	}
	return "", false
}

// readForm reads 纸质 / 电子 from a material's form ("原件和复印件;纸质、电子" → both); "" when it says neither.
func readForm(v string) string {
	paper, electronic := strings.Contains(v, "纸质"), strings.Contains(v, "电子")
	switch {
	case paper && electronic:
		return "both"
	case paper:
		return "paper"
	case electronic:
		return "electronic"
	}
	return ""
}

var (
	origRE  = regexp.MustCompile(`原件(?:份数)?:?(?:一式)?` + numPat + `(?:份|张|页|套|本|件)?`)
	copyRE  = regexp.MustCompile(`复印件(?:份数)?:?(?:一式)?` + numPat + `(?:份|张|页|套|本|件)?`)
	eachRE  = regexp.MustCompile(`各` + numPat + `(?:份|张|页|套|本|件)`)
	setRE   = regexp.MustCompile(`一式` + numPat + `(?:份|张|页|套|本|件)`)
	countRE = regexp.MustCompile(`^` + numPat + `(?:份|张|页|套|本|件)$`)
)

// readCounts reads how many originals and copies a material needs from its form and count texts; what they
// do not state is catalog.UnknownCount. Read:
//
//	原件1份 / 原件一份 / 原件:1 → 1 original;  复印件2份 → 2 copies;  原件及复印件各1份 → 1 and 1;
//	原件及复印件 → 1 original and 1 copy (and with "3份", 3 copies: the count is of the copies);
//	原件 (alone) → 1 original, no copy;  复印件 (alone), 3份 → no original, 3 copies;
//	一式四份 (no 原件 or 复印件 said) → 4 originals (a form filled in four times).
//
// A bare count with neither word ("3张") does not say which it is: both stay unknown.
func readCounts(form, count string) (originals, copies int) {
	f, c := norm(form), norm(count)
	all := f + ";" + c
	originals, copies = catalog.UnknownCount, catalog.UnknownCount
	if m := origRE.FindStringSubmatch(all); m != nil {
		if n, ok := number(m[1]); ok {
			originals = n
		}
	}
	if m := copyRE.FindStringSubmatch(all); m != nil {
		if n, ok := number(m[1]); ok {
			copies = n
		}
	}
	saysOrig, saysCopy := strings.Contains(all, "原件"), strings.Contains(all, "复印")
	if m := eachRE.FindStringSubmatch(all); m != nil && saysOrig && saysCopy {
		if n, ok := number(m[1]); ok {
			originals, copies = n, n
		}
	}
	// A count that names neither: the copies when the material is a copy (or an original and copies), the
	// originals when it is an original only.
	bare := -1
	for _, part := range strings.FieldsFunc(c, func(r rune) bool { return r == ';' || r == ',' || r == '、' }) {
		if m := countRE.FindStringSubmatch(part); m != nil {
			bare, _ = number(m[1])
		} else if m := setRE.FindStringSubmatch(part); m != nil && !strings.Contains(part, "原件") && !strings.Contains(part, "复印") {
			bare, _ = number(m[1])
		}
	}
	either := func(cur, dflt int) int {
		if cur != catalog.UnknownCount {
			return cur
		}
		if bare > 0 {
			return bare
		}
		return dflt
	}
	switch {
	case saysOrig && saysCopy:
		if originals == catalog.UnknownCount {
			originals = 1
		}
		copies = either(copies, 1)
	case saysOrig:
		originals = either(originals, 1)
		if strings.Contains(f, "原件") && copies == catalog.UnknownCount { // the form names the original alone
			copies = 0
		}
	case saysCopy:
		copies = either(copies, 1)
		if strings.Contains(f, "复印") && originals == catalog.UnknownCount { // the form names a copy alone
			originals = 0
		}
	default:
		if m := setRE.FindStringSubmatch(c); m != nil {
			if n, ok := number(m[1]); ok {
				originals, copies = n, 0
			}
		}
	}
	return originals, copies
}

var freeRE = regexp.MustCompile(`^(此项|该项|本项|本事项|该事项|此事项)?(不收费|免费|否|无|不收取费用|不收取任何费用|无收费|无收费项目|零收费|0元|免收费用|不收费项目|无需缴费|不需缴费)$`)

// readFree reads a fee wording that says the item is free: 此项不收费, 不收费, 免费, 否, 无, 0元 ...
func readFree(v string) bool { return freeRE.MatchString(norm(v)) }

var visitsRE = regexp.MustCompile(`^(最多|不超过|至多)?(跑)?` + numPat + `次?(?:[(,;:]+(.*?)\)?)?$`)

// readVisits reads 到办事现场次数: "0", "0次", "1次", "最多跑一次", "1次(需现场核验原件)" (the bracketed or
// following text is the reason the guide states for the visit).
func readVisits(v string) (n int, reason string, ok bool) {
	s := norm(v)
	if s == "" {
		return 0, "", false
	}
	m := visitsRE.FindStringSubmatch(s)
	if m == nil {
		return 0, "", false
	}
	n, ok = number(m[3])
	if !ok || n > 9 {
		return 0, "", false
	}
	return n, strings.TrimSpace(m[4]), true
}

// readHandlingForms reads 办理形式 (窗口办理、网上办理、掌上办理、邮寄): every part must be one it knows.
func readHandlingForms(v string) ([]int, bool) {
	s := norm(v)
	if s == "" {
		return nil, false
	}
	var out []int
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、;,/和及或", r) }) {
		f := 0
		switch {
		case strings.Contains(part, "窗口") || strings.Contains(part, "现场") || strings.Contains(part, "线下"):
			f = catalog.AtWindow
		case strings.Contains(part, "掌上") || strings.Contains(part, "移动") || strings.Contains(part, "APP") || strings.Contains(part, "小程序") || strings.Contains(part, "手机"):
			f = catalog.Mobile
		case strings.Contains(part, "网上") || strings.Contains(part, "网办") || strings.Contains(part, "在线") || strings.Contains(part, "互联网") || strings.Contains(part, "线上"):
			f = catalog.OnlinePC
		case strings.Contains(part, "邮寄") || strings.Contains(part, "快递"):
			f = catalog.ByPost
		default:
			return nil, false
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, len(out) > 0
}

func isScope(v string) bool {
	return slices.Contains([]string{"全国", "跨省", "跨市", "跨县", "跨乡"}, v)
}

// readDelivery reads 送达方式 (窗口领取、邮寄送达、电子送达): every part must be one it knows.
func readDelivery(v string) ([]string, bool) {
	s := norm(v)
	if s == "" {
		return nil, false
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、;,/和及或", r) }) {
		d := ""
		switch {
		case strings.Contains(part, "窗口") || strings.Contains(part, "现场") || strings.Contains(part, "自取"):
			d = "window"
		case strings.Contains(part, "邮寄") || strings.Contains(part, "快递"):
			d = "post"
		case strings.Contains(part, "电子") || strings.Contains(part, "网上") || strings.Contains(part, "在线"):
			d = "electronic"
		default:
			return nil, false
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out, len(out) > 0
}
