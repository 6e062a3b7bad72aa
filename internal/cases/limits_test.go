package cases

import (
	"strings"
	"testing"

	"bianmin/internal/errs"
)

func TestInputLengths(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	for _, tc := range []struct {
		name   string
		in     Input
		fields []string
	}{
		{"empty", Input{}, nil},
		{"a reason at the limit, in characters not bytes", Input{Reason: long(MaxReason)}, nil},
		{"a reason over it", Input{Reason: long(MaxReason + 1)}, []string{"reason"}},
		{"a 9 MiB reason", Input{Reason: strings.Repeat("x", 9<<20)}, []string{"reason"}},
		{"tracking number", Input{Tracking: long(MaxTracking + 1)}, []string{"tracking"}},
		{"listed values", Input{Kind: long(MaxWord + 1), Method: long(MaxWord + 1), Result: long(MaxWord + 1), Assignee: long(MaxWord + 1)}, []string{"kind", "method", "result", "assignee"}},
		{"a material's note and name", Input{Materials: []MaterialCheck{{Name: "身份证", Note: long(MaxNote)}, {Name: long(MaxMaterialName + 1), Note: long(MaxNote + 1)}}},
			[]string{"materials[1].name", "materials[1].note"}},
		{"too many materials", Input{Materials: make([]MaterialCheck, MaxMaterials+1)}, []string{"materials"}},
		{"everything at once", Input{Reason: long(MaxReason + 1), Tracking: long(MaxTracking + 1)}, []string{"reason", "tracking"}},
	} {
		var got []string
		for _, e := range errs.All(tc.in.CheckLengths()) {
			if e.Key != "err.too_long" && e.Key != "err.too_many" || e.Args["max"] == "" {
				t.Errorf("%s: %v has no limit", tc.name, e)
			}
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
		}
	}
}
