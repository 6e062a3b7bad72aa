package people

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// seedsFrom adds every quoted string of 6 to 30 bytes in the package's table tests as a seed: the numbers
// the tests already know (valid, each kind of wrong, full-width, spaced) start the fuzzer.
func seedsFrom(f *testing.F, files ...string) {
	re := regexp.MustCompile(`"([^"\\]{6,30})"`)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			f.Add(m[1])
		}
	}
	f.Add("１１０１０５１９４９１２３１００２ｘ")
	f.Add("110105 1949 1231 002x")
}

// FuzzIDNumber: no input panics; a number accepted normalises to itself (idempotent), is 18 ASCII
// characters with its own check character, and is accepted again in its normal form.
func FuzzIDNumber(f *testing.F) {
	seedsFrom(f, "idnumber_test.go", "people_test.go")
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckIDNumber("id_number", s)
		n := NormalizeIDNumber(s)
		if NormalizeIDNumber(n) != n {
			t.Fatalf("normalising is not idempotent: %q -> %q -> %q", s, n, NormalizeIDNumber(n))
		}
		if err != nil {
			if err.Field != "id_number" || err.Key == "" {
				t.Fatalf("a refusal names the field and a message: %+v", err)
			}
			return
		}
		if len(n) != 18 || IDCheckChar(n[:17]) != n[17] {
			t.Fatalf("accepted %q (normal form %q)", s, n)
		}
		if err := CheckIDNumber("id_number", n); err != nil {
			t.Fatalf("the normal form %q of an accepted number is refused: %v", n, err)
		}
		if m := MaskIDNumber(n); len([]rune(m)) != 18 || m == n {
			t.Fatalf("mask of %q: %q", n, m)
		}
	})
}

// FuzzCreditCode: the same for unified social credit codes; an accepted code is 18 characters of the
// standard's alphabet.
func FuzzCreditCode(f *testing.F) {
	seedsFrom(f, "creditcode_test.go")
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckCreditCode("credit_code", s)
		n := NormalizeCreditCode(s)
		if NormalizeCreditCode(n) != n {
			t.Fatalf("normalising is not idempotent: %q -> %q", s, n)
		}
		if err != nil {
			if err.Field != "credit_code" || err.Key == "" {
				t.Fatalf("a refusal names the field and a message: %+v", err)
			}
			return
		}
		if len(n) != 18 || strings.Trim(n, creditAlphabet) != "" || CreditCheckChar(n[:17]) != n[17] {
			t.Fatalf("accepted %q (normal form %q)", s, n)
		}
		if err := CheckCreditCode("credit_code", n); err != nil {
			t.Fatalf("the normal form %q of an accepted code is refused: %v", n, err)
		}
	})
}
