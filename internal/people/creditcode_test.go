package people

import (
	"testing"
)

// Every rule of CheckCreditCode (GB 32100-2015 with its amended code table; GB 11714-1997 for the organisation
// code inside) with the exact message key and the facts the message names. The codes built for the prefix
// cases have a correct organisation code and a correct final character, so that only the prefix is at fault:
// before, 0… and 9Y… codes like these passed.
func TestCheckCreditCode(t *testing.T) {
	cases := []struct {
		name, in, key string
		args          map[string]string
	}{
		{"GB 32100's example", "91350100M000100Y43", "", nil},
		{"lower case", "91350100m000100y43", "", nil},
		{"full-width with spaces and hyphens", "９１３５０１００－Ｍ０００１００Ｙ４ ３", "", nil},
		{"工商 企业 91", "91150421MA0N123408", "", nil},
		{"民政 村民委员会 54 (issued outside the amended table)", "54150421MA0N123403", "", nil},
		{"民政 居民委员会 55", "55150421MA0N123400", "", nil},
		{"司法行政 司法鉴定机构 35", "35150421MA0N123402", "", nil},
		{"旅游 港澳台代表机构 62", "62150421MA0N123408", "", nil},
		{"农业 村级集体经济组织 N2", "N2150421MA0N12340P", "", nil},
		{"中央军委改革和编制办公室 A1", "A1150421MA0N123407", "", nil},
		{"其他 Y1", "Y1150421MA0N12340J", "", nil},

		{"empty", "", "err.required", nil},
		{"letter O", "9135010OM000100Y43", "err.creditcode.char_at", map[string]string{"pos": "8", "char": "O"}},
		{"letter I in the organisation code", "91350100MI00100Y43", "err.creditcode.char_at", map[string]string{"pos": "10", "char": "I"}},
		{"a Chinese character", "91350100M000100Y4号", "err.creditcode.char_at", map[string]string{"pos": "18", "char": "号"}},
		{"a letter in the region code", "91A50100M000100Y43", "err.creditcode.region_at", map[string]string{"pos": "3", "char": "A"}},
		{"one short", "91350100M000100Y4", "err.creditcode.count", map[string]string{"count": "17"}},
		{"one too many", "91350100M000100Y431", "err.creditcode.count", map[string]string{"count": "19"}},
		{"department 0 does not exist", "01150421MA0N12340H", "err.creditcode.department", map[string]string{"char": "0"}},
		{"department B does not exist", "B1150421MA0N123406", "err.creditcode.department", map[string]string{"char": "B"}},
		{"工商 has no category Y", "9Y150421MA0N12340E", "err.creditcode.category", map[string]string{"prefix": "9Y", "allowed": "91、92、93"}},
		{"民政 has no category 6", "56150421MA0N12340W", "err.creditcode.category", map[string]string{"prefix": "56", "allowed": "51、52、53、54、55、59"}},
		{"其他 has only 1", "Y2150421MA0N12340F", "err.creditcode.category", map[string]string{"prefix": "Y2", "allowed": "Y1"}},
		{"the organisation code's own check fails", "91150421MA0N12341B", "err.creditcode.orgcode", map[string]string{"code": "MA0N12341", "expected": "0", "found": "1"}},
		{"the final check fails", "91350100M000100Y44", "err.creditcode.checksum", nil},
		{"a real code that fails the final check (FACTS §9.2)", "91350211M0000XUF46", "err.creditcode.checksum", nil},
	}
	for _, c := range cases {
		e := CheckCreditCode("credit_code", c.in)
		got := ""
		if e != nil {
			got = e.Key
			if e.Field != "credit_code" {
				t.Errorf("%s: field %q", c.name, e.Field)
			}
		}
		if got != c.key {
			t.Errorf("%s: CheckCreditCode(%q) = %q (%v), want %q", c.name, c.in, got, e, c.key)
			continue
		}
		for k, v := range c.args {
			if e.Args[k] != v {
				t.Errorf("%s: argument %s = %q, want %q", c.name, k, e.Args[k], v)
			}
		}
	}
}

// The table of GB 32100 as a whole: every prefix it lists passes, and every other pair of code characters is
// refused at position 1 or 2.
func TestCreditCodePrefixTable(t *testing.T) {
	allowed := map[string]bool{}
	for _, p := range []string{"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49",
		"51", "52", "53", "54", "55", "59", "61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93",
		"A1", "A9", "N1", "N2", "N3", "N9", "Y1"} {
		allowed[p] = true
	}
	for i := 0; i < len(creditAlphabet); i++ {
		for j := 0; j < len(creditAlphabet); j++ {
			p := creditAlphabet[i:i+1] + creditAlphabet[j:j+1]
			s := p + "150421MA0N12340"
			s += string(CreditCheckChar(s))
			e := CheckCreditCode("f", s)
			switch {
			case allowed[p] && e != nil:
				t.Errorf("%s: refused %v", s, e)
			case !allowed[p] && (e == nil || (e.Key != "err.creditcode.department" && e.Key != "err.creditcode.category")):
				t.Errorf("%s: want a refusal of its prefix, got %v", s, e)
			}
		}
	}
}

func TestOrgCodeCheckChar(t *testing.T) {
	cases := []struct{ body, want string }{
		{"M000100Y", "4"}, // GB 32100's example (FACTS §9.2)
		{"M0000XUF", "4"},
		{"MA0N1234", "0"}, // 11 → 0
		{"D2143569", "X"}, // 10 → X (GB 11714's own example)
	}
	for _, c := range cases {
		if got := string(OrgCodeCheckChar(c.body)); got != c.want {
			t.Errorf("OrgCodeCheckChar(%s) = %s, want %s", c.body, got, c.want)
		}
	}
}

// Only a check character may be excused by a recorded reason; a wrong prefix never.
func TestCreditOverrideOnlyForCheckCharacters(t *testing.T) {
	cases := []struct {
		code string
		ok   bool
	}{
		{"91350211M0000XUF46", true}, // final check character
		{"91150421MA0N12341B", true}, // organisation code's check character
		{"9Y150421MA0N12340E", false},
		{"01150421MA0N12340H", false},
		{"91350211M0000XUF4", false},
	}
	for _, c := range cases {
		a := Applicant{Kind: Organisation, Name: "某合作社", CreditCode: c.code, CreditOverride: "已与营业执照原件核对", OrgID: "x"}
		if err := a.Validate(); (err == nil) != c.ok {
			t.Errorf("%s with a reason: %v, want accepted=%v", c.code, err, c.ok)
		}
	}
}
