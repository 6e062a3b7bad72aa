package people

import (
	"testing"
)

// Every rule of CheckIDNumber (GB 11643-1999; 国办发〔2018〕81号 第三条 for residence permits) with the exact
// message key and the facts the message names.
func TestCheckIDNumber(t *testing.T) {
	cases := []struct {
		name, in, key string
		args          map[string]string
	}{
		{"the standard's own sample", "11010519491231002X", "", nil},
		{"a lowercase x", "11010519491231002x", "", nil},
		{"blanks around", " 11010519491231002X ", "", nil},
		{"full-width digits and X", "１１０１０５１９４９１２３１００２Ｘ", "", nil},
		{"full-width lowercase x", "１１０１０５１９４９１２３１００２ｘ", "", nil},
		{"inner spaces in groups", "110105 19491231 002X", "", nil},
		{"an ideographic space", "110105　19491231002X", "", nil},
		{"hyphens between groups", "110105-19491231-002X", "", nil},
		{"a full-width hyphen", "110105－19491231－002X", "", nil},
		{"Hong Kong residence permit 810000", "810000199001011230", "", nil},
		{"Macao residence permit 820000", "820000198512310045", "", nil},
		{"Taiwan residence permit 830000, born on 29 February", "830000200002290058", "", nil},
		{"born on 1 January 1900", "150421190001010013", "", nil},

		{"empty", "", "err.required", nil},
		{"only blanks and hyphens", " - ", "err.required", nil},
		{"a letter inside", "110105194912310A2X", "err.idnumber.char_at", map[string]string{"pos": "16", "char": "A"}},
		{"X before the last position", "1101051949123100X2", "err.idnumber.char_at", map[string]string{"pos": "17", "char": "X"}},
		{"a Chinese character", "110105一9491231002X", "err.idnumber.char_at", map[string]string{"pos": "7", "char": "一"}},
		{"a letter at the last position", "11010519491231002A", "err.idnumber.last_char", map[string]string{"char": "A"}},
		{"one digit short", "11010519491231002", "err.idnumber.count", map[string]string{"count": "17"}},
		{"one digit too many", "11010519491231002X1", "err.idnumber.count", map[string]string{"count": "19"}},
		{"full-width and short: the count is of normalised characters", "１１０１０５１９４９１２３１００２", "err.idnumber.count", map[string]string{"count": "17"}},
		{"a 15-digit legacy number", "110105491231002", "err.idnumber.legacy15", nil},
		{"no such province", "99010519491231002X", "err.idnumber.province", map[string]string{"code": "99"}},
		{"a residence permit must use the whole code 810000", "810100199001011236", "err.idnumber.permit", map[string]string{"code": "810100"}},
		{"month 13", "11010519491331002X", "err.idnumber.birth_date", map[string]string{"date": "19491331"}},
		{"30 February", "110105194902300028", "err.idnumber.birth_date", map[string]string{"date": "19490230"}},
		{"in the future", "11010529991231002X", "err.idnumber.birth_range", map[string]string{"date": "2999-12-31"}},
		{"before 1900", "150421189912310019", "err.idnumber.birth_range", map[string]string{"date": "1899-12-31"}},
		{"one character off", "110105194912310021", "err.idnumber.check_char", map[string]string{"expected": "X", "found": "1"}},
		{"x where a digit belongs", "15042119850315201x", "err.idnumber.check_char", map[string]string{"expected": "8", "found": "X"}},
	}
	for _, c := range cases {
		e := CheckIDNumber("id_number", c.in)
		got := ""
		if e != nil {
			got = e.Key
			if e.Field != "id_number" {
				t.Errorf("%s: field %q", c.name, e.Field)
			}
		}
		if got != c.key {
			t.Errorf("%s: CheckIDNumber(%q) = %q (%v), want %q", c.name, c.in, got, e, c.key)
			continue
		}
		for k, v := range c.args {
			if e.Args[k] != v {
				t.Errorf("%s: argument %s = %q, want %q", c.name, k, e.Args[k], v)
			}
		}
	}
}

// What is stored: the ASCII form, without separators, with an upper-case X.
func TestNormalizeIDNumber(t *testing.T) {
	cases := []struct{ in, want string }{
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"},
		{" 110105-19491231-002x ", "11010519491231002X"},
		{"110105\u00a019491231\u200b002X", "11010519491231002X"},
		{"110105 1949 1231 002X", "11010519491231002X"},
	}
	for _, c := range cases {
		if got := NormalizeIDNumber(c.in); got != c.want {
			t.Errorf("NormalizeIDNumber(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestApplicantStoresTheNormalisedIDNumber(t *testing.T) {
	a := Applicant{Kind: Resident, Name: "斯琴", IDNumber: "１１０１０５ １９４９１２３１ ００２ｘ", OrgID: "x"}
	if err := a.Validate(); err != nil || a.IDNumber != "11010519491231002X" {
		t.Fatalf("got %q, %v", a.IDNumber, err)
	}
	r := ResidentAccount{Name: "斯琴", IDNumber: "110105-19491231-002x", Phone: "13712345678", OrgID: "x", Lang: "zh"}
	if err := r.Validate(); err != nil || r.IDNumber != "11010519491231002X" {
		t.Fatalf("resident: got %q, %v", r.IDNumber, err)
	}
}
