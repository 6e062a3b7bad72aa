package service_test

import (
	"testing"

	"bianmin/internal/cases"
	"bianmin/internal/errs"
	"bianmin/internal/roster"
	"bianmin/internal/testkit"
)

// Who has declared a relation (回避) is kept in memory, which every move asks; a declaration made on one
// instance refuses the declarer's moves there at once and on another instance within its poll of the
// caches' versions, and the refusal is the same on both.
func TestRecusalsAcrossInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w, other, item := twoInstances(t, e)
			db1 := w.db
			// both instances move cases with the reviewer: each has read that nobody has declared anything
			bothMoved(t, w, other, item)

			rev := w.actors["tianshan.reviewer"]
			a, err := db1.Applicant(ctx, w.seeded["T1"])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.Declare(ctx, rev, roster.DeclarationInput{Relation: "family", Number: a.IDNumber, Name: a.Name}); err != nil {
				t.Fatal(err)
			}
			c := acceptedDibao(t, w)
			if _, err := w.svc.Act(ctx, rev, c.ID, c.Version, cases.Pass, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("the instance that took the declaration let the declarer move the case: %v", err)
			}
			untilSeen(t, func() (bool, string, error) {
				has, err := other.db.Declares(ctx, rev.ID)
				return has, "holds that the reviewer has declared nothing", err
			})
			if _, err := other.svc.Act(ctx, rev, c.ID, c.Version, cases.Pass, cases.Input{}); errs.CodeOf(err) != errs.Forbidden {
				t.Fatalf("the other instance let the declarer move the case: %v", err)
			}
		})
	}
}
