package people

// Masking keeps the ends of a number, which is enough for a clerk to recognise it and for a resident to
// confirm it is theirs, and hides the middle, which is what identifies a person.

// MaskIDNumber shows the 6-digit address code and the last 4 characters: 150421********002X.
func MaskIDNumber(s string) string { return mask(s, 6, 4) }

// MaskCreditCode shows the first 8 and the last 2 characters.
func MaskCreditCode(s string) string { return mask(s, 8, 2) }

// MaskPhone shows the first 3 and the last 4 digits: 138****5678.
func MaskPhone(s string) string { return mask(s, 3, 4) }

func mask(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		if len(r) <= tail {
			return s
		}
		head = 0
	}
	out := make([]rune, len(r))
	for i := range r {
		if i < head || i >= len(r)-tail {
			out[i] = r[i]
		} else {
			out[i] = '*'
		}
	}
	return string(out)
}

// Masked returns a copy of the applicant with its identifying numbers and phone masked.
func (a Applicant) Masked() Applicant {
	a.IDNumber = MaskIDNumber(a.IDNumber)
	a.CreditCode = MaskCreditCode(a.CreditCode)
	a.Phone = MaskPhone(a.Phone)
	return a
}
