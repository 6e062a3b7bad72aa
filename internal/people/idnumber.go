// Package people holds staff accounts and applicants (residents and organisations), with the national
// identity-number rules and the masking of personal data.
package people

import (
	"strings"
	"time"

	"bianmin/internal/errs"
)

// ID number weights and check characters of GB 11643-1999 (FACTS.md §9.1).
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idChecks  = "10X98765432"
	// GB/T 2260 province-level prefixes in use.
	idProvinces = map[string]bool{}
)

func init() {
	for _, p := range strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 91") {
		idProvinces[p] = true
	}
}

// NormalizeIDNumber trims blanks and upper-cases the check character (a lowercase x is common on forms).
func NormalizeIDNumber(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// CheckIDNumber validates an 18-character 公民身份号码 and says which rule it breaks.
func CheckIDNumber(field, s string) *errs.Error {
	s = NormalizeIDNumber(s)
	switch {
	case s == "":
		return errs.Field(field, "err.required")
	case len(s) == 15:
		return errs.Field(field, "err.idnumber.legacy15")
	case len(s) != 18:
		return errs.Field(field, "err.idnumber.length")
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return errs.Field(field, "err.idnumber.chars")
		}
	}
	if c := s[17]; (c < '0' || c > '9') && c != 'X' {
		return errs.Field(field, "err.idnumber.chars")
	}
	if !idProvinces[s[:2]] {
		return errs.Field(field, "err.idnumber.region")
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(time.Now()) {
		return errs.Field(field, "err.idnumber.birth")
	}
	if IDCheckChar(s[:17]) != s[17] {
		return errs.Field(field, "err.idnumber.checksum")
	}
	return nil
}

// IDCheckChar computes the 18th character from the first 17 digits.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idChecks[sum%11]
}

// 统一社会信用代码 alphabet and weights of GB 32100-2015 (FACTS.md §9.2): 31 characters without I, O, Z, S, V;
// weights are 3^(i-1) mod 31.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeCreditCode trims and upper-cases.
func NormalizeCreditCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckCreditCode validates a unified social credit code. Its key is err.creditcode.checksum when only the
// check character is wrong: real codes exist that fail it, so that one fault may be overridden.
func CheckCreditCode(field, s string) *errs.Error {
	s = NormalizeCreditCode(s)
	switch {
	case s == "":
		return errs.Field(field, "err.required")
	case len(s) != 18:
		return errs.Field(field, "err.creditcode.length")
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(creditAlphabet, s[i]) < 0 {
			return errs.Field(field, "err.creditcode.chars")
		}
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return errs.Field(field, "err.creditcode.region")
		}
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
