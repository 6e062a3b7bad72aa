package people

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"bianmin/internal/errs"
)

// Any single changed digit of a valid number must be caught: the weights are all non-zero modulo 11.
func TestIDNumberCatchesEverySingleDigitError(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		base := fmt.Sprintf("150421%04d%02d%02d%03d", 1930+r.IntN(90), 1+r.IntN(12), 1+r.IntN(28), r.IntN(1000))
		id := base + string(IDCheckChar(base))
		if e := CheckIDNumber("f", id); e != nil {
			t.Fatalf("%s should be valid: %v", id, e)
		}
		pos := 14 + r.IntN(3) // change the sequence digits, which leaves the date valid
		b := []byte(id)
		b[pos] = '0' + (b[pos]-'0'+byte(1+r.IntN(9)))%10
		if e := CheckIDNumber("f", string(b)); e == nil || e.Key != "err.idnumber.check_char" {
			t.Fatalf("%s (changed from %s) should fail its checksum, got %v", b, id, e)
		}
	}
}

func TestApplicantCreditOverride(t *testing.T) {
	a := Applicant{Kind: Organisation, Name: "厦门某公司", CreditCode: "91350211M0000XUF46", OrgID: "x"}
	if err := a.Validate(); errs.CodeOf(err) != errs.Invalid {
		t.Fatalf("a failing check digit without a reason must be refused, got %v", err)
	}
	a.CreditOverride = "已与营业执照原件核对"
	if err := a.Validate(); err != nil {
		t.Fatalf("with a reason the code is accepted: %v", err)
	}
	a.CreditCode = "91350211M0000XUF4" // wrong length cannot be overridden
	if err := a.Validate(); err == nil {
		t.Fatal("an override must not excuse a wrong length")
	}
	good := Applicant{Kind: Organisation, Name: "x", CreditCode: "91350100M000100Y43", CreditOverride: "不需要", OrgID: "x"}
	if err := good.Validate(); err != nil || good.CreditOverride != "" {
		t.Fatalf("a valid code keeps no override: %v %q", err, good.CreditOverride)
	}
}

func TestApplicantValidateNamesEveryField(t *testing.T) {
	a := Applicant{Kind: Resident, Name: "", IDNumber: "123", Phone: "12", Address: string(make([]rune, 201))}
	err := a.Validate()
	fields := map[string]bool{}
	for _, e := range errs.All(err) {
		fields[e.Field] = true
	}
	for _, f := range []string{"name", "id_number", "phone", "address", "org"} {
		if !fields[f] {
			t.Errorf("no error for %s in %v", f, err)
		}
	}
}

func TestMask(t *testing.T) {
	cases := []struct{ got, want string }{
		{MaskIDNumber("11010519491231002X"), "110105********002X"},
		{MaskPhone("13812345678"), "138****5678"},
		{MaskCreditCode("91350100M000100Y43"), "91350100********43"},
		{MaskPhone(""), ""},
		{MaskPhone("123"), "123"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	if e := CheckPassword("p", "short", "u"); e == nil || e.Key != "err.password.short" {
		t.Error("short password accepted")
	}
	if e := CheckPassword("p", "tianshan.clerk", "tianshan.clerk"); e == nil || e.Key != "err.password.username" {
		t.Error("username as password accepted")
	}
	if e := CheckPassword("p", "a-long-enough-one", "u"); e != nil {
		t.Error(e)
	}
}

// people.MayText: the hour's and the day's share, each on its own and together.
func TestMayText(t *testing.T) {
	for _, c := range []struct {
		hour, day int
		want      bool
	}{
		{0, 0, true},
		{UnaskedPerHour - 1, UnaskedPerHour - 1, true},
		{UnaskedPerHour, UnaskedPerHour, false},
		{0, UnaskedPerDay - 1, true},
		{0, UnaskedPerDay, false},
		{UnaskedPerHour - 1, UnaskedPerDay, false},
		{UnaskedPerHour + 1, UnaskedPerHour + 1, false},
	} {
		if got := MayText(c.hour, c.day); got != c.want {
			t.Errorf("MayText(%d, %d) = %v, want %v", c.hour, c.day, got, c.want)
		}
	}
}

// people.MayComplainOnline: the hour's share from one address.
func TestMayComplainOnline(t *testing.T) {
	for _, c := range []struct {
		hour int
		want bool
	}{{0, true}, {OnlineComplaintsPerHour - 1, true}, {OnlineComplaintsPerHour, false}, {OnlineComplaintsPerHour + 1, false}} {
		if got := MayComplainOnline(c.hour); got != c.want {
			t.Errorf("MayComplainOnline(%d) = %v, want %v", c.hour, got, c.want)
		}
	}
}

// PhoneKey: one phone however it is typed.
func TestPhoneKey(t *testing.T) {
	for in, want := range map[string]string{
		"13900001111": "13900001111", "139 0000 1111": "13900001111", "+86 139-0000-1111": "13900001111",
		"008613900001111": "13900001111", "１３９００００１１１１": "13900001111", "0476-1234567": "04761234567", "861390000111": "861390000111",
	} {
		if got := PhoneKey(in); got != want {
			t.Errorf("PhoneKey(%q) = %q, want %q", in, got, want)
		}
	}
}
