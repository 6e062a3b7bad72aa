// Package people holds staff accounts and applicants (residents and organisations), with the national
// identity-number rules and the masking of personal data.
package people

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"bianmin/internal/errs"
)

// ID number weights and check characters of GB 11643-1999 (FACTS.md §9.1).
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idChecks  = "10X98765432"
	// GB/T 2260 province-level prefixes in use.
	idProvinces = map[string]bool{}
	// 《港澳台居民居住证申领发放办法》(国办发〔2018〕81号) 第三条第二款: the residence permits of Hong Kong, Macao
	// and Taiwan residents carry a 公民身份号码 whose address code is exactly one of these.
	idPermitCodes = map[string]string{"81": "810000", "82": "820000", "83": "830000"}
)

func init() {
	for _, p := range strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91") {
		idProvinces[p] = true
	}
}

// fold brings a number as people type or paste it to the form the standards write: full-width characters
// (０-９, Ｘ, －, as Chinese input methods give them) become ASCII, spaces of any width and hyphens between
// groups are dropped, letters are upper-cased (a lowercase x is common on forms; GB 11643 writes X).
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width forms of ASCII
			r -= 0xFEE0
		}
		switch {
		case unicode.IsSpace(r), r == '\u200b', r == '\ufeff':
			continue
		case r == '-', r == '\u2010', r == '\u2011', r == '\u2012', r == '\u2013', r == '\u2212':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormalizeIDNumber is the form an ID number is stored and compared in: see fold.
func NormalizeIDNumber(s string) string { return fold(s) }

// CheckIDNumber validates an 18-character 公民身份号码 (GB 11643-1999) after normalising it, and says
// exactly what is wrong: the character and its position, the length found, the date, or the check
// character expected.
func CheckIDNumber(field, s string) *errs.Error {
	s = NormalizeIDNumber(s)
	if s == "" {
		return errs.Field(field, "err.required")
	}
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case i >= 18:
		case r >= '0' && r <= '9':
		case i == 17 && r == 'X':
		case i == 17:
			return errs.Field(field, "err.idnumber.last_char").With("char", string(r))
		default:
			return errs.Field(field, "err.idnumber.char_at").With("pos", strconv.Itoa(i+1)).With("char", string(r))
		}
	}
	switch n := len(runes); {
	case n == 15:
		return errs.Field(field, "err.idnumber.legacy15")
	case n != 18:
		return errs.Field(field, "err.idnumber.count").With("count", strconv.Itoa(n))
	}
	if !idProvinces[s[:2]] {
		return errs.Field(field, "err.idnumber.province").With("code", s[:2])
	}
	if want, ok := idPermitCodes[s[:2]]; ok && s[:6] != want {
		return errs.Field(field, "err.idnumber.permit").With("code", s[:6])
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil {
		return errs.Field(field, "err.idnumber.birth_date").With("date", s[6:14])
	}
	if birth.Year() < 1900 || birth.After(time.Now()) {
		return errs.Field(field, "err.idnumber.birth_range").With("date", birth.Format("2006-01-02"))
	}
	if want := IDCheckChar(s[:17]); want != s[17] {
		return errs.Field(field, "err.idnumber.check_char").With("expected", string(want)).With("found", s[17:])
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
