package catalog

import "testing"

// FoldPhones: full-width digits and dashes of a published guide become ASCII; the words beside a number and
// its full-width brackets stay.
func TestFoldPhones(t *testing.T) {
	for in, want := range map[string]string{
		"０４７７－１２３４５６７":      "0477-1234567",
		"　0477-1234567　":    "0477-1234567",
		"０４７７－８８８８８８８（工作日）": "0477-8888888（工作日）",
		"12345": "12345",
		"":      "",
	} {
		it := Item{ConsultPhone: in, ComplaintPhone: in}
		it.FoldPhones()
		if it.ConsultPhone != want || it.ComplaintPhone != want {
			t.Errorf("%q: %q %q, want %q", in, it.ConsultPhone, it.ComplaintPhone, want)
		}
	}
}
