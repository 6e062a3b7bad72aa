package cases

import (
	"testing"

	"bianmin/internal/errs"
)

// Reasons where the law requires them (reasons.go): each move that goes against the applicant or stops the
// clock is refused without reasons (blank counts as none), naming the reason field; the others are not.
func TestRequiredReasons(t *testing.T) {
	received := dibao
	accepted := func() Case {
		c := dibao()
		if _, err := c.Apply(Accept, Front, Input{Materials: materials(false)}, at("2026-03-02 10:00"), clk); err != nil {
			t.Fatal(err)
		}
		return c
	}
	last := func() Case {
		c := accepted()
		c.Step = len(c.Steps) - 1
		return c
	}
	requested := func() Case {
		c := accepted()
		if _, err := c.Apply(RequestExtension, Back, Input{Days: 5, Reason: "需实地核查"}, at("2026-03-03 10:00"), clk); err != nil {
			t.Fatal(err)
		}
		return c
	}
	second := func() Case { // at the second step, so that it can go back
		c := accepted()
		c.Step = 2
		return c
	}
	tests := []struct {
		name   string
		c      func() Case
		a      Action
		d      Desk
		in     Input
		key    string // the refusal's message key on "reason"; "" when the move goes through
		reason string // the reason given, when one is
	}{
		{"refuse without reasons (第32条)", received, Refuse, Front, Input{}, "err.required", ""},
		{"refuse with blank reasons", received, Refuse, Front, Input{Reason: "  \n"}, "err.required", ""},
		{"refuse with reasons", received, Refuse, Front, Input{}, "", "不属于本机关职权范围"},
		{"deny without reasons (第38条)", last, Decide, Back, Input{Grant: false}, "err.case.deny_reason", ""},
		{"deny with reasons", last, Decide, Back, Input{Grant: false}, "", "家庭收入超过标准"},
		{"grant needs no reasons", last, Decide, Back, Input{Grant: true}, "", ""},
		{"return without reasons", second, Return, Back, Input{}, "err.required", ""},
		{"return with reasons", second, Return, Back, Input{}, "", "入户调查记录缺签字"},
		{"suspend without reasons (第45条)", accepted, Suspend, Back, Input{Kind: "听证"}, "err.required", ""},
		{"suspend with reasons", accepted, Suspend, Back, Input{Kind: "听证"}, "", "申请人要求听证"},
		{"request an extension without reasons (第42条)", accepted, RequestExtension, Back, Input{Days: 5}, "err.required", ""},
		{"request an extension with reasons", accepted, RequestExtension, Back, Input{Days: 5}, "", "需实地核查"},
		{"reject an extension without reasons", requested, RejectExtension, Head, Input{}, "err.required", ""},
		{"approve an extension: the request's reasons", requested, ApproveExtension, Head, Input{}, "", ""},
		{"terminate without reasons", received, Terminate, Front, Input{}, "err.required", ""},
		{"pass needs no reasons", accepted, Pass, Back, Input{}, "", ""},
		{"accept needs no reasons", received, Accept, Front, Input{Materials: materials(false)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c()
			in := tt.in
			if tt.reason != "" {
				in.Reason = tt.reason
			}
			before := c.Version
			_, err := c.Apply(tt.a, tt.d, in, at("2026-03-04 10:00"), clk)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			fields := errs.All(err)
			if len(fields) != 1 || fields[0].Field != "reason" || fields[0].Key != tt.key || fields[0].Code != errs.Invalid {
				t.Fatalf("got %v, want reason %s", err, tt.key)
			}
			if c.Version != before {
				t.Fatal("a refused move changed the case")
			}
			if got := ReasonKey(tt.a, tt.in); got != tt.key {
				t.Fatalf("ReasonKey %q, want %q", got, tt.key)
			}
		})
	}
}

// An empty date is missing, not early: 容缺 owed_by and 告知承诺 check_by report "required".
func TestEmptyDateIsRequired(t *testing.T) {
	owed := materials(false)
	owed[2].Check, owed[2].Deferrable = Owed, true
	c := dibao()
	_, err := c.Apply(AcceptOwed, Front, Input{Materials: owed}, at("2026-03-02 10:00"), clk)
	var found bool
	for _, e := range errs.All(err) {
		if e.Field == "owed_by" {
			found = true
			if e.Key != "err.required" {
				t.Fatalf("empty owed_by: %s", e.Key)
			}
		}
	}
	if !found {
		t.Fatalf("empty owed_by not refused: %v", err)
	}
}

// Which moves must state reasons, as one table: the rule the service enforces and the forms mark.
func TestReasonKeyTable(t *testing.T) {
	for _, tc := range []struct {
		a    Action
		in   Input
		want string
	}{
		{Refuse, Input{}, "err.required"},
		{Return, Input{}, "err.required"},
		{Suspend, Input{}, "err.required"},
		{RequestExtension, Input{}, "err.required"},
		{RejectExtension, Input{}, "err.required"},
		{Terminate, Input{}, "err.required"},
		{Revoke, Input{}, "err.required"},
		{Decide, Input{Grant: false}, "err.case.deny_reason"},
		{Decide, Input{Grant: true}, ""},
		{ApproveExtension, Input{}, ""},
		{Accept, Input{}, ""},
		{Issue, Input{}, ""},
	} {
		if got := ReasonKey(tc.a, tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.a, got, tc.want)
		}
	}
}
