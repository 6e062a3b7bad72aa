package service_test

import (
	"fmt"
	"testing"

	"bianmin/internal/testkit"
)

// Whether a township splits its back office is kept in memory, which every back-office move asks; a setting
// changed on one instance holds there at once and on another instance within its poll of the caches'
// versions, both ways.
func TestSplitAcrossInstances(t *testing.T) {
	for _, e := range testkit.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			w, other, item := twoInstances(t, e)
			bothMoved(t, w, other, item) // each has read that no township splits
			h := setUpHall(t, w)
			township := w.targets["T1"].ID
			if got, err := other.db.SplitsBackOffice(ctx, township); err != nil || got {
				t.Fatalf("the default on the other instance: %v %v", got, err)
			}
			for v, split := range []bool{true, false} {
				if err := w.svc.SetBackOfficeSplit(ctx, h.director, township, v, split); err != nil {
					t.Fatal(err)
				}
				if got, err := w.db.SplitsBackOffice(ctx, township); err != nil || got != split {
					t.Fatalf("the instance that set %v holds %v (%v)", split, got, err)
				}
				untilSeen(t, func() (bool, string, error) {
					got, err := other.db.SplitsBackOffice(ctx, township)
					return got == split, fmt.Sprintf("holds %v", got), err
				})
			}
		})
	}
}
