package people

import (
	"strconv"
	"strings"

	"bianmin/internal/errs"
)

// 统一社会信用代码 alphabet and weights of GB 32100-2015 (FACTS.md §9.2): 31 characters without I, O, Z, S, V;
// weights are 3^(i-1) mod 31.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditCategories is GB 32100-2015 表1 as amended (第1号修改单): 登记管理部门代码 (position 1) and the 机构类别代码
// (position 2) each department may give. Confirmed against two published copies of the amended table
// (uscc-utils, and osuse.cn "统一社会信用代码解析登记管理部门和机构类别"), which agree with the whitelist in
// FACTS.md §9.2: 司法行政 has 1-5 (律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会) and 旅游 has 2
// (港澳台地区旅游部门常驻代表机构), which a shorter list of the table leaves out.
//
// 民政 also carries 4 and 5: 基层群众性自治组织 (村民委员会, 居民委员会) were given codes beginning 54 and 55 by
// 民政部门 outside the amended table (FACTS.md §9.2). A township serves its 嘎查村委会 as applicants, so these
// real codes must not be refused.
var creditCategories = map[byte]string{
	'1': "1239",   // 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
	'2': "19",     // 外交: 外国常驻新闻机构, 其他
	'3': "123459", // 司法行政
	'4': "19",     // 文化: 外国在华文化中心, 其他
	'5': "123459", // 民政: 社会团体, 民办非企业单位, 基金会, (村民委员会, 居民委员会), 其他
	'6': "129",    // 旅游
	'7': "129",    // 宗教: 宗教活动场所, 宗教院校, 其他
	'8': "19",     // 工会: 基层工会, 其他
	'9': "123",    // 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
	'A': "19",     // 中央军委改革和编制办公室: 军队事业单位, 其他
	'N': "1239",   // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
	'Y': "1",      // 其他: 不再划分机构类别
}

// creditDepartments lists the codes of position 1 for messages, in the table's order.
const creditDepartments = "1、2、3、4、5、6、7、8、9、A、N、Y"

// NormalizeCreditCode is the form a credit code is stored in: see fold.
func NormalizeCreditCode(s string) string { return fold(s) }

// CreditOverridable reports whether a credit-code error may be excused by a recorded reason: only the two
// check characters may, because real codes exist that fail them (see CheckCreditCode). A wrong length,
// character, region or prefix never may.
func CreditOverridable(key string) bool {
	return key == "err.creditcode.checksum" || key == "err.creditcode.orgcode"
}

// CheckCreditCode validates a unified social credit code (GB 32100-2015) after normalising it: characters,
// length, the registration department and institution category of positions 1-2 against the standard's
// table, the digits of the region code, the embedded organisation code's own check character (GB 11714), and
// the final check character.
//
// The two check characters are refusals with their own message, but overridable (CreditOverridable): FACTS.md
// §9.2 records real codes that fail the final one (91350211M0000XUF46, a company of 厦门) and warns that some
// real codes fail the inner one, issued before registration systems checked them. A clerk cannot tell a typo from such a code, so the default is to refuse
// and say which check failed; a director who has compared the licence itself records the reason, which goes
// into the audit trail. A code whose first two characters are outside the table is no code any department
// issues, and is refused without exception.
func CheckCreditCode(field, s string) *errs.Error {
	s = NormalizeCreditCode(s)
	if s == "" {
		return errs.Field(field, "err.required")
	}
	runes := []rune(s)
	for i, r := range runes {
		if i >= 18 {
			break
		}
		if r > 0x7f || strings.IndexByte(creditAlphabet, byte(r)) < 0 {
			return errs.Field(field, "err.creditcode.char_at").With("pos", strconv.Itoa(i+1)).With("char", string(r))
		}
		if i >= 2 && i < 8 && (r < '0' || r > '9') {
			return errs.Field(field, "err.creditcode.region_at").With("pos", strconv.Itoa(i+1)).With("char", string(r))
		}
	}
	if len(runes) != 18 {
		return errs.Field(field, "err.creditcode.count").With("count", strconv.Itoa(len(runes)))
	}
	categories, ok := creditCategories[s[0]]
	if !ok {
		return errs.Field(field, "err.creditcode.department").With("char", s[:1]).With("allowed", creditDepartments)
	}
	if strings.IndexByte(categories, s[1]) < 0 {
		allowed := make([]string, len(categories))
		for i := range categories {
			allowed[i] = s[:1] + categories[i:i+1]
		}
		return errs.Field(field, "err.creditcode.category").With("prefix", s[:2]).With("allowed", strings.Join(allowed, "、"))
	}
	if want := OrgCodeCheckChar(s[8:16]); want != s[16] {
		return errs.Field(field, "err.creditcode.orgcode").With("code", s[8:17]).With("expected", string(want)).With("found", s[16:17])
	}
	if CreditCheckChar(s[:17]) != s[17] {
		return errs.Field(field, "err.creditcode.checksum")
	}
	return nil
}

// CreditCheckChar computes the 18th character from the first 17 (which must be in the alphabet).
func CreditCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditAlphabet, first17[i]) * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c]
}

// 组织机构代码 (GB 11714-1997, FACTS.md §9.2): eight body characters valued in 0-9A-Z, weights 3,7,9,10,5,8,4,2,
// check C9 = 11 - sum mod 11, written X for 10 and 0 for 11.
const orgCodeAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// OrgCodeCheckChar computes the ninth character of an organisation code from its first eight.
func OrgCodeCheckChar(body8 string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		sum += strings.IndexByte(orgCodeAlphabet, body8[i]) * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}
