package service_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"bianmin/internal/access"
	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/service"
	"bianmin/internal/store"
	"bianmin/internal/testkit"
)

// A resident finds a case by its number with or without the township's prefix, or all their cases by ID
// number; the phone's last four digits must match, and a wrong pair finds nothing the same way.
func TestTrackCases(t *testing.T) {
	testkit.Each(t, func(t *testing.T, db *store.DB) {
		w := demoWorld(t, db)
		item := dibaoItem(t, w)
		var got []cases.Case
		for _, key := range []string{"T1", "T1", "T2"} {
			c, err := w.svc.Receive(ctx, access.System, service.ReceiveInput{ItemID: item, ApplicantID: w.seeded[key], ReceivingOrg: w.targets[key].ID}, "")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, c)
		}
		a, err := db.Applicant(ctx, w.seeded["T1"])
		if err != nil {
			t.Fatal(err)
		}
		digits := strings.TrimLeftFunc(got[0].No, func(r rune) bool { return !unicode.IsDigit(r) })
		n := 0
		track := func(q service.TrackQuery) ([]string, error) {
			n++ // each from its own address: the limiter is not what is tested here
			list, err := w.svc.TrackCases(ctx, q, fmt.Sprintf("10.0.0.%d", n))
			var nos []string
			for _, tr := range list {
				nos = append(nos, tr.No)
			}
			return nos, err
		}
		tests := []struct {
			name string
			q    service.TrackQuery
			want []string // case numbers, in any order; nil: an error
			code errs.Code
		}{
			{"whole number", service.TrackQuery{No: got[0].No, Phone4: "1234"}, []string{got[0].No}, ""},
			{"number without its prefix", service.TrackQuery{No: " " + digits + " ", Phone4: "1234"}, nil, ""}, // checked below
			{"ID number", service.TrackQuery{IDNumber: a.IDNumber, Phone4: "1234"}, []string{got[0].No, got[1].No}, ""},
			{"ID number, lower-case x", service.TrackQuery{IDNumber: strings.ToLower(a.IDNumber), Phone4: "1234"}, []string{got[0].No, got[1].No}, ""},
			{"wrong phone", service.TrackQuery{No: got[0].No, Phone4: "4321"}, nil, errs.NotFound},
			{"wrong phone by ID", service.TrackQuery{IDNumber: a.IDNumber, Phone4: "4321"}, nil, errs.NotFound},
			{"unknown ID", service.TrackQuery{IDNumber: "110105194912310021", Phone4: "1234"}, nil, errs.NotFound},
			{"nothing to find by", service.TrackQuery{Phone4: "1234"}, nil, errs.Invalid},
			{"no phone", service.TrackQuery{No: got[0].No}, nil, errs.Invalid},
		}
		for _, tt := range tests {
			nos, err := track(tt.q)
			if tt.code != "" {
				if errs.CodeOf(err) != tt.code {
					t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
				continue
			}
			if tt.want == nil { // the digits alone: the case, and any other township's case of that serial with the same phone digits
				if !contains(nos, got[0].No) {
					t.Errorf("%s: %v", tt.name, nos)
				}
				for _, no := range nos {
					if !strings.HasSuffix(no, digits) {
						t.Errorf("%s: found %s", tt.name, no)
					}
				}
				continue
			}
			if len(nos) != len(tt.want) || !contains(nos, tt.want[0]) || !contains(nos, tt.want[len(tt.want)-1]) {
				t.Errorf("%s: %v, want %v", tt.name, nos, tt.want)
			}
		}
		// the refusal names the field
		_, err = track(service.TrackQuery{Phone4: "12"})
		fields := map[string]bool{}
		for _, e := range errs.All(err) {
			fields[e.Field] = true
		}
		if !fields["no"] || !fields["phone4"] {
			t.Errorf("refusal fields: %v", err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
